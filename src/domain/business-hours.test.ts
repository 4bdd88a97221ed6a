import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingHours, isOverdue, isoWeekday } from './business-hours.js';
import { localMinuteOfDay } from './call-hours.js';
import { localDay } from './period.js';
import type { BusinessCalendar } from './playbook.js';

const officeHours: BusinessCalendar = {
  enabled: true,
  workdays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};
const MOSCOW = 'Europe/Moscow'; // UTC+3 all year
const BERLIN = 'Europe/Berlin'; // UTC+1, UTC+2 in summer
const iso = (d: Date) => d.toISOString();

describe('working-hour deadlines', () => {
  it('knows ISO weekdays', () => {
    expect(isoWeekday('2026-11-20')).toBe(5); // a Friday
    expect(isoWeekday('2026-11-22')).toBe(7); // a Sunday
  });

  it('carries Friday 17:00 + 2 h over the weekend to Monday 10:00 (Moscow)', () => {
    // Friday 17:00 MSK = 14:00Z; 1 h left on Friday (to 18:00), 1 h from Monday 09:00 → 10:00 MSK = 07:00Z.
    const due = addWorkingHours(new Date('2026-11-20T14:00:00Z'), 2, officeHours, MOSCOW);
    expect(iso(due)).toBe('2026-11-23T07:00:00.000Z');
  });

  it('crosses the autumn clock change in Berlin', () => {
    // Friday 23 Oct 2026 17:00 CEST (UTC+2) = 15:00Z; clocks go back on Sunday 25 Oct;
    // Monday 26 Oct 10:00 CET (UTC+1) = 09:00Z.
    const due = addWorkingHours(new Date('2026-10-23T15:00:00Z'), 2, officeHours, BERLIN);
    expect(iso(due)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('crosses the spring clock change in Berlin', () => {
    // Friday 27 Mar 2026 17:00 CET = 16:00Z; clocks go forward on Sunday 29 Mar; Monday 10:00 CEST = 08:00Z.
    const due = addWorkingHours(new Date('2026-03-27T16:00:00Z'), 2, officeHours, BERLIN);
    expect(iso(due)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('skips holidays', () => {
    const calendar = { ...officeHours, holidays: ['2026-11-23'] };
    // Monday is a holiday: 1 h on Friday, 1 h on Tuesday from 09:00 → 10:00 MSK = 07:00Z.
    const due = addWorkingHours(new Date('2026-11-20T14:00:00Z'), 2, calendar, MOSCOW);
    expect(iso(due)).toBe('2026-11-24T07:00:00.000Z');
  });

  it('starts counting at the opening when the clock starts before it or on a weekend', () => {
    // Monday 07:00 MSK (04:00Z) + 1 h → 10:00 MSK = 07:00Z.
    expect(iso(addWorkingHours(new Date('2026-11-23T04:00:00Z'), 1, officeHours, MOSCOW))).toBe(
      '2026-11-23T07:00:00.000Z',
    );
    // Saturday noon + 1 h → Monday 10:00.
    expect(iso(addWorkingHours(new Date('2026-11-21T09:00:00Z'), 1, officeHours, MOSCOW))).toBe(
      '2026-11-23T07:00:00.000Z',
    );
  });

  it('counts 48 working hours as five and a third working days', () => {
    // 48 h = 5 × 9 h + 3 h: Monday 09:00 MSK → Monday next week 12:00 MSK = 09:00Z.
    expect(iso(addWorkingHours(new Date('2026-11-23T06:00:00Z'), 48, officeHours, MOSCOW))).toBe(
      '2026-11-30T09:00:00.000Z',
    );
  });

  it('counts plain hours with the calendar off', () => {
    const due = addWorkingHours(
      new Date('2026-11-20T14:00:00Z'),
      48,
      { ...officeHours, enabled: false },
      MOSCOW,
    );
    expect(iso(due)).toBe('2026-11-22T14:00:00.000Z');
  });

  it('tells an open case past its due time from a closed or early one', () => {
    const due = new Date('2026-11-22T14:00:00Z');
    expect(isOverdue(due, new Date('2026-11-22T14:00:01Z'), false)).toBe(true);
    expect(isOverdue(due, new Date('2026-11-22T14:00:00Z'), false)).toBe(false);
    expect(isOverdue(due, new Date('2026-11-23T00:00:00Z'), true)).toBe(false);
  });

  const instant = fc
    .date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2027-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
  const zone = fc.constantFrom(MOSCOW, BERLIN, 'UTC', 'America/New_York');
  const calendar = fc.record({
    enabled: fc.constant(true),
    workdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
    start: fc.constantFrom('08:00', '09:00', '10:30'),
    end: fc.constantFrom('17:00', '18:00', '20:15'),
    holidays: fc.constant(['2026-01-01', '2026-05-01'] as string[]),
  });

  it('never puts the due time before the start, and more hours never make it earlier', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 50 }),
        calendar,
        zone,
        (start, h, extra, cal, tz) => {
          const a = addWorkingHours(start, h, cal, tz);
          const b = addWorkingHours(start, h + extra, cal, tz);
          expect(a.getTime()).toBeGreaterThanOrEqual(start.getTime());
          expect(b.getTime()).toBeGreaterThanOrEqual(a.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('lands inside working time on a working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 100 }), calendar, zone, (start, h, cal, tz) => {
        const due = addWorkingHours(start, h, cal, tz);
        const minute = localMinuteOfDay(due, tz);
        const [sh, sm] = cal.start.split(':').map(Number);
        const [eh, em] = cal.end.split(':').map(Number);
        expect(minute).toBeGreaterThan(sh! * 60 + sm! - 1);
        expect(minute).toBeLessThanOrEqual(eh! * 60 + em!);
        expect(cal.workdays).toContain(isoWeekday(localDay(due, tz)));
      }),
      { numRuns: 200 },
    );
  });

  it('equals plain addition with the calendar off', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 1000 }), calendar, zone, (start, h, cal, tz) => {
        const due = addWorkingHours(start, h, { ...cal, enabled: false }, tz);
        expect(due.getTime()).toBe(start.getTime() + h * 3_600_000);
      }),
    );
  });
});
