// HTTP routes of benchmarks: the built-in sets, the org's industry and own rows, and its NPS beside them.
import { createRoute } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  addBenchmarkRow,
  benchmarkRowInput,
  benchmarkRowPatch,
  benchmarkSets,
  benchmarksQuery,
  chooseIndustry,
  deleteBenchmarkRow,
  getBenchmarks,
  industryInput,
  industryReference,
  listBenchmarkRows,
  updateBenchmarkRow,
} from './service.js';

const tags = ['benchmarks'];

export const benchmarkRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/benchmarks/sets',
      tags,
      summary:
        'The built-in industry benchmarks (US industries, Russian banks, Reichheld’s overall figures): per industry its key, average and leader, with the source and year',
      responses: { 200: { description: '`sets`' }, ...problemResponses },
    }),
    (c) => c.json({ sets: benchmarkSets() }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/benchmarks',
      tags,
      summary:
        'Your customer NPS with its 95% interval for the period (default: the last 12 months) beside your industry’s average and leader and your own rows',
      request: { query: benchmarksQuery },
      responses: { 200: { description: 'The benchmarks view' }, ...problemResponses },
    }),
    async (c) => c.json(await getBenchmarks(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/benchmarks/reference',
      tags,
      summary: 'Only the industry average and leader charts are drawn against, with source and year',
      responses: { 200: { description: '`industry`, `average`, `leader`' }, ...problemResponses },
    }),
    async (c) => c.json(await industryReference(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/benchmarks/industry',
      tags,
      summary: 'Choose your industry (a key from /benchmarks/sets), or null for none — owners and admins',
      request: { body: { required: true, ...json(industryInput) } },
      responses: { 200: { description: 'The new reference' }, ...problemResponses },
    }),
    async (c) => c.json(await chooseIndustry(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/benchmarks/rows',
      tags,
      summary: 'Your own benchmark rows',
      responses: { 200: { description: '`items`' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await listBenchmarkRows(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/benchmarks/rows',
      tags,
      summary:
        'Add a benchmark row: name, value (NPS points −100…100), source, year; kind `average` or `leader` stands in for the industry’s when none is chosen',
      request: { body: { required: true, ...json(benchmarkRowInput) } },
      responses: { 201: { description: 'The row' }, ...problemResponses },
    }),
    async (c) => c.json(await addBenchmarkRow(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/benchmarks/rows/{id}',
      tags,
      summary: 'Change a benchmark row',
      request: { params: idParam, body: { required: true, ...json(benchmarkRowPatch) } },
      responses: {
        200: { description: 'The row' },
        404: { description: 'No such row' },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await updateBenchmarkRow(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/benchmarks/rows/{id}',
      tags,
      summary: 'Delete a benchmark row',
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such row' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteBenchmarkRow(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
