/** @module A small history-API router: the dashboard has few pages and needs no router package. */
import { useCallback, useMemo, useSyncExternalStore } from 'react';

export const ROUTES = { customers: '/customers', employees: '/employees', login: '/login' } as const;

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

/** Goes to a same-origin path like `/employees?period=allTime`. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export interface Location {
  path: string;
  search: URLSearchParams;
}

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const url = new URL(current, window.location.origin);
    return { path: url.pathname, search: url.searchParams };
  }, [current]);
}

/** Reads and writes the query string: the page's filters live there, so a link shares the view. */
export function useSearchParams(): [URLSearchParams, (patch: Record<string, string | null>) => void] {
  const { search } = useLocation();
  const update = useCallback((patch: Record<string, string | null>) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, { replace: true });
  }, []);
  return [search, update];
}
