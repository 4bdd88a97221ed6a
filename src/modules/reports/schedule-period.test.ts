import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestRun } from './schedule-period.js';

const MSK = 'Europe/Moscow';

describe('latestRun', () => {
  it('reports the month before the send moment, and switches at the local hour (worked example)', () => {
    // 2026-11-03 07:59 in Moscow is 04:59 UTC: the latest send moment is 3 October, reporting September.
    expect(latestRun(new Date('2026-11-03T04:59:00Z'), MSK, 'monthly', 3, 8)).toEqual({
      period: '2026-09',
      from: '2026-09-01',
      to: '2026-09-30',
      sendAt: new Date('2026-10-03T05:00:00Z'),
    });
    expect(latestRun(new Date('2026-11-03T05:00:00Z'), MSK, 'monthly', 3, 8)).toEqual({
      period: '2026-10',
      from: '2026-10-01',
      to: '2026-10-31',
      sendAt: new Date('2026-11-03T05:00:00Z'),
    });
  });
  it('reports the ISO week before for weekly schedules and the quarter before for quarterly ones', () => {
    // Monday 2026-11-02 09:00 Moscow, weekly on Monday (1) at 09:00: the week 26 Oct – 1 Nov (2026-W44).
    expect(latestRun(new Date('2026-11-02T06:00:00Z'), MSK, 'weekly', 1, 9)).toMatchObject({
      period: '2026-W44',
      from: '2026-10-26',
      to: '2026-11-01',
    });
    expect(latestRun(new Date('2027-01-10T12:00:00Z'), MSK, 'quarterly', 5, 8)).toMatchObject({
      period: '2026-Q4',
      from: '2026-10-01',
      to: '2026-12-31',
    });
    // Across the year: 1 January before the send day still reports Q3.
    expect(latestRun(new Date('2027-01-02T12:00:00Z'), MSK, 'quarterly', 5, 8).period).toBe('2026-Q3');
  });
  it('is never in the future, and the reported period ends before the send moment (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        fc.constantFrom('weekly' as const, 'monthly' as const, 'quarterly' as const),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(MSK, 'UTC', 'Asia/Vladivostok', 'America/New_York'),
        (now, cadence, day, hour, tz) => {
          const run = latestRun(now, tz, cadence, cadence === 'weekly' ? ((day - 1) % 7) + 1 : day, hour);
          expect(run.sendAt.getTime()).toBeLessThanOrEqual(now.getTime());
          expect(run.from <= run.to).toBe(true);
          expect(new Date(`${run.to}T23:59:59Z`).getTime() - 86_400_000 * 2).toBeLessThan(
            run.sendAt.getTime(),
          );
        },
      ),
    );
  });
});
