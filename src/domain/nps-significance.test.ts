// Tests of the change test and the marks against the company: hand-worked cases, properties, and a seeded simulation
// that measures the 95% interval's coverage and the change test's false-alarm rate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateNps, type Tally } from './nps.js';
import { benjaminiHochberg, CHANGE_TEST, markGroups, testChange } from './nps-significance.js';

const tally = (promoters: number, passives: number, detractors: number): Tally => ({
  promoters,
  passives,
  detractors,
});

describe('testChange', () => {
  it('finds +30 against +10 on 100 answers each not significant', () => {
    // Var(a) = (.5 + .2 − .3²)/100 = .0061; Var(b) = (.3 + .2 − .1²)/100 = .0049; se = √.011 = .10488 → 10.49 points.
    // z = 20/10.49 = 1.907; p = 2·Φ(−1.907) = .0565 > .05.
    const c = testChange(tally(50, 30, 20), tally(30, 50, 20))!;
    expect(c.diff).toBeCloseTo(20, 9);
    expect(c.pValue).toBeCloseTo(0.0565, 3);
    expect(c.significant).toBe(false);
  });

  it('finds the same +20 on 400 answers each significant', () => {
    // se halves to 5.24; z = 3.81; p ≈ .00014.
    const c = testChange(tally(200, 120, 80), tally(120, 200, 80))!;
    expect(c.pValue).toBeLessThan(0.001);
    expect(c.significant).toBe(true);
  });

  it('has nothing to test when a period has no answers', () => {
    expect(testChange(tally(0, 0, 0), tally(3, 2, 1))).toBeNull();
    expect(CHANGE_TEST.name).toMatch(/z-test/);
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts four p-values by hand', () => {
    // Sorted .01 .03 .04 .20, m = 4: p·m/rank = .04, .06, .0533, .20; running minimum from the top:
    // .20, .0533, .0533, .04 → back in the given order [.04, .0533, .0533, .20].
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    expect(q[0]).toBeCloseTo(0.04, 9);
    expect(q[1]).toBeCloseTo(0.16 / 3, 9);
    expect(q[2]).toBeCloseTo(0.16 / 3, 9);
    expect(q[3]).toBeCloseTo(0.2, 9);
  });

  it('never lowers a p-value, stays ≤ 1 and keeps the order of the p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (ps) => {
        const q = benjaminiHochberg(ps);
        ps.forEach((p, i) => {
          expect(q[i]!).toBeGreaterThanOrEqual(p - 1e-12);
          expect(q[i]!).toBeLessThanOrEqual(1);
          ps.forEach((p2, j) => {
            if (p < p2) expect(q[i]!).toBeLessThanOrEqual(q[j]! + 1e-12);
          });
        });
      }),
    );
  });
});

describe('markGroups', () => {
  it('marks a strong branch above, a weak one below and a tiny one too few', () => {
    // A 80/10/10 (NPS 70) against the rest B + C = 32/40/31 (NPS 1): z ≈ 7, above.
    // B 30/40/30 (NPS 0) against A + C = 82/10/11 (NPS 69): below. C has 3 answers < 5: not tested.
    const groups = [tally(80, 10, 10), tally(30, 40, 30), tally(2, 0, 1)];
    const company = tally(112, 50, 41);
    const marks = markGroups(groups, company, 5);
    expect(marks.map((m) => m.mark)).toEqual(['above', 'below', 'too_few']);
    expect(marks[2]!.pValue).toBeNull();
  });

  it('calls a branch like the rest not different', () => {
    const marks = markGroups([tally(50, 30, 20), tally(51, 29, 20)], tally(101, 59, 40), 5);
    expect(marks.map((m) => m.mark)).toEqual(['not_different', 'not_different']);
  });

  it('does not test the only group of the company (there is no rest)', () => {
    expect(markGroups([tally(5, 5, 5)], tally(5, 5, 5), 1)[0]!.mark).toBe('too_few');
  });
});

/** Mulberry32: a small seeded generator, so the simulation gives the same figures on every run. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function draw(random: () => number, n: number, pP: number, pD: number): Tally {
  const t = tally(0, 0, 0);
  for (let i = 0; i < n; i++) {
    const u = random();
    if (u < pP) t.promoters++;
    else if (u < pP + pD) t.detractors++;
    else t.passives++;
  }
  return t;
}

// True shares (promoters, detractors) from a typical programme to the edges where intervals usually fail.
const SHARES: [number, number][] = [
  [0.5, 0.2],
  [0.3, 0.3],
  [0.6, 0.1],
  [0.2, 0.5],
  [0.4, 0.4],
  [0.75, 0.05],
  [0.1, 0.1],
];
const SIZES = [30, 60, 150, 400];
const REPS = 6000;
// A cell's simulated coverage has a standard error of √(.95·.05/6000) = 0.28 points, so each cell is held to 93–97%
// give or take that noise (0.3 points); the pooled figure, over 28 cells, to 93–97% exactly and its mean to 94–96%.
const NOISE = 0.003;

describe('simulation (seeded)', () => {
  it('covers the true NPS with the 95% interval 93–97% of the time for n ≥ 30', () => {
    const random = mulberry32(20261202);
    let all = 0;
    let cells = 0;
    for (const [pP, pD] of SHARES) {
      for (const n of SIZES) {
        const truth = 100 * (pP - pD);
        let covered = 0;
        for (let r = 0; r < REPS; r++) {
          const ci = estimateNps(draw(random, n, pP, pD)).ci95!;
          if (ci[0] <= truth && truth <= ci[1]) covered++;
        }
        const coverage = covered / REPS;
        expect(coverage, `coverage at n=${n}, pP=${pP}, pD=${pD}`).toBeGreaterThanOrEqual(0.93 - NOISE);
        expect(coverage, `coverage at n=${n}, pP=${pP}, pD=${pD}`).toBeLessThanOrEqual(0.97 + NOISE);
        all += coverage;
        cells++;
      }
    }
    expect(all / cells).toBeGreaterThan(0.94);
    expect(all / cells).toBeLessThan(0.96);
  });

  it('raises a false alarm about 5% of the time when nothing changed', () => {
    const random = mulberry32(7);
    let alarms = 0;
    let tests = 0;
    for (const [pP, pD] of SHARES) {
      for (const n of SIZES) {
        let cellAlarms = 0;
        for (let r = 0; r < REPS; r++) {
          // Unequal sizes too: this period against a baseline twice as long.
          const c = testChange(draw(random, n, pP, pD), draw(random, 2 * n, pP, pD));
          if (c?.significant) cellAlarms++;
        }
        const rate = cellAlarms / REPS;
        expect(rate, `false alarms at n=${n}, pP=${pP}, pD=${pD}`).toBeGreaterThanOrEqual(0.025);
        expect(rate, `false alarms at n=${n}, pP=${pP}, pD=${pD}`).toBeLessThanOrEqual(0.075);
        alarms += cellAlarms;
        tests += REPS;
      }
    }
    expect(alarms / tests).toBeGreaterThan(0.04);
    expect(alarms / tests).toBeLessThan(0.06);
  });
});
