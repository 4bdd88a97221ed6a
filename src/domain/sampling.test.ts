import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocateProportionally,
  sampleSizeOf,
  seededRandom,
  simpleSample,
  stratifiedSample,
} from './sampling.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, '0')}`);

describe('seededRandom', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = seededRandom('spring-2026');
    const b = seededRandom('spring-2026');
    const c = seededRandom('autumn-2026');
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('sampleSizeOf', () => {
  it('takes a number capped at the base, or a share rounded', () => {
    expect(sampleSizeOf(300, { size: 100 })).toBe(100);
    expect(sampleSizeOf(80, { size: 100 })).toBe(80);
    expect(sampleSizeOf(300, { share: 0.25 })).toBe(75);
    expect(sampleSizeOf(301, { share: 0.25 })).toBe(75); // 75.25 → 75
    expect(sampleSizeOf(302, { share: 0.25 })).toBe(76); // 75.5 → 76
    expect(sampleSizeOf(300, undefined)).toBe(300);
  });
});

describe('simpleSample', () => {
  it('draws the same distinct items for the same seed', () => {
    const first = simpleSample(ids(300), 100, seededRandom('x'));
    const again = simpleSample(ids(300), 100, seededRandom('x'));
    expect(first).toEqual(again);
    expect(new Set(first).size).toBe(100);
    expect(simpleSample(ids(300), 100, seededRandom('y'))).not.toEqual(first);
  });
});

describe('allocateProportionally', () => {
  it('splits 10 over 5/3/2 exactly as 5/3/2, and 7 over 5/3/2 by largest remainder as 4/2/1', () => {
    const strata = new Map([
      ['a', 5],
      ['b', 3],
      ['c', 2],
    ]);
    expect([...allocateProportionally(strata, 10).values()]).toEqual([5, 3, 2]);
    // exact shares 3.5 / 2.1 / 1.4 → floors 3/2/1 = 6, one left → to a (remainder .5)
    expect([...allocateProportionally(strata, 7).values()]).toEqual([4, 2, 1]);
  });

  it('always adds up to the requested size and never exceeds a stratum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 12 }),
        fc.nat(700),
        (ns, k) => {
          const strata = new Map(ns.map((n, i) => [`u${i}`, n]));
          const total = ns.reduce((a, b) => a + b, 0);
          const parts = allocateProportionally(strata, k);
          const sum = [...parts.values()].reduce((a, b) => a + b, 0);
          expect(sum).toBe(Math.min(k, total));
          for (const [key, n] of strata) expect(parts.get(key) ?? 0).toBeLessThanOrEqual(n);
        },
      ),
    );
  });
});

describe('stratifiedSample', () => {
  it('keeps each unit’s share of the base in the sample', () => {
    const items = [
      ...ids(200).map((id) => ({ id, unit: 'north' })),
      ...ids(100).map((id) => ({ id, unit: 'south' })),
    ];
    const sample = stratifiedSample(items, (i) => i.unit, 30, seededRandom('s'));
    expect(sample.filter((i) => i.unit === 'north')).toHaveLength(20);
    expect(sample.filter((i) => i.unit === 'south')).toHaveLength(10);
  });
});
