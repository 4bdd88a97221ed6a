/**
 * @module When a person's digest is due: daily at their local time, weekly on their weekday at that time, each
 * period ('2026-12-02', '2026-W49') once. A server that was down at that moment sends it when it comes back
 * within the same period, and skips a period that has ended (yesterday's digest is no longer news).
 */
import { localMinuteOfDay, minutesOf } from './call-hours.js';
import { addDays, isoWeekKey, localDay, weekStart } from './period.js';

export type DigestKind = 'daily' | 'weekly';

export interface DigestTime {
  /** Local 'HH:MM'. */
  at: string;
  /** ISO weekday 1 (Monday) … 7 for the weekly digest. */
  weekday: number;
  timeZone: string;
}

export const DEFAULT_DIGEST_AT = '09:00';
export const DEFAULT_DIGEST_WEEKDAY = 1;

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day 'YYYY-MM-DD'. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The period a digest of this kind is due for at `now`, or null when it is not yet time in this period. */
export function dueDigestPeriod(now: Date, kind: DigestKind, time: DigestTime): string | null {
  const today = localDay(now, time.timeZone);
  const minute = localMinuteOfDay(now, time.timeZone);
  const at = minutesOf(time.at);
  if (kind === 'daily') return minute >= at ? today : null;
  const weekday = isoWeekday(today);
  if (weekday < time.weekday || (weekday === time.weekday && minute < at)) return null;
  return isoWeekKey(today);
}

/** The local days the daily digest reports on: yesterday (the last whole day) and the 7 days up to it. */
export function dailyRange(today: string) {
  const yesterday = addDays(today, -1);
  return { from: yesterday, to: yesterday, weekFrom: addDays(yesterday, -6) };
}

/** The weekly digest: the last whole ISO week before the week it is sent in, and the 4 weeks before that. */
export function weeklyRange(today: string) {
  const thisMonday = weekStart(today);
  const from = addDays(thisMonday, -7);
  return {
    from,
    to: addDays(thisMonday, -1),
    baselineFrom: addDays(from, -28),
    baselineTo: addDays(from, -1),
  };
}
