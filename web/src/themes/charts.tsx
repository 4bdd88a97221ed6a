/** @module The themes charts: a weekly sparkline per theme, the drivers chart (z-scores with NPS impact) and a theme's trend. */
import { Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale } from '../api/types';
import { formatCount } from '../format';
import type { BreakdownRow, ThemeRow } from './api';

const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

export function Sparkline({ points }: { points: { week: string; mentions: number }[] }) {
  if (points.length < 2) return null;
  return (
    <div style={{ width: 110, height: 28 }} aria-hidden>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
          <YAxis hide domain={[0, 'dataMax']} />
          <Line
            type="monotone"
            dataKey="mentions"
            stroke="#4c6ef5"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

interface DriverPoint {
  name: string;
  z: number;
  impact: number;
  leaning: string;
}

/** Each theme's z-score among detractors (right) against promoters (left), beyond ±1.96 coloured. */
export function DriverChart({ rows, locale }: { rows: ThemeRow[]; locale: Locale }) {
  const { t } = useTranslation();
  const points: DriverPoint[] = rows
    .filter((r) => r.driver && (r.mentions ?? 0) > 0)
    .map((r) => ({
      name: r.name[locale],
      z: Math.round(r.driver!.z * 100) / 100,
      impact: r.impact ?? 0,
      leaning: r.driver!.leaning,
    }))
    .sort((a, b) => b.z - a.z);
  if (points.length === 0) return null;
  // Symmetric around 0 and wide enough to show the ±1.96 lines.
  const reach = Math.max(3, Math.ceil(Math.max(...points.map((p) => Math.abs(p.z)))));
  return (
    <div style={{ width: '100%', height: Math.max(160, points.length * 28 + 40) }} data-testid="driver-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={points} layout="vertical" margin={{ top: 4, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="#e9ecef" />
          <XAxis
            type="number"
            domain={[-reach, reach]}
            ticks={Array.from({ length: 2 * reach + 1 }, (_, i) => i - reach)}
            allowDecimals={false}
            tick={AXIS_TICK}
            label={{ value: t('themesDrivers.axis'), position: 'insideBottom', offset: -8, fontSize: 12 }}
          />
          <YAxis type="category" dataKey="name" width={190} tick={AXIS_TICK} />
          <ReferenceLine x={1.96} stroke="#fa5252" strokeDasharray="4 3" />
          <ReferenceLine x={-1.96} stroke="#12b886" strokeDasharray="4 3" />
          <ReferenceLine x={0} stroke="#adb5bd" />
          <Tooltip
            content={({ active, payload }) => {
              const p = payload?.[0]?.payload as DriverPoint | undefined;
              if (!active || !p) return null;
              return (
                <Paper withBorder shadow="md" p="xs" radius="sm">
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {p.name}
                    </Text>
                    <Text size="sm">z = {p.z}</Text>
                    <Text size="sm">
                      {t('themesDrivers.impact')}: +{p.impact}
                    </Text>
                  </Stack>
                </Paper>
              );
            }}
          />
          <Bar dataKey="z" isAnimationActive={false}>
            {points.map((p) => (
              <Cell
                key={p.name}
                fill={
                  p.leaning === 'detractors' ? '#fa5252' : p.leaning === 'promoters' ? '#12b886' : '#ced4da'
                }
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A theme's mentions per week or month (bars). */
export function ThemeTrend({ rows, locale }: { rows: BreakdownRow[]; locale: Locale }) {
  const { t } = useTranslation();
  return (
    <div style={{ width: '100%', height: 220 }} data-testid="theme-trend">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
          <XAxis dataKey="label" tick={AXIS_TICK} tickLine={false} minTickGap={8} />
          <YAxis allowDecimals={false} tick={AXIS_TICK} tickLine={false} axisLine={false} width={40} />
          <Tooltip formatter={(v) => formatCount(locale, Number(v))} />
          <Bar
            dataKey="complaints"
            stackId="p"
            name={t('themesTable.complaints')}
            fill="#ff8787"
            isAnimationActive={false}
          />
          <Bar
            dataKey="wishes"
            stackId="p"
            name={t('themesTable.wishes')}
            fill="#ffd43b"
            isAnimationActive={false}
          />
          <Bar
            dataKey="praises"
            stackId="p"
            name={t('themesTable.praises')}
            fill="#63e6be"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
