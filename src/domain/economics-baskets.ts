/** @module Baskets of services per segment: who buys what, which differences are significant, and the basket if shares change. */
import { benjaminiHochberg, SEGMENTS } from './economics.js';
import type { Segment } from './nps.js';
import { normalCdf } from './nps.js';

/** One service bought by one segment over the window (aggregated per customer in the database). */
export interface BasketCell {
  service: string;
  segment: Segment;
  /** Customers of the segment who bought it at least once. */
  buyers: number;
  /** Net spend on it, minor units. */
  spendMinor: number;
  /** Contacts (visits or purchases) with it. */
  visits: number;
}

export interface BasketSegmentRow {
  buyers: number;
  /** buyers / customers of the segment, 0–1; null when the segment has no customers. */
  share: number | null;
  spendPerBuyer: number | null;
  visitsPerBuyer: number | null;
  /** Spend on the service per customer of the segment (buyers or not). */
  spendPerCustomer: number | null;
}

export interface BasketRow {
  service: string;
  bySegment: Record<Segment, BasketSegmentRow>;
  /** Pearson's χ² of independence of segment × bought, its degrees of freedom and p-value. */
  chiSquare: number | null;
  df: number;
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p over all services (false discovery rate). */
  qValue: number | null;
  significant: boolean;
  /** Share of promoters who buy it − share of detractors, with its BH-adjusted two-proportion z-test. */
  promoterMinusDetractor: number | null;
  pairQValue: number | null;
  typicalOf: 'promoter' | 'detractor' | null;
  /** Some expected count is below 5: the χ² approximation is not trusted and nothing is called significant. */
  lowCounts: boolean;
}

export const SIGNIFICANCE = 0.05;

/** Upper tail of χ² with 1 or 2 degrees of freedom, in closed form: df 1 → 2(1 − Φ(√x)), df 2 → e^(−x/2). */
export function chiSquareSurvival(x: number, df: 1 | 2): number {
  if (x <= 0) return 1;
  return df === 2 ? Math.exp(-x / 2) : 2 * normalCdf(-Math.sqrt(x));
}

/**
 * Pearson's χ² test of independence of a k×2 table (segment × bought / did not), df = k − 1 over the segments
 * that have customers. Returns also whether every expected count is at least 5 (Cochran's rule).
 */
export function chiSquareOfBuyers(
  rows: readonly { buyers: number; customers: number }[],
): { chiSquare: number; df: number; pValue: number; lowCounts: boolean } | null {
  const used = rows.filter((r) => r.customers > 0);
  if (used.length < 2) return null;
  const n = used.reduce((s, r) => s + r.customers, 0);
  const bought = used.reduce((s, r) => s + r.buyers, 0);
  if (bought === 0 || bought === n) return { chiSquare: 0, df: used.length - 1, pValue: 1, lowCounts: true };
  let chi = 0;
  let lowCounts = false;
  for (const r of used) {
    const eYes = (r.customers * bought) / n;
    const eNo = (r.customers * (n - bought)) / n;
    if (eYes < 5 || eNo < 5) lowCounts = true;
    chi += (r.buyers - eYes) ** 2 / eYes + (r.customers - r.buyers - eNo) ** 2 / eNo;
  }
  const df = used.length - 1;
  return { chiSquare: chi, df, pValue: chiSquareSurvival(chi, df === 1 ? 1 : 2), lowCounts };
}

/** Two-sided two-proportion z-test with the pooled variance. */
export function twoProportionTest(x1: number, n1: number, x2: number, n2: number): number | null {
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return 1;
  const z = (x1 / n1 - x2 / n2) / se;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

const perOrNull = (x: number, n: number) => (n > 0 ? x / n : null);

/**
 * Baskets per segment with significance: each service is tested with χ² (segment × bought) and, for "typical of
 * promoters / detractors", with a promoter-vs-detractor two-proportion z-test; both families are adjusted with
 * Benjamini–Hochberg so that among the differences called significant at most 5% are expected to be false.
 */
export function compareBaskets(
  cells: readonly BasketCell[],
  customers: Record<Segment, number>,
): BasketRow[] {
  const services = [...new Set(cells.map((c) => c.service))].sort();
  const rows = services.map((service) => {
    const bySegment = Object.fromEntries(
      SEGMENTS.map((segment) => {
        const cell = cells.find((c) => c.service === service && c.segment === segment);
        const buyers = cell?.buyers ?? 0;
        const n = customers[segment];
        return [
          segment,
          {
            buyers,
            share: perOrNull(buyers, n),
            spendPerBuyer: perOrNull(cell?.spendMinor ?? 0, buyers),
            visitsPerBuyer: perOrNull(cell?.visits ?? 0, buyers),
            spendPerCustomer: perOrNull(cell?.spendMinor ?? 0, n),
          },
        ];
      }),
    ) as Record<Segment, BasketSegmentRow>;
    const test = chiSquareOfBuyers(
      SEGMENTS.map((s) => ({ buyers: bySegment[s].buyers, customers: customers[s] })),
    );
    const pair = twoProportionTest(
      bySegment.promoter.buyers,
      customers.promoter,
      bySegment.detractor.buyers,
      customers.detractor,
    );
    const sp = bySegment.promoter.share;
    const sd = bySegment.detractor.share;
    return { service, bySegment, test, pair, diff: sp === null || sd === null ? null : sp - sd };
  });
  const q = benjaminiHochberg(rows.map((r) => r.test?.pValue ?? 1));
  const pairQ = benjaminiHochberg(rows.map((r) => r.pair ?? 1));
  return rows.map((r, i) => {
    const lowCounts = r.test?.lowCounts ?? true;
    const significant = !lowCounts && (q[i] as number) < SIGNIFICANCE;
    const pairSignificant = !lowCounts && r.pair !== null && (pairQ[i] as number) < SIGNIFICANCE;
    return {
      service: r.service,
      bySegment: r.bySegment,
      chiSquare: r.test?.chiSquare ?? null,
      df: r.test?.df ?? 0,
      pValue: r.test?.pValue ?? null,
      qValue: r.test ? (q[i] as number) : null,
      significant,
      promoterMinusDetractor: r.diff,
      pairQValue: r.pair === null ? null : (pairQ[i] as number),
      typicalOf:
        significant && pairSignificant && r.diff !== null && r.diff !== 0
          ? r.diff > 0
            ? 'promoter'
            : 'detractor'
          : null,
      lowCounts,
    };
  });
}

export interface BasketForecastRow {
  service: string;
  /** Expected share of all customers buying it, now and with the new segment shares. */
  buyersShareNow: number;
  buyersShareThen: number;
  /** Expected spend on it per customer (minor units), now and then. */
  spendPerCustomerNow: number;
  spendPerCustomerThen: number;
}

/**
 * The basket if the segment shares change, by the law of total expectation: a customer keeps the buying habits
 * of their segment, so E[bought] = Σ_s w_s · share_s and E[spend] = Σ_s w_s · spendPerCustomer_s. Segments with
 * no customers contribute nothing (their weight should be 0).
 */
export function forecastBasket(
  rows: readonly BasketRow[],
  now: Record<Segment, number>,
  then: Record<Segment, number>,
): BasketForecastRow[] {
  const mix = (r: BasketRow, w: Record<Segment, number>, key: 'share' | 'spendPerCustomer') =>
    SEGMENTS.reduce((sum, s) => sum + w[s] * (r.bySegment[s][key] ?? 0), 0);
  return rows.map((r) => ({
    service: r.service,
    buyersShareNow: mix(r, now, 'share'),
    buyersShareThen: mix(r, then, 'share'),
    spendPerCustomerNow: mix(r, now, 'spendPerCustomer'),
    spendPerCustomerThen: mix(r, then, 'spendPerCustomer'),
  }));
}
