// Contacts: a customer's visits and purchases (when, where, with whom, what, for how much).
import { and, asc, desc, eq, getTableColumns, gte, inArray, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { customerIdsByExternalId } from '../customers/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  type FieldError,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';
import { unitIdsByExternalId, visibleUnitIds } from '../units/index.js';

const { contacts, employees } = tables;

export const contactInput = z
  .object({
    externalId: z.string().trim().min(1).max(200).nullish(),
    customerId: z.uuid().optional(),
    customerExternalId: z.string().trim().min(1).max(200).optional(),
    unitId: z.uuid().optional(),
    unitExternalId: z.string().trim().min(1).max(200).optional(),
    employeeId: z.uuid().nullish(),
    service: z.string().trim().max(200).nullish(),
    amountMinor: z
      .number()
      .int('Minor units (kopecks): an integer')
      .min(0)
      .max(Number.MAX_SAFE_INTEGER)
      .nullish()
      .openapi({ description: 'Amount in minor units, e.g. kopecks: 150000 = 1,500.00 RUB' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as RUB')
      .default('RUB'),
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .superRefine((c, issue) => {
    if (!c.customerId && !c.customerExternalId) {
      issue.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'Give customerId or customerExternalId',
      });
    }
    if (!c.unitId && !c.unitExternalId) {
      issue.addIssue({ code: 'custom', path: ['unitId'], message: 'Give unitId or unitExternalId' });
    }
  });
export const contactBatch = z.object({ items: z.array(contactInput).min(1).max(1000) });
export const contactListQuery = pageQuery.extend({
  customerId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

type Row = typeof contacts.$inferSelect;

export interface ContactView {
  id: string;
  externalId: string | null;
  customerId: string;
  unitId: string;
  employeeId: string | null;
  service: string | null;
  amountMinor: number | null;
  currency: string;
  occurredAt: string;
}

const viewOf = (r: Row): ContactView => ({
  id: r.id,
  externalId: r.externalId,
  customerId: r.customerId,
  unitId: r.unitId,
  employeeId: r.employeeId,
  service: r.service,
  amountMinor: r.amountMinor,
  currency: r.currency,
  occurredAt: r.occurredAt.toISOString(),
});

/** Records visits; one with a known externalId is updated (imports and webhooks may send it again). */
export async function recordContacts(ctx: Ctx, input: z.input<typeof contactInput>[]) {
  requireRole(ctx, ...canWrite);
  const items = input.map((i) => contactInput.parse(i));
  const customerIds = await customerIdsByExternalId(ctx, [
    ...new Set(items.flatMap((i) => i.customerExternalId ?? [])),
  ]);
  const unitIds = await unitIdsByExternalId(ctx, [...new Set(items.flatMap((i) => i.unitExternalId ?? []))]);
  const employeeIds = [...new Set(items.flatMap((i) => i.employeeId ?? []))];
  const knownEmployees = new Set(
    employeeIds.length
      ? (
          await ctx.db
            .select({ id: employees.id })
            .from(employees)
            .where(and(eq(employees.orgId, ctx.orgId), inArray(employees.id, employeeIds)))
        ).map((e) => e.id)
      : [],
  );
  const errors: FieldError[] = [];
  const rows = items.map((c, index) => {
    const customerId = c.customerId ?? customerIds.get(c.customerExternalId!);
    const unitId = c.unitId ?? unitIds.get(c.unitExternalId!);
    const at = input.length > 1 ? `items.${index}.` : '';
    if (!customerId)
      errors.push({ path: `${at}customerExternalId`, message: 'No customer with this externalId' });
    if (!unitId) errors.push({ path: `${at}unitExternalId`, message: 'No unit with this externalId' });
    if (c.employeeId && !knownEmployees.has(c.employeeId)) {
      errors.push({ path: `${at}employeeId`, message: 'No employee with this id in your organisation' });
    }
    return {
      orgId: ctx.orgId,
      externalId: c.externalId ?? null,
      customerId: customerId ?? '',
      unitId: unitId ?? '',
      employeeId: c.employeeId ?? null,
      service: c.service ?? null,
      amountMinor: c.amountMinor ?? null,
      currency: c.currency,
      occurredAt: new Date(c.occurredAt),
      createdAt: ctx.clock(),
    };
  });
  if (errors.length) throw new AppError('invalid_input', errors[0]!.message, { errors });
  try {
    const result = await ctx.db
      .insert(contacts)
      .values(rows)
      .onConflictDoUpdate({
        target: [contacts.orgId, contacts.externalId],
        set: {
          customerId: sql`excluded.customer_id`,
          unitId: sql`excluded.unit_id`,
          employeeId: sql`excluded.employee_id`,
          service: sql`excluded.service`,
          amountMinor: sql`excluded.amount_minor`,
          currency: sql`excluded.currency`,
          occurredAt: sql`excluded.occurred_at`,
        },
      })
      .returning({ ...getTableColumns(contacts), inserted: sql<boolean>`(xmax = 0)` });
    const created = result.filter((r) => r.inserted).length;
    return { items: result.map(viewOf), created, updated: result.length - created };
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError('invalid_input', 'Unknown customer or unit', {
        errors: [
          { path: 'customerId', message: 'Check customerId and unitId: one is not in your organisation' },
        ],
      });
    }
    throw error;
  }
}

export async function getContact(ctx: Ctx, id: string): Promise<ContactView> {
  const [row] = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, id)));
  const visible = await visibleUnitIds(ctx);
  if (!row || (visible && !visible.has(row.unitId))) throw notFound('Contact');
  return viewOf(row);
}

/** Newest first. */
export async function listContacts(ctx: Ctx, query: z.input<typeof contactListQuery>) {
  const q = contactListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const visible = await visibleUnitIds(ctx);
  if (visible && visible.size === 0) return { items: [], nextCursor: null };
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.orgId, ctx.orgId),
        q.customerId ? eq(contacts.customerId, q.customerId) : undefined,
        q.unitId ? eq(contacts.unitId, q.unitId) : undefined,
        visible ? inArray(contacts.unitId, [...visible]) : undefined,
        q.from ? gte(contacts.occurredAt, new Date(q.from)) : undefined,
        q.to ? lt(contacts.occurredAt, new Date(q.to)) : undefined,
        cursor
          ? or(
              lt(contacts.occurredAt, new Date(cursor.at)),
              and(eq(contacts.occurredAt, new Date(cursor.at)), lt(contacts.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(contacts.occurredAt), desc(contacts.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.occurredAt, r.id]);
  return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
}

export async function deleteContact(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  await getContact(ctx, id);
  await ctx.db.delete(contacts).where(and(eq(contacts.orgId, ctx.orgId), eq(contacts.id, id)));
}

/** Contacts by id with what an invitation needs from them. */
export async function contactsByIds(ctx: Ctx, ids: string[]) {
  if (ids.length === 0) return new Map<string, Row>();
  const rows = await ctx.db
    .select()
    .from(contacts)
    .where(and(eq(contacts.orgId, ctx.orgId), inArray(contacts.id, ids)))
    .orderBy(asc(contacts.occurredAt));
  return new Map(rows.map((r) => [r.id, r]));
}
