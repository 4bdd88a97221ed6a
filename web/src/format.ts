/** @module Numbers and dates written the way the reader's locale writes them. */
import type { Locale } from './api/types';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n:${locale}:${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.NumberFormat | undefined;
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d:${locale}:${JSON.stringify(options)}`;
  let format = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

/** An NPS value: one decimal at most, no % sign (NPS is a difference of shares, not a share). */
export function formatNps(locale: Locale, value: number | null): string {
  if (value === null) return '—';
  return numberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/** A change in NPS points, always signed: +3.2, −1, 0. */
export function formatDiff(locale: Locale, value: number): string {
  return numberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(value);
}

export function formatCount(locale: Locale, value: number): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** A share given as a fraction 0…1. */
export function formatShare(locale: Locale, fraction: number): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

export function formatPValue(locale: Locale, p: number): string {
  if (p < 0.001) return `< ${numberFormat(locale, { maximumFractionDigits: 3 }).format(0.001)}`;
  return numberFormat(locale, { maximumSignificantDigits: 2 }).format(p);
}

/** A calendar date `YYYY-MM-DD`, shown as that same day whatever the browser's zone. */
export function formatDay(locale: Locale, day: string): string {
  const [year, month, date] = day.slice(0, 10).split('-').map(Number);
  if (!year || !month || !date) return day;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, date));
}

/** A month key `YYYY-MM` as a short axis label: "Mar 2026", «март 2026 г.». */
export function formatMonth(locale: Locale, key: string, style: 'short' | 'long' = 'short'): string {
  const [year, month] = key.split('-').map(Number);
  if (!year || !month) return key;
  return dateFormat(locale, { month: style, year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, month - 1, 1),
  );
}

/** An instant, in the organisation's time zone (days are cut there, so times are read there too). */
export function formatInstant(locale: Locale, iso: string, timeZone: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  try {
    return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);
  } catch {
    // An unknown zone name: fall back to the browser's own zone rather than fail the page.
    return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(instant);
  }
}

/** `answeredAt` holds a date only for employees (a coarse time keeps them anonymous). */
export function formatAnsweredAt(locale: Locale, value: string, timeZone: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? formatDay(locale, value)
    : formatInstant(locale, value, timeZone);
}
