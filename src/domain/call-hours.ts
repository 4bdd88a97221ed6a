/** @module Call hours: whether an instant falls in a daily local-time window, and the next instant that does. */
import { addDays, localDay, startOfLocalDay } from './period.js';

/** A daily window in local wall-clock time, 'HH:MM'–'HH:MM'; end before start crosses midnight (22:00–02:00). */
export interface DailyWindow {
  start: string;
  end: string;
}

/** Calls only in the daytime unless the organisation says otherwise (orgs.settings.callHours). */
export const DEFAULT_CALL_HOURS: DailyWindow = { start: '10:00', end: '20:00' };

const HM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight of an 'HH:MM' time: '10:05' → 605. */
export function minutesOf(hm: string): number {
  const m = HM.exec(hm);
  if (!m) throw new RangeError(`Not a time of day 'HH:MM': ${hm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isTimeOfDay(hm: string): boolean {
  return HM.test(hm);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes since local midnight at an instant: 2026-11-20T03:30Z in Asia/Yekaterinburg (UTC+5) → 8:30 → 510. */
export function localMinuteOfDay(instant: Date, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

/** Whether a minute of the day lies in [start, end) of the window; start = end means all day. */
function minuteWithin(minute: number, window: DailyWindow): boolean {
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export function isWithin(instant: Date, window: DailyWindow, timeZone: string): boolean {
  return minuteWithin(localMinuteOfDay(instant, timeZone), window);
}

/** The instant a local day reads `minutes` past midnight (one correction step for a day with a clock change). */
function atLocalMinute(day: string, minutes: number, timeZone: string): Date {
  const guess = startOfLocalDay(day, timeZone).getTime() + minutes * 60_000;
  const drift = localMinuteOfDay(new Date(guess), timeZone) - minutes;
  return new Date(guess - (Math.abs(drift) < 720 ? drift : 0) * 60_000);
}

/**
 * The first instant at or after `instant` inside the window: the instant itself when it is inside, otherwise the
 * window's next local start. 21:30 with 10:00–20:00 → 10:00 the next local day; 08:30 → 10:00 the same day.
 */
export function nextWithin(instant: Date, window: DailyWindow, timeZone: string): Date {
  if (isWithin(instant, window, timeZone)) return instant;
  const start = minutesOf(window.start);
  const today = localDay(instant, timeZone);
  const startToday = atLocalMinute(today, start, timeZone);
  return startToday > instant ? startToday : atLocalMinute(addDays(today, 1), start, timeZone);
}
