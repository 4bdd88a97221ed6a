// HTTP route of the loop metrics: GET /loop/metrics for the dashboard and the API.
import { createRoute, z } from '@hono/zod-openapi';
import { json, newRouter, problemResponses } from '../kernel/index.js';
import { caseLoopMetrics, metricsQuery } from './service.js';

const share = z
  .object({
    n: z.number().int(),
    count: z.number().int(),
    share: z.number().nullable().openapi({ description: '0–1; null when n = 0' }),
    ci95: z.tuple([z.number(), z.number()]).nullable().openapi({ description: 'Wilson 95% interval' }),
    smallSample: z.boolean().openapi({ description: 'n below 30: read with care' }),
  })
  .openapi('LoopShare');

const duration = z
  .object({
    n: z.number().int(),
    medianHours: z.number().nullable(),
    p90Hours: z.number().nullable(),
    smallSample: z.boolean(),
  })
  .openapi('LoopDuration');

const metrics = z
  .object({
    cases: z.number().int(),
    open: z.number().int(),
    resolved: z.number().int(),
    unresolved: z.number().int(),
    contactedWithin48h: share.openapi({
      description: 'Detractor cases whose 48 hours have passed: contacted (first reached) within 48 hours',
    }),
    timeToFirstContact: duration,
    timeToResolution: duration,
    overdue: z.number().int().openapi({ description: 'Open cases of the period past due now' }),
    closedRate: share,
    resolutionRate: share.openapi({ description: 'Of the closed cases, the share resolved' }),
    escalationRate: share,
    resurvey: z.object({
      n: z.number().int(),
      meanChange: z.number().nullable().openapi({ description: 'Mean of re-survey score − original score' }),
      becamePromoters: z.number().nullable(),
      becamePassives: z.number().nullable(),
      smallSample: z.boolean(),
    }),
  })
  .openapi('LoopMetrics');

export const loopMetricsReport = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    asOf: z.string(),
    groupBy: z.enum(['unit', 'manager', 'month', 'week']).nullable(),
    total: metrics,
    overdueNow: z.number().int().openapi({ description: 'All open cases past due now, whenever opened' }),
    rows: z.array(metrics.extend({ key: z.string(), label: z.string().nullable() })),
  })
  .openapi('LoopMetricsReport');

export const loopMetricsRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/loop/metrics',
    tags: ['loop'],
    summary:
      'How well the loop is closed: detractors contacted within 48 hours, time to first contact and to resolution (median, p90), overdue, resolution and escalation rates, re-survey uplift — for the period, per unit, per manager or as a monthly / weekly trend',
    description:
      'Cases opened from `from` to `to` (local days in the organisation’s time zone, both included). Managers see their units; front-line users their own cases; analysts see no manager names. Every figure carries its n; `smallSample` flags n < 30.',
    request: { query: metricsQuery },
    responses: { 200: { description: 'The metrics', ...json(loopMetricsReport) }, ...problemResponses },
  }),
  async (c) => c.json(await caseLoopMetrics(c.var.ctx, c.req.valid('query')), 200),
);
