/** @module A goal's checkpoints: the target line, the actual value with its 95% interval band (recharts, loaded on demand). */
import { Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Area,
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
import { formatDay } from '../format';
import type { Checkpoint, GoalMetric } from './api';
import { formatValue } from './goal-bits';

const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

interface Point {
  day: string;
  label: string;
  target: number;
  actual: number | null;
  band: [number, number] | null;
  n: number | null;
  partial: boolean;
}

export function CheckpointChart({
  checkpoints,
  metric,
  locale,
}: {
  checkpoints: Checkpoint[];
  metric: GoalMetric;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const points: Point[] = checkpoints.map((c) => ({
    day: c.day,
    label: formatDay(locale, c.day),
    target: c.target,
    actual: c.actual?.value ?? null,
    band: c.actual?.ci95 ?? null,
    n: c.actual?.n ?? null,
    partial: c.partial,
  }));
  const values = points.flatMap((p) => [
    p.target,
    ...(p.band ?? []),
    ...(p.actual === null ? [] : [p.actual]),
  ]);
  const [min, max] = metric === 'nps' ? [-100, 100] : [0, 100];
  // Round to tens with some air, and never narrower than 20 points, so a flat target line is not magnified.
  let lo = Math.max(min, Math.floor((Math.min(...values) - 5) / 10) * 10);
  let hi = Math.min(max, Math.ceil((Math.max(...values) + 5) / 10) * 10);
  if (hi - lo < 20) {
    lo = Math.max(min, lo - 10);
    hi = Math.min(max, lo + 20);
  }
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="checkpoint-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
          <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} axisLine={{ stroke: '#dee2e6' }} />
          <YAxis
            domain={[lo, hi]}
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            width={48}
            tickFormatter={(v: number) => formatValue(locale, metric, v)}
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
                      {p.partial ? ` (${t('goalsDetail.partial')})` : ''}
                    </Text>
                    <Text size="sm">
                      {t('goalsDetail.chartTarget')}: <b>{formatValue(locale, metric, p.target)}</b>
                    </Text>
                    <Text size="sm">
                      {t('goalsDetail.chartActual')}:{' '}
                      <b>
                        {p.actual === null ? t('goals.notEnough') : formatValue(locale, metric, p.actual)}
                      </b>
                      {p.n !== null ? ` (n = ${p.n})` : ''}
                    </Text>
                    {p.band && (
                      <Text size="xs" c="dimmed">
                        {t('goalsDetail.chartBand')}: {formatValue(locale, metric, p.band[0])} …{' '}
                        {formatValue(locale, metric, p.band[1])}
                      </Text>
                    )}
                  </Stack>
                </Paper>
              );
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Area
            dataKey="band"
            name={t('goalsDetail.chartBand')}
            stroke="none"
            fill="#a5d8ff"
            fillOpacity={0.6}
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="target"
            name={t('goalsDetail.chartTarget')}
            stroke="#868e96"
            strokeWidth={2}
            strokeDasharray="6 4"
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
          <Line
            dataKey="actual"
            name={t('goalsDetail.chartActual')}
            stroke="#1c7ed6"
            strokeWidth={2.5}
            dot={{ r: 4 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
