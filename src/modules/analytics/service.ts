// NPS with its uncertainty, read from the daily rollups: by period, unit, branch, employee or channel.
import { and, eq, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { compareNps, estimateNps, type Tally, tallyFromCounts } from '../../domain/nps.js';
import { addDays, localDay, previousPeriod, startOfLocalDay } from '../../domain/period.js';
import { latestReasons, NO_UNIT } from '../answers/index.js';
import { employeeDirectory } from '../employees/index.js';
import { AppError, type Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { findSurvey, surveyIdsOf } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';

const { npsDailyUnit, npsDailyEmployee } = tables;

/**
 * Employee (eNPS) figures are shown only for groups of at least this many answers, so that no reported number
 * can be one person's answer (a k-anonymity threshold; 5 is the common floor in HR survey tools).
 */
export const MIN_EMPLOYEE_GROUP = 5;

/**
 * Whether a figure of `n` answers must be withheld: the one place that decides (eNPS groups under MIN_EMPLOYEE_GROUP;
 * complementary suppression — hiding a second group so the first cannot be worked out by subtraction — belongs here).
 */
export function suppressedGroup(audience: 'customer' | 'employee', n: number): boolean {
  return audience === 'employee' && n > 0 && n < MIN_EMPLOYEE_GROUP;
}

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
  return survey.audience === 'employee' ? suppressSmallGroups(rows, q.groupBy === undefined) : rows;
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

/** eNPS: no figure of fewer than MIN_EMPLOYEE_GROUP answers is shown. */
function suppressSmallGroups(rows: NpsRow[], keepTotal: boolean): NpsRow[] {
  const hide = (r: NpsRow): NpsRow => ({
    ...r,
    promoters: 0,
    passives: 0,
    detractors: 0,
    nps: null,
    ci95: null,
    moe: null,
    smallSample: true,
  });
  return keepTotal
    ? rows.map((r) => (r.n === 0 || suppressedGroup('employee', r.n) ? hide(r) : r))
    : rows.filter((r) => r.n > 0 && !suppressedGroup('employee', r.n));
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
  latestReasons: { id: string; score: number; reason: string; unitName: string | null; answeredAt: string }[];
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
  const hiddenTotal = employee && (total.n === 0 || suppressedGroup('employee', total.n));
  const hiddenPrevious = employee && (previous.n === 0 || suppressedGroup('employee', previous.n));
  if (hiddenTotal) total = suppressSmallGroups([total], true)[0]!;
  if (previous.n === 0 || hiddenPrevious) previous = null;
  const cmp = previous && total.n > 0 ? compareNps(totalTally, prevTally) : null;

  let trend = await groupedRows(ctx, scope, 'month');
  let byBranch = await branchRows(ctx, scope);
  if (employee) {
    trend = suppressSmallGroups(trend, false);
    byBranch = suppressSmallGroups(byBranch, false);
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
    minGroupSize: MIN_EMPLOYEE_GROUP,
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
