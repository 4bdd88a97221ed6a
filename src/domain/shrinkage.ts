/**
 * @module Empirical-Bayes shrinkage of the NPS of many groups (units, employees) towards their common mean, so a
 * ranking does not reward luck: a branch with 6 promoters out of 6 answers does not outrank one with 70% of 400.
 *
 * Model (normal–normal, Morris 1983, "Parametric empirical Bayes inference: theory and applications", JASA 78(381),
 * 47–55): the observed NPS xᵢ of group i is its true NPS θᵢ plus sampling noise of variance vᵢ (the trinomial variance
 * of the NPS, Rocks 2016), and the θᵢ are spread around a mean μ with variance τ². μ and τ² are estimated from the
 * groups themselves by the method of moments of DerSimonian & Laird (1986, "Meta-analysis in clinical trials",
 * Controlled Clinical Trials 7, 177–188). The posterior mean of θᵢ is then
 *   θ̂ᵢ = Bᵢ·μ̂ + (1 − Bᵢ)·xᵢ,  Bᵢ = vᵢ / (vᵢ + τ²),
 * so a group is pulled towards the mean by as much as its own noise outweighs the real spread between groups.
 */
import type { Tally } from './nps.js';

/** Rocks's pseudo-answers (¾ promoter, 1½ passive, ¾ detractor): keep a group's variance above 0 when all answers agree. */
const PSEUDO = { promoters: 0.75, passives: 1.5, detractors: 0.75 };
const Z95 = 1.959963984540054;

export interface ShrunkGroup {
  n: number;
  /** The group's own NPS, in points (null with no answers). */
  raw: number | null;
  /** The empirical-Bayes estimate, in points (null with no answers). */
  shrunk: number | null;
  /** 95% posterior interval of the shrunk estimate, in points, within [−100, 100]. */
  ci95: [number, number] | null;
  /** Bᵢ: 0 = the group's own score is kept, 1 = it is replaced by the mean. */
  pull: number | null;
}

export interface Shrinkage {
  /** μ̂, in points (null when no group has answers). */
  mean: number | null;
  /** τ̂², the variance of the true scores between groups, in points². */
  between: number;
  groups: ShrunkGroup[];
}

/** The sampling variance of one group's NPS as a fraction, from its pseudo-answer-adjusted shares (always > 0). */
export function noiseVariance(t: Tally): number {
  const p = t.promoters + PSEUDO.promoters;
  const d = t.detractors + PSEUDO.detractors;
  const n = t.promoters + t.passives + t.detractors + PSEUDO.promoters + PSEUDO.passives + PSEUDO.detractors;
  const pP = p / n;
  const pD = d / n;
  // The variance of the mean of the group's real n answers (the pseudo-answers only steady the shares).
  const answers = Math.max(1, t.promoters + t.passives + t.detractors);
  return (pP + pD - (pP - pD) ** 2) / answers;
}

/** Shrinks every group's NPS towards the mean of all; groups keep their order in the result. */
export function shrinkNps(tallies: readonly Tally[]): Shrinkage {
  const observed = tallies
    .map((t, i) => {
      const n = t.promoters + t.passives + t.detractors;
      return n === 0 ? null : { i, n, x: (t.promoters - t.detractors) / n, v: noiseVariance(t) };
    })
    .filter((g): g is { i: number; n: number; x: number; v: number } => g !== null);
  const empty: ShrunkGroup = { n: 0, raw: null, shrunk: null, ci95: null, pull: null };
  const groups: ShrunkGroup[] = tallies.map(() => empty);
  if (observed.length === 0) return { mean: null, between: 0, groups };

  // DerSimonian–Laird: fixed-effect mean, Cochran's Q, then τ² = max(0, (Q − (k − 1)) / (S1 − S2/S1)).
  const k = observed.length;
  const w = observed.map((g) => 1 / g.v);
  const s1 = sum(w);
  const s2 = sum(w.map((x) => x * x));
  const fixedMean = sum(observed.map((g, j) => w[j]! * g.x)) / s1;
  const q = sum(observed.map((g, j) => w[j]! * (g.x - fixedMean) ** 2));
  const tau2 = k > 1 ? Math.max(0, (q - (k - 1)) / (s1 - s2 / s1)) : 0;

  // With one group there is nothing to borrow strength from: its own score stands.
  if (k === 1) {
    const g = observed[0]!;
    groups[g.i] = { n: g.n, raw: g.x * 100, shrunk: g.x * 100, ci95: interval(g.x, g.v), pull: 0 };
    return { mean: g.x * 100, between: 0, groups };
  }
  const wr = observed.map((g) => 1 / (g.v + tau2));
  const mean = sum(observed.map((g, j) => wr[j]! * g.x)) / sum(wr);
  const meanVariance = 1 / sum(wr);
  for (const g of observed) {
    const pull = g.v / (g.v + tau2);
    const shrunk = pull * mean + (1 - pull) * g.x;
    // Posterior variance with the uncertainty of μ̂ carried (Morris 1983, eq. 3.5 with τ² taken as known).
    const variance = (1 - pull) * g.v + pull * pull * meanVariance;
    groups[g.i] = { n: g.n, raw: g.x * 100, shrunk: shrunk * 100, ci95: interval(shrunk, variance), pull };
  }
  return { mean: mean * 100, between: tau2 * 10_000, groups };
}

function interval(centre: number, variance: number): [number, number] {
  const half = Z95 * Math.sqrt(variance);
  return [Math.max(-100, (centre - half) * 100), Math.min(100, (centre + half) * 100)];
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
