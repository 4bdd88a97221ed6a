/** @module Moving between segments: the observed transition matrix, the closed loop's effect on it, and the Markov forecast. */
import { SEGMENTS } from './economics.js';
import { twoProportionTest } from './economics-baskets.js';
import { quantile } from './loop-metrics.js';
import type { Segment } from './nps.js';
import { wilsonInterval } from './proportion-interval.js';
import { seededRandom } from './sampling.js';

/** counts[from][to]: customers whose consecutive answers went from one segment to another. */
export type TransitionCounts = Record<Segment, Record<Segment, number>>;

/** A row of the matrix is estimated only from this many transitions; below it the row is "insufficient". */
export const MIN_ROW_TRANSITIONS = 20;

export interface MatrixRow {
  from: Segment;
  n: number;
  /** P(next = to | now = from), each with its Wilson 95% interval; null when the row has no transitions. */
  to: Record<Segment, { p: number; ci95: [number, number] } | null>;
  insufficient: boolean;
}

export const emptyCounts = (): TransitionCounts => ({
  promoter: { promoter: 0, passive: 0, detractor: 0 },
  passive: { promoter: 0, passive: 0, detractor: 0 },
  detractor: { promoter: 0, passive: 0, detractor: 0 },
});

export function addCounts(a: TransitionCounts, b: TransitionCounts): TransitionCounts {
  const sum = emptyCounts();
  for (const f of SEGMENTS) for (const t of SEGMENTS) sum[f][t] = a[f][t] + b[f][t];
  return sum;
}

/** The maximum-likelihood transition matrix of a Markov chain: each row's counts over the row's total. */
export function transitionMatrix(counts: TransitionCounts): MatrixRow[] {
  return SEGMENTS.map((from) => {
    const n = SEGMENTS.reduce((s, to) => s + counts[from][to], 0);
    const to = Object.fromEntries(
      SEGMENTS.map((t) => {
        if (n === 0) return [t, null];
        const { low, high } = wilsonInterval(counts[from][t], n);
        return [t, { p: counts[from][t] / n, ci95: [low, high] as [number, number] }];
      }),
    ) as MatrixRow['to'];
    return { from, n, to, insufficient: n < MIN_ROW_TRANSITIONS };
  });
}

/**
 * Rows as probabilities for the chain. A row with fewer than MIN_ROW_TRANSITIONS transitions is shrunk toward the
 * segments customers move to overall (the column margins), as an empirical-Bayes prior worth MIN_ROW_TRANSITIONS
 * transitions: p = (counts + k·m) / (n + k). So a segment seen moving only a few times neither keeps all its
 * customers (the identity) nor follows three customers' whims. Rows with enough transitions are the plain ML
 * estimate. With no transitions at all the chain stays put; `shrunk` names the rows that were shrunk.
 */
export function probabilities(counts: TransitionCounts): { p: number[][]; shrunk: Segment[] } {
  const total = SEGMENTS.reduce((s, f) => s + SEGMENTS.reduce((t, to) => t + counts[f][to], 0), 0);
  const margin = SEGMENTS.map((to) =>
    total === 0 ? 0 : SEGMENTS.reduce((s, f) => s + counts[f][to], 0) / total,
  );
  const shrunk: Segment[] = [];
  const p = SEGMENTS.map((from, i) => {
    const n = SEGMENTS.reduce((s, to) => s + counts[from][to], 0);
    if (total === 0) return SEGMENTS.map((_, j) => (i === j ? 1 : 0));
    if (n >= MIN_ROW_TRANSITIONS) return SEGMENTS.map((to) => counts[from][to] / n);
    shrunk.push(from);
    const k = MIN_ROW_TRANSITIONS;
    return SEGMENTS.map((to, j) => (counts[from][to] + k * (margin[j] as number)) / (n + k));
  });
  return { p, shrunk };
}

export type Shares = Record<Segment, number>;

export const npsOfShares = (s: Shares): number => 100 * (s.promoter - s.detractor);

/** One step of the chain: s' = s·P (row vector times matrix). */
export function step(s: Shares, p: readonly (readonly number[])[]): Shares {
  const v = SEGMENTS.map((seg) => s[seg]);
  const out = SEGMENTS.map((_, j) => v.reduce((sum, vi, i) => sum + vi * (p[i]?.[j] ?? 0), 0));
  const total = out.reduce((a, b) => a + b, 0);
  return {
    promoter: (out[0] as number) / total,
    passive: (out[1] as number) / total,
    detractor: (out[2] as number) / total,
  };
}

export interface ClosedLoopEffect {
  /** Detractors whose answer got a closed case (resolved or not) before their next answer. */
  withCase: { n: number; improved: number; share: number | null };
  withoutCase: { n: number; improved: number; share: number | null };
  /** share with − share without, in points of probability; and the two-proportion z-test's p-value. */
  difference: number | null;
  pValue: number | null;
}

/** Effect of closing the loop on the detractor row: P(detractor → passive or promoter) with a case vs without. */
export function closedLoopEffect(withCase: Record<Segment, number>, withoutCase: Record<Segment, number>) {
  const side = (c: Record<Segment, number>) => {
    const n = c.promoter + c.passive + c.detractor;
    const improved = c.promoter + c.passive;
    return { n, improved, share: n > 0 ? improved / n : null };
  };
  const a = side(withCase);
  const b = side(withoutCase);
  return {
    withCase: a,
    withoutCase: b,
    difference: a.share === null || b.share === null ? null : a.share - b.share,
    pValue: twoProportionTest(a.improved, a.n, b.improved, b.n),
  } satisfies ClosedLoopEffect;
}

/** Gamma(shape, 1) draw: Marsaglia & Tsang (2000) for shape ≥ 1, boosted by U^(1/shape) below 1. */
export function gammaDraw(shape: number, random: () => number): number {
  if (shape < 1) return gammaDraw(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller normal draw.
      const u1 = random() || Number.MIN_VALUE;
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export interface ForecastStep {
  /** 1 = one step (one answer-to-answer interval) ahead. */
  step: number;
  shares: Shares;
  nps: number;
  /** 95% interval of the NPS from the posterior of the matrix. */
  npsCi95: [number, number];
  sharesCi95: Record<Segment, [number, number]>;
}

/**
 * Markov-chain forecast of segment shares: s_k = s_0·P^k with P from `probabilities` (maximum likelihood, thin rows
 * shrunk). Its uncertainty is the posterior of each row, Dirichlet(counts + ½) under a Jeffreys prior (a shrunk row:
 * its shrunk counts + ½); `samples` seeded draws of P give the 95% bands.
 */
export function markovForecast(
  start: Shares,
  counts: TransitionCounts,
  steps: number,
  options: { samples: number; seed: string },
): ForecastStep[] {
  const { p, shrunk } = probabilities(counts);
  const n = (from: Segment) => SEGMENTS.reduce((s, to) => s + counts[from][to], 0);
  const random = seededRandom(options.seed);
  const paths: Shares[][] = [];
  for (let b = 0; b < options.samples; b++) {
    const draw = SEGMENTS.map((from, i) => {
      // A shrunk row's posterior carries its prior: Dirichlet(counts + k·m) = Dirichlet((n + k)·p).
      const alpha = (to: Segment, j: number) =>
        shrunk.includes(from)
          ? (n(from) + MIN_ROW_TRANSITIONS) * (p[i]?.[j] ?? 0) + 0.5
          : counts[from][to] + 0.5;
      const g = SEGMENTS.map((to, j) => gammaDraw(alpha(to, j), random));
      const sum = g.reduce((a, x) => a + x, 0);
      return g.map((x) => x / sum);
    });
    const path: Shares[] = [];
    let s = start;
    for (let k = 1; k <= steps; k++) {
      s = step(s, draw);
      path.push(s);
    }
    paths.push(path);
  }
  const out: ForecastStep[] = [];
  let s = start;
  for (let k = 1; k <= steps; k++) {
    s = step(s, p);
    const at = (f: (x: Shares) => number) => {
      const values = paths.map((path) => f(path[k - 1] as Shares)).sort((x, y) => x - y);
      return [quantile(values, 0.025) ?? f(s), quantile(values, 0.975) ?? f(s)] as [number, number];
    };
    out.push({
      step: k,
      shares: s,
      nps: npsOfShares(s),
      npsCi95: widen(at(npsOfShares), npsOfShares(s)),
      sharesCi95: {
        promoter: widen(
          at((x) => x.promoter),
          s.promoter,
        ),
        passive: widen(
          at((x) => x.passive),
          s.passive,
        ),
        detractor: widen(
          at((x) => x.detractor),
          s.detractor,
        ),
      },
    });
  }
  return out;
}

/** An interval always holds its point (the posterior mean and the ML estimate can differ for tiny counts). */
const widen = ([lo, hi]: [number, number], x: number): [number, number] => [Math.min(lo, x), Math.max(hi, x)];

/** Long-run shares of the chain (where it settles), by power iteration from even shares. */
export function stationaryShares(counts: TransitionCounts): Shares {
  const { p } = probabilities(counts);
  let s: Shares = { promoter: 1 / 3, passive: 1 / 3, detractor: 1 / 3 };
  for (let i = 0; i < 500; i++) s = step(s, p);
  return s;
}

/** t quantile 0.975 for df 1–30 (then the normal's 1.96). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
export const t975 = (df: number): number => (df >= 1 && df <= 30 ? (T975[df - 1] as number) : 1.96);

export interface TrendForecast {
  slopePerPeriod: number;
  points: { ahead: number; nps: number; ci95: [number, number] }[];
}

/**
 * Linear trend of NPS over past periods by ordinary least squares, with the 95% prediction interval of a new
 * period: ŷ ± t(n−2)·s·√(1 + 1/n + (x − x̄)²/Sxx). Needs at least 3 periods with answers; clamped to [−100, 100].
 */
export function npsTrend(history: readonly (number | null)[], ahead: number): TrendForecast | null {
  const pts = history.map((y, x) => ({ x, y })).filter((p): p is { x: number; y: number } => p.y !== null);
  const n = pts.length;
  if (n < 3) return null;
  const mx = pts.reduce((s, p) => s + p.x, 0) / n;
  const my = pts.reduce((s, p) => s + p.y, 0) / n;
  const sxx = pts.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const slope = pts.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  const intercept = my - slope * mx;
  const rss = pts.reduce((s, p) => s + (p.y - intercept - slope * p.x) ** 2, 0);
  const sd = Math.sqrt(rss / (n - 2));
  const clamp = (v: number) => Math.max(-100, Math.min(100, v));
  const last = history.length - 1;
  return {
    slopePerPeriod: slope,
    points: Array.from({ length: ahead }, (_, i) => {
      const x = last + i + 1;
      const y = intercept + slope * x;
      const half = t975(n - 2) * sd * Math.sqrt(1 + 1 / n + (x - mx) ** 2 / sxx);
      return { ahead: i + 1, nps: clamp(y), ci95: [clamp(y - half), clamp(y + half)] as [number, number] };
    }),
  };
}
