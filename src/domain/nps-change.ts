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
 *
 * On top of the test: which whole periods to compare (`completePeriods`) and when a fall is worth an alert
 * (`judgeDrop`, the org's rule).
 */
import { compareNps, estimateNps, type Tally } from './nps.js';
import { addDays, type Day, isoWeekKey, monthKey, weekStart } from './period.js';

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

/** The periods a drop check compares: calendar months, or ISO weeks (Monday to Sunday), in the org's zone. */
export type DropPeriod = 'week' | 'month';

/** One whole period: its key ('2026-11', '2026-W47') and its first and last local days. */
export interface PeriodSpan {
  key: string;
  from: Day;
  to: Day;
}

/**
 * The latest complete period before `today` and the one before it: on 2026-12-02, months 2026-11 against
 * 2026-10; weeks 2026-W48 (Nov 23–29) against 2026-W47 (Nov 16–22). The current, unfinished period is never
 * judged — half a month of answers against a whole one would read every Monday as a drop.
 */
export function completePeriods(
  today: Day,
  period: DropPeriod,
): { current: PeriodSpan; previous: PeriodSpan } {
  if (period === 'week') {
    const thisWeek = weekStart(today);
    const span = (monday: Day): PeriodSpan => ({
      key: isoWeekKey(monday),
      from: monday,
      to: addDays(monday, 6),
    });
    return { current: span(addDays(thisWeek, -7)), previous: span(addDays(thisWeek, -14)) };
  }
  const monthBefore = (firstOfMonth: Day): PeriodSpan => {
    const to = addDays(firstOfMonth, -1);
    return { key: monthKey(to), from: `${to.slice(0, 8)}01`, to };
  };
  const current = monthBefore(`${monthKey(today)}-01`);
  return { current, previous: monthBefore(current.from) };
}

/** What an organisation counts as a drop worth an alert. */
export interface DropRule {
  /** The fall must be at least this many points (and significant) to alert; 0 = any significant fall. */
  minDrop: number;
  /** Also alert when the score crosses below this line (from at or above it); null = no line. */
  floor: number | null;
  /** Periods with fewer answers than this are not judged (the alert would be noise). */
  minAnswers: number;
}

export const DEFAULT_DROP_RULE: DropRule = { minDrop: 5, floor: null, minAnswers: 30 };

export interface DropVerdict {
  /** Tell the responsible managers. */
  alert: boolean;
  /** The fall is significant (two-sided p < 0.05, direction down) and at least `minDrop` points. */
  significantDrop: boolean;
  /** The score went from at or above `floor` to below it. */
  crossedFloor: boolean;
  /** Why there is no alert, or 'drop' when there is one. */
  reason: 'too_few_answers' | 'no_drop' | 'drop';
  /** The test (null when a period has too few answers to judge). */
  change: NpsChange | null;
}

/**
 * Judges the latest period against the one before: an alert when the fall is significant by the two-sample
 * z-test above and at least `minDrop` points, or when the score crosses below the org's `floor`. A period
 * with fewer than `minAnswers` answers (on either side) is not judged at all, whatever its point estimate.
 */
export function judgeDrop(current: Tally, previous: Tally, rule: DropRule): DropVerdict {
  const size = (t: Tally) => t.promoters + t.passives + t.detractors;
  const judged = Math.max(1, rule.minAnswers);
  if (size(current) < judged || size(previous) < judged) {
    return {
      alert: false,
      significantDrop: false,
      crossedFloor: false,
      reason: 'too_few_answers',
      change: null,
    };
  }
  const change = npsChange(current, previous)!;
  const significantDrop = change.direction === 'down' && -change.diff >= rule.minDrop;
  const crossedFloor =
    rule.floor !== null && change.current.nps < rule.floor && change.baseline.nps >= rule.floor;
  const alert = significantDrop || crossedFloor;
  return { alert, significantDrop, crossedFloor, reason: alert ? 'drop' : 'no_drop', change };
}
