// Tests of the NPS estimate, its interval, the two-sample test and the normal CDF behind it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addTallies,
  compareNps,
  estimateNps,
  normalCdf,
  type Segment,
  segmentOf,
  type Tally,
  tallyFromCounts,
} from './nps.js';

const tally = (promoters: number, passives: number, detractors: number): Tally => ({
  promoters,
  passives,
  detractors,
});

const anyTally = fc.record({
  promoters: fc.nat(400),
  passives: fc.nat(400),
  detractors: fc.nat(400),
});
const answeredTally = anyTally.filter((t) => t.promoters + t.passives + t.detractors > 0);
// Every count ≥ 5 in and out of both margins and n ≥ 30, so estimateNps picks plain Wald.
const waldTally = fc.record({
  promoters: fc.integer({ min: 5, max: 2000 }),
  passives: fc.integer({ min: 20, max: 2000 }),
  detractors: fc.integer({ min: 5, max: 2000 }),
});

describe('segmentOf', () => {
  it('puts 0–6 in detractors, 7–8 in passives and 9–10 in promoters', () => {
    const expected: Segment[] = [
      ...Array<Segment>(7).fill('detractor'),
      'passive',
      'passive',
      'promoter',
      'promoter',
    ];
    expect(Array.from({ length: 11 }, (_, s) => segmentOf(s))).toEqual(expected);
  });

  it.each([-1, 11, 7.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the score %s', (score) => {
    expect(() => segmentOf(score)).toThrow(RangeError);
  });
});

describe('tallyFromCounts', () => {
  it('folds counts per score into segments', () => {
    // scores 0..6 once each → 7 detractors; 7, 8 twice each → 4 passives; 9, 10 three times → 6 promoters
    expect(tallyFromCounts([1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3])).toEqual(tally(6, 4, 7));
  });

  it('refuses a list that is not 11 long, or a negative or fractional count', () => {
    expect(() => tallyFromCounts([1, 2, 3])).toThrow(RangeError);
    expect(() => tallyFromCounts([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1])).toThrow(RangeError);
    expect(() => tallyFromCounts([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5])).toThrow(RangeError);
  });

  it('adds tallies segment by segment, and the empty sum is zero', () => {
    expect(addTallies(tally(1, 2, 3), tally(10, 20, 30))).toEqual(tally(11, 22, 33));
    expect(addTallies()).toEqual(tally(0, 0, 0));
  });
});

describe('estimateNps — hand-worked cases', () => {
  it('gives the textbook Wald interval for 50 promoters, 30 passives, 20 detractors', () => {
    // NPS = 100·(50 − 20)/100 = 30
    // Var = (pP + pD − (pP − pD)²)/n = (0.5 + 0.2 − 0.3²)/100 = 0.61/100 = 0.0061
    // se = √0.0061 = 0.07810; moe = 1.96 · 0.07810 · 100 = 15.308 → [14.692, 45.308]
    const e = estimateNps(tally(50, 30, 20));
    expect(e.method).toBe('wald');
    expect(e.n).toBe(100);
    expect(e.nps).toBeCloseTo(30, 10);
    expect(e.moe).toBeCloseTo(15.308, 3);
    expect(e.ci95?.[0]).toBeCloseTo(14.692, 3);
    expect(e.ci95?.[1]).toBeCloseTo(45.308, 3);
    expect(e.smallSample).toBe(false);
  });

  it('gives all promoters an adjusted interval that does not collapse to a point', () => {
    // n = 10, all promoters. Wald: Var = (1 + 0 − 1)/10 = 0 → a zero-width interval, hence adjusted Wald.
    // Adjusted (Rocks 2016): P' = 10.75/13 = 0.82692, D' = 0.75/13 = 0.05769, centre = 0.76923
    // Var = (0.88462 − 0.76923²)/13 = (0.88462 − 0.59172)/13 = 0.022531; se = 0.15010
    // 76.923 ± 1.96·15.010 = 76.923 ± 29.420 → [47.503, 106.343] → clamped [47.503, 100]; moe = 52.497/2 = 26.248
    const e = estimateNps(tally(10, 0, 0));
    expect(e.method).toBe('adjusted-wald');
    expect(e.nps).toBe(100);
    expect(e.ci95?.[0]).toBeCloseTo(47.503, 3);
    expect(e.ci95?.[1]).toBe(100);
    expect(e.moe).toBeCloseTo(26.248, 3);
    expect(e.smallSample).toBe(true);
  });

  it('gives all detractors the mirror image, clamped at −100', () => {
    // n = 40: D' = 40.75/43 = 0.94767, P' = 0.75/43 = 0.01744, centre = −0.93023
    // Var = (0.96512 − 0.86533)/43 = 0.0023206; se = 0.048172; half = 9.442
    // → [−102.465, −83.582] → clamped [−100, −83.582]; moe = 16.418/2 = 8.209
    const e = estimateNps(tally(0, 0, 40));
    expect(e.method).toBe('adjusted-wald');
    expect(e.nps).toBe(-100);
    expect(e.ci95?.[0]).toBe(-100);
    expect(e.ci95?.[1]).toBeCloseTo(-83.582, 3);
    expect(e.moe).toBeCloseTo(8.209, 3);
    expect(e.smallSample).toBe(false);
  });

  it('widens the n = 1 interval to take in the observed score', () => {
    // One promoter: P' = 1.75/4, D' = 0.75/4, centre = 0.25, Var = (0.625 − 0.0625)/4 = 0.140625, se = 0.375
    // 25 ± 1.96·37.5 = [−48.5, 98.5] leaves out the observed +100, so the reported interval is [−48.5, 100].
    const e = estimateNps(tally(1, 0, 0));
    expect(e.nps).toBe(100);
    expect(e.ci95?.[0]).toBeCloseTo(-48.5, 10);
    expect(e.ci95?.[1]).toBe(100);
    expect(e.moe).toBeCloseTo(74.25, 10);
  });

  it('centres a single passive on 0', () => {
    // P' = D' = 0.75/4 = 0.1875, centre 0, Var = 0.375/4 = 0.09375, half = 1.96·30.619 = 60.012
    const e = estimateNps(tally(0, 1, 0));
    expect(e.nps).toBe(0);
    expect(e.ci95?.[0]).toBeCloseTo(-60.012, 3);
    expect(e.ci95?.[1]).toBeCloseTo(60.012, 3);
  });

  it('reports no score and no interval for no answers', () => {
    expect(estimateNps(tally(0, 0, 0))).toEqual({
      n: 0,
      promoters: 0,
      passives: 0,
      detractors: 0,
      nps: null,
      ci95: null,
      moe: null,
      smallSample: true,
      method: 'adjusted-wald',
    });
  });

  it('flags 29 answers as a small sample and 30 as not', () => {
    expect(estimateNps(tally(10, 10, 9)).smallSample).toBe(true);
    expect(estimateNps(tally(10, 10, 10)).smallSample).toBe(false);
  });

  it('switches to adjusted Wald when a margin has fewer than 5 answers, even with many answers', () => {
    expect(estimateNps(tally(500, 496, 4)).method).toBe('adjusted-wald');
    expect(estimateNps(tally(996, 0, 4)).method).toBe('adjusted-wald'); // only 4 non-promoters
    expect(estimateNps(tally(500, 495, 5)).method).toBe('wald');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => estimateNps(tally(-1, 0, 0))).toThrow(RangeError);
    expect(() => estimateNps(tally(1.5, 0, 0))).toThrow(RangeError);
  });
});

describe('estimateNps — properties', () => {
  it('keeps the score within [−100, 100] and the interval around it and within the scale', () => {
    fc.assert(
      fc.property(answeredTally, (t) => {
        const e = estimateNps(t);
        const [lower, upper] = e.ci95!;
        expect(e.nps!).toBeGreaterThanOrEqual(-100);
        expect(e.nps!).toBeLessThanOrEqual(100);
        expect(lower).toBeGreaterThanOrEqual(-100);
        expect(upper).toBeLessThanOrEqual(100);
        expect(lower).toBeLessThanOrEqual(e.nps!);
        expect(upper).toBeGreaterThanOrEqual(e.nps!);
        expect(upper).toBeGreaterThan(lower); // never collapses to a point
        expect(e.moe!).toBeCloseTo((upper - lower) / 2, 10);
      }),
    );
  });

  it('negates the score and mirrors the interval when promoters and detractors swap', () => {
    fc.assert(
      fc.property(answeredTally, (t) => {
        const e = estimateNps(t);
        const m = estimateNps(tally(t.detractors, t.passives, t.promoters));
        expect(m.nps!).toBeCloseTo(-e.nps!, 10);
        expect(m.ci95![0]).toBeCloseTo(-e.ci95![1], 10);
        expect(m.ci95![1]).toBeCloseTo(-e.ci95![0], 10);
        expect(m.method).toBe(e.method);
      }),
    );
  });

  it('strictly raises the score when one detractor becomes a promoter', () => {
    fc.assert(
      fc.property(
        answeredTally.filter((t) => t.detractors > 0),
        (t) => {
          const before = estimateNps(t).nps!;
          const after = estimateNps(tally(t.promoters + 1, t.passives, t.detractors - 1)).nps!;
          expect(after).toBeGreaterThan(before);
        },
      ),
    );
  });

  it('narrows the Wald margin, to about half, when every count is multiplied by 4', () => {
    fc.assert(
      fc.property(waldTally, (t) => {
        const e = estimateNps(t);
        const e4 = estimateNps(tally(4 * t.promoters, 4 * t.passives, 4 * t.detractors));
        expect(e.method).toBe('wald');
        expect(e4.method).toBe('wald');
        expect(e4.nps!).toBeCloseTo(e.nps!, 10);
        expect(e4.moe!).toBeLessThan(e.moe!);
        // √4 = 2 exactly unless a bound is clamped at ±100, which only shortens the wider interval
        expect(e4.moe!).toBeLessThanOrEqual(e.moe! / 2 + 1e-9);
      }),
    );
  });
});

describe('compareNps', () => {
  it('finds 30 vs 10 on 100 answers each not significant', () => {
    // a: 50/30/20 → NPS 30, Var 0.0061;  b: 40/30/30 → NPS 10, Var (0.4 + 0.3 − 0.01)/100 = 0.0069
    // se = √(0.0061 + 0.0069) = √0.013 = 0.114018 → 11.4018 points; z = 20/11.4018 = 1.7541
    // p = 2·(1 − Φ(1.7541)) = 0.07941
    const c = compareNps(tally(50, 30, 20), tally(40, 30, 30));
    expect(c.diff).toBeCloseTo(20, 10);
    expect(c.se).toBeCloseTo(11.4018, 4);
    expect(c.z).toBeCloseTo(1.75412, 5);
    expect(c.pValue).toBeCloseTo(0.07941, 5);
    expect(c.significant).toBe(false);
  });

  it('finds the same difference on 400 answers each significant', () => {
    // Each variance is a quarter: se = √(0.013/4) = 0.0570088 → 5.70088 points; z = 3.50823; p = 0.000451
    const c = compareNps(tally(200, 120, 80), tally(160, 120, 120));
    expect(c.se).toBeCloseTo(5.70088, 4);
    expect(c.z).toBeCloseTo(3.50823, 4);
    expect(c.pValue).toBeCloseTo(0.000451, 5);
    expect(c.significant).toBe(true);
  });

  it('does not call one promoter against one detractor significant', () => {
    // Adjusted: centres +0.25 and −0.25, each Var 0.140625; se = √0.28125 = 0.53033 → 53.033 points
    // z = 50/53.033 = 0.94281; p = 0.3458 (plain Wald would have se = 0 and p = 0)
    const c = compareNps(tally(1, 0, 0), tally(0, 0, 1));
    expect(c.diff).toBe(200);
    expect(c.se).toBeCloseTo(53.033, 3);
    expect(c.z).toBeCloseTo(0.94281, 5);
    expect(c.pValue).toBeCloseTo(0.3458, 4);
    expect(c.significant).toBe(false);
  });

  it('refuses to compare a tally with no answers', () => {
    expect(() => compareNps(tally(0, 0, 0), tally(1, 0, 0))).toThrow(RangeError);
  });

  it('never finds a tally significantly different from itself', () => {
    fc.assert(
      fc.property(answeredTally, (t) => {
        const c = compareNps(t, t);
        expect(c.diff).toBe(0);
        expect(c.z).toBe(0);
        expect(c.pValue).toBe(1);
        expect(c.significant).toBe(false);
      }),
    );
  });

  it('is antisymmetric: swapping the sides negates diff and z and keeps p', () => {
    fc.assert(
      fc.property(answeredTally, answeredTally, (a, b) => {
        const ab = compareNps(a, b);
        const ba = compareNps(b, a);
        expect(ba.diff).toBeCloseTo(-ab.diff, 10);
        expect(ba.z).toBeCloseTo(-ab.z, 10);
        expect(ba.pValue).toBeCloseTo(ab.pValue, 12);
        expect(ab.se).toBeGreaterThan(0);
        expect(ab.pValue).toBeGreaterThanOrEqual(0);
        expect(ab.pValue).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('normalCdf (Abramowitz & Stegun 7.1.26)', () => {
  // Reference values from Python's statistics.NormalDist().cdf; A&S 7.1.26 promises |erf error| ≤ 1.5e−7.
  it.each([
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1, 0.8413447460685429],
    [1.644854, 0.9500000384745869],
    [1.96, 0.9750021048517796],
    [2.575829, 0.9949999956107591],
    [3, 0.9986501019683699],
    [-1, 0.15865525393145707],
    [-1.96, 0.024997895148220428],
    [-3, 0.0013498980316301035],
    [-6, 9.865876449133282e-10],
  ])('Φ(%s) ≈ %s', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThan(1e-7);
  });

  it('is symmetric, increasing and within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -40, max: 40, noNaN: true }),
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        (x, step) => {
          expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 12);
          expect(normalCdf(x + step)).toBeGreaterThanOrEqual(normalCdf(x));
          expect(normalCdf(x)).toBeGreaterThanOrEqual(0);
          expect(normalCdf(x)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
