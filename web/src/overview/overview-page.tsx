/** @module An NPS overview for one audience: customers or employees, never mixed. */
import {
  Alert,
  Anchor,
  Grid,
  Group,
  Loader,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { IconLock, IconMoodEmpty } from '@tabler/icons-react';
import { lazy, type ReactNode, Suspense, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CommentsWarning } from '../anonymity/comments-warning';
import { type OverviewFilter, useOverview, useSurveys } from '../api/queries';
import type { Audience, Locale, Overview, User } from '../api/types';
import { BenchmarkNote } from '../benchmarks/benchmark-note';
import { ProblemAlert } from '../problem-alert';
import { navigate, useSearchParams } from '../router';
import { BranchTable } from './branch-table';
import { OverviewExport } from './exports';
import { Filters } from './filters';
import { LatestReasons } from './latest-reasons';
import {
  type DayRange,
  isDay,
  isPeriodChoice,
  type PeriodChoice,
  type Preset,
  presetRange,
  todayIn,
} from './period';
import { ScoreCard } from './score-card';

const TrendChart = lazy(() => import('./charts').then((module) => ({ default: module.TrendChart })));
const DistributionChart = lazy(() =>
  import('./charts').then((module) => ({ default: module.DistributionChart })),
);

const DEFAULT_PERIOD: Preset = 'last12Months';

export function OverviewPage({ audience, user }: { audience: Audience; user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [params, setParams] = useSearchParams();
  const surveys = useSurveys(audience);
  const today = todayIn(user.timeZone, new Date());

  const periodParam = params.get('period');
  const choice: PeriodChoice = isPeriodChoice(periodParam) ? periodParam : DEFAULT_PERIOD;
  const surveyParam = params.get('survey');
  // A survey of the other audience (or a stale link) falls back to all surveys of this one.
  const survey = surveys.data?.find((item) => item.id === surveyParam) ?? null;
  const surveyId = surveys.data ? (survey?.id ?? null) : null;

  const range: DayRange = useMemo(() => {
    if (choice === 'custom') {
      const from = params.get('from');
      const to = params.get('to');
      // A hand-edited link with bad dates shows the default period rather than nothing.
      if (isDay(from) && isDay(to) && from <= to) return { from, to };
    }
    return presetRange(choice === 'custom' ? DEFAULT_PERIOD : choice, today);
  }, [choice, params, today]);

  const waitingForSurveys = surveyParam !== null && !surveys.data && !surveys.isError;
  const filter: OverviewFilter | null = !waitingForSurveys ? { audience, surveyId, ...range } : null;
  const overview = useOverview(filter);

  function changePeriod(next: PeriodChoice) {
    if (next === 'custom') {
      setParams({ period: 'custom', from: range.from, to: range.to });
    } else {
      setParams({ period: next === DEFAULT_PERIOD ? null : next, from: null, to: null });
    }
  }

  function changeRange(patch: Partial<DayRange>) {
    let next = { ...range, ...patch };
    if (next.from > next.to)
      next = patch.from ? { from: next.from, to: next.from } : { from: next.to, to: next.to };
    setParams({ period: 'custom', from: next.from, to: next.to });
  }

  const employee = audience === 'employee';
  const heading = employee ? t('overview.employeeTitle') : t('overview.customerTitle');
  useEffect(() => {
    document.title = `${heading} — ${t('app.name')}`;
  }, [heading, t]);
  const data = overview.data?.audience === audience ? overview.data : undefined;

  return (
    <Stack gap="lg" maw={1280} mx="auto">
      <div>
        <Title order={1} size="h2">
          {heading}
        </Title>
        <Text c="dimmed">{employee ? t('overview.employeeSubtitle') : t('overview.customerSubtitle')}</Text>
        <Anchor
          href={employee ? '/analysis/employees' : '/analysis'}
          size="sm"
          onClick={(event) => {
            event.preventDefault();
            const keep = new URLSearchParams();
            for (const k of ['period', 'from', 'to', 'survey'])
              if (params.get(k)) keep.set(k, params.get(k)!);
            navigate(`${employee ? '/analysis/employees' : '/analysis'}?${keep}`);
          }}
        >
          {t('analysis.open')}
        </Anchor>
      </div>

      {employee && (
        <Alert color="blue" variant="light" icon={<IconLock />} py="xs">
          {data ? t('overview.anonymity', { count: data.minGroupSize }) : t('overview.anonymityPending')}
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
          onPeriodChange={changePeriod}
          onRangeChange={changeRange}
          onSurveyChange={(id) => setParams({ survey: id })}
        />
        {overview.isFetching && data && (
          <Group gap="xs" c="dimmed">
            <Loader size="xs" />
            <Text size="sm">{t('overview.updating')}</Text>
          </Group>
        )}
      </Group>

      {surveys.isError && <ProblemAlert error={surveys.error} onRetry={() => void surveys.refetch()} />}

      {overview.isError && !overview.isFetching ? (
        <ProblemAlert error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !data ? (
        <OverviewSkeleton />
      ) : data.total.n === 0 ? (
        <EmptyState title={t('empty.title')} hint={t('empty.hint')} />
      ) : data.total.nps === null ? (
        // eNPS of fewer than minGroupSize answers: the server withholds the figure (anonymity).
        <EmptyState
          title={t('empty.hiddenTitle')}
          hint={t('empty.hiddenHint', { count: data.minGroupSize })}
          icon={<IconLock size={28} />}
        />
      ) : (
        <OverviewContent overview={data} audience={audience} locale={locale} timeZone={user.timeZone} />
      )}
    </Stack>
  );
}

function Section({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="lg" h="100%">
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          {note && (
            <Text size="xs" c="dimmed">
              {note}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

function OverviewContent({
  overview,
  audience,
  locale,
  timeZone,
}: {
  overview: Overview;
  audience: Audience;
  locale: Locale;
  timeZone: string;
}) {
  const { t } = useTranslation();
  const chartFallback = <Skeleton h={260} aria-label={t('chart.loading')} />;
  const months = overview.trend.filter((row) => row.n > 0);
  return (
    <Stack gap="lg">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <ScoreCard overview={overview} audience={audience} />
          {audience === 'customer' && <BenchmarkNote />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Section title={audience === 'employee' ? t('trend.eTitle') : t('trend.title')}>
            {months.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('trend.empty')}
              </Text>
            ) : (
              <Stack gap="xs">
                <Suspense fallback={chartFallback}>
                  <TrendChart trend={overview.trend} locale={locale} />
                </Suspense>
                <OverviewExport overview={overview} what="trend" />
              </Stack>
            )}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section title={t('distribution.title')}>
            <Suspense fallback={chartFallback}>
              <DistributionChart distribution={overview.distribution} locale={locale} />
            </Suspense>
            {overview.total.n > 0 && <OverviewExport overview={overview} what="distribution" />}
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section
            title={audience === 'employee' ? t('branches.eTitle') : t('branches.title')}
            note={
              audience === 'employee' ? t('branches.hidden', { count: overview.minGroupSize }) : undefined
            }
          >
            {overview.byBranch.length === 0 ? (
              <Text c="dimmed" size="sm">
                {t('branches.empty')}
              </Text>
            ) : (
              <>
                <BranchTable rows={overview.byBranch} locale={locale} />
                <OverviewExport overview={overview} what="branches" />
              </>
            )}
          </Section>
        </Grid.Col>
      </Grid>
      <Section title={t('reasons.title')}>
        {overview.latestReasons.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('reasons.empty')}
          </Text>
        ) : (
          <>
            {audience === 'employee' && <CommentsWarning />}
            <LatestReasons
              reasons={overview.latestReasons}
              locale={locale}
              timeZone={timeZone}
              anonymous={audience === 'employee'}
            />
          </>
        )}
      </Section>
    </Stack>
  );
}

function EmptyState({ title, hint, icon }: { title: string; hint: string; icon?: ReactNode }) {
  return (
    <Paper withBorder p="xl">
      <Stack align="center" gap="xs" py="xl">
        <ThemeIcon size={48} radius="xl" variant="light" color="gray">
          {icon ?? <IconMoodEmpty size={28} />}
        </ThemeIcon>
        <Title order={2} size="h4" ta="center">
          {title}
        </Title>
        <Text c="dimmed" ta="center" maw={560}>
          {hint}
        </Text>
      </Stack>
    </Paper>
  );
}

function OverviewSkeleton() {
  return (
    <Grid gap="lg" aria-busy="true">
      <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
        <Skeleton h={360} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
        <Skeleton h={360} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Skeleton h={320} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Skeleton h={320} />
      </Grid.Col>
      <Grid.Col span={12}>
        <Skeleton h={240} />
      </Grid.Col>
    </Grid>
  );
}
