/** @module The shapes of the JSON API under /api/v1 that the dashboard reads. */

export type Role = 'owner' | 'admin' | 'manager' | 'frontline' | 'analyst';
export type Locale = 'ru' | 'en';
export type Audience = 'customer' | 'employee';

export interface User {
  id: string;
  email: string;
  role: Role;
  locale: Locale;
  orgName: string;
  timeZone: string;
}

export interface Survey {
  id: string;
  name: string;
  audience: Audience;
  kind: 'relationship' | 'transactional';
  status: string;
  defaultLocale: Locale;
  createdAt: string;
  responseCount: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One NPS figure with its uncertainty; `nps`, `ci95` and `moe` are null when `n` is 0. */
export interface NpsRow {
  key: string;
  label: string;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  ci95: [number, number] | null;
  moe: number | null;
  smallSample: boolean;
}

export interface LatestReason {
  id: string;
  score: number;
  reason: string;
  unitName: string | null;
  /** An ISO timestamp for customers; a date only (YYYY-MM-DD) for employees. */
  answeredAt: string;
}

export interface Overview {
  audience: Audience;
  from: string;
  to: string;
  timeZone: string;
  total: NpsRow;
  previous: NpsRow | null;
  change: { diff: number; pValue: number; significant: boolean } | null;
  distribution: number[];
  trend: NpsRow[];
  byBranch: NpsRow[];
  latestReasons: LatestReason[];
  minGroupSize: number;
}

/** RFC 9457 problem details, as the server answers every error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
