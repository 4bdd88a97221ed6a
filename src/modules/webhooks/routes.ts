// HTTP routes of webhooks: endpoints (owners and admins), their delivery log, a test send and redelivery.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { senderFor } from './sender.js';
import {
  createEndpoint,
  deleteEndpoint,
  deliveriesQuery,
  deliveryView,
  endpointInput,
  endpointPatch,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  queueTest,
  redeliver,
  updateEndpoint,
} from './service.js';

const tags = ['webhooks'];

export const webhookRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/webhooks',
      tags,
      summary: 'Webhook endpoints (owners and admins)',
      responses: { 200: { description: '`items`' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await listEndpoints(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/webhooks',
      tags,
      summary:
        'Add an endpoint. The answer carries `secret` (whsec_…) once: verify each request with it (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature v1 HMAC-SHA256). The URL must be http(s) and resolve to public addresses; `allowPrivate` lets an owner or admin name one inside the network.',
      request: { body: { required: true, ...json(endpointInput) } },
      responses: {
        201: { description: 'The endpoint with its secret' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await createEndpoint(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/{id}',
      tags,
      summary: 'One endpoint (never its secret)',
      request: { params: idParam },
      responses: {
        200: { description: 'The endpoint' },
        404: { description: 'No such endpoint' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getEndpoint(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/webhooks/{id}',
      tags,
      summary: 'Change the URL, description, events, allowPrivate, or switch the endpoint on or off',
      request: { params: idParam, body: { required: true, ...json(endpointPatch) } },
      responses: {
        200: { description: 'The endpoint' },
        404: { description: 'No such endpoint' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateEndpoint(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/webhooks/{id}',
      tags,
      summary: 'Delete an endpoint and its delivery log',
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such endpoint' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteEndpoint(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/webhooks/{id}/deliveries',
      tags,
      summary:
        'The delivery log, newest first: status, attempts, last HTTP status, error, duration, next attempt',
      request: { params: idParam, query: deliveriesQuery },
      responses: {
        200: { description: '`items`, `nextCursor`' },
        404: { description: 'No such endpoint' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listDeliveries(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/{id}/test',
      tags,
      summary:
        'Send a `webhook.test` event now and answer with the outcome (one attempt, up to the 10 s timeout)',
      request: { params: idParam },
      responses: {
        200: { description: 'The delivery' },
        404: { description: 'No such endpoint' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const queued = await queueTest(c.var.ctx, c.req.valid('param').id);
      const sent = await senderFor(c.var.deps).sendNow(c.var.ctx, queued.id);
      return c.json(deliveryView(sent), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/deliveries/{id}/redeliver',
      tags,
      summary:
        'Send a delivered or failed delivery again (from the start of the retry schedule, same webhook-id)',
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        200: { description: 'The delivery, pending' },
        404: { description: 'No such delivery' },
        409: { description: 'It is still being sent' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await redeliver(c.var.ctx, c.req.valid('param').id), 200),
  );
