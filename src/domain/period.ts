/** @module Calendar cuts (days, ISO weeks, months, periods) in an organisation's IANA time zone, with Intl only. */

/** A local calendar day, 'YYYY-MM-DD'. */
export type Day = string;

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `tz` is an IANA zone name this runtime knows ('Europe/Moscow', 'UTC'); offsets like '+03:00' are not zones. */
export function isValidTimeZone(tz: string): boolean {
  if (tz.trim() === '' || /^[+-]/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/** The calendar day an instant falls on in a zone: 2026-01-31T21:30:00Z in Europe/Moscow (UTC+3) → '2026-02-01'. */
export function localDay(instant: Date, timeZone: string): Day {
  const wall = wallClockOf(instant.getTime(), timeZone);
  return formatDay(Math.floor(wall / MS_PER_DAY));
}

/**
 * The instant a local day begins, so that local days [from, to] are the instants
 * [startOfLocalDay(from), startOfLocalDay(addDays(to, 1))).
 *
 * Midnight may occur twice (a clock turned back across midnight) or not at all (a clock turned forward at
 * midnight, as in America/Santiago or, until 2019, America/Sao_Paulo). The candidates are midnight read with
 * the offset in force a day before and a day after; the earliest one whose wall clock really reads midnight
 * wins, the same resolution as Temporal's 'earlier' disambiguation. If neither does, midnight fell in a gap
 * and the day begins at the transition itself, found by bisection between the two candidates.
 */
export function startOfLocalDay(day: Day, timeZone: string): Date {
  const midnight = epochDayOf(day) * MS_PER_DAY; // the wall-clock midnight, read as if it were UTC
  const offsetBefore = offsetAt(midnight - MS_PER_DAY, timeZone);
  const offsetAfter = offsetAt(midnight + MS_PER_DAY, timeZone);
  const candidates = [midnight - offsetBefore, midnight - offsetAfter]
    .filter((t) => wallClockOf(t, timeZone) === midnight)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);

  // In the gap the wall clock runs before midnight up to the transition and after midnight from it on.
  let before = Math.min(midnight - offsetBefore, midnight - offsetAfter);
  let after = Math.max(midnight - offsetBefore, midnight - offsetAfter);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClockOf(middle, timeZone) >= midnight) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/** 'YYYY-MM' of a day. */
export function monthKey(day: Day): string {
  epochDayOf(day);
  return day.slice(0, 7);
}

/**
 * 'YYYY-Www', the ISO 8601 week: weeks start on Monday and belong to the year of their Thursday, so
 * 2026-01-01 (a Thursday) → '2026-W01' and 2027-01-01 (a Friday) → '2026-W53'.
 */
export function isoWeekKey(day: Day): string {
  const thursday = epochDayOf(weekStart(day)) + 3;
  const weekYear = new Date(thursday * MS_PER_DAY).getUTCFullYear();
  const firstOfYear = Date.UTC(weekYear, 0, 1) / MS_PER_DAY;
  const week = Math.floor((thursday - firstOfYear) / 7) + 1;
  return `${String(weekYear).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of the ISO week a day belongs to. */
export function weekStart(day: Day): Day {
  const epochDay = epochDayOf(day);
  const mondayBased = (new Date(epochDay * MS_PER_DAY).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return formatDay(epochDay - mondayBased);
}

/** The day `n` days after (or, for negative n, before) `day`. */
export function addDays(day: Day, n: number): Day {
  if (!Number.isInteger(n)) throw new RangeError(`days to add must be an integer, got ${n}`);
  return formatDay(epochDayOf(day) + n);
}

/** Days from `a` to `b`: daysBetween('2026-01-01', '2026-01-31') = 30; negative when b is before a. */
export function daysBetween(a: Day, b: Day): number {
  return epochDayOf(b) - epochDayOf(a);
}

/** The period of the same number of days that ends the day before `from`: 2026-02-01..2026-02-28 → 2026-01-04..2026-01-31. */
export function previousPeriod(from: Day, to: Day): { from: Day; to: Day } {
  const length = daysBetween(from, to) + 1;
  if (length < 1) throw new RangeError(`a period ends on or after it starts, got ${from}..${to}`);
  return { from: addDays(from, -length), to: addDays(from, -1) };
}

/** 'YYYY-Qn', the calendar quarter of a day: 2026-05-31 → '2026-Q2'. */
export function quarterKey(day: Day): string {
  epochDayOf(day);
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The grains a trend is cut into. */
export type Grain = 'week' | 'month' | 'quarter';

/** The first day of the week, month or quarter a day falls in. */
export function bucketStart(day: Day, grain: Grain): Day {
  if (grain === 'week') return weekStart(day);
  epochDayOf(day);
  if (grain === 'month') return `${day.slice(0, 8)}01`;
  const month = Math.floor((Number(day.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${day.slice(0, 5)}${String(month).padStart(2, '0')}-01`;
}

/** The key of the week ('YYYY-Www'), month ('YYYY-MM') or quarter ('YYYY-Qn') a day falls in. */
export function bucketKey(day: Day, grain: Grain): string {
  return grain === 'week' ? isoWeekKey(day) : grain === 'month' ? monthKey(day) : quarterKey(day);
}

/** The first day of the bucket `n` buckets after (or before, n < 0) the one starting on `start`. */
export function shiftBucket(start: Day, grain: Grain, n: number): Day {
  if (grain === 'week') return addDays(weekStart(start), 7 * n);
  const months = grain === 'month' ? n : 3 * n;
  const first = bucketStart(start, grain);
  const index = Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/** The last day of the bucket that starts on `start`. */
export function bucketEnd(start: Day, grain: Grain): Day {
  return addDays(shiftBucket(start, grain, 1), -1);
}

/**
 * The first day of the same bucket a year earlier: the same month or quarter of the year before, and for weeks the
 * week 52 weeks earlier (the same weekdays, so a week with a holiday compares with the same season).
 */
export function yearAgoBucket(start: Day, grain: Grain): Day {
  return grain === 'week'
    ? addDays(weekStart(start), -364)
    : shiftBucket(start, grain, grain === 'month' ? -12 : -4);
}

// Days are handled as whole days since 1970-01-01 in the proleptic Gregorian calendar (Date's UTC arithmetic),
// which has no time zone and no DST, so adding days can never slip by an hour.
function epochDayOf(day: Day): number {
  const match = DAY_PATTERN.exec(day);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
    const check = new Date(0);
    check.setUTCFullYear(y, m - 1, d);
    if (check.getUTCFullYear() === y && check.getUTCMonth() === m - 1 && check.getUTCDate() === d) {
      return check.getTime() / MS_PER_DAY;
    }
  }
  throw new RangeError(`a day is written YYYY-MM-DD and exists in the calendar, got '${day}'`);
}

function formatDay(epochDay: number): Day {
  const date = new Date(epochDay * MS_PER_DAY);
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  const m = String(date.getUTCMonth() + 1).padStart(2, '0');
  const d = String(date.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

// Building an Intl.DateTimeFormat costs far more than using one, and rollups ask for the same few zones again
// and again; the cache holds no data, only formatters, so the functions stay pure.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock time in the zone at an instant, as milliseconds since 1970-01-01T00:00 read as if it were UTC. */
function wallClockOf(epochMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  let beforeCommonEra = false;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type === 'era') beforeCommonEra = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = beforeCommonEra ? 1 - (fields.year ?? 0) : (fields.year ?? 0);
  // Older ICU printed the first hour of a day as '24' (with the same date) when asked for a 24-hour clock.
  const hour = fields.hour === 24 ? 0 : (fields.hour ?? 0);
  const wall = new Date(0);
  wall.setUTCFullYear(year, (fields.month ?? 1) - 1, fields.day ?? 1);
  wall.setUTCHours(hour, fields.minute ?? 0, fields.second ?? 0, 0);
  // Intl prints whole seconds; put back the instant's milliseconds so that wall − instant is the exact offset.
  return wall.getTime() + (((epochMs % 1000) + 1000) % 1000);
}

/** The zone's offset from UTC at an instant, in milliseconds (Moscow: +3 h). */
function offsetAt(epochMs: number, timeZone: string): number {
  return wallClockOf(epochMs, timeZone) - epochMs;
}
