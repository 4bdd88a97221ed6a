/**
 * @module Is a difference real? The change test between two periods, and the above / below / not-different mark of a
 * group (unit, employee, band) against the rest of the company, with the false-discovery control a ranking needs.
 */
import { compareNps, type Tally } from './nps.js';

/** The change test, named as the API and the dashboard print it. */
export const CHANGE_TEST = {
  id: 'two-sample-z-trinomial',
  name: 'Two-sample z-test on the NPS difference, trinomial variance (Rocks 2016); adjusted Wald below 30 answers',
  alpha: 0.05,
} as const;

/** The mark test, named as the API and the dashboard print it. */
export const MARK_TEST = {
  id: 'z-vs-rest-bh',
  name: 'Two-sample z-test of the group against the rest of the company (trinomial variance), Benjamini–Hochberg FDR 5% across the groups shown',
  alpha: 0.05,
} as const;

export interface PeriodChange {
  /** This period − the other, in points. */
  diff: number;
  pValue: number;
  significant: boolean;
}

/** The change from `baseline` to `current`; null when either has no answers (nothing to test). */
export function testChange(current: Tally, baseline: Tally): PeriodChange | null {
  if (sizeOf(current) === 0 || sizeOf(baseline) === 0) return null;
  const c = compareNps(current, baseline);
  return { diff: c.diff, pValue: c.pValue, significant: c.pValue < CHANGE_TEST.alpha };
}

export type Mark = 'above' | 'below' | 'not_different' | 'too_few';

export interface GroupMark {
  mark: Mark;
  /** Two-sided p of the group against the rest of the company (null when not tested). */
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p (q-value) across the tested groups. */
  qValue: number | null;
}

/**
 * Marks each group against the rest of the company. A group is part of the company, so comparing it with the company
 * total would compare a sample with itself; it is compared with the company minus the group, two independent
 * samples. With many groups, 5% of them would be marked by chance alone at p < 0.05, so the p-values are adjusted by
 * Benjamini & Hochberg (1995), "Controlling the false discovery rate", JRSS B 57(1), 289–300. Groups with fewer than
 * `minAnswers` answers are not tested (`too_few`) and do not count in the adjustment.
 */
export function markGroups(groups: readonly Tally[], company: Tally, minAnswers: number): GroupMark[] {
  const companyN = sizeOf(company);
  const tested: { i: number; p: number; diff: number }[] = [];
  groups.forEach((g, i) => {
    const n = sizeOf(g);
    const rest = subtract(company, g);
    if (n < minAnswers || n === 0 || sizeOf(rest) === 0 || n > companyN) return;
    const c = compareNps(g, rest);
    tested.push({ i, p: c.pValue, diff: c.diff });
  });
  const q = benjaminiHochberg(tested.map((t) => t.p));
  const marks: GroupMark[] = groups.map(() => ({ mark: 'too_few', pValue: null, qValue: null }));
  tested.forEach((t, j) => {
    const qj = q[j]!;
    const mark: Mark = qj < MARK_TEST.alpha ? (t.diff > 0 ? 'above' : 'below') : 'not_different';
    marks[t.i] = { mark, pValue: t.p, qValue: qj };
  });
  return marks;
}

/**
 * Benjamini–Hochberg adjusted p-values, in the order given: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎·m/j (sorted ascending),
 * capped at 1. Rejecting where q < α keeps the expected share of false marks among the marked at most α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1]!;
    running = Math.min(running, (p * m) / rank);
    q[i] = Math.min(1, running);
  }
  return q;
}

/** The company without one of its groups (counts never go below 0). */
export function subtract(whole: Tally, part: Tally): Tally {
  return {
    promoters: Math.max(0, whole.promoters - part.promoters),
    passives: Math.max(0, whole.passives - part.passives),
    detractors: Math.max(0, whole.detractors - part.detractors),
  };
}

export const sizeOf = (t: Tally) => t.promoters + t.passives + t.detractors;
