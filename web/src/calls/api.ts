/** @module The phone-interview API as the console reads it: the next call, outcomes, progress per operator. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Locale } from '../api/types';

export type CallOutcome = 'answered' | 'no_answer' | 'busy' | 'refused' | 'call_back' | 'wrong_number';

export interface CallScript {
  greeting: string;
  consent: string;
  question: string;
  scale: string;
  reason: string;
  closing: string;
  refusal: string;
  callBack: string;
}

export interface CallCard {
  id: string;
  surveyId: string;
  status: 'queued' | 'calling' | 'call_back' | 'done';
  attempts: number;
  maxAttempts: number;
  lastOutcome: CallOutcome | null;
  lockedUntil: string | null;
  locale: Locale;
  customer: { id: string; name: string | null; phone: string | null; locale: Locale | null };
  unit: { id: string; name: string; timeZone: string; localTime: string } | null;
  visits: { at: string; unitName: string | null; service: string | null; employeeName: string | null }[];
  history: {
    at: string;
    outcome: CallOutcome;
    note: string | null;
    callBackAt: string | null;
    operatorName: string | null;
  }[];
  survey: { id: string; name: string };
  script: Record<Locale, CallScript>;
}

export interface QueueState {
  waiting: number;
  dueNow: number;
  nextCallAt: string | null;
}

export interface NextCall {
  task: CallCard | null;
  queue: QueueState;
}

export interface OutcomeBody {
  outcome: CallOutcome;
  score?: number;
  reason?: string;
  callBackAt?: string;
  note?: string;
}

export interface OperatorStats {
  operatorId: string;
  name: string | null;
  attempts: number;
  reached: number;
  answered: number;
  refused: number;
  averageScore: number | null;
  activeHours: number;
  answersPerHour: number | null;
}

export interface RecentOutcome {
  at: string;
  taskId: string;
  operatorId: string;
  operatorName: string | null;
  outcome: CallOutcome;
  score: number | null;
  reason: string | null;
  note: string | null;
  customerName: string | null;
  unitName: string | null;
}

export interface CallStats {
  from: string;
  to: string;
  operators: OperatorStats[];
  totals: {
    attempts: number;
    answered: number;
    queued: number;
    dueNow: number;
    calling: number;
    done: number;
  };
  recent: RecentOutcome[];
}

export function useNextCall() {
  return useMutation({
    mutationFn: () => apiRequest<NextCall>('/calls/next', { method: 'POST' }),
  });
}

export function useRecordOutcome() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, body }: { taskId: string; body: OutcomeBody }) =>
      apiRequest<unknown>(`/calls/${taskId}/outcome`, { method: 'POST', body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['calls', 'stats'] }),
  });
}

export function useCallStats(from: string | null) {
  return useQuery({
    queryKey: ['calls', 'stats', from],
    queryFn: ({ signal }) =>
      apiRequest<CallStats>(from ? `/calls/stats?${new URLSearchParams({ from })}` : '/calls/stats', {
        signal,
      }),
    refetchInterval: 30_000,
  });
}
