// The sending half of webhooks: a periodic task claims due deliveries (`for update skip locked` with a lease)
// and posts them side by side without waiting for them, so a hanging endpoint holds up neither the worker nor
// other endpoints; each result is recorded as it comes — delivered, retried later with back-off, or failed, and
// an endpoint whose deliveries keep failing is switched off with the reason.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Db, rowsOf, tables } from '../../db/index.js';
import { WEBHOOK_DISABLE_AFTER_FAILED, webhookRetryDelayMs } from '../../domain/webhook-retry.js';
import type { Worker } from '../jobs/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { type PostResult, postWebhook, signatureHeaders } from './post.js';
import { type Delivery, findDelivery, findEndpoint, TEST_KIND } from './service.js';

const { webhookDeliveries, webhookEndpoints } = tables;

export const WEBHOOKS_TASK = 'webhooks.send';
export const WEBHOOKS_INTERVAL_MS = 5_000;
/** A claimed delivery is not claimed again before this (far longer than a send may take). */
const LEASE_MS = 5 * 60_000;

export interface SenderOptions {
  /** The deadline of one POST (connect, send, answer). */
  timeoutMs?: number;
  /** Sends in flight at once. */
  concurrency?: number;
  random?: () => number;
}

interface Claimed {
  orgId: string;
  id: string;
  endpointId: string;
  payload: unknown;
  attempts: number;
  url: string;
  secretEnc: string;
  allowPrivate: boolean;
}

export class WebhookSender {
  timeoutMs: number;
  concurrency: number;
  random: () => number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: Deps,
    options: SenderOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 16;
    this.random = options.random ?? Math.random;
  }

  register(worker: Worker, everyMs = WEBHOOKS_INTERVAL_MS): void {
    worker.every(WEBHOOKS_TASK, everyMs, async (now) => {
      await this.tick(now);
    });
  }

  /** Claims what is due at `now` (as many as there is room for) and starts sending it; does not wait. */
  async tick(now: Date): Promise<number> {
    const room = this.concurrency - this.inFlight.size;
    if (room <= 0) return 0;
    const claimed = await this.claim(now, room);
    for (const c of claimed) this.track(this.attempt(c, true));
    return claimed.length;
  }

  /** Resolves once every send in flight has been recorded (tests, and closing the server). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Sends one delivery now and waits for the result (the "send test" button): one attempt, no retry. */
  async sendNow(ctx: Ctx, deliveryId: string): Promise<Delivery> {
    const d = await findDelivery(ctx, deliveryId);
    const endpoint = await findEndpoint(ctx, d.endpointId);
    await ctx.db
      .update(webhookDeliveries)
      .set({ attempts: d.attempts + 1, nextAttemptAt: new Date(ctx.clock().getTime() + LEASE_MS) })
      .where(and(eq(webhookDeliveries.orgId, ctx.orgId), eq(webhookDeliveries.id, d.id)));
    const run = this.attempt(
      {
        orgId: ctx.orgId,
        id: d.id,
        endpointId: d.endpointId,
        payload: d.payload,
        attempts: d.attempts + 1,
        url: endpoint.url,
        secretEnc: endpoint.secretEnc,
        allowPrivate: endpoint.allowPrivate,
      },
      false,
    );
    this.track(run);
    await run;
    return findDelivery(ctx, deliveryId);
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async claim(now: Date, limit: number): Promise<Claimed[]> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + LEASE_MS).toISOString();
    const rows = rowsOf<{
      org_id: string;
      id: string;
      endpoint_id: string;
      payload: unknown;
      attempts: number;
    }>(
      await this.deps.db.execute(sql`
        update webhook_deliveries d set attempts = d.attempts + 1, next_attempt_at = ${until}::timestamptz
          from (
            select w.org_id, w.id from webhook_deliveries w
              join webhook_endpoints e on e.org_id = w.org_id and e.id = w.endpoint_id
             where w.status in ('pending', 'retrying') and w.next_attempt_at <= ${at}::timestamptz and e.enabled
             order by w.next_attempt_at
             limit ${limit}
             for update of w skip locked
          ) due
         where d.org_id = due.org_id and d.id = due.id
        returning d.org_id, d.id, d.endpoint_id, d.payload, d.attempts`),
    );
    if (rows.length === 0) return [];
    const endpoints = await this.deps.db
      .select()
      .from(webhookEndpoints)
      .where(inArray(webhookEndpoints.id, [...new Set(rows.map((r) => r.endpoint_id))]));
    const byKey = new Map(endpoints.map((e) => [`${e.orgId}|${e.id}`, e]));
    return rows.flatMap((r) => {
      const e = byKey.get(`${r.org_id}|${r.endpoint_id}`);
      if (!e) return [];
      return [
        {
          orgId: r.org_id,
          id: r.id,
          endpointId: r.endpoint_id,
          payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
          attempts: r.attempts,
          url: e.url,
          secretEnc: e.secretEnc,
          allowPrivate: e.allowPrivate,
        },
      ];
    });
  }

  private async attempt(c: Claimed, retry: boolean): Promise<void> {
    let result: PostResult;
    try {
      const body = JSON.stringify(c.payload);
      const secret = this.deps.vault.decrypt(c.secretEnc) ?? '';
      result = await postWebhook({
        url: c.url,
        body,
        headers: signatureHeaders(secret, c.id, this.deps.clock(), body),
        timeoutMs: this.timeoutMs,
        allowPrivate: c.allowPrivate,
      });
    } catch (error) {
      result = { ok: false, status: null, error: (error as Error).message.slice(0, 500), durationMs: 0 };
    }
    try {
      await this.record(c, result, retry);
    } catch (error) {
      this.deps.log.error(
        { err: error, orgId: c.orgId, deliveryId: c.id },
        'could not record a webhook delivery',
      );
    }
  }

  private async record(c: Claimed, r: PostResult, retry: boolean): Promise<void> {
    const db = this.deps.db;
    const now = this.deps.clock();
    const where = and(eq(webhookDeliveries.orgId, c.orgId), eq(webhookDeliveries.id, c.id));
    const common = { lastStatusCode: r.status, lastDurationMs: r.durationMs, lastError: r.error };
    if (r.ok) {
      await db
        .update(webhookDeliveries)
        .set({ ...common, status: 'delivered', deliveredAt: now })
        .where(where);
      return;
    }
    const wait = retry ? webhookRetryDelayMs(c.attempts, this.random()) : null;
    if (wait !== null) {
      await db
        .update(webhookDeliveries)
        .set({ ...common, status: 'retrying', nextAttemptAt: new Date(now.getTime() + wait) })
        .where(where);
      return;
    }
    // Given up: next_attempt_at keeps the time it failed (the streak below counts from the last success).
    await db
      .update(webhookDeliveries)
      .set({ ...common, status: 'failed', nextAttemptAt: now })
      .where(where);
    if (retry) await this.disableIfFailing(db, c, r);
  }

  private async disableIfFailing(db: Db, c: Claimed, r: PostResult): Promise<void> {
    const [streak] = rowsOf<{ n: number }>(
      await db.execute(sql`
        select count(*)::int as n from webhook_deliveries f
         where f.org_id = ${c.orgId} and f.endpoint_id = ${c.endpointId} and f.status = 'failed'
           and f.event_kind <> ${TEST_KIND}
           and f.next_attempt_at > coalesce(
             (select max(s.delivered_at) from webhook_deliveries s
               where s.org_id = f.org_id and s.endpoint_id = f.endpoint_id and s.status = 'delivered'),
             '-infinity'::timestamptz)`),
    );
    if (Number(streak?.n ?? 0) < WEBHOOK_DISABLE_AFTER_FAILED) return;
    await db
      .update(webhookEndpoints)
      .set({
        enabled: false,
        disabledReason: `Switched off: ${WEBHOOK_DISABLE_AFTER_FAILED} deliveries in a row failed after every retry (last: ${r.error ?? 'no answer'}). Fix the endpoint, switch it on and redeliver.`,
      })
      .where(
        and(
          eq(webhookEndpoints.orgId, c.orgId),
          eq(webhookEndpoints.id, c.endpointId),
          eq(webhookEndpoints.enabled, true),
        ),
      );
    this.deps.log.warn(
      { orgId: c.orgId, endpointId: c.endpointId },
      'webhook endpoint switched off after failures',
    );
  }
}

const senders = new WeakMap<Deps, WebhookSender>();

/** Lets the routes reach the running server's sender (for "send test"). */
export function attachWebhooks(deps: Deps, sender: WebhookSender): void {
  senders.set(deps, sender);
}

export function senderFor(deps: Deps): WebhookSender {
  let s = senders.get(deps);
  if (!s) {
    s = new WebhookSender(deps);
    senders.set(deps, s);
  }
  return s;
}
