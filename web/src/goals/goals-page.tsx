/** @module "Goals & KPI": the goal list with statuses, a goal's page, the goal editor, and the KPI matrix per level. */
import { Anchor, Button, Center, Group, Loader, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { type MouseEvent, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { formatDay } from '../format';
import { ProblemAlert } from '../problem-alert';
import { navigate, useLocation, useSearchParams } from '../router';
import { type Goal, useGoal, useGoals } from './api';
import { formatValue, MeasurementText, StatusBadge } from './goal-bits';
import { GoalDetailView } from './goal-detail';
import { GoalEditor } from './goal-editor';
import { KpiPanel } from './kpi-panel';

export const GOALS_PATH = '/goals';

/** `/goals/new`, `/goals/{id}`, `/goals/{id}/edit` or the list. */
export function goalRouteOf(path: string): { view: 'list' | 'new' | 'detail' | 'edit'; id: string | null } {
  if (path === `${GOALS_PATH}/new`) return { view: 'new', id: null };
  const match = /^\/goals\/([0-9a-f-]{36})(\/edit)?$/i.exec(path);
  if (match) return { view: match[2] ? 'edit' : 'detail', id: match[1] ?? null };
  return { view: 'list', id: null };
}

function follow(event: MouseEvent, href: string) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(href);
}

export function GoalsPage({ user }: { user: User }) {
  const { t } = useTranslation();
  const { path } = useLocation();
  const route = goalRouteOf(path);
  useEffect(() => {
    document.title = `${t('goals.title')} — ${t('app.name')}`;
  }, [t]);
  if (route.view === 'new') {
    return (
      <GoalEditor
        user={user}
        onDone={(id) => navigate(`/goals/${id}`)}
        onCancel={() => navigate(GOALS_PATH)}
      />
    );
  }
  if (route.view === 'edit' && route.id) return <EditGoal id={route.id} user={user} />;
  if (route.view === 'detail' && route.id) {
    return <GoalDetailView key={route.id} id={route.id} onEdit={() => navigate(`/goals/${route.id}/edit`)} />;
  }
  return <GoalsHome user={user} />;
}

function EditGoal({ id, user }: { id: string; user: User }) {
  const goal = useGoal(id);
  if (goal.isError) return <ProblemAlert error={goal.error} />;
  if (!goal.data) return <Loader />;
  return (
    <GoalEditor
      user={user}
      goal={goal.data}
      onDone={() => navigate(`/goals/${id}`)}
      onCancel={() => navigate(`/goals/${id}`)}
    />
  );
}

function GoalsHome({ user }: { user: User }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'kpi' ? 'kpi' : 'goals';
  const canSet = user.role === 'owner' || user.role === 'admin' || user.role === 'manager';
  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('goals.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('goals.subtitle')}
          </Text>
        </Stack>
        {canSet && tab === 'goals' && (
          <Button
            component="a"
            href="/goals/new"
            onClick={(e: MouseEvent) => follow(e, '/goals/new')}
            data-testid="goal-new"
          >
            {t('goalsList.newGoal')}
          </Button>
        )}
      </Group>
      <Tabs value={tab} onChange={(v) => setSearch({ tab: v === 'kpi' ? 'kpi' : null })}>
        <Tabs.List>
          <Tabs.Tab value="goals">{t('goals.tabGoals')}</Tabs.Tab>
          <Tabs.Tab value="kpi" data-testid="tab-kpi">
            {t('goals.tabKpi')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {tab === 'goals' ? <GoalList /> : <KpiPanel user={user} />}
    </Stack>
  );
}

function GoalList() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const goals = useGoals();
  if (goals.isError) return <ProblemAlert error={goals.error} onRetry={() => void goals.refetch()} />;
  if (!goals.data) {
    return (
      <Center p="xl">
        <Loader />
      </Center>
    );
  }
  if (goals.data.length === 0) {
    return (
      <Text c="dimmed" data-testid="goals-empty">
        {t('goalsList.empty')}
      </Text>
    );
  }
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={880}>
        <Table striped highlightOnHover data-testid="goals-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('goalsList.name')}</Table.Th>
              <Table.Th>{t('goalsList.unit')}</Table.Th>
              <Table.Th>{t('goalsList.period')}</Table.Th>
              <Table.Th>{t('goalsList.target')}</Table.Th>
              <Table.Th>{t('goalsList.now')}</Table.Th>
              <Table.Th>{t('goalsList.status')}</Table.Th>
              <Table.Th>{t('goalsList.owners')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {goals.data.map((g) => (
              <GoalRow key={g.id} goal={g} locale={locale} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text size="xs" c="dimmed" maw={900}>
        {t('goals.rule')}
      </Text>
    </Stack>
  );
}

function GoalRow({ goal, locale }: { goal: Goal; locale: Locale }) {
  const { t } = useTranslation();
  const href = `/goals/${goal.id}`;
  const shown = goal.judged ?? goal.current;
  return (
    <Table.Tr data-testid="goal-row" data-status={goal.status}>
      <Table.Td>
        <Anchor href={href} onClick={(e) => follow(e, href)} fw={500} size="sm">
          {goal.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t(`goalsMetric.${goal.metric}`)}
        </Text>
      </Table.Td>
      <Table.Td>{goal.unitName ?? t('goals.company')}</Table.Td>
      <Table.Td>
        <Text size="sm">
          {formatDay(locale, goal.period.from)} — {formatDay(locale, goal.period.to)}
        </Text>
      </Table.Td>
      <Table.Td>{formatValue(locale, goal.metric, goal.target)}</Table.Td>
      <Table.Td>
        {shown ? (
          <Stack gap={0}>
            <MeasurementText metric={goal.metric} m={shown.actual} showInterval={false} />
            <Text size="xs" c="dimmed">
              {t('goalsList.target')} {formatValue(locale, goal.metric, shown.target)}{' '}
              {shown.partial
                ? t('goalsList.soFar')
                : t('goalsList.atDay', { day: formatDay(locale, shown.day) })}
            </Text>
          </Stack>
        ) : (
          '—'
        )}
      </Table.Td>
      <Table.Td>
        <StatusBadge status={goal.status} />
      </Table.Td>
      <Table.Td>
        <Text size="xs">{goal.owners.map((o) => o.name ?? t('goalsKpi.hidden')).join(', ') || '—'}</Text>
      </Table.Td>
    </Table.Tr>
  );
}
