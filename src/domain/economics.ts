/** @module Value of a customer segment: revenue per year, churn, discounted LTV with bootstrap intervals, the money between segments. */

import { quantile } from './loop-metrics.js';
import type { Segment } from './nps.js';
import { seededRandom } from './sampling.js';

export const SEGMENTS = ['promoter', 'passive', 'detractor'] as const satisfies readonly Segment[];

/** The org's economic assumptions (settings), all validated at the edge. */
export interface ValueAssumptions {
  /** Gross margin as a share of revenue, 0–1. */
  margin: number;
  /** Annual discount rate, 0–1 (0.15 = 15% a year). */
  discountRate: number;
  /** Years of future value counted in the LTV (1–20). */
  horizonYears: number;
}

/**
 * Per-customer facts of one segment, as columns (a million customers stay a few typed arrays, not objects).
 * - revenue: net revenue in the window, minor units (refunds subtracted);
 * - exposure: years within the window the customer was a customer (≥ one month, see the SQL);
 * - tenure: years the customer was observed for churn (first contact → lost or censored), 0 = not at risk yet;
 * - lost: 1 when the customer is counted lost (no contact for the churn period, or flagged churned).
 */
export interface SegmentColumns {
  revenue: Float64Array;
  exposure: Float64Array;
  tenure: Float64Array;
  lost: Uint8Array;
  /** 1 when the customer's window revenue is known (at least one contact with an amount). */
  hasRevenue: Uint8Array;
}

/** Below this many customers a segment's value is not estimated (the bootstrap of a ratio is unstable). */
export const MIN_SEGMENT_CUSTOMERS = 30;

export type InsufficientReason =
  | 'too_few_customers'
  | 'no_revenue'
  | 'no_churn_history'
  | 'too_few_answers'
  | 'too_few_transitions'
  | 'no_history';

export interface Estimate {
  value: number;
  /** 95% percentile bootstrap interval. */
  ci95: [number, number];
}

export interface SegmentValue {
  segment: Segment;
  customers: number;
  /** Customers whose window revenue is known. */
  withRevenue: number;
  lost: number;
  /** Null (with `insufficient`) when the data is too thin. */
  revenuePerYear: Estimate | null;
  /** Annual retention probability r = exp(−λ). */
  retention: Estimate | null;
  /** Expected remaining lifetime 1/λ in years; null when no customer was lost (λ = 0) or data is thin. */
  expectedLifetimeYears: number | null;
  ltv: Estimate | null;
  insufficient: InsufficientReason | null;
}

/** Bootstrap replicates kept for differences between segments (same length B for every segment). */
export interface SegmentValueWithReplicates extends SegmentValue {
  replicates: Float64Array | null;
}

/**
 * Discounted customer lifetime value with a finite horizon, Gupta & Lehmann (2003), "Customers as assets",
 * Journal of Interactive Marketing 17(1): margin paid at the start of each year t = 0…H−1, survival r^t,
 * discount (1+d)^−t:
 *   LTV = m·R · Σ_{t=0}^{H−1} (r/(1+d))^t = m·R · (1 − q^H)/(1 − q), q = r/(1+d)  (= m·R·H when q = 1).
 * Revenue below zero (refunds above sales) counts as zero: a customer is worth nothing, not less.
 * The horizon keeps the value finite when no customer was seen leaving (r = 1, d = 0).
 */
export function lifetimeValue(revenuePerYear: number, retention: number, a: ValueAssumptions): number {
  if (!(retention >= 0 && retention <= 1))
    throw new RangeError(`retention is a probability, got ${retention}`);
  const margin = Math.max(0, revenuePerYear) * a.margin;
  const q = retention / (1 + a.discountRate);
  const years = Math.round(a.horizonYears);
  if (Math.abs(1 - q) < 1e-12) return margin * years;
  return (margin * (1 - q ** years)) / (1 - q);
}

/**
 * Constant-hazard churn from censored observation (the exponential model's maximum-likelihood estimate):
 * λ = customers lost / years observed, annual retention r = e^(−λ), expected lifetime 1/λ years.
 */
export function retentionOf(lost: number, tenureYears: number): { hazard: number; retention: number } | null {
  if (!(tenureYears > 0)) return null;
  const hazard = lost / tenureYears;
  return { hazard, retention: Math.exp(-hazard) };
}

interface Sums {
  revenue: number;
  exposure: number;
  tenure: number;
  lost: number;
}

function pointOf(s: Sums, a: ValueAssumptions): { revenue: number; retention: number; ltv: number } | null {
  const churn = retentionOf(s.lost, s.tenure);
  if (!churn || !(s.exposure > 0)) return null;
  // Revenue per customer-year, a ratio estimator: Σ revenue / Σ years, so short-lived customers weigh little.
  const revenue = Math.max(0, s.revenue / s.exposure);
  return { revenue, retention: churn.retention, ltv: lifetimeValue(revenue, churn.retention, a) };
}

const interval = (sorted: number[]): [number, number] => [
  quantile(sorted, 0.025) as number,
  quantile(sorted, 0.975) as number,
];

/**
 * Value of one segment with 95% intervals from the nonparametric bootstrap (Efron 1979; percentile interval,
 * Efron & Tibshirani 1993 ch. 13): `samples` resamples of the segment's customers with replacement, each giving
 * revenue per year, retention and LTV. The generator is seeded, so the same data gives the same interval.
 */
export function segmentValue(
  segment: Segment,
  cols: SegmentColumns,
  a: ValueAssumptions,
  options: { samples: number; seed: string },
): SegmentValueWithReplicates {
  const n = cols.revenue.length;
  const total: Sums = { revenue: 0, exposure: 0, tenure: 0, lost: 0 };
  let withRevenue = 0;
  for (let i = 0; i < n; i++) {
    total.revenue += cols.revenue[i] as number;
    total.exposure += cols.exposure[i] as number;
    total.tenure += cols.tenure[i] as number;
    total.lost += cols.lost[i] as number;
    withRevenue += cols.hasRevenue[i] as number;
  }
  const random = seededRandom(`${options.seed}:${segment}`);
  return estimateSegment(segment, n, withRevenue, total, a, options.samples, () => {
    const s: Sums = { revenue: 0, exposure: 0, tenure: 0, lost: 0 };
    for (let k = 0; k < n; k++) {
      const i = Math.floor(random() * n);
      s.revenue += cols.revenue[i] as number;
      s.exposure += cols.exposure[i] as number;
      s.tenure += cols.tenure[i] as number;
      s.lost += cols.lost[i] as number;
    }
    return s;
  });
}

/** A segment as sums: n, Σx and Σxxᵀ of x = (revenue, exposure, tenure, lost) — what SQL aggregates in one pass. */
export interface SegmentMoments {
  n: number;
  withRevenue: number;
  sum: [number, number, number, number];
  /** cross[i][j] = Σ x_i·x_j. */
  cross: number[][];
}

/** Up to this many customers the bootstrap resamples the customers themselves; above, it draws the sums (below). */
export const EXACT_BOOTSTRAP_MAX = 20_000;

/**
 * The same bootstrap for a large segment from its moments. A resample of n customers with replacement has sums
 * Σx* with mean n·x̄ and covariance n·S exactly (S the customers' population covariance), and for n in the tens of
 * thousands Σx* is normal to a precision far finer than the interval (central limit theorem; Berry–Esseen error of
 * order n^(−½)). So each replicate draws the four sums from that normal (Cholesky factor of n·S) and computes the
 * ratio, hazard and LTV from them exactly as the exact bootstrap does: O(B) instead of O(n·B), no customer rows read.
 */
export function segmentValueFromMoments(
  segment: Segment,
  m: SegmentMoments,
  a: ValueAssumptions,
  options: { samples: number; seed: string },
): SegmentValueWithReplicates {
  const n = m.n;
  const total: Sums = { revenue: m.sum[0], exposure: m.sum[1], tenure: m.sum[2], lost: m.sum[3] };
  const mean = m.sum.map((x) => (n > 0 ? x / n : 0));
  const cov = m.cross.map((row, i) =>
    row.map((x, j) => n * (x / Math.max(1, n) - (mean[i] as number) * (mean[j] as number))),
  );
  const chol = cholesky(cov);
  const random = seededRandom(`${options.seed}:${segment}`);
  const normal = () => {
    const u1 = random() || Number.MIN_VALUE;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  };
  return estimateSegment(segment, n, m.withRevenue, total, a, options.samples, () => {
    const z = [normal(), normal(), normal(), normal()];
    const d = chol.map((row) => row.reduce((acc, l, k) => acc + l * (z[k] as number), 0));
    return {
      revenue: total.revenue + (d[0] as number),
      exposure: Math.max(0, total.exposure + (d[1] as number)),
      tenure: Math.max(0, total.tenure + (d[2] as number)),
      lost: Math.min(n, Math.max(0, total.lost + (d[3] as number))),
    };
  });
}

/** Lower-triangular L with L·Lᵀ = A for a symmetric positive semi-definite A (a zero-variance column stays zero). */
export function cholesky(A: readonly (readonly number[])[]): number[][] {
  const k = A.length;
  const L = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i]?.[j] ?? 0;
      for (let p = 0; p < j; p++) sum -= (L[i]?.[p] ?? 0) * (L[j]?.[p] ?? 0);
      if (i === j)
        (L[i] as number[])[j] = sum > 1e-9 * Math.max(1, Math.abs(A[i]?.[i] ?? 0)) ? Math.sqrt(sum) : 0;
      else {
        const d = L[j]?.[j] ?? 0;
        (L[i] as number[])[j] = d > 0 ? sum / d : 0;
      }
    }
  }
  return L;
}

/** Point estimate, then `samples` replicates from `draw`, shared by the exact and the moments bootstrap. */
function estimateSegment(
  segment: Segment,
  n: number,
  withRevenue: number,
  total: Sums,
  a: ValueAssumptions,
  samples: number,
  draw: () => Sums,
): SegmentValueWithReplicates {
  const base = { segment, customers: n, withRevenue, lost: Math.round(total.lost) };
  const empty = (insufficient: InsufficientReason): SegmentValueWithReplicates => ({
    ...base,
    revenuePerYear: null,
    retention: null,
    expectedLifetimeYears: null,
    ltv: null,
    insufficient,
    replicates: null,
  });
  if (n < MIN_SEGMENT_CUSTOMERS) return empty('too_few_customers');
  if (withRevenue === 0) return empty('no_revenue');
  const point = pointOf(total, a);
  if (!point) return empty('no_churn_history');
  const B = Math.max(1, Math.round(samples));
  const revenues: number[] = [];
  const retentions: number[] = [];
  const ltvs = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    // A resample with no observed years (possible only for tiny segments) keeps the point estimate.
    const r = pointOf(draw(), a) ?? point;
    revenues.push(r.revenue);
    retentions.push(r.retention);
    ltvs[b] = r.ltv;
  }
  const hazard = -Math.log(point.retention);
  return {
    ...base,
    revenuePerYear: { value: point.revenue, ci95: interval(revenues.sort((x, y) => x - y)) },
    retention: { value: point.retention, ci95: interval(retentions.sort((x, y) => x - y)) },
    expectedLifetimeYears: hazard > 0 ? 1 / hazard : null,
    ltv: { value: point.ltv, ci95: interval([...ltvs].sort((x, y) => x - y)) },
    insufficient: null,
    replicates: ltvs,
  };
}

export interface MoneyDifference {
  /** LTV(a) − LTV(b) per customer, minor units, with the interval of the replicate-wise differences. */
  perCustomer: Estimate | null;
  insufficient: InsufficientReason | null;
}

/** LTV(a) − LTV(b): the segments are resampled independently, so the b-th replicates' difference is a draw of it. */
export function moneyDifference(
  a: SegmentValueWithReplicates,
  b: SegmentValueWithReplicates,
): MoneyDifference {
  if (!a.ltv || !b.ltv || !a.replicates || !b.replicates) {
    return { perCustomer: null, insufficient: a.insufficient ?? b.insufficient ?? 'too_few_customers' };
  }
  const B = Math.min(a.replicates.length, b.replicates.length);
  const diffs: number[] = [];
  for (let i = 0; i < B; i++) diffs.push((a.replicates[i] as number) - (b.replicates[i] as number));
  diffs.sort((x, y) => x - y);
  return { perCustomer: { value: a.ltv.value - b.ltv.value, ci95: interval(diffs) }, insufficient: null };
}

export interface ValueAtStake {
  /** Σ customers × LTV over the segments that have an LTV. */
  baseValue: number | null;
  /** What the base would gain if every passive and detractor were worth a promoter. */
  atStake: number | null;
  /** Annual revenue of today's active detractors, and its expected loss next year at their churn. */
  detractorRevenueAtRisk: number | null;
  detractorExpectedLoss: number | null;
}

/**
 * The board's three numbers over today's active customers n_s: base value Σ n_s·LTV_s; value at stake n_passive·(LTV_P − LTV_Pa) +
 * n_detractor·(LTV_P − LTV_D) (never negative per term); revenue at risk = Σ annual revenue of active
 * detractors, of which (1 − r_D) is expected to leave within a year.
 */
export function valueAtStake(
  values: Record<Segment, SegmentValue>,
  active: Record<Segment, number>,
  activeDetractorRevenuePerYear: number,
): ValueAtStake {
  const withLtv = SEGMENTS.filter((s) => values[s].ltv);
  const baseValue =
    withLtv.length === 0
      ? null
      : withLtv.reduce((sum, s) => sum + active[s] * (values[s].ltv?.value ?? 0), 0);
  const p = values.promoter.ltv?.value;
  const gain = (s: 'passive' | 'detractor') => {
    const v = values[s].ltv?.value;
    return p === undefined || v === undefined ? null : active[s] * Math.max(0, p - v);
  };
  const gains = [gain('passive'), gain('detractor')];
  const atStake = gains.some((g) => g === null) ? null : (gains[0] as number) + (gains[1] as number);
  const revenueAtRisk = Math.max(0, activeDetractorRevenuePerYear);
  const rD = values.detractor.retention?.value;
  return {
    baseValue,
    atStake,
    detractorRevenueAtRisk: active.detractor > 0 ? revenueAtRisk : null,
    detractorExpectedLoss: rD === undefined ? null : revenueAtRisk * (1 - rD),
  };
}

export interface ReferralValue {
  segment: Segment;
  customers: number;
  /** Customers recorded as referred by a customer of this segment. */
  referrals: number;
  referralsPerCustomer: number | null;
  /** referrals per customer × the average LTV of a referred customer (the org's average when too few). */
  valuePerCustomer: number | null;
}

/** Word of mouth in money: referral rate of a segment × what a referred customer is worth. */
export function referralValue(
  segment: Segment,
  customers: number,
  referrals: number,
  referredCustomerLtv: number | null,
): ReferralValue {
  const rate = customers > 0 ? referrals / customers : null;
  return {
    segment,
    customers,
    referrals,
    referralsPerCustomer: rate,
    valuePerCustomer: rate === null || referredCustomerLtv === null ? null : rate * referredCustomerLtv,
  };
}

/** Benjamini & Hochberg (1995) step-up adjusted p-values (q-values): controls the false discovery rate. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const q = new Array<number>(m).fill(1);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const { p, i } = order[k] as { p: number; i: number };
    running = Math.min(running, (p * m) / (k + 1));
    q[i] = Math.min(1, running);
  }
  return q;
}

/** Replaces NaN and ±Infinity by null, so nothing unprintable leaves the domain. */
export const finiteOrNull = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x;
