/** @module Reporting periods: the presets of the period selector, cut in the organisation's zone. */

export const PRESETS = ['last30Days', 'last3Months', 'last12Months', 'yearToDate', 'allTime'] as const;
export type Preset = (typeof PRESETS)[number];
export type PeriodChoice = Preset | 'custom';

export function isPeriodChoice(value: string | null): value is PeriodChoice {
  return value === 'custom' || (PRESETS as readonly string[]).includes(value ?? '');
}

/** A closed range of calendar days, both ends `YYYY-MM-DD` and included. */
export interface DayRange {
  from: string;
  to: string;
}

/** Before any NPS programme this tool will hold; the trend lists only months that have answers. */
export const ALL_TIME_START = '2000-01-01';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string | null | undefined): value is string {
  if (!value || !DAY.test(value)) return false;
  const [year, month, date] = value.split('-').map(Number) as [number, number, number];
  const utc = new Date(Date.UTC(year, month - 1, date));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === date;
}

/** Today's date in an IANA zone: the organisation's days are cut there, not in the browser's zone. */
export function todayIn(timeZone: string, now: Date): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      now,
    );
  }
}

function toDay(utc: Date): string {
  return utc.toISOString().slice(0, 10);
}

function parts(day: string): [number, number, number] {
  return day.split('-').map(Number) as [number, number, number];
}

/** `day` moved by whole days (calendar arithmetic in UTC, so no daylight-saving surprises). */
export function addDays(day: string, days: number): string {
  const [year, month, date] = parts(day);
  return toDay(new Date(Date.UTC(year, month - 1, date + days)));
}

/** The first day of the month `months` before the month of `day` (0 = its own month). */
export function monthStart(day: string, monthsBack: number): string {
  const [year, month] = parts(day);
  return toDay(new Date(Date.UTC(year, month - 1 - monthsBack, 1)));
}

/**
 * The days a preset covers, ending today. Month presets take whole calendar months (the current one
 * included, so far), so every point of the monthly trend but the last is a full month.
 * `allTime` starts at ALL_TIME_START: a survey's creation date is no bound, since answers can be
 * loaded with their historical dates, and the API has no "first answer" day to ask for.
 */
export function presetRange(preset: Preset, today: string): DayRange {
  switch (preset) {
    case 'last30Days':
      return { from: addDays(today, -29), to: today };
    case 'last3Months':
      return { from: monthStart(today, 2), to: today };
    case 'last12Months':
      return { from: monthStart(today, 11), to: today };
    case 'yearToDate':
      return { from: `${today.slice(0, 4)}-01-01`, to: today };
    case 'allTime':
      return { from: ALL_TIME_START, to: today };
  }
}
