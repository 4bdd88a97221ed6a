/** @module Survey distribution in the dashboard: shapes and TanStack Query hooks around its API. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export type SendChannel = 'email' | 'sms' | 'phone';
export type Exclusion = 'opted_out' | 'asked_recently' | 'suppressed' | 'no_channel';
export type RateGroup = 'channel' | 'unit' | 'campaign';

export interface ContactPolicy {
  relationshipDays: number;
  transactionalDays: number;
}

export interface Distribution {
  surveyId: string;
  kind: 'relationship' | 'transactional';
  trigger: {
    delayMinutes: number;
    channels: SendChannel[];
    unitIds: string[] | null;
    maxAgeHours: number;
  } | null;
  reminder: { afterDays: number } | null;
}

export interface DistributionInput {
  trigger: { delayMinutes: number; channels: SendChannel[]; unitIds?: string[]; maxAgeHours: number } | null;
  reminder: { afterDays: number } | null;
}

export interface CampaignInput {
  name?: string;
  audience: { unitIds?: string[]; activeWithinDays?: number; minVisits?: number };
  sample?: number | { share: number };
  seed?: string;
  stratifyByUnit: boolean;
  channels: SendChannel[];
  sendAt?: string;
}

export interface CampaignPlan {
  seed: string;
  sendAt: string | null;
  base: number;
  eligible: number;
  selected: number;
  excluded: Record<Exclusion, number>;
  byChannel: Record<SendChannel, number>;
  selectionDigest: string;
}

export interface Campaign {
  id: string;
  name: string;
  status: 'scheduled' | 'running' | 'done' | 'failed';
  channels: SendChannel[];
  sample: { size: number | null; share: number | null; seed: string; stratifyByUnit: boolean };
  sendAt: string | null;
  createdAt: string;
  counts: { base: number; eligible: number; selected: number; created: number } | null;
  invited: number;
  sent: number;
  answered: number;
}

export interface RateRow {
  key: string;
  label: string;
  invited: number;
  sent: number;
  answered: number;
  rate: number | null;
  ci95: [number, number] | null;
}

export interface UnitOption {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}

export function useUnitOptions() {
  return useQuery({
    queryKey: ['units'],
    queryFn: ({ signal }) => apiRequest<{ items: UnitOption[] }>('/units', { signal }).then((r) => r.items),
  });
}

const policyKey = ['distribution', 'contact-policy'] as const;

export function useContactPolicy() {
  return useQuery({
    queryKey: policyKey,
    queryFn: ({ signal }) => apiRequest<ContactPolicy>('/settings/contact-policy', { signal }),
  });
}

export function useSaveContactPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (policy: ContactPolicy) =>
      apiRequest<ContactPolicy>('/settings/contact-policy', { method: 'PUT', body: policy }),
    onSuccess: (saved) => client.setQueryData(policyKey, saved),
  });
}

export function useDistribution(surveyId: string | null) {
  return useQuery({
    queryKey: ['distribution', surveyId, 'settings'],
    enabled: surveyId !== null,
    queryFn: ({ signal }) => apiRequest<Distribution>(`/surveys/${surveyId}/distribution`, { signal }),
  });
}

export function useSaveDistribution(surveyId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: DistributionInput) =>
      apiRequest<Distribution>(`/surveys/${surveyId}/distribution`, { method: 'PUT', body: input }),
    onSuccess: (saved) => client.setQueryData(['distribution', surveyId, 'settings'], saved),
  });
}

export function usePreviewCampaign(surveyId: string) {
  return useMutation({
    mutationFn: (input: CampaignInput) =>
      apiRequest<CampaignPlan>(`/surveys/${surveyId}/campaigns`, {
        method: 'POST',
        body: { ...input, dryRun: true },
      }),
  });
}

export function useStartCampaign(surveyId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CampaignInput) =>
      apiRequest<{ campaign: Campaign; plan: CampaignPlan }>(`/surveys/${surveyId}/campaigns`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['distribution', surveyId] }),
  });
}

export function useCampaigns(surveyId: string | null) {
  return useQuery({
    queryKey: ['distribution', surveyId, 'campaigns'],
    enabled: surveyId !== null,
    queryFn: ({ signal }) =>
      apiRequest<{ items: Campaign[] }>(`/surveys/${surveyId}/campaigns`, { signal }).then((r) => r.items),
  });
}

export function useResponseRates(surveyId: string | null, groupBy: RateGroup) {
  return useQuery({
    queryKey: ['distribution', surveyId, 'rates', groupBy],
    enabled: surveyId !== null,
    queryFn: ({ signal }) =>
      apiRequest<{ rows: RateRow[]; total: RateRow }>(
        `/surveys/${surveyId}/response-rates?groupBy=${groupBy}`,
        {
          signal,
        },
      ),
  });
}
