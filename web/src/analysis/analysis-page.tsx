/** @module The Analysis page of one audience: summary, dynamics, drill-down, fair ranking and the answers behind a number. */
import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  CloseButton,
  Drawer,
  Group,
  Loader,
  NumberInput,
  Paper,
  Progress,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconChevronRight, IconFilter, IconLock, IconMessage } from '@tabler/icons-react';
import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CommentsWarning } from '../anonymity/comments-warning';
import { useSurveys } from '../api/queries';
import type { Audience, Locale, User } from '../api/types';
import { type UnitOption, useCaseUnits } from '../cases/api';
import { formatCount, formatDiff, formatNps, formatPValue } from '../format';
import { Filters } from '../overview/filters';
import {
  type DayRange,
  isDay,
  isPeriodChoice,
  type PeriodChoice,
  type Preset,
  presetRange,
  todayIn,
} from '../overview/period';
import { ProblemAlert } from '../problem-alert';
import { navigate, useLocation, useSearchParams } from '../router';
import {
  type Bands,
  type Breakdown,
  type Change,
  type Empty,
  type GroupRow,
  type Mark,
  useAnswers,
  useBands,
  useBreakdown,
  useRanking,
  useSummary,
  useTrend,
} from './api';
import { BreakdownExport, RankingExport, TrendExport } from './exports';
import { apiFilters, DIMENSIONS, FILTER_KEYS, type FilterKey, readView, type View, withParams } from './view';

const DynamicsChart = lazy(() => import('./charts').then((m) => ({ default: m.DynamicsChart })));
const ForestPlot = lazy(() => import('./charts').then((m) => ({ default: m.ForestPlot })));

const DEFAULT_PERIOD: Preset = 'last12Months';
const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
export const ANALYSIS_PATHS = { customer: '/analysis', employee: '/analysis/employees' } as const;

/** What the answers drawer shows: the view's filters narrowed to one group, bucket or segment. */
type Drill = Record<string, string> & { title: string };

export function AnalysisPage({ user }: { user: User }) {
  const { path } = useLocation();
  const audience: Audience = path.startsWith(ANALYSIS_PATHS.employee) ? 'employee' : 'customer';
  return <AudiencePage key={audience} audience={audience} user={user} />;
}

function AudiencePage({ audience, user }: { audience: Audience; user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [params, setParams] = useSearchParams();
  const employee = audience === 'employee';
  const surveys = useSurveys(audience);
  const today = todayIn(user.timeZone, new Date());
  const periodParam = params.get('period');
  const choice: PeriodChoice = isPeriodChoice(periodParam) ? periodParam : DEFAULT_PERIOD;
  const range: DayRange = useMemo(() => {
    const from = params.get('from');
    const to = params.get('to');
    if (choice === 'custom' && isDay(from) && isDay(to) && from <= to) return { from, to };
    return presetRange(choice === 'custom' ? DEFAULT_PERIOD : choice, today);
  }, [choice, params, today]);
  const surveyId = surveys.data?.find((s) => s.id === params.get('survey'))?.id ?? null;
  const view = readView(params, employee);
  const base = apiFilters(view, range, surveyId);
  const [drill, setDrill] = useState<Drill | null>(null);

  const summary = useSummary(audience, base);
  const trend = useTrend(audience, withParams(base, { grain: view.grain }));
  const breakdown = useBreakdown(
    audience,
    withParams(base, { by: view.by, parentId: view.by === 'unit' ? (view.parent ?? undefined) : undefined }),
  );
  const ranking = useRanking(
    audience,
    withParams(base, { of: view.rankOf, level: view.level, minAnswers: view.minAnswers }),
  );
  const bands = useBands(!employee);
  const units = useCaseUnits();

  const heading = employee ? t('analysis.employeeTitle') : t('analysis.customerTitle');
  useEffect(() => {
    document.title = `${heading} — ${t('app.name')}`;
  }, [heading, t]);

  const setFilter = (key: FilterKey, value: string | null) => setParams({ [key]: value });
  // What an exported file says about itself: the page, the period and the view's address (its filters).
  const readme = [
    heading,
    t('analysisExport.periodLine', { from: range.from, to: range.to }),
    window.location.href,
  ];
  const open = (extra: Record<string, string>, title: string) => setDrill({ ...extra, title });

  return (
    <Stack gap="lg" maw={1600} mx="auto">
      <Tabs
        value={audience}
        onChange={(value) => {
          const keep = new URLSearchParams();
          for (const k of ['period', 'from', 'to']) if (params.get(k)) keep.set(k, params.get(k)!);
          navigate(`${ANALYSIS_PATHS[value === 'employee' ? 'employee' : 'customer']}?${keep}`);
        }}
      >
        <Tabs.List>
          <Tabs.Tab value="customer">{t('analysis.customers')}</Tabs.Tab>
          <Tabs.Tab value="employee">{t('analysis.employees')}</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <div>
        <Title order={1} size="h2">
          {heading}
        </Title>
        <Text c="dimmed" size="sm">
          {t('analysis.subtitle')}
        </Text>
      </div>
      {employee && (
        <Alert color="blue" variant="light" icon={<IconLock />} py="xs">
          {t('analysis.anonymity', { count: summary.data?.minGroupSize ?? 5 })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-end" gap="sm">
        <Filters
          audience={audience}
          choice={choice}
          range={range}
          today={today}
          surveyId={surveyId}
          surveys={surveys.data}
          onPeriodChange={(next) =>
            setParams(
              next === 'custom'
                ? { period: 'custom', from: range.from, to: range.to }
                : { period: next === DEFAULT_PERIOD ? null : next, from: null, to: null },
            )
          }
          onRangeChange={(patch) => {
            const next = { ...range, ...patch };
            setParams({ period: 'custom', from: next.from, to: next.to > next.from ? next.to : next.from });
          }}
          onSurveyChange={(id) => setParams({ survey: id })}
        />
        <Select
          label={t('analysisFilters.unit')}
          w={{ base: '100%', xs: 220 }}
          searchable
          value={view.filters.unit ?? ''}
          onChange={(v) => setParams({ unit: v || null, parent: null })}
          data={[
            { value: '', label: t('analysisFilters.any') },
            ...(units.data ?? []).map((u) => ({ value: u.id, label: u.name })),
          ]}
        />
        {!employee && <FacetFilters view={view} bands={bands.data} onChange={setFilter} locale={locale} />}
      </Group>
      <ActiveFilters
        view={view}
        units={units.data}
        onRemove={(k) => setFilter(k, null)}
        onClear={() => setParams(Object.fromEntries([...FILTER_KEYS, 'parent'].map((k) => [k, null])))}
      />

      <Section title={t('analysisSummary.nps')} busy={summary.isFetching}>
        {summary.isError ? (
          <ProblemAlert error={summary.error} onRetry={() => void summary.refetch()} />
        ) : !summary.data ? (
          <Skeleton h={160} />
        ) : summary.data.empty ? (
          <EmptyNote empty={summary.data.empty} count={summary.data.minGroupSize ?? 5} />
        ) : (
          <SummaryCards
            data={summary.data}
            locale={locale}
            onAnswers={(segment) => open(segment ? { segment } : {}, t('analysisAnswers.title'))}
          />
        )}
      </Section>

      <Section
        title={t('analysisTrend.title')}
        busy={trend.isFetching}
        right={
          <SegmentedControl
            size="xs"
            value={view.grain}
            onChange={(g) => setParams({ grain: g === 'month' ? null : g })}
            data={(['week', 'month', 'quarter'] as const).map((g) => ({
              value: g,
              label: t(`analysisTrend.${g}`),
            }))}
          />
        }
        note={
          trend.data &&
          t('analysisSummary.test', { name: trend.data.test.name, alpha: trend.data.test.alpha })
        }
      >
        {trend.isError ? (
          <ProblemAlert error={trend.error} onRetry={() => void trend.refetch()} />
        ) : !trend.data ? (
          <Skeleton h={280} />
        ) : trend.data.buckets.every((b) => b.n === 0) ? (
          <Text c="dimmed">{t('analysisTrend.empty')}</Text>
        ) : (
          <Stack gap="xs">
            <Suspense fallback={<Skeleton h={280} />}>
              <DynamicsChart
                buckets={trend.data.buckets}
                grain={view.grain}
                locale={locale}
                onPick={(b) => open({ bucket: b.key }, `${t('analysisAnswers.title')}: ${b.key}`)}
              />
            </Suspense>
            <TrendExport data={trend.data} readme={readme} />
          </Stack>
        )}
      </Section>

      <Section
        title={t('analysisBreakdown.title')}
        busy={breakdown.isFetching}
        right={
          <Select
            aria-label={t('analysisBreakdown.by')}
            size="xs"
            w={200}
            allowDeselect={false}
            value={view.by}
            onChange={(v) => v && setParams({ by: v === 'unit' ? null : v, parent: null })}
            data={DIMENSIONS.filter((d) => !employee || d === 'unit' || d === 'survey').map((d) => ({
              value: d,
              label: t(`analysisBreakdown.${d}`),
            }))}
          />
        }
        note={breakdown.data && t('analysisBreakdown.markNote', { name: breakdown.data.markTest.name })}
      >
        {breakdown.isError ? (
          <ProblemAlert error={breakdown.error} onRetry={() => void breakdown.refetch()} />
        ) : !breakdown.data ? (
          <Skeleton h={240} />
        ) : (
          <Stack gap="xs">
            <BreakdownTable
              data={breakdown.data}
              locale={locale}
              employee={employee}
              onParent={(id) => setParams({ parent: id })}
              onFilter={(row) => {
                const key: FilterKey | null =
                  breakdown.data.by === 'unit'
                    ? 'unit'
                    : breakdown.data.by === 'survey'
                      ? null
                      : (breakdown.data.by as FilterKey);
                if (breakdown.data.by === 'survey') setParams({ survey: row.key });
                else if (key) setFilter(key, row.key);
              }}
              onAnswers={(row) =>
                open(
                  { groupBy: breakdown.data.by, groupKey: row.key },
                  `${t('analysisAnswers.title')}: ${row.label}`,
                )
              }
            />
            {breakdown.data.rows.length > 0 && <BreakdownExport data={breakdown.data} readme={readme} />}
          </Stack>
        )}
      </Section>

      <Section
        title={t('analysisRanking.title')}
        busy={ranking.isFetching}
        note={t('analysisRanking.note')}
        right={
          <Group gap="xs" wrap="wrap">
            {!employee && (
              <SegmentedControl
                size="xs"
                value={view.rankOf}
                onChange={(v) => setParams({ rank: v === 'unit' ? null : v })}
                data={[
                  { value: 'unit', label: t('analysisRanking.units') },
                  { value: 'employee', label: t('analysisRanking.employees') },
                ]}
              />
            )}
            {view.rankOf === 'unit' && (
              <Select
                aria-label={t('analysisRanking.level')}
                size="xs"
                w={140}
                allowDeselect={false}
                value={view.level}
                onChange={(v) => v && setParams({ level: v === 'branch' ? null : v })}
                data={(['region', 'branch', 'department'] as const).map((l) => ({
                  value: l,
                  label: t(`analysisRanking.${l}`),
                }))}
              />
            )}
            <NumberInput
              aria-label={t('analysisRanking.minAnswers')}
              size="xs"
              w={110}
              min={employee ? 5 : 1}
              max={10000}
              value={view.minAnswers}
              onChange={(v) => typeof v === 'number' && v >= 1 && setParams({ min: String(v) })}
              leftSection={<Text size="xs">n≥</Text>}
            />
          </Group>
        }
      >
        {ranking.isError ? (
          <ProblemAlert error={ranking.error} onRetry={() => void ranking.refetch()} />
        ) : !ranking.data ? (
          <Skeleton h={240} />
        ) : ranking.data.rows.length === 0 ? (
          <Text c="dimmed">
            {ranking.data.empty
              ? t(`analysisEmpty.${ranking.data.empty.reason}`, { count: 5 })
              : t('analysisRanking.empty')}
          </Text>
        ) : (
          <Stack gap="sm">
            <Suspense fallback={<Skeleton h={200} />}>
              <ForestPlot rows={ranking.data.rows} company={ranking.data.company.nps} locale={locale} />
            </Suspense>
            <ScrollArea>
              <Table striped miw={520} fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('analysisRanking.rank')}</Table.Th>
                    <Table.Th>{t('analysisBreakdown.group')}</Table.Th>
                    <Table.Th ta="right">n</Table.Th>
                    <Table.Th ta="right">{t('analysisRanking.shrunk')}</Table.Th>
                    <Table.Th ta="right">{t('analysisRanking.raw')}</Table.Th>
                    <Table.Th>{t('analysisSummary.interval')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {ranking.data.rows.map((r) => (
                    <Table.Tr key={r.key}>
                      <Table.Td>{r.rank}</Table.Td>
                      <Table.Td>
                        {r.label}
                        {r.unitName && (
                          <Text span c="dimmed" size="xs">
                            {' '}
                            · {r.unitName}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{formatCount(locale, r.n)}</Table.Td>
                      <Table.Td ta="right" fw={600}>
                        {formatNps(locale, r.shrunk)}
                      </Table.Td>
                      <Table.Td ta="right" c="dimmed">
                        {formatNps(locale, r.nps)}
                      </Table.Td>
                      <Table.Td>
                        {r.shrunkCi95 &&
                          `${formatNps(locale, r.shrunkCi95[0])} … ${formatNps(locale, r.shrunkCi95[1])}`}
                      </Table.Td>
                      <Table.Td>
                        <MarkBadge mark={r.mark} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            {ranking.data.tooFew.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('analysisRanking.tooFew', {
                  count: ranking.data.minAnswers,
                  names: ranking.data.tooFew
                    .map((g) => (g.n === null ? g.label : `${g.label} (${g.n})`))
                    .join(', '),
                })}
              </Text>
            )}
            <RankingExport data={ranking.data} readme={readme} />
          </Stack>
        )}
      </Section>

      <Text size="xs" c="dimmed">
        {t('analysis.share')}
      </Text>
      <AnswersDrawer
        audience={audience}
        base={base}
        drill={drill}
        onClose={() => setDrill(null)}
        locale={locale}
      />
    </Stack>
  );
}

function Section({
  title,
  note,
  right,
  busy,
  children,
}: {
  title: string;
  note?: ReactNode;
  right?: ReactNode;
  busy?: boolean;
  children: ReactNode;
}) {
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'lg' }}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Group gap="xs">
              <Title order={2} size="h4">
                {title}
              </Title>
              {busy && <Loader size="xs" />}
            </Group>
            {note && (
              <Text size="xs" c="dimmed">
                {note}
              </Text>
            )}
          </div>
          {right}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

function EmptyNote({ empty, count }: { empty: Empty; count: number }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="gray"
      variant="light"
      icon={empty.reason === 'suppressed' ? <IconLock /> : undefined}
      data-testid="empty-state"
    >
      {t(`analysisEmpty.${empty.reason}`, { count })}
    </Alert>
  );
}

function ChangeLine({ label, change, locale }: { label: string; change: Change | null; locale: Locale }) {
  const { t } = useTranslation();
  if (!change) {
    return (
      <Text size="sm" c="dimmed">
        {label}: {t('analysisSummary.noComparison')}
      </Text>
    );
  }
  const colour = change.significant ? (change.diff > 0 ? 'green.8' : 'red.8') : 'dimmed';
  return (
    <Text size="sm" c={colour}>
      {label}: <b>{formatDiff(locale, change.diff)}</b> (p = {formatPValue(locale, change.pValue)},{' '}
      {change.significant ? t('analysisSummary.significant') : t('analysisSummary.notSignificant')})
    </Text>
  );
}

function SummaryCards({
  data,
  locale,
  onAnswers,
}: {
  data: NonNullable<ReturnType<typeof useSummary>['data']>;
  locale: Locale;
  onAnswers: (segment?: string) => void;
}) {
  const { t } = useTranslation();
  const total = data.total;
  const dist = data.distribution ?? [];
  const max = Math.max(1, ...dist);
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
      <Stack gap={2}>
        <Text fz={{ base: 40, xl: 56 }} fw={700} lh={1} data-testid="summary-nps">
          {formatNps(locale, total.nps)}
        </Text>
        {total.ci95 && (
          <Text size="sm">
            {t('analysisSummary.interval')}: {formatNps(locale, total.ci95[0])} …{' '}
            {formatNps(locale, total.ci95[1])}
          </Text>
        )}
        <Text size="sm">
          {t('analysisSummary.answers')}: {formatCount(locale, total.n)}
        </Text>
        {total.smallSample && (
          <Text size="xs" c="orange.8">
            {t('analysisSummary.smallSample')}
          </Text>
        )}
        <Anchor component="button" size="sm" onClick={() => onAnswers()}>
          {t('analysisSummary.showAnswers')}
        </Anchor>
      </Stack>
      <Stack gap={4}>
        <ChangeLine
          label={t('analysisSummary.vsPrevious')}
          change={data.changeFromPrevious}
          locale={locale}
        />
        <ChangeLine label={t('analysisSummary.vsYearAgo')} change={data.changeFromYearAgo} locale={locale} />
        <Text size="xs" c="dimmed">
          {t('analysisSummary.test', { name: data.test.name, alpha: data.test.alpha })}
        </Text>
        {data.responseRate.rate !== null && (
          <Text size="sm">
            {t('analysisSummary.responseRate')}: <b>{formatNps(locale, data.responseRate.rate)}%</b>{' '}
            {data.responseRate.ci95 &&
              `[${formatNps(locale, data.responseRate.ci95[0])}…${formatNps(locale, data.responseRate.ci95[1])}%]`}{' '}
            <Text span size="xs" c="dimmed">
              {t('analysisSummary.responseRateOf', {
                answered: formatCount(locale, data.responseRate.answered ?? 0),
                sent: formatCount(locale, data.responseRate.sent ?? 0),
              })}
            </Text>
          </Text>
        )}
      </Stack>
      <Stack gap={6}>
        {data.shares &&
          (['promoters', 'passives', 'detractors'] as const).map((s) => (
            <Anchor
              key={s}
              component="button"
              c="inherit"
              onClick={() => onAnswers(s.slice(0, -1))}
              style={{ textAlign: 'left' }}
            >
              <Group justify="space-between" gap="xs">
                <Text size="sm">{t(`analysisSummary.${s}`)}</Text>
                <Text size="sm" fw={600}>
                  {formatNps(locale, data.shares![s])}%
                </Text>
              </Group>
              <Progress
                value={data.shares![s]}
                color={s === 'promoters' ? 'teal' : s === 'passives' ? 'yellow' : 'red'}
                size="sm"
              />
            </Anchor>
          ))}
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('analysisSummary.distribution')}
        </Text>
        <Group gap={3} align="flex-end" h={80} wrap="nowrap">
          {SCORES.map((score) => ({ score, c: dist[score] ?? 0 })).map(({ score, c }) => (
            <Tooltip key={score} label={`${score}: ${formatCount(locale, c)}`}>
              <div style={{ flex: 1, textAlign: 'center' }}>
                <div
                  style={{
                    height: `${(64 * c) / max}px`,
                    background: score >= 9 ? '#12b886' : score >= 7 ? '#fcc419' : '#fa5252',
                    borderRadius: 2,
                  }}
                />
                <Text size="10px" c="dimmed">
                  {score}
                </Text>
              </div>
            </Tooltip>
          ))}
        </Group>
      </Stack>
    </SimpleGrid>
  );
}

function MarkBadge({ mark }: { mark: Mark }) {
  const { t } = useTranslation();
  const colour = { above: 'green', below: 'red', not_different: 'gray', too_few: 'gray' }[mark];
  const label = {
    above: t('analysisBreakdown.above'),
    below: t('analysisBreakdown.below'),
    not_different: t('analysisBreakdown.notDifferent'),
    too_few: t('analysisBreakdown.tooFew'),
  }[mark];
  return (
    <Badge color={colour} variant={mark === 'too_few' ? 'outline' : 'light'} size="sm">
      {label}
    </Badge>
  );
}

function BreakdownTable({
  data,
  locale,
  employee,
  onParent,
  onFilter,
  onAnswers,
}: {
  data: Breakdown;
  locale: Locale;
  employee: boolean;
  onParent: (id: string | null) => void;
  onFilter: (row: GroupRow) => void;
  onAnswers: (row: GroupRow) => void;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      {data.by === 'unit' && (
        <Breadcrumbs separator={<IconChevronRight size={14} />} data-testid="breadcrumbs">
          <Anchor component="button" size="sm" onClick={() => onParent(null)}>
            {t('analysisBreakdown.top')}
          </Anchor>
          {data.breadcrumbs.map((b) => (
            <Anchor key={b.id} component="button" size="sm" onClick={() => onParent(b.id)}>
              {b.name}
            </Anchor>
          ))}
        </Breadcrumbs>
      )}
      {data.rows.length === 0 ? (
        data.empty ? (
          <EmptyNote empty={data.empty} count={5} />
        ) : (
          <Text c="dimmed">{t('analysisBreakdown.empty')}</Text>
        )
      ) : (
        <ScrollArea>
          <Table striped highlightOnHover miw={560} fz="sm" data-testid="breakdown-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analysisBreakdown.group')}</Table.Th>
                <Table.Th ta="right">n</Table.Th>
                <Table.Th ta="right">NPS</Table.Th>
                <Table.Th>{t('analysisSummary.interval')}</Table.Th>
                <Table.Th />
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.rows.map((r) => (
                <Table.Tr key={r.key}>
                  <Table.Td>
                    {r.drillable ? (
                      <Anchor
                        component="button"
                        onClick={() => onParent(r.key)}
                        aria-label={t('analysisBreakdown.drill', { name: r.label })}
                      >
                        {r.label} <IconChevronRight size={12} />
                      </Anchor>
                    ) : (
                      r.label
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {r.hidden ? t('analysisBreakdown.hidden') : formatCount(locale, r.n)}
                  </Table.Td>
                  <Table.Td ta="right" fw={600} c={r.smallSample ? 'dimmed' : undefined}>
                    {formatNps(locale, r.nps)}
                  </Table.Td>
                  <Table.Td>
                    {r.ci95 && `${formatNps(locale, r.ci95[0])} … ${formatNps(locale, r.ci95[1])}`}
                  </Table.Td>
                  <Table.Td>
                    <MarkBadge mark={r.mark} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {!(employee && data.by !== 'unit') &&
                        r.key !== '00000000-0000-0000-0000-000000000000' && (
                          <Tooltip label={t('analysisBreakdown.filterBy')}>
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              onClick={() => onFilter(r)}
                              aria-label={t('analysisBreakdown.filterBy')}
                            >
                              <IconFilter size={14} />
                            </Button>
                          </Tooltip>
                        )}
                      {!r.hidden && (
                        <Tooltip label={t('analysisBreakdown.answers')}>
                          <Button
                            size="compact-xs"
                            variant="subtle"
                            onClick={() => onAnswers(r)}
                            aria-label={`${t('analysisBreakdown.answers')}: ${r.label}`}
                          >
                            <IconMessage size={14} />
                          </Button>
                        </Tooltip>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}

function FacetFilters({
  view,
  bands,
  onChange,
  locale,
}: {
  view: View;
  bands: Bands | undefined;
  onChange: (key: FilterKey, value: string | null) => void;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const any = { value: '', label: t('analysisFilters.any') };
  const bandOptions = (facet: 'revenue' | 'visits' | 'tenure') => {
    const bounds = bands?.[facet].bounds ?? [];
    const show = (x: number) => (facet === 'revenue' ? formatCount(locale, x / 100) : String(x));
    const unit = facet === 'revenue' ? ` ${bands?.revenue.currency ?? ''}` : '';
    return [
      any,
      ...Array.from({ length: bounds.length + 1 }, (_, i) => {
        const from = i === 0 ? 0 : bounds[i - 1]!;
        const below = bounds[i];
        const label =
          below === undefined
            ? `${show(from)}+${unit}`
            : facet === 'revenue'
              ? `${show(from)}–${show(below)}${unit}`
              : `${show(from)}–${show(below - 1)}`;
        return { value: String(i), label };
      }),
    ];
  };
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('analysisFilters.channel')}
        w={{ base: '100%', xs: 130 }}
        value={view.filters.channel ?? ''}
        onChange={(v) => onChange('channel', v || null)}
        data={[any, ...['link', 'email', 'sms', 'widget', 'phone'].map((c) => ({ value: c, label: c }))]}
      />
      {(['revenue', 'visits', 'tenure'] as const).map((facet) =>
        facet === 'revenue' && bands && !bands.revenue.hasRevenue ? null : (
          <Select
            key={facet}
            label={t(`analysisFilters.${facet}`)}
            w={{ base: '100%', xs: 170 }}
            value={view.filters[facet] ?? ''}
            onChange={(v) => onChange(facet, v || null)}
            data={bandOptions(facet)}
            disabled={!bands}
          />
        ),
      )}
    </Group>
  );
}

function ActiveFilters({
  view,
  units,
  onRemove,
  onClear,
}: {
  view: View;
  units: UnitOption[] | undefined;
  onRemove: (k: FilterKey) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const active = (Object.entries(view.filters) as [FilterKey, string][]).filter(
    ([k]) => !['channel', 'revenue', 'visits', 'tenure'].includes(k),
  );
  if (active.length === 0) return null;
  return (
    <Group gap="xs" data-testid="active-filters">
      {active.map(([k, v]) => (
        <Badge
          key={k}
          variant="light"
          rightSection={
            <CloseButton
              size="xs"
              aria-label={t('analysisFilters.remove', { name: t(`analysisFilters.${k}`) })}
              onClick={() => onRemove(k)}
            />
          }
        >
          {t(`analysisFilters.${k}`)}:{' '}
          {k === 'unit'
            ? (units?.find((u) => u.id === v)?.name ?? '…')
            : v.length > 20
              ? `${v.slice(0, 8)}…`
              : v || '—'}
        </Badge>
      ))}
      <Anchor component="button" size="xs" onClick={onClear}>
        {t('analysis.clearFilters')}
      </Anchor>
    </Group>
  );
}

function AnswersDrawer({
  audience,
  base,
  drill,
  onClose,
  locale,
}: {
  audience: Audience;
  base: URLSearchParams;
  drill: Drill | null;
  onClose: () => void;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const [withReason, setWithReason] = useState(false);
  const params = drill
    ? withParams(base, {
        ...Object.fromEntries(Object.entries(drill).filter(([k]) => k !== 'title')),
        limit: 30,
        withReason: withReason ? 'true' : undefined,
      })
    : null;
  const answers = useAnswers(audience, params);
  const items = answers.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer
      opened={drill !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={drill?.title}
      closeButtonProps={{ 'aria-label': t('analysisAnswers.close') }}
    >
      <Stack gap="sm" data-testid="answers-drawer">
        <Switch
          label={t('analysisAnswers.withReason')}
          checked={withReason}
          onChange={(e) => setWithReason(e.currentTarget.checked)}
        />
        {answers.isError && <ProblemAlert error={answers.error} onRetry={() => void answers.refetch()} />}
        {audience === 'employee' && items.length > 0 && <CommentsWarning />}
        {answers.isLoading && <Skeleton h={120} />}
        {!answers.isLoading && items.length === 0 && (
          <Text c="dimmed">
            {answers.data?.pages[0]?.empty
              ? t(`analysisEmpty.${answers.data.pages[0].empty.reason}`, { count: 5 })
              : t('analysisAnswers.empty')}
          </Text>
        )}
        {items.map((a) => (
          <Paper key={a.id} withBorder p="xs">
            <Group justify="space-between" gap="xs" wrap="nowrap">
              <Badge
                color={a.segment === 'promoter' ? 'teal' : a.segment === 'passive' ? 'yellow' : 'red'}
                size="lg"
                circle
              >
                {a.score}
              </Badge>
              <Text size="xs" c="dimmed" ta="right">
                {[
                  a.customer,
                  a.unitName,
                  a.employeeName,
                  a.channel,
                  a.service,
                  (a.answeredAt ?? a.answeredOn ?? '').slice(0, 10),
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Group>
            <Text size="sm" mt={4} c={a.reason ? undefined : 'dimmed'} fs={a.reason ? undefined : 'italic'}>
              {a.reason || t('analysisAnswers.noReason')}
            </Text>
          </Paper>
        ))}
        {answers.hasNextPage && (
          <Button
            variant="light"
            onClick={() => void answers.fetchNextPage()}
            loading={answers.isFetchingNextPage}
          >
            {t('analysisAnswers.more')}
          </Button>
        )}
        <Text size="xs" c="dimmed">
          {formatCount(locale, items.length)}
        </Text>
      </Stack>
    </Drawer>
  );
}
