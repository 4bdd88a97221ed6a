/** @module The forecast of NPS (history, Markov forecast with its 95% band, trend, what-if) and the proposed targets with their reasoning. */
import { Badge, Card, Group, List, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { formatCount, formatNps, formatShare } from '../format';
import type { ForecastReport, ProposedTargets, TargetReason, TargetRow } from './api';
import { ThinData } from './value-tab';

const ForecastChart = lazy(() => import('./forecast-chart').then((m) => ({ default: m.ForecastChart })));

export function ForecastPanel({
  report,
  locale,
  scenarios,
  scenarioId,
  onScenario,
}: {
  report: ForecastReport;
  locale: Locale;
  scenarios: { id: string; name: string }[];
  scenarioId: string | null;
  onScenario: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed">
          {t('economicsForecast.intro', {
            customers: formatCount(locale, report.base.customers),
            nps: formatNps(locale, report.base.nps),
            days: report.stepDays === null ? '—' : days.format(report.stepDays),
          })}
        </Text>
        <Select
          label={t('economicsForecast.whatIf')}
          placeholder={t('economicsForecast.noScenario')}
          clearable
          w={260}
          data={scenarios.map((s) => ({ value: s.id, label: s.name }))}
          value={scenarioId}
          onChange={onScenario}
        />
      </Group>
      {report.insufficient ? (
        <ThinData reason={report.insufficient} />
      ) : (
        <>
          <Suspense fallback={<Skeleton h={320} />}>
            <ForecastChart report={report} />
          </Suspense>
          {report.thinRows.length > 0 && (
            <Text size="xs" c="orange.8">
              {t('economicsForecast.thinRows', {
                rows: report.thinRows.map((s) => t(`economics.segment_${s}`)).join(', '),
              })}
            </Text>
          )}
          {report.longRun && (
            <Text size="sm">
              {t('economicsForecast.longRun', {
                promoter: formatShare(locale, report.longRun.promoter),
                passive: formatShare(locale, report.longRun.passive),
                detractor: formatShare(locale, report.longRun.detractor),
                nps: formatNps(locale, 100 * (report.longRun.promoter - report.longRun.detractor)),
              })}
            </Text>
          )}
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('economicsForecast.method')}
      </Text>
    </Stack>
  );
}

function reasonText(
  t: (k: string, o?: Record<string, unknown>) => string,
  locale: Locale,
  r: TargetReason,
): string {
  const n = (v: number) => formatNps(locale, v);
  switch (r.code) {
    case 'current':
      return t('economicsTargets.reason_current', { nps: n(r.nps), n: r.n });
    case 'forecast':
      return t('economicsTargets.reason_forecast', {
        nps: n(r.nps),
        low: n(r.ci95[0]),
        high: n(r.ci95[1]),
        steps: r.steps,
      });
    case 'loopUplift':
      return t('economicsTargets.reason_loopUplift', { points: n(r.points) });
    case 'bestUnit':
      return t('economicsTargets.reason_bestUnit', { nps: n(r.nps), unit: r.unitName });
    case 'industryLeader':
      return t('economicsTargets.reason_industryLeader', { nps: n(r.nps), industry: r.industry });
    case 'upperBand':
      return t('economicsTargets.reason_upperBand', { nps: n(r.nps) });
    case 'trend':
      return t('economicsTargets.reason_trend', { slope: n(r.slopePerPeriod) });
    default:
      return t('economicsTargets.reason_insufficient');
  }
}

function TargetLine({ row, locale, company }: { row: TargetRow; locale: Locale; company?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Tr>
      <Table.Td fw={company ? 700 : undefined}>{row.name ?? t('economicsTargets.company')}</Table.Td>
      <Table.Td ta="right">{formatCount(locale, row.customers)}</Table.Td>
      <Table.Td ta="right">{formatNps(locale, row.current)}</Table.Td>
      <Table.Td ta="right" fw={600}>
        {formatNps(locale, row.reachable)}
      </Table.Td>
      <Table.Td ta="right" fw={600}>
        {formatNps(locale, row.ambitious)}
      </Table.Td>
      <Table.Td>
        <List size="xs" spacing={0}>
          {row.reasoning.map((r) => (
            <List.Item key={r.code}>{reasonText(t, locale, r)}</List.Item>
          ))}
        </List>
      </Table.Td>
    </Table.Tr>
  );
}

export function TargetsPanel({ targets, locale }: { targets: ProposedTargets; locale: Locale }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" padding="md">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={2} size="h4">
            {t('economicsTargets.title')}
          </Title>
          <Badge variant="light">
            {t(`economicsTargets.horizon_${targets.period}`, { count: targets.periods })}
          </Badge>
        </Group>
        <Table fz="sm" striped data-testid="targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('economicsTargets.unit')}</Table.Th>
              <Table.Th ta="right">{t('economicsTargets.customers')}</Table.Th>
              <Table.Th ta="right">{t('economicsTargets.current')}</Table.Th>
              <Table.Th ta="right">{t('economicsTargets.reachable')}</Table.Th>
              <Table.Th ta="right">{t('economicsTargets.ambitious')}</Table.Th>
              <Table.Th>{t('economicsTargets.reasoning')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <TargetLine row={targets.company} locale={locale} company />
            {targets.units.map((u) => (
              <TargetLine key={u.unitId ?? 'none'} row={u} locale={locale} />
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('economicsTargets.method')}
        </Text>
      </Stack>
    </Card>
  );
}
