/**
 * @module Loop metrics: how well an organisation closes the loop on its cases — the share of detractors contacted
 * within 48 hours, time to first contact and to resolution (median and 90th percentile), overdue cases, resolution
 * and escalation rates, and the uplift of the "did we put it right?" re-survey. Pure: takes case facts and an
 * instant, returns numbers with their n.
 */
import { SMALL_SAMPLE_N, segmentOf } from './nps.js';
import { addDays, type Day, isoWeekKey, monthKey } from './period.js';
import { wilsonInterval } from './proportion-interval.js';

/** What the metrics need to know of one case (times in epoch milliseconds). */
export interface CaseFacts {
  openedAt: number;
  /** The score the case was opened on. */
  score: number;
  status: 'new' | 'in_progress' | 'contacted' | 'resolved' | 'unresolved';
  dueAt: number;
  firstContactAt: number | null;
  closedAt: number | null;
  escalationStep: number;
  resurveyScore: number | null;
}

/** The deadline the source documents set for handing a detractor's feedback to management: 2 days. */
export const CONTACT_WINDOW_MS = 48 * 3_600_000;
const HOUR_MS = 3_600_000;

/** `count` of `n` with the Wilson 95% interval; `share` is null when n = 0. */
export interface Share {
  n: number;
  count: number;
  share: number | null;
  ci95: [number, number] | null;
  smallSample: boolean;
}

export interface Duration {
  n: number;
  medianHours: number | null;
  p90Hours: number | null;
  smallSample: boolean;
}

export interface Uplift {
  /** Re-surveyed cases (the customer answered the "did we put it right?" question). */
  n: number;
  /** Mean of (re-survey score − original score), in points of the 0–10 scale. */
  meanChange: number | null;
  /** Share of the re-surveyed who were below 9 and are now promoters. */
  becamePromoters: number | null;
  /** Share of the re-surveyed who were detractors and are now passives. */
  becamePassives: number | null;
  smallSample: boolean;
}

export interface LoopMetrics {
  cases: number;
  open: number;
  resolved: number;
  unresolved: number;
  /** Detractor cases whose 48 hours have passed: the share with a first contact within those 48 hours. */
  contactedWithin48h: Share;
  timeToFirstContact: Duration;
  timeToResolution: Duration;
  /** Open cases past their due time at `now`. */
  overdue: number;
  /** Of all cases, the share closed (resolved or could not resolve). */
  closedRate: Share;
  /** Of the closed cases, the share resolved. */
  resolutionRate: Share;
  /** Of all cases, the share that climbed at least one level. */
  escalationRate: Share;
  resurvey: Uplift;
}

const OPEN_STATUSES: ReadonlySet<CaseFacts['status']> = new Set(['new', 'in_progress', 'contacted']);

export const isOpen = (c: Pick<CaseFacts, 'status'>): boolean => OPEN_STATUSES.has(c.status);

/**
 * The q-quantile of ascending values by linear interpolation between closest ranks (Hyndman & Fan 1996,
 * definition 7; R's default, Excel's PERCENTILE.INC): position h = (n − 1)·q, value x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋+1 − x⌊h⌋).
 * The median (q = ½) of an even count is the mean of the two middle values.
 */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`a quantile lies in [0, 1], got ${q}`);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const low = sorted[lo] as number;
  const high = sorted[hi] as number;
  return low + (h - lo) * (high - low);
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function shareOf(count: number, n: number): Share {
  if (n === 0) return { n, count, share: null, ci95: null, smallSample: true };
  const { low, high } = wilsonInterval(count, n);
  return {
    n,
    count,
    share: round(count / n, 4),
    ci95: [round(low, 4), round(high, 4)],
    smallSample: n < SMALL_SAMPLE_N,
  };
}

export function durationOf(millis: readonly number[]): Duration {
  const sorted = millis.map((ms) => Math.max(0, ms) / HOUR_MS).sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p90 = quantile(sorted, 0.9);
  return {
    n: sorted.length,
    medianHours: median === null ? null : round(median, 1),
    p90Hours: p90 === null ? null : round(p90, 1),
    smallSample: sorted.length < SMALL_SAMPLE_N,
  };
}

export function upliftOf(pairs: readonly { score: number; resurveyScore: number }[]): Uplift {
  const n = pairs.length;
  if (n === 0) {
    return { n, meanChange: null, becamePromoters: null, becamePassives: null, smallSample: true };
  }
  let change = 0;
  let promoters = 0;
  let passives = 0;
  for (const { score, resurveyScore } of pairs) {
    change += resurveyScore - score;
    const before = segmentOf(score);
    const after = segmentOf(resurveyScore);
    if (after === 'promoter' && before !== 'promoter') promoters += 1;
    if (after === 'passive' && before === 'detractor') passives += 1;
  }
  return {
    n,
    meanChange: round(change / n, 2),
    becamePromoters: round(promoters / n, 4),
    becamePassives: round(passives / n, 4),
    smallSample: n < SMALL_SAMPLE_N,
  };
}

/** Every loop metric of a set of cases, as things stand at `now`. */
export function loopMetrics(cases: readonly CaseFacts[], now: number): LoopMetrics {
  let open = 0;
  let resolved = 0;
  let unresolved = 0;
  let overdue = 0;
  let escalated = 0;
  let windowPassed = 0;
  let contactedInWindow = 0;
  const toFirstContact: number[] = [];
  const toResolution: number[] = [];
  const resurveyed: { score: number; resurveyScore: number }[] = [];
  for (const c of cases) {
    if (isOpen(c)) {
      open += 1;
      if (c.dueAt < now) overdue += 1;
    } else if (c.status === 'resolved') resolved += 1;
    else unresolved += 1;
    if (c.escalationStep > 0) escalated += 1;
    if (c.firstContactAt !== null) toFirstContact.push(c.firstContactAt - c.openedAt);
    if (c.status === 'resolved' && c.closedAt !== null) toResolution.push(c.closedAt - c.openedAt);
    if (c.resurveyScore !== null) resurveyed.push({ score: c.score, resurveyScore: c.resurveyScore });
    // Only cases whose window has run out can be judged: a fresh case not yet called is not a miss.
    if (segmentOf(c.score) === 'detractor' && c.openedAt + CONTACT_WINDOW_MS <= now) {
      windowPassed += 1;
      if (c.firstContactAt !== null && c.firstContactAt - c.openedAt <= CONTACT_WINDOW_MS)
        contactedInWindow += 1;
    }
  }
  const closed = resolved + unresolved;
  return {
    cases: cases.length,
    open,
    resolved,
    unresolved,
    contactedWithin48h: shareOf(contactedInWindow, windowPassed),
    timeToFirstContact: durationOf(toFirstContact),
    timeToResolution: durationOf(toResolution),
    overdue,
    closedRate: shareOf(closed, cases.length),
    resolutionRate: shareOf(resolved, closed),
    escalationRate: shareOf(escalated, cases.length),
    resurvey: upliftOf(resurveyed),
  };
}

/** Metrics per group, in first-seen order of the keys (callers sort). */
export function groupedLoopMetrics<K extends string>(
  cases: readonly (CaseFacts & { key: K })[],
  now: number,
): Map<K, LoopMetrics> {
  const groups = new Map<K, CaseFacts[]>();
  for (const c of cases) {
    const list = groups.get(c.key);
    if (list) list.push(c);
    else groups.set(c.key, [c]);
  }
  return new Map([...groups].map(([key, list]) => [key, loopMetrics(list, now)]));
}

export type TrendGrain = 'month' | 'week';

/** The key of a local day at a grain: '2026-11' for a month, '2026-W47' for an ISO week. */
export function trendKeyOf(day: Day, grain: TrendGrain): string {
  return grain === 'month' ? monthKey(day) : isoWeekKey(day);
}

/** Every month or ISO week touched by the local days from … to (both included), in order, with no gaps. */
export function trendKeys(from: Day, to: Day, grain: TrendGrain): string[] {
  const keys: string[] = [];
  // Weeks: 7 days on from any day is the next week; months: a day at a time (a few hundred steps a year).
  for (let day = from; day <= to; day = addDays(day, grain === 'week' ? 7 : 1)) {
    const key = trendKeyOf(day, grain);
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  const last = trendKeyOf(to, grain);
  if (keys[keys.length - 1] !== last) keys.push(last);
  return keys;
}
