/** @module The analysis API of one audience: summary, trend, breakdown, ranking and the answers behind a number. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Audience } from '../api/types';

export type Grain = 'week' | 'month' | 'quarter';
export type Dimension =
  | 'unit'
  | 'employee'
  | 'channel'
  | 'survey'
  | 'service'
  | 'revenue'
  | 'visits'
  | 'tenure';
export type Mark = 'above' | 'below' | 'not_different' | 'too_few';

export interface Row {
  key: string;
  label: string;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  ci95: [number, number] | null;
  moe: number | null;
  smallSample: boolean;
  hidden?: boolean;
}
export interface Change {
  diff: number;
  pValue: number;
  significant: boolean;
}
export interface Empty {
  reason: 'no_surveys' | 'no_units_visible' | 'no_answers' | 'suppressed';
  message: string;
}
export interface Test {
  id: string;
  name: string;
  alpha: number;
}
export interface Summary {
  from: string;
  to: string;
  source: string;
  total: Row;
  shares: { promoters: number; passives: number; detractors: number } | null;
  distribution: number[] | null;
  previous: Row & { from: string; to: string };
  changeFromPrevious: Change | null;
  yearAgo: Row & { from: string; to: string };
  changeFromYearAgo: Change | null;
  test: Test;
  responseRate: {
    sent: number | null;
    answered: number | null;
    rate: number | null;
    ci95: [number, number] | null;
    note: string | null;
  };
  minGroupSize: number | null;
  empty: Empty | null;
}
export interface Bucket extends Row {
  from: string;
  to: string;
  partial: boolean;
  vsPrevious: Change | null;
  vsYearAgo: (Change & { key: string }) | null;
}
export interface Trend {
  grain: Grain;
  source: string;
  test: Test;
  buckets: Bucket[];
  empty: Empty | null;
}
export interface GroupRow extends Row {
  shares: { promoters: number; passives: number; detractors: number } | null;
  mark: Mark;
  pValue: number | null;
  qValue: number | null;
  drillable?: boolean;
  kind?: string;
}
export interface Breakdown {
  by: Dimension;
  source: string;
  breadcrumbs: { id: string; name: string; kind: string }[];
  total: Row;
  rows: GroupRow[];
  markTest: Test;
  minAnswers: number;
  empty: Empty | null;
}
export interface RankRow extends Row {
  rank: number;
  unitName?: string;
  shrunk: number | null;
  shrunkCi95: [number, number] | null;
  pull: number | null;
  mark: Mark;
}
export interface Ranking {
  of: 'unit' | 'employee';
  company: Row;
  mean: number | null;
  minAnswers: number;
  method: string;
  markTest: Test;
  rows: RankRow[];
  tooFew: { key: string; label: string; n: number | null }[];
  empty: Empty | null;
}
export interface Answer {
  id: string;
  score: number;
  segment: 'promoter' | 'passive' | 'detractor';
  reason: string | null;
  answeredAt?: string;
  answeredOn?: string;
  /** The customer's stable pseudonym (C-…): one customer's answers are recognisable without their name. */
  customer?: string | null;
  unitName: string | null;
  employeeName?: string | null;
  channel?: string;
  service?: string | null;
}
export interface AnswerPage {
  items: Answer[];
  nextCursor: string | null;
  empty: Empty | null;
}
export interface Band {
  index: number;
  from: number;
  below: number | null;
}
export interface Bands {
  revenue: { mode: 'quantiles' | 'fixed'; bounds: number[]; hasRevenue: boolean; currency: string };
  visits: { bounds: number[] };
  tenure: { bounds: number[] };
}

const base = (audience: Audience) => `/analytics/${audience === 'customer' ? 'customers' : 'employees'}`;

function useAnalysis<T>(audience: Audience, what: string, params: URLSearchParams | null) {
  return useQuery({
    queryKey: ['analysis', audience, what, params?.toString()],
    queryFn: ({ signal }) => apiRequest<T>(`${base(audience)}/${what}?${params}`, { signal }),
    enabled: params !== null,
    placeholderData: keepPreviousData,
  });
}

export const useSummary = (a: Audience, p: URLSearchParams | null) => useAnalysis<Summary>(a, 'summary', p);
export const useTrend = (a: Audience, p: URLSearchParams | null) => useAnalysis<Trend>(a, 'trend', p);
export const useBreakdown = (a: Audience, p: URLSearchParams | null) =>
  useAnalysis<Breakdown>(a, 'breakdown', p);
export const useRanking = (a: Audience, p: URLSearchParams | null) => useAnalysis<Ranking>(a, 'ranking', p);

export function useBands(enabled: boolean) {
  return useQuery({
    queryKey: ['analysis', 'bands'],
    queryFn: ({ signal }) => apiRequest<Bands>('/analytics/settings', { signal }),
    enabled,
  });
}

export function useAnswers(audience: Audience, params: URLSearchParams | null) {
  return useInfiniteQuery({
    queryKey: ['analysis', audience, 'answers', params?.toString()],
    queryFn: ({ signal, pageParam }) => {
      const p = new URLSearchParams(params ?? undefined);
      if (pageParam) p.set('cursor', pageParam);
      return apiRequest<AnswerPage>(`${base(audience)}/answers?${p}`, { signal });
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: params !== null,
  });
}
