// Anonymity of employee (eNPS) figures in every read path: the organisation's minimum group, and which groups a
// period's figures may show — decided over the whole organisation (every unit, every employee survey), whatever
// the asker sees or filters, so that the same group is shown or hidden the same way in every answer of the API.
//
// Across requests: every figure is built from fixed calendar cells, the months. Each month's groups are suppressed
// on their own (the tree of units, the cuts by survey); a figure over a period is shown only when it is the sum of
// whole months (no answer of the group in the part of a month the period leaves out) and the group is shown in
// every one of those months. So whatever periods are asked, every figure shown is a sum of month figures that are
// shown themselves, and subtracting one request from another (a period minus its sub-period, Jan–Mar minus
// Jan–Feb) gives only what a month's own table shows: a withheld month, or a few days of one, never follows. The
// price: a period that holds a withheld month is withheld whole (its months that pass are still shown in a trend).
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, tables } from '../../db/index.js';
import {
  cellKey,
  DEFAULT_MIN_GROUP,
  FLOOR_MIN_GROUP,
  minGroupOf,
  ownKey,
  suppressTreeCuts,
  type TreeNode,
} from '../../domain/anonymity.js';
import { type Ctx, notFound, requireRole } from '../kernel/index.js';
import { surveyIdsOf } from '../surveys/index.js';
import { type Unit, unitsById } from '../units/index.js';

export const anonymityInput = z
  .object({
    minGroupSize: z
      .number()
      .int('A whole number')
      .min(FLOOR_MIN_GROUP, `Never below ${FLOOR_MIN_GROUP}: a smaller group would show one person's answer`)
      .max(100, 'At most 100')
      .openapi({
        description: `Employee figures need at least this many answers (default ${DEFAULT_MIN_GROUP})`,
      }),
  })
  .openapi('AnonymitySettings');

export interface AnonymitySettings {
  minGroupSize: number;
  defaultMinGroupSize: number;
  floor: number;
}

/** The organisation's minimum group of employee answers (5 unless set; never below 3). */
export async function minGroupSizeOf(ctx: Ctx): Promise<number> {
  const [org] = await ctx.db
    .select({ settings: tables.orgs.settings })
    .from(tables.orgs)
    .where(eq(tables.orgs.id, ctx.orgId));
  if (!org) throw notFound('Organisation');
  return minGroupOf(org.settings.anonymity?.minGroupSize);
}

export async function getAnonymitySettings(ctx: Ctx): Promise<AnonymitySettings> {
  return {
    minGroupSize: await minGroupSizeOf(ctx),
    defaultMinGroupSize: DEFAULT_MIN_GROUP,
    floor: FLOOR_MIN_GROUP,
  };
}

/** Sets the minimum group (owners and admins). */
export async function putAnonymitySettings(
  ctx: Ctx,
  input: z.input<typeof anonymityInput>,
): Promise<AnonymitySettings> {
  requireRole(ctx, 'owner', 'admin');
  const { minGroupSize } = anonymityInput.parse(input);
  await ctx.db
    .update(tables.orgs)
    .set({
      settings: sql`jsonb_set(${tables.orgs.settings}, '{anonymity}', ${JSON.stringify({ minGroupSize })}::jsonb)`,
    })
    .where(eq(tables.orgs.id, ctx.orgId));
  return getAnonymitySettings(ctx);
}

/** The group an employee figure is about: surveys, units (null = the whole organisation) and a period of days. */
export interface EmployeeGroup {
  surveyIds: readonly string[];
  units: ReadonlySet<string> | null;
  from: string;
  to: string;
}

/** What one period's employee figures may show. */
export interface EmployeeGuard {
  k: number;
  /** The group asked about (its units and surveys, within the period). */
  shown: boolean;
  /** A unit with everything under it, for the group's surveys. */
  unitShown(unitId: string): boolean;
  /** A unit's own answers (not on a unit under it), for the group's surveys. */
  ownShown(unitId: string): boolean;
  /** Answers on no unit. */
  noUnitShown: boolean;
  /** The group's answers to one survey (a breakdown by survey). */
  surveyShown(surveyId: string): boolean;
}

type Sizes = Map<string, Map<string, number>>; // survey → unit (NO_UNIT for none) → answers

/** Answers per survey and unit of every employee survey, per period key ('' = the whole period, or a bucket). */
async function sizesOf(
  ctx: Ctx,
  surveyIds: readonly string[],
  from: string,
  to: string,
  bucket: 'month' | 'quarter' | 'week' | null,
): Promise<Map<string, Sizes>> {
  const out = new Map<string, Sizes>();
  if (surveyIds.length === 0) return out;
  const key =
    bucket === null
      ? sql`''`
      : bucket === 'week'
        ? sql`to_char(answered_on, 'IYYY-"W"IW')`
        : bucket === 'month'
          ? sql`to_char(answered_on, 'YYYY-MM')`
          : sql`to_char(answered_on, 'YYYY-"Q"Q')`;
  const rows = rowsOf<{ k: string; survey_id: string; unit_id: string; n: number }>(
    await ctx.db.execute(sql`
      select ${key} as k, survey_id, coalesce(unit_id, ${NO_UNIT}::uuid) as unit_id, count(*)::int as n
      from employee_responses
      where org_id = ${ctx.orgId}::uuid and survey_id = any(${`{${surveyIds.join(',')}}`}::uuid[])
        and answered_on between ${from}::date and ${to}::date
      group by 1, 2, 3`),
  );
  for (const r of rows) {
    const period = out.get(r.k) ?? new Map<string, Map<string, number>>();
    const bySurvey = period.get(r.survey_id) ?? new Map<string, number>();
    bySurvey.set(r.unit_id, Number(r.n));
    period.set(r.survey_id, bySurvey);
    out.set(r.k, period);
  }
  return out;
}

const ALL = 'all';
/** The cut of all employee surveys together. */
const WHOLE = '*';
/** Answers on no unit (the all-zero uuid, as in the rollups). */
const NO_UNIT = '00000000-0000-0000-0000-000000000000';

/** Sizes of every node of the unit tree (subtree answers) and of the whole organisation, for some surveys. */
function nodeSizes(
  units: Map<string, Unit>,
  sizes: Sizes,
  surveyIds: readonly string[],
): Map<string, number> {
  const own = new Map<string, number>();
  for (const s of surveyIds)
    for (const [unit, n] of sizes.get(s) ?? []) own.set(unit, (own.get(unit) ?? 0) + n);
  const subtree = new Map<string, number>();
  let total = own.get(NO_UNIT) ?? 0;
  for (const [unitId, n] of own) {
    if (unitId === NO_UNIT) continue;
    total += n;
    const unit = units.get(unitId);
    if (!unit) continue;
    for (const id of unit.path.split('/').filter(Boolean)) subtree.set(id, (subtree.get(id) ?? 0) + n);
  }
  subtree.set(ALL, total);
  subtree.set(NO_UNIT, own.get(NO_UNIT) ?? 0);
  return subtree;
}

function treeOf(units: Map<string, Unit>, sizes: Map<string, number>): TreeNode[] {
  const nodes: TreeNode[] = [{ key: ALL, parent: null, size: sizes.get(ALL) ?? 0 }];
  for (const u of units.values()) {
    nodes.push({
      key: u.id,
      parent: u.parentId && units.has(u.parentId) ? u.parentId : ALL,
      size: sizes.get(u.id) ?? 0,
    });
  }
  nodes.push({ key: NO_UNIT, parent: ALL, size: sizes.get(NO_UNIT) ?? 0 });
  return nodes;
}

/** The nodes of a unit set: its top units (those whose parent is not in the set), or the whole organisation. */
function topsOf(units: Map<string, Unit>, set: ReadonlySet<string> | null): string[] {
  if (!set) return [ALL];
  return [...set].filter((id) => {
    const parent = units.get(id)?.parentId;
    return !parent || !set.has(parent);
  });
}

/** Decides, for one period's sizes, which groups are hidden (see src/domain/anonymity.ts for the rule). */
function guardOf(
  k: number,
  units: Map<string, Unit>,
  sizes: Sizes,
  allSurveys: readonly string[],
  group: EmployeeGroup,
): EmployeeGuard {
  const sizeCache = new Map<string, Map<string, number>>();
  const sizesFor = (surveys: readonly string[]) => {
    const key = [...surveys].sort().join(',');
    let s = sizeCache.get(key);
    if (!s) {
      s = nodeSizes(units, sizes, surveys);
      sizeCache.set(key, s);
    }
    return s;
  };
  // One decision over the unit tree of every survey and of all surveys together, and the cuts of every unit by
  // survey (src/domain/anonymity.ts suppressTreeCuts): a unit filter and a survey filter hide and show alike.
  const allSet = new Set(allSurveys);
  const cuts = new Map<string, TreeNode[]>([[WHOLE, treeOf(units, sizesFor(allSurveys))]]);
  if (allSurveys.length > 1) for (const s of allSurveys) cuts.set(s, treeOf(units, sizesFor([s])));
  const hidden = suppressTreeCuts(cuts, WHOLE, k);
  const hiddenFor = (node: string, surveys: readonly string[]): boolean => {
    const asked = [...new Set(surveys)].filter((s) => allSet.has(s));
    if (asked.length === allSet.size) return hidden.has(cellKey(node, WHOLE));
    // A filter to some surveys is the sum of their cuts: shown when each cut is (it then tells nothing new).
    return asked.some((s) => hidden.has(cellKey(node, s)));
  };
  const tops = topsOf(units, group.units);
  const size = (node: string) => sizesFor(group.surveyIds).get(node) ?? 0;
  const ownOf = (unitId: string) => {
    const kids = [...units.values()].some((u) => u.parentId === unitId);
    return kids ? ownKey(unitId) : unitId;
  };
  return {
    k,
    // A group made of several top units is shown only when each of them is (else it gives the hidden one away).
    shown: tops.every((t) => size(t) === 0 || !hiddenFor(t, group.surveyIds)),
    unitShown: (unitId) => !hiddenFor(unitId, group.surveyIds),
    ownShown: (unitId) => !hiddenFor(ownOf(unitId), group.surveyIds),
    noUnitShown: !hiddenFor(NO_UNIT, group.surveyIds),
    surveyShown: (surveyId) => {
      if (tops.some((t) => size(t) > 0 && hiddenFor(t, group.surveyIds))) return false;
      // The group's cut by one survey, for each of its top units.
      return tops.every((t) => !hiddenFor(t, [surveyId]));
    },
  };
}

/** The first and last day of the month of a day (YYYY-MM-DD). */
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function monthEnd(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${day.slice(0, 7)}-${String(last).padStart(2, '0')}`;
}
const dayBefore = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Everything the month cells of a period decide: each month's guard, and the answers the period cuts off. */
interface MonthCells {
  k: number;
  units: Map<string, Unit>;
  allSurveys: readonly string[];
  /** Month key (YYYY-MM) → that month's guard for the group, for the months of the period with any answer. */
  months: Map<string, EmployeeGuard>;
  /** Answers in the first month before the period starts, and in the last month after it ends. */
  before: Sizes;
  after: Sizes;
  first: string;
  last: string;
}

async function monthCellsOf(ctx: Ctx, group: EmployeeGroup): Promise<MonthCells> {
  const [k, units, allSurveys] = await Promise.all([
    minGroupSizeOf(ctx),
    unitsById(ctx),
    surveyIdsOf(ctx, 'employee'),
  ]);
  const day = { from: group.from.slice(0, 10), to: group.to.slice(0, 10) };
  const from = monthStart(day.from);
  const to = monthEnd(day.to);
  const perMonth = await sizesOf(ctx, allSurveys, from, to, 'month');
  const months = new Map<string, EmployeeGuard>();
  for (const [key, sizes] of perMonth) months.set(key, guardOf(k, units, sizes, allSurveys, group));
  const slack = async (a: string, b: string): Promise<Sizes> =>
    (await sizesOf(ctx, allSurveys, a, b, null)).get('') ?? new Map();
  return {
    k,
    units,
    allSurveys,
    months,
    before: day.from > from ? await slack(from, dayBefore(day.from)) : new Map(),
    after: day.to < to ? await slack(dayAfter(day.to), to) : new Map(),
    first: day.from.slice(0, 7),
    last: day.to.slice(0, 7),
  };
}

/** Answers of a unit's subtree (or of the whole organisation, ALL) in some surveys, in a slack. */
const subtreeIn = (cells: MonthCells, slack: Sizes, node: string, surveys: readonly string[]) =>
  nodeSizes(cells.units, slack, surveys).get(node) ?? 0;
/** A unit's own answers (or those on no unit) in some surveys, in a slack. */
const ownIn = (slack: Sizes, unitId: string, surveys: readonly string[]) =>
  surveys.reduce((n, s) => n + (slack.get(s)?.get(unitId) ?? 0), 0);

/**
 * The guard of a period: a figure is shown when the period cuts none of its answers off a month (it is the sum of
 * whole months) and it is shown in each month (see the head of this file).
 */
function periodGuard(cells: MonthCells, group: EmployeeGroup, slacks: Sizes[]): EmployeeGuard {
  const guards = [...cells.months.values()];
  const every = (test: (g: EmployeeGuard) => boolean) => guards.every(test);
  const tops = topsOf(cells.units, group.units);
  const cut = (count: (slack: Sizes) => number) => slacks.some((slack) => count(slack) > 0);
  const hasChildren = (unitId: string) => [...cells.units.values()].some((u) => u.parentId === unitId);
  return {
    k: cells.k,
    shown:
      !cut((slack) => tops.reduce((n, t) => n + subtreeIn(cells, slack, t, group.surveyIds), 0)) &&
      every((g) => g.shown),
    unitShown: (unitId) =>
      !cut((slack) => subtreeIn(cells, slack, unitId, group.surveyIds)) && every((g) => g.unitShown(unitId)),
    ownShown: (unitId) =>
      !cut((slack) =>
        hasChildren(unitId)
          ? ownIn(slack, unitId, group.surveyIds)
          : subtreeIn(cells, slack, unitId, group.surveyIds),
      ) && every((g) => g.ownShown(unitId)),
    noUnitShown: !cut((slack) => ownIn(slack, NO_UNIT, group.surveyIds)) && every((g) => g.noUnitShown),
    surveyShown: (surveyId) =>
      !cut((slack) => tops.reduce((n, t) => n + subtreeIn(cells, slack, t, [surveyId]), 0)) &&
      every((g) => g.surveyShown(surveyId)),
  };
}

/** The guard of one period's employee figures for a group. */
export async function employeeGuard(ctx: Ctx, group: EmployeeGroup): Promise<EmployeeGuard> {
  const cells = await monthCellsOf(ctx, group);
  return periodGuard(cells, group, [cells.before, cells.after]);
}

/**
 * Which buckets of an employee trend may be shown. A month is a cell of its own: shown when the group is shown in
 * it and the period takes all of it (see the head of this file); a quarter when each of its months in the period
 * is. Weeks are finer than the cells: they would let two trends of overlapping periods be subtracted into a few
 * days, so an employee trend by week shows no bucket (the API and the dashboard use months for employees). Returns
 * the keys of the buckets shown.
 */
export async function shownBuckets(
  ctx: Ctx,
  group: EmployeeGroup,
  grain: 'week' | 'month' | 'quarter',
  buckets: readonly { key: string; size: number }[],
): Promise<Set<string>> {
  const shown = new Set<string>();
  if (grain === 'week') return shown;
  const cells = await monthCellsOf(ctx, group);
  const monthShown = (month: string) => {
    const slacks = [
      ...(month === cells.first ? [cells.before] : []),
      ...(month === cells.last ? [cells.after] : []),
    ];
    const guard = cells.months.get(month);
    const tops = topsOf(cells.units, group.units);
    const cut = slacks.some(
      (slack) => tops.reduce((n, t) => n + subtreeIn(cells, slack, t, group.surveyIds), 0) > 0,
    );
    return !cut && (guard === undefined || guard.shown);
  };
  for (const b of buckets) {
    if (b.size === 0) continue;
    const months =
      grain === 'month'
        ? [b.key]
        : [0, 1, 2].map((i) => {
            const quarter = Number(b.key.slice(-1));
            return `${b.key.slice(0, 4)}-${String((quarter - 1) * 3 + 1 + i).padStart(2, '0')}`;
          });
    const inPeriod = months.filter((m) => m >= cells.first && m <= cells.last);
    if (inPeriod.every(monthShown)) shown.add(b.key);
  }
  return shown;
}
