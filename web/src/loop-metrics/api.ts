/** @module The loop metrics API: how fast and how well cases are closed, for a period, per unit, per manager, by month. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export interface Share {
  n: number;
  count: number;
  share: number | null;
  ci95: [number, number] | null;
  smallSample: boolean;
}

export interface Duration {
  n: number;
  medianHours: number | null;
  p90Hours: number | null;
  smallSample: boolean;
}

export interface LoopMetrics {
  cases: number;
  open: number;
  resolved: number;
  unresolved: number;
  contactedWithin48h: Share;
  timeToFirstContact: Duration;
  timeToResolution: Duration;
  overdue: number;
  closedRate: Share;
  resolutionRate: Share;
  escalationRate: Share;
  resurvey: {
    n: number;
    meanChange: number | null;
    becamePromoters: number | null;
    becamePassives: number | null;
    smallSample: boolean;
  };
}

export type MetricsGroupBy = 'unit' | 'manager' | 'month' | 'week';

export interface MetricsRow extends LoopMetrics {
  key: string;
  label: string | null;
}

export interface LoopMetricsReport {
  from: string;
  to: string;
  timeZone: string;
  asOf: string;
  groupBy: MetricsGroupBy | null;
  total: LoopMetrics;
  overdueNow: number;
  rows: MetricsRow[];
}

export function useLoopMetrics(query: {
  days?: string;
  from?: string;
  to?: string;
  groupBy?: MetricsGroupBy;
}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  return useQuery({
    queryKey: ['loop-metrics', params.toString()],
    queryFn: ({ signal }) => apiRequest<LoopMetricsReport>(`/loop/metrics?${params}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
