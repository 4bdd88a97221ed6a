// Customers as the accounting system knows them, upserted by external id; personal fields encrypted at rest.
import { and, asc, eq, getTableColumns, gt, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { normalisePhone } from '../privacy/index.js';
import { customerPseudonym } from '../privacy/pseudonym.js';
import { visibleUnitIds } from '../units/index.js';

const { customers } = tables;

const phone = z
  .string()
  .trim()
  .max(40)
  .refine((p) => /^\+?[\d\s()-]{7,}$/.test(p) && normalisePhone(p).length >= 7, 'Not a phone number');

export const customerInput = z.object({
  externalId: z.string().trim().min(1).max(200).nullish(),
  name: z.string().trim().max(200).nullish(),
  email: z.email().max(254).nullish(),
  phone: phone.nullish(),
  locale: z.enum(['ru', 'en']).nullish(),
  homeUnitId: z.uuid().nullish(),
});
export const customerBatch = z.object({ items: z.array(customerInput).min(1).max(1000) });
export const customerPatch = customerInput.omit({ externalId: true });
export const customerListQuery = pageQuery.extend({
  email: z.string().optional(),
  phone: z.string().optional(),
  externalId: z.string().optional(),
});

export interface CustomerView {
  id: string;
  /** The stable pseudonym every view and export gives this customer (C-XXXXXXXXXX). */
  pseudonym: string;
  externalId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  locale: 'ru' | 'en' | null;
  homeUnitId: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = typeof customers.$inferSelect;

function viewOf(ctx: Ctx, r: Row): CustomerView {
  // Analysts work on pseudonymised data: the pseudonym stands for the name; no contact details, and no id of the
  // accounting system, which the business can tie to the person.
  const personal = seesPersonalData(ctx);
  const pseudonym = customerPseudonym(ctx, r.id);
  return {
    id: r.id,
    pseudonym,
    externalId: personal ? r.externalId : null,
    name: personal ? ctx.vault.decrypt(r.nameEnc) : pseudonym,
    email: personal ? ctx.vault.decrypt(r.emailEnc) : null,
    phone: personal ? ctx.vault.decrypt(r.phoneEnc) : null,
    locale: r.locale,
    homeUnitId: r.homeUnitId,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function sealed(ctx: Ctx, c: z.output<typeof customerPatch>) {
  return {
    ...(c.name !== undefined && { nameEnc: ctx.vault.encrypt(c.name ?? null) }),
    ...(c.email !== undefined && {
      emailEnc: ctx.vault.encrypt(c.email ?? null),
      emailBidx: c.email ? ctx.vault.blindIndex('email', c.email) : null,
    }),
    ...(c.phone !== undefined && {
      phoneEnc: ctx.vault.encrypt(c.phone ?? null),
      phoneBidx: c.phone ? ctx.vault.blindIndex('phone', c.phone) : null,
    }),
    ...(c.locale !== undefined && { locale: c.locale ?? null }),
    ...(c.homeUnitId !== undefined && { homeUnitId: c.homeUnitId ?? null }),
  };
}

/**
 * The encrypted columns of a customer's personal fields (absent ones null): for bulk writers such as imports,
 * so that sealing lives in one place.
 */
export function sealCustomer(
  ctx: Ctx,
  c: { name?: string | null; email?: string | null; phone?: string | null },
) {
  const s = sealed(ctx, { name: c.name ?? null, email: c.email ?? null, phone: c.phone ?? null });
  return {
    nameEnc: s.nameEnc ?? null,
    emailEnc: s.emailEnc ?? null,
    emailBidx: s.emailBidx ?? null,
    phoneEnc: s.phoneEnc ?? null,
    phoneBidx: s.phoneBidx ?? null,
  };
}

/**
 * Creates customers, or updates those whose externalId is known (fields left out keep their value).
 * One statement for the whole batch; a batch with an unknown unit is refused whole.
 */
export async function upsertCustomers(
  ctx: Ctx,
  items: z.input<typeof customerInput>[],
): Promise<{ items: CustomerView[]; created: number; updated: number }> {
  requireRole(ctx, ...canWrite);
  const parsed = items.map((i) => customerInput.parse(i));
  const seen = new Map<string, number>();
  parsed.forEach((c, index) => {
    if (!c.externalId) return;
    const first = seen.get(c.externalId);
    if (first !== undefined) {
      throw new AppError('invalid_input', 'The same externalId appears twice in one batch', {
        errors: [{ path: `items.${index}.externalId`, message: `Same as items.${first}.externalId` }],
      });
    }
    seen.set(c.externalId, index);
  });
  const now = ctx.clock();
  const rows = parsed.map((c) => ({
    orgId: ctx.orgId,
    externalId: c.externalId ?? null,
    nameEnc: null,
    emailEnc: null,
    emailBidx: null,
    phoneEnc: null,
    phoneBidx: null,
    locale: null,
    homeUnitId: null,
    ...sealed(ctx, c),
    createdAt: now,
    updatedAt: now,
  }));
  // An upsert never erases what the accounting system left out: a field absent or null keeps its value
  // (PATCH with null clears one).
  const keep = (column: string) => sql.raw(`coalesce(excluded.${column}, customers.${column})`);
  try {
    const result = await ctx.db
      .insert(customers)
      .values(rows)
      .onConflictDoUpdate({
        target: [customers.orgId, customers.externalId],
        set: {
          nameEnc: keep('name_enc'),
          emailEnc: keep('email_enc'),
          emailBidx: keep('email_bidx'),
          phoneEnc: keep('phone_enc'),
          phoneBidx: keep('phone_bidx'),
          locale: keep('locale'),
          homeUnitId: keep('home_unit_id'),
          updatedAt: now,
        },
      })
      // xmax is 0 for a freshly inserted row version and set for one the upsert updated.
      .returning({ ...getTableColumns(customers), inserted: sql<boolean>`(xmax = 0)` });
    const created = result.filter((r) => r.inserted).length;
    return { items: result.map((r) => viewOf(ctx, r)), created, updated: result.length - created };
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError('invalid_input', 'Unknown home unit', {
        errors: [{ path: 'homeUnitId', message: 'No unit with this id in your organisation' }],
      });
    }
    throw error;
  }
}

/**
 * For a user scoped to units (a manager, the front line): only customers whose home unit is one of theirs or who
 * visited one of them. Customers are the organisation's, but a branch's people see their branch's customers only.
 */
async function inScope(ctx: Ctx) {
  const visible = await visibleUnitIds(ctx);
  if (visible === null) return undefined;
  if (visible.size === 0) return sql`false`;
  const ids = [...visible];
  // contacts is read here (not through its module) because contacts depends on this module.
  const { contacts } = tables;
  return or(
    inArray(customers.homeUnitId, ids),
    sql`exists (select 1 from ${contacts} where ${contacts.orgId} = ${customers.orgId}
      and ${contacts.customerId} = ${customers.id} and ${inArray(contacts.unitId, ids)})`,
  );
}

async function findCustomer(ctx: Ctx, id: string): Promise<Row> {
  const [row] = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, id), await inScope(ctx)));
  if (!row) throw notFound('Customer');
  return row;
}

export async function getCustomer(ctx: Ctx, id: string): Promise<CustomerView> {
  return viewOf(ctx, await findCustomer(ctx, id));
}

export async function listCustomers(ctx: Ctx, query: z.input<typeof customerListQuery>) {
  const q = customerListQuery.parse(query);
  // A look-up by e-mail, phone or accounting id would tell an analyst whether a known person is a customer.
  if (!seesPersonalData(ctx) && (q.email || q.phone || q.externalId))
    throw new AppError(
      'forbidden',
      'Analysts work on pseudonymised data: no search by e-mail, phone or externalId',
    );
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.orgId, ctx.orgId),
        await inScope(ctx),
        // Any key of the keyring: during a key rotation some rows still carry the old key's index.
        q.email ? inArray(customers.emailBidx, ctx.vault.blindIndexes('email', q.email)) : undefined,
        q.phone ? inArray(customers.phoneBidx, ctx.vault.blindIndexes('phone', q.phone)) : undefined,
        q.externalId ? eq(customers.externalId, q.externalId) : undefined,
        cursor
          ? or(
              gt(customers.createdAt, new Date(cursor.at)),
              and(eq(customers.createdAt, new Date(cursor.at)), gt(customers.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: page.items.map((r) => viewOf(ctx, r)), nextCursor: page.nextCursor };
}

export async function updateCustomer(ctx: Ctx, id: string, input: z.input<typeof customerPatch>) {
  requireRole(ctx, ...canWrite);
  const patch = customerPatch.parse(input);
  await findCustomer(ctx, id);
  const [row] = await ctx.db
    .update(customers)
    .set({ ...sealed(ctx, patch), updatedAt: ctx.clock() })
    .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, id)))
    .returning();
  return viewOf(ctx, row!);
}

/** Deletes a customer with their visits and invitations; their answers stay, detached from them. */
export async function deleteCustomer(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  await findCustomer(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(tables.responses)
      .set({ customerId: null, contactId: null })
      .where(and(eq(tables.responses.orgId, ctx.orgId), eq(tables.responses.customerId, id)));
    await tx.delete(customers).where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, id)));
  });
}

/** The customers that exist among `ids`, with their home unit and locale (for invitations and contacts). */
export async function customersByIds(ctx: Ctx, ids: string[]) {
  if (ids.length === 0) return new Map<string, Pick<Row, 'id' | 'homeUnitId' | 'locale'>>();
  const rows = await ctx.db
    .select({ id: customers.id, homeUnitId: customers.homeUnitId, locale: customers.locale })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), inArray(customers.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function customerIdsByExternalId(ctx: Ctx, externalIds: string[]): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: customers.id, externalId: customers.externalId })
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), inArray(customers.externalId, externalIds)));
  return new Map(rows.map((r) => [r.externalId!, r.id]));
}
