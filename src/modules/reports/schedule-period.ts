// When a report schedule is due and for which period: the period just ended before the latest send moment.
import {
  addDays,
  bucketEnd,
  bucketKey,
  bucketStart,
  type Day,
  type Grain,
  localDay,
  shiftBucket,
  startOfLocalDay,
} from '../../domain/period.js';

export type Cadence = 'weekly' | 'monthly' | 'quarterly';

const grainOf: Record<Cadence, Grain> = { weekly: 'week', monthly: 'month', quarterly: 'quarter' };

export interface ScheduleRun {
  /** 'YYYY-Www', 'YYYY-MM' or 'YYYY-Qn': the period reported (one run per schedule, period and language). */
  period: string;
  from: Day;
  to: Day;
  /** The moment the run became due. */
  sendAt: Date;
}

/**
 * The latest run due at `now`: the send moment is day `day` (ISO weekday for weekly, day of the month for monthly,
 * day of the quarter's first month for quarterly) at `hour` local time; the period is the whole week, month or
 * quarter before the one the send moment falls in.
 *
 * Worked example: monthly, day 3, 08:00 Moscow. On 2026-11-03 at 07:59 local the latest send moment is 2026-10-03
 * 08:00, reporting September; from 08:00 it is 2026-11-03 08:00, reporting October (2026-10-01 … 2026-10-31).
 */
export function latestRun(
  now: Date,
  timeZone: string,
  cadence: Cadence,
  day: number,
  hour: number,
): ScheduleRun {
  const grain = grainOf[cadence];
  const sendAtOf = (start: Day) =>
    new Date(startOfLocalDay(addDays(start, day - 1), timeZone).getTime() + hour * 3_600_000);
  let start = bucketStart(localDay(now, timeZone), grain);
  if (now < sendAtOf(start)) start = shiftBucket(start, grain, -1);
  const reported = shiftBucket(start, grain, -1);
  return {
    period: bucketKey(reported, grain),
    from: reported,
    to: bucketEnd(reported, grain),
    sendAt: sendAtOf(start),
  };
}
