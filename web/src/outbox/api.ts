/** @module The outbox in the dashboard: messages, delivery settings and the stop list, over /api/v1. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export type MessageStatus =
  | 'queued'
  | 'sending'
  | 'sent'
  | 'held'
  | 'failed'
  | 'suppressed'
  | 'bounced'
  | 'uncertain';
export type Channel = 'email' | 'sms';

export const STATUSES: readonly MessageStatus[] = [
  'queued',
  'sending',
  'sent',
  'held',
  'failed',
  'suppressed',
  'bounced',
  'uncertain',
];
/** What a person can send again. */
export const RETRYABLE: readonly MessageStatus[] = ['failed', 'uncertain', 'held', 'bounced'];

export interface OutboxMessage {
  id: string;
  kind: string;
  channel: Channel;
  status: MessageStatus;
  to: string;
  subject: string | null;
  invitationId: string | null;
  locale: 'ru' | 'en';
  attempts: number;
  lastError: string | null;
  sendAfter: string;
  createdAt: string;
  sentAt: string | null;
  smsParts: number | null;
}

export interface OutboxContent extends OutboxMessage {
  bodyText: string;
  bodyHtml: string | null;
}

interface OutboxPage {
  items: OutboxMessage[];
  nextCursor: string | null;
  counts: Partial<Record<MessageStatus, number>>;
}

export interface DeliverySettings {
  quietHours: { start: string; end: string };
  email: { from: string; replyTo: string };
  sms: {
    provider: 'none' | 'test' | 'http';
    sender: string;
    url: string;
    method: 'GET' | 'POST';
    bodyTemplate: string;
    headerNames: string[];
  };
  smtpConfigured: boolean;
  timeZone: string;
}

export interface SettingsInput {
  quietHours: { start: string; end: string } | null;
  email: { from: string; replyTo: string };
  sms:
    | { provider: 'none' }
    | { provider: 'test'; sender: string }
    | {
        provider: 'http';
        sender: string;
        url: string;
        method: 'GET' | 'POST';
        bodyTemplate: string;
        headers?: Record<string, string>;
      };
}

export interface Suppression {
  id: string;
  channel: Channel;
  reason: 'unsubscribed' | 'hard_bounce' | 'complaint' | 'invalid';
  detail: string | null;
  createdAt: string;
}

export function useOutbox(filter: { status: MessageStatus | null; channel: Channel | null }) {
  return useInfiniteQuery({
    queryKey: ['outbox', filter],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filter.status) params.set('status', filter.status);
      if (filter.channel) params.set('channel', filter.channel);
      if (pageParam) params.set('cursor', pageParam);
      return apiRequest<OutboxPage>(`/outbox?${params}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useOutboxMessage(id: string | null) {
  return useQuery({
    queryKey: ['outbox', 'message', id],
    enabled: id !== null,
    queryFn: ({ signal }) => apiRequest<OutboxContent>(`/outbox/${id}`, { signal }),
  });
}

export function useRetry() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<OutboxContent>(`/outbox/${id}/retry`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['outbox'] }),
  });
}

export function useDeliverySettings(enabled: boolean) {
  return useQuery({
    queryKey: ['delivery-settings'],
    enabled,
    queryFn: ({ signal }) => apiRequest<DeliverySettings>('/settings/delivery', { signal }),
  });
}

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsInput) =>
      apiRequest<DeliverySettings>('/settings/delivery', { method: 'PUT', body }),
    onSuccess: (saved) => client.setQueryData(['delivery-settings'], saved),
  });
}

export function useSuppressions(enabled: boolean) {
  return useQuery({
    queryKey: ['suppressions'],
    enabled,
    queryFn: ({ signal }) =>
      apiRequest<{ items: Suppression[]; nextCursor: string | null }>('/suppressions?limit=200', { signal }),
  });
}

export function useAddSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { channel: Channel; address: string }) =>
      apiRequest('/suppressions', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['suppressions'] }),
  });
}

export function useRemoveSuppression() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: Pick<Suppression, 'channel' | 'id'>) =>
      apiRequest(`/suppressions/${s.channel}/${encodeURIComponent(s.id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['suppressions'] }),
  });
}
