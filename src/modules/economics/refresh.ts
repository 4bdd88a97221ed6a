// The per-customer cache the economics read: built whole with set-based SQL (one GROUP BY over contacts, one over
// answers), then kept current by recomputing only the customers whose contacts, answers or marks changed.
import { eq, type SQL, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { type EconomicsSettings, getEconomicsSettings } from './settings.js';

const { economicsState } = tables;

/** The cache is rebuilt whole at least this often: the window and the churn cut slide with the calendar. */
export const FULL_REFRESH_MS = 24 * 3_600_000;
const YEAR_SECONDS = 365.25 * 86_400;
const MONTH_SECONDS = 30 * 86_400;

export interface RefreshReport {
  kind: 'full' | 'incremental' | 'none';
  customers: number;
  durationMs: number;
  asOf: string;
}

export type CacheState = typeof economicsState.$inferSelect;

const settingsKeyOf = (s: EconomicsSettings, currency: string) =>
  `${s.windowMonths}:${s.churnDays}:${currency}`;

interface Watermarks {
  contacts_created_max: string | null;
  contacts_seen: number | string;
  answered_max: string | null;
  amended_max: string | null;
  marks_max: string | null;
}

async function watermarksOf(ctx: Ctx): Promise<Watermarks> {
  const [row] = rowsOf<Watermarks>(
    await ctx.db.execute(sql`
      select (select max(created_at)::text from contacts where org_id = ${ctx.orgId}) as contacts_created_max,
             (select count(*) from contacts where org_id = ${ctx.orgId}) as contacts_seen,
             (select max(answered_at)::text from responses where org_id = ${ctx.orgId} and customer_id is not null) as answered_max,
             (select max(amended_at)::text from responses where org_id = ${ctx.orgId} and customer_id is not null) as amended_max,
             (select max(updated_at)::text from economics_customer_marks where org_id = ${ctx.orgId}) as marks_max`),
  );
  return row!;
}

/**
 * The customers' facts for `filter` (a condition on `customer_id`): one aggregate over the customer's contacts,
 * the latest answer, and the marks. Definitions (see also src/domain/economics.ts):
 * - revenue: Σ amounts in the window in the org's currency (refunds are negative amounts); missing amounts count
 *   as visits without revenue; other currencies are left out;
 * - lost: flagged churned by the import, or no contact in the last `churnDays` days;
 * - exposure: years within the window between the later of (window start, first contact) and, for a lost
 *   customer, a month after the last contact (else as-of) — at least a month for anyone with a contact in it;
 * - tenure (for churn): first contact → churn (flag or last contact) or, if not lost, the churn cut (as-of −
 *   churnDays), at least a month; 0 for customers who came after the cut (not at risk yet).
 */
function factsInsert(ctx: Ctx, s: EconomicsSettings, currency: string, asOf: Date, filter: SQL): SQL {
  const org = ctx.orgId;
  const at = asOf.toISOString();
  const windowStart = new Date(asOf);
  windowStart.setUTCMonth(windowStart.getUTCMonth() - s.windowMonths);
  const ws = windowStart.toISOString();
  const cut = new Date(asOf.getTime() - s.churnDays * 86_400_000).toISOString();
  return sql`
    insert into economics_customer_facts (org_id, customer_id, unit_id, first_contact_at, last_contact_at,
      contacts_total, contacts_window, revenue_window_minor, refunds_window_minor, has_revenue, exposure_years,
      tenure_years, lost, score, segment, answered_at, referred_by_customer_id, computed_at)
    with k as (
      select customer_id, min(occurred_at) as first_at, max(occurred_at) as last_at, count(*)::int as total,
             (count(*) filter (where occurred_at >= ${ws}::timestamptz))::int as in_window,
             coalesce(sum(amount_minor) filter (where occurred_at >= ${ws}::timestamptz and currency = ${currency}), 0) as revenue,
             coalesce(sum(-amount_minor) filter (where occurred_at >= ${ws}::timestamptz and currency = ${currency} and amount_minor < 0), 0) as refunds,
             coalesce(bool_or(amount_minor is not null and currency = ${currency} and occurred_at >= ${ws}::timestamptz), false) as has_revenue
      from contacts
      where org_id = ${org} and occurred_at <= ${at}::timestamptz and ${filter}
      group by customer_id
    ),
    a as (
      select distinct on (customer_id) customer_id, score, answered_at, unit_id
      from responses
      where org_id = ${org} and customer_id is not null and answered_at <= ${at}::timestamptz and ${filter}
      order by customer_id, answered_at desc
    ),
    f as (
      select k.*, c.home_unit_id, a.score, a.answered_at, a.unit_id as answer_unit, m.referred_by_customer_id,
             case when m.churned_at <= ${at}::timestamptz then m.churned_at end as churned_at
      from k
      join customers c on c.org_id = ${org} and c.id = k.customer_id
      left join a on a.customer_id = k.customer_id
      left join economics_customer_marks m on m.org_id = ${org} and m.customer_id = k.customer_id
    ),
    g as (
      select f.*, (f.churned_at is not null or f.last_at < ${cut}::timestamptz) as is_lost from f
    )
    select ${org}, customer_id, coalesce(home_unit_id, answer_unit), first_at, last_at, total, in_window, revenue,
           refunds, has_revenue,
           greatest(extract(epoch from (
               case when is_lost then least(${at}::timestamptz, coalesce(churned_at, last_at) + interval '30 days')
                    else ${at}::timestamptz end) - greatest(${ws}::timestamptz, first_at)),
             case when in_window > 0 then ${MONTH_SECONDS} else 0 end) / ${YEAR_SECONDS},
           case when not is_lost and first_at >= ${cut}::timestamptz then 0
                else greatest(extract(epoch from (
                       case when churned_at is not null then churned_at
                            when is_lost then last_at else ${cut}::timestamptz end) - first_at),
                     ${MONTH_SECONDS}) / ${YEAR_SECONDS} end,
           is_lost, score,
           case when score >= 9 then 'promoter' when score >= 7 then 'passive' when score is not null then 'detractor' end,
           answered_at, referred_by_customer_id, ${at}::timestamptz
    from g`;
}

/**
 * Services bought in the window per customer, with the customer's segment and unit copied from the facts written
 * just before (same transaction), so a basket is one GROUP BY over this table with no join.
 */
function servicesInsert(ctx: Ctx, s: EconomicsSettings, currency: string, asOf: Date, filter: SQL): SQL {
  const windowStart = new Date(asOf);
  windowStart.setUTCMonth(windowStart.getUTCMonth() - s.windowMonths);
  return sql`
    insert into economics_customer_services (org_id, customer_id, service, visits, spend_minor, segment, unit_id)
    select ${ctx.orgId}, b.customer_id, b.service, b.visits, b.spend, f.segment, f.unit_id
    from (
      select customer_id, btrim(service) as service, count(*)::int as visits,
             coalesce(sum(amount_minor) filter (where currency = ${currency}), 0) as spend
      from contacts
      where org_id = ${ctx.orgId} and service is not null and btrim(service) <> ''
        and occurred_at >= ${windowStart.toISOString()}::timestamptz and occurred_at <= ${asOf.toISOString()}::timestamptz
        and ${filter}
      group by customer_id, btrim(service)
    ) b
    join economics_customer_facts f on f.org_id = ${ctx.orgId} and f.customer_id = b.customer_id`;
}

export async function cacheState(ctx: Ctx): Promise<CacheState | null> {
  const [row] = await ctx.db.select().from(economicsState).where(eq(economicsState.orgId, ctx.orgId));
  return row ?? null;
}

/**
 * Brings the cache up to date: whole when it is missing, older than a day, built with other settings, or contacts
 * were deleted; otherwise only the customers with newer contacts, answers or marks. `force: 'full'` rebuilds.
 */
export async function refreshEconomics(ctx: Ctx, options: { force?: 'full' } = {}): Promise<RefreshReport> {
  const started = performance.now();
  const asOf = ctx.clock();
  const settings = await getEconomicsSettings(ctx);
  const org = await getOrg(ctx);
  const key = settingsKeyOf(settings, org.currency);
  const state = await cacheState(ctx);
  const marks = await watermarksOf(ctx);
  const seen = Number(marks.contacts_seen);

  const full =
    options.force === 'full' ||
    !state ||
    state.settingsKey !== key ||
    asOf.getTime() - state.fullAt.getTime() >= FULL_REFRESH_MS ||
    asOf.getTime() < state.fullAt.getTime() ||
    seen < state.contactsSeen;

  let customers = 0;
  if (full) {
    await ctx.db.transaction(async (tx) => {
      await tx.execute(lockOf(ctx));
      await tx.execute(roomToAggregate);
      await tx.execute(sql`delete from economics_customer_facts where org_id = ${ctx.orgId}`);
      await tx.execute(sql`delete from economics_customer_services where org_id = ${ctx.orgId}`);
      const r = await tx.execute(factsInsert(ctx, settings, org.currency, asOf, sql`true`));
      customers = affected(r);
      await tx.execute(servicesInsert(ctx, settings, org.currency, asOf, sql`true`));
    });
  } else {
    const changed = changedFilter(ctx, state);
    const nothingNew =
      same(state.contactsCreatedMax, marks.contacts_created_max) &&
      same(state.answeredMax, marks.answered_max) &&
      same(state.amendedMax, marks.amended_max) &&
      same(state.marksMax, marks.marks_max) &&
      seen === state.contactsSeen;
    if (nothingNew) {
      await ctx.db
        .update(economicsState)
        .set({ refreshedAt: asOf })
        .where(eq(economicsState.orgId, ctx.orgId));
      return { kind: 'none', customers: 0, durationMs: 0, asOf: asOf.toISOString() };
    }
    await ctx.db.transaction(async (tx) => {
      await tx.execute(lockOf(ctx));
      await tx.execute(roomToAggregate);
      const ids = rowsOf<{ customer_id: string }>(await tx.execute(sql`${changed}`)).map(
        (r) => r.customer_id,
      );
      customers = ids.length;
      if (ids.length === 0) return;
      const list = sql`customer_id = any(${`{${ids.join(',')}}`}::uuid[])`;
      await tx.execute(sql`delete from economics_customer_facts where org_id = ${ctx.orgId} and ${list}`);
      await tx.execute(sql`delete from economics_customer_services where org_id = ${ctx.orgId} and ${list}`);
      await tx.execute(factsInsert(ctx, settings, org.currency, asOf, list));
      await tx.execute(servicesInsert(ctx, settings, org.currency, asOf, list));
    });
  }
  const durationMs = Math.round(performance.now() - started);
  const values = {
    settingsKey: key,
    fullAt: full ? asOf : (state as CacheState).fullAt,
    refreshedAt: asOf,
    contactsCreatedMax: marks.contacts_created_max,
    answeredMax: marks.answered_max,
    amendedMax: marks.amended_max,
    marksMax: marks.marks_max,
    contactsSeen: seen,
    lastDurationMs: durationMs,
    lastKind: full ? ('full' as const) : ('incremental' as const),
  };
  await ctx.db
    .insert(economicsState)
    .values({ orgId: ctx.orgId, ...values })
    .onConflictDoUpdate({ target: economicsState.orgId, set: values });
  return { kind: full ? 'full' : 'incremental', customers, durationMs, asOf: asOf.toISOString() };
}

/** One refresh per org at a time (two would insert the same customers): a transaction-scoped advisory lock. */
const lockOf = (ctx: Ctx) => sql`select pg_advisory_xact_lock(hashtext(${`economics:${ctx.orgId}`}))`;

/**
 * A million customers' GROUP BY does not fit PostgreSQL's default 4 MB of work memory: it spills to disk and the
 * build took 7 minutes instead of well under one. Only for this transaction, and only used as the data needs it.
 */
const roomToAggregate = sql`set local work_mem = '256MB'`;

const same = (a: string | null, b: string | null) => a === b;

/** Customers with a contact, an answer (new or amended) or a mark newer than what the cache has seen. */
function changedFilter(ctx: Ctx, state: CacheState): SQL {
  const after = (t: string | null) => (t === null ? sql`'-infinity'::timestamptz` : sql`${t}::timestamptz`);
  return sql`
    select customer_id from contacts where org_id = ${ctx.orgId} and created_at > ${after(state.contactsCreatedMax)}
    union
    select customer_id from responses where org_id = ${ctx.orgId} and customer_id is not null
      and (answered_at > ${after(state.answeredMax)} or amended_at > ${after(state.amendedMax)})
    union
    select customer_id from economics_customer_marks where org_id = ${ctx.orgId} and updated_at > ${after(state.marksMax)}`;
}

function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

/** A read looks for new data at most this often (the check counts the org's contacts). */
export const CHECK_EVERY_MS = 60_000;

/**
 * Keeps the cache current before a read: checks for new data when the last refresh is older than a minute, so a
 * dashboard's parallel requests cost one check; a whole rebuild of a large base happens here at most once a day.
 */
export async function ensureFresh(ctx: Ctx): Promise<CacheState> {
  const state = await cacheState(ctx);
  const age = state ? ctx.clock().getTime() - state.refreshedAt.getTime() : Number.POSITIVE_INFINITY;
  const key = settingsKeyOf(await getEconomicsSettings(ctx), (await getOrg(ctx)).currency);
  if (state && state.settingsKey === key && age >= 0 && age < CHECK_EVERY_MS) return state;
  await refreshEconomics(ctx);
  return (await cacheState(ctx)) as CacheState;
}
