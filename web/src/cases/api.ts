/** @module The closed-loop cases API as the dashboard reads it: lists, today's call-backs, one case and its changes. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Page, Role } from '../api/types';

export type CaseStatus = 'new' | 'in_progress' | 'contacted' | 'resolved' | 'unresolved';
export type CaseLevel = 'frontline' | 'middle' | 'top';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'new',
  'in_progress',
  'contacted',
  'resolved',
  'unresolved',
];
export const CASE_LEVELS: readonly CaseLevel[] = ['frontline', 'middle', 'top'];
export const isClosed = (status: CaseStatus) => status === 'resolved' || status === 'unresolved';

export interface Named {
  id: string;
  name: string | null;
}

export interface CaseView {
  id: string;
  number: number;
  status: CaseStatus;
  level: CaseLevel;
  urgent: boolean;
  score: number;
  reason: string | null;
  ruleId: string;
  dueAt: string;
  overdue: boolean;
  escalationStep: number;
  owner: Named | null;
  unit: { id: string; name: string } | null;
  employee: Named | null;
  customerName: string | null;
  answeredAt: string;
  firstContactAt: string | null;
  closedAt: string | null;
  callbackAt?: string | null;
  rootCause: string | null;
  actionTaken: string | null;
  actionCostMinor: number | null;
  outcome: string | null;
  resurveyScore: number | null;
  resurveyAt?: string | null;
  createdAt: string;
}

export interface CustomerCard {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export interface TodayCase extends CaseView {
  customer: CustomerCard | null;
}

export interface CaseEvent {
  id: string;
  kind: string;
  at: string;
  actor: Named | null;
  data: Record<string, unknown>;
}

export interface CaseDetail extends CaseView {
  customer: CustomerCard | null;
  answer: {
    score: number;
    reason: string | null;
    answeredAt: string;
    channel: string;
    surveyName: string;
  } | null;
  history: {
    answers: { score: number; reason: string | null; answeredAt: string }[];
    contacts: {
      at: string;
      unitName: string | null;
      employeeName: string | null;
      service: string | null;
      amountMinor: number | null;
    }[];
  };
  events: CaseEvent[];
}

export interface CaseFilter {
  status?: string;
  level?: string;
  owner?: string;
  unitId?: string;
  overdue?: string;
}

export type AttemptChannel = 'phone' | 'email' | 'sms' | 'meeting';
export type AttemptOutcome = 'reached' | 'no_answer' | 'voicemail' | 'wrong_number' | 'callback';
export const ATTEMPT_CHANNELS: readonly AttemptChannel[] = ['phone', 'email', 'sms', 'meeting'];
export const ATTEMPT_OUTCOMES: readonly AttemptOutcome[] = [
  'reached',
  'no_answer',
  'voicemail',
  'wrong_number',
  'callback',
];

export interface AttemptBody {
  channel: AttemptChannel;
  outcome: AttemptOutcome;
  note?: string;
  callbackAt?: string;
}

export interface CasePatch {
  status?: CaseStatus;
  ownerUserId?: string;
  rootCause?: string | null;
  actionTaken?: string | null;
  actionCostMinor?: number | null;
  outcome?: string | null;
}

export const MANAGER_ROLES: readonly Role[] = ['owner', 'admin', 'manager'];
export const CASE_WORKERS: readonly Role[] = ['owner', 'admin', 'manager', 'frontline'];

function casesPath(filter: CaseFilter, cursor: string | null): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  params.set('limit', '50');
  return `/cases?${params}`;
}

export function useCases(filter: CaseFilter) {
  return useInfiniteQuery({
    queryKey: ['cases', 'list', filter],
    queryFn: ({ signal, pageParam }) => apiRequest<Page<CaseView>>(casesPath(filter, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function useTodayCases() {
  return useQuery({
    queryKey: ['cases', 'today'],
    queryFn: async ({ signal }) => {
      const answer = await apiRequest<TodayCase[] | { items: TodayCase[] }>('/cases/today', { signal });
      return Array.isArray(answer) ? answer : answer.items;
    },
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}

export function useCase(id: string | null) {
  return useQuery({
    queryKey: ['cases', 'one', id],
    queryFn: ({ signal }) => apiRequest<CaseDetail>(`/cases/${id}`, { signal }),
    enabled: id !== null,
    staleTime: 5_000,
  });
}

/** After any change: the case itself, the lists and the metrics are stale. */
function useCaseChange<T>(mutationFn: (body: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['cases'] });
      void client.invalidateQueries({ queryKey: ['loop-metrics'] });
    },
  });
}

export const usePatchCase = (id: string) =>
  useCaseChange((body: CasePatch) => apiRequest<CaseView>(`/cases/${id}`, { method: 'PATCH', body }));

export const useAddNote = (id: string) =>
  useCaseChange((text: string) =>
    apiRequest<unknown>(`/cases/${id}/notes`, { method: 'POST', body: { text } }),
  );

export const useAddAttempt = (id: string) =>
  useCaseChange((body: AttemptBody) =>
    apiRequest<unknown>(`/cases/${id}/attempts`, { method: 'POST', body }),
  );

export const useResurvey = (id: string) =>
  useCaseChange((_: undefined) => apiRequest<unknown>(`/cases/${id}/resurvey`, { method: 'POST' }));

export interface UnitOption {
  id: string;
  name: string;
  parentId: string | null;
}

export function useCaseUnits() {
  return useQuery({
    queryKey: ['units'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: UnitOption[] }>('/units', { signal })).items,
    staleTime: 5 * 60_000,
  });
}

/** People a case may be given to: the org's users for owners and admins (others see only themselves). */
export function useAssignees(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'assignable'],
    queryFn: async ({ signal }) => {
      const answer = await apiRequest<{ items: (Named & { role: Role; email: string })[] }>('/users', {
        signal,
      });
      return answer.items.filter((u) => u.role !== 'analyst');
    },
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The playbook's root causes, for the resolve form (any role that works cases may read the playbook). */
export interface RootCause {
  id: string;
  name: { ru: string; en: string };
}

export function useRootCauses() {
  return useQuery({
    queryKey: ['playbook'],
    queryFn: ({ signal }) =>
      apiRequest<{ playbook: { rootCauses: RootCause[] } }>('/playbook', { signal }).then((p) => p),
    staleTime: 5 * 60_000,
    select: (p) => p.playbook.rootCauses,
  });
}
