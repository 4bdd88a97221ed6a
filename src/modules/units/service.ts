// The organisation's structure: a tree of units (company → region → branch → department).
import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { AppError, type Ctx, canWrite, isUniqueViolation, notFound, requireRole } from '../kernel/index.js';

const { units } = tables;

export const unitKind = z.enum(['company', 'region', 'branch', 'department']);
export const newUnitInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: unitKind,
  parentId: z.uuid().nullish(),
  externalId: z.string().trim().min(1).max(200).nullish(),
});
export const unitPatch = newUnitInput.partial();

export type Unit = typeof units.$inferSelect;

export interface UnitView {
  id: string;
  parentId: string | null;
  kind: Unit['kind'];
  name: string;
  externalId: string | null;
  createdAt: string;
}

export const viewOfUnit = (u: Unit): UnitView => ({
  id: u.id,
  parentId: u.parentId,
  kind: u.kind,
  name: u.name,
  externalId: u.externalId,
  createdAt: u.createdAt.toISOString(),
});

async function findUnit(ctx: Ctx, id: string): Promise<Unit | undefined> {
  const [u] = await ctx.db
    .select()
    .from(units)
    .where(and(eq(units.orgId, ctx.orgId), eq(units.id, id)));
  return u;
}

/**
 * The units the actor may see: null for everyone's organisation-wide roles, otherwise the ids of the subtrees
 * under the units a manager or front-line user is given.
 */
export async function visibleUnitIds(ctx: Ctx): Promise<Set<string> | null> {
  if (ctx.actor.kind === 'system' || ctx.actor.unitIds === null) return null;
  if (ctx.actor.unitIds.length === 0) return new Set();
  const roots = await ctx.db
    .select({ path: units.path })
    .from(units)
    .where(and(eq(units.orgId, ctx.orgId), inArray(units.id, ctx.actor.unitIds)));
  if (roots.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: units.id })
    .from(units)
    .where(and(eq(units.orgId, ctx.orgId), or(...roots.map((r) => like(units.path, `${r.path}%`)))));
  return new Set(rows.map((r) => r.id));
}

export async function assertUnitVisible(ctx: Ctx, unitId: string): Promise<void> {
  const visible = await visibleUnitIds(ctx);
  if (visible && !visible.has(unitId)) throw notFound('Unit');
}

export async function createUnit(ctx: Ctx, input: z.input<typeof newUnitInput>): Promise<UnitView> {
  requireRole(ctx, ...canWrite);
  const u = newUnitInput.parse(input);
  const id = crypto.randomUUID();
  let path = `/${id}/`;
  if (u.parentId) {
    const parent = await findUnit(ctx, u.parentId);
    if (!parent) {
      throw new AppError('invalid_input', 'Unknown parent unit', {
        errors: [{ path: 'parentId', message: 'No unit with this id in your organisation' }],
      });
    }
    path = `${parent.path}${id}/`;
  }
  try {
    const [row] = await ctx.db
      .insert(units)
      .values({
        orgId: ctx.orgId,
        id,
        parentId: u.parentId ?? null,
        kind: u.kind,
        name: u.name,
        path,
        externalId: u.externalId ?? null,
        createdAt: ctx.clock(),
      })
      .returning();
    return viewOfUnit(row!);
  } catch (error) {
    throw externalIdConflict(error);
  }
}

function externalIdConflict(error: unknown): unknown {
  return isUniqueViolation(error)
    ? new AppError('conflict', 'Another unit has this externalId', {
        errors: [{ path: 'externalId', message: 'Already used by another unit' }],
      })
    : error;
}

/** Depth first, parents before children, siblings by name: the order a tree is read in. */
function inTreeOrder(rows: Unit[]): Unit[] {
  const ids = new Set(rows.map((u) => u.id));
  const children = new Map<string | null, Unit[]>();
  for (const u of rows) {
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: Unit[] = [];
  const visit = (parent: string | null) => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
    for (const u of list) {
      out.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return out;
}

export async function listUnits(ctx: Ctx): Promise<UnitView[]> {
  const visible = await visibleUnitIds(ctx);
  const rows = await ctx.db.select().from(units).where(eq(units.orgId, ctx.orgId)).orderBy(asc(units.path));
  return inTreeOrder(rows.filter((u) => !visible || visible.has(u.id))).map(viewOfUnit);
}

export async function getUnit(ctx: Ctx, id: string): Promise<UnitView> {
  await assertUnitVisible(ctx, id);
  const u = await findUnit(ctx, id);
  if (!u) throw notFound('Unit');
  return viewOfUnit(u);
}

export async function updateUnit(ctx: Ctx, id: string, input: z.input<typeof unitPatch>): Promise<UnitView> {
  requireRole(ctx, ...canWrite);
  const patch = unitPatch.parse(input);
  const current = await findUnit(ctx, id);
  if (!current) throw notFound('Unit');
  return ctx.db.transaction(async (tx) => {
    if (patch.parentId !== undefined && patch.parentId !== current.parentId) {
      let newPath = `/${id}/`;
      if (patch.parentId) {
        const parent = await findUnit({ ...ctx, db: tx }, patch.parentId);
        if (!parent) {
          throw new AppError('invalid_input', 'Unknown parent unit', {
            errors: [{ path: 'parentId', message: 'No unit with this id in your organisation' }],
          });
        }
        if (parent.path.startsWith(current.path)) {
          throw new AppError('invalid_input', 'A unit cannot move under itself', {
            errors: [{ path: 'parentId', message: 'This unit is inside the one being moved' }],
          });
        }
        newPath = `${parent.path}${id}/`;
      }
      // Re-root the whole subtree: every descendant's path starts with the old path.
      await tx
        .update(units)
        .set({ path: sql`${newPath} || substr(${units.path}, ${current.path.length + 1})` })
        .where(and(eq(units.orgId, ctx.orgId), like(units.path, `${current.path}%`)));
    }
    try {
      const [row] = await tx
        .update(units)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.kind !== undefined && { kind: patch.kind }),
          ...(patch.externalId !== undefined && { externalId: patch.externalId }),
          ...(patch.parentId !== undefined && { parentId: patch.parentId }),
        })
        .where(and(eq(units.orgId, ctx.orgId), eq(units.id, id)))
        .returning();
      return viewOfUnit(row!);
    } catch (error) {
      throw externalIdConflict(error);
    }
  });
}

export async function deleteUnit(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  try {
    const done = await ctx.db
      .delete(units)
      .where(and(eq(units.orgId, ctx.orgId), eq(units.id, id)))
      .returning({ id: units.id });
    if (done.length === 0) throw notFound('Unit');
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError(
        'conflict',
        'This unit still has sub-units, employees, visits or answers; move or remove them first',
      );
    }
    throw error;
  }
}

/** id → unit, for labelling analytics. */
export async function unitsById(ctx: Ctx): Promise<Map<string, Unit>> {
  const rows = await ctx.db.select().from(units).where(eq(units.orgId, ctx.orgId));
  return new Map(rows.map((u) => [u.id, u]));
}

/** Finds units by external id (imports, contacts given by the accounting system's codes). */
export async function unitIdsByExternalId(ctx: Ctx, externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: units.id, externalId: units.externalId })
    .from(units)
    .where(and(eq(units.orgId, ctx.orgId), inArray(units.externalId, externalIds)));
  return new Map(rows.map((r) => [r.externalId!, r.id]));
}
