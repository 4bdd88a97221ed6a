/** @module The analysis charts: dynamics with its band and significance marks (recharts), and a forest plot of a ranking. */
import { Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale } from '../api/types';
import { formatCount, formatDiff, formatMonth, formatNps, formatPValue } from '../format';
import { trendAxis } from '../overview/trend-axis';
import type { Bucket, Grain, RankRow } from './api';

const LINE = '#0ca678';
const BAND = '#96f2d7';
const UP = '#2f9e44';
const DOWN = '#e03131';
const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

/** A bucket key as people read it: a month by name, a week and a quarter as they are written. */
export function bucketLabel(locale: Locale, grain: Grain, key: string): string {
  return grain === 'month' ? formatMonth(locale, key) : key.replace('-', ' ');
}

interface Point {
  key: string;
  label: string;
  nps: number | null;
  band: [number, number] | null;
  bucket: Bucket;
}

export function DynamicsChart({
  buckets,
  grain,
  locale,
  onPick,
}: {
  buckets: Bucket[];
  grain: Grain;
  locale: Locale;
  onPick?: (bucket: Bucket) => void;
}) {
  const { t } = useTranslation();
  const points: Point[] = buckets.map((b) => ({
    key: b.key,
    label: bucketLabel(locale, grain, b.key),
    nps: b.nps,
    band: b.ci95,
    bucket: b,
  }));
  const { domain, ticks } = trendAxis(
    points.map((p) => ({
      nps: p.nps,
      band: p.band,
      n: p.bucket.n,
      smallSample: p.bucket.smallSample,
    })) as never,
  );
  const verdict = (significant: boolean) =>
    significant ? t('analysisSummary.significant') : t('analysisSummary.notSignificant');
  return (
    <Stack gap={4}>
      <div style={{ width: '100%', height: 'clamp(240px, 32vh, 420px)' }} data-testid="dynamics-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={points}
            margin={{ top: 12, right: 12, bottom: 0, left: -12 }}
            onClick={(state) => {
              const index = Number((state as { activeTooltipIndex?: number | string }).activeTooltipIndex);
              const point = Number.isInteger(index) ? points[index] : undefined;
              if (point && onPick) onPick(point.bucket);
            }}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
            <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} minTickGap={12} />
            <YAxis
              domain={domain}
              ticks={ticks}
              interval={0}
              allowDataOverflow
              tick={AXIS_TICK}
              tickLine={false}
              axisLine={false}
              tickFormatter={(v: number) => formatNps(locale, v)}
              width={48}
            />
            {domain[0] < 0 && domain[1] > 0 && <ReferenceLine y={0} stroke="#adb5bd" />}
            <Tooltip
              content={({ active, payload }) => {
                const p = payload?.[0]?.payload as Point | undefined;
                if (!active || !p) return null;
                const b = p.bucket;
                return (
                  <Paper withBorder shadow="md" p="xs" style={{ pointerEvents: 'none' }}>
                    <Stack gap={2}>
                      <Text size="sm" fw={600}>
                        {p.label} {b.partial && `(${t('analysisTrend.partial')})`}
                      </Text>
                      <Text size="sm">
                        NPS <b>{formatNps(locale, b.nps)}</b>
                        {b.ci95 && ` [${formatNps(locale, b.ci95[0])}…${formatNps(locale, b.ci95[1])}]`}
                      </Text>
                      <Text size="sm">n = {formatCount(locale, b.n)}</Text>
                      {b.vsPrevious && (
                        <Text
                          size="sm"
                          c={
                            b.vsPrevious.significant
                              ? b.vsPrevious.diff > 0
                                ? 'green.8'
                                : 'red.8'
                              : 'dimmed'
                          }
                        >
                          {t('analysisSummary.vsPrevious')}: {formatDiff(locale, b.vsPrevious.diff)} (p ={' '}
                          {formatPValue(locale, b.vsPrevious.pValue)}, {verdict(b.vsPrevious.significant)})
                        </Text>
                      )}
                      {b.vsYearAgo && (
                        <Text size="sm" c="dimmed">
                          {t('analysisTrend.vsYearAgo', {
                            diff: formatDiff(locale, b.vsYearAgo.diff),
                            verdict: verdict(b.vsYearAgo.significant),
                          })}
                        </Text>
                      )}
                    </Stack>
                  </Paper>
                );
              }}
            />
            <Area
              dataKey="band"
              stroke="none"
              fill={BAND}
              fillOpacity={0.6}
              isAnimationActive={false}
              activeDot={false}
            />
            <Line
              dataKey="nps"
              stroke={LINE}
              strokeWidth={2.5}
              isAnimationActive={false}
              connectNulls
              dot={(props: { cx?: number; cy?: number; index?: number; payload?: Point }) => {
                const { cx, cy, payload, index } = props;
                if (cx === undefined || cy === undefined || !payload || payload.nps === null) {
                  return <g key={`d${index}`} />;
                }
                const change = payload.bucket.vsPrevious;
                if (change?.significant) {
                  const up = change.diff > 0;
                  const path = up
                    ? `M${cx},${cy - 9} L${cx - 7},${cy + 5} L${cx + 7},${cy + 5} Z`
                    : `M${cx},${cy + 9} L${cx - 7},${cy - 5} L${cx + 7},${cy - 5} Z`;
                  return (
                    <path key={`d${index}`} d={path} fill={up ? UP : DOWN} stroke="#fff" strokeWidth={1}>
                      <title>{up ? t('analysisTrend.up') : t('analysisTrend.down')}</title>
                    </path>
                  );
                }
                return (
                  <circle
                    key={`d${index}`}
                    cx={cx}
                    cy={cy}
                    r={4}
                    stroke={LINE}
                    strokeWidth={2}
                    fill={payload.bucket.smallSample ? '#fff' : LINE}
                  />
                );
              }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <Group gap="md" justify="center">
        <Text size="xs" c="green.8">
          {t('analysisTrend.legendUp')}
        </Text>
        <Text size="xs" c="red.8">
          {t('analysisTrend.legendDown')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('analysisTrend.legendHollow')}
        </Text>
      </Group>
    </Stack>
  );
}

const MARK_COLOUR = { above: UP, below: DOWN, not_different: '#495057', too_few: '#adb5bd' } as const;

/**
 * A forest plot: one line per group, its fair estimate as a filled dot on its 95% interval, the raw score as a small
 * dot, and the company as a dashed line. SVG scales with the width, so it reads on a phone and on a projector.
 */
export function ForestPlot({
  rows,
  company,
  locale,
}: {
  rows: RankRow[];
  company: number | null;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const rowH = 28;
  const labelW = 38; // per cent of the width for names
  const lo = Math.min(-100, ...rows.flatMap((r) => (r.shrunkCi95 ? [r.shrunkCi95[0]] : [])));
  const hi = Math.max(100, ...rows.flatMap((r) => (r.shrunkCi95 ? [r.shrunkCi95[1]] : [])));
  const x = (v: number) => labelW + ((v - lo) / (hi - lo)) * (100 - labelW - 2);
  const height = rows.length * rowH + 24;
  return (
    <svg
      role="img"
      aria-label={t('analysisRanking.title')}
      width="100%"
      height={height}
      style={{ display: 'block', fontSize: 12 }}
      data-testid="forest-plot"
    >
      {[-100, -50, 0, 50, 100].map((v) => (
        <g key={v}>
          <line x1={`${x(v)}%`} x2={`${x(v)}%`} y1={0} y2={height - 18} stroke="#e9ecef" />
          <text x={`${x(v)}%`} y={height - 4} textAnchor="middle" fill="#868e96">
            {formatNps(locale, v)}
          </text>
        </g>
      ))}
      {company !== null && (
        <line
          x1={`${x(company)}%`}
          x2={`${x(company)}%`}
          y1={0}
          y2={height - 18}
          stroke="#1c7ed6"
          strokeDasharray="4 3"
        >
          <title>
            {t('analysisRanking.company')}: {formatNps(locale, company)}
          </title>
        </line>
      )}
      {rows.map((r, i) => {
        const y = i * rowH + rowH / 2;
        const colour = MARK_COLOUR[r.mark];
        return (
          <g key={r.key}>
            <text x="0" y={y + 4} fill="#212529">
              {r.rank}. {r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label}
            </text>
            {r.shrunkCi95 && (
              <line
                x1={`${x(r.shrunkCi95[0])}%`}
                x2={`${x(r.shrunkCi95[1])}%`}
                y1={y}
                y2={y}
                stroke={colour}
                strokeWidth={2}
              />
            )}
            {r.nps !== null && <circle cx={`${x(r.nps)}%`} cy={y} r={3} fill="#fff" stroke="#868e96" />}
            {r.shrunk !== null && (
              <circle cx={`${x(r.shrunk)}%`} cy={y} r={6} fill={colour}>
                <title>
                  {r.label}: {formatNps(locale, r.shrunk)} ({t('analysisRanking.raw')}{' '}
                  {formatNps(locale, r.nps)}, n = {r.n})
                </title>
              </circle>
            )}
          </g>
        );
      })}
    </svg>
  );
}
