// HTTP routes of contacts (visits and purchases).
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  contactBatch,
  contactInput,
  contactListQuery,
  deleteContact,
  getContact,
  listContacts,
  recordContacts,
} from './service.js';

const contactView = z
  .object({
    id: z.uuid(),
    externalId: z.string().nullable(),
    customerId: z.uuid(),
    unitId: z.uuid(),
    employeeId: z.uuid().nullable(),
    service: z.string().nullable(),
    amountMinor: z.number().nullable(),
    currency: z.string(),
    occurredAt: z.string(),
  })
  .openapi('Contact');

export const contactRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/contacts',
      tags: ['customers'],
      summary: 'Record a visit or purchase (idempotent by externalId)',
      request: { body: { required: true, ...json(contactInput) } },
      responses: {
        200: { description: 'Updated (externalId known)', ...json(contactView) },
        201: { description: 'Recorded', ...json(contactView) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const result = await recordContacts(c.var.ctx, [c.req.valid('json')]);
      return c.json(result.items[0]!, result.created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/contacts/batch',
      tags: ['customers'],
      summary: 'Record up to 1,000 visits or purchases in one request',
      request: { body: { required: true, ...json(contactBatch) } },
      responses: {
        200: {
          description: 'Recorded',
          ...json(z.object({ items: z.array(contactView), created: z.number(), updated: z.number() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await recordContacts(c.var.ctx, c.req.valid('json').items), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/contacts',
      tags: ['customers'],
      summary: 'Visits and purchases, newest first (filter by customer, unit, time)',
      request: { query: contactListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(contactView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listContacts(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/contacts/{id}',
      tags: ['customers'],
      request: { params: idParam },
      responses: {
        200: { description: 'The contact', ...json(contactView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getContact(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/contacts/{id}',
      tags: ['customers'],
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found' }, ...problemResponses },
    }),
    async (c) => {
      await deleteContact(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
