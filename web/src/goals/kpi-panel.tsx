/** @module The KPI matrix per management level: the matrix (editable by owners and admins) and each person's score. */
import {
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { fieldError } from '../cases/case-forms';
import { formatNps } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import {
  GOAL_METRICS,
  type GoalMetric,
  type KpiItem,
  type KpiScores,
  type Level,
  type Matrix,
  useKpiScores,
  useSaveMatrix,
} from './api';
import { formatValue, STATUS_COLOR, StatusBadge } from './goal-bits';

const PERIODS = ['30', '90', '365'] as const;

export function KpiPanel({ user }: { user: User }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const days = PERIODS.includes(search.get('days') as (typeof PERIODS)[number]) ? search.get('days')! : '90';
  const scores = useKpiScores(days);
  const editable = user.role === 'owner' || user.role === 'admin';
  return (
    <Stack gap="md" data-testid="kpi-panel">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" maw={820}>
          {t('goalsKpi.intro')}
        </Text>
        <SegmentedControl
          value={days}
          onChange={(v) => setSearch({ days: v === '90' ? null : v })}
          data={PERIODS.map((p) => ({ value: p, label: t(`goalsKpi.days${p}`) }))}
        />
      </Group>
      {scores.isError && <ProblemAlert error={scores.error} onRetry={() => void scores.refetch()} />}
      {!scores.data && scores.isPending && (
        <Center p="xl">
          <Loader />
        </Center>
      )}
      {scores.data?.levels.map((level) => (
        <LevelCard key={level.level} level={level} editable={editable} />
      ))}
    </Stack>
  );
}

function LevelCard({ level, editable }: { level: KpiScores['levels'][number]; editable: boolean }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  return (
    <Card withBorder radius="md" padding="lg" data-testid={`kpi-level-${level.level}`}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t(`goalsKpi.level_${level.level}`)}
          </Title>
          <Group gap="xs">
            <Badge variant="light" color={level.matrix.isDefault ? 'gray' : 'blue'}>
              {t('goalsKpi.matrix')}: {level.matrix.isDefault ? t('goalsKpi.default') : t('goalsKpi.own')}
            </Badge>
            {editable && !editing && (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => setEditing(true)}
                data-testid="matrix-edit"
              >
                {t('goalsKpi.editMatrix')}
              </Button>
            )}
          </Group>
        </Group>
        {editing ? (
          <MatrixEditor matrix={level.matrix} onDone={() => setEditing(false)} />
        ) : (
          <ScoresTable level={level} />
        )}
      </Stack>
    </Card>
  );
}

function ScoresTable({ level }: { level: KpiScores['levels'][number] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const items = level.matrix.items;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped data-testid={`kpi-table-${level.level}`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('goalsKpi.person')}</Table.Th>
            {items.map((item) => (
              <Table.Th key={item.metric}>
                <Text size="sm" fw={600}>
                  {t(`goalsMetric.${item.metric}`)}
                </Text>
                <Text size="xs" c="dimmed" fw={400}>
                  {formatNps(locale, item.weight)}% · {item.metric === 'detractorShare' ? '≤' : '≥'}{' '}
                  {formatValue(locale, item.metric, item.target)}
                </Text>
              </Table.Th>
            ))}
            <Table.Th>{t('goalsKpi.score')}</Table.Th>
            <Table.Th>{t('goalsKpi.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {level.rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={items.length + 3}>
                <Text size="sm" c="dimmed">
                  {t('goalsKpi.noPeople')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {level.rows.map((row) => (
            <Table.Tr key={row.userId} data-testid="kpi-row">
              <Table.Td>
                <Text size="sm" fw={500}>
                  {row.name ?? t('goalsKpi.hidden')}
                </Text>
                <Text size="xs" c="dimmed">
                  {row.units.join(', ') || t('goals.company')}
                </Text>
              </Table.Td>
              {row.kpis.map((k) => (
                <Table.Td key={k.metric}>
                  {k.actual.value === null ? (
                    <Tooltip label={t('goals.notEnoughHint')} multiline w={240}>
                      <Text size="xs" c="dimmed">
                        {t('goals.notEnough')} (n = {k.actual.n})
                      </Text>
                    </Tooltip>
                  ) : (
                    <Text size="sm" fw={600} c={`${STATUS_COLOR[k.status]}.8`}>
                      {formatValue(locale, k.metric, k.actual.value)}{' '}
                      <Text span size="xs" c="dimmed" fw={400}>
                        n = {k.actual.n}
                      </Text>
                    </Text>
                  )}
                </Table.Td>
              ))}
              <Table.Td>
                <Text fw={700} data-testid="kpi-score">
                  {row.score === null ? t('goalsKpi.noScore') : formatNps(locale, row.score)}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={row.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function MatrixEditor({ matrix, onDone }: { matrix: Matrix; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveMatrix(matrix.level as Level);
  const [items, setItems] = useState<
    (Omit<KpiItem, 'weight' | 'target'> & { weight: number | string; target: number | string })[]
  >(matrix.items);
  const sum = items.reduce((s, i) => s + (Number(i.weight) || 0), 0);
  const set = (index: number, patch: Partial<(typeof items)[number]>) =>
    setItems(items.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const unused = GOAL_METRICS.filter((m) => !items.some((i) => i.metric === m));
  return (
    <Stack gap="xs" data-testid="matrix-editor">
      {save.error && !fieldError(save.error, 'items') && <ProblemAlert error={save.error} />}
      <Table maw={640}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('goalsKpi.indicator')}</Table.Th>
            <Table.Th>{t('goalsKpi.weight')}</Table.Th>
            <Table.Th>{t('goalsKpi.target')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item, i) => (
            <Table.Tr key={item.metric}>
              <Table.Td>
                <Select
                  size="xs"
                  data={[item.metric, ...unused].map((m) => ({ value: m, label: t(`goalsMetric.${m}`) }))}
                  value={item.metric}
                  onChange={(v) => v && set(i, { metric: v as GoalMetric })}
                  allowDeselect={false}
                  error={fieldError(save.error, `items.${i}.metric`)}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  size="xs"
                  value={item.weight}
                  onChange={(v) => set(i, { weight: v })}
                  min={0}
                  max={100}
                  error={fieldError(save.error, `items.${i}.weight`)}
                  aria-label={`${t('goalsKpi.weight')} ${item.metric}`}
                  w={90}
                />
              </Table.Td>
              <Table.Td>
                <NumberInput
                  size="xs"
                  value={item.target}
                  onChange={(v) => set(i, { target: v })}
                  error={fieldError(save.error, `items.${i}.target`)}
                  aria-label={`${t('goalsKpi.target')} ${item.metric}`}
                  w={90}
                />
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => setItems(items.filter((_, j) => j !== i))}
                >
                  ×
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr>
            <Table.Td>
              <Text size="sm" fw={600}>
                {t('goalsKpi.total')}
              </Text>
            </Table.Td>
            <Table.Td colSpan={3}>
              <Text
                size="sm"
                fw={600}
                c={Math.abs(sum - 100) < 0.005 ? 'teal.8' : 'red.7'}
                data-testid="weights-sum"
              >
                {sum}%
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {(Math.abs(sum - 100) >= 0.005 || fieldError(save.error, 'items')) && (
        <Text size="sm" c="red.7" data-testid="weights-error">
          {fieldError(save.error, 'items') ?? t('goalsKpi.weightsOff', { sum })}
        </Text>
      )}
      <Group gap="xs">
        {unused.length > 0 && (
          <Button
            size="xs"
            variant="default"
            onClick={() => setItems([...items, { metric: unused[0]!, weight: 0, target: 0 }])}
          >
            {t('goalsKpi.addIndicator')}
          </Button>
        )}
        <Button
          size="xs"
          loading={save.isPending}
          data-testid="matrix-save"
          onClick={() =>
            save.mutate(
              {
                version: matrix.version,
                items: items.map((i) => ({
                  metric: i.metric,
                  weight: Number(i.weight),
                  target: Number(i.target),
                })),
              },
              { onSuccess: onDone },
            )
          }
        >
          {t('goalsKpi.saveMatrix')}
        </Button>
        {!matrix.isDefault && (
          <Button size="xs" variant="subtle" onClick={() => save.mutate(null, { onSuccess: onDone })}>
            {t('goalsKpi.resetMatrix')}
          </Button>
        )}
        <Button size="xs" variant="subtle" color="gray" onClick={onDone}>
          {t('goalsEditor.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
