// Dispatch: takes the loop's undispatched events in order and turns each into what people and systems receive —
// a bell notification and an alert e-mail per recipient (by their preferences), a webhook delivery per
// subscribed endpoint — then marks it dispatched. Every row it writes has a unique key (notification per user
// and event, message per dedupe key, delivery per endpoint and event), and all of an event's rows commit with
// its `dispatched_at`, so a crash or a second server never sends anything twice and loses nothing.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, jsonStatement, runJson, tables } from '../../db/index.js';
import { channelsFor } from '../../domain/alert-channels.js';
import { queueMessages, type StaffMessage } from '../delivery/index.js';
import { backgroundBatch, type Ctx, type Deps } from '../kernel/index.js';
import { queueWebhookDeliveries } from '../webhooks/index.js';
import { type AlertPayload, renderAlert } from './render.js';

const { loopEvents, users, notificationPrefs, orgs } = tables;

export const DISPATCH_TASK = 'alerts.dispatch';
export const DISPATCH_INTERVAL_MS = 5_000;

type LoopEvent = typeof loopEvents.$inferSelect;

/** A bell notification to write. */
interface Bell {
  userId: string;
  eventId: string;
  kind: string;
  caseId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/**
 * The bell notifications of a round, as one JSON parameter (drizzle's multi-row insert built a parameter per column
 * per row: with the e-mails and their jobs, ~1.8 s of the worker's CPU for the alerts of 20,000 answers).
 */
const INSERT_NOTIFICATIONS = jsonStatement(
  'alerts_insert_notifications',
  `with inserted as (
     insert into notifications (org_id, user_id, event_id, kind, case_id, payload, created_at)
     select n.org_id, n.user_id, n.event_id, n.kind, n.case_id, n.payload, n.created_at
     from jsonb_to_recordset($1::jsonb)
          as n(org_id uuid, user_id uuid, event_id uuid, kind text, case_id uuid, payload jsonb, created_at timestamptz)
     on conflict (org_id, user_id, event_id) do nothing
     returning 1)
   select count(*)::int as n from inserted`,
);

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DispatchReport {
  events: number;
  notifications: number;
  emails: number;
  webhooks: number;
}

/**
 * Dispatches every event waiting at `now`, oldest first, in batches (`for update skip locked`: servers side
 * by side each take their own). A batch is written set-wise (a few statements for all its events); if that
 * fails, its events go one by one, each in its own savepoint, so one that fails is logged and left for the next
 * round while the others go on.
 */
export async function dispatchLoopEvents(
  deps: Deps,
  now: Date,
  batch = backgroundBatch(deps.foreground, 100, 25),
): Promise<DispatchReport> {
  const report: DispatchReport = { events: 0, notifications: 0, emails: 0, webhooks: 0 };
  const failed = new Set<string>();
  const orgCache: OrgCache = new Map();
  const add = (one: Omit<DispatchReport, 'events'>, events: number) => {
    report.events += events;
    report.notifications += one.notifications;
    report.emails += one.emails;
    report.webhooks += one.webhooks;
  };
  for (let round = 0; round < 1000; round++) {
    await deps.foreground?.calm();
    const taken = await deps.db.transaction(async (tx) => {
      const events = await tx
        .select()
        .from(loopEvents)
        .where(isNull(loopEvents.dispatchedAt))
        .orderBy(loopEvents.seq)
        .limit(batch + failed.size)
        .for('update', { skipLocked: true });
      const todo = events.filter((e) => !failed.has(e.id)).slice(0, batch);
      const ctxOf = (orgId: string, db: Db): Ctx => ({ ...deps, db, orgId, actor: { kind: 'system' } });
      try {
        const all = await tx.transaction(async (sp) => {
          const sum = { notifications: 0, emails: 0, webhooks: 0 };
          for (const [orgId, ofOrg] of groupByOrg(todo)) {
            const one = await dispatchMany(ctxOf(orgId, sp as unknown as Db), ofOrg, now, orgCache);
            sum.notifications += one.notifications;
            sum.emails += one.emails;
            sum.webhooks += one.webhooks;
          }
          return sum;
        });
        add(all, todo.length);
        return todo.length;
      } catch (error) {
        deps.log.warn(
          { err: error, events: todo.length },
          'loop events dispatched one by one after a batch failed',
        );
      }
      for (const event of todo) {
        try {
          // A savepoint per event: one that fails rolls back alone.
          const one = await tx.transaction((sp) =>
            dispatchMany(ctxOf(event.orgId, sp as unknown as Db), [event], now, orgCache),
          );
          add(one, 1);
        } catch (error) {
          failed.add(event.id);
          deps.log.error(
            { err: error, orgId: event.orgId, eventId: event.id },
            'could not dispatch a loop event',
          );
        }
      }
      return todo.length;
    });
    if (taken < batch) break;
  }
  return report;
}

type OrgCache = Map<string, { name: string; timeZone: string }>;

function groupByOrg(events: LoopEvent[]): Map<string, LoopEvent[]> {
  const byOrg = new Map<string, LoopEvent[]>();
  for (const e of events) byOrg.set(e.orgId, [...(byOrg.get(e.orgId) ?? []), e]);
  return byOrg;
}

/** Dispatches events of one org: their recipients read once, notifications and e-mails written in one go each. */
async function dispatchMany(ctx: Ctx, events: LoopEvent[], now: Date, orgCache: OrgCache) {
  const out = { notifications: 0, emails: 0, webhooks: 0 };
  const recipientsOf = (event: LoopEvent) => [
    ...new Set((event.recipients ?? []).filter((id) => uuidPattern.test(id))),
  ];
  const everyone = [...new Set(events.flatMap(recipientsOf))];
  const people = new Map(
    everyone.length === 0
      ? []
      : (
          await ctx.db
            .select({
              id: users.id,
              role: users.role,
              locale: users.locale,
              emailEnc: users.emailEnc,
              disabledAt: users.disabledAt,
              prefs: notificationPrefs.prefs,
            })
            .from(users)
            .leftJoin(
              notificationPrefs,
              and(eq(notificationPrefs.orgId, users.orgId), eq(notificationPrefs.userId, users.id)),
            )
            .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, everyone)))
        ).map((p) => [p.id, p]),
  );
  const org = everyone.length ? await orgOf(ctx, orgCache) : null;
  const bell: Bell[] = [];
  const mail: StaffMessage[] = [];
  for (const event of events) {
    const payload: AlertPayload = { ...(event.payload as AlertPayload) };
    if (!payload.url && event.caseId && ctx.publicUrl) payload.url = `${ctx.publicUrl}/cases/${event.caseId}`;
    // Deleted users are not found; disabled ones are skipped.
    for (const id of recipientsOf(event)) {
      const person = people.get(id);
      if (!person || person.disabledAt !== null) continue;
      const prefs = person.prefs ?? {};
      const channels = channelsFor(event.kind, person.role, prefs);
      if (channels.dashboard) {
        bell.push({
          userId: person.id,
          eventId: event.id,
          kind: event.kind,
          caseId: event.caseId,
          payload: payload as Record<string, unknown>,
          createdAt: event.createdAt,
        });
      }
      if (channels.email && org) {
        const email = renderAlert({
          kind: event.kind,
          payload,
          locale: person.locale,
          timeZone: prefs.digest?.timeZone ?? org.timeZone,
          orgName: org.name,
        });
        mail.push({
          dedupeKey: `alert:${event.id}:${person.id}`,
          kind: 'alert',
          to: ctx.vault.decrypt(person.emailEnc) ?? '',
          locale: person.locale,
          ...email,
        });
      }
    }
  }
  if (bell.length) {
    const [row] = await runJson<{ n: number }>(
      ctx.db,
      INSERT_NOTIFICATIONS,
      bell.map((b) => ({
        org_id: ctx.orgId,
        user_id: b.userId,
        event_id: b.eventId,
        kind: b.kind,
        case_id: b.caseId,
        payload: b.payload,
        created_at: b.createdAt,
      })),
    );
    out.notifications += Number(row?.n ?? 0);
  }
  out.emails += (await queueMessages(ctx, mail)).filter((r) => r.queued).length;
  out.webhooks = await queueWebhookDeliveries(ctx, events, now);
  await ctx.db
    .update(loopEvents)
    .set({ dispatchedAt: now })
    .where(
      and(
        eq(loopEvents.orgId, ctx.orgId),
        inArray(
          loopEvents.id,
          events.map((e) => e.id),
        ),
      ),
    );
  return out;
}

async function orgOf(ctx: Ctx, cache: OrgCache) {
  const hit = cache.get(ctx.orgId);
  if (hit) return hit;
  const [org] = await ctx.db
    .select({ name: orgs.name, timeZone: orgs.timeZone })
    .from(orgs)
    .where(eq(orgs.id, ctx.orgId));
  const found = org ?? { name: '', timeZone: 'UTC' };
  cache.set(ctx.orgId, found);
  return found;
}
