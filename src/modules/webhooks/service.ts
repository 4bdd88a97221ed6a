// Webhook endpoints (admins and owners only): create with a secret shown once, list, change, delete; the
// delivery log; a test send; redelivery. Endpoints subscribe to loop event kinds; dispatch queues deliveries.
import { randomBytes } from 'node:crypto';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { WEBHOOK_KINDS } from '../../domain/alert-channels.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';
import { checkWebhookUrl } from './guard.js';

const { webhookEndpoints, webhookDeliveries } = tables;
export type Endpoint = typeof webhookEndpoints.$inferSelect;
export type Delivery = typeof webhookDeliveries.$inferSelect;

export const TEST_KIND = 'webhook.test';

const url = z.string().trim().min(1).max(2000);
const events = z.array(z.enum(WEBHOOK_KINDS)).max(WEBHOOK_KINDS.length);

export const endpointInput = z
  .object({
    url,
    description: z.string().trim().max(500).optional(),
    /** Kinds to receive; empty or absent = all. */
    events: events.default([]),
    /** Allow a private or loopback address (owners and admins only, for endpoints inside the network). */
    allowPrivate: z.boolean().default(false),
  })
  .strict();

export const endpointPatch = z
  .object({
    url: url.optional(),
    description: z.string().trim().max(500).nullable().optional(),
    events: events.optional(),
    allowPrivate: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const deliveriesQuery = pageQuery.extend({
  status: z.enum(tables.webhookDeliveryStatuses).optional(),
});

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  allowPrivate: boolean;
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventKind: string;
  status: Delivery['status'];
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export const endpointView = (e: Endpoint): EndpointView => ({
  id: e.id,
  url: e.url,
  description: e.description,
  events: e.events,
  allowPrivate: e.allowPrivate,
  enabled: e.enabled,
  disabledReason: e.disabledReason,
  createdAt: e.createdAt.toISOString(),
});

export const deliveryView = (d: Delivery): DeliveryView => ({
  id: d.id,
  endpointId: d.endpointId,
  eventId: d.eventId,
  eventKind: d.eventKind,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastDurationMs: d.lastDurationMs,
  nextAttemptAt: d.status === 'pending' || d.status === 'retrying' ? d.nextAttemptAt.toISOString() : null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  createdAt: d.createdAt.toISOString(),
});

/** A new signing secret: 'whsec_' + 32 random bytes in base64 (the Standard Webhooks form). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

async function assertUrl(raw: string, allowPrivate: boolean): Promise<void> {
  const problem = await checkWebhookUrl(raw, allowPrivate);
  if (!problem) return;
  const hint =
    problem.kind === 'blocked'
      ? ' Webhooks go to public addresses only; an owner or admin may allow a private one for this endpoint (allowPrivate).'
      : '';
  throw new AppError('invalid_input', `${problem.message}.${hint}`, {
    errors: [{ path: 'url', message: problem.message }],
  });
}

export async function findEndpoint(ctx: Ctx, id: string): Promise<Endpoint> {
  const [e] = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, id)));
  if (!e) throw notFound('Webhook endpoint');
  return e;
}

export async function createEndpoint(ctx: Ctx, input: z.input<typeof endpointInput>) {
  requireRole(ctx, ...canWrite);
  const i = endpointInput.parse(input);
  await assertUrl(i.url, i.allowPrivate);
  const secret = newSecret();
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({
      orgId: ctx.orgId,
      url: i.url,
      description: i.description || null,
      secretEnc: ctx.vault.encrypt(secret),
      events: [...new Set(i.events)],
      allowPrivate: i.allowPrivate,
      createdAt: ctx.clock(),
    })
    .returning();
  // The secret is shown once, here; afterwards only the receiver knows it.
  return { ...endpointView(row!), secret };
}

export async function listEndpoints(ctx: Ctx): Promise<EndpointView[]> {
  requireRole(ctx, ...canWrite);
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, ctx.orgId))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
  return rows.map(endpointView);
}

export async function getEndpoint(ctx: Ctx, id: string): Promise<EndpointView> {
  requireRole(ctx, ...canWrite);
  return endpointView(await findEndpoint(ctx, id));
}

export async function updateEndpoint(ctx: Ctx, id: string, input: z.input<typeof endpointPatch>) {
  requireRole(ctx, ...canWrite);
  const p = endpointPatch.parse(input);
  const current = await findEndpoint(ctx, id);
  const nextUrl = p.url ?? current.url;
  const nextPrivate = p.allowPrivate ?? current.allowPrivate;
  if (p.url !== undefined || p.allowPrivate !== undefined) await assertUrl(nextUrl, nextPrivate);
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({
      url: nextUrl,
      allowPrivate: nextPrivate,
      ...(p.description !== undefined ? { description: p.description || null } : {}),
      ...(p.events !== undefined ? { events: [...new Set(p.events)] } : {}),
      ...(p.enabled !== undefined
        ? { enabled: p.enabled, disabledReason: p.enabled ? null : 'Disabled by a user' }
        : {}),
    })
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, id)))
    .returning();
  return endpointView(row!);
}

export async function deleteEndpoint(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  const deleted = await ctx.db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.orgId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw notFound('Webhook endpoint');
}

export async function listDeliveries(ctx: Ctx, endpointId: string, query: z.input<typeof deliveriesQuery>) {
  requireRole(ctx, ...canWrite);
  await findEndpoint(ctx, endpointId);
  const q = deliveriesQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.orgId, ctx.orgId),
        eq(webhookDeliveries.endpointId, endpointId),
        q.status ? eq(webhookDeliveries.status, q.status) : undefined,
        cursor
          ? or(
              lt(webhookDeliveries.createdAt, new Date(cursor.at)),
              and(eq(webhookDeliveries.createdAt, new Date(cursor.at)), lt(webhookDeliveries.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  return { items: page.items.map(deliveryView), nextCursor: page.nextCursor };
}

export async function findDelivery(ctx: Ctx, id: string): Promise<Delivery> {
  const [d] = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.orgId, ctx.orgId), eq(webhookDeliveries.id, id)));
  if (!d) throw notFound('Webhook delivery');
  return d;
}

/** Sends a delivery again from the start of the retry schedule (a human decided to; it keeps its webhook-id). */
export async function redeliver(ctx: Ctx, id: string): Promise<DeliveryView> {
  requireRole(ctx, ...canWrite);
  const d = await findDelivery(ctx, id);
  if (d.status === 'pending' || d.status === 'retrying')
    throw new AppError('conflict', `This delivery is already ${d.status}: it will be sent by itself`);
  const [row] = await ctx.db
    .update(webhookDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: ctx.clock(), lastError: null })
    .where(and(eq(webhookDeliveries.orgId, ctx.orgId), eq(webhookDeliveries.id, id)))
    .returning();
  return deliveryView(row!);
}

/** Queues a test event for one endpoint (whether or not it subscribes to anything); returns the delivery. */
export async function queueTest(ctx: Ctx, endpointId: string): Promise<Delivery> {
  requireRole(ctx, ...canWrite);
  const endpoint = await findEndpoint(ctx, endpointId);
  const now = ctx.clock();
  const eventId = crypto.randomUUID();
  const [row] = await ctx.db
    .insert(webhookDeliveries)
    .values({
      orgId: ctx.orgId,
      endpointId: endpoint.id,
      eventId,
      eventKind: TEST_KIND,
      payload: {
        type: TEST_KIND,
        timestamp: now.toISOString(),
        data: {
          eventId,
          message: 'A test event from Sarafan: this endpoint receives and verifies webhooks.',
        },
      },
      nextAttemptAt: now,
      createdAt: now,
    })
    .returning();
  return row!;
}

/** The organisation's enabled endpoints with the event kinds each takes. */
async function enabledEndpoints(db: Db, orgId: string) {
  return db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.enabled, true)));
}

/** Whether an endpoint takes events of `kind`: one with no event list takes every event. */
const wants = (e: { events: unknown }, kind: string) =>
  !Array.isArray(e.events) || e.events.length === 0 || e.events.includes(kind);

/**
 * Which event kinds some enabled endpoint of the organisation takes, as read now: an endpoint added later takes the
 * events raised after it.
 */
export async function webhookKindsWanted(db: Db, orgId: string): Promise<(kind: string) => boolean> {
  const endpoints = await enabledEndpoints(db, orgId);
  return (kind) => endpoints.some((e) => wants(e, kind));
}

/** For dispatch: one delivery per event and enabled endpoint of the org that wants its kind (idempotent per event). */
export async function queueWebhookDeliveries(
  ctx: Ctx,
  events: {
    id: string;
    kind: string;
    caseId: string | null;
    unitId: string | null;
    createdAt: Date;
    payload: unknown;
  }[],
  now: Date,
): Promise<number> {
  if (events.length === 0) return 0;
  const endpoints = await enabledEndpoints(ctx.db, ctx.orgId);
  if (endpoints.length === 0) return 0;
  const rows = events.flatMap((event) => {
    const body = {
      type: event.kind,
      timestamp: event.createdAt.toISOString(),
      data: { eventId: event.id, caseId: event.caseId, unitId: event.unitId, ...(event.payload as object) },
    };
    return endpoints
      .filter((e) => wants(e, event.kind))
      .map((e) => ({
        orgId: ctx.orgId,
        endpointId: e.id,
        eventId: event.id,
        eventKind: event.kind,
        payload: body,
        nextAttemptAt: now,
        createdAt: now,
      }));
  });
  if (rows.length === 0) return 0;
  const inserted = await ctx.db
    .insert(webhookDeliveries)
    .values(rows)
    .onConflictDoNothing({
      target: [webhookDeliveries.orgId, webhookDeliveries.endpointId, webhookDeliveries.eventId],
    })
    .returning({ id: webhookDeliveries.id });
  return inserted.length;
}
