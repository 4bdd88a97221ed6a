/** @module "Benchmarks": the org's customer NPS with its interval beside its industry, its own rows, and drop alerts. */
import { Alert, Group, Paper, SegmentedControl, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale, User } from '../api/types';
import { ExportMenu } from '../exports/export-menu';
import { formatCount, formatNps } from '../format';
import { ALL_TIME_START, monthStart, todayIn } from '../overview/period';
import { ProblemAlert } from '../problem-alert';
import { useSearchParams } from '../router';
import {
  type BenchmarksView,
  type Reference,
  useBenchmarkSets,
  useBenchmarks,
  useChooseIndustry,
} from './api';
import type { ChartBar } from './benchmark-chart';
import { sourcesOf } from './benchmark-note';
import { positionOf } from './compare';
import { DropsSection } from './drops-section';
import { RowsEditor } from './rows-editor';

const BenchmarkChart = lazy(() => import('./benchmark-chart').then((m) => ({ default: m.BenchmarkChart })));

const PERIODS = ['12', '3', 'all'] as const;
type PeriodKey = (typeof PERIODS)[number];

function Section({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={2} size="h4">
            {title}
          </Title>
          {action}
        </Group>
        {children}
      </Stack>
    </Paper>
  );
}

export function BenchmarksPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const [params, setParams] = useSearchParams();
  const period: PeriodKey = (PERIODS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as PeriodKey)
    : '12';
  const today = todayIn(user.timeZone, new Date());
  const from = period === 'all' ? ALL_TIME_START : monthStart(today, period === '3' ? 2 : 11);
  const view = useBenchmarks({ from, to: today });
  const canEdit = user.role === 'owner' || user.role === 'admin';
  useEffect(() => {
    document.title = `${t('benchmarks.title')} — ${t('app.name')}`;
  }, [t]);

  return (
    <Stack gap="lg" maw={1280} mx="auto">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={1} size="h2">
            {t('benchmarks.title')}
          </Title>
          <Text c="dimmed">{t('benchmarks.subtitle')}</Text>
        </div>
        <SegmentedControl
          value={period}
          onChange={(v) => setParams({ period: v === '12' ? null : v })}
          data={[
            { value: '12', label: t('benchmarks.period12') },
            { value: '3', label: t('benchmarks.period3') },
            { value: 'all', label: t('benchmarks.periodAll') },
          ]}
        />
      </Group>
      {view.isError && <ProblemAlert error={view.error} onRetry={() => void view.refetch()} />}
      {!view.data ? (
        <Skeleton h={360} />
      ) : (
        <>
          <Comparison view={view.data} locale={locale} />
          <Section title={t('benchmarksIndustry.title')}>
            <IndustryPicker current={view.data.industry} canEdit={canEdit} locale={locale} />
          </Section>
          <Section title={t('benchmarksRows.title')}>
            <RowsEditor rows={view.data.rows} canEdit={canEdit} />
          </Section>
        </>
      )}
      <Section title={t('benchmarksDrops.title')}>
        <DropsSection canEdit={canEdit} locale={locale} />
      </Section>
    </Stack>
  );
}

function Comparison({ view, locale }: { view: BenchmarksView; locale: Locale }) {
  const { t } = useTranslation();
  const { company, reference } = view;
  // The org's rows that are not already drawn as the industry's average or leader.
  const shown = new Set([reference.average?.id, reference.leader?.id]);
  const others = view.rows.filter((r) => !shown.has(r.id));
  const refBar = (r: Reference, kind: 'average' | 'leader'): ChartBar => ({
    name:
      kind === 'average' ? t('benchmarks.average') : t('benchmarks.leaderNamed', { name: r.name[locale] }),
    value: r.value,
    kind,
    note: `${r.name[locale]} — ${r.source[locale]}, ${r.year ?? t('benchmarks.yearUnknown')}`,
  });
  const bars: ChartBar[] = [
    ...(company.nps !== null && company.ci95
      ? [{ name: t('benchmarks.you'), value: company.nps, kind: 'you' as const, ci95: company.ci95 }]
      : []),
    ...(reference.average ? [refBar(reference.average, 'average')] : []),
    ...(reference.leader ? [refBar(reference.leader, 'leader')] : []),
    ...others.map((r) => ({
      name: r.name,
      value: r.value,
      kind: 'other' as const,
      note: `${r.source}, ${r.year ?? t('benchmarks.yearUnknown')}`,
    })),
  ];
  const sources = [
    sourcesOf(reference, locale, t('benchmarks.yearUnknown')),
    ...others.map((r) => `${r.name}: ${r.source}, ${r.year ?? t('benchmarks.yearUnknown')}`),
  ].filter(Boolean);
  const exportRows = bars.map((b) => ({
    name: b.name,
    value: b.value,
    low: b.ci95?.[0] ?? null,
    high: b.ci95?.[1] ?? null,
    source: b.kind === 'you' ? `${view.from} — ${view.to}, n = ${company.n}` : (b.note ?? ''),
  }));
  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Title order={2} size="h4">
            {t('benchmarks.chartTitle')}
          </Title>
          <ExportMenu
            title={t('benchmarks.exportTitle')}
            disabled={bars.length === 0}
            columns={[
              { key: 'name', label: t('benchmarks.tableName') },
              { key: 'value', label: t('benchmarks.tableValue'), type: 'number' },
              { key: 'low', label: t('benchmarks.tableLow'), type: 'number' },
              { key: 'high', label: t('benchmarks.tableHigh'), type: 'number' },
              { key: 'source', label: t('benchmarks.tableSource') },
            ]}
            rows={exportRows}
            readme={[`${view.from} — ${view.to} (${view.timeZone})`, ...sources]}
          />
        </Group>
        {company.nps === null || !company.ci95 ? (
          <Text c="dimmed">{t('benchmarks.noAnswers')}</Text>
        ) : (
          <Text fw={500} data-testid="benchmark-yours">
            {t('benchmarks.yours', {
              nps: formatNps(locale, company.nps),
              low: formatNps(locale, company.ci95[0]),
              high: formatNps(locale, company.ci95[1]),
              count: company.n,
              formattedCount: formatCount(locale, company.n),
            })}
          </Text>
        )}
        {company.smallSample && company.n > 0 && (
          <Alert color="orange" variant="light" icon={<IconInfoCircle />} py="xs">
            {t('benchmarks.smallSample')}
          </Alert>
        )}
        {!reference.average && !reference.leader && (
          <Alert color="blue" variant="light" icon={<IconInfoCircle />} py="xs">
            {t('benchmarks.noIndustry')}
          </Alert>
        )}
        {bars.length > 0 && (
          <Suspense fallback={<Skeleton h={200} />}>
            <BenchmarkChart bars={bars} locale={locale} />
          </Suspense>
        )}
        {company.ci95 && (
          <Stack gap={2}>
            {bars
              .filter((b) => b.kind !== 'you')
              .map((b) => (
                <Text key={`${b.kind}:${b.name}`} size="sm">
                  {b.name} {formatNps(locale, b.value)}:{' '}
                  {t(`benchmarks.${positionOf(b.value, company.ci95!)}`)}
                </Text>
              ))}
          </Stack>
        )}
        {sources.map((line) => (
          <Text key={line} size="xs" c="dimmed" data-testid="benchmark-source">
            {t('benchmarks.sourceLine', { source: line })}
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}

function IndustryPicker({
  current,
  canEdit,
  locale,
}: {
  current: string | null;
  canEdit: boolean;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const sets = useBenchmarkSets();
  const choose = useChooseIndustry();
  const data = (sets.data?.sets ?? []).map((set) => ({
    group: `${set.source[locale]}${set.year ? `, ${set.year}` : ''}`,
    items: set.rows.map((row) => ({ value: row.key, label: row.industry[locale] })),
  }));
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('benchmarksIndustry.hint')}
      </Text>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('benchmarksIndustry.label')}
          placeholder={t('benchmarksIndustry.placeholder')}
          data={data}
          value={current}
          onChange={(v) => choose.mutate(v)}
          disabled={!canEdit || choose.isPending}
          clearable
          searchable
          w={{ base: '100%', sm: 420 }}
          comboboxProps={{ withinPortal: true }}
        />
        {choose.isSuccess && !choose.isPending && (
          <Text size="sm" c="teal">
            {t('benchmarksIndustry.saved')}
          </Text>
        )}
      </Group>
      {!canEdit && (
        <Text size="xs" c="dimmed">
          {t('benchmarksIndustry.readOnly')}
        </Text>
      )}
      {choose.isError && <ProblemAlert error={choose.error} />}
    </Stack>
  );
}
