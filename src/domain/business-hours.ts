/** @module Deadlines in working time: start + N working hours in an org's zone, workdays, hours and holidays. */
import { isTimeOfDay, localMinuteOfDay, minutesOf } from './call-hours.js';
import { addDays, type Day, localDay, startOfLocalDay } from './period.js';
import type { BusinessCalendar } from './playbook.js';

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;
/** Ten years of calendar days: a deadline beyond that means a calendar with no working time at all. */
const MAX_DAYS = 3660;

/** ISO weekday of a local day, 1 (Monday) … 7 (Sunday): '2026-11-20' (a Friday) → 5. */
export function isoWeekday(day: Day): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant a local day reads `minutes` past midnight (one correction step for a day with a clock change). */
function atLocalMinute(day: Day, minutes: number, timeZone: string): Date {
  const guess = startOfLocalDay(day, timeZone).getTime() + minutes * MS_PER_MINUTE;
  const drift = localMinuteOfDay(new Date(guess), timeZone) - minutes;
  return new Date(guess - (Math.abs(drift) < 720 ? drift : 0) * MS_PER_MINUTE);
}

/** Whether a calendar has any working time at all (some workday, a start before the end). */
export function hasWorkingTime(calendar: BusinessCalendar): boolean {
  if (!isTimeOfDay(calendar.start) || !isTimeOfDay(calendar.end)) return false;
  return (
    calendar.workdays.some((d) => d >= 1 && d <= 7) && minutesOf(calendar.start) < minutesOf(calendar.end)
  );
}

function isWorkingDay(day: Day, calendar: BusinessCalendar, holidays: Set<string>): boolean {
  return calendar.workdays.includes(isoWeekday(day)) && !holidays.has(day);
}

/**
 * The due time `hours` working hours after `start`. With the calendar off (or without any working time) it is
 * plain elapsed time. With it on, only the local hours [start, end) of workdays that are not holidays count:
 * Friday 17:00 + 2 h with 09:00–18:00 Mon–Fri = 1 h on Friday + 1 h on Monday = Monday 10:00. Zero hours is
 * `start` itself. A span that ends exactly at the close of a day ends at that close, not the next morning.
 */
export function addWorkingHours(
  start: Date,
  hours: number,
  calendar: BusinessCalendar,
  timeZone: string,
): Date {
  if (!calendar.enabled || !hasWorkingTime(calendar) || hours <= 0) {
    return new Date(start.getTime() + Math.max(0, hours) * MS_PER_HOUR);
  }
  const holidays = new Set(calendar.holidays);
  const open = minutesOf(calendar.start);
  const close = minutesOf(calendar.end);
  let remaining = hours * MS_PER_HOUR;
  let cursor = start;
  let day = localDay(start, timeZone);
  for (let k = 0; k < MAX_DAYS; k++) {
    if (isWorkingDay(day, calendar, holidays)) {
      const opens = atLocalMinute(day, open, timeZone);
      const closes = atLocalMinute(day, close, timeZone);
      const from = new Date(Math.max(cursor.getTime(), opens.getTime()));
      if (from < closes) {
        const available = closes.getTime() - from.getTime();
        if (remaining <= available) return new Date(from.getTime() + remaining);
        remaining -= available;
      }
    }
    day = addDays(day, 1);
    cursor = startOfLocalDay(day, timeZone);
  }
  // Unreachable with a validated calendar (holidays cannot cover ten years); plain time rather than a loop.
  return new Date(start.getTime() + hours * MS_PER_HOUR);
}

/** A case is overdue when it is still open after its due time. */
export function isOverdue(dueAt: Date, now: Date, closed: boolean): boolean {
  return !closed && now.getTime() > dueAt.getTime();
}
