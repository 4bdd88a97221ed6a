/** @module TanStack Query hooks for the session, the surveys and the NPS overview. */
import { QueryCache, QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, isUnauthorized, ProblemError } from './client';
import type { Audience, Overview, Page, Survey, User } from './types';

const meKey = ['me'] as const;

/** A query client that signs the user out of the app when any request meets a 401. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isUnauthorized(error) && query.queryKey[0] !== meKey[0]) client.setQueryData(meKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => !(error instanceof ProblemError && error.status >= 400) && failures < 2,
      },
    },
  });
  return client;
}

/** The signed-in user, or null when there is no session. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        return (await apiRequest<{ user: User }>('/auth/me', { signal })).user;
      } catch (error) {
        if (isUnauthorized(error)) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { email: string; password: string; code?: string }) =>
      apiRequest<{ user: User }>('/auth/login', { method: 'POST', body: credentials }),
    onSuccess: ({ user }) => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
      client.setQueryData(meKey, user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('/auth/logout', { method: 'POST' }),
    onSettled: () => {
      // A full page load drops every cached figure of the user who left, not just the queries.
      void client.cancelQueries();
      window.location.assign('/login');
    },
  });
}

/** Every survey of one audience, following the cursor (bounded, the selector lists names only). */
export function useSurveys(audience: Audience) {
  return useQuery({
    queryKey: ['surveys', audience],
    queryFn: async ({ signal }) => {
      const items: Survey[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const params = new URLSearchParams({ audience });
        if (cursor) params.set('cursor', cursor);
        const answer: Page<Survey> = await apiRequest<Page<Survey>>(`/surveys?${params}`, { signal });
        items.push(...answer.items.filter((survey) => survey.audience === audience));
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      return items;
    },
  });
}

export interface OverviewFilter {
  audience: Audience;
  surveyId: string | null;
  from: string;
  to: string;
}

export function overviewPath({ audience, surveyId, from, to }: OverviewFilter): string {
  const params = new URLSearchParams({ audience, from, to });
  if (surveyId) params.set('surveyId', surveyId);
  return `/overview?${params}`;
}

export function useOverview(filter: OverviewFilter | null) {
  return useQuery({
    queryKey: ['overview', filter],
    queryFn: ({ signal }) => apiRequest<Overview>(overviewPath(filter!), { signal }),
    enabled: filter !== null,
    // Keep the last figures on screen while a new period loads, but never across audiences:
    // employee figures must not stand in for customer ones, nor the reverse.
    placeholderData: (previous) => (previous?.audience === filter?.audience ? previous : undefined),
  });
}
