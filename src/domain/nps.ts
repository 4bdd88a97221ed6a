/** @module Net Promoter Score of a tally of answers: segments, the score, its 95% interval and a two-sample test. */

export type Segment = 'promoter' | 'passive' | 'detractor';

/** How many answers fell in each segment. */
export interface Tally {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsEstimate {
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** 100·(P − D)/n in −100..100, full precision (callers round); null when n = 0. */
  nps: number | null;
  /** 95% interval in NPS points, within [−100, 100]; always contains `nps`. */
  ci95: [number, number] | null;
  /** Half the width of `ci95` (the interval is not symmetric once clamped). */
  moe: number | null;
  smallSample: boolean;
  method: 'wald' | 'adjusted-wald';
}

export interface NpsComparison {
  /** nps(a) − nps(b), in points. */
  diff: number;
  /** Standard error of the difference, in points. */
  se: number;
  /** The test statistic; diff/se when both tallies use plain Wald (see compareNps for the adjusted case). */
  z: number;
  /** Two-sided. */
  pValue: number;
  /** pValue < 0.05. */
  significant: boolean;
}

/** 97.5% quantile of the standard normal, rounded as it is usually printed (exact 1.95996…). */
const Z95 = 1.96;
const ALPHA = 0.05;

/**
 * Below this many answers a score is flagged as a small sample. With answers split evenly in thirds
 * (NPS 0) the Wald margin at n = 30 is already 1.96·√(0.667/30)·100 = ±29.2 points, and ±35.8 in the
 * worst case pP = pD = ½ (1.96·√(1/30)·100); at n = 10 it is ±50.6 / ±62.0. Below 30 a score cannot tell
 * a good month from a bad one, and Wald's exact coverage falls too (see WALD_MIN_N).
 */
export const SMALL_SAMPLE_N = 30;

/**
 * When the plain Wald interval is trusted: n ≥ 30 and at least 5 answers both in and out of the promoter
 * and of the detractor segment (the np ≥ 5 rule of thumb for the normal approximation, applied to the two
 * binomial margins that make the NPS). Otherwise the adjusted Wald is used.
 *
 * Measured, not assumed (exact trinomial coverage, every outcome enumerated, 95% nominal; grid of true
 * shares pP, pD in {.01,.02,.05,.1,…,.9,.95,.98}, n in {30,50,100,150,200,300,500,1000}):
 * - plain Wald alone: mean coverage 93.5% at n = 100, worst case 73% at n = 100, 87% at n = 200, 92% at n = 500
 *   (it collapses to zero width when every answer falls in one segment);
 * - adjusted Wald alone: mean 95.1–95.5%, worst 93.5% (n = 30, pP = .5, pD = .02);
 * - this rule (measured on estimateNps itself): mean 94.9–95.7%, worst 93.47% (n = 30, pP = pD = .4), within
 *   0.1 point of the adjusted Wald's own worst case. Below n = 30 (adjusted Wald only) the mean is 94.6–95.8%.
 * Keeping Wald where it is safe means a well-sampled score shows the textbook interval a reader can check
 * by hand; the two differ there by at most ~3 points at a bound (n ≥ 100, every count ≥ 5).
 */
export const WALD_MIN_N = SMALL_SAMPLE_N;
export const WALD_MIN_COUNT = 5;

/**
 * Pseudo-answers of the adjusted Wald interval for the NPS, Rocks (2016), "Interval estimation for the
 * 'net promoter score'", The American Statistician 70(4), 365–372: add ¾ detractor, 1½ passive and
 * ¾ promoter (3 answers in all) and build the Wald interval on the adjusted counts, centred on the adjusted
 * score. Confirmed against Rocks's own R package `NPS` (nps_test, pseudo_observations = c(0.75, 1.5, 0.75))
 * and Lewis & Sauro, "Evaluating NPS confidence intervals with real-world data", MeasuringU 2021 ("add 3 to
 * n, ¾ to detractors and ¾ to promoters"), whose real-data check agreed with Rocks that it performs best.
 */
const PSEUDO_PROMOTERS = 0.75;
const PSEUDO_PASSIVES = 1.5;
const PSEUDO_DETRACTORS = 0.75;

/** The segment of a 0–10 likelihood-to-recommend score: 9–10 promoter, 7–8 passive, 0–6 detractor (Reichheld 2003). */
export function segmentOf(score: number): Segment {
  if (!Number.isInteger(score) || score < 0 || score > 10) {
    throw new RangeError(`a score is an integer from 0 to 10, got ${score}`);
  }
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** Folds counts per score (counts[s] = answers with score s, s = 0..10) into a tally. */
export function tallyFromCounts(counts: readonly number[]): Tally {
  if (counts.length !== 11) {
    throw new RangeError(`counts per score need 11 entries (scores 0..10), got ${counts.length}`);
  }
  const tally: Tally = { promoters: 0, passives: 0, detractors: 0 };
  counts.forEach((count, score) => {
    assertCount(count, `count of score ${score}`);
    const segment = segmentOf(score);
    if (segment === 'promoter') tally.promoters += count;
    else if (segment === 'passive') tally.passives += count;
    else tally.detractors += count;
  });
  return tally;
}

/** Sums tallies (e.g. the units of a subtree, or the days of a period). */
export function addTallies(...tallies: readonly Tally[]): Tally {
  const sum: Tally = { promoters: 0, passives: 0, detractors: 0 };
  for (const t of tallies) {
    sum.promoters += t.promoters;
    sum.passives += t.passives;
    sum.detractors += t.detractors;
  }
  return sum;
}

/** The NPS of a tally with its 95% interval; see WALD_MIN_N for which interval and why. */
export function estimateNps(t: Tally): NpsEstimate {
  assertTally(t);
  const n = t.promoters + t.passives + t.detractors;
  const method = chooseMethod(t, n);
  const base = { n, promoters: t.promoters, passives: t.passives, detractors: t.detractors, method };
  if (n === 0) {
    return { ...base, nps: null, ci95: null, moe: null, smallSample: true };
  }
  const nps = (100 * (t.promoters - t.detractors)) / n;
  const { centre, variance } = describeEstimator(t, method);
  const centrePoints = centre * 100;
  const half = Z95 * Math.sqrt(variance) * 100;
  // Clamp to the scale. At n = 1 with one promoter the adjusted interval is [−48.5, 98.5] and leaves out the
  // observed +100 (an exhaustive check of every tally up to n = 60 finds only that one and its mirror), so
  // the reported interval is widened to take in the observed score; this can only raise coverage.
  const lower = Math.min(Math.max(-100, centrePoints - half), nps);
  const upper = Math.max(Math.min(100, centrePoints + half), nps);
  return {
    ...base,
    nps,
    ci95: [lower, upper],
    moe: (upper - lower) / 2,
    smallSample: n < SMALL_SAMPLE_N,
  };
}

/**
 * Two-sided z-test of nps(a) − nps(b) for independent samples: se² = Var(a) + Var(b), each the trinomial
 * variance [pP + pD − (pP − pD)²]/n (Rocks 2016). A tally that estimateNps gives the adjusted Wald enters the
 * test adjusted too (its pseudo-answers added to both its score and its variance, as Rocks's `nps_test` does
 * with test = "adjusted.wald"), so z = (centre_a − centre_b)/se, which equals diff/se whenever both tallies use
 * plain Wald. Without that, one promoter against one detractor would read diff 200, se 53, z 3.8, "significant";
 * adjusted it reads z = 50/53 = 0.94, p = 0.35. `diff` stays the difference of the scores users see.
 */
export function compareNps(a: Tally, b: Tally): NpsComparison {
  assertTally(a);
  assertTally(b);
  const na = a.promoters + a.passives + a.detractors;
  const nb = b.promoters + b.passives + b.detractors;
  if (na === 0 || nb === 0) {
    throw new RangeError('cannot compare an NPS with no answers');
  }
  const diff = (100 * (a.promoters - a.detractors)) / na - (100 * (b.promoters - b.detractors)) / nb;
  const ea = describeEstimator(a, chooseMethod(a, na));
  const eb = describeEstimator(b, chooseMethod(b, nb));
  const se = Math.sqrt(ea.variance + eb.variance) * 100;
  const z = ((ea.centre - eb.centre) * 100) / se;
  const pValue = Math.min(1, 2 * normalCdf(-Math.abs(z)));
  return { diff, se, z, pValue, significant: pValue < ALPHA };
}

/**
 * Standard normal CDF Φ(x) through erfc, Abramowitz & Stegun (1964), Handbook of Mathematical Functions,
 * formula 7.1.26: erfc(u) ≈ t(a1 + t(a2 + t(a3 + t(a4 + t·a5))))·e^(−u²), t = 1/(1 + p·u), u ≥ 0, with
 * |error| ≤ 1.5e−7. Working with erfc for the tail keeps small p-values accurate instead of computing 1 − Φ.
 */
export function normalCdf(x: number): number {
  // The polynomial gives erfc(0) = 0.999999999, not 1; Φ(0) is ½ exactly by symmetry.
  if (x === 0) return 0.5;
  const tail = 0.5 * erfcOfNonNegative(Math.abs(x) / Math.SQRT2);
  return x >= 0 ? 1 - tail : tail;
}

function erfcOfNonNegative(u: number): number {
  const p = 0.3275911;
  const a1 = 0.254829592;
  const a2 = -0.284496736;
  const a3 = 1.421413741;
  const a4 = -1.453152027;
  const a5 = 1.061405429;
  const t = 1 / (1 + p * u);
  return t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5)))) * Math.exp(-u * u);
}

function chooseMethod(t: Tally, n: number): NpsEstimate['method'] {
  const smallest = Math.min(t.promoters, t.detractors, n - t.promoters, n - t.detractors);
  return n >= WALD_MIN_N && smallest >= WALD_MIN_COUNT ? 'wald' : 'adjusted-wald';
}

/** Centre (NPS as a fraction) and variance of the mean of the chosen estimator; trinomial variance, Rocks (2016). */
function describeEstimator(t: Tally, method: NpsEstimate['method']): { centre: number; variance: number } {
  const adjusted = method === 'adjusted-wald';
  const promoters = t.promoters + (adjusted ? PSEUDO_PROMOTERS : 0);
  const detractors = t.detractors + (adjusted ? PSEUDO_DETRACTORS : 0);
  const pseudoAnswers = adjusted ? PSEUDO_PROMOTERS + PSEUDO_PASSIVES + PSEUDO_DETRACTORS : 0;
  const n = t.promoters + t.passives + t.detractors + pseudoAnswers;
  const pP = promoters / n;
  const pD = detractors / n;
  const centre = pP - pD;
  return { centre, variance: (pP + pD - centre * centre) / n };
}

function assertTally(t: Tally): void {
  assertCount(t.promoters, 'promoters');
  assertCount(t.passives, 'passives');
  assertCount(t.detractors, 'detractors');
}

function assertCount(count: number | undefined, what: string): void {
  if (count === undefined || !Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${count}`);
  }
}
