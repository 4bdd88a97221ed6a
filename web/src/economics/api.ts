/** @module The loyalty economics API: segment values, baskets, transitions, move costs, scenarios, forecast, targets, settings. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Locale } from '../api/types';

export type Segment = 'promoter' | 'passive' | 'detractor';
export const SEGMENTS: readonly Segment[] = ['promoter', 'passive', 'detractor'];

export interface Estimate {
  value: number;
  ci95: [number, number];
}

export type Insufficient =
  | 'too_few_customers'
  | 'no_revenue'
  | 'no_churn_history'
  | 'too_few_answers'
  | 'too_few_transitions'
  | 'no_history'
  | 'no_services';

export interface SegmentValue {
  segment: Segment;
  customers: number;
  withRevenue: number;
  lost: number;
  active: number;
  activeRevenuePerYear: number;
  revenuePerYear: Estimate | null;
  retention: Estimate | null;
  expectedLifetimeYears: number | null;
  ltv: Estimate | null;
  insufficient: Insufficient | null;
}

export interface MoneyDifference {
  perCustomer: Estimate | null;
  insufficient: Insufficient | null;
}

export interface RefreshState {
  refreshedAt: string;
  fullAt: string;
  lastFullMs: number | null;
  nextFullAt: string;
  lastKind: 'full' | 'incremental';
  buildingSince: string | null;
  lastError: string | null;
}

export interface ValuesReport {
  asOf: string;
  refreshedAt: string;
  refresh: RefreshState;
  currency: string;
  assumptions: {
    margin: number;
    discountRate: number;
    horizonYears: number;
    churnDays: number;
    windowMonths: number;
    bootstrapSamples: number;
  };
  formula: string;
  segments: SegmentValue[];
  differences: Record<'promoterVsPassive' | 'promoterVsDetractor' | 'passiveVsDetractor', MoneyDifference>;
  atStake: {
    baseValue: number | null;
    atStake: number | null;
    detractorRevenueAtRisk: number | null;
    detractorExpectedLoss: number | null;
  };
  dataQuality: {
    customers: number;
    unanswered: number;
    oneVisit: number;
    withoutRevenue: number;
    refundsMinor: number;
    netNegative: number;
  };
  referrals: {
    available: boolean;
    bySegment: {
      segment: Segment;
      customers: number;
      referrals: number;
      referralsPerCustomer: number | null;
      valuePerCustomer: number | null;
    }[];
    sources: { source: string; customers: number; bySegment: Record<Segment, number> }[];
  };
}

export interface BasketRow {
  service: string;
  bySegment: Record<
    Segment,
    {
      buyers: number;
      share: number | null;
      spendPerBuyer: number | null;
      visitsPerBuyer: number | null;
      spendPerCustomer: number | null;
    }
  >;
  pValue: number | null;
  qValue: number | null;
  significant: boolean;
  promoterMinusDetractor: number | null;
  typicalOf: 'promoter' | 'detractor' | null;
  lowCounts: boolean;
}

export interface BasketsReport {
  currency: string;
  customers: Record<Segment, number>;
  services: BasketRow[];
  omitted: number;
  test: string;
  forecast: {
    shares: Record<Segment, number>;
    source: 'forecast' | 'given';
    rows: {
      service: string;
      buyersShareNow: number;
      buyersShareThen: number;
      spendPerCustomerNow: number;
      spendPerCustomerThen: number;
    }[];
  } | null;
  insufficient: Insufficient | null;
}

export interface MatrixRow {
  from: Segment;
  n: number;
  to: Record<Segment, { p: number; ci95: [number, number] } | null>;
  insufficient: boolean;
}

export interface TransitionsReport {
  transitions: number;
  meanDaysBetween: number | null;
  minRowTransitions: number;
  matrix: MatrixRow[];
  insufficient: Insufficient | null;
  byPeriod: { period: string; transitions: number; matrix: MatrixRow[] }[];
  byUnit: { unitId: string | null; name: string | null; transitions: number; matrix: MatrixRow[] | null }[];
  closedLoop: {
    withCase: { n: number; improved: number; share: number | null };
    withoutCase: { n: number; improved: number; share: number | null };
    difference: number | null;
    pValue: number | null;
  };
}

export interface MoveCostsReport {
  currency: string;
  fromCases: {
    from: Segment;
    to: Segment;
    attempts: number;
    successes: number;
    successRate: Estimate | null;
    costPerAttempt: number | null;
    casesWithCost: number;
    costPerMoved: number | null;
  }[];
  programmes: (Programme & {
    observed: { attempts: number; successes: number };
    successRate: number | null;
    rateSource: 'observed' | 'assumed' | null;
    costPerMoved: number | null;
  })[];
  cheapest: { from: Segment; to: Segment; costPerMoved: number; source: 'programme' | 'cases' }[];
}

export interface ScenarioMove {
  from: Segment;
  to: Segment;
  share: number;
  unitId?: string | null;
  costPerCustomerMinor?: number | null;
}

export interface ScenarioInput {
  name: string;
  budgetMinor?: number | null;
  moves: ScenarioMove[];
  retention: { segment: Segment; points: number; costMinor?: number | null }[];
}

export interface ScenarioState {
  customers: Record<Segment, number>;
  shares: Record<Segment, number> | null;
  nps: number | null;
  revenueNextYear: number | null;
  totalLtv: number | null;
}

export interface ScenarioResult {
  name: string;
  before: ScenarioState;
  after: ScenarioState;
  moved: number;
  revenueChange: number | null;
  ltvChange: number | null;
  cost: number | null;
  unknownCosts: string[];
  budgetMinor: number | null;
  withinBudget: boolean | null;
  roi: number | null;
}

export interface ScenarioComparison {
  currency: string | null;
  results: ScenarioResult[];
}

export interface ForecastStep {
  step: number;
  shares: Record<Segment, number>;
  nps: number;
  npsCi95: [number, number];
}

export interface ForecastReport {
  period: 'month' | 'quarter';
  stepDays: number | null;
  base: { customers: number; shares: Record<Segment, number> | null; nps: number | null };
  insufficient: Insufficient | null;
  thinRows: Segment[];
  markov: ForecastStep[];
  longRun: Record<Segment, number> | null;
  history: { period: string; n: number; nps: number | null }[];
  trend: { slopePerPeriod: number; points: { ahead: number; nps: number; ci95: [number, number] }[] } | null;
  whatIf: { name: string; start: Record<Segment, number>; markov: ForecastStep[] } | null;
}

export type TargetReason =
  | { code: 'current'; nps: number; n: number }
  | { code: 'forecast'; nps: number; ci95: [number, number]; steps: number }
  | { code: 'trend'; slopePerPeriod: number }
  | { code: 'loopUplift'; points: number }
  | { code: 'bestUnit'; nps: number; unitName: string }
  | { code: 'industryLeader'; nps: number; industry: string }
  | { code: 'upperBand'; nps: number }
  | { code: 'insufficient'; reason: string };

export interface TargetRow {
  unitId: string | null;
  name: string | null;
  customers: number;
  current: number | null;
  reachable: number | null;
  ambitious: number | null;
  reasoning: TargetReason[];
}

export interface ProposedTargets {
  period: 'month' | 'quarter';
  periods: number;
  company: TargetRow;
  units: TargetRow[];
}

export interface Settings {
  margin: number;
  discountRate: number;
  churnDays: number;
  horizonYears: number;
  windowMonths: number;
  bootstrapSamples: number;
  forecastPeriod: 'month' | 'quarter';
  version?: number;
  isDefault?: boolean;
}

export interface Programme {
  id: string;
  name: string;
  from: Segment;
  to: Segment;
  costPerCustomerMinor: number;
  assumedSuccessRate: number | null;
}

const query = (unitId: string | null, extra: Record<string, string> = {}) => {
  const params = new URLSearchParams(extra);
  if (unitId) params.set('unitId', unitId);
  const s = params.toString();
  return s ? `?${s}` : '';
};

function useEconomics<T>(path: string, unitId: string | null, extra: Record<string, string> = {}) {
  const q = query(unitId, extra);
  return useQuery({
    queryKey: ['economics', path, q],
    queryFn: ({ signal }) => apiRequest<T>(`/economics/${path}${q}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

export const useValues = (unitId: string | null) => useEconomics<ValuesReport>('values', unitId);
export const useBaskets = (unitId: string | null) => useEconomics<BasketsReport>('baskets', unitId);
export const useTransitions = (unitId: string | null) =>
  useEconomics<TransitionsReport>('transitions', unitId);
export const useMoveCosts = (unitId: string | null) => useEconomics<MoveCostsReport>('move-costs', unitId);
export const useForecast = (unitId: string | null, scenarioId: string | null) =>
  useEconomics<ForecastReport>('forecast', unitId, scenarioId ? { scenarioId } : {});
export const useTargets = (unitId: string | null) => useEconomics<ProposedTargets>('targets', unitId);

export function useSettings() {
  return useQuery({
    queryKey: ['economics', 'settings'],
    queryFn: ({ signal }) => apiRequest<Settings>('/economics/settings', { signal }),
  });
}

export function usePutSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Settings) => apiRequest<Settings>('/economics/settings', { method: 'PUT', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['economics'] }),
  });
}

export function useProgrammes() {
  return useQuery({
    queryKey: ['economics', 'programmes'],
    queryFn: async ({ signal }) =>
      (await apiRequest<{ items: Programme[] }>('/economics/programmes', { signal })).items,
  });
}

export function useAddProgramme() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<Programme, 'id'>) =>
      apiRequest<Programme>('/economics/programmes', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['economics'] }),
  });
}

export function useDeleteProgramme() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/economics/programmes/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['economics'] }),
  });
}

export function useEvaluateScenarios() {
  return useMutation({
    mutationFn: (body: { unitId: string | null; scenarios: ScenarioInput[] }) =>
      apiRequest<ScenarioComparison>('/economics/scenarios/evaluate', { method: 'POST', body }),
  });
}

export function useSaveScenario() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ScenarioInput) =>
      apiRequest<{ id: string }>('/economics/scenarios', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['economics', 'scenarios'] }),
  });
}

export function useSavedScenarios() {
  return useQuery({
    queryKey: ['economics', 'scenarios'],
    queryFn: async ({ signal }) =>
      (
        await apiRequest<{ items: { id: string; name: string; input: ScenarioInput }[] }>(
          '/economics/scenarios',
          { signal },
        )
      ).items,
  });
}

/** Money in minor units as whole roubles (or the org's currency): 1 234 567 ₽. */
export function formatMoney(locale: Locale, minor: number | null, currency: string): string {
  if (minor === null || !Number.isFinite(minor)) return '—';
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
    minor / 100,
  );
}

/** Money with its 95% interval, "12 300 ₽ (10 100–14 500)". */
export function formatMoneyRange(locale: Locale, range: [number, number], currency: string): string {
  const f = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return `${f.format(range[0] / 100)}–${formatMoney(locale, range[1], currency)}`;
}
