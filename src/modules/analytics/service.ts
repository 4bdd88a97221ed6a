// NPS with its uncertainty, read from the daily rollups: by period, unit, branch, employee or channel.
import { and, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { DEFAULT_MIN_GROUP } from '../../domain/anonymity.js';
import { compareNps, estimateNps, type Tally, tallyFromCounts } from '../../domain/nps.js';
import { addDays, localDay, previousPeriod, startOfLocalDay } from '../../domain/period.js';
import { type EmployeeGuard, employeeGuard, shownBuckets } from '../anonymity/index.js';
import { latestReasons, NO_UNIT } from '../answers/index.js';
import { employeeDirectory } from '../employees/index.js';
import { AppError, type Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { findSurvey, surveyIdsOf } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';

const { npsDailyUnit, npsDailyEmployee } = tables;

/**
 * The default minimum group of employee (eNPS) answers (a k-anonymity threshold; 5 is the common floor in HR survey
 * tools). Each organisation may raise it or lower it to 3 (see ./anonymity.ts); which groups are withheld —
 * small ones and those that could be worked out from others by subtraction — is decided there for every read path.
 */
export const MIN_EMPLOYEE_GROUP = DEFAULT_MIN_GROUP;

const day = z.iso.date();
export const npsQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  groupBy: z.enum(['month', 'week', 'unit', 'employee', 'channel']).optional(),
});
export type GroupBy = NonNullable<z.output<typeof npsQuery>['groupBy']>;

export interface NpsRow {
  key: string;
  label: string;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
  ci95: [number, number] | null;
  moe: number | null;
  smallSample: boolean;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function rowOf(key: string, label: string, tally: Tally): NpsRow {
  const e = estimateNps(tally);
  return {
    key,
    label,
    n: e.n,
    promoters: e.promoters,
    passives: e.passives,
    detractors: e.detractors,
    nps: e.nps === null ? null : round1(e.nps),
    ci95: e.ci95 ? [round1(e.ci95[0]), round1(e.ci95[1])] : null,
    moe: e.moe === null ? null : round1(e.moe),
    smallSample: e.smallSample,
  };
}

const countSums = Object.fromEntries(
  Array.from({ length: 11 }, (_, s) => [`c${s}`, sql<number>`coalesce(sum(${sql.raw(`c${s}`)}), 0)::int`]),
) as Record<`c${number}`, SQL<number>>;
const countsOf = (r: Record<string, unknown>) =>
  Array.from({ length: 11 }, (_, s) => Number(r[`c${s}`] ?? 0));

interface Scope {
  surveyIds: string[];
  from: string;
  to: string;
  /** Units the actor may see (null = all). */
  units: Set<string> | null;
}

/** Score counts (index = score) per group key, straight from the rollups. */
async function countsBy(ctx: Ctx, scope: Scope, groupBy: GroupBy | 'all'): Promise<Map<string, number[]>> {
  if (scope.surveyIds.length === 0 || (scope.units && scope.units.size === 0)) return new Map();
  if (groupBy === 'employee') {
    const rows = await ctx.db
      .select({ key: npsDailyEmployee.employeeId, ...countSums })
      .from(npsDailyEmployee)
      .where(
        and(
          eq(npsDailyEmployee.orgId, ctx.orgId),
          inArray(npsDailyEmployee.surveyId, scope.surveyIds),
          gte(npsDailyEmployee.day, scope.from),
          lte(npsDailyEmployee.day, scope.to),
        ),
      )
      .groupBy(npsDailyEmployee.employeeId);
    return new Map(rows.map((r) => [r.key, countsOf(r)]));
  }
  const keyExpr = {
    all: sql<string>`'all'`,
    month: sql<string>`to_char(${npsDailyUnit.day}, 'YYYY-MM')`,
    week: sql<string>`to_char(${npsDailyUnit.day}, 'IYYY-"W"IW')`,
    unit: sql<string>`${npsDailyUnit.unitId}::text`,
    channel: npsDailyUnit.channel,
  }[groupBy];
  const rows = await ctx.db
    .select({ key: keyExpr, ...countSums })
    .from(npsDailyUnit)
    .where(
      and(
        eq(npsDailyUnit.orgId, ctx.orgId),
        inArray(npsDailyUnit.surveyId, scope.surveyIds),
        gte(npsDailyUnit.day, scope.from),
        lte(npsDailyUnit.day, scope.to),
        scope.units ? inArray(npsDailyUnit.unitId, [...scope.units]) : undefined,
      ),
    )
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return new Map(rows.map((r) => [r.key, countsOf(r)]));
}

const ALL_TIME = { from: '1900-01-01', to: '9999-12-31' };

/** NPS rows of one survey: the whole period, or grouped (the API's /surveys/{id}/nps). */
export async function surveyNps(
  ctx: Ctx,
  surveyId: string,
  query: z.input<typeof npsQuery>,
): Promise<NpsRow[]> {
  const q = npsQuery.parse(query);
  const survey = await findSurvey(ctx, surveyId);
  if (survey.audience === 'employee' && q.groupBy === 'employee') {
    throw new AppError(
      'invalid_input',
      'Employee survey answers are anonymous: they cannot be grouped by employee',
      {
        errors: [{ path: 'groupBy', message: 'Not available for employee surveys' }],
      },
    );
  }
  const scope: Scope = {
    surveyIds: [surveyId],
    from: q.from ?? ALL_TIME.from,
    to: q.to ?? ALL_TIME.to,
    units: await visibleUnitIds(ctx),
  };
  if (scope.from > scope.to) {
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'After `to`' }],
    });
  }
  const rows = await groupedRows(ctx, scope, q.groupBy ?? 'all');
  if (survey.audience !== 'employee') return rows;
  const group = { surveyIds: scope.surveyIds, units: scope.units, from: scope.from, to: scope.to };
  const guard = await employeeGuard(ctx, group);
  if (!guard.shown) return q.groupBy === undefined ? rows.map(hideRow) : [];
  const by = q.groupBy;
  if (by === undefined || by === 'channel') return rows; // one channel ('link') for employees: the group itself
  if (by === 'employee') return []; // refused above: eNPS answers name no one
  if (by === 'unit') return rows.filter((r) => r.n > 0 && unitRowShown(guard, r.key));
  // month / week: parts of the period, each a group of its own period.
  const shown = await shownBuckets(
    ctx,
    group,
    by,
    rows.map((r) => ({ key: r.key, size: r.n })),
  );
  return rows.filter((r) => r.n > 0 && shown.has(r.key));
}

/** A row of answers on one unit (not its subtree): a leaf is its own group, a parent's own answers are apart. */
function unitRowShown(guard: EmployeeGuard, unitId: string): boolean {
  return unitId === NO_UNIT ? guard.noUnitShown : guard.ownShown(unitId);
}

async function groupedRows(ctx: Ctx, scope: Scope, groupBy: GroupBy | 'all'): Promise<NpsRow[]> {
  const counts = await countsBy(ctx, scope, groupBy);
  if (groupBy === 'all')
    return [rowOf('all', 'all', tallyFromCounts(counts.get('all') ?? new Array(11).fill(0)))];
  const label = await labeller(ctx, groupBy);
  let entries = [...counts.entries()];
  if (groupBy === 'employee' && scope.units) {
    const directory = await employeeDirectory(ctx);
    entries = entries.filter(([id]) => scope.units!.has(directory.get(id)?.unitId ?? ''));
  }
  return entries.map(([key, c]) => rowOf(key, label(key), tallyFromCounts(c)));
}

async function labeller(ctx: Ctx, groupBy: GroupBy): Promise<(key: string) => string> {
  if (groupBy === 'unit') {
    const units = await unitsById(ctx);
    return (key) => (key === NO_UNIT ? '—' : (units.get(key)?.name ?? key));
  }
  if (groupBy === 'employee') {
    const directory = await employeeDirectory(ctx);
    return (key) => directory.get(key)?.name ?? key;
  }
  return (key) => key;
}

/** A withheld eNPS figure: nothing of it is shown, not even its number of answers. */
function hideRow(r: NpsRow): NpsRow {
  return {
    ...r,
    n: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    nps: null,
    ci95: null,
    moe: null,
    smallSample: true,
  };
}

export const overviewQuery = z.object({
  audience: z.enum(['customer', 'employee']).default('customer'),
  surveyId: z.uuid().optional(),
  from: day.optional(),
  to: day.optional(),
});

export interface Overview {
  audience: 'customer' | 'employee';
  from: string;
  to: string;
  timeZone: string;
  total: NpsRow;
  previous: NpsRow | null;
  change: { diff: number; pValue: number; significant: boolean } | null;
  distribution: number[];
  trend: NpsRow[];
  byBranch: NpsRow[];
  latestReasons: {
    id: string;
    score: number;
    reason: string;
    unitName: string | null;
    answeredAt: string | null;
  }[];
  minGroupSize: number;
}

/** Everything the dashboard's overview shows, in one round trip. Customers and employees never mix. */
export async function overview(ctx: Ctx, query: z.input<typeof overviewQuery>): Promise<Overview> {
  const q = overviewQuery.parse(query);
  const org = await getOrg(ctx);
  const today = localDay(ctx.clock(), org.timeZone);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -89);
  if (from > to)
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'After `to`' }],
    });
  let surveyIds: string[];
  if (q.surveyId) {
    const survey = await findSurvey(ctx, q.surveyId);
    if (survey.audience !== q.audience) {
      throw new AppError('invalid_input', `This survey is not a ${q.audience} survey`, {
        errors: [{ path: 'surveyId', message: `A ${survey.audience} survey` }],
      });
    }
    surveyIds = [survey.id];
  } else {
    surveyIds = await surveyIdsOf(ctx, q.audience);
  }
  const units = await visibleUnitIds(ctx);
  const scope: Scope = { surveyIds, from, to, units };
  const employee = q.audience === 'employee';

  const totalCounts = (await countsBy(ctx, scope, 'all')).get('all') ?? new Array(11).fill(0);
  const prevRange = previousPeriod(from, to);
  const prevCounts =
    (await countsBy(ctx, { ...scope, ...prevRange }, 'all')).get('all') ?? new Array(11).fill(0);
  const totalTally = tallyFromCounts(totalCounts);
  const prevTally = tallyFromCounts(prevCounts);
  let total = rowOf('all', 'all', totalTally);
  let previous: NpsRow | null = rowOf('previous', `${prevRange.from}…${prevRange.to}`, prevTally);
  // Employees: every figure passes the guard of its period (src/domain/anonymity.ts), decided over the whole org.
  const group = { surveyIds, units, from, to };
  const guard = employee ? await employeeGuard(ctx, group) : null;
  const prevGuard = employee ? await employeeGuard(ctx, { ...group, ...prevRange }) : null;
  const hiddenTotal = employee && (total.n === 0 || !guard!.shown);
  const hiddenPrevious = employee && (previous.n === 0 || !prevGuard!.shown);
  if (hiddenTotal) total = hideRow(total);
  if (previous.n === 0 || hiddenPrevious) previous = null;
  const cmp = previous && total.n > 0 ? compareNps(totalTally, prevTally) : null;

  let trend = await groupedRows(ctx, scope, 'month');
  let byBranch = await branchRows(ctx, scope);
  if (employee) {
    if (hiddenTotal) trend = [];
    else {
      const shown = await shownBuckets(
        ctx,
        group,
        'month',
        trend.map((r) => ({ key: r.key, size: r.n })),
      );
      trend = trend.filter((r) => r.n > 0 && shown.has(r.key));
    }
    const hasBranches = [...(await unitsById(ctx)).values()].some((u) => u.kind === 'branch');
    byBranch = byBranch.filter(
      (r) => r.n > 0 && !hiddenTotal && (hasBranches ? guard!.unitShown(r.key) : unitRowShown(guard!, r.key)),
    );
  }

  const unitNames = await unitsById(ctx);
  const reasons = hiddenTotal
    ? []
    : await latestReasons(ctx, {
        audience: q.audience,
        surveyIds,
        from: startOfLocalDay(from, org.timeZone),
        to: startOfLocalDay(addDays(to, 1), org.timeZone),
        limit: 20,
        unitIds: units,
      });

  return {
    audience: q.audience,
    from,
    to,
    timeZone: org.timeZone,
    total,
    previous,
    change: cmp
      ? { diff: round1(cmp.diff), pValue: Math.round(cmp.pValue * 1000) / 1000, significant: cmp.significant }
      : null,
    distribution: hiddenTotal ? new Array(11).fill(0) : totalCounts,
    trend,
    byBranch: byBranch.sort((a, b) => (b.nps ?? -999) - (a.nps ?? -999)),
    latestReasons: reasons.map((r) => ({
      id: r.id,
      score: r.score,
      reason: r.reason,
      unitName: r.unitId ? (unitNames.get(r.unitId)?.name ?? null) : null,
      answeredAt: r.answeredAt,
    })),
    minGroupSize: guard?.k ?? MIN_EMPLOYEE_GROUP,
  };
}

/** NPS per branch: answers about a department count for the branch it belongs to. */
async function branchRows(ctx: Ctx, scope: Scope): Promise<NpsRow[]> {
  const byUnit = await countsBy(ctx, scope, 'unit');
  const units = await unitsById(ctx);
  const hasBranches = [...units.values()].some((u) => u.kind === 'branch');
  const branchOf = (unitId: string) => {
    const unit = units.get(unitId);
    if (!unit) return null;
    if (!hasBranches) return unit;
    const ancestry = unit.path.split('/').filter(Boolean);
    for (const id of ancestry) {
      const u = units.get(id);
      if (u?.kind === 'branch') return u;
    }
    return null;
  };
  const sums = new Map<string, { name: string; counts: number[] }>();
  for (const [unitId, counts] of byUnit) {
    const branch = branchOf(unitId);
    if (!branch) continue;
    const entry = sums.get(branch.id) ?? { name: branch.name, counts: new Array(11).fill(0) };
    counts.forEach((c, s) => {
      entry.counts[s]! += c;
    });
    sums.set(branch.id, entry);
  }
  return [...sums.entries()].map(([id, { name, counts }]) => rowOf(id, name, tallyFromCounts(counts)));
}

/**
 * The customer NPS of some days as the overview counts it, without the rest of the overview: goals and KPIs measure
 * many windows and need only the total.
 */
export async function customerTotal(ctx: Ctx, window: { from: string; to: string }): Promise<NpsRow> {
  const scope: Scope = {
    surveyIds: await surveyIdsOf(ctx, 'customer'),
    from: window.from,
    to: window.to,
    units: await visibleUnitIds(ctx),
  };
  const counts = (await countsBy(ctx, scope, 'all')).get('all') ?? new Array(11).fill(0);
  return rowOf('all', 'all', tallyFromCounts(counts));
}
