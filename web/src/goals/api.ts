/** @module The goals API: goals with their checkpoints and actions, owner candidates, KPI matrices and KPI scores. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export type GoalMetric = 'nps' | 'detractorShare' | 'responseRate' | 'contactedWithin48h' | 'resolutionRate';
export const GOAL_METRICS: GoalMetric[] = [
  'nps',
  'detractorShare',
  'responseRate',
  'contactedWithin48h',
  'resolutionRate',
];
export type GoalStatus = 'on_track' | 'at_risk' | 'off_track' | 'not_enough_data';
export type Level = 'frontline' | 'middle' | 'top';
export type PeriodKind = 'quarter' | 'half' | 'year' | 'custom';
export type Cadence = 'month' | 'quarter' | 'custom';

/** A measured value in the metric's points (NPS) or percent; `value` is null with too few answers. */
export interface Measurement {
  value: number | null;
  ci95: [number, number] | null;
  n: number;
  smallSample: boolean;
}

export interface Checkpoint {
  day: string;
  target: number;
  edited: boolean;
  window: { from: string; to: string };
  actual: Measurement | null;
  status: GoalStatus | 'upcoming';
  partial: boolean;
}

export interface GoalAction {
  id: string;
  title: string;
  day: string;
  unitId: string | null;
  unitName: string | null;
  windowDays: number;
  before: { from: string; to: string; nps: Measurement; detractorShare: Measurement };
  after: { from: string; to: string; nps: Measurement; detractorShare: Measurement } | null;
  complete: boolean;
  change: { diff: number; pValue: number; significant: boolean; direction: 'up' | 'down' | 'flat' } | null;
}

export interface Goal {
  id: string;
  name: string;
  unitId: string | null;
  unitName: string | null;
  metric: GoalMetric;
  period: { kind: PeriodKind; from: string; to: string };
  cadence: Cadence;
  measure: 'window' | 'cumulative';
  baseline: number | null;
  baselineSource: 'entered' | 'measured' | 'none';
  target: number;
  targetSource: 'entered' | 'proposed';
  targetNote: string | null;
  version: number;
  owners: { userId: string; name: string | null; role: string }[];
  status: GoalStatus | 'upcoming';
  statusDay: string | null;
  current: Checkpoint | null;
  judged: Checkpoint | null;
  canEdit: boolean;
}

export interface GoalDetail extends Goal {
  checkpoints: Checkpoint[];
  actions: GoalAction[];
}

export interface GoalInput {
  name: string;
  unitId: string | null;
  metric: GoalMetric;
  period: { kind: PeriodKind; from: string; to?: string };
  cadence: Cadence;
  checkpoints?: { day: string; target?: number | null }[];
  measure: 'window' | 'cumulative';
  baseline?: number | null;
  target: number;
  targetSource?: 'entered' | 'proposed';
  targetNote?: string | null;
  ownerIds: string[];
}

export interface KpiItem {
  metric: GoalMetric;
  weight: number;
  target: number;
}

export interface Matrix {
  level: Level;
  items: KpiItem[];
  version: number;
  isDefault: boolean;
}

export interface KpiRow {
  userId: string;
  name: string | null;
  role: string;
  units: string[];
  kpis: (KpiItem & { actual: Measurement; status: GoalStatus })[];
  score: number | null;
  judgedWeight: number;
  status: GoalStatus;
}

export interface KpiScores {
  from: string;
  to: string;
  levels: { level: Level; matrix: Matrix; rows: KpiRow[] }[];
}

export interface Candidate {
  userId: string;
  name: string | null;
  role: string;
  level: Level;
}

export function useGoals() {
  return useQuery({
    queryKey: ['goals'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: Goal[] }>('/goals', { signal })).items,
    staleTime: 30_000,
  });
}

export function useGoal(id: string | null) {
  return useQuery({
    queryKey: ['goals', id],
    queryFn: ({ signal }) => apiRequest<GoalDetail>(`/goals/${id}`, { signal }),
    enabled: id !== null,
    staleTime: 30_000,
  });
}

export function useOwnerCandidates(unitId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['goals', 'owner-candidates', unitId],
    queryFn: async ({ signal }) =>
      (
        await apiRequest<{ items: Candidate[] }>(
          `/goals/owner-candidates${unitId ? `?unitId=${unitId}` : ''}`,
          { signal },
        )
      ).items,
    enabled,
    staleTime: 60_000,
  });
}

/** A change to goals: every goal query is read again afterwards (a list shows the statuses). */
function useGoalChange<In, Out>(send: (input: In) => Promise<Out>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => client.invalidateQueries({ queryKey: ['goals'] }),
  });
}

export const useCreateGoal = () =>
  useGoalChange((input: GoalInput) => apiRequest<GoalDetail>('/goals', { method: 'POST', body: input }));

export const useUpdateGoal = (id: string) =>
  useGoalChange((patch: Partial<GoalInput> & { version: number }) =>
    apiRequest<GoalDetail>(`/goals/${id}`, { method: 'PATCH', body: patch }),
  );

export const useDeleteGoal = (id: string) =>
  useGoalChange((_: undefined) => apiRequest<void>(`/goals/${id}`, { method: 'DELETE' }));

export const useAddAction = (id: string) =>
  useGoalChange((input: { title: string; day: string; unitId: string | null; windowDays: number }) =>
    apiRequest<GoalDetail>(`/goals/${id}/actions`, { method: 'POST', body: input }),
  );

export const useDeleteAction = (id: string) =>
  useGoalChange((actionId: string) =>
    apiRequest<void>(`/goals/${id}/actions/${actionId}`, { method: 'DELETE' }),
  );

export function useMatrices() {
  return useQuery({
    queryKey: ['kpi', 'matrices'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: Matrix[] }>('/kpi/matrices', { signal })).items,
    staleTime: 60_000,
  });
}

export function useKpiScores(days: string) {
  return useQuery({
    queryKey: ['kpi', 'scores', days],
    queryFn: ({ signal }) => apiRequest<KpiScores>(`/kpi/scores?days=${days}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export function useSaveMatrix(level: Level) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { items: KpiItem[]; version: number } | null) =>
      input
        ? apiRequest<Matrix>(`/kpi/matrices/${level}`, { method: 'PUT', body: input })
        : apiRequest<Matrix>(`/kpi/matrices/${level}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['kpi'] }),
  });
}

/** The NPS targets the loyalty-economics analysis proposes for a unit (or the company): what the editor offers. */
export interface ProposedTarget {
  period: 'month' | 'quarter';
  periods: number;
  company: { current: number | null; reachable: number | null; ambitious: number | null };
}

export function useProposedTargets(unitId: string | null) {
  return useQuery({
    queryKey: ['goals', 'proposed-targets', unitId],
    queryFn: ({ signal }) =>
      apiRequest<ProposedTarget>(`/economics/targets${unitId ? `?unitId=${unitId}` : ''}`, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}
