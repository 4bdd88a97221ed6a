/** @module The report library and schedules API: kinds, reports (polled while being made), schedules, users, units. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Locale, Role } from '../api/types';

export interface ReportKindOption {
  kind: string;
  name: { ru: string; en: string };
}

export interface ReportOptions {
  locale: Locale;
  audience: 'customer' | 'employee';
  from: string;
  to: string;
  unitId: string | null;
}

export interface Report {
  id: string;
  kind: string;
  options: ReportOptions;
  status: 'queued' | 'running' | 'done' | 'failed';
  progress: number;
  error: string | null;
  pseudonymised: boolean;
  scheduleId: string | null;
  period: string | null;
  fileName: string | null;
  size: number | null;
  createdAt: string;
}

export interface Schedule {
  id: string;
  name: string;
  kind: string;
  audience: 'customer' | 'employee';
  unitId: string | null;
  cadence: 'weekly' | 'monthly' | 'quarterly';
  day: number;
  hour: number;
  recipients: string[];
  enabled: boolean;
  nextPeriod: string;
}

export type ScheduleInput = Omit<Schedule, 'id' | 'nextPeriod'>;

export const useReportKinds = () =>
  useQuery({
    queryKey: ['reports', 'kinds'],
    queryFn: async ({ signal }) =>
      (await apiRequest<{ items: ReportKindOption[] }>('/reports/kinds', { signal })).items,
    staleTime: Number.POSITIVE_INFINITY,
  });

/** The library; while a report is queued or being made it is read again every 1.5 s, so the bars move. */
export const useReports = () =>
  useQuery({
    queryKey: ['reports', 'library'],
    queryFn: async ({ signal }) =>
      (await apiRequest<{ items: Report[] }>('/reports?limit=100', { signal })).items,
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === 'queued' || r.status === 'running') ? 1500 : false,
  });

export function useRequestReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: string; options: ReportOptions }) =>
      apiRequest<Report>('/reports', { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', 'library'] }),
  });
}

export function useDeleteReport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/reports/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', 'library'] }),
  });
}

export const useSchedules = (enabled: boolean) =>
  useQuery({
    queryKey: ['reports', 'schedules'],
    queryFn: async ({ signal }) =>
      (await apiRequest<{ items: Schedule[] }>('/reports/schedules', { signal })).items,
    enabled,
  });

export function useSaveSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: ScheduleInput }) =>
      apiRequest<Schedule>(id ? `/reports/schedules/${id}` : '/reports/schedules', {
        method: id ? 'PUT' : 'POST',
        body,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

export function useDeleteSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/reports/schedules/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
}

export interface UnitOption {
  id: string;
  name: string;
  parentId: string | null;
}

export const useReportUnits = () =>
  useQuery({
    queryKey: ['units'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: UnitOption[] }>('/units', { signal })).items,
    staleTime: 5 * 60_000,
  });

export interface Person {
  id: string;
  name: string | null;
  email: string;
  role: Role;
  locale?: Locale;
}

export const useRecipients = (enabled: boolean) =>
  useQuery({
    queryKey: ['users', 'report-recipients'],
    queryFn: async ({ signal }) =>
      (await apiRequest<{ items: Person[] }>('/users', { signal })).items.filter((u) =>
        ['owner', 'admin', 'manager'].includes(u.role),
      ),
    enabled,
    staleTime: 5 * 60_000,
  });
