import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisOf, positionOf } from './compare';

describe('positionOf', () => {
  it('reads a benchmark outside the interval as a real difference, inside as none', () => {
    // NPS 40 of 50 answers: interval 17.8 … 62.2.
    expect(positionOf(16, [17.8, 62.2])).toBe('below');
    expect(positionOf(75, [17.8, 62.2])).toBe('above');
    expect(positionOf(44, [17.8, 62.2])).toBe('within');
    expect(positionOf(17.8, [17.8, 62.2])).toBe('within');
  });

  it('is within exactly when the value lies in the interval (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: -100, max: 100 }),
        fc.nat(50),
        (v, lo, w) => {
          const ci: [number, number] = [lo, lo + w];
          expect(positionOf(v, ci) === 'within').toBe(v >= ci[0] && v <= ci[1]);
        },
      ),
    );
  });
});

describe('axisOf', () => {
  it('spans whole tens around the values and zero, ticks every 10 up to 100 points wide', () => {
    // Interval 15.7 … 31.8 and a leader at 87: −0 … 90 + 10 = 0 … 100 (100 wide), ticks every 10.
    expect(axisOf(0, 87)).toEqual({ domain: [0, 100], ticks: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] });
    // −3 … 75: −10 … 90 (100 wide).
    expect(axisOf(-3, 75).domain).toEqual([-10, 90]);
    // −100 … 100 is 200 wide: ticks every 20.
    expect(axisOf(-100, 100)).toEqual({
      domain: [-100, 100],
      ticks: [-100, -80, -60, -40, -20, 0, 20, 40, 60, 80, 100],
    });
  });

  it('keeps every value and every tick inside the domain, within −100…100 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 0, max: 100 }), (lo, hi) => {
        const { domain, ticks } = axisOf(lo, hi);
        expect(domain[0]).toBeLessThanOrEqual(lo);
        expect(domain[1]).toBeGreaterThanOrEqual(hi);
        expect(domain[0]).toBeGreaterThanOrEqual(-100);
        expect(domain[1]).toBeLessThanOrEqual(100);
        for (const tick of ticks) expect(tick >= domain[0] && tick <= domain[1]).toBe(true);
      }),
    );
  });
});
