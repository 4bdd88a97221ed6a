/** @module The loop metrics trend: cases opened per month or week (bars) and the share contacted within 48 hours (line). */
import { Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale } from '../api/types';
import { formatCount, formatMonth, formatShare } from '../format';
import type { MetricsRow } from './api';

const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

interface Point {
  key: string;
  label: string;
  cases: number;
  overdue: number;
  contacted: number | null;
  resolved: number | null;
  judged: number;
}

export function LoopTrendChart({ rows, locale }: { rows: MetricsRow[]; locale: Locale }) {
  const { t } = useTranslation();
  const points: Point[] = rows.map((r) => ({
    key: r.key,
    label: /^\d{4}-\d{2}$/.test(r.key) ? formatMonth(locale, r.key) : r.key.replace(/^\d{4}-/, ''),
    cases: r.cases,
    overdue: r.overdue,
    contacted: r.contactedWithin48h.share === null ? null : r.contactedWithin48h.share * 100,
    resolved: r.resolutionRate.share === null ? null : r.resolutionRate.share * 100,
    judged: r.contactedWithin48h.n,
  }));
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="loop-trend">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 4, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
          <XAxis
            dataKey="label"
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={{ stroke: '#dee2e6' }}
            minTickGap={8}
          />
          <YAxis
            yAxisId="n"
            allowDecimals={false}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={40}
          />
          <YAxis
            yAxisId="pct"
            orientation="right"
            domain={[0, 100]}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={44}
            tickFormatter={(v: number) => `${v}%`}
          />
          <Tooltip
            content={({ active, payload }) => {
              const p = payload?.[0]?.payload as Point | undefined;
              if (!active || !p) return null;
              return (
                <Paper withBorder shadow="md" p="xs" radius="sm" style={{ pointerEvents: 'none' }}>
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {p.label}
                    </Text>
                    <Text size="sm">
                      {t('loopMetrics.casesOpened')}: <b>{formatCount(locale, p.cases)}</b>
                    </Text>
                    <Text size="sm">
                      {t('loopMetrics.contacted48')}:{' '}
                      <b>{p.contacted === null ? '—' : formatShare(locale, p.contacted / 100)}</b> (n ={' '}
                      {formatCount(locale, p.judged)})
                    </Text>
                    <Text size="sm">
                      {t('loopMetrics.resolutionRate')}:{' '}
                      <b>{p.resolved === null ? '—' : formatShare(locale, p.resolved / 100)}</b>
                    </Text>
                  </Stack>
                </Paper>
              );
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            yAxisId="n"
            dataKey="cases"
            name={t('loopMetrics.casesOpened')}
            fill="#a5d8ff"
            isAnimationActive={false}
          />
          <Line
            yAxisId="pct"
            type="monotone"
            dataKey="contacted"
            name={t('loopMetrics.contacted48')}
            stroke="#0ca678"
            strokeWidth={2.5}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            yAxisId="pct"
            type="monotone"
            dataKey="resolved"
            name={t('loopMetrics.resolutionRate')}
            stroke="#7048e8"
            strokeWidth={2}
            strokeDasharray="5 3"
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
