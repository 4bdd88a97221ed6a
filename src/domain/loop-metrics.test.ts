import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CaseFacts,
  durationOf,
  groupedLoopMetrics,
  loopMetrics,
  quantile,
  trendKeys,
  upliftOf,
} from './loop-metrics.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-02T09:00:00Z');

function caseAt(hoursAfterT0: number, patch: Partial<CaseFacts> = {}): CaseFacts {
  const openedAt = T0 + hoursAfterT0 * H;
  return {
    openedAt,
    score: 3,
    status: 'new',
    dueAt: openedAt + 48 * H,
    firstContactAt: null,
    closedAt: null,
    escalationStep: 0,
    resurveyScore: null,
    ...patch,
  };
}

describe('quantile', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even one', () => {
    expect(quantile([1, 2, 9], 0.5)).toBe(2);
    // (2 + 4) / 2 = 3
    expect(quantile([1, 2, 4, 10], 0.5)).toBe(3);
  });

  it('interpolates the 90th percentile between closest ranks (R type 7)', () => {
    // n = 10: h = 9 × 0.9 = 8.1 → x8 + 0.1 × (x9 − x8) = 9 + 0.1 × (100 − 9) = 18.1
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9)).toBeCloseTo(18.1, 10);
    // n = 5: h = 4 × 0.9 = 3.6 → 4 + 0.6 × (5 − 4) = 4.6
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 10);
  });

  it('knows nothing of no values and refuses a q outside [0, 1]', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it('lies between the smallest and the largest value and grows with q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const sorted = [...values].sort((x, y) => x - y);
          const qa = quantile(sorted, Math.min(a, b)) as number;
          const qb = quantile(sorted, Math.max(a, b)) as number;
          expect(qa).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(qb).toBeLessThanOrEqual(sorted[sorted.length - 1] as number);
          expect(qa).toBeLessThanOrEqual(qb + 1e-9);
        },
      ),
    );
  });
});

describe('durationOf', () => {
  it('gives the median and p90 in hours, one decimal', () => {
    // 2 h, 5 h, 30 h, 50 h: median (5 + 30) / 2 = 17.5; p90: h = 3 × 0.9 = 2.7 → 30 + 0.7 × 20 = 44
    const d = durationOf([2 * H, 5 * H, 30 * H, 50 * H]);
    expect(d).toEqual({ n: 4, medianHours: 17.5, p90Hours: 44, smallSample: true });
  });
});

describe('upliftOf', () => {
  it('averages the change of score and counts who moved up a segment', () => {
    // 3→9 (+6, now a promoter), 5→7 (+2, now a passive), 6→4 (−2): mean 6 / 3 = 2
    const u = upliftOf([
      { score: 3, resurveyScore: 9 },
      { score: 5, resurveyScore: 7 },
      { score: 6, resurveyScore: 4 },
    ]);
    expect(u).toEqual({
      n: 3,
      meanChange: 2,
      becamePromoters: 0.3333,
      becamePassives: 0.3333,
      smallSample: true,
    });
  });

  it('has no figures without re-surveys', () => {
    expect(upliftOf([]).meanChange).toBeNull();
  });
});

describe('loopMetrics', () => {
  it('judges the 48-hour contact only on detractors whose 48 hours have passed', () => {
    const now = T0 + 100 * H;
    const cases = [
      caseAt(0, { firstContactAt: T0 + 10 * H, status: 'contacted' }), // contacted in 10 h: a hit
      caseAt(0, { firstContactAt: T0 + 60 * H, status: 'contacted' }), // contacted after 60 h: a miss
      caseAt(1), // never contacted, 99 h old: a miss
      caseAt(48, { firstContactAt: T0 + 49 * H, status: 'contacted' }), // 1 h: a hit
      caseAt(80), // 20 h old: not yet judged
      caseAt(0, { score: 7 }), // a passive's case: not a detractor
    ];
    const m = loopMetrics(cases, now);
    // 2 hits of 4 judged
    expect(m.contactedWithin48h).toMatchObject({ n: 4, count: 2, share: 0.5, smallSample: true });
    // first contacts after 10, 60 and 1 hours: median 10
    expect(m.timeToFirstContact).toMatchObject({ n: 3, medianHours: 10 });
  });

  it('counts overdue open cases, closure, resolution and escalation', () => {
    const now = T0 + 72 * H;
    const cases = [
      caseAt(0), // due at 48 h, open at 72 h: overdue
      caseAt(0, { status: 'contacted', firstContactAt: T0 + H }), // overdue too: contacted is still open
      caseAt(30), // due at 78 h: not yet
      caseAt(0, { status: 'resolved', closedAt: T0 + 20 * H, escalationStep: 1 }),
      caseAt(0, { status: 'resolved', closedAt: T0 + 40 * H }),
      caseAt(0, { status: 'unresolved', closedAt: T0 + 50 * H, escalationStep: 2 }),
    ];
    const m = loopMetrics(cases, now);
    expect(m).toMatchObject({ cases: 6, open: 3, resolved: 2, unresolved: 1, overdue: 2 });
    // closed 3 of 6; resolved 2 of 3 closed; escalated 2 of 6
    expect(m.closedRate).toMatchObject({ count: 3, n: 6, share: 0.5 });
    expect(m.resolutionRate).toMatchObject({ count: 2, n: 3, share: 0.6667 });
    expect(m.escalationRate).toMatchObject({ count: 2, n: 6, share: 0.3333 });
    // resolution after 20 and 40 hours: median 30 (the unresolved one does not count)
    expect(m.timeToResolution).toMatchObject({ n: 2, medianHours: 30 });
  });

  it('keeps its counts consistent for any cases', () => {
    const status = fc.constantFrom<CaseFacts['status']>(
      'new',
      'in_progress',
      'contacted',
      'resolved',
      'unresolved',
    );
    const facts = fc.record({
      openedAt: fc.integer({ min: 0, max: 1000 }).map((h) => T0 + h * H),
      score: fc.integer({ min: 0, max: 10 }),
      status,
      dueAt: fc.integer({ min: 0, max: 1100 }).map((h) => T0 + h * H),
      firstContactAt: fc.option(fc.integer({ min: 0, max: 1100 }).map((h) => T0 + h * H)),
      closedAt: fc.option(fc.integer({ min: 0, max: 1100 }).map((h) => T0 + h * H)),
      escalationStep: fc.integer({ min: 0, max: 2 }),
      resurveyScore: fc.option(fc.integer({ min: 0, max: 10 })),
    });
    fc.assert(
      fc.property(fc.array(facts, { maxLength: 40 }), fc.integer({ min: 0, max: 1200 }), (cases, h) => {
        const m = loopMetrics(cases, T0 + h * H);
        expect(m.open + m.resolved + m.unresolved).toBe(m.cases);
        expect(m.overdue).toBeLessThanOrEqual(m.open);
        expect(m.contactedWithin48h.count).toBeLessThanOrEqual(m.contactedWithin48h.n);
        for (const s of [m.contactedWithin48h, m.closedRate, m.resolutionRate, m.escalationRate]) {
          if (s.share === null) expect(s.n).toBe(0);
          else {
            expect(s.share).toBeGreaterThanOrEqual(0);
            expect(s.share).toBeLessThanOrEqual(1);
          }
        }
        if (m.timeToFirstContact.medianHours !== null && m.timeToFirstContact.p90Hours !== null) {
          expect(m.timeToFirstContact.medianHours).toBeLessThanOrEqual(m.timeToFirstContact.p90Hours);
        }
        if (m.resurvey.meanChange !== null) {
          expect(Math.abs(m.resurvey.meanChange)).toBeLessThanOrEqual(10);
        }
      }),
    );
  });

  it('adds up over groups: the group counts sum to the whole', () => {
    const keyed = fc.record({
      key: fc.constantFrom('a', 'b', 'c'),
      openedAt: fc.integer({ min: 0, max: 500 }).map((h) => T0 + h * H),
      score: fc.integer({ min: 0, max: 10 }),
      status: fc.constantFrom<CaseFacts['status']>('new', 'resolved', 'unresolved'),
      dueAt: fc.integer({ min: 0, max: 600 }).map((h) => T0 + h * H),
      firstContactAt: fc.constant(null),
      closedAt: fc.constant(null),
      escalationStep: fc.integer({ min: 0, max: 2 }),
      resurveyScore: fc.constant(null),
    });
    fc.assert(
      fc.property(fc.array(keyed, { maxLength: 40 }), (cases) => {
        const now = T0 + 300 * H;
        const whole = loopMetrics(cases, now);
        const groups = [...groupedLoopMetrics(cases, now).values()];
        expect(groups.reduce((sum, g) => sum + g.cases, 0)).toBe(whole.cases);
        expect(groups.reduce((sum, g) => sum + g.overdue, 0)).toBe(whole.overdue);
        expect(groups.reduce((sum, g) => sum + g.escalationRate.count, 0)).toBe(whole.escalationRate.count);
      }),
    );
  });
});

describe('trendKeys', () => {
  it('lists every month touched, with no gaps', () => {
    expect(trendKeys('2026-10-15', '2027-01-02', 'month')).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
    ]);
  });

  it('lists ISO weeks across a year end', () => {
    // 2026-12-28 is a Monday (W53 of 2026), 2027-01-04 the Monday of 2027-W01
    expect(trendKeys('2026-12-24', '2027-01-05', 'week')).toEqual(['2026-W52', '2026-W53', '2027-W01']);
  });
});
