// Anonymity of employee (eNPS) figures in every read path: the organisation's minimum group, and which groups a
// period's figures may show — decided over the whole organisation (every unit, every employee survey), whatever
// the asker sees or filters, so that the same group is shown or hidden the same way in every answer of the API.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, tables } from '../../db/index.js';
import {
  DEFAULT_MIN_GROUP,
  FLOOR_MIN_GROUP,
  minGroupOf,
  ownKey,
  suppress,
  suppressParts,
  suppressTree,
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
  const trees = new Map<string, Set<string>>();
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
  const hiddenTree = (surveys: readonly string[]) => {
    const key = [...surveys].sort().join(',');
    let h = trees.get(key);
    if (!h) {
      h = suppressTree(treeOf(units, sizesFor(surveys)), k);
      trees.set(key, h);
    }
    return h;
  };
  const perSurvey = allSurveys.map((s) => ({ s, sizes: sizesFor([s]) }));
  const whole = sizesFor(allSurveys);
  const cutCache = new Map<string, Set<string>>();
  // The cuts of a node by survey: the node over every survey is the sum of them.
  const hiddenCuts = (node: string) => {
    let h = cutCache.get(node);
    if (!h) {
      h = suppressParts(
        { key: ALL, size: whole.get(node) ?? 0 },
        perSurvey.map((p) => ({ key: p.s, size: p.sizes.get(node) ?? 0 })),
        k,
      );
      cutCache.set(node, h);
    }
    return h;
  };
  const allSet = new Set(allSurveys);
  const hiddenFor = (node: string, surveys: readonly string[]): boolean => {
    if (hiddenTree(surveys).has(node)) return true;
    const everySurvey = surveys.length >= allSet.size && surveys.every((s) => allSet.has(s));
    if (everySurvey) return false;
    // A filter by survey narrows the group: the narrowed group, the whole one and the other surveys' answers are
    // tied by a sum, so the narrowed one is shown only where the whole one is and the cuts rule lets it.
    if (hiddenTree(allSurveys).has(node)) return true;
    const cuts = hiddenCuts(node);
    return cuts.has(ALL) || surveys.some((s) => cuts.has(s));
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

/** The guard of one period's employee figures for a group. */
export async function employeeGuard(ctx: Ctx, group: EmployeeGroup): Promise<EmployeeGuard> {
  const [k, units, allSurveys] = await Promise.all([
    minGroupSizeOf(ctx),
    unitsById(ctx),
    surveyIdsOf(ctx, 'employee'),
  ]);
  const sizes = await sizesOf(ctx, allSurveys, group.from, group.to, null);
  return guardOf(k, units, sizes.get('') ?? new Map(), allSurveys, group);
}

/**
 * Which buckets of an employee trend may be shown: each bucket is a group of its own period (so it must pass the
 * guard of that period, as any figure of that period would), and the buckets add up to the period's figure beside
 * them (so they are suppressed together as parts of it). Returns the keys of the buckets shown.
 */
export async function shownBuckets(
  ctx: Ctx,
  group: EmployeeGroup,
  grain: 'week' | 'month' | 'quarter',
  buckets: readonly { key: string; size: number }[],
): Promise<Set<string>> {
  const [k, units, allSurveys] = await Promise.all([
    minGroupSizeOf(ctx),
    unitsById(ctx),
    surveyIdsOf(ctx, 'employee'),
  ]);
  const whole = await employeeGuard(ctx, group);
  const shown = new Set<string>();
  if (!whole.shown) return shown;
  const perBucket = await sizesOf(ctx, allSurveys, group.from, group.to, grain);
  // Withheld first: buckets that fail the guard of their own period (they count as hidden from the start).
  const withheld = new Set(
    buckets
      .filter(
        (b) => b.size > 0 && !guardOf(k, units, perBucket.get(b.key) ?? new Map(), allSurveys, group).shown,
      )
      .map((b) => b.key),
  );
  const sizes = new Map(buckets.map((b) => [b.key, b.size]));
  const total = buckets.reduce((s, b) => s + b.size, 0);
  sizes.set(PERIOD, total);
  const hidden = suppress({
    sizes,
    relations: [{ parent: PERIOD, children: buckets.map((b) => b.key) }],
    unpublished: withheld,
    k,
  });
  if (hidden.has(PERIOD)) return shown;
  for (const b of buckets) if (!hidden.has(b.key)) shown.add(b.key);
  return shown;
}

const PERIOD = '#period';
