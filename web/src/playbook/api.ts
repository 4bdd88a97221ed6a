/** @module The playbook API as the editor reads it: the org's playbook with its version, saving, and the check. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';

export type Level = 'frontline' | 'middle' | 'top';
export type Localised = { ru: string; en: string };
export type AnswerChannel = 'link' | 'email' | 'sms' | 'widget' | 'phone';
export const LEVELS: readonly Level[] = ['frontline', 'middle', 'top'];
export const ANSWER_CHANNELS: readonly AnswerChannel[] = ['link', 'email', 'sms', 'widget', 'phone'];
export const TEMPLATES = ['thanks', 'referral', 'review', 'offer'] as const;

export interface RuleMatch {
  scoreMin?: number;
  scoreMax?: number;
  surveyIds?: string[];
  unitIds?: string[];
  employeeIds?: string[];
  channels?: AnswerChannel[];
  valueBands?: ('high' | 'medium' | 'low')[];
  reasonWords?: string[];
}

export type RuleAction =
  | { kind: 'open_case'; level: Level; dueHours: number; urgent?: boolean }
  | { kind: 'alert'; levels: Level[] }
  | { kind: 'message'; template: (typeof TEMPLATES)[number]; text: Localised; url?: string };

export interface PlaybookRule {
  id: string;
  name: Localised;
  enabled: boolean;
  match: RuleMatch;
  actions: RuleAction[];
}

export interface Playbook {
  rules: PlaybookRule[];
  escalation: { toMiddleAfterHours: number; toTopAfterHours: number };
  calendar: { enabled: boolean; workdays: number[]; start: string; end: string; holidays: string[] };
  resurveyAfterDays: number | null;
  rootCauses: { id: string; name: Localised }[];
}

export interface PlaybookState {
  playbook: Playbook;
  version: number;
  updatedAt: string | null;
  isDefault: boolean;
}

export interface CheckInput {
  score: number;
  reason?: string;
  unitId?: string;
  channel?: AnswerChannel;
  playbook?: Playbook;
}

export interface CheckResult {
  rules: { id: string; name: Localised }[];
  case: {
    ruleId: string;
    urgent: boolean;
    level: Level;
    owner: { id: string; name: string | null } | null;
    dueAt: string;
  } | null;
  alerts: { level: Level; people: { id: string; name: string | null }[] }[];
  messages: { ruleId: string; template: string; text: Localised; url: string | null }[];
  note: string | null;
}

export function usePlaybook() {
  return useQuery({
    queryKey: ['playbook'],
    queryFn: ({ signal }) => apiRequest<PlaybookState>('/playbook', { signal }),
    staleTime: 0,
  });
}

export function useSavePlaybook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { playbook: Playbook; version: number }) =>
      apiRequest<PlaybookState>('/playbook', { method: 'PUT', body }),
    onSuccess: (state) => client.setQueryData(['playbook'], state),
  });
}

export function useCheckPlaybook() {
  return useMutation({
    mutationFn: (body: CheckInput) => apiRequest<CheckResult>('/playbook/check', { method: 'POST', body }),
  });
}
