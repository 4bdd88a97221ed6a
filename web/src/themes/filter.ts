/** @module The themes pages' address: their path, the filter kept in the query string, and in-app links. */
import type { MouseEvent } from 'react';
import type { Audience } from '../api/types';
import { navigate, useSearchParams } from '../router';
import type { ThemeFilter } from './api';

export const THEMES_PATH = '/themes';
const PERIODS = { '30': 30, '90': 90, '365': 365 } as const;

/** `/themes/{id}` → the id. */
export function themeIdOf(path: string): string | null {
  return /^\/themes\/([0-9a-f-]{36})$/i.exec(path)?.[1] ?? null;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The filter of the address: audience, period (days back from today) and unit. */
export function useThemeFilter(): [
  ThemeFilter,
  URLSearchParams,
  (patch: Record<string, string | null>) => void,
] {
  const [search, setSearch] = useSearchParams();
  const audience: Audience = search.get('audience') === 'employee' ? 'employee' : 'customer';
  const days = PERIODS[(search.get('days') ?? '90') as keyof typeof PERIODS] ?? 90;
  const to = new Date().toISOString().slice(0, 10);
  return [
    { audience, from: addDays(to, -(days - 1)), to, unitId: search.get('unit') ?? undefined },
    search,
    setSearch,
  ];
}

/** Follows an in-app link without a page load (a modified click opens a tab as usual). */
export function follow(e: MouseEvent, href: string) {
  if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
  e.preventDefault();
  navigate(href);
}
