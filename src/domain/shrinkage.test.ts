// Tests of the empirical-Bayes shrinkage of group scores: a hand-worked pair, the one-group and no-answer edges, properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Tally } from './nps.js';
import { noiseVariance, shrinkNps } from './shrinkage.js';

const tally = (promoters: number, passives: number, detractors: number): Tally => ({
  promoters,
  passives,
  detractors,
});

describe('shrinkNps — hand-worked cases', () => {
  it('pulls two well-sampled opposite branches only slightly towards their mean', () => {
    // A = 60/20/20 (NPS +40), B = 20/20/60 (NPS −40), n = 100 each.
    // Noise variance of A with ¾,1½,¾ pseudo-answers: pP = 60.75/103 = .58981, pD = 20.75/103 = .20146,
    //   v = (.79126 − .38835²)/100 = (.79126 − .15082)/100 = .0064045 (B the same by symmetry).
    // Fixed-effect mean 0; Q = 2·.4²/.0064045 = 49.97; S1 − S2/S1 = 1/v = 156.14; τ² = (49.97 − 1)/156.14 = .3136.
    // Pull B = .0064045/(.0064045 + .3136) = .0200; shrunk A = .4·(1 − .0200) = .3920 → +39.2 points.
    const r = shrinkNps([tally(60, 20, 20), tally(20, 20, 60)]);
    expect(noiseVariance(tally(60, 20, 20))).toBeCloseTo(0.0064045, 6);
    expect(r.mean).toBeCloseTo(0, 6);
    expect(r.between).toBeCloseTo(3136, -1);
    expect(r.groups[0]!.pull).toBeCloseTo(0.02, 3);
    expect(r.groups[0]!.shrunk).toBeCloseTo(39.2, 1);
    expect(r.groups[1]!.shrunk).toBeCloseTo(-39.2, 1);
    expect(r.groups[0]!.raw).toBe(40);
  });

  it('ranks a lucky 6 of 6 below a solid 300 of 400', () => {
    // Raw: 100 against 70 (300 − 20 of 400). Branches differ by a few points (τ² ≈ 48 points²), far less than the
    // noise of 6 answers, so the lucky branch is pulled 93% of the way to the mean (62) and lands at 64.8 < 68.9.
    const lucky = tally(6, 0, 0);
    const solid = tally(300, 80, 20);
    const others = [tally(130, 50, 20), tally(140, 40, 20), tally(136, 44, 20)];
    const r = shrinkNps([lucky, solid, ...others]);
    expect(r.groups[0]!.raw).toBe(100);
    expect(r.groups[0]!.shrunk!).toBeLessThan(r.groups[1]!.shrunk!);
    expect(r.groups[0]!.pull!).toBeGreaterThan(0.5);
  });

  it('keeps a lone group as it is, and gives groups with no answers no estimate', () => {
    const r = shrinkNps([tally(0, 0, 0), tally(5, 3, 2)]);
    expect(r.groups[0]!.shrunk).toBeNull();
    expect(r.groups[1]!.shrunk).toBeCloseTo(30, 9);
    expect(r.groups[1]!.pull).toBe(0);
    expect(shrinkNps([]).mean).toBeNull();
  });

  it('pulls every group fully to the mean when the groups do not differ more than noise', () => {
    const r = shrinkNps([tally(50, 30, 20), tally(50, 30, 20), tally(50, 30, 20)]);
    expect(r.between).toBe(0);
    for (const g of r.groups) expect(g.shrunk).toBeCloseTo(30, 9);
  });
});

const groupTally = fc.record({
  promoters: fc.nat(300),
  passives: fc.nat(300),
  detractors: fc.nat(300),
});

describe('shrinkNps — properties', () => {
  it('puts every shrunk score between the group’s own score and the mean, inside its interval', () => {
    fc.assert(
      fc.property(fc.array(groupTally, { minLength: 2, maxLength: 12 }), (ts) => {
        const r = shrinkNps(ts);
        for (const g of r.groups) {
          if (g.raw === null || r.mean === null) continue;
          const lo = Math.min(g.raw, r.mean) - 1e-9;
          const hi = Math.max(g.raw, r.mean) + 1e-9;
          expect(g.shrunk!).toBeGreaterThanOrEqual(lo);
          expect(g.shrunk!).toBeLessThanOrEqual(hi);
          expect(g.ci95![0]).toBeLessThanOrEqual(g.shrunk! + 1e-9);
          expect(g.ci95![1]).toBeGreaterThanOrEqual(g.shrunk! - 1e-9);
          expect(g.pull!).toBeGreaterThanOrEqual(0);
          expect(g.pull!).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('pulls a group less when it has more answers with the same shares', () => {
    fc.assert(
      fc.property(
        fc.array(groupTally, { minLength: 2, maxLength: 8 }),
        groupTally.filter((t) => t.promoters + t.passives + t.detractors > 0),
        (others, t) => {
          const small = shrinkNps([t, ...others]).groups[0]!;
          const big = shrinkNps([tally(t.promoters * 4, t.passives * 4, t.detractors * 4), ...others])
            .groups[0]!;
          // The between-group variance moves a little too, so allow rounding slack.
          expect(big.pull!).toBeLessThanOrEqual(small.pull! + 0.05);
        },
      ),
    );
  });

  it('does not depend on the order of the groups', () => {
    fc.assert(
      fc.property(fc.array(groupTally, { minLength: 2, maxLength: 8 }), (ts) => {
        const a = shrinkNps(ts);
        const b = shrinkNps([...ts].reverse());
        a.groups.forEach((g, i) => {
          const h = b.groups[ts.length - 1 - i]!;
          if (g.shrunk === null) expect(h.shrunk).toBeNull();
          else expect(h.shrunk!).toBeCloseTo(g.shrunk, 6);
        });
      }),
    );
  });
});
