/** @module Imports in the dashboard: upload + dry run, start, progress polling, history, bad lines, mappings. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, apiRequest, ProblemError } from '../api/client';

export type ImportKind = 'contacts' | 'customers';
export type ImportStatus = 'running' | 'paused' | 'completed' | 'failed' | 'rolled_back' | 'interrupted';

export const FIELDS: Record<ImportKind, readonly string[]> = {
  contacts: [
    'occurredAt',
    'unit',
    'unitExternalId',
    'customerExternalId',
    'customerName',
    'phone',
    'email',
    'employee',
    'service',
    'amount',
    'currency',
    'externalId',
  ],
  customers: ['customerExternalId', 'customerName', 'phone', 'email', 'unit', 'unitExternalId'],
};

export interface ImportOptions {
  createUnits: boolean;
  createEmployees: boolean;
}

export interface DryRun {
  uploadId: string;
  kind: ImportKind;
  file: {
    name: string;
    format: 'csv' | 'xlsx';
    encoding: string | null;
    delimiter: string | null;
    headers: string[];
  };
  mapping: Record<string, string>;
  mappingErrors: string[];
  preview: { line: number; values: Record<string, string | number | null>; problems: Problem[] }[];
  problems: (Problem & { line: number })[];
  problemsTruncated: boolean;
  totals: {
    rows: number;
    ok: number;
    bad: number;
    warnings: number;
    unitsToCreate: number;
    employeesToCreate: number;
  };
  verdict: string;
}

export interface Problem {
  field: string;
  message: string;
  level?: 'error' | 'warning';
}

export interface ImportJob {
  id: string;
  kind: ImportKind;
  fileName: string;
  status: ImportStatus;
  rowsRead: number;
  rowsOk: number;
  rowsBad: number;
  rowsCreated: number;
  progress: number;
  lastError: string | null;
  canResume: boolean;
  createdAt: string;
}

export interface SavedMapping {
  id: string;
  kind: ImportKind;
  name: string;
  mapping: Record<string, string>;
}

/** Sends the file itself as the body (streamed by the browser; the server writes it to disk as it comes). */
export async function uploadForDryRun(file: File, kind: ImportKind, options: ImportOptions): Promise<DryRun> {
  const query = new URLSearchParams({
    kind,
    dryRun: 'true',
    fileName: file.name,
    createUnits: String(options.createUnits),
    createEmployees: String(options.createEmployees),
  });
  const response = await fetch(`${API_BASE}/imports?${query}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/octet-stream', accept: 'application/json' },
    body: file,
  }).catch(() => {
    throw new ProblemError({ type: 'about:blank', title: 'Network error', status: 0 });
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ProblemError({
      type: body.type ?? 'about:blank',
      title: body.title ?? response.statusText,
      status: response.status,
      detail: body.detail,
      errors: body.errors,
    });
  }
  return body as DryRun;
}

interface FromUpload {
  uploadId: string;
  kind: ImportKind;
  fileName: string;
  mapping: Record<string, string>;
  options: ImportOptions;
}

export const recheck = (b: FromUpload) =>
  apiRequest<DryRun>('/imports', { method: 'POST', body: { ...b, dryRun: true } });

export function useStartImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (b: FromUpload) => apiRequest<ImportJob>('/imports', { method: 'POST', body: b }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['imports'] }),
  });
}

export function useImports() {
  return useQuery({
    queryKey: ['imports'],
    queryFn: () => apiRequest<{ items: ImportJob[] }>('/imports'),
    // Poll while something runs: progress is read, never pushed.
    refetchInterval: (q) => (q.state.data?.items.some((j) => j.status === 'running') ? 1000 : false),
  });
}

export function useImportErrors(id: string | null) {
  return useQuery({
    queryKey: ['imports', id, 'errors'],
    enabled: id !== null,
    queryFn: () =>
      apiRequest<{ items: { line: number; bad: boolean; errors: Problem[]; raw: string | null }[] }>(
        `/imports/${id}/errors?limit=200`,
      ),
  });
}

export function useImportAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'resume' | 'rollback' | 'pause' }) =>
      apiRequest<unknown>(`/imports/${id}/${action}`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['imports'] }),
  });
}

export function useMappings() {
  return useQuery({
    queryKey: ['import-mappings'],
    queryFn: () => apiRequest<{ items: SavedMapping[] }>('/import-mappings'),
  });
}

export function useSaveMapping() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (m: { kind: ImportKind; name: string; mapping: Record<string, string> }) =>
      apiRequest<SavedMapping>('/import-mappings', { method: 'POST', body: m }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['import-mappings'] }),
  });
}
