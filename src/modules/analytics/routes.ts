// HTTP routes of analytics: NPS with intervals, and the dashboard overview.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { withAnalysisRoutes, withBandRoutes } from './analysis-routes.js';
import { npsQuery, overview, overviewQuery, surveyNps } from './service.js';

export const npsRow = z
  .object({
    key: z.string().openapi({
      description: "'all', a month 'YYYY-MM', an ISO week 'YYYY-Www', a unit/employee id or a channel",
    }),
    label: z.string(),
    n: z.number().int(),
    promoters: z.number().int(),
    passives: z.number().int(),
    detractors: z.number().int(),
    nps: z.number().nullable().openapi({ description: '%promoters − %detractors, −100…100, 1 decimal' }),
    ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: '95% confidence interval' }),
    moe: z.number().nullable().openapi({ description: 'Margin of error: half the interval' }),
    smallSample: z.boolean(),
  })
  .openapi('NpsRow');

const legacyRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/nps',
      tags: ['analytics'],
      summary:
        'NPS of a survey with its 95% interval, for the period or grouped by month, week, unit, employee or channel',
      description:
        'Days, weeks and months are cut in the organisation’s time zone. `from` and `to` are local dates, both included.',
      request: { params: idParam, query: npsQuery },
      responses: {
        200: { description: 'One row per group', ...json(z.object({ rows: z.array(npsRow) })) },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json({ rows: await surveyNps(c.var.ctx, c.req.valid('param').id, c.req.valid('query')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/overview',
      tags: ['analytics'],
      summary:
        'The dashboard overview for customers or employees: NPS, change, trend, distribution, branches, reasons',
      request: { query: overviewQuery },
      responses: { 200: { description: 'The overview' }, ...problemResponses },
    }),
    async (c) => c.json(await overview(c.var.ctx, c.req.valid('query')), 200),
  );

export const analyticsRoutes = withBandRoutes(
  withAnalysisRoutes(withAnalysisRoutes(legacyRoutes, 'customer'), 'employee'),
);
