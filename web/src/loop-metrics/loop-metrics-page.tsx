/** @module "Loop metrics": is the loop being closed — headline figures with their n, a trend, per unit and per manager. */
import {
  Badge,
  Card,
  Center,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { LoopMetricsExport } from '../exports/table-exports';
import { formatCount, formatShare } from '../format';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import { type Duration, type LoopMetrics, type MetricsRow, type Share, useLoopMetrics } from './api';

const LoopTrendChart = lazy(() => import('./trend-chart').then((m) => ({ default: m.LoopTrendChart })));

const PERIODS = { '30': 30, '90': 90, '365': 365 } as const;
type PeriodKey = keyof typeof PERIODS;

function hours(locale: Locale, h: number | null): string {
  if (h === null) return '—';
  if (h >= 48) {
    return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(h / 24)} ${locale === 'ru' ? 'дн' : 'd'}`;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(h)} ${locale === 'ru' ? 'ч' : 'h'}`;
}

const pct = (locale: Locale, s: Share) => (s.share === null ? '—' : formatShare(locale, s.share));

function SmallN({ n, small }: { n: number; small: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <Text size="xs" c="dimmed">
        n = {n}
      </Text>
      {small && n > 0 && (
        <Tooltip label={t('loopMetrics.smallHint')}>
          <Badge size="xs" color="orange" variant="light">
            {t('loopMetrics.small')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

function Headline({
  label,
  value,
  sub,
  foot,
  testId,
  alarm,
}: {
  label: string;
  value: string;
  sub?: string;
  foot?: ReactNode;
  testId?: string;
  alarm?: boolean;
}) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          {label}
        </Text>
        <Text
          fz={28}
          fw={700}
          c={alarm ? 'orange.8' : undefined}
          lh={1.2}
          data-testid={testId ? `${testId}-value` : undefined}
        >
          {value}
        </Text>
        {sub && <Text size="xs">{sub}</Text>}
        {foot}
      </Stack>
    </Card>
  );
}

function durationSub(t: (k: string, o?: Record<string, unknown>) => string, locale: Locale, d: Duration) {
  return d.p90Hours === null ? undefined : t('loopMetrics.p90', { value: hours(locale, d.p90Hours) });
}

export function LoopMetricsPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [search, setSearch] = useSearchParams();
  const period = (search.get('days') ?? '90') as PeriodKey;
  const grain = search.get('grain') === 'week' ? 'week' : 'month';
  // The server cuts the days in the organisation's zone by its own clock.
  const days = String(PERIODS[period] ?? 90);
  useEffect(() => {
    document.title = `${t('loopMetrics.title')} — ${t('app.name')}`;
  }, [t]);

  const total = useLoopMetrics({ days, groupBy: grain });
  const byUnit = useLoopMetrics({ days, groupBy: 'unit' });
  const byManager = useLoopMetrics({ days, groupBy: 'manager' });

  const m = total.data?.total;
  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Stack gap={2}>
          <Title order={1} size="h2">
            {t('loopMetrics.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {user.role === 'frontline' ? t('loopMetrics.subtitleMine') : t('loopMetrics.subtitle')}
          </Text>
        </Stack>
        <SegmentedControl
          value={PERIODS[period] ? period : '90'}
          onChange={(v) => setSearch({ days: v === '90' ? null : v })}
          data={[
            { value: '30', label: t('loopMetrics.days30') },
            { value: '90', label: t('loopMetrics.days90') },
            { value: '365', label: t('loopMetrics.days365') },
          ]}
        />
      </Group>
      {total.isError && <ProblemAlert error={total.error} onRetry={() => void total.refetch()} />}
      {!m && total.isPending && (
        <Center p="xl">
          <Loader />
        </Center>
      )}
      {m && total.data && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
            <Headline
              testId="metric-contacted"
              label={t('loopMetrics.contacted48')}
              value={pct(locale, m.contactedWithin48h)}
              sub={t('loopMetrics.contactedOf', {
                count: m.contactedWithin48h.count,
                n: m.contactedWithin48h.n,
              })}
              foot={<SmallN n={m.contactedWithin48h.n} small={m.contactedWithin48h.smallSample} />}
            />
            <Headline
              testId="metric-first-contact"
              label={t('loopMetrics.toFirstContact')}
              value={hours(locale, m.timeToFirstContact.medianHours)}
              sub={durationSub(t, locale, m.timeToFirstContact)}
              foot={<SmallN n={m.timeToFirstContact.n} small={m.timeToFirstContact.smallSample} />}
            />
            <Headline
              testId="metric-resolution-time"
              label={t('loopMetrics.toResolution')}
              value={hours(locale, m.timeToResolution.medianHours)}
              sub={durationSub(t, locale, m.timeToResolution)}
              foot={<SmallN n={m.timeToResolution.n} small={m.timeToResolution.smallSample} />}
            />
            <Headline
              testId="metric-overdue"
              label={t('loopMetrics.overdueNow')}
              value={formatCount(locale, total.data.overdueNow)}
              alarm={total.data.overdueNow > 0}
              sub={t('loopMetrics.openOf', { open: m.open, cases: m.cases })}
            />
            <Headline
              testId="metric-resolved"
              label={t('loopMetrics.resolutionRate')}
              value={pct(locale, m.resolutionRate)}
              sub={t('loopMetrics.resolvedOf', { count: m.resolved, n: m.resolutionRate.n })}
              foot={<SmallN n={m.resolutionRate.n} small={m.resolutionRate.smallSample} />}
            />
            <Headline
              testId="metric-closed"
              label={t('loopMetrics.closedRate')}
              value={pct(locale, m.closedRate)}
              foot={<SmallN n={m.closedRate.n} small={m.closedRate.smallSample} />}
            />
            <Headline
              testId="metric-escalated"
              label={t('loopMetrics.escalationRate')}
              value={pct(locale, m.escalationRate)}
              foot={<SmallN n={m.escalationRate.n} small={m.escalationRate.smallSample} />}
            />
            <Headline
              testId="metric-uplift"
              label={t('loopMetrics.uplift')}
              value={
                m.resurvey.meanChange === null
                  ? '—'
                  : new Intl.NumberFormat(locale, {
                      maximumFractionDigits: 1,
                      signDisplay: 'exceptZero',
                    }).format(m.resurvey.meanChange)
              }
              sub={
                m.resurvey.becamePromoters === null
                  ? t('loopMetrics.noResurveys')
                  : t('loopMetrics.upliftSub', {
                      promoters: formatShare(locale, m.resurvey.becamePromoters),
                      passives: formatShare(locale, m.resurvey.becamePassives ?? 0),
                    })
              }
              foot={<SmallN n={m.resurvey.n} small={m.resurvey.smallSample} />}
            />
          </SimpleGrid>
          <Card withBorder radius="md" padding="md">
            <Stack gap="sm">
              <Group justify="space-between" wrap="wrap">
                <Title order={2} size="h4">
                  {t('loopMetrics.trend')}
                </Title>
                <SegmentedControl
                  size="xs"
                  value={grain}
                  onChange={(v) => setSearch({ grain: v === 'month' ? null : v })}
                  data={[
                    { value: 'month', label: t('loopMetrics.byMonth') },
                    { value: 'week', label: t('loopMetrics.byWeek') },
                  ]}
                />
              </Group>
              <Suspense fallback={<Skeleton h={300} />}>
                <LoopTrendChart rows={total.data.rows} locale={locale} />
              </Suspense>
            </Stack>
          </Card>
          <Card withBorder radius="md" padding="md">
            <Tabs defaultValue="unit">
              <Tabs.List>
                <Tabs.Tab value="unit">{t('loopMetrics.perUnit')}</Tabs.Tab>
                <Tabs.Tab value="manager">{t('loopMetrics.perManager')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="unit" pt="sm">
                <GroupTable query={byUnit} locale={locale} noneLabel={t('loopMetrics.noUnit')} />
              </Tabs.Panel>
              <Tabs.Panel value="manager" pt="sm">
                <GroupTable query={byManager} locale={locale} noneLabel={t('cases.nobody')} />
              </Tabs.Panel>
            </Tabs>
          </Card>
        </>
      )}
    </Stack>
  );
}

function GroupTable({
  query,
  locale,
  noneLabel,
}: {
  query: ReturnType<typeof useLoopMetrics>;
  locale: Locale;
  noneLabel: string;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Skeleton h={120} />;
  if (query.isError) return <ProblemAlert error={query.error} />;
  const rows = query.data.rows;
  if (rows.length === 0) return <Text c="dimmed">{t('loopMetrics.noCases')}</Text>;
  const cell = (s: Share) => (
    <Group gap={4} wrap="nowrap">
      <Text size="sm">{pct(locale, s)}</Text>
      <Text size="xs" c={s.smallSample && s.n > 0 ? 'orange.8' : 'dimmed'}>
        ({s.n})
      </Text>
    </Group>
  );
  return (
    <Table.ScrollContainer minWidth={860}>
      <LoopMetricsExport rows={rows} noneLabel={noneLabel} />
      <Table striped verticalSpacing="xs" data-testid="loop-group-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th />
            <Table.Th>{t('loopMetrics.colCases')}</Table.Th>
            <Table.Th>{t('loopMetrics.contacted48')}</Table.Th>
            <Table.Th>{t('loopMetrics.toFirstContact')}</Table.Th>
            <Table.Th>{t('loopMetrics.toResolution')}</Table.Th>
            <Table.Th>{t('loopMetrics.colOverdue')}</Table.Th>
            <Table.Th>{t('loopMetrics.resolutionRate')}</Table.Th>
            <Table.Th>{t('loopMetrics.escalationRate')}</Table.Th>
            <Table.Th>{t('loopMetrics.uplift')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r: MetricsRow & LoopMetrics) => (
            <Table.Tr key={r.key}>
              <Table.Td fw={600}>{r.key === 'none' ? noneLabel : (r.label ?? '—')}</Table.Td>
              <Table.Td>{formatCount(locale, r.cases)}</Table.Td>
              <Table.Td>{cell(r.contactedWithin48h)}</Table.Td>
              <Table.Td>{hours(locale, r.timeToFirstContact.medianHours)}</Table.Td>
              <Table.Td>{hours(locale, r.timeToResolution.medianHours)}</Table.Td>
              <Table.Td c={r.overdue > 0 ? 'orange.8' : undefined}>{formatCount(locale, r.overdue)}</Table.Td>
              <Table.Td>{cell(r.resolutionRate)}</Table.Td>
              <Table.Td>{cell(r.escalationRate)}</Table.Td>
              <Table.Td>
                {r.resurvey.meanChange === null
                  ? '—'
                  : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(r.resurvey.meanChange)} (${r.resurvey.n})`}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
