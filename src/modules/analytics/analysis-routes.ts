// HTTP routes of the analyses, one set per audience: /analytics/customers/… and /analytics/employees/… never mix.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { type ApiEnv, json, problemResponses } from '../kernel/index.js';
import {
  answersBehind,
  answersQuery,
  breakdown,
  breakdownQuery,
  ranking,
  rankingQuery,
  summary,
  trend,
  trendQuery,
} from './analysis.js';
import { type Audience, analysisFilters } from './scope.js';
import { bandsInput, bandsOf, updateBands } from './settings.js';

const badInput = {
  400: {
    description:
      'Filters that cannot hold (period reversed or too long, a filter the organisation has no data for)',
  },
  404: { description: 'Unknown or invisible unit, employee or survey' },
} as const;
const anyJson = (description: string) => ({ description, ...json(z.object({}).passthrough()) });

/** Adds the analysis routes of one audience to the router. */
export function withAnalysisRoutes(router: OpenAPIHono<ApiEnv>, audience: Audience) {
  const base = `/analytics/${audience === 'customer' ? 'customers' : 'employees'}`;
  const tag = [`analytics (${audience}s)`];
  return router
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/summary`,
        tags: tag,
        summary:
          'NPS of the period with its interval, 0–10 distribution, segment shares, response rate, and change vs the previous period and a year ago (test named)',
        request: { query: analysisFilters },
        responses: { 200: anyJson('The summary'), ...badInput, ...problemResponses },
      }),
      async (c) => c.json(await summary(c.var.ctx, audience, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/trend`,
        tags: tag,
        summary:
          'NPS per week, month or quarter (cut in the organisation’s time zone) with interval, n, and significance vs the previous bucket and the same bucket a year ago',
        request: { query: analysisFilters.extend(trendQuery.shape) },
        responses: {
          200: anyJson('One bucket per week, month or quarter'),
          ...badInput,
          ...problemResponses,
        },
      }),
      async (c) => c.json(await trend(c.var.ctx, audience, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/breakdown`,
        tags: tag,
        summary:
          'NPS by unit (children of parentId, with breadcrumbs), employee, channel, survey, service, revenue, visit-frequency or tenure band, each marked above / below / not different from the rest of the company',
        request: { query: analysisFilters.extend(breakdownQuery.shape) },
        responses: { 200: anyJson('One row per group'), ...badInput, ...problemResponses },
      }),
      async (c) => c.json(await breakdown(c.var.ctx, audience, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/ranking`,
        tags: tag,
        summary:
          'Units of a level or employees ordered by an empirical-Bayes (shrunk) NPS, the raw one beside it, intervals and marks; groups under minAnswers listed apart',
        request: { query: analysisFilters.extend(rankingQuery.shape) },
        responses: { 200: anyJson('The ranking'), ...badInput, ...problemResponses },
      }),
      async (c) => c.json(await ranking(c.var.ctx, audience, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: `${base}/answers`,
        tags: tag,
        summary:
          'The answers behind a number, newest first, with reasons: the same filters, plus a segment, score, bucket or breakdown row',
        request: { query: analysisFilters.extend(answersQuery.shape) },
        responses: {
          200: anyJson('A page of answers and the cursor of the next'),
          ...badInput,
          ...problemResponses,
        },
      }),
      async (c) => c.json(await answersBehind(c.var.ctx, audience, c.req.valid('query')), 200),
    );
}

/** The organisation's bands (revenue, visit frequency, tenure). */
export function withBandRoutes(router: OpenAPIHono<ApiEnv>) {
  return router
    .openapi(
      createRoute({
        method: 'get',
        path: '/analytics/settings',
        tags: ['analytics'],
        summary:
          'The bands answers are cut into: revenue (quantiles or fixed bounds), visit frequency, tenure',
        responses: { 200: anyJson('The bands'), ...problemResponses },
      }),
      async (c) => c.json(await bandsOf(c.var.ctx), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/analytics/settings',
        tags: ['analytics'],
        summary: 'Change the bands (owners and admins); the stored answers are re-cut at once',
        request: { body: json(bandsInput) },
        responses: {
          200: anyJson('The bands now'),
          400: { description: 'Nothing to change' },
          ...problemResponses,
        },
      }),
      async (c) => c.json(await updateBands(c.var.ctx, c.req.valid('json')), 200),
    );
}
