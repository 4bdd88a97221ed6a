/** @module The recharts charts, loaded on demand so the login page does not pay for them. */
import { Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale, NpsRow } from '../api/types';
import { formatCount, formatMonth, formatNps, formatShare } from '../format';
import { SEGMENT_FILL, segmentOf } from './segment';
import { trendAxis } from './trend-axis';

const LINE = '#0ca678'; // Mantine teal.6
const BAND = '#96f2d7'; // Mantine teal.2
const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

export interface TrendPoint {
  key: string;
  month: string;
  nps: number | null;
  band: [number, number] | null;
  n: number;
  smallSample: boolean;
}

function TooltipBox({ children }: { children: React.ReactNode }) {
  return (
    <Paper withBorder shadow="md" p="xs" radius="sm" style={{ pointerEvents: 'none' }}>
      <Stack gap={2}>{children}</Stack>
    </Paper>
  );
}

export function TrendChart({ trend, locale }: { trend: NpsRow[]; locale: Locale }) {
  const { t } = useTranslation();
  const points: TrendPoint[] = trend.map((row) => ({
    key: row.key,
    month: formatMonth(locale, row.key),
    nps: row.nps,
    band: row.ci95,
    n: row.n,
    smallSample: row.smallSample,
  }));
  const { domain, ticks } = trendAxis(points);
  const [lo, hi] = domain;
  const anySmall = points.some((point) => point.smallSample && point.nps !== null);

  return (
    <Stack gap={4}>
      <div style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
            <XAxis
              dataKey="month"
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={{ stroke: '#dee2e6' }}
              minTickGap={12}
            />
            <YAxis
              domain={domain}
              ticks={ticks}
              interval={0}
              allowDataOverflow
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              tickFormatter={(value: number) => formatNps(locale, value)}
              width={48}
            />
            {lo < 0 && hi > 0 && <ReferenceLine y={0} stroke="#adb5bd" />}
            <Tooltip
              cursor={{ stroke: '#ced4da' }}
              content={({ active, payload }) => {
                const point = payload?.[0]?.payload as TrendPoint | undefined;
                if (!active || !point) return null;
                return (
                  <TooltipBox>
                    <Text size="sm" fw={600}>
                      {formatMonth(locale, point.key, 'long')}
                    </Text>
                    <Text size="sm">
                      {t('chart.nps')}: <b>{formatNps(locale, point.nps)}</b>
                    </Text>
                    {point.band && (
                      <Text size="sm">
                        {t('chart.interval')}: {formatNps(locale, point.band[0])} …{' '}
                        {formatNps(locale, point.band[1])}
                      </Text>
                    )}
                    <Text size="sm">
                      {t('chart.n')}: {formatCount(locale, point.n)}
                    </Text>
                    {point.smallSample && point.n > 0 && (
                      <Text size="xs" c="orange.8">
                        {t('score.smallSample')}
                      </Text>
                    )}
                  </TooltipBox>
                );
              }}
            />
            <Area
              type="monotone"
              dataKey="band"
              name={t('trend.band')}
              stroke="none"
              fill={BAND}
              fillOpacity={0.6}
              isAnimationActive={false}
              activeDot={false}
            />
            <Line
              type="monotone"
              dataKey="nps"
              name={t('chart.nps')}
              stroke={LINE}
              strokeWidth={2.5}
              isAnimationActive={false}
              dot={(props: { cx?: number; cy?: number; index?: number; payload?: TrendPoint }) => {
                const { cx, cy, payload, index } = props;
                if (cx === undefined || cy === undefined || !payload || payload.nps === null) {
                  return <g key={`dot-${index}`} />;
                }
                return (
                  <circle
                    key={`dot-${index}`}
                    cx={cx}
                    cy={cy}
                    r={4}
                    stroke={LINE}
                    strokeWidth={2}
                    fill={payload.smallSample ? '#fff' : LINE}
                  />
                );
              }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <Group gap="md" justify="center">
        <LegendMark color={LINE} label={t('chart.nps')} line />
        <LegendMark color={BAND} label={t('trend.band')} />
        {anySmall && (
          <Text size="xs" c="dimmed">
            {t('trend.smallSampleDot')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

function LegendMark({ color, label, line = false }: { color: string; label: string; line?: boolean }) {
  return (
    <Group gap={6} wrap="nowrap">
      <span
        aria-hidden
        style={{
          width: 16,
          height: line ? 3 : 10,
          background: color,
          borderRadius: 2,
          display: 'inline-block',
        }}
      />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}

const SERIES = [
  { key: 'detractors', segment: 'detractor' },
  { key: 'passives', segment: 'passive' },
  { key: 'promoters', segment: 'promoter' },
] as const;

interface DistributionBar {
  score: number;
  count: number;
  share: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export function DistributionChart({ distribution, locale }: { distribution: number[]; locale: Locale }) {
  const { t } = useTranslation();
  const total = distribution.reduce((sum, count) => sum + count, 0);
  // One stacked bar per score with only its own segment filled: the colours and the legend come
  // from three series instead of per-bar cells.
  const bars: DistributionBar[] = Array.from({ length: 11 }, (_, score) => {
    const count = distribution[score] ?? 0;
    const segment = segmentOf(score);
    return {
      score,
      count,
      share: total > 0 ? count / total : 0,
      promoters: segment === 'promoter' ? count : 0,
      passives: segment === 'passive' ? count : 0,
      detractors: segment === 'detractor' ? count : 0,
    };
  });

  return (
    <div style={{ width: '100%', height: 260 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="15%">
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
          <XAxis
            dataKey="score"
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={{ stroke: '#dee2e6' }}
            interval={0}
          />
          <YAxis
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={false}
            allowDecimals={false}
            tickFormatter={(value: number) => formatCount(locale, value)}
            width={48}
          />
          <Tooltip
            cursor={{ fill: '#f1f3f5' }}
            content={({ active, payload }) => {
              const bar = payload?.[0]?.payload as DistributionBar | undefined;
              if (!active || !bar) return null;
              return (
                <TooltipBox>
                  <Text size="sm" fw={600}>
                    {t('distribution.score', { score: bar.score })}
                  </Text>
                  <Text size="sm">
                    {t('distribution.answers', {
                      count: bar.count,
                      n: formatCount(locale, bar.count),
                      share: formatShare(locale, bar.share),
                    })}
                  </Text>
                </TooltipBox>
              );
            }}
          />
          <Legend iconType="circle" iconSize={10} wrapperStyle={{ fontSize: 12 }} />
          {SERIES.map((series) => (
            <Bar
              key={series.key}
              dataKey={series.key}
              name={t(`segment.${series.key}`)}
              stackId="score"
              fill={SEGMENT_FILL[series.segment]}
              radius={[3, 3, 0, 0]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
