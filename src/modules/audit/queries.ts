/**
 * @module The audit's SQL. It reads the customers, contacts, units and suppressions of the organisation directly,
 * read-only: measuring a base of a million customers through other rooms' page-at-a-time service functions would
 * take hours, while fill rates, depth and recency are single aggregate scans. Only e-mails and phones leave the
 * database, in keyset-paginated batches, to be decrypted and checked.
 */
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';

/** The units whose customers and contacts are measured; null = the whole organisation. */
export type UnitScope = readonly string[] | null;

/** One array parameter rather than one parameter per unit (a large tree would exceed the protocol's limit). */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** Contacts (alias k) in scope. */
function contactInScope(scope: UnitScope): SQL {
  return scope === null ? sql`true` : sql`k.unit_id = any(${uuidArray(scope)})`;
}

/** Customers (alias c) in scope: their home unit is in it, or they have a contact there. */
function customerInScope(scope: UnitScope): SQL {
  if (scope === null) return sql`true`;
  return sql`(c.home_unit_id = any(${uuidArray(scope)}) or exists (
    select 1 from contacts k where k.org_id = c.org_id and k.customer_id = c.id and ${contactInScope(scope)}))`;
}

async function one<T>(ctx: Ctx, query: SQL): Promise<T> {
  return rowsOf<T>(await ctx.db.execute(query))[0]!;
}

export interface CustomerFacts {
  customers: number;
  optedOut: number;
  withExternalId: number;
  withHomeUnit: number;
}

export function customerFacts(ctx: Ctx, scope: UnitScope): Promise<CustomerFacts> {
  return one(
    ctx,
    sql`select count(*)::int as "customers",
      count(*) filter (where c.opted_out_at is not null)::int as "optedOut",
      count(*) filter (where c.external_id is not null)::int as "withExternalId",
      count(*) filter (where c.home_unit_id is not null)::int as "withHomeUnit"
    from customers c where c.org_id = ${ctx.orgId} and ${customerInScope(scope)}`,
  );
}

/** Blind indexes held by more than one customer in scope: the duplicates, found without decrypting anything. */
export async function sharedKeys(
  ctx: Ctx,
  scope: UnitScope,
): Promise<{ email: Set<string>; phone: Set<string> }> {
  const rows = rowsOf<{ kind: 'email' | 'phone'; key: string }>(
    await ctx.db.execute(sql`
      select 'email' as kind, c.email_bidx as key from customers c
        where c.org_id = ${ctx.orgId} and c.email_bidx is not null and ${customerInScope(scope)}
        group by c.email_bidx having count(*) > 1
      union all
      select 'phone' as kind, c.phone_bidx as key from customers c
        where c.org_id = ${ctx.orgId} and c.phone_bidx is not null and ${customerInScope(scope)}
        group by c.phone_bidx having count(*) > 1`),
  );
  const email = new Set<string>();
  const phone = new Set<string>();
  for (const r of rows) (r.kind === 'email' ? email : phone).add(r.key);
  return { email, phone };
}

export interface SealedPoints {
  id: string;
  emailEnc: string | null;
  emailBidx: string | null;
  phoneEnc: string | null;
  phoneBidx: string | null;
  optedOut: boolean;
  emailSuppressed: boolean;
  phoneSuppressed: boolean;
}

/** The next batch of customers with an e-mail or a phone, after `after` in primary-key order (keyset pagination). */
export function sealedPointsAfter(
  ctx: Ctx,
  scope: UnitScope,
  after: string | null,
  limit: number,
): Promise<SealedPoints[]> {
  return ctx.db
    .execute(sql`
      select c.id, c.email_enc as "emailEnc", c.email_bidx as "emailBidx", c.phone_enc as "phoneEnc",
        c.phone_bidx as "phoneBidx", (c.opted_out_at is not null) as "optedOut",
        exists (select 1 from suppressions s where s.org_id = c.org_id and s.channel = 'email'
          and s.address_bidx = c.email_bidx) as "emailSuppressed",
        exists (select 1 from suppressions s where s.org_id = c.org_id and s.channel = 'sms'
          and s.address_bidx = c.phone_bidx) as "phoneSuppressed"
      from customers c
      where c.org_id = ${ctx.orgId} ${after === null ? sql`` : sql`and c.id > ${after}::uuid`}
        and (c.email_enc is not null or c.phone_enc is not null) and ${customerInScope(scope)}
      order by c.id
      limit ${limit}`)
    .then((r) => rowsOf<SealedPoints>(r));
}

export interface ContactFacts {
  contacts: number;
  /** At a branch or a department, not booked to the company or a region as a whole. */
  withBranch: number;
  withEmployee: number;
  withService: number;
  withAmount: number;
  withExternalId: number;
  /** With a time of day: not exactly local midnight (an export of dates only lands there). */
  withTime: number;
  /** Epoch seconds of the first and last contact; null without contacts. */
  firstAt: number | null;
  lastAt: number | null;
}

export function contactFacts(ctx: Ctx, scope: UnitScope, timeZone: string): Promise<ContactFacts> {
  return one(
    ctx,
    sql`select count(*)::int as "contacts",
      count(*) filter (where u.kind in ('branch', 'department'))::int as "withBranch",
      count(*) filter (where k.employee_id is not null)::int as "withEmployee",
      count(*) filter (where nullif(btrim(k.service), '') is not null)::int as "withService",
      count(*) filter (where k.amount_minor is not null)::int as "withAmount",
      count(*) filter (where k.external_id is not null)::int as "withExternalId",
      count(*) filter (where (k.occurred_at at time zone ${timeZone})::time <> time '00:00')::int as "withTime",
      extract(epoch from min(k.occurred_at))::float8 as "firstAt",
      extract(epoch from max(k.occurred_at))::float8 as "lastAt"
    from contacts k join units u on u.org_id = k.org_id and u.id = k.unit_id
    where k.org_id = ${ctx.orgId} and ${contactInScope(scope)}`,
  );
}

export interface CustomerHistory {
  /** Customers with at least one contact in scope. */
  withContacts: number;
  /** Customers whose last contact is on or after each cut (30, 90, 365 days). */
  recent30: number;
  recent90: number;
  recent365: number;
  /** Customers whose first and last contacts are at least 12 months apart. */
  span12Months: number;
  /** Customers by number of contacts in the last 365 days (those with none are the rest of the base). */
  visits1: number;
  visits2to4: number;
  visits5to12: number;
  visits13to52: number;
  visits53plus: number;
}

export function customerHistory(
  ctx: Ctx,
  scope: UnitScope,
  cuts: { d30: Date; d90: Date; d365: Date },
): Promise<CustomerHistory> {
  const d30 = cuts.d30.toISOString();
  const d90 = cuts.d90.toISOString();
  const d365 = cuts.d365.toISOString();
  return one(
    ctx,
    sql`with per_customer as (
      select k.customer_id, min(k.occurred_at) as first_at, max(k.occurred_at) as last_at,
        count(*) filter (where k.occurred_at >= ${d365}::timestamptz) as year_visits
      from contacts k where k.org_id = ${ctx.orgId} and ${contactInScope(scope)}
      group by k.customer_id
    )
    select count(*)::int as "withContacts",
      count(*) filter (where last_at >= ${d30}::timestamptz)::int as "recent30",
      count(*) filter (where last_at >= ${d90}::timestamptz)::int as "recent90",
      count(*) filter (where last_at >= ${d365}::timestamptz)::int as "recent365",
      count(*) filter (where last_at >= first_at + interval '12 months')::int as "span12Months",
      count(*) filter (where year_visits = 1)::int as "visits1",
      count(*) filter (where year_visits between 2 and 4)::int as "visits2to4",
      count(*) filter (where year_visits between 5 and 12)::int as "visits5to12",
      count(*) filter (where year_visits between 13 and 52)::int as "visits13to52",
      count(*) filter (where year_visits > 52)::int as "visits53plus"
    from per_customer`,
  );
}
