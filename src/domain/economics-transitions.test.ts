import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEGMENTS } from './economics.js';
import {
  closedLoopEffect,
  emptyCounts,
  markovForecast,
  npsTrend,
  probabilities,
  stationaryShares,
  step,
  type TransitionCounts,
  transitionMatrix,
} from './economics-transitions.js';

const counts: TransitionCounts = {
  promoter: { promoter: 80, passive: 15, detractor: 5 },
  passive: { promoter: 20, passive: 60, detractor: 20 },
  detractor: { promoter: 4, passive: 6, detractor: 10 },
};
const thin: TransitionCounts = { ...counts, detractor: { promoter: 2, passive: 3, detractor: 5 } };

const countsArb = fc.array(fc.nat(200), { minLength: 9, maxLength: 9 }).map((xs) => {
  const c = emptyCounts();
  SEGMENTS.forEach((f, i) => {
    SEGMENTS.forEach((t, j) => {
      c[f][t] = xs[i * 3 + j] as number;
    });
  });
  return c;
});
const sharesArb = fc
  .tuple(fc.nat(100), fc.nat(100), fc.nat(100))
  .filter(([a, b, c]) => a + b + c > 0)
  .map(([a, b, c]) => ({ promoter: a / (a + b + c), passive: b / (a + b + c), detractor: c / (a + b + c) }));

describe('transitionMatrix (maximum likelihood)', () => {
  it('divides a row by its total, with Wilson intervals, and flags thin rows', () => {
    const m = transitionMatrix(thin);
    // detractor row: 2, 3, 5 of 10 → 0.2, 0.3, 0.5; n = 10 < 20
    const d = m[2]!;
    expect(d.n).toBe(10);
    expect(d.to.promoter?.p).toBeCloseTo(0.2, 12);
    expect(d.to.passive?.p).toBeCloseTo(0.3, 12);
    expect(d.to.detractor?.p).toBeCloseTo(0.5, 12);
    expect(d.insufficient).toBe(true);
    expect(m[0]!.insufficient).toBe(false);
    expect(transitionMatrix(emptyCounts())[0]!.to.promoter).toBeNull();
  });

  it('has rows that sum to 1 whatever the counts', () => {
    fc.assert(
      fc.property(countsArb, (c) => {
        for (const row of probabilities(c).p) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        for (const row of transitionMatrix(c)) {
          if (row.n === 0) continue;
          expect(SEGMENTS.reduce((s, t) => s + (row.to[t]?.p ?? 0), 0)).toBeCloseTo(1, 12);
        }
      }),
    );
  });
});

describe('the Markov chain', () => {
  it('steps shares by hand: s·P', () => {
    // s = (0.5, 0.3, 0.2); P rows (0.8 .15 .05), (0.2 .6 .2), (0.2 .3 .5)
    // promoter: 0.5·0.8 + 0.3·0.2 + 0.2·0.2 = 0.5; passive: 0.075 + 0.18 + 0.06 = 0.315; detractor: 0.025 + 0.06 + 0.1 = 0.185
    const s = step({ promoter: 0.5, passive: 0.3, detractor: 0.2 }, probabilities(counts).p);
    expect(s.promoter).toBeCloseTo(0.5, 12);
    expect(s.passive).toBeCloseTo(0.315, 12);
    expect(s.detractor).toBeCloseTo(0.185, 12);
  });

  it('forecasts shares that sum to 1 with intervals holding the point', () => {
    fc.assert(
      fc.property(countsArb, sharesArb, (c, start) => {
        const steps = markovForecast(start, c, 3, { samples: 40, seed: 'p' });
        for (const s of steps) {
          expect(s.shares.promoter + s.shares.passive + s.shares.detractor).toBeCloseTo(1, 9);
          expect(s.npsCi95[0]).toBeLessThanOrEqual(s.nps + 1e-9);
          expect(s.npsCi95[1]).toBeGreaterThanOrEqual(s.nps - 1e-9);
          expect(Number.isFinite(s.nps)).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('shrinks a thin row toward where customers go overall, by hand', () => {
    // all 210 transitions: to promoter 80 + 20 + 2 = 102, passive 15 + 60 + 3 = 78, detractor 5 + 20 + 5 = 30
    // detractor row (n = 10 < 20): (2 + 20·102/210) / 30 = 0.3905, (3 + 20·78/210) / 30 = 0.3476, (5 + 20·30/210) / 30 = 0.2619
    const { p, shrunk } = probabilities(thin);
    expect(shrunk).toEqual(['detractor']);
    expect(p[2]![0]).toBeCloseTo((2 + (20 * 102) / 210) / 30, 12);
    expect(p[2]![1]).toBeCloseTo((3 + (20 * 78) / 210) / 30, 12);
    expect(p[2]![2]).toBeCloseTo((5 + (20 * 30) / 210) / 30, 12);
    // the promoter row has 100 transitions: plain 0.8, 0.15, 0.05
    expect(p[0]).toEqual([0.8, 0.15, 0.05]);
    // no transitions at all: everyone stays
    expect(probabilities(emptyCounts()).p[1]).toEqual([0, 1, 0]);
  });

  it('settles at the stationary shares of a two-state swap', () => {
    // promoters and detractors swap each step; passives stay: from 1/3 each the chain stays at 1/3 each
    const c = emptyCounts();
    c.promoter.detractor = 10;
    c.detractor.promoter = 10;
    c.passive.passive = 10;
    const s = stationaryShares(c);
    expect(s.promoter).toBeCloseTo(1 / 3, 9);
    expect(s.detractor).toBeCloseTo(1 / 3, 9);
  });
});

describe('closedLoopEffect', () => {
  it('compares the detractor row with and without a closed case by hand', () => {
    // with: 30 of 50 improved = 0.6; without: 20 of 100 = 0.2; difference 0.4
    const e = closedLoopEffect(
      { promoter: 10, passive: 20, detractor: 20 },
      { promoter: 5, passive: 15, detractor: 80 },
    );
    expect(e.withCase.share).toBeCloseTo(0.6, 12);
    expect(e.withoutCase.share).toBeCloseTo(0.2, 12);
    expect(e.difference).toBeCloseTo(0.4, 12);
    expect(e.pValue).toBeLessThan(0.001);
    expect(
      closedLoopEffect({ promoter: 0, passive: 0, detractor: 0 }, { promoter: 1, passive: 0, detractor: 0 })
        .difference,
    ).toBeNull();
  });
});

describe('npsTrend (OLS with prediction interval)', () => {
  it('extends an exact line with no spread', () => {
    // 10, 20, 30 → slope 10; next 40, then 50; residuals 0 → zero-width interval
    const t = npsTrend([10, 20, 30], 2);
    expect(t?.slopePerPeriod).toBeCloseTo(10, 12);
    expect(t?.points[0]?.nps).toBeCloseTo(40, 10);
    expect(t?.points[1]?.nps).toBeCloseTo(50, 10);
    const [low, high] = t?.points[0]?.ci95 ?? [0, 1];
    expect(high - low).toBeCloseTo(0, 9);
  });

  it('skips empty periods, needs three with answers, and stays on the scale', () => {
    expect(npsTrend([10, null, 30], 1)).toBeNull();
    const t = npsTrend([60, 80, null, 95], 4)!;
    for (const p of t.points) {
      expect(p.nps).toBeLessThanOrEqual(100);
      expect(p.ci95[0]).toBeGreaterThanOrEqual(-100);
    }
  });
});
