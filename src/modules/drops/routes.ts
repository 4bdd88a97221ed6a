// HTTP routes of drop alerts: the org's rule, the drops found, and a check run now.
import { createRoute, z } from '@hono/zod-openapi';
import { canWrite, json, newRouter, problemResponses, requireRole } from '../kernel/index.js';
import { checkDrops, listDrops } from './check.js';
import { dropSettingsInput, getDropSettings, putDropSettings } from './settings.js';

const tags = ['drops'];

export const dropRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/settings/drops',
      tags,
      summary: 'The drop-alert rule: `enabled`, `period` (week | month), `minDrop`, `floor`, `minAnswers`',
      responses: { 200: { description: 'The rule (the defaults when never set)' }, ...problemResponses },
    }),
    async (c) => c.json(await getDropSettings(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/settings/drops',
      tags,
      summary:
        'Set the drop-alert rule (owners and admins): a fall alerts when it is significant (p < 0.05) and at least `minDrop` points, or when the score crosses below `floor`; periods with fewer than `minAnswers` answers are not judged',
      request: { body: { required: true, ...json(dropSettingsInput) } },
      responses: { 200: { description: 'The rule' }, ...problemResponses },
    }),
    async (c) => c.json(await putDropSettings(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/drops',
      tags,
      summary:
        'NPS drops found: the latest alerts, and every scope (company and units you see) of the latest period checked',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: { description: '`alerts`, `latest`' }, ...problemResponses },
    }),
    async (c) => c.json(await listDrops(c.var.ctx, c.req.valid('query').limit), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/drops/check',
      tags,
      summary:
        'Judge the latest complete period now (owners and admins); a period already judged is not judged again and alerts nobody twice',
      responses: {
        200: { description: 'The report: `status`, periods, `checks`, `alerts` raised' },
        ...problemResponses,
      },
    }),
    async (c) => {
      requireRole(c.var.ctx, ...canWrite);
      return c.json(await checkDrops(c.var.ctx), 200);
    },
  );
