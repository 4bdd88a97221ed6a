/** @module CSV / XLSX of the overview's charts and table: NPS by month, the 0–10 distribution and NPS by branch. */
import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { scoreCells, useScoreColumns } from '../analysis/exports';
import type { Overview } from '../api/types';
import { ExportMenu } from '../exports/export-menu';

export function OverviewExport({
  overview,
  what,
}: {
  overview: Overview;
  what: 'trend' | 'distribution' | 'branches';
}) {
  const { t } = useTranslation();
  const columns = useScoreColumns();
  const employee = overview.audience === 'employee';
  const readme = [
    t('analysisExport.periodLine', { from: overview.from, to: overview.to }),
    window.location.href,
  ];
  const yes = t('analysisExport.yes');
  const withheld = t('analysisBreakdown.hidden');
  if (what === 'distribution') {
    const n = overview.distribution.reduce((a, b) => a + b, 0);
    return (
      <Group justify="flex-end">
        <ExportMenu
          title={t('distribution.title')}
          readme={readme}
          columns={[
            { key: 'score', label: t('analysisExport.score'), type: 'integer' },
            { key: 'answers', label: 'n', type: 'integer' },
            { key: 'share', label: t('analysisExport.share'), type: 'percent' },
          ]}
          rows={overview.distribution.map((count, score) => ({
            score,
            answers: count,
            share: n > 0 ? count / n : null,
          }))}
        />
      </Group>
    );
  }
  const rows = what === 'trend' ? overview.trend.filter((r) => r.n > 0) : overview.byBranch;
  const title =
    what === 'trend'
      ? t(employee ? 'trend.eTitle' : 'trend.title')
      : t(employee ? 'branches.eTitle' : 'branches.title');
  return (
    <Group justify="flex-end">
      <ExportMenu
        title={title}
        readme={readme}
        columns={[
          {
            key: 'group',
            label: what === 'trend' ? t('analysisExport.period') : t('analysisBreakdown.group'),
          },
          ...columns,
        ]}
        rows={rows.map((r) => ({ group: r.label, ...scoreCells(r, yes, withheld) }))}
      />
    </Group>
  );
}
