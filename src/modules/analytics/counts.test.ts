// Tests of how a period is cut into whole months and days for the rollups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../domain/period.js';
import { joinWholeMonths, splitByMonths } from './counts.js';

describe('splitByMonths', () => {
  it('reads whole months whole, a short edge by days and a long edge as its month minus the days outside', () => {
    // 3 Sep–1 Dec: September has 28 of its 30 days (read whole minus 1–2 Sep), October and November whole,
    // 1 December by itself.
    expect(splitByMonths('2026-09-03', '2026-12-01')).toEqual([
      { monthly: true, from: '2026-09-01', to: '2026-09-30', sign: 1 },
      { monthly: false, from: '2026-09-01', to: '2026-09-02', sign: -1 },
      { monthly: true, from: '2026-10-01', to: '2026-10-31', sign: 1 },
      { monthly: true, from: '2026-11-01', to: '2026-11-30', sign: 1 },
      { monthly: false, from: '2026-12-01', to: '2026-12-01', sign: 1 },
    ]);
    expect(splitByMonths('2026-02-10', '2026-02-12')).toEqual([
      { monthly: false, from: '2026-02-10', to: '2026-02-12', sign: 1 },
    ]);
  });

  it('covers every day of the period exactly once and no other day (counting signs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 800 }), (offset, length) => {
        const from = addDays('1990-01-01', offset);
        const to = addDays(from, length);
        const weight = new Map<string, number>();
        for (const p of splitByMonths(from, to)) {
          for (let d = p.from; d <= p.to; d = addDays(d, 1)) weight.set(d, (weight.get(d) ?? 0) + p.sign);
        }
        for (const [day, w] of weight) expect(w, day).toBe(day >= from && day <= to ? 1 : 0);
        expect([...weight.values()].filter((w) => w === 1).length).toBe(daysBetween(from, to) + 1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('joinWholeMonths', () => {
  it('reads a run of whole months as one range and keeps the edges', () => {
    expect(joinWholeMonths(splitByMonths('2026-09-03', '2026-12-01'))).toEqual([
      { monthly: true, from: '2026-09-01', to: '2026-09-30', sign: 1 },
      { monthly: false, from: '2026-09-01', to: '2026-09-02', sign: -1 },
      { monthly: true, from: '2026-10-01', to: '2026-11-30', sign: 1 },
      { monthly: false, from: '2026-12-01', to: '2026-12-01', sign: 1 },
    ]);
    expect(joinWholeMonths(splitByMonths('2000-01-01', '2026-12-31'))).toHaveLength(1);
  });

  it('still covers every day of the period exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 3_000 }),
        (offset, length) => {
          const from = addDays('1990-01-01', offset);
          const to = addDays(from, length);
          const weight = new Map<string, number>();
          for (const p of joinWholeMonths(splitByMonths(from, to))) {
            for (let d = p.from; d <= p.to; d = addDays(d, 1)) weight.set(d, (weight.get(d) ?? 0) + p.sign);
          }
          for (const [day, w] of weight) expect(w, day).toBe(day >= from && day <= to ? 1 : 0);
        },
      ),
      { numRuns: 100 },
    );
  });
});
