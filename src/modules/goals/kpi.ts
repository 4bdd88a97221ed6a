// The KPI matrix of management: each level's indicators with weights and targets (the org's own or the default),
// and each person's figures against it — their weighted score and status over a period.
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  cutAt,
  DEFAULT_KPI_MATRICES,
  type KpiItem,
  kpiScore,
  type ManagementLevel,
  METRIC_SCALE,
  statusOf,
  weightsSumTo100,
} from '../../domain/goals.js';
import { addDays, daysBetween } from '../../domain/period.js';
import { listUsers } from '../auth/index.js';
import {
  AppError,
  type Ctx,
  type FieldError,
  type Role,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import { createMeter } from './measure.js';
import { kpiQuery, type kpiScores, matrixInput, type matrixView } from './schemas.js';
import { orgToday } from './service.js';

const { kpiMatrices } = tables;
const LEVELS: ManagementLevel[] = ['frontline', 'middle', 'top'];

export type MatrixView = z.output<typeof matrixView>;
export type KpiScores = z.output<typeof kpiScores>;

/** The level a role is judged at; analysts are not in the matrix. */
export function levelOfRole(role: Role): ManagementLevel | null {
  if (role === 'owner' || role === 'admin') return 'top';
  if (role === 'manager') return 'middle';
  if (role === 'frontline') return 'frontline';
  return null;
}

/** The org's matrix of every level: its own where saved (version ≥ 1), else the default (version 0). */
export async function getMatrices(ctx: Ctx): Promise<MatrixView[]> {
  const rows = await ctx.db.select().from(kpiMatrices).where(eq(kpiMatrices.orgId, ctx.orgId));
  return LEVELS.map((level) => {
    const own = rows.find((r) => r.level === level);
    return own
      ? { level, items: own.items, version: own.version, isDefault: false }
      : { level, items: DEFAULT_KPI_MATRICES[level], version: 0, isDefault: true };
  });
}

/** Replaces a level's matrix: one row per indicator, weights summing to 100%, targets on each indicator's scale. */
export async function putMatrix(
  ctx: Ctx,
  level: ManagementLevel,
  raw: z.input<typeof matrixInput>,
): Promise<MatrixView> {
  requireRole(ctx, 'owner', 'admin');
  const input = matrixInput.parse(raw);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  input.items.forEach((item, i) => {
    if (seen.has(item.metric))
      errors.push({ path: `items.${i}.metric`, message: 'This indicator is already in the matrix' });
    seen.add(item.metric);
    const scale = METRIC_SCALE[item.metric];
    if (item.target < scale.min || item.target > scale.max) {
      errors.push({
        path: `items.${i}.target`,
        message: `From ${scale.min} to ${scale.max} for ${item.metric}`,
      });
    }
  });
  if (!weightsSumTo100(input.items)) {
    const sum = Math.round(input.items.reduce((s, i) => s + i.weight, 0) * 100) / 100;
    errors.push({ path: 'items', message: `The weights sum to ${sum}%, not 100%` });
  }
  if (errors.length > 0)
    throw new AppError('invalid_input', `Invalid KPI matrix: ${errors[0]!.path}`, { errors });
  const current = (await getMatrices(ctx)).find((m) => m.level === level)!;
  if (input.version !== undefined && input.version !== current.version) {
    throw new AppError('conflict', 'Someone changed this matrix since you read it; reload and edit again', {
      errors: [{ path: 'version', message: `The matrix is at version ${current.version}` }],
    });
  }
  const items: KpiItem[] = input.items.map(({ metric, weight, target }) => ({ metric, weight, target }));
  const values = {
    items,
    version: current.version + 1,
    updatedBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    updatedAt: ctx.clock(),
  };
  const written = current.isDefault
    ? await ctx.db
        .insert(kpiMatrices)
        .values({ orgId: ctx.orgId, level, ...values })
        .onConflictDoNothing()
        .returning()
    : await ctx.db
        .update(kpiMatrices)
        .set(values)
        .where(
          and(
            eq(kpiMatrices.orgId, ctx.orgId),
            eq(kpiMatrices.level, level),
            eq(kpiMatrices.version, current.version),
          ),
        )
        .returning();
  if (written.length === 0) {
    throw new AppError('conflict', 'Someone changed this matrix since you read it; reload and edit again');
  }
  return { level, items, version: values.version, isDefault: false };
}

/** Back to the default matrix of a level. */
export async function resetMatrix(ctx: Ctx, level: ManagementLevel): Promise<MatrixView> {
  requireRole(ctx, 'owner', 'admin');
  await ctx.db.delete(kpiMatrices).where(and(eq(kpiMatrices.orgId, ctx.orgId), eq(kpiMatrices.level, level)));
  return { level, items: DEFAULT_KPI_MATRICES[level], version: 0, isDefault: true };
}

/** The longest KPI period: three years. */
const MAX_DAYS = 1096;

/**
 * Each person's KPI figures over a period against their level's matrix: front-line users on their units' answers
 * and the cases they own, managers on their units, owners and admins on the whole organisation. Managers see the
 * people of their subtree and themselves, front-line users themselves; analysts see the figures without names.
 */
export async function kpiScoresOf(ctx: Ctx, raw: z.input<typeof kpiQuery>): Promise<KpiScores> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'frontline', 'analyst');
  const q = kpiQuery.parse(raw);
  const today = await orgToday(ctx);
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -((q.days ?? 90) - 1));
  if (from > to) {
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'After `to`' }],
    });
  }
  if (daysBetween(from, to) + 1 > MAX_DAYS) {
    throw new AppError('invalid_input', `The period is longer than ${MAX_DAYS} days`, {
      errors: [{ path: 'from', message: `At most ${MAX_DAYS} days before to` }],
    });
  }
  const window = cutAt({ from, to }, today) ?? { from, to };
  const visible = await visibleUnitIds(ctx);
  const me = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const everyone = await listUsers({ ...ctx, actor: { kind: 'system' } });
  const seen = everyone.filter((u) => {
    if (u.id === me) return true;
    if (ctx.actor.kind === 'user' && ctx.actor.role === 'frontline') return false;
    if (visible === null) return true;
    // A manager sees people whose whole scope lies in their subtree (not their own manager, not top management).
    return (
      u.unitIds.length > 0 &&
      u.unitIds.every((id) => visible.has(id)) &&
      u.role !== 'owner' &&
      u.role !== 'admin'
    );
  });
  const matrices = await getMatrices(ctx);
  const units = await unitsById(ctx);
  const names = seesPersonalData(ctx);
  const meter = createMeter(ctx);
  const levels: KpiScores['levels'] = [];
  for (const matrix of matrices) {
    if (q.level && q.level !== matrix.level) continue;
    const rows: KpiScores['levels'][number]['rows'] = [];
    for (const person of seen.filter((u) => levelOfRole(u.role) === matrix.level)) {
      const scope = {
        unitIds: matrix.level === 'top' ? null : person.unitIds,
        person: { userId: person.id, role: person.role },
      };
      const kpis = [];
      for (const item of matrix.items) {
        const actual = await meter.measure(item.metric, scope, window);
        kpis.push({
          ...item,
          actual,
          status: statusOf(actual, item.target, METRIC_SCALE[item.metric].better),
        });
      }
      const score = kpiScore(kpis);
      rows.push({
        userId: person.id,
        name: names ? (person.name ?? person.email) : null,
        role: person.role,
        units: person.unitIds.map((id) => units.get(id)?.name ?? '—'),
        kpis,
        score: score.score,
        judgedWeight: score.judgedWeight,
        status: score.status,
      });
    }
    levels.push({ level: matrix.level, matrix, rows });
  }
  return { from, to, levels };
}
