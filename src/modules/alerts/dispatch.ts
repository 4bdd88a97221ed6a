// Dispatch: takes the loop's undispatched events in order and turns each into what people and systems receive —
// a bell notification and an alert e-mail per recipient (by their preferences), a webhook delivery per
// subscribed endpoint — then marks it dispatched. Every row it writes has a unique key (notification per user
// and event, message per dedupe key, delivery per endpoint and event), and all of an event's rows commit with
// its `dispatched_at`, so a crash or a second server never sends anything twice and loses nothing.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import { channelsFor } from '../../domain/alert-channels.js';
import { queueMessage } from '../delivery/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { queueWebhookDeliveries } from '../webhooks/index.js';
import { type AlertPayload, renderAlert } from './render.js';

const { loopEvents, users, notificationPrefs, notifications, orgs } = tables;

export const DISPATCH_TASK = 'alerts.dispatch';
export const DISPATCH_INTERVAL_MS = 5_000;

type LoopEvent = typeof loopEvents.$inferSelect;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DispatchReport {
  events: number;
  notifications: number;
  emails: number;
  webhooks: number;
}

/**
 * Dispatches every event waiting at `now`, oldest first, in batches (`for update skip locked`: servers side
 * by side each take their own). An event that fails is logged and left for the next round; the others go on.
 */
export async function dispatchLoopEvents(deps: Deps, now: Date, batch = 100): Promise<DispatchReport> {
  const report: DispatchReport = { events: 0, notifications: 0, emails: 0, webhooks: 0 };
  const failed = new Set<string>();
  const orgCache: OrgCache = new Map();
  for (let round = 0; round < 1000; round++) {
    const taken = await deps.db.transaction(async (tx) => {
      const events = await tx
        .select()
        .from(loopEvents)
        .where(isNull(loopEvents.dispatchedAt))
        .orderBy(loopEvents.seq)
        .limit(batch + failed.size)
        .for('update', { skipLocked: true });
      const todo = events.filter((e) => !failed.has(e.id)).slice(0, batch);
      for (const event of todo) {
        const ctx: Ctx = { ...deps, db: tx as unknown as Db, orgId: event.orgId, actor: { kind: 'system' } };
        try {
          // A savepoint per event: one that fails rolls back alone.
          const one = await ctx.db.transaction((sp) =>
            dispatchOne({ ...ctx, db: sp as unknown as Db }, event, now, orgCache),
          );
          report.events++;
          report.notifications += one.notifications;
          report.emails += one.emails;
          report.webhooks += one.webhooks;
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

async function dispatchOne(ctx: Ctx, event: LoopEvent, now: Date, orgCache: OrgCache) {
  const out = { notifications: 0, emails: 0, webhooks: 0 };
  const payload: AlertPayload = { ...(event.payload as AlertPayload) };
  if (!payload.url && event.caseId && ctx.publicUrl) payload.url = `${ctx.publicUrl}/cases/${event.caseId}`;
  const recipients = [...new Set((event.recipients ?? []).filter((id) => uuidPattern.test(id)))];
  if (recipients.length) {
    const org = await orgOf(ctx, orgCache);
    const people = await ctx.db
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
      .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, recipients)));
    // Deleted users are not found; disabled ones are skipped.
    for (const person of people.filter((p) => p.disabledAt === null)) {
      const prefs = person.prefs ?? {};
      const channels = channelsFor(event.kind, person.role, prefs);
      if (channels.dashboard) {
        const inserted = await ctx.db
          .insert(notifications)
          .values({
            orgId: ctx.orgId,
            userId: person.id,
            eventId: event.id,
            kind: event.kind,
            caseId: event.caseId,
            payload: payload as Record<string, unknown>,
            createdAt: event.createdAt,
          })
          .onConflictDoNothing({ target: [notifications.orgId, notifications.userId, notifications.eventId] })
          .returning({ id: notifications.id });
        out.notifications += inserted.length;
      }
      if (channels.email) {
        const email = renderAlert({
          kind: event.kind,
          payload,
          locale: person.locale,
          timeZone: prefs.digest?.timeZone ?? org.timeZone,
          orgName: org.name,
        });
        const queued = await queueMessage(ctx, {
          dedupeKey: `alert:${event.id}:${person.id}`,
          kind: 'alert',
          to: ctx.vault.decrypt(person.emailEnc) ?? '',
          locale: person.locale,
          ...email,
        });
        if (queued.queued) out.emails++;
      }
    }
  }
  out.webhooks = await queueWebhookDeliveries(ctx, event, now);
  await ctx.db
    .update(loopEvents)
    .set({ dispatchedAt: now })
    .where(and(eq(loopEvents.orgId, ctx.orgId), eq(loopEvents.id, event.id)));
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
