/** @module Personal data over /api/v1/privacy: access and erasure requests, retention periods, the access log. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export type PersonKey = 'email' | 'phone' | 'customerId' | 'externalId';
export type PersonQuery = Partial<Record<PersonKey, string>>;

export interface PersonalExport {
  generatedAt: string;
  customers: {
    customer: { id: string };
    contacts: unknown[];
    answers: unknown[];
    messages: unknown[];
  }[];
}

export interface ErasureResult {
  erased: { customerId: string; answersUnlinked: number }[];
}

export interface Retention {
  inactiveCustomerMonths: number | null;
  reasonMonths: number | null;
  messageBodyDays: number | null;
  accessLogMonths: number | null;
}

export interface AccessLogLine {
  id: string;
  at: string;
  userId: string | null;
  userEmail: string | null;
  actor: 'user' | 'cli' | 'system';
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

export interface LogFilters {
  action: string;
  from: string;
  to: string;
}

export function useExportPerson() {
  return useMutation({
    mutationFn: (q: PersonQuery) =>
      apiRequest<PersonalExport>('/privacy/export', { method: 'POST', body: q }),
  });
}

export function useErasePerson() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (q: PersonQuery) => apiRequest<ErasureResult>('/privacy/erase', { method: 'POST', body: q }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['privacy', 'log'] }),
  });
}

const retentionKey = ['privacy', 'retention'] as const;

export function useRetention() {
  return useQuery({
    queryKey: retentionKey,
    queryFn: ({ signal }) => apiRequest<Retention>('/privacy/retention', { signal }),
  });
}

export function useSaveRetention() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: Retention) => apiRequest<Retention>('/privacy/retention', { method: 'PUT', body: r }),
    onSuccess: (saved) => client.setQueryData(retentionKey, saved),
  });
}

/** A local date (YYYY-MM-DD) in the browser's zone as the instant its day starts. */
const startOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : '');

export function useAccessLog(filters: LogFilters) {
  return useInfiniteQuery({
    queryKey: ['privacy', 'log', filters],
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filters.action.trim()) params.set('action', filters.action.trim());
      if (filters.from) params.set('from', startOf(filters.from));
      if (filters.to) params.set('to', startOf(filters.to));
      if (pageParam) params.set('cursor', pageParam);
      return apiRequest<{ items: AccessLogLine[]; nextCursor: string | null }>(
        `/privacy/access-log?${params}`,
        {
          signal,
        },
      );
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
