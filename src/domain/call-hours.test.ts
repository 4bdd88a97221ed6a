import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CALL_HOURS, isWithin, localMinuteOfDay, minutesOf, nextWithin } from './call-hours.js';

const YEKATERINBURG = 'Asia/Yekaterinburg'; // UTC+5, no daylight saving time

describe('call hours', () => {
  it('reads local minutes of the day in the given zone', () => {
    // 03:30 UTC + 5 h = 08:30 local = 8 × 60 + 30 = 510
    expect(localMinuteOfDay(new Date('2026-11-20T03:30:00Z'), YEKATERINBURG)).toBe(510);
    expect(minutesOf('10:05')).toBe(605);
    expect(() => minutesOf('24:00')).toThrow();
  });

  it('keeps 08:30 local out of 10:00–20:00 and lets 10:05 in', () => {
    expect(isWithin(new Date('2026-11-20T03:30:00Z'), DEFAULT_CALL_HOURS, YEKATERINBURG)).toBe(false);
    expect(isWithin(new Date('2026-11-20T05:05:00Z'), DEFAULT_CALL_HOURS, YEKATERINBURG)).toBe(true);
    // 20:00 is the end: out.
    expect(isWithin(new Date('2026-11-20T15:00:00Z'), DEFAULT_CALL_HOURS, YEKATERINBURG)).toBe(false);
  });

  it('moves an early time to the same day’s start and a late one to the next day’s start', () => {
    expect(
      nextWithin(new Date('2026-11-20T03:30:00Z'), DEFAULT_CALL_HOURS, YEKATERINBURG).toISOString(),
    ).toBe('2026-11-20T05:00:00.000Z');
    // 21:30 local → 10:00 local next day = 05:00 UTC on the 21st
    expect(
      nextWithin(new Date('2026-11-20T16:30:00Z'), DEFAULT_CALL_HOURS, YEKATERINBURG).toISOString(),
    ).toBe('2026-11-21T05:00:00.000Z');
    const inside = new Date('2026-11-20T07:00:00Z');
    expect(nextWithin(inside, DEFAULT_CALL_HOURS, YEKATERINBURG)).toBe(inside);
  });

  it('handles a window across midnight', () => {
    const night = { start: '22:00', end: '02:00' };
    expect(isWithin(new Date('2026-11-20T23:30:00Z'), night, 'UTC')).toBe(true);
    expect(isWithin(new Date('2026-11-20T12:00:00Z'), night, 'UTC')).toBe(false);
    expect(nextWithin(new Date('2026-11-20T12:00:00Z'), night, 'UTC').toISOString()).toBe(
      '2026-11-20T22:00:00.000Z',
    );
  });

  it('always lands inside the window, never earlier, and at most a day later (property)', () => {
    const zones = ['Europe/Moscow', YEKATERINBURG, 'America/New_York', 'Europe/London', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 22 }),
        fc.integer({ min: 1, max: 8 }),
        (instant, zone, startHour, length) => {
          const pad = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
          const window = { start: pad(startHour), end: pad(startHour + length) };
          const next = nextWithin(instant, window, zone);
          expect(next.getTime()).toBeGreaterThanOrEqual(instant.getTime());
          expect(next.getTime() - instant.getTime()).toBeLessThanOrEqual(25 * 3600_000);
          expect(isWithin(next, window, zone)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
