import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  cholesky,
  finiteOrNull,
  lifetimeValue,
  moneyDifference,
  referralValue,
  retentionOf,
  type SegmentColumns,
  segmentValue,
  segmentValueFromMoments,
  valueAtStake,
} from './economics.js';
import { seededRandom } from './sampling.js';

const assumptions = { margin: 0.3, discountRate: 0.1, horizonYears: 5 };

/** n customers alike: revenue, exposure and tenure each, and the first `lost` of them lost. */
function alike(n: number, revenue: number, exposure: number, tenure: number, lost: number): SegmentColumns {
  return {
    revenue: new Float64Array(n).fill(revenue),
    exposure: new Float64Array(n).fill(exposure),
    tenure: new Float64Array(n).fill(tenure),
    lost: Uint8Array.from({ length: n }, (_, i) => (i < lost ? 1 : 0)),
    hasRevenue: new Uint8Array(n).fill(1),
  };
}

describe('lifetimeValue (discounted, finite horizon, Gupta & Lehmann 2003)', () => {
  it('works a five-year example by hand', () => {
    // m·R = 0.3 × 1,000,000 = 300,000; q = 0.8 / 1.1 = 0.72727; q⁵ = 32768/161051 = 0.20346
    // LTV = 300,000 × (1 − 0.20346) / (1 − 0.72727) = 300,000 × 0.79654 / 0.27273 = 876,190.15
    expect(lifetimeValue(1_000_000, 0.8, assumptions)).toBeCloseTo(876_190.15, 1);
  });

  it('is margin × revenue × years when nobody leaves and money keeps its value (q = 1)', () => {
    // 0.3 × 1,000 × 5 = 1,500
    expect(lifetimeValue(1000, 1, { ...assumptions, discountRate: 0 })).toBe(1500);
  });

  it('counts a customer whose refunds exceed sales as worth nothing, not less', () => {
    expect(lifetimeValue(-5000, 0.9, assumptions)).toBe(0);
  });

  it('never falls when retention rises, and stays finite and non-negative', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (revenue, r1, r2, margin, discountRate, horizonYears) => {
          const a = { margin, discountRate, horizonYears };
          const low = lifetimeValue(revenue, Math.min(r1, r2), a);
          const high = lifetimeValue(revenue, Math.max(r1, r2), a);
          expect(Number.isFinite(high)).toBe(true);
          expect(low).toBeGreaterThanOrEqual(0);
          expect(high).toBeGreaterThanOrEqual(low - 1e-6 * Math.max(1, low));
        },
      ),
    );
  });
});

describe('retentionOf (exponential hazard from censored observation)', () => {
  it('turns 2 lost over 10 customer-years into λ = 0.2 and r = e^(−0.2) = 0.8187', () => {
    const r = retentionOf(2, 10);
    expect(r?.hazard).toBeCloseTo(0.2, 12);
    expect(r?.retention).toBeCloseTo(0.818731, 6);
  });

  it('knows nothing without observed years', () => {
    expect(retentionOf(0, 0)).toBeNull();
  });
});

describe('segmentValue (bootstrap percentile intervals)', () => {
  it('estimates revenue, retention and LTV of a segment, with intervals holding the point', () => {
    // 40 customers, each 100,000 kopecks over 1 year, observed 2 years; 10 lost → λ = 10/80 = 0.125, r = 0.8825
    const v = segmentValue('promoter', alike(40, 100_000, 1, 2, 10), assumptions, {
      samples: 300,
      seed: 't',
    });
    expect(v.insufficient).toBeNull();
    expect(v.revenuePerYear?.value).toBe(100_000);
    // All revenues equal: every resample has the same revenue per year.
    expect(v.revenuePerYear?.ci95).toEqual([100_000, 100_000]);
    expect(v.retention?.value).toBeCloseTo(Math.exp(-0.125), 12);
    expect(v.expectedLifetimeYears).toBeCloseTo(8, 12);
    const ltv = v.ltv!;
    expect(ltv.value).toBeCloseTo(lifetimeValue(100_000, Math.exp(-0.125), assumptions), 6);
    expect(ltv.ci95[0]).toBeLessThanOrEqual(ltv.value);
    expect(ltv.ci95[1]).toBeGreaterThanOrEqual(ltv.value);
    expect(ltv.ci95[1]).toBeGreaterThan(ltv.ci95[0]);
  });

  it('gives the same interval for the same data and seed', () => {
    const cols = alike(50, 1000, 1, 1, 20);
    cols.revenue[3] = 9000;
    const a = segmentValue('passive', cols, assumptions, { samples: 100, seed: 'x' });
    const b = segmentValue('passive', cols, assumptions, { samples: 100, seed: 'x' });
    expect(a.ltv).toEqual(b.ltv);
  });

  it('says why instead of printing a number when the data is too thin', () => {
    expect(
      segmentValue('detractor', alike(5, 100, 1, 1, 1), assumptions, { samples: 50, seed: 's' }).insufficient,
    ).toBe('too_few_customers');
    const noMoney = alike(40, 0, 1, 1, 1);
    noMoney.hasRevenue.fill(0);
    const v = segmentValue('detractor', noMoney, assumptions, { samples: 50, seed: 's' });
    expect(v.insufficient).toBe('no_revenue');
    expect(v.ltv).toBeNull();
    // Everyone new (not yet at risk of churn): no years observed.
    expect(
      segmentValue('passive', alike(40, 10, 1, 0, 0), assumptions, { samples: 50, seed: 's' }).insufficient,
    ).toBe('no_churn_history');
  });

  it('keeps LTV finite when no one was seen leaving (the horizon bounds it)', () => {
    const v = segmentValue(
      'promoter',
      alike(30, 1000, 1, 1, 0),
      { ...assumptions, discountRate: 0 },
      {
        samples: 50,
        seed: 's',
      },
    );
    // r = 1, d = 0: 0.3 × 1000 × 5 = 1500; lifetime unknown (λ = 0)
    expect(v.ltv?.value).toBe(1500);
    expect(v.expectedLifetimeYears).toBeNull();
  });
});

describe('the money between segments', () => {
  it('differences LTVs replicate by replicate and adds up the value at stake', () => {
    const p = segmentValue('promoter', alike(40, 200_000, 1, 2, 4), assumptions, { samples: 100, seed: 'm' });
    const d = segmentValue('detractor', alike(40, 100_000, 1, 2, 20), assumptions, {
      samples: 100,
      seed: 'm',
    });
    const diff = moneyDifference(p, d);
    expect(diff.perCustomer?.value).toBeCloseTo(p.ltv!.value - d.ltv!.value, 6);
    expect(diff.perCustomer!.ci95[0]).toBeLessThan(diff.perCustomer!.ci95[1]);
    const pa = segmentValue('passive', alike(40, 150_000, 1, 2, 10), assumptions, {
      samples: 100,
      seed: 'm',
    });
    const stake = valueAtStake(
      { promoter: p, passive: pa, detractor: d },
      { promoter: 10, passive: 20, detractor: 30 },
      3_000_000,
    );
    // base = 10·LTV_P + 20·LTV_Pa + 30·LTV_D; at stake = 20·(LTV_P − LTV_Pa) + 30·(LTV_P − LTV_D)
    expect(stake.baseValue).toBeCloseTo(10 * p.ltv!.value + 20 * pa.ltv!.value + 30 * d.ltv!.value, 3);
    expect(stake.atStake).toBeCloseTo(
      20 * (p.ltv!.value - pa.ltv!.value) + 30 * (p.ltv!.value - d.ltv!.value),
      3,
    );
    // 3,000,000 of detractor revenue a year; r_D = e^(−20/80) = 0.7788 → expected loss 3,000,000 × 0.2212 = 663,598
    expect(stake.detractorExpectedLoss).toBeCloseTo(3_000_000 * (1 - Math.exp(-0.25)), 3);
  });

  it('has no difference where a segment has no estimate', () => {
    const p = segmentValue('promoter', alike(40, 200_000, 1, 2, 4), assumptions, { samples: 20, seed: 'm' });
    const d = segmentValue('detractor', alike(3, 100_000, 1, 2, 1), assumptions, { samples: 20, seed: 'm' });
    expect(moneyDifference(p, d)).toEqual({ perCustomer: null, insufficient: 'too_few_customers' });
  });

  it('values word of mouth as referrals per customer × a referred customer’s LTV', () => {
    // 5 referrals by 50 promoters = 0.1 each; × 40,000 = 4,000 per promoter
    expect(referralValue('promoter', 50, 5, 40_000)).toEqual({
      segment: 'promoter',
      customers: 50,
      referrals: 5,
      referralsPerCustomer: 0.1,
      valuePerCustomer: 4000,
    });
    expect(referralValue('detractor', 0, 0, 40_000).referralsPerCustomer).toBeNull();
  });
});

describe('benjaminiHochberg', () => {
  it('adjusts p-values step-up by hand', () => {
    // sorted 0.01, 0.03, 0.04, 0.20 (m = 4): p·m/k = 0.04, 0.06, 0.0533, 0.20; running min from the top:
    // 0.20, 0.0533, 0.0533, 0.04 → back in input order [0.04, 0.0533, 0.0533, 0.20]
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2]);
    expect(q[0]).toBeCloseTo(0.04, 10);
    expect(q[1]).toBeCloseTo(0.16 / 3, 10);
    expect(q[2]).toBeCloseTo(0.16 / 3, 10);
    expect(q[3]).toBeCloseTo(0.2, 10);
  });

  it('never lowers a p-value and keeps the order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (ps) => {
          const q = benjaminiHochberg(ps);
          ps.forEach((p, i) => {
            expect(q[i]).toBeGreaterThanOrEqual(p - 1e-12);
            expect(q[i]).toBeLessThanOrEqual(1);
          });
        },
      ),
    );
  });
});

it('finiteOrNull keeps NaN and Infinity off the screen', () => {
  expect(finiteOrNull(Number.NaN)).toBeNull();
  expect(finiteOrNull(Number.POSITIVE_INFINITY)).toBeNull();
  expect(finiteOrNull(2)).toBe(2);
});

describe('the bootstrap from moments (large segments)', () => {
  it('factors a covariance by hand (Cholesky)', () => {
    // [[4, 2], [2, 3]] = L·Lᵀ with L = [[2, 0], [1, √2]]
    const L = cholesky([
      [4, 2],
      [2, 3],
    ]);
    expect(L[0]).toEqual([2, 0]);
    expect(L[1]![0]).toBe(1);
    expect(L[1]![1]).toBeCloseTo(Math.SQRT2, 12);
    // a variable that never varies (nobody lost) leaves its column at zero instead of failing
    expect(cholesky([[0]])).toEqual([[0]]);
  });

  it('gives the exact bootstrap’s point and, within a few percent, its interval', () => {
    const random = seededRandom('moments');
    const n = 5000;
    const cols: SegmentColumns = {
      revenue: Float64Array.from({ length: n }, () => Math.round(50_000 + random() * 200_000)),
      exposure: Float64Array.from({ length: n }, () => 0.1 + random() * 0.9),
      tenure: Float64Array.from({ length: n }, () => 0.1 + random() * 2),
      lost: Uint8Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0)),
      hasRevenue: new Uint8Array(n).fill(1),
    };
    const x = (i: number) => [cols.revenue[i]!, cols.exposure[i]!, cols.tenure[i]!, cols.lost[i]!];
    const sum: [number, number, number, number] = [0, 0, 0, 0];
    const cross = [0, 1, 2, 3].map(() => [0, 0, 0, 0]);
    for (let i = 0; i < n; i++) {
      const v = x(i);
      for (let a = 0; a < 4; a++) {
        sum[a]! += v[a]!;
        for (let b = 0; b < 4; b++) cross[a]![b]! += v[a]! * v[b]!;
      }
    }
    const exact = segmentValue('passive', cols, assumptions, { samples: 400, seed: 'e' });
    const fast = segmentValueFromMoments('passive', { n, withRevenue: n, sum, cross }, assumptions, {
      samples: 400,
      seed: 'e',
    });
    expect(fast.ltv?.value).toBeCloseTo(exact.ltv!.value, 6);
    const width = exact.ltv!.ci95[1] - exact.ltv!.ci95[0];
    expect(Math.abs(fast.ltv!.ci95[0] - exact.ltv!.ci95[0])).toBeLessThan(0.15 * width);
    expect(Math.abs(fast.ltv!.ci95[1] - exact.ltv!.ci95[1])).toBeLessThan(0.15 * width);
  });
});
