/** @module One goal: where it stands, the checkpoint chart (target vs actual with interval), the table, and its actions. */
import {
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { useCaseUnits } from '../cases/api';
import { fieldError } from '../cases/case-forms';
import { formatDay, formatDiff, formatPValue } from '../format';
import { ProblemAlert } from '../problem-alert';
import { navigate } from '../router';
import {
  type GoalAction,
  type GoalDetail,
  useAddAction,
  useDeleteAction,
  useDeleteGoal,
  useGoal,
} from './api';
import { formatValue, MeasurementText, StatusBadge } from './goal-bits';

const CheckpointChart = lazy(() =>
  import('./checkpoint-chart').then((m) => ({ default: m.CheckpointChart })),
);

export function GoalDetailView({ id, onEdit }: { id: string; onEdit: () => void }) {
  const { t } = useTranslation();
  const goal = useGoal(id);
  if (goal.isError) return <ProblemAlert error={goal.error} onRetry={() => void goal.refetch()} />;
  if (!goal.data) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  return (
    <Stack gap="md" maw={1200} data-testid="goal-detail">
      <Anchor
        href="/goals"
        size="sm"
        onClick={(e) => {
          e.preventDefault();
          navigate('/goals');
        }}
      >
        ← {t('goals.back')}
      </Anchor>
      <GoalHeader goal={goal.data} onEdit={onEdit} />
      <Checkpoints goal={goal.data} />
      <Actions goal={goal.data} />
    </Stack>
  );
}

function GoalHeader({ goal, onEdit }: { goal: GoalDetail; onEdit: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const remove = useDeleteGoal(goal.id);
  const baselineNote = {
    measured: t('goalsDetail.baselineMeasured'),
    entered: t('goalsDetail.baselineEntered'),
    none: t('goalsDetail.baselineNone'),
  }[goal.baselineSource];
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={1} size="h2">
              {goal.name}
            </Title>
            <Text c="dimmed" size="sm">
              {t(`goalsMetric.${goal.metric}`)} · {goal.unitName ?? t('goals.company')} ·{' '}
              {formatDay(locale, goal.period.from)} — {formatDay(locale, goal.period.to)}
            </Text>
          </Stack>
          <Group gap="xs">
            <StatusBadge status={goal.status} />
            {goal.statusDay && (
              <Text size="xs" c="dimmed">
                {t('goalsList.atDay', { day: formatDay(locale, goal.statusDay) })}
              </Text>
            )}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('goalsDetail.target', { day: formatDay(locale, goal.period.to) })}
            </Text>
            <Text fz={24} fw={700} data-testid="goal-target-value">
              {formatValue(locale, goal.metric, goal.target)}
            </Text>
            {goal.targetSource === 'proposed' && (
              <Text size="xs" c="dimmed">
                {t('goalsDetail.proposed')}
                {goal.targetNote ? `: ${goal.targetNote}` : ''}
              </Text>
            )}
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('goalsDetail.baseline')}
            </Text>
            <Text fz={24} fw={700}>
              {formatValue(locale, goal.metric, goal.baseline)}
            </Text>
            <Text size="xs" c="dimmed">
              {baselineNote}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="xs" c="dimmed">
              {t('goalsDetail.cadence')}
            </Text>
            <Text size="sm">
              {t(`goalsDetail.cadence_${goal.cadence}`)}, {t(`goalsDetail.measure_${goal.measure}`)}
            </Text>
            <Text size="xs" c="dimmed" mt={4}>
              {t('goalsDetail.owners')}:{' '}
              {goal.owners.length === 0
                ? t('goalsDetail.noOwners')
                : goal.owners.map((o) => o.name ?? t('goalsKpi.hidden')).join(', ')}
            </Text>
          </Stack>
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          {t('goals.rule')}
        </Text>
        {goal.canEdit && (
          <Group>
            <Button variant="light" size="xs" onClick={onEdit} data-testid="goal-edit">
              {t('goalsDetail.edit')}
            </Button>
            <Button
              variant="subtle"
              color="red"
              size="xs"
              loading={remove.isPending}
              onClick={() => {
                if (window.confirm(t('goalsDetail.deleteConfirm')))
                  remove.mutate(undefined, { onSuccess: () => navigate('/goals') });
              }}
            >
              {t('goalsDetail.delete')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function Checkpoints({ goal }: { goal: GoalDetail }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('goalsDetail.chartTitle')}
        </Title>
        <Suspense fallback={<Loader size="sm" />}>
          <CheckpointChart checkpoints={goal.checkpoints} metric={goal.metric} locale={locale} />
        </Suspense>
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="checkpoint-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('goalsDetail.checkpoint')}</Table.Th>
                <Table.Th>{t('goalsDetail.days')}</Table.Th>
                <Table.Th>{t('goalsDetail.checkpointTarget')}</Table.Th>
                <Table.Th>{t('goalsDetail.actual')}</Table.Th>
                <Table.Th>{t('goalsList.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {goal.checkpoints.map((c) => (
                <Table.Tr key={c.day} data-day={c.day}>
                  <Table.Td>{formatDay(locale, c.day)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {formatDay(locale, c.window.from)} — {formatDay(locale, c.window.to)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {formatValue(locale, goal.metric, c.target)}
                    {c.edited && (
                      <Badge size="xs" variant="light" ml={6}>
                        {t('goalsDetail.edited')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.status === 'upcoming' ? '—' : <MeasurementText metric={goal.metric} m={c.actual} />}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={c.status} partial={c.partial && c.status !== 'upcoming'} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}

function Verdict({ action }: { action: GoalAction }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  if (!action.after) return <Text size="sm">{t('goalsDetail.notStarted')}</Text>;
  if (!action.change)
    return (
      <Text size="sm" c="dimmed">
        {t('goalsDetail.noVerdict')}
      </Text>
    );
  const c = action.change;
  const color = !c.significant ? 'gray' : c.direction === 'up' ? 'teal' : 'red';
  return (
    <Stack gap={2}>
      <Group gap={6}>
        <Text size="sm" fw={600}>
          {formatDiff(locale, c.diff)}
        </Text>
        <Badge size="sm" color={color} variant="light" data-testid="action-significance">
          {c.significant ? t('goalsDetail.significant') : t('goalsDetail.notSignificant')}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed">
        p = {formatPValue(locale, c.pValue)}
        {action.complete ? '' : ` · ${t('goalsDetail.incomplete')}`}
      </Text>
    </Stack>
  );
}

function Actions({ goal }: { goal: GoalDetail }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const add = useAddAction(goal.id);
  const remove = useDeleteAction(goal.id);
  const units = useCaseUnits();
  const [title, setTitle] = useState('');
  const [day, setDay] = useState('');
  const [unitId, setUnitId] = useState<string | null>(null);
  const [windowDays, setWindowDays] = useState<string | number>(30);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate(
      { title, day, unitId, windowDays: Number(windowDays) },
      {
        onSuccess: () => {
          setTitle('');
          setDay('');
        },
      },
    );
  }

  const side = (m: GoalAction['before']['nps'], d: GoalAction['before']['detractorShare']) => (
    <Stack gap={0}>
      <MeasurementText metric="nps" m={m} showInterval={false} />
      {d.value !== null && (
        <Text size="xs" c="dimmed">
          {t('goalsDetail.detractors', { value: formatValue(locale, 'detractorShare', d.value) })}
        </Text>
      )}
    </Stack>
  );

  return (
    <Card withBorder radius="md" padding="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('goalsDetail.actionsTitle')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('goalsDetail.actionsHint')}
        </Text>
        {goal.actions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('goalsDetail.noActions')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table data-testid="actions-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('goalsDetail.action')}</Table.Th>
                  <Table.Th>{t('goalsDetail.before')}</Table.Th>
                  <Table.Th>{t('goalsDetail.after')}</Table.Th>
                  <Table.Th>{t('goalsDetail.change')}</Table.Th>
                  {goal.canEdit && <Table.Th />}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {goal.actions.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {a.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {formatDay(locale, a.day)}
                        {a.unitName ? ` · ${a.unitName}` : ''} · ±{a.windowDays}
                      </Text>
                    </Table.Td>
                    <Table.Td>{side(a.before.nps, a.before.detractorShare)}</Table.Td>
                    <Table.Td>{a.after ? side(a.after.nps, a.after.detractorShare) : '—'}</Table.Td>
                    <Table.Td>
                      <Verdict action={a} />
                    </Table.Td>
                    {goal.canEdit && (
                      <Table.Td>
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          onClick={() => remove.mutate(a.id)}
                        >
                          {t('goalsDetail.remove')}
                        </Button>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {goal.canEdit && (
          <form onSubmit={submit}>
            <Stack gap="xs">
              {add.error instanceof Error &&
                !fieldError(add.error, 'title', 'day', 'unitId', 'windowDays') && (
                  <ProblemAlert error={add.error} />
                )}
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <TextInput
                  label={t('goalsDetail.actionTitle')}
                  placeholder={t('goalsDetail.actionTitlePlaceholder')}
                  value={title}
                  onChange={(e) => setTitle(e.currentTarget.value)}
                  error={fieldError(add.error, 'title')}
                  required
                  data-testid="action-title"
                />
                <TextInput
                  type="date"
                  label={t('goalsDetail.actionDay')}
                  value={day}
                  onChange={(e) => setDay(e.currentTarget.value)}
                  error={fieldError(add.error, 'day')}
                  required
                  data-testid="action-day"
                />
                <Select
                  label={t('goalsDetail.actionUnit')}
                  data={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                  value={unitId}
                  onChange={setUnitId}
                  error={fieldError(add.error, 'unitId')}
                  clearable
                  searchable
                />
                <NumberInput
                  label={t('goalsDetail.actionWindow')}
                  value={windowDays}
                  onChange={setWindowDays}
                  min={7}
                  max={180}
                  error={fieldError(add.error, 'windowDays')}
                />
              </SimpleGrid>
              <Button
                type="submit"
                size="xs"
                w="fit-content"
                loading={add.isPending}
                data-testid="action-add"
              >
                {t('goalsDetail.addAction')}
              </Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
