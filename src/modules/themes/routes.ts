// HTTP routes of themes: the overview, one theme with its verbatims, candidates, the summary and the taxonomy.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { previewInput, summaryQuery, taxonomyInput, themesQuery, verbatimQuery } from './schemas.js';
import {
  candidateThemesOf,
  previewTaxonomy,
  themeDetail,
  themesOverview,
  themeVerbatims,
  wishesAndComplaints,
} from './service.js';
import { getTaxonomy, putTaxonomy } from './taxonomy.js';

const tags = ['themes'];
const ok = (description: string) => ({ 200: { description }, ...problemResponses });

export const themeRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes',
      tags,
      summary:
        'Themes of the reasons: frequency, polarity, drivers of detractors and promoters, NPS impact, trend',
      description:
        'Customer or employee (eNPS) answers, never mixed; eNPS figures of fewer than the minimum group are withheld. ' +
        'Drivers: weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008). Emerging: ' +
        'one-sided exact conditional binomial test of the last 7 days against the 8 weeks before.',
      request: { query: themesQuery },
      responses: ok('The themes of the period'),
    }),
    async (c) => c.json(await themesOverview(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes/taxonomy',
      tags,
      summary: 'The organisation’s taxonomy of themes (created from the default one on first use)',
      responses: ok('The themes with their keywords and the version to send back when saving'),
    }),
    async (c) => c.json(await getTaxonomy(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/themes/taxonomy',
      tags,
      summary: 'Saves the whole taxonomy and re-tags every past answer in the background (owners and admins)',
      description:
        'Themes with an id are updated, without one created, those left out deleted. 409 on a stale version.',
      request: { body: json(taxonomyInput) },
      responses: { ...ok('The saved taxonomy'), 409: { description: 'Someone else saved in between' } },
    }),
    async (c) => c.json(await putTaxonomy(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/themes/taxonomy/preview',
      tags,
      summary: 'What a taxonomy edit would find in the latest answers, before it is saved',
      request: { body: json(previewInput) },
      responses: ok('Per theme: answers found now and with the draft, and examples it adds or drops'),
    }),
    async (c) => c.json(await previewTaxonomy(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes/candidates',
      tags,
      summary: 'Candidate themes: frequent words and phrases of answers no theme covers, with examples',
      request: { query: themesQuery },
      responses: ok('Candidates, most used first'),
    }),
    async (c) => c.json(await candidateThemesOf(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes/summary',
      tags,
      summary: 'Wishes and complaints of a unit and period, in Russian or English (for digests and reports)',
      request: { query: summaryQuery },
      responses: ok(
        'Top complaints, wishes and praise with an example each, emerging themes, and a paragraph',
      ),
    }),
    async (c) => c.json(await wishesAndComplaints(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes/{id}',
      tags,
      summary: 'One theme over time, per unit and per employee',
      request: { params: idParam, query: themesQuery },
      responses: { ...ok('The theme'), 404: { description: 'No such theme' } },
    }),
    async (c) => c.json(await themeDetail(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/themes/{id}/answers',
      tags,
      summary: 'The answers naming a theme, filtered by unit, period, score, channel and polarity',
      description: 'Reasons are returned as the respondent wrote them: escape them where you show them.',
      request: { params: idParam, query: verbatimQuery },
      responses: {
        200: {
          description: 'Newest first, with a cursor',
          ...json(
            z.object({ items: z.array(z.object({ id: z.string(), reason: z.string() }).passthrough()) }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await themeVerbatims(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  );
