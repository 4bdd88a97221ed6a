// HTTP route of the readiness audit.
import { createRoute, z } from '@hono/zod-openapi';
import { json, newRouter, problemResponses } from '../kernel/index.js';
import { auditBase, auditQuery } from './service.js';

export const auditRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/audit',
    tags: ['audit'],
    summary:
      'Readiness audit of the client database: what it is fit for and what the accounting system must add',
    description:
      'Shares of customers with a valid e-mail and mobile phone, duplicates, opt-outs, fill rates of contact fields, ' +
      'history depth and recency; the recommended survey method with the sample and NPS margin of error each ' +
      'channel would give; the requirements to the accounting system by severity. Owners, admins, managers (their ' +
      'subtree) and analysts (counts only, no personal data).',
    request: { query: auditQuery },
    responses: {
      200: { description: 'The findings', ...json(z.object({}).passthrough().openapi('AuditFindings')) },
      ...problemResponses,
    },
  }),
  async (c) => c.json(await auditBase(c.var.ctx, { unitId: c.req.valid('query').unitId }), 200),
);
