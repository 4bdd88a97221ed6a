/**
 * @module CSV / XLSX of the Analysis page's tables, as the screen shows them: the dynamics (one row per period),
 * the drill-down (one row per group, with its mark against the company) and the fair ranking. A withheld eNPS
 * group is exported as withheld — no count, no score.
 */
import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ExportColumn, ExportMenu, type ExportRow } from '../exports/export-menu';
import type { Breakdown, Mark, Ranking, Row, Trend } from './api';

/** What every exported row has: counts, the score and its interval (an overview or analysis row). */
export type ScoredRow = Pick<
  Row,
  'n' | 'promoters' | 'passives' | 'detractors' | 'nps' | 'ci95' | 'smallSample' | 'hidden'
>;

/** The count and score columns every table shares. */
export function useScoreColumns(): ExportColumn[] {
  const { t } = useTranslation();
  return [
    { key: 'n', label: 'n', type: 'integer' },
    { key: 'promoters', label: t('analysisExport.promoters'), type: 'integer' },
    { key: 'passives', label: t('analysisExport.passives'), type: 'integer' },
    { key: 'detractors', label: t('analysisExport.detractors'), type: 'integer' },
    { key: 'nps', label: 'NPS', type: 'number' },
    { key: 'ciLow', label: t('analysisExport.ciLow'), type: 'number' },
    { key: 'ciHigh', label: t('analysisExport.ciHigh'), type: 'number' },
    { key: 'small', label: t('analysisExport.small') },
  ];
}

export function scoreCells(r: ScoredRow, yes: string, withheld: string): ExportRow {
  if (r.hidden) {
    return {
      n: null,
      promoters: null,
      passives: null,
      detractors: null,
      nps: null,
      ciLow: null,
      ciHigh: null,
      small: withheld,
    };
  }
  return {
    n: r.n,
    promoters: r.promoters,
    passives: r.passives,
    detractors: r.detractors,
    nps: r.nps,
    ciLow: r.ci95?.[0] ?? null,
    ciHigh: r.ci95?.[1] ?? null,
    small: r.smallSample ? yes : '',
  };
}

function useMarkLabel() {
  const { t } = useTranslation();
  const labels: Record<Mark, string> = {
    above: t('analysisBreakdown.above'),
    below: t('analysisBreakdown.below'),
    not_different: t('analysisBreakdown.notDifferent'),
    too_few: t('analysisBreakdown.tooFew'),
  };
  return (mark: Mark) => labels[mark];
}

export function TrendExport({ data, readme }: { data: Trend; readme: string[] }) {
  const { t } = useTranslation();
  const columns = useScoreColumns();
  const yes = t('analysisExport.yes');
  const withheld = t('analysisBreakdown.hidden');
  return (
    <Group justify="flex-end">
      <ExportMenu
        title={t('analysisTrend.title')}
        readme={[...readme, t('analysisSummary.test', { name: data.test.name, alpha: data.test.alpha })]}
        columns={[
          { key: 'period', label: t('analysisExport.period') },
          { key: 'from', label: t('analysisExport.from'), type: 'date' },
          { key: 'to', label: t('analysisExport.to'), type: 'date' },
          ...columns,
          { key: 'change', label: t('analysisExport.change'), type: 'number' },
          { key: 'pValue', label: 'p', type: 'number' },
          { key: 'significant', label: t('analysisExport.significant') },
        ]}
        rows={data.buckets.map((b) => ({
          period: b.partial ? `${b.key} (${t('analysisTrend.partial')})` : b.key,
          from: b.from.slice(0, 10),
          to: b.to.slice(0, 10),
          ...scoreCells(b, yes, withheld),
          change: b.vsPrevious?.diff ?? null,
          pValue: b.vsPrevious?.pValue ?? null,
          significant: b.vsPrevious?.significant ? yes : '',
        }))}
      />
    </Group>
  );
}

export function BreakdownExport({ data, readme }: { data: Breakdown; readme: string[] }) {
  const { t } = useTranslation();
  const columns = useScoreColumns();
  const markOf = useMarkLabel();
  const yes = t('analysisExport.yes');
  const withheld = t('analysisBreakdown.hidden');
  const path = data.breadcrumbs.map((b) => b.name).join(' › ');
  return (
    <Group justify="flex-end">
      <ExportMenu
        title={`${t('analysisBreakdown.title')}: ${t(`analysisBreakdown.${data.by}`)}`}
        readme={[
          ...readme,
          ...(path ? [path] : []),
          t('analysisBreakdown.markNote', { name: data.markTest.name }),
        ]}
        columns={[
          { key: 'group', label: t('analysisBreakdown.group') },
          ...columns,
          { key: 'mark', label: t('analysisExport.mark') },
          { key: 'pValue', label: 'p', type: 'number' },
          { key: 'qValue', label: 'q (BH)', type: 'number' },
        ]}
        rows={[
          ...data.rows.map((r) => ({
            group: r.label,
            ...scoreCells(r, yes, withheld),
            mark: r.hidden ? '' : markOf(r.mark),
            pValue: r.hidden ? null : r.pValue,
            qValue: r.hidden ? null : r.qValue,
          })),
          {
            group: t('analysisExport.total'),
            ...scoreCells(data.total, yes, withheld),
            mark: '',
            pValue: null,
            qValue: null,
          },
        ]}
      />
    </Group>
  );
}

export function RankingExport({ data, readme }: { data: Ranking; readme: string[] }) {
  const { t } = useTranslation();
  const columns = useScoreColumns();
  const markOf = useMarkLabel();
  const yes = t('analysisExport.yes');
  const withheld = t('analysisBreakdown.hidden');
  return (
    <Group justify="flex-end">
      <ExportMenu
        title={t('analysisRanking.title')}
        readme={[...readme, t('analysisRanking.note'), data.method]}
        columns={[
          { key: 'rank', label: t('analysisRanking.rank'), type: 'integer' },
          { key: 'group', label: t('analysisBreakdown.group') },
          { key: 'shrunk', label: t('analysisRanking.shrunk'), type: 'number' },
          {
            key: 'shrunkLow',
            label: `${t('analysisRanking.shrunk')}: ${t('analysisExport.ciLow')}`,
            type: 'number',
          },
          {
            key: 'shrunkHigh',
            label: `${t('analysisRanking.shrunk')}: ${t('analysisExport.ciHigh')}`,
            type: 'number',
          },
          ...columns,
          { key: 'mark', label: t('analysisExport.mark') },
        ]}
        rows={data.rows.map((r) => ({
          rank: r.rank,
          group: r.unitName ? `${r.label} (${r.unitName})` : r.label,
          shrunk: r.shrunk,
          shrunkLow: r.shrunkCi95?.[0] ?? null,
          shrunkHigh: r.shrunkCi95?.[1] ?? null,
          ...scoreCells(r, yes, withheld),
          mark: markOf(r.mark),
        }))}
      />
    </Group>
  );
}
