/** @module The org's NPS with its 95% interval beside the benchmarks, as horizontal bars (loaded on demand). */
import { Paper, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  LabelList,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Locale } from '../api/types';
import { formatNps } from '../format';
import { axisOf } from './compare';

export interface ChartBar {
  name: string;
  value: number;
  kind: 'you' | 'average' | 'leader' | 'other';
  /** The org's interval, for its own bar. */
  ci95?: [number, number];
  note?: string;
}

const FILL: Record<ChartBar['kind'], string> = {
  you: '#0ca678', // teal.6
  average: '#868e96', // gray.6
  leader: '#4c6ef5', // indigo.6
  other: '#f59f00', // yellow.6
};

export function BenchmarkChart({ bars, locale }: { bars: ChartBar[]; locale: Locale }) {
  const data = bars.map((bar) => ({
    ...bar,
    error: bar.ci95 ? [bar.value - bar.ci95[0], bar.ci95[1] - bar.value] : [0, 0],
  }));
  const you = bars.find((bar) => bar.kind === 'you');
  const low = Math.min(0, ...bars.map((b) => b.ci95?.[0] ?? b.value));
  const high = Math.max(0, ...bars.map((b) => b.ci95?.[1] ?? b.value));
  const { domain, ticks } = axisOf(low, high);
  // On a phone the names get a narrower column (and wrap), so the bars keep most of the width.
  const phone = useMediaQuery('(max-width: 36em)') ?? false;
  return (
    <div style={{ width: '100%', height: 56 + bars.length * 52 }} data-testid="benchmark-chart">
      <ResponsiveContainer>
        <BarChart
          data={data}
          layout="vertical"
          margin={{ top: 8, right: phone ? 36 : 48, bottom: 8, left: phone ? 0 : 8 }}
        >
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis type="number" domain={domain} ticks={ticks} tick={{ fontSize: 12, fill: '#868e96' }} />
          <YAxis
            type="category"
            dataKey="name"
            width={phone ? 96 : 170}
            tick={{ fontSize: phone ? 11 : 13, fill: '#343a40' }}
            interval={0}
          />
          {you?.ci95 && (
            <ReferenceArea
              x1={you.ci95[0]}
              x2={you.ci95[1]}
              fill="#c3fae8"
              fillOpacity={0.6}
              ifOverflow="hidden"
            />
          )}
          <ReferenceLine x={0} stroke="#adb5bd" />
          <Tooltip
            cursor={{ fill: 'rgba(0,0,0,0.04)' }}
            content={({ active, payload }) => {
              const bar = active ? (payload?.[0]?.payload as ChartBar | undefined) : undefined;
              if (!bar) return null;
              return (
                <Paper withBorder shadow="md" p="xs" radius="sm">
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {bar.name}: {formatNps(locale, bar.value)}
                    </Text>
                    {bar.ci95 && (
                      <Text size="xs" c="dimmed">
                        95%: {formatNps(locale, bar.ci95[0])} … {formatNps(locale, bar.ci95[1])}
                      </Text>
                    )}
                    {bar.note && (
                      <Text size="xs" c="dimmed">
                        {bar.note}
                      </Text>
                    )}
                  </Stack>
                </Paper>
              );
            }}
          />
          <Bar dataKey="value" isAnimationActive={false} barSize={26}>
            {data.map((bar) => (
              <Cell key={`${bar.kind}:${bar.name}`} fill={FILL[bar.kind]} />
            ))}
            <ErrorBar dataKey="error" direction="x" width={10} stroke="#087f5b" strokeWidth={2} />
            <LabelList
              dataKey="value"
              position="right"
              offset={10}
              formatter={(value: unknown) => formatNps(locale, Number(value))}
              style={{ fontSize: 13, fontWeight: 600, fill: '#212529' }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
