// HTTP routes of the outbox, delivery settings, suppressions and provider events.
import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../kernel/index.js';
import { idParam, json, newRouter, problemResponses, seesPersonalData } from '../kernel/index.js';
import { logAccess } from '../privacy/index.js';
import {
  addSuppression,
  type Delivery,
  deliveryEventInput,
  deliverySettingsInput,
  getDeliverySettings,
  getOutboxMessage,
  listOutbox,
  listSuppressions,
  outboxQuery,
  putDeliverySettings,
  recordDeliveryEvent,
  removeSuppression,
  retryMessage,
  suppressionInput,
  suppressionListQuery,
} from './service.js';

// The running server's sender, found from the app's deps (one per runtime).
const senders = new WeakMap<Deps, Delivery>();
export function attachDelivery(deps: Deps, delivery: Delivery): void {
  senders.set(deps, delivery);
}
const smtpConfigured = (deps: Deps) => senders.get(deps)?.smtpConfigured ?? false;

const outboxItem = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    channel: z.enum(['email', 'sms']),
    status: z.string(),
    to: z.string().openapi({ description: 'The recipient; masked for analysts' }),
    subject: z.string().nullable(),
    invitationId: z.uuid().nullable(),
    customerId: z.uuid().nullable(),
    locale: z.enum(['ru', 'en']),
    attempts: z.number(),
    lastError: z.string().nullable(),
    sendAfter: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    smsParts: z.number().nullable(),
  })
  .openapi('OutboxMessage');
const outboxDetail = outboxItem
  .extend({
    bodyText: z.string().openapi({ description: 'Empty for analysts (pseudonymised access)' }),
    bodyHtml: z.string().nullable().openapi({ description: 'null for analysts' }),
  })
  .openapi('OutboxMessageContent');
const settingsView = z
  .object({
    quietHours: z.object({ start: z.string(), end: z.string() }),
    email: z.object({ from: z.string(), replyTo: z.string() }),
    sms: z.object({
      provider: z.enum(['none', 'test', 'http']),
      sender: z.string(),
      url: z.string(),
      method: z.enum(['GET', 'POST']),
      bodyTemplate: z.string(),
      headerNames: z.array(z.string()),
    }),
    smtpConfigured: z.boolean(),
    timeZone: z.string(),
  })
  .openapi('DeliverySettings');
const suppressionView = z
  .object({
    id: z.string(),
    channel: z.enum(['email', 'sms']),
    reason: z.string(),
    detail: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Suppression');
const channelParam = z.object({ channel: z.enum(['email', 'sms']), id: z.string().min(10).max(100) });

export const deliveryRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/outbox',
      tags: ['delivery'],
      summary: 'Messages sent or waiting (e-mail, SMS), newest first; counts by status',
      request: { query: outboxQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(
            z.object({
              items: z.array(outboxItem),
              nextCursor: z.string().nullable(),
              counts: z.record(z.string(), z.number()),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listOutbox(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/outbox/{id}',
      tags: ['delivery'],
      summary: 'One message with its rendered content',
      request: { params: idParam },
      responses: {
        200: { description: 'The message', ...json(outboxDetail) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const message = await getOutboxMessage(c.var.ctx, c.req.valid('param').id);
      // The rendered content greets a person by name: the access log keeps who read it.
      if (seesPersonalData(c.var.ctx)) await logAccess(c.var.ctx, 'message.view', message.id);
      return c.json(message, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/outbox/{id}/retry',
      tags: ['delivery'],
      summary: 'Send a failed, uncertain or held message again',
      request: { params: idParam },
      responses: {
        200: { description: 'Queued again', ...json(outboxDetail) },
        404: { description: 'Not found' },
        409: { description: 'Not in a state that can be retried' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await retryMessage(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/settings/delivery',
      tags: ['delivery'],
      summary: 'Quiet hours, e-mail sender and SMS gateway',
      responses: { 200: { description: 'The settings', ...json(settingsView) }, ...problemResponses },
    }),
    async (c) => c.json(await getDeliverySettings(c.var.ctx, smtpConfigured(c.var.deps)), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/settings/delivery',
      tags: ['delivery'],
      summary:
        'Change quiet hours, the e-mail sender or the SMS gateway (header values are stored encrypted)',
      request: { body: { required: true, ...json(deliverySettingsInput) } },
      responses: { 200: { description: 'Saved', ...json(settingsView) }, ...problemResponses },
    }),
    async (c) =>
      c.json(await putDeliverySettings(c.var.ctx, c.req.valid('json'), smtpConfigured(c.var.deps)), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/suppressions',
      tags: ['delivery'],
      summary: 'Addresses that get no more messages (unsubscribed, bounced, complained)',
      request: { query: suppressionListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(suppressionView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listSuppressions(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/suppressions',
      tags: ['delivery'],
      summary: 'Stop all messages to an address',
      request: { body: { required: true, ...json(suppressionInput) } },
      responses: {
        201: {
          description: 'Suppressed',
          ...json(z.object({ id: z.string(), channel: z.enum(['email', 'sms']), reason: z.string() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await addSuppression(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/suppressions/{channel}/{id}',
      tags: ['delivery'],
      summary: 'Allow messages to an address again',
      request: { params: channelParam },
      responses: { 204: { description: 'Removed' }, 404: { description: 'Not found' }, ...problemResponses },
    }),
    async (c) => {
      const p = c.req.valid('param');
      await removeSuppression(c.var.ctx, p.channel, p.id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/delivery/events',
      tags: ['delivery'],
      summary: 'Report a bounce or complaint from the mail provider (by address or message id)',
      request: { body: { required: true, ...json(deliveryEventInput) } },
      responses: {
        200: { description: 'Recorded', ...json(z.object({ suppressed: z.boolean() })) },
        404: { description: 'No such message' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await recordDeliveryEvent(c.var.ctx, c.req.valid('json')), 200),
  );
