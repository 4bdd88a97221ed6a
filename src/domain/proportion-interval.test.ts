import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './proportion-interval.js';

describe('wilsonInterval', () => {
  it('gives 0.2366–0.7634 for 5 answers out of 10 invitations', () => {
    // z² = 3.8415, z²/n = 0.38415, denominator = 1.38415
    // centre = (0.5 + 0.19207) / 1.38415 = 0.5
    // half = 1.95996 / 1.38415 × √(0.25/10 + 3.8415/400) = 1.41600 × √0.0346037 = 1.41600 × 0.186021 = 0.26341
    const { low, high } = wilsonInterval(5, 10);
    expect(low).toBeCloseTo(0.2366, 4);
    expect(high).toBeCloseTo(0.7634, 4);
  });

  it('does not collapse to a point when nobody answered: 0 of 10 gives 0–0.2775', () => {
    // centre = 0.19207 / 1.38415 = 0.13877; half = 1.41600 × √(3.8415/400) = 1.41600 × 0.098 = 0.13877
    const { low, high } = wilsonInterval(0, 10);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.2775, 4);
  });

  it('gives 0.2727–0.4576 for 36 of 100 (a typical e-mail response rate)', () => {
    // z²/n = 0.038415, denominator = 1.038415; centre = (0.36 + 0.019207) / 1.038415 = 0.365180
    // half = 1.95996 / 1.038415 × √(0.36 × 0.64 / 100 + 3.8415 / 40000)
    //      = 1.887459 × √(0.002304 + 0.0000960) = 1.887459 × 0.048990 = 0.092467
    // → 0.365180 ∓ 0.092467 = 0.2727 … 0.4576
    const { low, high } = wilsonInterval(36, 100);
    expect(low).toBeCloseTo(0.2727, 4);
    expect(high).toBeCloseTo(0.4576, 4);
  });

  it('knows nothing without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('refuses more successes than trials', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });

  it('always contains the observed share and stays inside [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, f) => {
          const x = Math.round(f * n);
          const { low, high } = wilsonInterval(x, n);
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeLessThanOrEqual(1);
          expect(low).toBeLessThanOrEqual(x / n + 1e-12);
          expect(high).toBeGreaterThanOrEqual(x / n - 1e-12);
        },
      ),
    );
  });
});
