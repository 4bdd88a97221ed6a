/** @module Webhook endpoints, their delivery log, test sends and redelivery, over /api/v1 (owners and admins). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export const WEBHOOK_KINDS = [
  'case.opened',
  'case.urgent',
  'case.assigned',
  'case.escalated',
  'case.overdue',
  'case.resolved',
  'resurvey.answered',
  'response.detractor',
  'response.passive',
  'response.promoter',
] as const;

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  allowPrivate: boolean;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

export interface DeliveryItem {
  id: string;
  eventId: string;
  eventKind: string;
  status: 'pending' | 'delivered' | 'retrying' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface EndpointInput {
  url: string;
  description?: string;
  events: string[];
  allowPrivate: boolean;
}

const key = ['webhooks'] as const;

export function useEndpoints() {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => apiRequest<{ items: Endpoint[] }>('/webhooks', { signal }),
    select: (r) => r.items,
  });
}

export function useCreateEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: EndpointInput) =>
      apiRequest<Endpoint & { secret: string }>('/webhooks', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useUpdateEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; enabled?: boolean }) =>
      apiRequest<Endpoint>(`/webhooks/${id}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useDeleteEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest(`/webhooks/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
  });
}

export function useDeliveries(endpointId: string | null) {
  return useQuery({
    queryKey: [...key, 'deliveries', endpointId],
    enabled: endpointId !== null,
    queryFn: ({ signal }) =>
      apiRequest<{ items: DeliveryItem[] }>(`/webhooks/${endpointId}/deliveries?limit=100`, { signal }),
    select: (r) => r.items,
    refetchInterval: 15_000,
  });
}

export function useSendTest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<DeliveryItem>(`/webhooks/${id}/test`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'deliveries'] }),
  });
}

export function useRedeliver() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiRequest<DeliveryItem>(`/webhooks/deliveries/${id}/redeliver`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: [...key, 'deliveries'] }),
  });
}
