/**
 * @module Goals for a period and the KPI matrix of management: the period and its checkpoints, the checkpoint
 * targets interpolated between a baseline and the target, the status of a measured value against a target
 * (judged with the value's 95% interval), and the weighted KPI score. Pure: takes days and numbers, returns data.
 */
import { addDays, type Day, daysBetween } from './period.js';

/** What a goal or a KPI measures. NPS in points (−100…100); the others are shares in percent (0…100). */
export const GOAL_METRICS = [
  'nps',
  'detractorShare',
  'responseRate',
  'contactedWithin48h',
  'resolutionRate',
] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];

/** The scale of each metric and which way is better (a lower share of detractors is better). */
export const METRIC_SCALE: Record<GoalMetric, { min: number; max: number; better: 'higher' | 'lower' }> = {
  nps: { min: -100, max: 100, better: 'higher' },
  detractorShare: { min: 0, max: 100, better: 'lower' },
  responseRate: { min: 0, max: 100, better: 'higher' },
  contactedWithin48h: { min: 0, max: 100, better: 'higher' },
  resolutionRate: { min: 0, max: 100, better: 'higher' },
};

/**
 * Below this many answers (or cases, or invitations) a checkpoint shows "not enough answers" instead of a number
 * and gets no status. At n = 10 the NPS margin of error is already about ±45 points (adjusted Wald, answers split
 * in thirds: 1.96·√(0.667/13)·100 = 44), so a figure from fewer says nothing a goal could be judged on; from 10 to
 * 29 the figure is shown with the small-sample flag, as everywhere in Sarafan.
 */
export const MIN_GOAL_N = 10;

export type PeriodKind = 'quarter' | 'half' | 'year' | 'custom';
export type Cadence = 'month' | 'quarter' | 'custom';

export interface Period {
  from: Day;
  to: Day;
}

const ymd = (day: Day) => day.split('-').map(Number) as [number, number, number];
const dayOf = (y: number, m: number, d: number): Day =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The last day of the month `months` months after the month of `day` (0 = its own month). */
export function endOfMonth(day: Day, months = 0): Day {
  const [y, m] = ymd(day);
  const index = y * 12 + (m - 1) + months + 1; // the month after the one wanted
  return addDays(dayOf(Math.floor(index / 12), (index % 12) + 1, 1), -1);
}

/**
 * The calendar quarter, half-year or year that holds `day` (2026-05-14, quarter → 2026-04-01…2026-06-30); a custom
 * period is `day`…`to` as given.
 */
export function periodOf(kind: PeriodKind, day: Day, to?: Day): Period {
  const [y, m] = ymd(day);
  if (kind === 'custom') {
    if (!to) throw new RangeError('a custom period needs its last day');
    return { from: day, to };
  }
  const months = { quarter: 3, half: 6, year: 12 }[kind];
  const firstMonth = Math.floor((m - 1) / months) * months + 1;
  const from = dayOf(y, firstMonth, 1);
  return { from, to: endOfMonth(from, months - 1) };
}

/**
 * Checkpoint days of a period: the last day of each calendar month (or quarter) the period touches, the period's
 * own last day always among them (where the goal's target itself is judged). 2026-01-15…2026-03-31 monthly →
 * 01-31, 02-28, 03-31.
 */
export function checkpointDays(period: Period, cadence: Exclude<Cadence, 'custom'>): Day[] {
  const step = cadence === 'month' ? 1 : 3;
  const days: Day[] = [];
  let end = cadence === 'month' ? endOfMonth(period.from) : periodOf('quarter', period.from).to;
  while (end < period.to) {
    days.push(end);
    end = endOfMonth(end, step);
  }
  days.push(period.to);
  return days;
}

/**
 * Linear interpolation of the checkpoint targets from the baseline (the value the period starts from) to the
 * target on the period's last day, by the share of the period's days elapsed at each checkpoint:
 * target_k = baseline + (target − baseline)·(days from the start to checkpoint k, both included)/(days in the period).
 * With no baseline every checkpoint carries the target itself. Rounded to 0.1.
 */
export function interpolateTargets(
  period: Period,
  baseline: number | null,
  target: number,
  days: readonly Day[],
): number[] {
  const length = daysBetween(period.from, period.to) + 1;
  return days.map((day) => {
    if (baseline === null) return target;
    const elapsed = daysBetween(period.from, day) + 1;
    return Math.round((baseline + ((target - baseline) * elapsed) / length) * 10) / 10;
  });
}

/**
 * The days each checkpoint's actual value is measured over: the days since the previous checkpoint ('window', e.g.
 * the month) or since the period's start ('cumulative', the period to date).
 */
export function checkpointWindows(
  period: Period,
  days: readonly Day[],
  measure: 'window' | 'cumulative',
): Period[] {
  return days.map((day, i) => ({
    from: measure === 'cumulative' || i === 0 ? period.from : addDays(days[i - 1] as Day, 1),
    to: day,
  }));
}

/** The days of a period up to today (a window still running is measured so far); null when it starts later. */
export function cutAt(period: Period, today: Day): Period | null {
  if (period.from > today) return null;
  return { from: period.from, to: period.to > today ? today : period.to };
}

/** A measured value of a metric over some days, in the metric's points, with its 95% interval and its n. */
export interface Measurement {
  value: number | null;
  ci95: [number, number] | null;
  n: number;
}

export type GoalStatus = 'on_track' | 'at_risk' | 'off_track' | 'not_enough_data';

/**
 * The status of a measured value against a target, judged with the value's 95% interval [lo, hi]; for a metric
 * where higher is better:
 * - off track when the target lies above the interval (target > hi: the shortfall is more than noise);
 * - at risk when the target lies inside the interval but above the value (value < target ≤ hi);
 * - on track when the value meets the target (value ≥ target);
 * mirrored when lower is better (the share of detractors). Fewer than MIN_GOAL_N observations: not enough data.
 */
export function statusOf(actual: Measurement, target: number, better: 'higher' | 'lower'): GoalStatus {
  if (actual.value === null || actual.ci95 === null || actual.n < MIN_GOAL_N) return 'not_enough_data';
  const [lo, hi] = actual.ci95;
  if (better === 'higher') {
    if (actual.value >= target) return 'on_track';
    return target > hi ? 'off_track' : 'at_risk';
  }
  if (actual.value <= target) return 'on_track';
  return target < lo ? 'off_track' : 'at_risk';
}

/** One KPI of a matrix: its weight in percent, its target, and (for scoring) its status. */
export interface KpiItem {
  metric: GoalMetric;
  weight: number;
  target: number;
}

/** Weights of a matrix must sum to 100 (percent); compared to a hundredth so that 33.33 + 33.33 + 33.34 passes. */
export function weightsSumTo100(items: readonly Pick<KpiItem, 'weight'>[]): boolean {
  const sum = items.reduce((s, i) => s + i.weight, 0);
  return Math.abs(sum - 100) < 0.005;
}

/** Points a KPI earns by its status: met 1, within noise of the target ½, off 0. */
export const STATUS_POINTS: Record<Exclude<GoalStatus, 'not_enough_data'>, number> = {
  on_track: 1,
  at_risk: 0.5,
  off_track: 0,
};

/** A weighted score of 80 or more reads on track, 50 or more at risk, below that off track. */
export const SCORE_ON_TRACK = 80;
export const SCORE_AT_RISK = 50;

export interface KpiScore {
  /** 0–100, or null when the KPIs with enough data weigh less than half of the matrix. */
  score: number | null;
  status: GoalStatus;
  /** The weight (percent) of the KPIs that had enough data to be judged. */
  judgedWeight: number;
}

/**
 * The weighted KPI score: score = 100·Σ wᵢ·pointsᵢ / Σ wᵢ over the KPIs with enough data (points: on track 1, at
 * risk ½, off track 0), so a missing figure neither helps nor hurts; when those KPIs weigh less than 50% of the
 * matrix there is no score. Status: ≥ 80 on track, ≥ 50 at risk, else off track. Rounded to 0.1.
 */
export function kpiScore(items: readonly { weight: number; status: GoalStatus }[]): KpiScore {
  let judged = 0;
  let earned = 0;
  for (const item of items) {
    if (item.status === 'not_enough_data') continue;
    judged += item.weight;
    earned += item.weight * STATUS_POINTS[item.status];
  }
  const judgedWeight = Math.round(judged * 100) / 100;
  if (judged < 50) return { score: null, status: 'not_enough_data', judgedWeight };
  const score = Math.round((1000 * earned) / judged) / 10;
  const status = score >= SCORE_ON_TRACK ? 'on_track' : score >= SCORE_AT_RISK ? 'at_risk' : 'off_track';
  return { score, status, judgedWeight };
}

/**
 * Where a goal stands on a day: the status of the last checkpoint whose day has ended (day < today) and that could
 * be judged; before the first checkpoint, or when none had enough data, 'not_enough_data' (callers may then show
 * the checkpoint in progress, flagged as partial).
 */
export function goalStatusOn(
  today: Day,
  checkpoints: readonly { day: Day; status: GoalStatus | 'upcoming' }[],
): { status: GoalStatus; day: Day | null } {
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    const c = checkpoints[i] as { day: Day; status: GoalStatus | 'upcoming' };
    if (c.day < today && c.status !== 'not_enough_data' && c.status !== 'upcoming') {
      return { status: c.status, day: c.day };
    }
  }
  return { status: 'not_enough_data', day: null };
}

/**
 * The days before and after an action, for judging its effect: the `windowDays` days before its day and the
 * `windowDays` days from its day on, the latter cut at `today` (then `complete` is false).
 */
export function actionWindows(
  day: Day,
  windowDays: number,
  today: Day,
): { before: Period; after: Period | null; complete: boolean } {
  const before = { from: addDays(day, -windowDays), to: addDays(day, -1) };
  if (day > today) return { before, after: null, complete: false };
  const end = addDays(day, windowDays - 1);
  return { before, after: { from: day, to: end < today ? end : today }, complete: end < today };
}

export type ManagementLevel = 'frontline' | 'middle' | 'top';

/**
 * The KPI matrix each level starts with (an org edits its own): the front line is judged mostly on calling
 * detractors back within 48 hours and resolving their cases (what the playbook asks of it), top management mostly
 * on the NPS itself. Targets: NPS 30, 20% of invitations answered, 90% of detractors reached within 48 hours, 70%
 * of closed cases resolved.
 */
export const DEFAULT_KPI_MATRICES: Record<ManagementLevel, KpiItem[]> = {
  frontline: [
    { metric: 'contactedWithin48h', weight: 40, target: 90 },
    { metric: 'resolutionRate', weight: 30, target: 70 },
    { metric: 'nps', weight: 20, target: 30 },
    { metric: 'responseRate', weight: 10, target: 20 },
  ],
  middle: [
    { metric: 'nps', weight: 35, target: 30 },
    { metric: 'contactedWithin48h', weight: 25, target: 90 },
    { metric: 'resolutionRate', weight: 25, target: 70 },
    { metric: 'responseRate', weight: 15, target: 20 },
  ],
  top: [
    { metric: 'nps', weight: 50, target: 30 },
    { metric: 'resolutionRate', weight: 20, target: 70 },
    { metric: 'responseRate', weight: 15, target: 20 },
    { metric: 'contactedWithin48h', weight: 15, target: 90 },
  ],
};
