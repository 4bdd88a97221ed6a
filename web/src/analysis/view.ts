/** @module The analysis view kept in the address: filters, grain, dimension, ranking — so a link shares the view. */
import type { Dimension, Grain } from './api';

export const FILTER_KEYS = ['unit', 'employee', 'channel', 'service', 'revenue', 'visits', 'tenure'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export const CUSTOMER_ONLY: readonly FilterKey[] = [
  'employee',
  'channel',
  'service',
  'revenue',
  'visits',
  'tenure',
];
export const DIMENSIONS: readonly Dimension[] = [
  'unit',
  'employee',
  'channel',
  'survey',
  'service',
  'revenue',
  'visits',
  'tenure',
];
const GRAINS: readonly Grain[] = ['week', 'month', 'quarter'];

/** The API's name of each filter of the address. */
const API_NAME: Record<FilterKey, string> = {
  unit: 'unitId',
  employee: 'employeeId',
  channel: 'channel',
  service: 'service',
  revenue: 'revenue',
  visits: 'visits',
  tenure: 'tenure',
};

export interface View {
  filters: Partial<Record<FilterKey, string>>;
  grain: Grain;
  by: Dimension;
  parent: string | null;
  rankOf: 'unit' | 'employee';
  level: 'region' | 'branch' | 'department';
  minAnswers: number;
}

export function readView(params: URLSearchParams, employee: boolean): View {
  const filters: View['filters'] = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null && !(employee && CUSTOMER_ONLY.includes(key))) filters[key] = value;
  }
  const grain = params.get('grain') as Grain;
  const by = params.get('by') as Dimension;
  const level = params.get('level');
  const min = Number(params.get('min'));
  return {
    filters,
    grain: GRAINS.includes(grain) ? grain : 'month',
    by: DIMENSIONS.includes(by) && (!employee || by === 'unit' || by === 'survey') ? by : 'unit',
    parent: params.get('parent'),
    rankOf: !employee && params.get('rank') === 'employee' ? 'employee' : 'unit',
    level: level === 'region' || level === 'department' ? level : 'branch',
    minAnswers: Number.isInteger(min) && min >= 1 ? min : employee ? 5 : 30,
  };
}

/** The API query of the view's common filters: the period, the survey and every filter of the address. */
export function apiFilters(
  view: View,
  range: { from: string; to: string },
  surveyId: string | null,
): URLSearchParams {
  const p = new URLSearchParams({ from: range.from, to: range.to });
  if (surveyId) p.set('surveyId', surveyId);
  for (const [key, value] of Object.entries(view.filters) as [FilterKey, string][])
    p.set(API_NAME[key], value);
  return p;
}

export function withParams(
  base: URLSearchParams,
  extra: Record<string, string | number | undefined>,
): URLSearchParams {
  const p = new URLSearchParams(base);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, String(v));
  return p;
}
