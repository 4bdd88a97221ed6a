import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { npsChange, trinomialVariance } from './nps-change.js';

const tally = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});

describe('npsChange', () => {
  it('calls +15 on 100 against 400 answers not significant (z 1.79, p 0.073)', () => {
    // This week: 60 P, 25 passives, 15 D → NPS 45; Var = (.60 + .15 − .45²)/100 = .5475/100 = .005475.
    // Baseline: 200 P, 120 passives, 80 D → NPS 30; Var = (.50 + .20 − .30²)/400 = .61/400 = .001525.
    // se = √(.005475 + .001525) = √.007 = .083666 → 8.37 points; z = 15/8.3666 = 1.7928; p = 2Φ(−1.7928) = .0730.
    const c = npsChange(tally(60, 25, 15), tally(200, 120, 80))!;
    expect(trinomialVariance(tally(60, 25, 15))).toBeCloseTo(0.005475, 9);
    expect(trinomialVariance(tally(200, 120, 80))).toBeCloseTo(0.001525, 9);
    expect(c.current).toEqual({ n: 100, nps: 45 });
    expect(c.baseline).toEqual({ n: 400, nps: 30 });
    expect(c.diff).toBeCloseTo(15, 9);
    expect(c.se).toBeCloseTo(8.3666, 4);
    expect(c.z).toBeCloseTo(1.7928, 4);
    expect(c.pValue).toBeCloseTo(0.073, 3);
    expect(c.significant).toBe(false);
    expect(c.direction).toBe('flat');
  });

  it('calls the same +15 on 200 answers significant (z 2.30, p 0.022)', () => {
    // This week: 120 P, 50 passives, 30 D → NPS 45; Var = .5475/200 = .0027375; baseline as above .001525.
    // se = √.0042625 = .065288 → 6.53 points; z = 15/6.5288 = 2.2975; p = 2Φ(−2.2975) = .0216.
    const c = npsChange(tally(120, 50, 30), tally(200, 120, 80))!;
    expect(c.se).toBeCloseTo(6.5288, 4);
    expect(c.z).toBeCloseTo(2.2975, 4);
    expect(c.pValue).toBeCloseTo(0.0216, 3);
    expect(c.significant).toBe(true);
    expect(c.direction).toBe('up');
  });

  it('reads a fall as down, and nothing to compare as null', () => {
    expect(npsChange(tally(200, 120, 80), tally(120, 50, 30))!.direction).toBe('down');
    expect(npsChange(tally(0, 0, 0), tally(1, 1, 1))).toBeNull();
    expect(npsChange(tally(1, 1, 1), tally(0, 0, 0))).toBeNull();
  });

  it('never calls one answer against one answer significant', () => {
    expect(npsChange(tally(1, 0, 0), tally(0, 0, 1))!.significant).toBe(false);
  });

  const tallies = fc
    .tuple(fc.nat(400), fc.nat(400), fc.nat(400))
    .filter(([p, a, d]) => p + a + d > 0)
    .map(([p, a, d]) => tally(p, a, d));

  it('is antisymmetric: swapping the samples flips the sign and keeps p', () => {
    fc.assert(
      fc.property(tallies, tallies, (a, b) => {
        const ab = npsChange(a, b)!;
        const ba = npsChange(b, a)!;
        expect(ab.diff).toBeCloseTo(-ba.diff, 9);
        expect(ab.z).toBeCloseTo(-ba.z, 9);
        expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
      }),
    );
  });

  it('keeps p in [0, 1], flat exactly when not significant, and a tally against itself at z = 0', () => {
    fc.assert(
      fc.property(tallies, tallies, (a, b) => {
        const c = npsChange(a, b)!;
        expect(c.pValue).toBeGreaterThanOrEqual(0);
        expect(c.pValue).toBeLessThanOrEqual(1);
        expect(c.direction === 'flat').toBe(!c.significant);
        expect(c.se).toBeGreaterThan(0);
        expect(npsChange(a, a)!.z).toBeCloseTo(0, 9);
      }),
    );
  });

  it('bounds the trinomial variance by 1/n (reached at half promoters, half detractors)', () => {
    fc.assert(
      fc.property(tallies, (t) => {
        const n = t.promoters + t.passives + t.detractors;
        const v = trinomialVariance(t);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 / n + 1e-12);
      }),
    );
  });
});
