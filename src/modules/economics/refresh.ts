// The per-customer cache the economics read: built whole with set-based SQL from each customer's running contact
// sums (kept by triggers on contacts, running.ts) and latest answer, then kept current by recomputing only the
// customers whose contacts, answers or marks changed.
import { eq, type SQL, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { runningCurrent, streamInCustomerOrder, syncRunning, windowStartOf } from './running.js';
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

/**
 * What the cache has seen. The newest contact is looked for only after the last one seen (the BRIN index on
 * created_at skips the pages written before it); the count catches deleted contacts (a rolled-back import).
 */
async function watermarksOf(ctx: Ctx, state: CacheState | null): Promise<Watermarks> {
  const since = state?.contactsCreatedMax ?? null;
  const newest =
    since === null
      ? sql`(select max(created_at) from contacts where org_id = ${ctx.orgId})`
      : sql`coalesce((select max(created_at) from contacts where org_id = ${ctx.orgId} and created_at >= ${since}::timestamptz), ${since}::timestamptz)`;
  const [row] = rowsOf<Watermarks>(
    await ctx.db.execute(sql`
      select ${newest}::text as contacts_created_max,
             (select count(*) from contacts where org_id = ${ctx.orgId}) as contacts_seen,
             (select max(answered_at)::text from responses where org_id = ${ctx.orgId} and customer_id is not null) as answered_max,
             (select max(amended_at)::text from responses where org_id = ${ctx.orgId} and customer_id is not null) as amended_max,
             (select max(updated_at)::text from economics_customer_marks where org_id = ${ctx.orgId}) as marks_max`),
  );
  return row!;
}

/**
 * The customers' facts for `filter` (a condition on `customer_id`): their contact sums, the latest answer, and the
 * marks. Definitions (see also src/domain/economics.ts):
 * - revenue: Σ amounts in the window in the org's currency (refunds are negative amounts); missing amounts count
 *   as visits without revenue; other currencies are left out;
 * - lost: flagged churned by the import, or no contact in the last `churnDays` days;
 * - exposure: years within the window between the later of (window start, first contact) and, for a lost
 *   customer, a month after the last contact (else as-of) — at least a month for anyone with a contact in it;
 * - tenure (for churn): first contact → churn (flag or last contact) or, if not lost, the churn cut (as-of −
 *   churnDays), at least a month; 0 for customers who came after the cut (not at risk yet);
 * - services: the trimmed service names bought in the window, each once, with the visits and spend (in the org's
 *   currency) of each, in three arrays in step.
 * The sums come from the running table (`from: 'running'`, kept by triggers on contacts and brought to this window by
 * `syncRunning`) — but for the rare customers with a contact after as-of, counted from their contacts up to as-of —
 * or all from contacts (`from: 'contacts'`, when the running sums count another window).
 */
function factsSelect(
  ctx: Ctx,
  s: EconomicsSettings,
  currency: string,
  asOf: Date,
  filter: SQL,
  from: 'running' | 'contacts',
): SQL {
  const org = ctx.orgId;
  const at = asOf.toISOString();
  const cut = new Date(asOf.getTime() - s.churnDays * 86_400_000).toISOString();
  const ws = windowStartOf(s, asOf).toISOString();
  const counted = (only: SQL) => contactSums(ctx, currency, asOf, ws, only);
  const sums =
    from === 'contacts'
      ? counted(filter)
      : sql`
      select customer_id, first_contact_at as first_at, last_contact_at as last_at, contacts_total as total,
             contacts_window as in_window, revenue_window_minor as revenue, refunds_window_minor as refunds,
             revenue_contacts > 0 as has_revenue, services, service_visits, service_spend
      from economics_customer_running
      where org_id = ${org} and last_contact_at <= ${at}::timestamptz and ${filter}
      union all
      ${counted(sql`customer_id in (select customer_id from economics_customer_running
                                    where org_id = ${org} and last_contact_at > ${at}::timestamptz and ${filter})`)}`;
  return sql`
    with k as (${sums}),
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
    select ${org}::uuid as org_id, customer_id, coalesce(home_unit_id, answer_unit) as unit_id, first_at, last_at,
           total, in_window, revenue, refunds, has_revenue,
           greatest(extract(epoch from (
               case when is_lost then least(${at}::timestamptz, coalesce(churned_at, last_at) + interval '30 days')
                    else ${at}::timestamptz end) - greatest(${ws}::timestamptz, first_at)),
             case when in_window > 0 then ${MONTH_SECONDS} else 0 end) / ${YEAR_SECONDS} as exposure_years,
           case when not is_lost and first_at >= ${cut}::timestamptz then 0
                else greatest(extract(epoch from (
                       case when churned_at is not null then churned_at
                            when is_lost then last_at else ${cut}::timestamptz end) - first_at),
                     ${MONTH_SECONDS}) / ${YEAR_SECONDS} end as tenure_years,
           is_lost, score,
           case when score >= 9 then 'promoter' when score >= 7 then 'passive' when score is not null then 'detractor' end as segment,
           answered_at, referred_by_customer_id, ${at}::timestamptz as computed_at, services, service_visits, service_spend
    from g`;
}

/**
 * The contact sums of the customers matching `filter`, counted from their contacts up to as-of — the definitions of
 * the running table's (drizzle/0017). The inner aggregate groups a customer's contacts by service in the window
 * (contacts before it, or without a service, fall in one group), the outer one folds those groups into the
 * customer's row. Over a whole organisation both stream over the index on (org_id, customer_id, occurred_at), which
 * carries the service, amount and currency (see `streamInCustomerOrder`).
 */
function contactSums(ctx: Ctx, currency: string, asOf: Date, ws: string, filter: SQL): SQL {
  return sql`
    select customer_id, min(first_at) as first_at, max(last_at) as last_at, sum(total)::int as total,
           sum(in_window)::int as in_window, sum(revenue)::bigint as revenue, sum(refunds)::bigint as refunds,
           bool_or(has_revenue) as has_revenue,
           coalesce(array_agg(svc order by svc) filter (where svc is not null), '{}') as services,
           coalesce(array_agg(in_window::int order by svc) filter (where svc is not null), '{}') as service_visits,
           coalesce(array_agg(revenue::bigint order by svc) filter (where svc is not null), '{}') as service_spend
    from (
      select customer_id,
             case when occurred_at >= ${ws}::timestamptz then nullif(btrim(service), '') end as svc,
             min(occurred_at) as first_at, max(occurred_at) as last_at, count(*) as total,
             count(*) filter (where occurred_at >= ${ws}::timestamptz) as in_window,
             coalesce(sum(amount_minor) filter (where occurred_at >= ${ws}::timestamptz and currency = ${currency}), 0)::bigint as revenue,
             coalesce(sum(-amount_minor) filter (where occurred_at >= ${ws}::timestamptz and currency = ${currency} and amount_minor < 0), 0)::bigint as refunds,
             bool_or(amount_minor is not null and currency = ${currency} and occurred_at >= ${ws}::timestamptz) as has_revenue
      from contacts
      where org_id = ${ctx.orgId} and occurred_at <= ${asOf.toISOString()}::timestamptz and ${filter}
      group by customer_id, 2
    ) as kk
    group by customer_id`;
}

const FACT_COLUMNS = sql`(org_id, customer_id, unit_id, first_contact_at, last_contact_at, contacts_total,
  contacts_window, revenue_window_minor, refunds_window_minor, has_revenue, exposure_years, tenure_years, lost, score,
  segment, answered_at, referred_by_customer_id, computed_at, services, service_visits, service_spend)`;

const factsInsert = (
  ctx: Ctx,
  s: EconomicsSettings,
  currency: string,
  asOf: Date,
  filter: SQL,
  from: 'running' | 'contacts',
): SQL =>
  sql`insert into economics_customer_facts ${FACT_COLUMNS} ${factsSelect(ctx, s, currency, asOf, filter, from)}`;

/**
 * The baskets' sums per segment, unit and service of the customers matching `filter`, times `sign`: the whole
 * build writes them once (sign 1); an incremental refresh subtracts the changed customers' old rows (−1) and adds
 * their new ones (1). A few thousand rows at most per refresh; the next whole build writes them afresh.
 */
function basketsInsert(ctx: Ctx, filter: SQL, sign: 1 | -1): SQL {
  return sql`
    insert into economics_baskets (org_id, segment, unit_id, service, buyers, visits, spend_minor)
    select ${ctx.orgId}, f.segment, f.unit_id, b.service, ${sign} * count(*), ${sign} * sum(b.visits),
           ${sign} * sum(b.spend)
    from economics_customer_facts f,
         unnest(f.services, f.service_visits, f.service_spend) as b(service, visits, spend)
    where f.org_id = ${ctx.orgId} and f.segment is not null and ${filter}
    group by f.segment, f.unit_id, b.service`;
}

export async function cacheState(ctx: Ctx): Promise<CacheState | null> {
  const [row] = await ctx.db.select().from(economicsState).where(eq(economicsState.orgId, ctx.orgId));
  return row ?? null;
}

export interface RefreshOptions {
  /** 'full' rebuilds whatever the state. */
  force?: 'full';
  /**
   * Who asks: 'read' (a dashboard request) never waits on a refresh already running and never rebuilds only
   * because the cache is a day old — that is the worker's job; 'background' (the worker, the CLI, POST /refresh)
   * waits its turn and rebuilds whole when due.
   */
  caller?: 'read' | 'background';
}

/** Why the cache must be built whole now (null: an incremental refresh will do). */
function fullReason(
  state: CacheState | null,
  key: string,
  seen: number,
  asOf: Date,
  options: RefreshOptions,
): string | null {
  if (options.force === 'full') return 'forced';
  if (!state) return 'first build';
  if (state.settingsKey !== key) return 'settings changed';
  if (seen < state.contactsSeen) return 'contacts deleted';
  if (asOf.getTime() < state.fullAt.getTime()) return 'clock went back';
  if (options.caller !== 'read' && asOf.getTime() - state.fullAt.getTime() >= FULL_REFRESH_MS)
    return 'a day old';
  return null;
}

/**
 * Brings the cache up to date: whole when it is missing, built with other settings, contacts were deleted, or (off
 * the request path) older than a day; otherwise only the customers with newer contacts, answers or marks.
 */
export async function refreshEconomics(ctx: Ctx, options: RefreshOptions = {}): Promise<RefreshReport> {
  const started = performance.now();
  const asOf = ctx.clock();
  const settings = await getEconomicsSettings(ctx);
  const org = await getOrg(ctx);
  const key = settingsKeyOf(settings, org.currency);
  const state = await cacheState(ctx);
  const marks = await watermarksOf(ctx, state);
  const seen = Number(marks.contacts_seen);
  const full = fullReason(state, key, seen, asOf, options) !== null;
  // A reader with no cache to show waits for the build in progress (the worker's first build) rather than fail.
  const wait = options.caller !== 'read' || !state;

  let customers = 0;
  let busy = false;
  if (full) {
    if (state) {
      await ctx.db
        .update(economicsState)
        .set({ buildingSince: asOf })
        .where(eq(economicsState.orgId, ctx.orgId));
    }
    try {
      await syncRunning(ctx, settings, org.currency, asOf);
      await ctx.db.transaction(async (tx) => {
        if (!(await lock(tx, ctx, wait))) {
          busy = true;
          return;
        }
        await tx.execute(roomToAggregate);
        await tx.execute(sql`delete from economics_customer_facts where org_id = ${ctx.orgId}`);
        await tx.execute(sql`delete from economics_baskets where org_id = ${ctx.orgId}`);
        // Another refresh moved the running sums to its own window meanwhile: count from contacts (the slow way).
        const from = (await runningCurrent(tx, ctx, settings, org.currency, asOf)) ? 'running' : 'contacts';
        if (from === 'contacts') await tx.execute(streamInCustomerOrder(true));
        const r = await tx.execute(factsInsert(ctx, settings, org.currency, asOf, sql`true`, from));
        customers = affected(r);
        if (from === 'contacts') await tx.execute(streamInCustomerOrder(false));
        await tx.execute(basketsInsert(ctx, sql`true`, 1));
      });
    } catch (error) {
      if (state) {
        await ctx.db
          .update(economicsState)
          .set({ buildingSince: null, lastError: error instanceof Error ? error.message : String(error) })
          .where(eq(economicsState.orgId, ctx.orgId));
      }
      throw error;
    }
  } else {
    const nothingNew =
      same(state?.contactsCreatedMax ?? null, marks.contacts_created_max) &&
      same(state?.answeredMax ?? null, marks.answered_max) &&
      same(state?.amendedMax ?? null, marks.amended_max) &&
      same(state?.marksMax ?? null, marks.marks_max) &&
      seen === state?.contactsSeen;
    if (nothingNew) {
      await ctx.db
        .update(economicsState)
        .set({ refreshedAt: asOf })
        .where(eq(economicsState.orgId, ctx.orgId));
      return { kind: 'none', customers: 0, durationMs: 0, asOf: asOf.toISOString() };
    }
    await syncRunning(ctx, settings, org.currency, asOf);
    await ctx.db.transaction(async (tx) => {
      if (!(await lock(tx, ctx, wait))) {
        busy = true;
        return;
      }
      await tx.execute(roomToAggregate);
      const from = (await runningCurrent(tx, ctx, settings, org.currency, asOf)) ? 'running' : 'contacts';
      const ids = rowsOf<{ customer_id: string }>(
        await tx.execute(sql`${changedFilter(ctx, state as CacheState)}`),
      ).map((r) => r.customer_id);
      customers = ids.length;
      if (ids.length === 0) return;
      const list = sql`customer_id = any(${`{${ids.join(',')}}`}::uuid[])`;
      await tx.execute(basketsInsert(ctx, list, -1));
      await tx.execute(sql`delete from economics_customer_facts where org_id = ${ctx.orgId} and ${list}`);
      await tx.execute(factsInsert(ctx, settings, org.currency, asOf, list, from));
      await tx.execute(basketsInsert(ctx, list, 1));
    });
  }
  // Another refresh holds the organisation (a whole build in the worker): the reader keeps the cache as it is.
  if (busy) return { kind: 'none', customers: 0, durationMs: 0, asOf: asOf.toISOString() };
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
    ...(full ? { buildingSince: null, lastFullMs: durationMs, lastError: null } : {}),
  };
  await ctx.db
    .insert(economicsState)
    .values({ orgId: ctx.orgId, ...values })
    .onConflictDoUpdate({ target: economicsState.orgId, set: values });
  return { kind: full ? 'full' : 'incremental', customers, durationMs, asOf: asOf.toISOString() };
}

/**
 * One refresh per org at a time (two would insert the same customers): a transaction-scoped advisory lock. A
 * reader does not wait for it — while the worker rebuilds, the page reads the cache as it was (MVCC).
 */
async function lock(tx: Pick<Ctx['db'], 'execute'>, ctx: Ctx, wait: boolean): Promise<boolean> {
  const name = `economics:${ctx.orgId}`;
  if (wait) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${name}))`);
    return true;
  }
  const [row] = rowsOf<{ ok: boolean }>(
    await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext(${name})) as ok`),
  );
  return Boolean(row?.ok);
}

/**
 * A million customers' aggregates do not fit PostgreSQL's default 4 MB of work memory (the build spilled to disk
 * and took 7 minutes). Only for this transaction, and only used as the data needs it.
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
 * dashboard's parallel requests cost one check. A read builds the cache whole only when it has none to show (the
 * first time, new settings, deleted contacts); the daily rebuild is the worker's (`refreshAllEconomics`).
 */
export async function ensureFresh(ctx: Ctx): Promise<CacheState> {
  const state = await cacheState(ctx);
  const age = state ? ctx.clock().getTime() - state.refreshedAt.getTime() : Number.POSITIVE_INFINITY;
  const key = settingsKeyOf(await getEconomicsSettings(ctx), (await getOrg(ctx)).currency);
  if (state && state.settingsKey === key && age >= 0 && age < CHECK_EVERY_MS) return state;
  await refreshEconomics(ctx, { caller: 'read' });
  return (await cacheState(ctx)) as CacheState;
}

export const ECONOMICS_TASK = 'economics.refresh';
/** The worker looks at every organisation's cache this often: new data in, and the daily whole rebuild. */
export const ECONOMICS_INTERVAL_MS = 5 * 60_000;

/**
 * The worker's periodic task: brings each organisation's cache up to date, rebuilding it whole when a day old or
 * missing, off the request path (pages meanwhile read the cache as it was). Organisations without contacts wait
 * for their first. A failure is logged and kept on the state (the page shows it); the next round tries again.
 */
export async function refreshAllEconomics(deps: Deps, now: Date): Promise<RefreshReport[]> {
  const done: RefreshReport[] = [];
  const orgs = rowsOf<{ id: string }>(
    await deps.db.execute(sql`
      select o.id from orgs o where exists (select 1 from contacts c where c.org_id = o.id) order by o.created_at`),
  );
  for (const org of orgs) {
    const ctx: Ctx = { ...deps, clock: () => now, orgId: org.id, actor: { kind: 'system' } };
    try {
      done.push(await refreshEconomics(ctx, { caller: 'background' }));
    } catch (error) {
      deps.log.error({ err: error, orgId: org.id }, 'could not refresh the loyalty economics');
    }
  }
  return done;
}
