/** @module The readiness audit as the dashboard reads it (GET /api/v1/audit). */
import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export interface Share {
  count: number;
  total: number;
  share: number;
}

export type Method = 'email' | 'sms' | 'phone' | 'mix';
export type Severity = 'blocking' | 'important' | 'nice';
export interface Bilingual {
  ru: string;
  en: string;
}

export interface MethodPlan {
  method: Method;
  reach: number;
  coverage: number;
  answers: { low: number; high: number };
  moe: { low: number | null; high: number | null };
  parts: { method: Exclude<Method, 'mix'>; reach: number; answers: { low: number; high: number } }[];
  operatorHours: { all: number; needed: number } | null;
  meetsTarget: boolean;
  representative: boolean;
}

export interface Requirement {
  key: string;
  severity: Severity;
  measured: ({ kind: 'share' } & Share) | { kind: 'days' | 'months'; value: number };
  field: Bilingual;
  neededFor: Bilingual;
  text: Bilingual;
}

export interface AuditFindings {
  unitId: string | null;
  generatedAt: string;
  durationMs: number;
  customers: {
    total: number;
    optedOut: Share;
    withExternalId: Share;
    withContacts: Share;
    duplicates: Share;
    neitherChannel: Share;
  };
  email: Record<
    'present' | 'valid' | 'invalid' | 'disposable' | 'role' | 'typo' | 'duplicate' | 'suppressed',
    Share
  > & {
    reachable: number;
  };
  phone: Record<
    'present' | 'valid' | 'mobile' | 'landline' | 'invalid' | 'duplicate' | 'suppressed',
    Share
  > & {
    smsReachable: number;
    callReachable: number;
  };
  contacts: {
    total: number;
    withBranch: Share;
    withEmployee: Share;
    withService: Share;
    withAmount: Share;
    withTime: Share;
    withExternalId: Share;
  };
  history: {
    months: number | null;
    daysSinceLastContact: number | null;
    span12Months: Share;
    recent30: Share;
    recent90: Share;
    recent365: Share;
    frequency: { bucket: string; count: number; share: number }[];
  };
  recommendation: {
    method: Method | 'none';
    reliable: boolean;
    answersNeeded: { target: number; precise: number };
    targetMoe: number;
    preciseMoe: number;
    plans: MethodPlan[];
    reasons: Bilingual[];
  };
  requirements: Requirement[];
  assumptions: {
    responseRates: Record<Exclude<Method, 'mix'>, { low: number; high: number }>;
    callsPerOperatorHour: number;
    minCoverage: number;
  };
  examples?: { kind: string; customerId: string; value: string; suggestion: string | null }[];
}

export interface UnitOption {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
}

export function useAudit(unitId: string | null) {
  return useQuery({
    queryKey: ['audit', unitId],
    queryFn: ({ signal }) =>
      apiRequest<AuditFindings>(`/audit${unitId ? `?unitId=${encodeURIComponent(unitId)}` : ''}`, { signal }),
    // An audit of a large base takes seconds: keep it for a few minutes.
    staleTime: 5 * 60_000,
  });
}

export function useAuditUnits() {
  return useQuery({
    queryKey: ['units'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: UnitOption[] }>('/units', { signal })).items,
  });
}
