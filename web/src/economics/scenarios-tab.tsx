/** @module The cost of moving a customer, and the scenario builder: moves, retention and a budget, compared side by side. */
import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  ScrollArea,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale } from '../api/types';
import { useCaseUnits } from '../cases/api';
import { formatCount, formatDiff, formatNps, formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  formatMoney,
  type MoveCostsReport,
  type ScenarioInput,
  type ScenarioResult,
  SEGMENTS,
  type Segment,
  useEvaluateScenarios,
  useSaveScenario,
} from './api';

export function MoveCostsTable({ report, locale }: { report: MoveCostsReport; locale: Locale }) {
  const { t } = useTranslation();
  const c = report.currency;
  return (
    <Stack gap="xs">
      <Table fz="sm" striped data-testid="move-costs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('economicsScenarios.move')}</Table.Th>
            <Table.Th>{t('economicsScenarios.source')}</Table.Th>
            <Table.Th ta="right">{t('economicsScenarios.successRate')}</Table.Th>
            <Table.Th ta="right">{t('economicsScenarios.costPerAttempt')}</Table.Th>
            <Table.Th ta="right">{t('economicsScenarios.costPerMoved')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.fromCases
            .filter((m) => m.attempts > 0 || m.casesWithCost > 0)
            .map((m) => (
              <Table.Tr key={`c-${m.from}-${m.to}`}>
                <Table.Td>
                  {t(`economics.segment_${m.from}`)} → {t(`economics.segment_${m.to}`)}
                </Table.Td>
                <Table.Td>{t('economicsScenarios.fromCases', { count: m.attempts })}</Table.Td>
                <Table.Td ta="right">
                  {m.successRate
                    ? `${formatShare(locale, m.successRate.value)} (${formatShare(locale, m.successRate.ci95[0])}–${formatShare(locale, m.successRate.ci95[1])})`
                    : '—'}
                </Table.Td>
                <Table.Td ta="right">{formatMoney(locale, m.costPerAttempt, c)}</Table.Td>
                <Table.Td ta="right">{formatMoney(locale, m.costPerMoved, c)}</Table.Td>
              </Table.Tr>
            ))}
          {report.programmes.map((p) => (
            <Table.Tr key={p.id}>
              <Table.Td>
                {t(`economics.segment_${p.from}`)} → {t(`economics.segment_${p.to}`)}
              </Table.Td>
              <Table.Td>
                {p.name}{' '}
                <Badge size="xs" variant="light" color={p.rateSource === 'observed' ? 'teal' : 'gray'}>
                  {t(`economicsScenarios.rate_${p.rateSource ?? 'none'}`)}
                </Badge>
              </Table.Td>
              <Table.Td ta="right">
                {p.successRate === null ? '—' : formatShare(locale, p.successRate)}
              </Table.Td>
              <Table.Td ta="right">{formatMoney(locale, p.costPerCustomerMinor, c)}</Table.Td>
              <Table.Td ta="right">{formatMoney(locale, p.costPerMoved, c)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.fromCases.every((m) => m.attempts === 0) && report.programmes.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('economicsScenarios.noCosts')}
        </Text>
      )}
    </Stack>
  );
}

const blank = (i: number, name: string): ScenarioInput => ({
  name: `${name} ${i}`,
  budgetMinor: null,
  moves: [{ from: 'detractor', to: 'passive', share: 0.2, unitId: null }],
  retention: [],
});

/** Field errors of the last evaluation, by path ("scenarios.0.moves.1.share"). */
function errorsOf(error: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (error instanceof ProblemError) for (const e of error.problem.errors ?? []) map.set(e.path, e.message);
  return map;
}

function ResultTable({
  results,
  currency,
  locale,
}: {
  results: ScenarioResult[];
  currency: string;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const money = (v: number | null) => formatMoney(locale, v, currency);
  const rows: [string, (r: ScenarioResult) => string][] = [
    [
      'shares',
      (r) =>
        r.after.shares ? SEGMENTS.map((s) => formatShare(locale, r.after.shares![s])).join(' / ') : '—',
    ],
    ['nps', (r) => `${formatNps(locale, r.before.nps)} → ${formatNps(locale, r.after.nps)}`],
    ['moved', (r) => formatCount(locale, r.moved)],
    ['revenueChange', (r) => money(r.revenueChange)],
    ['ltvChange', (r) => money(r.ltvChange)],
    [
      'cost',
      (r) =>
        r.cost === null
          ? t('economicsScenarios.costUnknown', { moves: r.unknownCosts.join(', ') })
          : money(r.cost),
    ],
    [
      'budget',
      (r) =>
        r.budgetMinor === null
          ? '—'
          : `${money(r.budgetMinor)} · ${r.withinBudget === null ? '—' : r.withinBudget ? t('economicsScenarios.within') : t('economicsScenarios.over')}`,
    ],
    ['roi', (r) => (r.roi === null ? '—' : formatShare(locale, r.roi))],
  ];
  return (
    <ScrollArea>
      <Table withTableBorder withColumnBorders fz="sm" data-testid="scenario-results">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            {results.map((r) => (
              <Table.Th key={r.name}>{r.name}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([key, f]) => (
            <Table.Tr key={key}>
              <Table.Th>{t(`economicsScenarios.result_${key}`)}</Table.Th>
              {results.map((r) => (
                <Table.Td key={r.name}>{f(r)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

export function ScenarioBuilder({
  unitId,
  locale,
  currency,
}: {
  unitId: string | null;
  locale: Locale;
  currency: string;
}) {
  const { t } = useTranslation();
  const units = useCaseUnits();
  const evaluate = useEvaluateScenarios();
  const save = useSaveScenario();
  const [scenarios, setScenarios] = useState<ScenarioInput[]>(() => [
    blank(1, t('economicsScenarios.scenario')),
  ]);
  const errors = errorsOf(evaluate.error);
  const segmentOptions = SEGMENTS.map((s) => ({ value: s, label: t(`economics.segment_${s}`) }));
  const unitOptions = [
    { value: '', label: t('economicsScenarios.allUnits') },
    ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
  ];
  const update = (i: number, f: (s: ScenarioInput) => ScenarioInput) =>
    setScenarios((all) => all.map((s, k) => (k === i ? f(s) : s)));
  const err = (path: string) => errors.get(path);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, lg: Math.min(3, scenarios.length) }} spacing="md">
        {scenarios.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: an editor row has no id; its position is its identity
          <Card key={i} withBorder radius="md" padding="md" data-testid={`scenario-${i}`}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <TextInput
                  aria-label={t('economicsScenarios.name')}
                  value={s.name}
                  error={err(`scenarios.${i}.name`)}
                  onChange={(e) => update(i, (x) => ({ ...x, name: e.currentTarget.value }))}
                  style={{ flex: 1 }}
                />
                {scenarios.length > 1 && (
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('economicsScenarios.remove')}
                    onClick={() => setScenarios((all) => all.filter((_, k) => k !== i))}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                )}
              </Group>
              <NumberInput
                label={t('economicsScenarios.budget')}
                value={s.budgetMinor === null || s.budgetMinor === undefined ? '' : s.budgetMinor / 100}
                error={err(`scenarios.${i}.budgetMinor`)}
                onChange={(v) =>
                  update(i, (x) => ({ ...x, budgetMinor: v === '' ? null : Math.round(Number(v) * 100) }))
                }
                thousandSeparator=" "
              />
              <Text size="sm" fw={600}>
                {t('economicsScenarios.moves')}
              </Text>
              {s.moves.map((m, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: an editor row has no id; its position is its identity
                <Stack key={j} gap={4}>
                  <Group gap={4} wrap="nowrap" align="flex-start">
                    <NumberInput
                      aria-label={t('economicsScenarios.share')}
                      suffix="%"
                      w={90}
                      value={Math.round(m.share * 1000) / 10}
                      error={err(`scenarios.${i}.moves.${j}.share`)}
                      data-testid={`share-${i}-${j}`}
                      onChange={(v) =>
                        update(i, (x) => ({
                          ...x,
                          moves: x.moves.map((y, k) => (k === j ? { ...y, share: Number(v || 0) / 100 } : y)),
                        }))
                      }
                    />
                    <Select
                      aria-label={t('economicsScenarios.from')}
                      w={120}
                      data={segmentOptions}
                      value={m.from}
                      allowDeselect={false}
                      onChange={(v) =>
                        update(i, (x) => ({
                          ...x,
                          moves: x.moves.map((y, k) => (k === j ? { ...y, from: v as Segment } : y)),
                        }))
                      }
                    />
                    <Text pt={6}>→</Text>
                    <Select
                      aria-label={t('economicsScenarios.to')}
                      w={120}
                      data={segmentOptions}
                      value={m.to}
                      allowDeselect={false}
                      error={err(`scenarios.${i}.moves.${j}.to`)}
                      onChange={(v) =>
                        update(i, (x) => ({
                          ...x,
                          moves: x.moves.map((y, k) => (k === j ? { ...y, to: v as Segment } : y)),
                        }))
                      }
                    />
                    <ActionIcon
                      mt={4}
                      variant="subtle"
                      color="red"
                      aria-label={t('economicsScenarios.remove')}
                      onClick={() => update(i, (x) => ({ ...x, moves: x.moves.filter((_, k) => k !== j) }))}
                    >
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Group>
                  <Select
                    aria-label={t('economicsScenarios.unit')}
                    size="xs"
                    data={unitOptions}
                    value={m.unitId ?? ''}
                    error={err(`scenarios.${i}.moves.${j}.unitId`)}
                    onChange={(v) =>
                      update(i, (x) => ({
                        ...x,
                        moves: x.moves.map((y, k) => (k === j ? { ...y, unitId: v || null } : y)),
                      }))
                    }
                  />
                </Stack>
              ))}
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconPlus size={14} />}
                onClick={() =>
                  update(i, (x) => ({
                    ...x,
                    moves: [...x.moves, { from: 'passive', to: 'promoter', share: 0.1, unitId: null }],
                  }))
                }
              >
                {t('economicsScenarios.addMove')}
              </Button>
              <Text size="sm" fw={600}>
                {t('economicsScenarios.retention')}
              </Text>
              {s.retention.map((r, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: an editor row has no id; its position is its identity
                <Group key={j} gap={4} wrap="nowrap" align="flex-start">
                  <Select
                    aria-label={t('economics.segment')}
                    w={120}
                    data={segmentOptions}
                    value={r.segment}
                    allowDeselect={false}
                    onChange={(v) =>
                      update(i, (x) => ({
                        ...x,
                        retention: x.retention.map((y, k) => (k === j ? { ...y, segment: v as Segment } : y)),
                      }))
                    }
                  />
                  <NumberInput
                    aria-label={t('economicsScenarios.points')}
                    w={110}
                    suffix={t('economicsScenarios.pointsSuffix')}
                    value={r.points}
                    error={err(`scenarios.${i}.retention.${j}.points`)}
                    onChange={(v) =>
                      update(i, (x) => ({
                        ...x,
                        retention: x.retention.map((y, k) =>
                          k === j ? { ...y, points: Number(v || 0) } : y,
                        ),
                      }))
                    }
                  />
                  <NumberInput
                    aria-label={t('economicsScenarios.retentionCost')}
                    placeholder={t('economicsScenarios.retentionCost')}
                    w={130}
                    value={r.costMinor ? r.costMinor / 100 : ''}
                    onChange={(v) =>
                      update(i, (x) => ({
                        ...x,
                        retention: x.retention.map((y, k) =>
                          k === j ? { ...y, costMinor: v === '' ? null : Math.round(Number(v) * 100) } : y,
                        ),
                      }))
                    }
                  />
                  <ActionIcon
                    mt={4}
                    variant="subtle"
                    color="red"
                    aria-label={t('economicsScenarios.remove')}
                    onClick={() =>
                      update(i, (x) => ({ ...x, retention: x.retention.filter((_, k) => k !== j) }))
                    }
                  >
                    <IconTrash size={14} />
                  </ActionIcon>
                </Group>
              ))}
              {s.retention.length < 3 && (
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconPlus size={14} />}
                  onClick={() =>
                    update(i, (x) => ({
                      ...x,
                      retention: [...x.retention, { segment: 'passive', points: 5 }],
                    }))
                  }
                >
                  {t('economicsScenarios.addRetention')}
                </Button>
              )}
              <Button size="xs" variant="light" onClick={() => save.mutate(s)} loading={save.isPending}>
                {t('economicsScenarios.save')}
              </Button>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      <Group>
        <Button
          onClick={() => evaluate.mutate({ unitId, scenarios })}
          loading={evaluate.isPending}
          data-testid="evaluate"
        >
          {t('economicsScenarios.compare')}
        </Button>
        {scenarios.length < 3 && (
          <Button
            variant="default"
            leftSection={<IconPlus size={16} />}
            onClick={() =>
              setScenarios((all) => [...all, blank(all.length + 1, t('economicsScenarios.scenario'))])
            }
          >
            {t('economicsScenarios.addScenario')}
          </Button>
        )}
        {save.isSuccess && (
          <Text size="sm" c="teal">
            {t('economicsScenarios.saved')}
          </Text>
        )}
      </Group>
      {evaluate.isError && <ProblemAlert error={evaluate.error} title={t('economicsScenarios.invalid')} />}
      {evaluate.data && (
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('economicsScenarios.sideBySide')}
          </Title>
          <ResultTable
            results={evaluate.data.results}
            currency={evaluate.data.currency ?? currency}
            locale={locale}
          />
          <Text size="xs" c="dimmed">
            {t('economicsScenarios.method')}
          </Text>
        </Stack>
      )}
      {evaluate.data?.results.some((r) => r.after.nps !== null && r.before.nps !== null) && (
        <Text size="sm">
          {evaluate.data.results
            .map((r) =>
              r.after.nps === null || r.before.nps === null
                ? ''
                : `${r.name}: ${formatDiff(locale, r.after.nps - r.before.nps)} ${t('economicsScenarios.npsPoints')}`,
            )
            .filter(Boolean)
            .join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
