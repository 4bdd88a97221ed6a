/** @module Account security over /api/v1: two-step verification, sessions, password, API keys. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export interface SecondFactor {
  totpEnabled: boolean;
  totpEnabledAt: string | null;
  recoveryCodesLeft: number;
}

export interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrSvgDataUrl: string;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
  userId: string;
}

export interface NewApiKey {
  name: string;
  scopes: string[];
  expiresInDays: number;
}

const factorKey = ['security', 'second-factor'] as const;
const sessionsKey = ['security', 'sessions'] as const;
const keysKey = ['security', 'api-keys'] as const;

export function useSecondFactor() {
  return useQuery({
    queryKey: factorKey,
    queryFn: ({ signal }) => apiRequest<SecondFactor>('/auth/second-factor', { signal }),
  });
}

export function useStartTotp() {
  return useMutation({
    mutationFn: () => apiRequest<Enrolment>('/auth/totp/setup', { method: 'POST' }),
  });
}

function useFactorMutation<I, O>(path: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: I) => apiRequest<O>(path, { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: factorKey }),
  });
}

export const useEnableTotp = () =>
  useFactorMutation<{ code: string }, { recoveryCodes: string[] }>('/auth/totp/enable');
export const useDisableTotp = () =>
  useFactorMutation<{ password: string; code: string }, void>('/auth/totp/disable');
export const useRenewRecoveryCodes = () =>
  useFactorMutation<{ code: string }, { recoveryCodes: string[] }>('/auth/recovery-codes');

export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => apiRequest<{ items: Session[] }>('/auth/sessions', { signal }),
    select: (r) => r.items,
  });
}

export function useEndSession() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/auth/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useLogoutEverywhere() {
  return useMutation({
    mutationFn: () => apiRequest<{ sessionsEnded: number }>('/auth/logout-all', { method: 'POST' }),
    onSuccess: () => window.location.assign('/login'),
  });
}

export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiRequest<{ sessionsEnded: number }>('/auth/password', { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: sessionsKey }),
  });
}

export function useApiKeys(enabled: boolean) {
  return useQuery({
    queryKey: keysKey,
    queryFn: ({ signal }) => apiRequest<{ items: ApiKey[] }>('/api-keys', { signal }),
    select: (r) => r.items,
    enabled,
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewApiKey) =>
      apiRequest<ApiKey & { key: string }>('/api-keys', { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keysKey }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: keysKey }),
  });
}
