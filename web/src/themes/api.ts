/** @module The themes API: overview, one theme and its verbatims, candidates, the summary and the taxonomy. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Audience } from '../api/types';

export type Polarity = 'complaint' | 'praise' | 'wish';

export interface ThemeRow {
  id: string;
  key: string;
  name: { ru: string; en: string };
  mentions: number | null;
  share: number | null;
  complaints: number | null;
  praises: number | null;
  wishes: number | null;
  detractors: number | null;
  passives: number | null;
  promoters: number | null;
  driver: { delta: number; z: number; leaning: 'detractors' | 'promoters' | 'neither' } | null;
  impact: number | null;
  trend: { week: string; mentions: number; share: number | null }[];
  emerging: { ratio: number; pValue: number } | null;
  hidden: boolean;
}

export interface ThemesOverview {
  audience: Audience;
  from: string;
  to: string;
  answers: number;
  withText: number;
  themes: ThemeRow[];
  minGroupSize: number;
  hidden: boolean;
  retag: { running: boolean; done: number; total: number };
  methods: { drivers: string; emerging: string; impact: string };
}

export interface ThemeFilter {
  audience: Audience;
  from?: string;
  to?: string;
  unitId?: string;
}

const query = (params: object) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
};

export function useThemes(filter: ThemeFilter) {
  const q = query(filter);
  return useQuery({
    queryKey: ['themes', q],
    queryFn: ({ signal }) => apiRequest<ThemesOverview>(`/themes?${q}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    refetchInterval: (state) => (state.state.data?.retag.running ? 2_000 : false),
  });
}

export interface SummaryItem {
  themeId: string;
  name: string;
  count: number;
  share: number;
  example: string | null;
}

export interface Summary {
  complaints: SummaryItem[];
  wishes: SummaryItem[];
  praises: SummaryItem[];
  emerging: { themeId: string; name: string; ratio: number; pValue: number }[];
  text: string;
  hidden: boolean;
}

export function useSummary(filter: ThemeFilter & { lang: string }) {
  const q = query(filter);
  return useQuery({
    queryKey: ['themes-summary', q],
    queryFn: ({ signal }) => apiRequest<Summary>(`/themes/summary?${q}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}

export interface BreakdownRow {
  key: string;
  label: string;
  answers: number;
  mentions: number;
  share: number | null;
  complaints: number;
  praises: number;
  wishes: number;
}

export interface ThemeDetail {
  theme: { id: string; key: string; name: { ru: string; en: string }; keywords: string[] };
  from: string;
  to: string;
  trend: BreakdownRow[];
  byUnit: BreakdownRow[];
  byEmployee: BreakdownRow[];
  minGroupSize: number;
}

export function useThemeDetail(id: string, filter: ThemeFilter) {
  const q = query(filter);
  return useQuery({
    queryKey: ['theme', id, q],
    queryFn: ({ signal }) => apiRequest<ThemeDetail>(`/themes/${id}?${q}`, { signal }),
    placeholderData: keepPreviousData,
  });
}

export interface Verbatim {
  id: string;
  score: number;
  reason: string;
  polarity: Polarity;
  day: string;
  channel: string | null;
  unitName: string | null;
}

export interface VerbatimFilter extends ThemeFilter {
  scoreMin?: string;
  scoreMax?: string;
  channel?: string;
  polarity?: string;
}

export function useVerbatims(id: string, filter: VerbatimFilter) {
  const q = query({ ...filter, limit: 20 });
  return useInfiniteQuery({
    queryKey: ['theme-verbatims', id, q],
    initialPageParam: '',
    queryFn: ({ signal, pageParam }) =>
      apiRequest<{ items: Verbatim[]; nextCursor: string | null; total: number; hidden: boolean }>(
        `/themes/${id}/answers?${q}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface Candidate {
  term: string;
  count: number;
  examples: { id: string; score: number; reason: string }[];
}

export function useCandidates(filter: ThemeFilter) {
  const q = query(filter);
  return useQuery({
    queryKey: ['theme-candidates', q],
    queryFn: ({ signal }) =>
      apiRequest<{ scanned: number; candidates: Candidate[]; hidden: boolean }>(`/themes/candidates?${q}`, {
        signal,
      }),
  });
}

export interface EditableTheme {
  id?: string;
  key?: string;
  name: { ru: string; en: string };
  keywords: string[];
  enabled: boolean;
}

export interface Taxonomy {
  version: number;
  themes: (EditableTheme & { id: string; key: string; builtin: boolean })[];
}

export function useTaxonomy() {
  return useQuery({
    queryKey: ['theme-taxonomy'],
    queryFn: ({ signal }) => apiRequest<Taxonomy>('/themes/taxonomy', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface Preview {
  sample: number;
  themes: {
    index: number;
    id: string | null;
    before: number;
    after: number;
    added: { id: string; reason: string }[];
    dropped: { id: string; reason: string }[];
  }[];
}

const bodyOf = (themes: EditableTheme[]) =>
  themes.map((t) => ({ id: t.id, name: t.name, keywords: t.keywords, enabled: t.enabled }));

export function usePreview() {
  return useMutation({
    mutationFn: (themes: EditableTheme[]) =>
      apiRequest<Preview>('/themes/taxonomy/preview', { method: 'POST', body: { themes: bodyOf(themes) } }),
  });
}

export function useSaveTaxonomy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (t: { version: number; themes: EditableTheme[] }) =>
      apiRequest<Taxonomy>('/themes/taxonomy', {
        method: 'PUT',
        body: { version: t.version, themes: bodyOf(t.themes) },
      }),
    onSuccess: (saved) => {
      client.setQueryData(['theme-taxonomy'], saved);
      void client.invalidateQueries({ queryKey: ['themes'] });
    },
  });
}

export interface UnitOption {
  id: string;
  name: string;
}

export function useThemeUnits() {
  return useQuery({
    queryKey: ['units', 'options'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: UnitOption[] }>('/units', { signal })).items,
    staleTime: 5 * 60_000,
  });
}
