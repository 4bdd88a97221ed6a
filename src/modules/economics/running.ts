// Each customer's contact sums, kept by statement triggers on contacts (drizzle/0017): what the whole build reads
// instead of every contact. Here the refresh brings them to its window — counting them from contacts the first time
// or after new window or currency settings, and sliding them with the calendar from the index on contact time.
import { eq, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';
import type { EconomicsSettings } from './settings.js';

const { economicsRunningState } = tables;

/** The refresh's window: `windowMonths` calendar months back from as-of. */
export const windowStartOf = (s: Pick<EconomicsSettings, 'windowMonths'>, asOf: Date): Date => {
  const start = new Date(asOf);
  start.setUTCMonth(start.getUTCMonth() - s.windowMonths);
  return start;
};

export interface RunningSync {
  /** 'counted': from all contacts; 'slid': the customers with a contact between the old and new window start. */
  kind: 'current' | 'counted' | 'slid';
  customers: number;
}

type Tx = Pick<Ctx['db'], 'execute'>;

/**
 * The organisation's running lock, as the triggers take it (shared to add, exclusive to count again): while the sums
 * are counted from contacts no import adds to them, and the count waits for the imports in flight to commit.
 */
const lockRunning = (tx: Tx, ctx: Ctx) =>
  tx.execute(sql`select pg_advisory_xact_lock(hashtext('economics-running:' || ${ctx.orgId}::uuid::text))`);

const countRunning = async (tx: Tx, ctx: Ctx, ids: SqlIds | null): Promise<number> => {
  const [row] = rowsOf<{ n: string | number }>(
    await tx.execute(
      sql`select economics_running_count(${ctx.orgId}::uuid, ${ids === null ? sql`null::uuid[]` : ids}) as n`,
    ),
  );
  return Number(row?.n ?? 0);
};
type SqlIds = ReturnType<typeof sql>;

/**
 * Brings the running sums to the window of `asOf` in their own short transaction. Counted whole from contacts when
 * there are none, or they count another window length or currency (one pass over the organisation's contacts in
 * customer order, as the build did before); else, when the window start moved (a day later, or back), only the
 * customers with a contact between the old and the new start are counted again — found from the index on
 * (org_id, occurred_at): a day's slide is a day's contacts.
 */
export async function syncRunning(
  ctx: Ctx,
  settings: Pick<EconomicsSettings, 'windowMonths'>,
  currency: string,
  asOf: Date,
): Promise<RunningSync> {
  const ws = windowStartOf(settings, asOf);
  const stateOf = async (tx: Pick<Ctx['db'], 'select'>) =>
    (await tx.select().from(economicsRunningState).where(eq(economicsRunningState.orgId, ctx.orgId)))[0] ??
    null;
  const current = (s: Awaited<ReturnType<typeof stateOf>>) =>
    s !== null &&
    s.windowMonths === settings.windowMonths &&
    s.currency === currency &&
    s.windowStart.getTime() === ws.getTime();
  if (current(await stateOf(ctx.db))) return { kind: 'current', customers: 0 };
  return ctx.db.transaction(async (tx) => {
    await lockRunning(tx, ctx);
    const state = await stateOf(tx);
    if (current(state)) return { kind: 'current', customers: 0 };
    const values = { windowStart: ws, windowMonths: settings.windowMonths, currency, countedAt: asOf };
    await tx
      .insert(economicsRunningState)
      .values({ orgId: ctx.orgId, ...values })
      .onConflictDoUpdate({ target: economicsRunningState.orgId, set: values });
    if (state === null || state.windowMonths !== settings.windowMonths || state.currency !== currency) {
      await tx.execute(sql`set local work_mem = '256MB'`);
      await tx.execute(streamInCustomerOrder(true));
      const customers = await countRunning(tx, ctx, null);
      await tx.execute(streamInCustomerOrder(false));
      // The build reads the table straight after: without statistics the planner takes a million rows for a few
      // thousand and sorts them on disk for a merge join (15 s of the build's 27 on 10M contacts, against 9 s).
      await tx.execute(sql`analyze economics_customer_running`);
      return { kind: 'counted' as const, customers };
    }
    const [from, to] = state.windowStart < ws ? [state.windowStart, ws] : [ws, state.windowStart];
    const customers = await countRunning(
      tx,
      ctx,
      sql`array(select distinct customer_id from contacts where org_id = ${ctx.orgId}
                and occurred_at >= ${from.toISOString()}::timestamptz and occurred_at < ${to.toISOString()}::timestamptz)`,
    );
    return { kind: 'slid' as const, customers };
  });
}

/** Whether the running sums count the window of `asOf` in `currency` (read inside the build's transaction). */
export async function runningCurrent(
  tx: Tx,
  ctx: Ctx,
  settings: Pick<EconomicsSettings, 'windowMonths'>,
  currency: string,
  asOf: Date,
): Promise<boolean> {
  const [row] = rowsOf<{ ok: boolean }>(
    await tx.execute(sql`
      select true as ok from economics_running_state
      where org_id = ${ctx.orgId} and window_months = ${settings.windowMonths} and currency = ${currency}
        and window_start = ${windowStartOf(settings, asOf).toISOString()}::timestamptz`),
  );
  return Boolean(row?.ok);
}

/**
 * Counting a whole organisation's sums from contacts reads them in customer order from the index that carries
 * service, amount and currency (an index-only scan) and aggregates them as they stream: two nested GROUP BYs with no
 * hash table and no sort but a tiny one per customer. On 10M contacts the hash plans needed ~1 GB for the 4.7M
 * per-service groups (and spilled). The planner prices the hash plan lower, so hashing, whole-table scans and nested
 * loops go off for the transaction, and back on after. Parallel workers were tried and left out: the per-service
 * groups barely shrink in a worker, and all of them pass through the leader (slower on this 2-core machine).
 */
export const streamInCustomerOrder = (on: boolean) => {
  const value = on ? 'off' : 'on';
  const settings = ['enable_hashagg', 'enable_seqscan', 'enable_nestloop', 'enable_hashjoin'].map(
    (name): [string, string] => [name, value],
  );
  return sql`select ${sql.join(
    settings.map(([name, v]) => sql`set_config(${name}, ${v}, true)`),
    sql`, `,
  )}`;
};
