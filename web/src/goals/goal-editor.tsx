/** @module The goal editor: indicator, unit, period, checkpoints, baseline, target, owners, checkpoint targets by hand. */
import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../api/client';
import type { Locale, User } from '../api/types';
import { useCaseUnits } from '../cases/api';
import { fieldError } from '../cases/case-forms';
import { formatDay, formatNps } from '../format';
import { ProblemAlert } from '../problem-alert';
import {
  type Cadence,
  GOAL_METRICS,
  type GoalDetail,
  type GoalInput,
  type GoalMetric,
  type PeriodKind,
  useCreateGoal,
  useOwnerCandidates,
  useProposedTargets,
  useUpdateGoal,
} from './api';

/** Paths the form shows beside a field; any other problem goes in the alert above it. */
const SHOWN =
  /^(name|unitId|metric|period(\.from|\.to)?|target|baseline|ownerIds(\.\d+)?|checkpoints\.\d+\.(day|target))$/;

function unshown(error: unknown): boolean {
  if (!error) return false;
  if (!(error instanceof ProblemError)) return true;
  const errors = error.problem.errors ?? [];
  return errors.length === 0 || errors.some((e) => !SHOWN.test(e.path));
}

const numberOrNull = (v: string | number) => (v === '' || v === undefined ? null : Number(v));

export function GoalEditor({
  user,
  goal,
  onDone,
  onCancel,
}: {
  user: User;
  goal?: GoalDetail;
  onDone: (id: string) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const orgWide = user.role === 'owner' || user.role === 'admin';
  const units = useCaseUnits();
  const [name, setName] = useState(goal?.name ?? '');
  const [unitId, setUnitId] = useState<string | null>(goal?.unitId ?? null);
  const [metric, setMetric] = useState<GoalMetric>(goal?.metric ?? 'nps');
  const [kind, setKind] = useState<PeriodKind>(goal?.period.kind ?? 'quarter');
  const [from, setFrom] = useState(goal?.period.from ?? new Date().toISOString().slice(0, 10));
  const [to, setTo] = useState(goal?.period.kind === 'custom' ? goal.period.to : '');
  const [cadence, setCadence] = useState<Cadence>(goal?.cadence ?? 'month');
  const [measure, setMeasure] = useState(goal?.measure ?? 'window');
  const [baseline, setBaseline] = useState<string | number>(
    goal?.baselineSource === 'entered' && goal.baseline !== null ? goal.baseline : '',
  );
  const [target, setTarget] = useState<string | number>(goal?.target ?? '');
  const [ownerIds, setOwnerIds] = useState<string[]>(goal?.owners.map((o) => o.userId) ?? []);
  const [proposal, setProposal] = useState<{ note: string } | null>(
    goal?.targetSource === 'proposed' ? { note: goal.targetNote ?? '' } : null,
  );
  const [showProposals, setShowProposals] = useState(false);
  const [customDays, setCustomDays] = useState<string[]>(
    goal?.cadence === 'custom' ? goal.checkpoints.slice(0, -1).map((c) => c.day) : [],
  );
  const [overrides, setOverrides] = useState<Record<string, string | number>>(
    Object.fromEntries(goal?.checkpoints.filter((c) => c.edited).map((c) => [c.day, c.target]) ?? []),
  );
  const candidates = useOwnerCandidates(unitId, orgWide || unitId !== null);
  const create = useCreateGoal();
  const update = useUpdateGoal(goal?.id ?? '');
  const mutation = goal ? update : create;
  const error = mutation.error;
  const samePlan =
    goal !== undefined &&
    kind === goal.period.kind &&
    from === goal.period.from &&
    (kind !== 'custom' || to === goal.period.to) &&
    cadence === goal.cadence;

  function submit(event: FormEvent) {
    event.preventDefault();
    const input: GoalInput = {
      name,
      unitId,
      metric,
      period: kind === 'custom' ? { kind, from, to } : { kind, from },
      cadence,
      measure,
      target: Number(target),
      ownerIds,
      targetSource: proposal ? 'proposed' : 'entered',
      targetNote: proposal?.note ?? null,
    };
    const base = numberOrNull(baseline);
    if (base !== null) input.baseline = base;
    else if (goal?.baselineSource === 'entered') input.baseline = undefined;
    if (samePlan && goal) {
      input.checkpoints = goal.checkpoints.map((c) => ({
        day: c.day,
        target: numberOrNull(overrides[c.day] ?? ''),
      }));
      input.checkpoints[input.checkpoints.length - 1] = { day: goal.period.to };
    } else if (cadence === 'custom') {
      input.checkpoints = customDays.filter(Boolean).map((day) => ({ day }));
    }
    const onSuccess = (saved: GoalDetail) => onDone(saved.id);
    if (goal) update.mutate({ ...input, version: goal.version }, { onSuccess });
    else create.mutate(input, { onSuccess });
  }

  const unitOptions = [
    ...(orgWide ? [{ value: '', label: t('goals.company') }] : []),
    ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
  ];
  const conflict = error instanceof ProblemError && error.status === 409;
  const err = (...paths: string[]) => fieldError(error, ...paths);
  const checkpointError = (i: number) => err(`checkpoints.${i}.day`, `checkpoints.${i}.target`);

  return (
    <Card
      withBorder
      radius="md"
      padding="lg"
      maw={960}
      component="form"
      onSubmit={submit}
      data-testid="goal-editor"
    >
      <Stack gap="md">
        <Title order={2} size="h3">
          {goal ? t('goalsEditor.titleEdit') : t('goalsEditor.titleNew')}
        </Title>
        {conflict && <ProblemAlert error={error} title={t('goalsEditor.conflict')} />}
        {!conflict && unshown(error) && <ProblemAlert error={error} />}
        <TextInput
          label={t('goalsEditor.name')}
          placeholder={t('goalsEditor.namePlaceholder')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={err('name')}
          required
          data-testid="goal-name"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('goalsEditor.unit')}
            data={unitOptions}
            value={unitId ?? ''}
            onChange={(v) => setUnitId(v ? v : null)}
            error={err('unitId')}
            searchable
            allowDeselect={false}
            data-testid="goal-unit"
          />
          <Select
            label={t('goalsEditor.metric')}
            data={GOAL_METRICS.map((m) => ({ value: m, label: t(`goalsMetric.${m}`) }))}
            value={metric}
            onChange={(v) => v && setMetric(v as GoalMetric)}
            error={err('metric')}
            allowDeselect={false}
            data-testid="goal-metric"
          />
        </SimpleGrid>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('goalsEditor.periodKind')}
          </Text>
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as PeriodKind)}
            data={(['quarter', 'half', 'year', 'custom'] as const).map((k) => ({
              value: k,
              label: t(`goalsEditor.kind_${k}`),
            }))}
            w="fit-content"
          />
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="date"
            label={kind === 'custom' ? t('goalsEditor.periodStart') : t('goalsEditor.periodFrom')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            error={err('period.from', 'period')}
            required
            data-testid="goal-from"
          />
          {kind === 'custom' && (
            <TextInput
              type="date"
              label={t('goalsEditor.periodEnd')}
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={err('period.to')}
              data-testid="goal-to"
            />
          )}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('goalsEditor.cadence')}
            </Text>
            <SegmentedControl
              value={cadence}
              onChange={(v) => setCadence(v as Cadence)}
              data={(['month', 'quarter', 'custom'] as const).map((c) => ({
                value: c,
                label: t(`goalsDetail.cadence_${c}`),
              }))}
              w="fit-content"
            />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('goalsEditor.measure')}
            </Text>
            <SegmentedControl
              value={measure}
              onChange={(v) => setMeasure(v as 'window' | 'cumulative')}
              data={[
                { value: 'window', label: t('goalsEditor.measureWindow') },
                { value: 'cumulative', label: t('goalsEditor.measureCumulative') },
              ]}
              w="fit-content"
            />
          </Stack>
        </SimpleGrid>
        {cadence === 'custom' && !samePlan && (
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              {t('goalsEditor.customDays')}
            </Text>
            {customDays.map((day, i) => (
              <TextInput
                // biome-ignore lint/suspicious/noArrayIndexKey: the list is edited in place, by position
                key={i}
                type="date"
                value={day}
                onChange={(e) => {
                  const next = [...customDays];
                  next[i] = e.currentTarget.value;
                  setCustomDays(next);
                }}
                error={checkpointError(i)}
                maw={220}
              />
            ))}
            <Button
              variant="light"
              size="xs"
              w="fit-content"
              onClick={() => setCustomDays([...customDays, ''])}
            >
              {t('goalsEditor.addDay')}
            </Button>
          </Stack>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('goalsEditor.target')}
            description={metric === 'nps' ? t('goalsEditor.targetHintNps') : t('goalsEditor.targetHintShare')}
            value={target}
            onChange={(v) => {
              setTarget(v);
              setProposal(null);
            }}
            error={err('target')}
            decimalScale={1}
            required
            data-testid="goal-target"
          />
          <NumberInput
            label={t('goalsEditor.baseline')}
            value={baseline}
            onChange={setBaseline}
            error={err('baseline')}
            decimalScale={1}
            data-testid="goal-baseline"
          />
        </SimpleGrid>
        {metric === 'nps' &&
          (showProposals ? (
            <Proposals
              unitId={unitId}
              onPick={(value, note) => {
                setTarget(value);
                setProposal({ note });
              }}
            />
          ) : (
            <Button variant="subtle" size="xs" w="fit-content" onClick={() => setShowProposals(true)}>
              {t('goalsEditor.showProposals')}
            </Button>
          ))}
        {proposal && (
          <Text size="xs" c="dimmed" data-testid="goal-proposal-note">
            {t('goalsDetail.proposed')}: {proposal.note}
          </Text>
        )}
        <MultiSelect
          label={t('goalsEditor.owners')}
          placeholder={t('goalsEditor.ownersPlaceholder')}
          data={(candidates.data ?? []).map((c) => ({
            value: c.userId,
            label: `${c.name ?? c.userId.slice(0, 8)} · ${t(`goalsKpi.level_${c.level}`)}`,
          }))}
          value={ownerIds}
          onChange={setOwnerIds}
          error={err('ownerIds', ...ownerIds.map((_, i) => `ownerIds.${i}`))}
          searchable
        />
        {samePlan && goal && goal.checkpoints.length > 1 && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('goalsEditor.checkpointTargets')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('goalsEditor.checkpointTargetsHint')}
            </Text>
            <Table maw={480}>
              <Table.Tbody>
                {goal.checkpoints.slice(0, -1).map((c, i) => (
                  <Table.Tr key={c.day}>
                    <Table.Td>{formatDay(locale, c.day)}</Table.Td>
                    <Table.Td>
                      <NumberInput
                        size="xs"
                        value={overrides[c.day] ?? ''}
                        placeholder={c.edited ? '' : String(c.target)}
                        onChange={(v) => setOverrides({ ...overrides, [c.day]: v })}
                        error={checkpointError(i)}
                        decimalScale={1}
                        aria-label={`${t('goalsDetail.checkpointTarget')} ${c.day}`}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
        <Group>
          <Button type="submit" loading={mutation.isPending} data-testid="goal-save">
            {t('goalsEditor.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('goalsEditor.cancel')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Targets the loyalty-economics analysis proposes for the unit: reachable (forecast and the loop's uplift) and ambitious. */
function Proposals({
  unitId,
  onPick,
}: {
  unitId: string | null;
  onPick: (value: number, note: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const targets = useProposedTargets(unitId);
  if (targets.isError) {
    return (
      <Text size="xs" c="dimmed">
        {t('goalsEditor.noProposals')}
      </Text>
    );
  }
  if (!targets.data) return <Loader size="xs" />;
  const row = targets.data.company;
  const horizon = t(`goalsEditor.horizon_${targets.data.period}`, { count: targets.data.periods });
  const options = (['reachable', 'ambitious'] as const).filter((k) => row[k] !== null);
  if (options.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('goalsEditor.noProposals')}
      </Text>
    );
  }
  return (
    <Group gap="xs" data-testid="goal-proposals">
      <Text size="sm">{t('goalsEditor.proposals', { horizon })}</Text>
      {options.map((kind) => {
        const value = row[kind] as number;
        const note = t(`goalsEditor.proposalNote_${kind}`, {
          value: formatNps(locale, value),
          current: formatNps(locale, row.current),
          horizon,
        });
        return (
          <Button key={kind} size="compact-sm" variant="light" onClick={() => onPick(value, note)}>
            {t(`goalsEditor.${kind}`)}: {formatNps(locale, value)}
          </Button>
        );
      })}
      <Anchor href="/economics" size="xs" target="_blank">
        {t('goalsEditor.why')}
      </Anchor>
    </Group>
  );
}
