// HTTP routes of a person's rights (export, erasure), retention periods and the access log.
import { createRoute, z } from '@hono/zod-openapi';
import { json, newRouter, problemResponses } from '../kernel/index.js';
import { accessLogQuery, listAccessLog, logAccess } from './access-log.js';
import { getRetention, retentionInput, setRetention } from './retention.js';
import { erasePerson, exportPerson, personQuery } from './rights.js';

const retentionView = z
  .object({
    inactiveCustomerMonths: z.number().nullable(),
    reasonMonths: z.number().nullable(),
    messageBodyDays: z.number().nullable(),
    accessLogMonths: z.number().nullable(),
  })
  .openapi('Retention');

const exportView = z
  .object({
    generatedAt: z.string(),
    customers: z.array(
      z
        .object({ customer: z.object({ id: z.uuid() }).passthrough() })
        .passthrough()
        .openapi({
          description:
            'One customer record: customer, contacts, invitations, answers, cases, messages, calls, consents, erasure',
        }),
    ),
  })
  .openapi('PersonalDataExport');

const erasureView = z
  .object({
    erased: z.array(
      z.object({
        customerId: z.uuid(),
        answersUnlinked: z.number(),
        reasonsMasked: z.number(),
        messagesCleared: z.number(),
        casesUnlinked: z.number(),
      }),
    ),
  })
  .openapi('Erasure');

const logLine = z
  .object({
    id: z.uuid(),
    at: z.string(),
    userId: z.uuid().nullable(),
    userEmail: z.string().nullable(),
    actor: z.enum(['user', 'cli', 'system']),
    action: z.string(),
    target: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AccessLogLine');

export const privacyRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/privacy/export',
      tags: ['privacy'],
      summary:
        'Everything held about a person (customer, visits, answers, cases, messages, consents) as JSON',
      description:
        'Owner or admin. Name the person by one of customerId, email, phone or externalId. Logged.',
      request: { body: { required: true, ...json(personQuery) } },
      responses: {
        200: { description: 'The export', ...json(exportView) },
        404: { description: 'No such customer' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const body = c.req.valid('json');
      const result = await exportPerson(ctx, body);
      await logAccess(ctx, 'privacy.export', result.customers[0]?.customer.id ?? null, {
        customers: result.customers.map((r) => r.customer.id),
        by: Object.keys(body)[0] ?? null,
      });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/privacy/erase',
      tags: ['privacy'],
      summary: "Erase a person's personal data; their answers stay, unlinked and anonymous",
      description:
        'Owner or admin. Name, e-mail, phone, external id and blind indexes are deleted; answers lose the link to ' +
        'the person (scores and masked reasons stay, so counts do not change); their addresses are suppressed and ' +
        'the record is opted out, so they get no more surveys. Logged.',
      request: { body: { required: true, ...json(personQuery) } },
      responses: {
        200: { description: 'Erased', ...json(erasureView) },
        404: { description: 'No such customer' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const body = c.req.valid('json');
      const erased = await erasePerson(ctx, body);
      await logAccess(ctx, 'privacy.erase', erased[0]?.customerId ?? null, {
        customers: erased.map((e) => e.customerId),
        answersUnlinked: erased.reduce((n, e) => n + e.answersUnlinked, 0),
        by: Object.keys(body)[0] ?? null,
      });
      return c.json({ erased }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/privacy/retention',
      tags: ['privacy'],
      summary: 'Retention periods of personal data (owner or admin)',
      responses: { 200: { description: 'The periods', ...json(retentionView) }, ...problemResponses },
    }),
    async (c) => c.json(await getRetention(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/privacy/retention',
      tags: ['privacy'],
      summary: 'Set the retention periods (null keeps that data); applied hourly by the worker',
      request: { body: { required: true, ...json(retentionInput) } },
      responses: { 200: { description: 'Saved', ...json(retentionView) }, ...problemResponses },
    }),
    async (c) => c.json(await setRetention(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/privacy/access-log',
      tags: ['privacy'],
      summary: 'Who saw or exported personal data, and every admin action, newest first (owner only)',
      request: { query: accessLogQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(logLine), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listAccessLog(c.var.ctx, c.req.valid('query')), 200),
  );
