// HTTP routes of customers.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses, seesPersonalData } from '../kernel/index.js';
import { logAccess } from '../privacy/index.js';
import {
  customerBatch,
  customerInput,
  customerListQuery,
  customerPatch,
  deleteCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
  upsertCustomers,
} from './service.js';

const customerView = z
  .object({
    id: z.uuid(),
    pseudonym: z.string().openapi({
      description: 'Stable pseudonym (C-XXXXXXXXXX), the same in every view and export',
      example: 'C-7F3K2Q9M4X',
    }),
    externalId: z.string().nullable().openapi({ description: 'null for analysts (pseudonymised access)' }),
    name: z.string().nullable().openapi({ description: 'The pseudonym for analysts (pseudonymised access)' }),
    email: z.string().nullable().openapi({ description: 'null for analysts' }),
    phone: z.string().nullable().openapi({ description: 'null for analysts' }),
    locale: z.enum(['ru', 'en']).nullable(),
    homeUnitId: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Customer');
const batchResult = z.object({ items: z.array(customerView), created: z.number(), updated: z.number() });

export const customerRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers',
      tags: ['customers'],
      summary: 'Create a customer, or update the one with the same externalId',
      request: { body: { required: true, ...json(customerInput) } },
      responses: {
        200: { description: 'Updated (externalId known)', ...json(customerView) },
        201: { description: 'Created', ...json(customerView) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const result = await upsertCustomers(c.var.ctx, [c.req.valid('json')]);
      return c.json(result.items[0]!, result.created ? 201 : 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/customers/batch',
      tags: ['customers'],
      summary: 'Upsert up to 1,000 customers by externalId in one request',
      request: { body: { required: true, ...json(customerBatch) } },
      responses: { 200: { description: 'Upserted', ...json(batchResult) }, ...problemResponses },
    }),
    async (c) => c.json(await upsertCustomers(c.var.ctx, c.req.valid('json').items), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers',
      tags: ['customers'],
      summary: 'Customers, a page at a time; find one by email, phone or externalId',
      request: { query: customerListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(customerView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listCustomers(c.var.ctx, query);
      // Names, e-mails and phones were shown: the access log keeps who saw whose (ids only).
      if (page.items.length && seesPersonalData(c.var.ctx))
        await logAccess(c.var.ctx, 'customer.list', null, {
          customers: page.items.map((i) => i.id),
          by: query.email ? 'email' : query.phone ? 'phone' : query.externalId ? 'externalId' : null,
        });
      return c.json(page, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/customers/{id}',
      tags: ['customers'],
      request: { params: idParam },
      responses: {
        200: { description: 'The customer', ...json(customerView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const customer = await getCustomer(c.var.ctx, c.req.valid('param').id);
      if (seesPersonalData(c.var.ctx)) await logAccess(c.var.ctx, 'customer.view', customer.id);
      return c.json(customer, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/customers/{id}',
      tags: ['customers'],
      summary: 'Change a customer; null clears a field',
      request: { params: idParam, body: { required: true, ...json(customerPatch) } },
      responses: {
        200: { description: 'Updated', ...json(customerView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateCustomer(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/customers/{id}',
      tags: ['customers'],
      summary: 'Delete a customer with their visits; their answers stay, detached',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found' }, ...problemResponses },
    }),
    async (c) => {
      await deleteCustomer(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
