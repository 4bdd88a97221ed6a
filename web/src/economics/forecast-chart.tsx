/** @module The NPS forecast chart: history, the Markov forecast with its 95% band, the trend and a what-if line. */
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
import type { ForecastReport } from './api';

const AXIS_TICK = { fontSize: 12, fill: '#868e96' };

interface Point {
  label: string;
  history: number | null;
  markov: number | null;
  band: [number, number] | null;
  trend: number | null;
  whatIf: number | null;
}

function nextKeys(last: string, period: 'month' | 'quarter', count: number): string[] {
  const [y, rest] = last.split(/-Q?/).map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    if (period === 'quarter') {
      const q = rest - 1 + i + 1;
      return `${y + Math.floor(q / 4)}-Q${(q % 4) + 1}`;
    }
    const m = rest - 1 + i + 1;
    return `${y + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
  });
}

export function ForecastChart({ report }: { report: ForecastReport }) {
  const { t } = useTranslation();
  const last = report.history.at(-1)?.period ?? '2026-Q1';
  const ahead = nextKeys(
    last,
    report.period,
    Math.max(report.markov.length, report.trend?.points.length ?? 0),
  );
  const points: Point[] = [
    ...report.history.map((h, i) => ({
      label: h.period,
      history: h.nps,
      // The forecast starts where the base is today.
      markov: i === report.history.length - 1 ? report.base.nps : null,
      band: null,
      trend: null,
      whatIf: null,
    })),
    ...ahead.map((label, i) => ({
      label,
      history: null,
      markov: report.markov[i]?.nps ?? null,
      band: report.markov[i]?.npsCi95 ?? null,
      trend: report.trend?.points[i]?.nps ?? null,
      whatIf: report.whatIf?.markov[i]?.nps ?? null,
    })),
  ];
  return (
    <div style={{ width: '100%', height: 320 }} data-testid="forecast-chart">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e9ecef" />
          <XAxis
            dataKey="label"
            tick={AXIS_TICK}
            tickLine={false}
            axisLine={{ stroke: '#dee2e6' }}
            minTickGap={8}
          />
          <YAxis domain={[-100, 100]} tick={AXIS_TICK} tickLine={false} axisLine={false} width={44} />
          <Tooltip
            formatter={(v) =>
              Array.isArray(v) ? v.map((x) => Math.round(Number(x))).join('…') : Math.round(Number(v))
            }
          />
          <Legend />
          <Area
            dataKey="band"
            name={t('economicsForecast.band')}
            stroke="none"
            fill="#228be6"
            fillOpacity={0.15}
            isAnimationActive={false}
          />
          <Line
            dataKey="history"
            name={t('economicsForecast.history')}
            stroke="#495057"
            dot
            connectNulls={false}
            isAnimationActive={false}
          />
          <Line
            dataKey="markov"
            name={t('economicsForecast.markov')}
            stroke="#228be6"
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="trend"
            name={t('economicsForecast.trend')}
            stroke="#fab005"
            strokeDasharray="4 4"
            connectNulls
            isAnimationActive={false}
          />
          {report.whatIf && (
            <Line
              dataKey="whatIf"
              name={report.whatIf.name}
              stroke="#12b886"
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
            />
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
