/** @module The benchmarks and drop-alert API: the org's NPS beside its industry, its own rows, the drop rule and drops. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { NpsRow } from '../api/types';

export interface Texts {
  en: string;
  ru: string;
}

export interface IndustryBenchmark {
  key: string;
  setId: string;
  industry: Texts;
  average: number;
  leader: { name: string; nps: number } | null;
}

export interface BenchmarkSet {
  id: string;
  source: Texts;
  year: number | null;
  region: string;
  rows: IndustryBenchmark[];
}

export interface Reference {
  value: number;
  name: Texts;
  source: Texts;
  year: number | null;
  origin: 'builtin' | 'custom';
  /** The org's row, when it comes from one. */
  id?: string;
}

export interface IndustryReference {
  industry: Texts | null;
  average: Reference | null;
  leader: Reference | null;
}

export type RowKind = 'average' | 'leader' | 'other';

export interface BenchmarkRow {
  id: string;
  name: string;
  kind: RowKind;
  value: number;
  source: string;
  year: number | null;
  updatedAt: string;
}

export interface BenchmarksView {
  industry: string | null;
  reference: IndustryReference;
  rows: BenchmarkRow[];
  company: NpsRow;
  from: string;
  to: string;
  timeZone: string;
}

export interface DropSettings {
  enabled: boolean;
  period: 'week' | 'month';
  minDrop: number;
  floor: number | null;
  minAnswers: number;
}

export interface DropView {
  period: 'week' | 'month';
  periodKey: string;
  from: string;
  to: string;
  scope: string;
  unitId: string | null;
  unitName: string | null;
  n: number;
  nps: number | null;
  previousN: number;
  previousNps: number | null;
  diff: number | null;
  pValue: number | null;
  significantDrop: boolean;
  crossedFloor: boolean;
  alerted: boolean;
  checkedAt: string;
}

export interface DropCheckReport {
  status: 'disabled' | 'done_before' | 'checked';
  current: { key: string; from: string; to: string };
  alerts: number;
  checks: DropView[];
}

const keys = {
  view: ['benchmarks'] as const,
  reference: ['benchmarks', 'reference'] as const,
  drops: ['drops'] as const,
};

export function useBenchmarks(range: { from: string; to: string }) {
  return useQuery({
    queryKey: [...keys.view, range],
    queryFn: ({ signal }) =>
      apiRequest<BenchmarksView>(`/benchmarks?${new URLSearchParams(range)}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function useBenchmarkSets() {
  return useQuery({
    queryKey: ['benchmark-sets'],
    queryFn: ({ signal }) => apiRequest<{ sets: BenchmarkSet[] }>('/benchmarks/sets', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The average and leader only, for the note under other pages' charts. */
export function useIndustryReference() {
  return useQuery({
    queryKey: keys.reference,
    queryFn: ({ signal }) => apiRequest<IndustryReference>('/benchmarks/reference', { signal }),
  });
}

function useInvalidate(...which: (readonly string[])[]) {
  const client = useQueryClient();
  return () => Promise.all(which.map((queryKey) => client.invalidateQueries({ queryKey })));
}

export function useChooseIndustry() {
  const invalidate = useInvalidate(keys.view);
  return useMutation({
    mutationFn: (industry: string | null) =>
      apiRequest<IndustryReference>('/benchmarks/industry', { method: 'PUT', body: { industry } }),
    onSuccess: invalidate,
  });
}

export type RowInput = Omit<BenchmarkRow, 'id' | 'updatedAt'>;

export function useSaveRow() {
  const invalidate = useInvalidate(keys.view);
  return useMutation({
    mutationFn: ({ id, ...row }: RowInput & { id?: string }) =>
      id
        ? apiRequest<BenchmarkRow>(`/benchmarks/rows/${id}`, { method: 'PATCH', body: row })
        : apiRequest<BenchmarkRow>('/benchmarks/rows', { method: 'POST', body: row }),
    onSuccess: invalidate,
  });
}

export function useDeleteRow() {
  const invalidate = useInvalidate(keys.view);
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/benchmarks/rows/${id}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}

export function useDropSettings() {
  return useQuery({
    queryKey: [...keys.drops, 'settings'],
    queryFn: ({ signal }) => apiRequest<DropSettings>('/settings/drops', { signal }),
  });
}

export function useSaveDropSettings() {
  const invalidate = useInvalidate(keys.drops);
  return useMutation({
    mutationFn: (settings: DropSettings) =>
      apiRequest<DropSettings>('/settings/drops', { method: 'PUT', body: settings }),
    onSuccess: invalidate,
  });
}

export function useDrops() {
  return useQuery({
    queryKey: [...keys.drops, 'list'],
    queryFn: ({ signal }) => apiRequest<{ alerts: DropView[]; latest: DropView[] }>('/drops', { signal }),
  });
}

export function useCheckDrops() {
  const invalidate = useInvalidate(keys.drops);
  return useMutation({
    mutationFn: () => apiRequest<DropCheckReport>('/drops/check', { method: 'POST' }),
    onSuccess: invalidate,
  });
}
