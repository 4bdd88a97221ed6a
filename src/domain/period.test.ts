// Tests of calendar cuts in a time zone: local days, DST-correct day starts, ISO weeks, months and periods.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  bucketEnd,
  bucketKey,
  bucketStart,
  daysBetween,
  isoWeekKey,
  isValidTimeZone,
  localDay,
  monthKey,
  previousPeriod,
  quarterKey,
  shiftBucket,
  startOfLocalDay,
  weekStart,
  yearAgoBucket,
} from './period.js';

const HOUR = 3_600_000;
const hoursIn = (day: string, zone: string) =>
  (startOfLocalDay(addDays(day, 1), zone).getTime() - startOfLocalDay(day, zone).getTime()) / HOUR;

const ZONES = [
  'UTC',
  'Europe/Moscow',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago', // DST starts at midnight: some days have no 00:00
  'America/Havana', // DST changes at midnight too
  'America/St_Johns', // −03:30 / −02:30
  'Asia/Kathmandu', // +05:45
  'Asia/Tehran',
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Pacific/Chatham', // +12:45 / +13:45
  'Pacific/Apia', // skipped 2011-12-30 altogether
  'Pacific/Kiritimati', // +14
  'Pacific/Pago_Pago', // −11
];
const zone = fc.constantFrom(...ZONES);
const instant = fc.date({
  min: new Date('1970-01-01T00:00:00Z'),
  max: new Date('2100-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const day = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2200, 0, 1) / 86_400_000 })
  .map((epochDay) => new Date(epochDay * 86_400_000).toISOString().slice(0, 10));

describe('localDay', () => {
  it('reads the day in the zone, not in UTC', () => {
    // 21:30 UTC + 3 h = 00:30 on the next day in Moscow
    expect(localDay(new Date('2026-01-31T21:30:00Z'), 'Europe/Moscow')).toBe('2026-02-01');
    expect(localDay(new Date('2026-01-31T21:30:00Z'), 'UTC')).toBe('2026-01-31');
    // 03:00 UTC − 5 h = 22:00 the evening before in New York (winter)
    expect(localDay(new Date('2026-01-01T03:00:00Z'), 'America/New_York')).toBe('2025-12-31');
  });

  it('handles instants before 1970 and the last millisecond of a day', () => {
    expect(localDay(new Date(-1), 'UTC')).toBe('1969-12-31');
    expect(localDay(new Date('2026-02-01T20:59:59.999Z'), 'Europe/Moscow')).toBe('2026-02-01');
    expect(localDay(new Date('2026-02-01T21:00:00.000Z'), 'Europe/Moscow')).toBe('2026-02-02');
  });
});

describe('startOfLocalDay', () => {
  it('starts Moscow days at 21:00 UTC the day before', () => {
    expect(startOfLocalDay('2026-02-01', 'Europe/Moscow').toISOString()).toBe('2026-01-31T21:00:00.000Z');
  });

  it('follows Berlin across both DST changes of 2026', () => {
    // Summer time starts Sun 29 March 02:00 CET → 03:00 CEST: that day has 23 hours.
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDay('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(hoursIn('2026-03-29', 'Europe/Berlin')).toBe(23);
    // It ends Sun 25 October 03:00 CEST → 02:00 CET: that day has 25 hours.
    expect(startOfLocalDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfLocalDay('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(hoursIn('2026-10-25', 'Europe/Berlin')).toBe(25);
  });

  it('follows New York across both DST changes of 2026', () => {
    // DST starts Sun 8 March 02:00 EST (−5) → 03:00 EDT (−4); ends Sun 1 November 02:00 EDT → 01:00 EST.
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfLocalDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(hoursIn('2026-03-08', 'America/New_York')).toBe(23);
    expect(startOfLocalDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfLocalDay('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(hoursIn('2026-11-01', 'America/New_York')).toBe(25);
  });

  it('starts a day with no midnight at the moment the clock jumps', () => {
    // Santiago moves 00:00 −04 → 01:00 −03 on Sun 6 September 2026: the day begins at 01:00 local = 04:00Z.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDay(start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDay(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2026-09-05');
    expect(hoursIn('2026-09-06', 'America/Santiago')).toBe(23);
  });

  it('gives a day the calendar skipped no length at all', () => {
    // Samoa went from 29 December 2011 straight to 31 December (−10 → +14).
    expect(hoursIn('2011-12-29', 'Pacific/Apia')).toBe(24);
    expect(hoursIn('2011-12-30', 'Pacific/Apia')).toBe(0);
    expect(startOfLocalDay('2011-12-31', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });

  it('puts every instant inside the local day it belongs to', () => {
    fc.assert(
      fc.property(instant, zone, (t, z) => {
        const d = localDay(t, z);
        expect(startOfLocalDay(d, z).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(t.getTime()).toBeLessThan(startOfLocalDay(addDays(d, 1), z).getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('returns an instant that falls on the same local day, and days that never shrink below 0 or pass 27 hours', () => {
    fc.assert(
      fc.property(day, zone, (d, z) => {
        const hours = hoursIn(d, z);
        expect(hours).toBeGreaterThanOrEqual(0);
        expect(hours).toBeLessThanOrEqual(27);
        if (hours > 0) expect(localDay(startOfLocalDay(d, z), z)).toBe(d);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ISO weeks and months', () => {
  it.each([
    ['2026-01-01', '2026-W01'], // a Thursday: week 1 of 2026
    ['2027-01-01', '2026-W53'], // a Friday: still the last week of 2026
    ['2024-12-30', '2025-W01'], // a Monday whose Thursday is in 2025
    ['2021-01-03', '2020-W53'], // a Sunday
    ['2026-12-31', '2026-W53'],
    ['2026-06-15', '2026-W25'],
  ])('puts %s in %s', (d, key) => {
    expect(isoWeekKey(d)).toBe(key);
  });

  it('starts weeks on Monday', () => {
    expect(weekStart('2026-01-01')).toBe('2025-12-29'); // Thursday → the Monday before
    expect(weekStart('2026-01-04')).toBe('2025-12-29'); // Sunday ends that week
    expect(weekStart('2026-01-05')).toBe('2026-01-05'); // a Monday is its own start
  });

  it('keeps the seven days from a Monday in one week and the eighth in the next', () => {
    fc.assert(
      fc.property(day, (d) => {
        const monday = weekStart(d);
        expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
        expect(daysBetween(monday, d)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(monday, d)).toBeLessThan(7);
        expect(isoWeekKey(addDays(monday, 6))).toBe(isoWeekKey(d));
        expect(isoWeekKey(addDays(monday, 7))).not.toBe(isoWeekKey(d));
        expect(isoWeekKey(d)).toMatch(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/);
      }),
    );
  });

  it('cuts months from the day', () => {
    expect(monthKey('2026-02-28')).toBe('2026-02');
  });
});

describe('day arithmetic', () => {
  it('crosses month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-01', '2026-02-01')).toBe(-28);
  });

  it('undoes addDays with daysBetween', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(daysBetween(d, addDays(d, n))).toBe(n);
        expect(addDays(addDays(d, n), -n)).toBe(d);
      }),
    );
  });

  it('refuses days that are malformed or not in the calendar, and fractional day counts', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-1', '26-01-01', '2026-01-01T00:00', '']) {
      expect(() => addDays(bad, 1)).toThrow(RangeError);
    }
    expect(() => monthKey('2026-02-30')).toThrow(RangeError);
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('previousPeriod', () => {
  it('gives the period of equal length that ends the day before', () => {
    // February 2026 has 28 days; the 28 days before it are 4–31 January.
    expect(previousPeriod('2026-02-01', '2026-02-28')).toEqual({ from: '2026-01-04', to: '2026-01-31' });
    expect(previousPeriod('2026-03-01', '2026-03-01')).toEqual({ from: '2026-02-28', to: '2026-02-28' });
  });

  it('refuses a period that ends before it starts', () => {
    expect(() => previousPeriod('2026-02-02', '2026-02-01')).toThrow(RangeError);
  });

  it('keeps the length and touches the period without overlap', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (from, extra) => {
        const to = addDays(from, extra);
        const prev = previousPeriod(from, to);
        expect(daysBetween(prev.from, prev.to)).toBe(extra);
        expect(addDays(prev.to, 1)).toBe(from);
      }),
    );
  });
});

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Moscow', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
    ['+03:00', false],
  ])('%s → %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});

describe('buckets: weeks, months, quarters', () => {
  it('keys and starts a day in its week, month and quarter', () => {
    expect(quarterKey('2026-05-31')).toBe('2026-Q2');
    expect(quarterKey('2026-12-31')).toBe('2026-Q4');
    expect(bucketStart('2026-05-31', 'quarter')).toBe('2026-04-01');
    expect(bucketStart('2026-05-31', 'month')).toBe('2026-05-01');
    expect(bucketStart('2026-05-31', 'week')).toBe('2026-05-25'); // a Sunday → its Monday
    expect(bucketKey('2027-01-01', 'week')).toBe('2026-W53');
  });

  it('steps back a bucket and a year', () => {
    expect(shiftBucket('2026-01-01', 'month', -1)).toBe('2025-12-01');
    expect(shiftBucket('2026-01-01', 'quarter', -1)).toBe('2025-10-01');
    expect(shiftBucket('2026-05-25', 'week', -1)).toBe('2026-05-18');
    expect(bucketEnd('2024-02-01', 'month')).toBe('2024-02-29');
    expect(bucketEnd('2026-04-01', 'quarter')).toBe('2026-06-30');
    expect(yearAgoBucket('2026-03-01', 'month')).toBe('2025-03-01');
    expect(yearAgoBucket('2026-04-01', 'quarter')).toBe('2025-04-01');
    // 52 weeks back: week 22 of 2026 → week 22 of 2025.
    expect(bucketKey(yearAgoBucket('2026-05-25', 'week'), 'week')).toBe('2025-W22');
  });

  it('tiles the calendar: each bucket ends the day before the next starts, and every day is in its bucket', () => {
    const grains = ['week', 'month', 'quarter'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.constantFrom(...grains),
        fc.integer({ min: -30, max: 30 }),
        (offset, grain, n) => {
          const day = addDays('1970-01-01', offset);
          const start = bucketStart(day, grain);
          expect(start <= day && day <= bucketEnd(start, grain)).toBe(true);
          expect(bucketKey(start, grain)).toBe(bucketKey(day, grain));
          const next = shiftBucket(start, grain, n);
          expect(shiftBucket(next, grain, -n)).toBe(start);
          expect(addDays(bucketEnd(start, grain), 1)).toBe(shiftBucket(start, grain, 1));
        },
      ),
    );
  });
});
