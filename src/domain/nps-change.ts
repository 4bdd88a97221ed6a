/**
 * @module Has the NPS changed? This period against a baseline (e.g. this week against the 4 weeks before), with a
 * two-sample z-test on the difference of two Net Promoter Scores.
 *
 * NPS = p⁺ − p⁻ is the mean of a trinomial variable scoring +1 (promoter), 0 (passive) and −1 (detractor),
 * so its sampling variance is Var = (p⁺ + p⁻ − (p⁺ − p⁻)²)/n, and for two independent samples the difference
 * has se = √(Var₁ + Var₂) and z = (NPS₁ − NPS₂)/se, two-sided p = 2·Φ(−|z|). Rocks (2016), "Interval
 * estimation for the 'net promoter score'", The American Statistician 70(4), 365–372, §2; the same test as
 * Rocks's R package `NPS` (nps_test). Small samples (fewer than 30 answers, or fewer than 5 in a segment
 * margin) enter adjusted by Rocks's pseudo-answers, exactly as `compareNps` in nps.ts does, so a single
 * answer never reads "significant".
 */
import { compareNps, estimateNps, type Tally } from './nps.js';

export interface NpsChange {
  current: { n: number; nps: number };
  baseline: { n: number; nps: number };
  /** current − baseline, in points. */
  diff: number;
  /** Standard error of the difference, in points. */
  se: number;
  z: number;
  pValue: number;
  /** pValue < 0.05. */
  significant: boolean;
  /** 'flat' when the change is not significant: the honest reading of noise. */
  direction: 'up' | 'down' | 'flat';
}

/** The trinomial variance of the NPS (as a fraction) of a tally: (p⁺ + p⁻ − (p⁺ − p⁻)²)/n. */
export function trinomialVariance(t: Tally): number {
  const n = t.promoters + t.passives + t.detractors;
  if (n === 0) throw new RangeError('the variance of an NPS needs at least one answer');
  const pp = t.promoters / n;
  const pd = t.detractors / n;
  return (pp + pd - (pp - pd) ** 2) / n;
}

/** The change from `baseline` to `current`, or null when either has no answers (there is nothing to compare). */
export function npsChange(current: Tally, baseline: Tally): NpsChange | null {
  const a = estimateNps(current);
  const b = estimateNps(baseline);
  if (a.nps === null || b.nps === null) return null;
  const c = compareNps(current, baseline);
  return {
    current: { n: a.n, nps: a.nps },
    baseline: { n: b.n, nps: b.nps },
    diff: c.diff,
    se: c.se,
    z: c.z,
    pValue: c.pValue,
    significant: c.significant,
    direction: !c.significant ? 'flat' : c.diff > 0 ? 'up' : 'down',
  };
}
