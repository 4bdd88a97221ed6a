// Goals for a period: planned (checked, checkpoints interpolated), stored, and read with the actual value and status
// at each checkpoint and the effect of the actions planned for them. A manager sees and edits goals of their subtree.
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  actionWindows,
  type Cadence,
  checkpointDays,
  checkpointWindows,
  cutAt,
  type GoalMetric,
  type GoalStatus,
  goalStatusOn,
  interpolateTargets,
  METRIC_SCALE,
  MIN_GOAL_N,
  type Period,
  type PeriodKind,
  periodOf,
  statusOf,
} from '../../domain/goals.js';
import { npsChange } from '../../domain/nps-change.js';
import { addDays, type Day, daysBetween, localDay, previousPeriod } from '../../domain/period.js';
import { listUsers } from '../auth/index.js';
import {
  AppError,
  type Ctx,
  type FieldError,
  notFound,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { peopleAt } from '../loop/index.js';
import { getOrg } from '../orgs/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import { createMeter, type MeasurementView, type Meter } from './measure.js';
import {
  actionInput,
  type actionView,
  type checkpointView,
  type goalDetail,
  goalInput,
  goalPatch,
  type goalView,
} from './schemas.js';

const { goals, goalCheckpoints, goalOwners, goalActions } = tables;

type GoalRow = typeof goals.$inferSelect;
export type GoalView = z.output<typeof goalView>;
export type GoalDetail = z.output<typeof goalDetail>;
export type CheckpointView = z.output<typeof checkpointView>;
export type ActionView = z.output<typeof actionView>;

/** The longest goal period: three years. */
export const MAX_PERIOD_DAYS = 366 * 3;

const invalid = (errors: FieldError[]) =>
  new AppError('invalid_input', `Invalid goal: ${errors[0]?.path ?? '(body)'}`, { errors });

/** Today in the org's zone: checkpoints are local days. */
export async function orgToday(ctx: Ctx): Promise<Day> {
  return localDay(ctx.clock(), (await getOrg(ctx)).timeZone);
}

/** The units a goal's figures cover: the unit's subtree, or the company. */
const scopeOfUnit = (unitId: string | null) => ({ unitIds: unitId ? [unitId] : null });

/** Whether the actor may see a goal of this unit (company goals: organisation-wide roles only). */
function visibleTo(visible: Set<string> | null, unitId: string | null): boolean {
  if (visible === null) return true;
  return unitId !== null && visible.has(unitId);
}

function canEdit(ctx: Ctx, visible: Set<string> | null, unitId: string | null): boolean {
  if (ctx.actor.kind === 'system') return true;
  if (ctx.actor.role === 'owner' || ctx.actor.role === 'admin') return true;
  return ctx.actor.role === 'manager' && visible !== null && unitId !== null && visible.has(unitId);
}

/** People who may own a goal of a unit: front-line users and managers whose units cover it, and top management. */
export async function ownerCandidates(ctx: Ctx, unitId: string | null) {
  requireRole(ctx, 'owner', 'admin', 'manager');
  if (unitId) await assertVisibleUnit(ctx, unitId, 'unitId');
  const levels = unitId ? (['frontline', 'middle', 'top'] as const) : (['top'] as const);
  const people = [];
  for (const level of levels) {
    for (const p of await peopleAt(ctx, unitId, level))
      people.push({ userId: p.userId, name: p.name, role: p.role, level });
  }
  return people;
}

async function assertVisibleUnit(ctx: Ctx, unitId: string, path: string): Promise<void> {
  const visible = await visibleUnitIds(ctx);
  const units = await unitsById(ctx);
  if (!units.has(unitId) || (visible && !visible.has(unitId))) {
    throw invalid([{ path, message: 'No such unit in your part of the organisation' }]);
  }
}

type Input = z.output<typeof goalInput>;

interface Plan {
  period: Period;
  checkpoints: { day: Day; target: number; edited: boolean }[];
  baseline: number | null;
  baselineSource: 'entered' | 'measured' | 'none';
}

/**
 * Checks a goal whole and works out its checkpoints: the period, the checkpoint days of its cadence, targets
 * interpolated from the baseline (measured over the period before when not given) except where set by hand. Every
 * failing field is named at once.
 */
async function planGoal(
  ctx: Ctx,
  input: Input,
  keep: { edited: Map<Day, number>; baseline?: { value: number | null; source: Plan['baselineSource'] } } = {
    edited: new Map(),
  },
): Promise<Plan> {
  const errors: FieldError[] = [];
  const scale = METRIC_SCALE[input.metric];
  const inScale = (x: number) => x >= scale.min && x <= scale.max;
  const unitOfScale = input.metric === 'nps' ? 'points' : '%';
  const outOfScale = `From ${scale.min} to ${scale.max} (${unitOfScale}) for ${input.metric}`;
  if (!inScale(input.target)) errors.push({ path: 'target', message: outOfScale });
  if (input.baseline !== undefined && input.baseline !== null && !inScale(input.baseline)) {
    errors.push({ path: 'baseline', message: outOfScale });
  }

  let period: Period | null = null;
  const { kind, from, to } = input.period;
  if (kind === 'custom') {
    if (!to) errors.push({ path: 'period.to', message: 'A custom period needs its last day' });
    else if (to < from) errors.push({ path: 'period.to', message: 'Before the first day of the period' });
    else if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS)
      errors.push({ path: 'period.to', message: `A goal period is at most ${MAX_PERIOD_DAYS} days` });
    else period = periodOf('custom', from, to);
  } else if (to !== undefined) {
    errors.push({ path: 'period.to', message: `Only for a custom period; a ${kind} ends by itself` });
  } else period = periodOf(kind as Exclude<PeriodKind, 'custom'>, from);

  if (input.unitId) {
    const visible = await visibleUnitIds(ctx);
    const units = await unitsById(ctx);
    if (!units.has(input.unitId) || (visible && !visible.has(input.unitId))) {
      errors.push({ path: 'unitId', message: 'No such unit in your part of the organisation' });
    }
  } else if (ctx.actor.kind === 'user' && ctx.actor.unitIds !== null) {
    errors.push({ path: 'unitId', message: 'Goals for the whole company are set by owners and admins' });
  }

  let days: Day[] = [];
  const edited = new Map(keep.edited);
  if (period) {
    const p = period;
    const given = input.checkpoints ?? [];
    const generated = input.cadence === 'custom' ? null : new Set(checkpointDays(p, input.cadence));
    const seen = new Set<Day>();
    if (input.checkpoints) edited.clear();
    given.forEach((c, i) => {
      const at = `checkpoints.${i}`;
      if (c.day < p.from || c.day > p.to) {
        errors.push({ path: `${at}.day`, message: `Outside the period ${p.from}…${p.to}` });
        return;
      }
      if (seen.has(c.day)) errors.push({ path: `${at}.day`, message: 'The same day twice' });
      seen.add(c.day);
      if (generated && !generated.has(c.day)) {
        errors.push({
          path: `${at}.day`,
          message: `Not a checkpoint of the ${input.cadence} cadence (the ${input.cadence} ends and ${p.to})`,
        });
      }
      if (c.target === undefined || c.target === null) return;
      if (!inScale(c.target)) errors.push({ path: `${at}.target`, message: outOfScale });
      else if (c.day === p.to && c.target !== input.target) {
        errors.push({ path: `${at}.target`, message: 'The last checkpoint’s target is the goal’s target' });
      } else if (c.day !== p.to) edited.set(c.day, c.target);
    });
    days = generated ? [...generated] : [...new Set([...seen, p.to])].sort();
  }

  const owners = new Set(input.ownerIds);
  if (owners.size !== input.ownerIds.length) errors.push({ path: 'ownerIds', message: 'A person twice' });
  if (!errors.some((e) => e.path === 'unitId') && input.ownerIds.length > 0) {
    const allowed = new Set((await ownerCandidates(ctx, input.unitId)).map((p) => p.userId));
    input.ownerIds.forEach((id, i) => {
      if (!allowed.has(id)) {
        errors.push({
          path: `ownerIds.${i}`,
          message: input.unitId
            ? 'Not a person responsible for this unit (its front line, its managers, top management)'
            : 'A company goal is owned by owners and admins',
        });
      }
    });
  }
  if (errors.length > 0 || !period) throw invalid(errors);

  let baseline: number | null;
  let baselineSource: Plan['baselineSource'];
  if (input.baseline !== undefined) {
    baseline = input.baseline;
    baselineSource = input.baseline === null ? 'none' : 'entered';
  } else if (keep.baseline) {
    baseline = keep.baseline.value;
    baselineSource = keep.baseline.source;
  } else {
    ({ baseline, baselineSource } = await measureBaseline(ctx, input.metric, input.unitId, period));
  }
  const targets = interpolateTargets(period, baseline, input.target, days);
  const checkpoints = days.map((day, i) => {
    const own = day === period.to ? undefined : edited.get(day);
    return { day, target: own ?? (targets[i] as number), edited: own !== undefined };
  });
  return { period, checkpoints, baseline, baselineSource };
}

/** The goal's metric over the period of the same length just before it (up to today), if there is enough of it. */
async function measureBaseline(ctx: Ctx, metric: GoalMetric, unitId: string | null, period: Period) {
  const today = await orgToday(ctx);
  const before = previousPeriod(period.from, period.to);
  const window = cutAt(before, today);
  if (!window) return { baseline: null, baselineSource: 'none' as const };
  const m = await createMeter(ctx).measure(metric, scopeOfUnit(unitId), window);
  if (m.value === null || m.n < MIN_GOAL_N) return { baseline: null, baselineSource: 'none' as const };
  return { baseline: m.value, baselineSource: 'measured' as const };
}

async function writeParts(
  tx: Parameters<Parameters<Ctx['db']['transaction']>[0]>[0],
  ctx: Ctx,
  goalId: string,
  plan: Plan,
  ownerIds: string[],
) {
  await tx
    .delete(goalCheckpoints)
    .where(and(eq(goalCheckpoints.orgId, ctx.orgId), eq(goalCheckpoints.goalId, goalId)));
  await tx.insert(goalCheckpoints).values(plan.checkpoints.map((c) => ({ orgId: ctx.orgId, goalId, ...c })));
  await tx.delete(goalOwners).where(and(eq(goalOwners.orgId, ctx.orgId), eq(goalOwners.goalId, goalId)));
  if (ownerIds.length > 0) {
    await tx.insert(goalOwners).values(ownerIds.map((userId) => ({ orgId: ctx.orgId, goalId, userId })));
  }
}

const actorId = (ctx: Ctx) => (ctx.actor.kind === 'user' ? ctx.actor.userId : null);

export async function createGoal(ctx: Ctx, raw: z.input<typeof goalInput>): Promise<GoalDetail> {
  requireRole(ctx, 'owner', 'admin', 'manager');
  const input = goalInput.parse(raw);
  const plan = await planGoal(ctx, input);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(goals)
      .values({
        orgId: ctx.orgId,
        name: input.name,
        unitId: input.unitId,
        metric: input.metric,
        periodKind: input.period.kind,
        periodFrom: plan.period.from,
        periodTo: plan.period.to,
        cadence: input.cadence,
        measure: input.measure,
        baseline: plan.baseline,
        baselineSource: plan.baselineSource,
        target: input.target,
        targetSource: input.targetSource,
        targetNote: input.targetNote ?? null,
        createdBy: actorId(ctx),
        createdAt: ctx.clock(),
        updatedAt: ctx.clock(),
      })
      .returning({ id: goals.id });
    await writeParts(tx, ctx, row!.id, plan, input.ownerIds);
    return row!.id;
  });
  return getGoal(ctx, id);
}

/** The goal row if the actor may see it; 404 otherwise (another org's or another subtree's goal does not exist). */
async function goalRow(ctx: Ctx, id: string): Promise<GoalRow> {
  const [row] = await ctx.db
    .select()
    .from(goals)
    .where(and(eq(goals.orgId, ctx.orgId), eq(goals.id, id)));
  if (!row || !visibleTo(await visibleUnitIds(ctx), row.unitId)) throw notFound('Goal');
  return row;
}

async function editableRow(ctx: Ctx, id: string): Promise<GoalRow> {
  requireRole(ctx, 'owner', 'admin', 'manager');
  const row = await goalRow(ctx, id);
  if (!canEdit(ctx, await visibleUnitIds(ctx), row.unitId)) {
    throw new AppError('forbidden', 'Only owners and admins edit company goals');
  }
  return row;
}

export async function updateGoal(ctx: Ctx, id: string, raw: z.input<typeof goalPatch>): Promise<GoalDetail> {
  const patch = goalPatch.parse(raw);
  const row = await editableRow(ctx, id);
  if (patch.version !== row.version) {
    throw new AppError('conflict', 'Someone changed this goal since you read it; reload and edit again', {
      errors: [{ path: 'version', message: `The goal is at version ${row.version}` }],
    });
  }
  const stored = await ctx.db
    .select()
    .from(goalCheckpoints)
    .where(and(eq(goalCheckpoints.orgId, ctx.orgId), eq(goalCheckpoints.goalId, id)));
  const owners = await ctx.db
    .select({ userId: goalOwners.userId })
    .from(goalOwners)
    .where(and(eq(goalOwners.orgId, ctx.orgId), eq(goalOwners.goalId, id)));
  const periodChanged = patch.period !== undefined;
  const merged = goalInput.parse({
    name: patch.name ?? row.name,
    unitId: patch.unitId === undefined ? row.unitId : patch.unitId,
    metric: patch.metric ?? row.metric,
    period: patch.period ?? {
      kind: row.periodKind,
      from: row.periodFrom,
      ...(row.periodKind === 'custom' ? { to: row.periodTo } : {}),
    },
    cadence: patch.cadence ?? row.cadence,
    checkpoints:
      patch.checkpoints ??
      (row.cadence === 'custom' && !patch.cadence && !periodChanged
        ? stored.map((c) => ({ day: c.day }))
        : undefined),
    measure: patch.measure ?? row.measure,
    ...(patch.baseline !== undefined ? { baseline: patch.baseline } : {}),
    target: patch.target ?? row.target,
    targetSource: patch.targetSource ?? row.targetSource,
    targetNote: patch.targetNote === undefined ? row.targetNote : patch.targetNote,
    ownerIds: patch.ownerIds ?? owners.map((o) => o.userId),
  });
  // Targets set by hand stay on their days unless the checkpoints are given anew; the baseline stays unless the
  // indicator, the unit or the period changed (then it is measured again, or taken as given).
  const sameBasis =
    merged.metric === row.metric &&
    merged.unitId === row.unitId &&
    !periodChanged &&
    patch.baseline === undefined;
  const plan = await planGoal(ctx, merged, {
    edited: new Map(stored.filter((c) => c.edited).map((c) => [c.day, c.target])),
    ...(sameBasis ? { baseline: { value: row.baseline, source: row.baselineSource } } : {}),
  });
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(goals)
      .set({
        name: merged.name,
        unitId: merged.unitId,
        metric: merged.metric,
        periodKind: merged.period.kind,
        periodFrom: plan.period.from,
        periodTo: plan.period.to,
        cadence: merged.cadence,
        measure: merged.measure,
        baseline: plan.baseline,
        baselineSource: plan.baselineSource,
        target: merged.target,
        targetSource: merged.targetSource,
        targetNote: merged.targetNote ?? null,
        version: row.version + 1,
        updatedAt: ctx.clock(),
      })
      .where(and(eq(goals.orgId, ctx.orgId), eq(goals.id, id), eq(goals.version, row.version)))
      .returning({ id: goals.id });
    if (updated.length === 0) {
      throw new AppError('conflict', 'Someone changed this goal since you read it; reload and edit again');
    }
    await writeParts(tx, ctx, id, plan, merged.ownerIds);
  });
  return getGoal(ctx, id);
}

export async function deleteGoal(ctx: Ctx, id: string): Promise<void> {
  await editableRow(ctx, id);
  await ctx.db.delete(goals).where(and(eq(goals.orgId, ctx.orgId), eq(goals.id, id)));
}

export async function addAction(
  ctx: Ctx,
  goalId: string,
  raw: z.input<typeof actionInput>,
): Promise<GoalDetail> {
  const input = actionInput.parse(raw);
  await editableRow(ctx, goalId);
  if (input.unitId) await assertVisibleUnit(ctx, input.unitId, 'unitId');
  await ctx.db.insert(goalActions).values({
    orgId: ctx.orgId,
    goalId,
    title: input.title,
    day: input.day,
    unitId: input.unitId,
    windowDays: input.windowDays,
    createdBy: actorId(ctx),
    createdAt: ctx.clock(),
  });
  return getGoal(ctx, goalId);
}

export async function deleteAction(ctx: Ctx, goalId: string, actionId: string): Promise<void> {
  await editableRow(ctx, goalId);
  const gone = await ctx.db
    .delete(goalActions)
    .where(
      and(eq(goalActions.orgId, ctx.orgId), eq(goalActions.goalId, goalId), eq(goalActions.id, actionId)),
    )
    .returning({ id: goalActions.id });
  if (gone.length === 0) throw notFound('Action');
}

// Reading.

interface Loaded {
  row: GoalRow;
  checkpoints: { day: Day; target: number; edited: boolean }[];
  owners: string[];
}

async function load(ctx: Ctx, rows: GoalRow[]): Promise<Loaded[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const cps = await ctx.db
    .select()
    .from(goalCheckpoints)
    .where(and(eq(goalCheckpoints.orgId, ctx.orgId), inArray(goalCheckpoints.goalId, ids)))
    .orderBy(asc(goalCheckpoints.day));
  const owners = await ctx.db
    .select()
    .from(goalOwners)
    .where(and(eq(goalOwners.orgId, ctx.orgId), inArray(goalOwners.goalId, ids)));
  return rows.map((row) => ({
    row,
    checkpoints: cps
      .filter((c) => c.goalId === row.id)
      .map(({ day, target, edited }) => ({ day, target, edited })),
    owners: owners.filter((o) => o.goalId === row.id).map((o) => o.userId),
  }));
}

/** Names of the org's people, the e-mail of one without a name (none for analysts: no personal data). */
async function peopleNames(ctx: Ctx): Promise<Map<string, { name: string | null; role: string }>> {
  const everyone = await listUsers({ ...ctx, actor: { kind: 'system' } });
  const names = seesPersonalData(ctx);
  return new Map(everyone.map((u) => [u.id, { name: names ? (u.name ?? u.email) : null, role: u.role }]));
}

/** One checkpoint measured: its window cut at today, the actual there and its status against the target. */
async function measureCheckpoint(
  meter: Meter,
  goal: GoalRow,
  checkpoint: { day: Day; target: number; edited: boolean },
  window: Period,
  today: Day,
): Promise<CheckpointView> {
  const base = { ...checkpoint, window };
  if (window.from > today) return { ...base, actual: null, status: 'upcoming', partial: false };
  const partial = window.to >= today;
  const actual = await meter.measure(goal.metric, scopeOfUnit(goal.unitId), {
    from: window.from,
    to: partial ? today : window.to,
  });
  return {
    ...base,
    actual,
    status: statusOf(actual, checkpoint.target, METRIC_SCALE[goal.metric].better),
    partial,
  };
}

/**
 * The status of a goal without measuring every checkpoint: the ended checkpoints from the latest back until one can
 * be judged (what `goalStatusOn` picks from them all); when none can, the checkpoint in progress speaks, so far.
 */
async function summarise(
  meter: Meter,
  goal: Loaded,
  today: Day,
  all: boolean,
): Promise<{
  checkpoints: CheckpointView[];
  status: GoalStatus | 'upcoming';
  judged: CheckpointView | null;
  current: CheckpointView | null;
}> {
  const period = { from: goal.row.periodFrom, to: goal.row.periodTo };
  const days = goal.checkpoints.map((c) => c.day);
  const windows = checkpointWindows(period, days, goal.row.measure);
  const measured: (CheckpointView | null)[] = goal.checkpoints.map(() => null);
  const at = async (i: number) => {
    measured[i] ??= await measureCheckpoint(meter, goal.row, goal.checkpoints[i]!, windows[i]!, today);
    return measured[i]!;
  };
  if (all) for (let i = 0; i < days.length; i++) await at(i);
  let judged: CheckpointView | null = null;
  for (let i = days.length - 1; i >= 0 && !judged; i--) {
    if (days[i]! >= today) continue;
    const c = await at(i);
    if (goalStatusOn(today, [c]).day !== null) judged = c;
  }
  const inProgress = days.findIndex((d, i) => d >= today && windows[i]!.from <= today);
  const last = days.length - 1;
  const current =
    inProgress >= 0 ? await at(inProgress) : last >= 0 && days[last]! < today ? await at(last) : null;
  if (!judged && current && current.status !== 'upcoming' && current.status !== 'not_enough_data')
    judged = current;
  const status =
    period.from > today
      ? 'upcoming'
      : judged && judged.status !== 'upcoming'
        ? judged.status
        : 'not_enough_data';
  return { checkpoints: measured.filter((c): c is CheckpointView => c !== null), status, judged, current };
}

async function viewOf(
  ctx: Ctx,
  meter: Meter,
  goal: Loaded,
  today: Day,
  context: {
    visible: Set<string> | null;
    units: Map<string, { name: string }>;
    people: Map<string, { name: string | null; role: string }>;
  },
  all: boolean,
) {
  const { row } = goal;
  const summary = await summarise(meter, goal, today, all);
  const view: GoalView = {
    id: row.id,
    name: row.name,
    unitId: row.unitId,
    unitName: row.unitId ? (context.units.get(row.unitId)?.name ?? null) : null,
    metric: row.metric,
    period: { kind: row.periodKind, from: row.periodFrom, to: row.periodTo },
    cadence: row.cadence as Cadence,
    measure: row.measure,
    baseline: row.baseline,
    baselineSource: row.baselineSource,
    target: row.target,
    targetSource: row.targetSource,
    targetNote: row.targetNote,
    version: row.version,
    owners: goal.owners.map((userId) => ({
      userId,
      name: context.people.get(userId)?.name ?? null,
      role: context.people.get(userId)?.role ?? 'unknown',
    })),
    status: summary.status,
    statusDay: summary.judged?.day ?? null,
    judged: summary.judged,
    current: summary.current,
    canEdit: canEdit(ctx, context.visible, row.unitId),
  };
  return { view, checkpoints: summary.checkpoints };
}

async function readContext(ctx: Ctx) {
  return { visible: await visibleUnitIds(ctx), units: await unitsById(ctx), people: await peopleNames(ctx) };
}

/** The goals the actor may see, newest period first, each with its status and the checkpoint in progress. */
export async function listGoals(
  ctx: Ctx,
  query: { unitId?: string; active?: 'true' | 'false' } = {},
): Promise<GoalView[]> {
  return goalViews(ctx, (goals, today) => {
    const running = (g: Loaded) => g.row.periodFrom <= today && today <= g.row.periodTo;
    return goals.filter(
      (g) =>
        (!query.unitId || g.row.unitId === query.unitId) &&
        (query.active === undefined || running(g) === (query.active === 'true')),
    );
  });
}

/** Views of the visible goals that `pick` keeps (chosen before anything is measured, since measuring costs). */
async function goalViews(ctx: Ctx, pick: (goals: Loaded[], today: Day) => Loaded[]): Promise<GoalView[]> {
  const context = await readContext(ctx);
  const today = await orgToday(ctx);
  const rows = await ctx.db
    .select()
    .from(goals)
    .where(eq(goals.orgId, ctx.orgId))
    .orderBy(desc(goals.periodTo), asc(goals.name));
  const loaded = pick(
    await load(
      ctx,
      rows.filter((r) => visibleTo(context.visible, r.unitId)),
    ),
    today,
  );
  const meter = createMeter(ctx);
  const views: GoalView[] = [];
  for (const goal of loaded) views.push((await viewOf(ctx, meter, goal, today, context, false)).view);
  return views;
}

/** One goal with every checkpoint measured and the effect of its actions. */
export async function getGoal(ctx: Ctx, id: string): Promise<GoalDetail> {
  const row = await goalRow(ctx, id);
  const context = await readContext(ctx);
  const today = await orgToday(ctx);
  const meter = createMeter(ctx);
  const [goal] = await load(ctx, [row]);
  const { view, checkpoints } = await viewOf(ctx, meter, goal!, today, context, true);
  const actions = await ctx.db
    .select()
    .from(goalActions)
    .where(and(eq(goalActions.orgId, ctx.orgId), eq(goalActions.goalId, id)))
    .orderBy(asc(goalActions.day), asc(goalActions.createdAt));
  const actionViews: ActionView[] = [];
  for (const a of actions) actionViews.push(await actionEffect(meter, row, a, today, context.units));
  return { ...view, checkpoints, actions: actionViews };
}

const noFigure: MeasurementView = { value: null, ci95: null, n: 0, smallSample: true };

/**
 * How effective a planned action was: NPS and the share of detractors over the days before it and the days from it
 * on (its unit, or the goal's), and whether the NPS changed significantly (two-sample z-test, nps-change.ts).
 */
async function actionEffect(
  meter: Meter,
  goal: GoalRow,
  action: typeof goalActions.$inferSelect,
  today: Day,
  units: Map<string, { name: string }>,
): Promise<ActionView> {
  const unitId = action.unitId ?? goal.unitId;
  const scope = scopeOfUnit(unitId);
  const w = actionWindows(action.day, action.windowDays, today);
  const beforeWindow = cutAt(w.before, today);
  const before = beforeWindow ? await meter.npsFacts(scope, beforeWindow) : null;
  const after = w.after ? await meter.npsFacts(scope, w.after) : null;
  const enough = (f: typeof before) => f !== null && f.nps.n >= MIN_GOAL_N;
  const change = enough(before) && enough(after) ? npsChange(after!.tally, before!.tally) : null;
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    id: action.id,
    title: action.title,
    day: action.day,
    unitId: action.unitId,
    unitName: action.unitId ? (units.get(action.unitId)?.name ?? null) : null,
    windowDays: action.windowDays,
    before: {
      ...w.before,
      nps: before?.nps ?? noFigure,
      detractorShare: before?.detractorShare ?? noFigure,
    },
    after: w.after && after ? { ...w.after, nps: after.nps, detractorShare: after.detractorShare } : null,
    complete: w.complete,
    change: change
      ? {
          diff: round(change.diff, 1),
          pValue: round(change.pValue, 3),
          significant: change.significant,
          direction: change.direction,
        }
      : null,
  };
}

/** Days from today that a digest still mentions a goal whose period has ended (its final result). */
export const DIGEST_AFTER_END_DAYS = 7;

/** Goals a person hears of in their digest: running or just ended, of their subtree, their own first; five at most. */
export async function goalsForDigest(ctx: Ctx, today: Day): Promise<GoalView[]> {
  const me = actorId(ctx);
  const mine = (g: Loaded) => (me !== null && g.owners.includes(me) ? 1 : 0);
  return goalViews(ctx, (all) =>
    all
      .filter((g) => g.row.periodFrom <= today && addDays(g.row.periodTo, DIGEST_AFTER_END_DAYS) >= today)
      .sort((a, b) => mine(b) - mine(a))
      .slice(0, 5),
  );
}
