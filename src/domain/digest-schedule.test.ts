import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyRange, dueDigestPeriod, isoWeekday, weeklyRange } from './digest-schedule.js';

const moscow = { at: '09:00', weekday: 1, timeZone: 'Europe/Moscow' };

describe('dueDigestPeriod', () => {
  it('is due from 09:00 local time on, for the local day', () => {
    // 05:59 UTC is 08:59 in Moscow (UTC+3): not yet; 06:00 UTC is 09:00: due for that day.
    expect(dueDigestPeriod(new Date('2026-12-02T05:59:00Z'), 'daily', moscow)).toBeNull();
    expect(dueDigestPeriod(new Date('2026-12-02T06:00:00Z'), 'daily', moscow)).toBe('2026-12-02');
    // 22:30 UTC on the 2nd is already 01:30 on the 3rd in Moscow, before 09:00.
    expect(dueDigestPeriod(new Date('2026-12-02T22:30:00Z'), 'daily', moscow)).toBeNull();
  });

  it('reads the time in the person’s own zone', () => {
    const vladivostok = { ...moscow, timeZone: 'Asia/Vladivostok' }; // UTC+10
    expect(dueDigestPeriod(new Date('2026-12-01T23:00:00Z'), 'daily', vladivostok)).toBe('2026-12-02');
    expect(dueDigestPeriod(new Date('2026-12-01T23:00:00Z'), 'daily', moscow)).toBeNull();
  });

  it('is due weekly from the chosen weekday and time on, for the ISO week', () => {
    // 2026-11-30 is a Monday (ISO week 49).
    expect(isoWeekday('2026-11-30')).toBe(1);
    expect(dueDigestPeriod(new Date('2026-11-30T05:00:00Z'), 'weekly', moscow)).toBeNull();
    expect(dueDigestPeriod(new Date('2026-11-30T06:00:00Z'), 'weekly', moscow)).toBe('2026-W49');
    expect(dueDigestPeriod(new Date('2026-12-03T12:00:00Z'), 'weekly', moscow)).toBe('2026-W49');
    const friday = { ...moscow, weekday: 5 };
    expect(dueDigestPeriod(new Date('2026-12-03T12:00:00Z'), 'weekly', friday)).toBeNull();
    expect(dueDigestPeriod(new Date('2026-12-04T12:00:00Z'), 'weekly', friday)).toBe('2026-W49');
  });

  it('gives one period per local day: every instant of a day past the hour maps to that day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_399 }), (second) => {
        const at = new Date(Date.parse('2026-12-01T21:00:00Z') + second * 1000); // Moscow's 2 Dec
        const p = dueDigestPeriod(at, 'daily', moscow);
        expect(p === null || p === '2026-12-02').toBe(true);
        expect(p === null).toBe(second < 9 * 3600);
      }),
    );
  });
});

describe('dailyRange and weeklyRange', () => {
  it('reports yesterday and the 7 days to it, or last week against the 4 before', () => {
    expect(dailyRange('2026-12-02')).toEqual({
      from: '2026-12-01',
      to: '2026-12-01',
      weekFrom: '2026-11-25',
    });
    expect(weeklyRange('2026-12-02')).toEqual({
      from: '2026-11-23',
      to: '2026-11-29',
      baselineFrom: '2026-10-26',
      baselineTo: '2026-11-22',
    });
  });
});
