/** @module Anonymous links in the dashboard: their shape and the TanStack Query hooks around /api/v1/links. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../api/client';
import type { Page } from '../api/types';

export type LinkKind = 'link' | 'qr' | 'widget';

export interface SurveyLink {
  id: string;
  surveyId: string;
  unitId: string | null;
  employeeId: string | null;
  kind: LinkKind;
  name: string;
  slug: string;
  active: boolean;
  origins: string[];
  url: string;
  scriptUrl: string;
  snippet: string;
  answers: number;
  createdAt: string;
}

export interface NewLink {
  surveyId: string;
  unitId: string | null;
  kind: LinkKind;
  name: string;
  origins: string[];
}

export interface UnitOption {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}

const linksKey = ['links'] as const;

/** Every link, following the cursor (an organisation has dozens, not thousands). */
export function useLinks() {
  return useQuery({
    queryKey: linksKey,
    queryFn: async ({ signal }) => {
      const items: SurveyLink[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const params = new URLSearchParams({ limit: '200' });
        if (cursor) params.set('cursor', cursor);
        const answer: Page<SurveyLink> = await apiRequest<Page<SurveyLink>>(`/links?${params}`, { signal });
        items.push(...answer.items);
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      return items;
    },
  });
}

export function useUnits() {
  return useQuery({
    queryKey: ['units'],
    queryFn: async ({ signal }) => (await apiRequest<{ items: UnitOption[] }>('/units', { signal })).items,
  });
}

export function useCreateLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (link: NewLink) => apiRequest<SurveyLink>('/links', { method: 'POST', body: link }),
    onSuccess: () => client.invalidateQueries({ queryKey: linksKey }),
  });
}

export function useUpdateLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; active?: boolean; name?: string }) =>
      apiRequest<SurveyLink>(`/links/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: (link) =>
      client.setQueryData<SurveyLink[]>(linksKey, (items) =>
        items?.map((item) => (item.id === link.id ? link : item)),
      ),
  });
}

export function useDeleteLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiRequest<void>(`/links/${id}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: linksKey }),
  });
}
