/** @module "Cases": the list with its filters (kept in the address), and `/cases/{id}` for one case. */
import {
  Anchor,
  Button,
  Card,
  Center,
  Checkbox,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type MouseEvent, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { CasesExport } from '../exports/table-exports';
import { formatInstant } from '../format';
import { ProblemAlert } from '../problem-alert';
import { navigate, useLocation, useSearchParams } from '../router';
import {
  CASE_LEVELS,
  CASE_STATUSES,
  type CaseFilter,
  type CaseView,
  useAssignees,
  useCases,
  useCaseUnits,
} from './api';
import { CaseMarks, caseNumber, DueText, ScoreBadge, StatusBadge } from './case-bits';
import { CaseDetailView } from './case-view';

export const CASES_PATH = '/cases';

/** `/cases/{id}` → the id; `/cases` → null. */
export function caseIdOf(path: string): string | null {
  const match = /^\/cases\/([0-9a-f-]{36})$/i.exec(path);
  return match?.[1] ?? null;
}

function follow(event: MouseEvent, href: string) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(href);
}

export function CasesPage({ user }: { user: User }) {
  const { path } = useLocation();
  const id = caseIdOf(path);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${t('nav.cases')} — ${t('app.name')}`;
  }, [t]);
  if (id) return <CaseDetailView key={id} id={id} user={user} onBack={() => window.history.back()} />;
  return <CaseList user={user} />;
}

function CaseList({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [search, setSearch] = useSearchParams();
  const filter: CaseFilter = {
    status: search.get('status') ?? 'open',
    level: search.get('level') ?? undefined,
    owner: search.get('owner') ?? undefined,
    unitId: search.get('unitId') ?? undefined,
    overdue: search.get('overdue') ?? undefined,
  };
  if (filter.status === 'all') filter.status = undefined;
  const units = useCaseUnits();
  const assignees = useAssignees(user.role === 'owner' || user.role === 'admin');
  const frontline = user.role === 'frontline';

  const set = (name: string) => (value: string | null) => setSearch({ [name]: value || null });

  return (
    <Stack gap="md" maw={1400}>
      <Stack gap={2}>
        <Title order={1} size="h2">
          {t('cases.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {frontline ? t('cases.subtitleMine') : t('cases.subtitle')}
        </Text>
      </Stack>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('caseFilter.status')}
          value={search.get('status') ?? 'open'}
          onChange={(e) => set('status')(e.currentTarget.value === 'open' ? null : e.currentTarget.value)}
          data={[
            { value: 'open', label: t('caseFilter.open') },
            ...CASE_STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
            { value: 'closed', label: t('caseFilter.closed') },
            { value: 'all', label: t('caseFilter.all') },
          ]}
        />
        <NativeSelect
          label={t('caseFilter.level')}
          value={filter.level ?? ''}
          onChange={(e) => set('level')(e.currentTarget.value)}
          data={[
            { value: '', label: t('caseFilter.any') },
            ...CASE_LEVELS.map((l) => ({ value: l, label: t(`caseLevel.${l}`) })),
          ]}
        />
        {!frontline && (
          <NativeSelect
            label={t('caseFilter.unit')}
            value={filter.unitId ?? ''}
            onChange={(e) => set('unitId')(e.currentTarget.value)}
            data={[
              { value: '', label: t('caseFilter.any') },
              ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
            ]}
            maw={260}
          />
        )}
        {!frontline && (
          <NativeSelect
            label={t('caseFilter.owner')}
            value={filter.owner ?? ''}
            onChange={(e) => set('owner')(e.currentTarget.value)}
            data={[
              { value: '', label: t('caseFilter.anyone') },
              { value: 'me', label: t('caseFilter.me') },
              { value: 'none', label: t('caseFilter.nobody') },
              ...(assignees.data ?? []).map((u) => ({ value: u.id, label: u.name ?? u.email })),
            ]}
            maw={260}
          />
        )}
        <Checkbox
          label={t('caseFilter.overdue')}
          checked={filter.overdue === 'true'}
          onChange={(e) => set('overdue')(e.currentTarget.checked ? 'true' : null)}
          mb={8}
        />
      </Group>
      <CaseTable filter={filter} locale={locale} timeZone={user.timeZone} />
    </Stack>
  );
}

/** "Branch › Department": departments of different branches share names. */
function useUnitLabel(): (unit: { id: string; name: string } | null) => string | null {
  const units = useCaseUnits();
  return useMemo(() => {
    const byId = new Map((units.data ?? []).map((u) => [u.id, u]));
    return (unit) => {
      if (!unit) return null;
      const parent = byId.get(byId.get(unit.id)?.parentId ?? '');
      return parent?.parentId ? `${parent.name} › ${unit.name}` : unit.name;
    };
  }, [units.data]);
}

function CaseTable({ filter, locale, timeZone }: { filter: CaseFilter; locale: Locale; timeZone: string }) {
  const { t } = useTranslation();
  const unitLabel = useUnitLabel();
  const query = useCases(filter);
  const isPhone = useMediaQuery('(max-width: 48em)') ?? false;
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  if (query.isPending) {
    return (
      <Center p="lg">
        <Loader />
      </Center>
    );
  }
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (rows.length === 0) {
    return (
      <Text c="dimmed" p="md" data-testid="cases-empty">
        {t('cases.empty')}
      </Text>
    );
  }
  const more = query.hasNextPage && (
    <Button
      variant="light"
      w="fit-content"
      loading={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {t('cases.more')}
    </Button>
  );
  if (isPhone) {
    return (
      <Stack gap="xs">
        {rows.map((c) => (
          <CaseCard key={c.id} c={c} unit={unitLabel(c.unit)} locale={locale} timeZone={timeZone} />
        ))}
        {more}
      </Stack>
    );
  }
  return (
    <Stack gap="xs">
      <CasesExport rows={rows} />
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" highlightOnHover withRowBorders data-testid="cases-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('caseCol.number')}</Table.Th>
              <Table.Th>{t('caseCol.score')}</Table.Th>
              <Table.Th>{t('caseCol.customer')}</Table.Th>
              <Table.Th>{t('caseCol.reason')}</Table.Th>
              <Table.Th>{t('caseCol.unit')}</Table.Th>
              <Table.Th>{t('caseCol.owner')}</Table.Th>
              <Table.Th>{t('caseCol.status')}</Table.Th>
              <Table.Th>{t('caseCol.due')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => (
              <CaseRow key={c.id} c={c} unit={unitLabel(c.unit)} locale={locale} timeZone={timeZone} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {more}
    </Stack>
  );
}

/** On a phone: one card per case, the whole card a link to it. */
function CaseCard({
  c,
  unit,
  locale,
  timeZone,
}: {
  c: CaseView;
  unit: string | null;
  locale: Locale;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const href = `${CASES_PATH}/${c.id}`;
  const open = !['resolved', 'unresolved'].includes(c.status);
  return (
    <Card
      component="a"
      href={href}
      onClick={(e: MouseEvent) => follow(e, href)}
      withBorder
      radius="md"
      padding="sm"
      data-testid="case-row"
      style={{
        borderLeft: `4px solid var(--mantine-color-${open && (c.overdue || c.urgent) ? 'red-6' : 'gray-3'})`,
      }}
    >
      <Stack gap={4}>
        <Group gap={6} wrap="nowrap">
          <ScoreBadge score={c.score} size="md" />
          <Text fw={600} truncate="end">
            {c.customerName ?? t('cases.anonymous')}
          </Text>
          <Text size="xs" c="dimmed" ml="auto">
            {caseNumber(c.number)}
          </Text>
        </Group>
        <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
          {c.reason ?? t('cases.noReason')}
        </Text>
        <Group gap={4}>
          <StatusBadge status={c.status} />
          <CaseMarks view={c} />
        </Group>
        <DueText view={c} locale={locale} timeZone={timeZone} />
        <Text size="xs" c="dimmed">
          {[unit, c.owner?.name].filter(Boolean).join(' · ')}
        </Text>
      </Stack>
    </Card>
  );
}

function CaseRow({
  c,
  unit,
  locale,
  timeZone,
}: {
  c: CaseView;
  unit: string | null;
  locale: Locale;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const href = `${CASES_PATH}/${c.id}`;
  const alarm = c.overdue || c.urgent;
  return (
    <Table.Tr
      data-testid="case-row"
      style={
        alarm && !['resolved', 'unresolved'].includes(c.status)
          ? { boxShadow: 'inset 3px 0 0 var(--mantine-color-red-6)' }
          : undefined
      }
    >
      <Table.Td>
        <Anchor href={href} onClick={(e: MouseEvent) => follow(e, href)} fw={600}>
          {caseNumber(c.number)}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <ScoreBadge score={c.score} size="md" />
      </Table.Td>
      <Table.Td>{c.customerName ?? <Text c="dimmed">{t('cases.anonymous')}</Text>}</Table.Td>
      <Table.Td maw={360}>
        <Text size="sm" lineClamp={2}>
          {c.reason ?? '—'}
        </Text>
        <Text size="xs" c="dimmed">
          {formatInstant(locale, c.answeredAt, timeZone)}
        </Text>
      </Table.Td>
      <Table.Td>{unit ?? '—'}</Table.Td>
      <Table.Td>
        {c.owner?.name ?? <Text c="dimmed">{t('cases.nobody')}</Text>}
        <Text size="xs" c="dimmed">
          {t(`caseLevel.${c.level}`)}
        </Text>
      </Table.Td>
      <Table.Td miw={150}>
        <Group gap={4}>
          <StatusBadge status={c.status} />
          <CaseMarks view={c} />
        </Group>
      </Table.Td>
      <Table.Td>
        <DueText view={c} locale={locale} timeZone={timeZone} />
      </Table.Td>
    </Table.Tr>
  );
}
