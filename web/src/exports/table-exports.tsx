/**
 * @module Export menus for tables of other pages, so each page adds one element: the cases list
 * (`<CasesExport rows={…} />`) and the loop metrics per unit or owner (`<LoopMetricsExport rows={…} />`).
 */
import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseView } from '../cases/api';
import type { MetricsRow } from '../loop-metrics/api';
import { ExportMenu } from './export-menu';

/** The cases on screen (the loaded pages of the list), with their reasons as the customers wrote them. */
export function CasesExport({ rows }: { rows: CaseView[] }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <ExportMenu
        title={t('cases.title')}
        columns={[
          { key: 'number', label: t('caseCol.number'), type: 'integer' },
          { key: 'score', label: t('caseCol.score'), type: 'integer' },
          { key: 'customer', label: t('caseCol.customer') },
          { key: 'reason', label: t('caseCol.reason') },
          { key: 'unit', label: t('caseCol.unit') },
          { key: 'owner', label: t('caseCol.owner') },
          { key: 'status', label: t('caseCol.status') },
          { key: 'level', label: t('benchmarksExport.level') },
          { key: 'answeredAt', label: t('benchmarksExport.answeredAt') },
          { key: 'due', label: t('caseCol.due') },
        ]}
        rows={rows.map((c) => ({
          number: c.number,
          score: c.score,
          customer: c.customerName,
          reason: c.reason,
          unit: c.unit?.name ?? null,
          owner: c.owner?.name ?? null,
          status: t(`caseStatus.${c.status}`),
          level: t(`caseLevel.${c.level}`),
          answeredAt: c.answeredAt,
          due: c.dueAt,
        }))}
      />
    </Group>
  );
}

/** One row per unit or owner: cases, shares (as fractions), median hours, overdue, re-survey uplift. */
export function LoopMetricsExport({ rows, noneLabel }: { rows: MetricsRow[]; noneLabel: string }) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end" mb="xs">
      <ExportMenu
        title={t('loopMetrics.title')}
        columns={[
          { key: 'name', label: t('benchmarksExport.group') },
          { key: 'cases', label: t('loopMetrics.colCases'), type: 'integer' },
          { key: 'contacted', label: t('loopMetrics.contacted48'), type: 'percent' },
          { key: 'firstContactHours', label: `${t('loopMetrics.toFirstContact')}, h`, type: 'number' },
          { key: 'resolutionHours', label: `${t('loopMetrics.toResolution')}, h`, type: 'number' },
          { key: 'overdue', label: t('loopMetrics.colOverdue'), type: 'integer' },
          { key: 'resolved', label: t('loopMetrics.resolutionRate'), type: 'percent' },
          { key: 'escalated', label: t('loopMetrics.escalationRate'), type: 'percent' },
          { key: 'uplift', label: t('loopMetrics.uplift'), type: 'number' },
          { key: 'resurveys', label: `${t('loopMetrics.uplift')}: n`, type: 'integer' },
        ]}
        rows={rows.map((r) => ({
          name: r.key === 'none' ? noneLabel : (r.label ?? '—'),
          cases: r.cases,
          contacted: r.contactedWithin48h.share,
          firstContactHours: r.timeToFirstContact.medianHours,
          resolutionHours: r.timeToResolution.medianHours,
          overdue: r.overdue,
          resolved: r.resolutionRate.share,
          escalated: r.escalationRate.share,
          uplift: r.resurvey.meanChange,
          resurveys: r.resurvey.n,
        }))}
      />
    </Group>
  );
}
