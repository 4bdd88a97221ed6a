/** @module Quiet hours: no message goes out at night in the recipient's (unit's or org's) time zone. */
import { addDays, localDay, startOfLocalDay } from './period.js';

/** Local 'HH:MM' times; quiet from `start` up to (not including) `end`; may cross midnight (21:00–09:00). */
export interface QuietHours {
  start: string;
  end: string;
}

export const defaultQuietHours: QuietHours = { start: '21:00', end: '09:00' };

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isHhMm(value: string): boolean {
  return HHMM.test(value);
}

function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`Not a HH:MM time: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallMinutes(instant: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

/** Whether the local time of `instant` falls inside the quiet hours. */
export function isQuiet(instant: Date, quiet: QuietHours, timeZone: string): boolean {
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return false;
  const w = wallMinutes(instant, timeZone);
  return s < e ? w >= s && w < e : w >= s || w < e;
}

/**
 * The earliest instant at or after `instant` outside the quiet hours: `instant` itself when it is not quiet,
 * otherwise the local `end` time (today's, or tomorrow's when the quiet hours crossed midnight before it).
 */
export function notBeforeQuietEnds(instant: Date, quiet: QuietHours, timeZone: string): Date {
  if (!isQuiet(instant, quiet, timeZone)) return instant;
  const e = minutesOf(quiet.end);
  const today = localDay(instant, timeZone);
  const day = wallMinutes(instant, timeZone) < e ? today : addDays(today, 1);
  // Local midnight plus the minutes; if a clock change happened in between, correct by what the wall shows.
  let at = startOfLocalDay(day, timeZone).getTime() + e * 60_000;
  const drift = wallMinutes(new Date(at), timeZone) - e;
  if (drift !== 0 && Math.abs(drift) <= 120) at -= drift * 60_000;
  return new Date(Math.max(at, instant.getTime()));
}
