/** @module Notifications (the bell), notification preferences and the digest preview, over /api/v1. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, apiRequest, ProblemError } from '../api/client';

export const ALERT_KINDS = [
  'case.opened',
  'case.urgent',
  'case.assigned',
  'case.escalated',
  'case.overdue',
  'case.resolved',
  'resurvey.answered',
  'nps_drop',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** What e-mails by default (the server's rule): the bell rings for everything. */
export const EMAIL_BY_DEFAULT: readonly string[] = [
  'case.opened',
  'case.assigned',
  'case.urgent',
  'case.escalated',
  'nps_drop',
];

export interface Notification {
  id: string;
  kind: string;
  title: string;
  caseId: string | null;
  caseNumber: number | null;
  score: number | null;
  reason: string | null;
  unitName: string | null;
  url: string | null;
  createdAt: string;
  readAt: string | null;
}

interface NotificationPage {
  items: Notification[];
  nextCursor: string | null;
  unread: number;
}

export interface Prefs {
  muted: boolean;
  events: Partial<Record<AlertKind, { email?: boolean; dashboard?: boolean }>>;
  digest: { daily: boolean; weekly: boolean; at: string; weekday: number; timeZone: string };
  defaults: { timeZone: string; at: string; weekday: number };
}

const key = ['notifications'] as const;

export function useNotifications(unreadOnly: boolean, lang: string) {
  return useInfiniteQuery({
    queryKey: [...key, 'list', unreadOnly, lang],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '30' });
      if (lang === 'ru' || lang === 'en') params.set('lang', lang);
      if (unreadOnly) params.set('unread', 'true');
      if (pageParam) params.set('cursor', pageParam);
      return apiRequest<NotificationPage>(`/notifications?${params}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The unread count for the bell, refreshed every minute. */
export function useUnreadCount() {
  return useQuery({
    queryKey: [...key, 'unread'],
    queryFn: ({ signal }) => apiRequest<NotificationPage>('/notifications?unread=true&limit=1', { signal }),
    select: (page) => page.unread,
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
}

export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<{ unread: number }>(`/notifications/${id}/read`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useMarkAllRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ unread: number }>('/notifications/read-all', { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function usePrefs() {
  return useQuery({
    queryKey: ['notification-prefs'],
    queryFn: ({ signal }) => apiRequest<Prefs>('/me/notification-prefs', { signal }),
  });
}

export function useSavePrefs() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<Prefs, 'defaults'>) =>
      apiRequest<Prefs>('/me/notification-prefs', { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(['notification-prefs'], saved),
  });
}

/** The digest as it would go out now, as HTML (shown in a sandboxed frame). */
export function useDigestPreview(kind: 'daily' | 'weekly', enabled: boolean) {
  return useQuery({
    queryKey: ['digest-preview', kind],
    enabled,
    queryFn: async ({ signal }) => {
      const response = await fetch(`${API_BASE}/digests/preview?kind=${kind}`, {
        credentials: 'same-origin',
        signal,
      });
      if (!response.ok)
        throw new ProblemError({ type: 'about:blank', title: response.statusText, status: response.status });
      return response.text();
    },
  });
}
