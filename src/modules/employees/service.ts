// Employees of the organisation, each in a unit; names and e-mails are encrypted at rest.
import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  isUniqueViolation,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { assertUnitVisible, visibleUnitIds } from '../units/index.js';

const { employees } = tables;

export const newEmployeeInput = z.object({
  unitId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254).nullish(),
  position: z.string().trim().max(200).nullish(),
  externalId: z.string().trim().min(1).max(200).nullish(),
  active: z.boolean().default(true),
});
export const employeePatch = newEmployeeInput.partial();
export const employeeListQuery = pageQuery.extend({ unitId: z.uuid().optional() });

export interface EmployeeView {
  id: string;
  unitId: string;
  name: string | null;
  email: string | null;
  position: string | null;
  externalId: string | null;
  active: boolean;
  createdAt: string;
}

type Row = typeof employees.$inferSelect;

function viewOf(ctx: Ctx, e: Row): EmployeeView {
  const personal = seesPersonalData(ctx);
  return {
    id: e.id,
    unitId: e.unitId,
    name: personal ? ctx.vault.decrypt(e.nameEnc) : null,
    email: personal ? ctx.vault.decrypt(e.emailEnc) : null,
    position: e.position,
    externalId: e.externalId,
    active: e.active,
    createdAt: e.createdAt.toISOString(),
  };
}

function translate(error: unknown): unknown {
  if (isUniqueViolation(error)) {
    return new AppError('conflict', 'Another employee has this externalId', {
      errors: [{ path: 'externalId', message: 'Already used by another employee' }],
    });
  }
  if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
    return new AppError('invalid_input', 'Unknown unit', {
      errors: [{ path: 'unitId', message: 'No unit with this id in your organisation' }],
    });
  }
  return error;
}

export async function createEmployee(
  ctx: Ctx,
  input: z.input<typeof newEmployeeInput>,
): Promise<EmployeeView> {
  requireRole(ctx, ...canWrite);
  const e = newEmployeeInput.parse(input);
  try {
    const [row] = await ctx.db
      .insert(employees)
      .values({
        orgId: ctx.orgId,
        unitId: e.unitId,
        nameEnc: ctx.vault.encrypt(e.name),
        emailEnc: ctx.vault.encrypt(e.email ?? null),
        emailBidx: e.email ? ctx.vault.blindIndex('email', e.email) : null,
        position: e.position ?? null,
        externalId: e.externalId ?? null,
        active: e.active,
        createdAt: ctx.clock(),
      })
      .returning();
    return viewOf(ctx, row!);
  } catch (error) {
    throw translate(error);
  }
}

async function findEmployee(ctx: Ctx, id: string): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(employees)
    .where(and(eq(employees.orgId, ctx.orgId), eq(employees.id, id)));
  if (!row) throw notFound('Employee');
  const visible = await visibleUnitIds(ctx);
  if (visible && !visible.has(row.unitId)) throw notFound('Employee');
  return row;
}

export async function getEmployee(ctx: Ctx, id: string): Promise<EmployeeView> {
  return viewOf(ctx, await findEmployee(ctx, id));
}

export async function listEmployees(ctx: Ctx, query: z.input<typeof employeeListQuery>) {
  const q = employeeListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  if (q.unitId) await assertUnitVisible(ctx, q.unitId);
  const visible = await visibleUnitIds(ctx);
  if (visible && visible.size === 0) return { items: [], nextCursor: null };
  const rows = await ctx.db
    .select()
    .from(employees)
    .where(
      and(
        eq(employees.orgId, ctx.orgId),
        q.unitId ? eq(employees.unitId, q.unitId) : undefined,
        visible ? inArray(employees.unitId, [...visible]) : undefined,
        cursor
          ? or(
              gt(employees.createdAt, new Date(cursor.at)),
              and(eq(employees.createdAt, new Date(cursor.at)), gt(employees.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(employees.createdAt), asc(employees.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: page.items.map((r) => viewOf(ctx, r)), nextCursor: page.nextCursor };
}

export async function updateEmployee(ctx: Ctx, id: string, input: z.input<typeof employeePatch>) {
  requireRole(ctx, ...canWrite);
  const p = employeePatch.parse(input);
  await findEmployee(ctx, id);
  try {
    const [row] = await ctx.db
      .update(employees)
      .set({
        ...(p.unitId !== undefined && { unitId: p.unitId }),
        ...(p.name !== undefined && { nameEnc: ctx.vault.encrypt(p.name) }),
        ...(p.email !== undefined && {
          emailEnc: ctx.vault.encrypt(p.email ?? null),
          emailBidx: p.email ? ctx.vault.blindIndex('email', p.email) : null,
        }),
        ...(p.position !== undefined && { position: p.position ?? null }),
        ...(p.externalId !== undefined && { externalId: p.externalId ?? null }),
        ...(p.active !== undefined && { active: p.active }),
      })
      .where(and(eq(employees.orgId, ctx.orgId), eq(employees.id, id)))
      .returning();
    return viewOf(ctx, row!);
  } catch (error) {
    throw translate(error);
  }
}

export async function deleteEmployee(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  await findEmployee(ctx, id);
  try {
    await ctx.db.delete(employees).where(and(eq(employees.orgId, ctx.orgId), eq(employees.id, id)));
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError(
        'conflict',
        'This employee has visits or answers; set active to false instead of deleting to keep the history',
      );
    }
    throw error;
  }
}

/** id → decrypted name, for labelling analytics. */
export async function employeeNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: employees.id, nameEnc: employees.nameEnc })
    .from(employees)
    .where(and(eq(employees.orgId, ctx.orgId), inArray(employees.id, ids)));
  const personal = seesPersonalData(ctx);
  return new Map(rows.map((r) => [r.id, personal ? ctx.vault.decrypt(r.nameEnc) : `#${r.id.slice(0, 8)}`]));
}

export async function findEmployeeUnit(ctx: Ctx, id: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ unitId: employees.unitId })
    .from(employees)
    .where(and(eq(employees.orgId, ctx.orgId), eq(employees.id, id)));
  return row?.unitId ?? null;
}

/** Every employee's unit and display name (decrypted only for roles that see personal data). */
export async function employeeDirectory(ctx: Ctx): Promise<Map<string, { unitId: string; name: string }>> {
  const rows = await ctx.db
    .select({ id: employees.id, unitId: employees.unitId, nameEnc: employees.nameEnc })
    .from(employees)
    .where(eq(employees.orgId, ctx.orgId));
  const personal = seesPersonalData(ctx);
  return new Map(
    rows.map((r) => [
      r.id,
      { unitId: r.unitId, name: personal ? ctx.vault.decrypt(r.nameEnc) : `#${r.id.slice(0, 8)}` },
    ]),
  );
}
