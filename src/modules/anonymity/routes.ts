// HTTP routes of eNPS anonymity: the organisation's minimum group of employee answers.
import { createRoute } from '@hono/zod-openapi';
import { json, newRouter, problemResponses } from '../kernel/index.js';
import { anonymityInput, getAnonymitySettings, putAnonymitySettings } from './service.js';

const tags = ['anonymity'];

export const anonymityRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/settings/anonymity',
      tags,
      summary:
        'The minimum group of employee (eNPS) answers: no figure or comment of a smaller group is shown, nor one that could be worked out by subtraction',
      responses: {
        200: { description: '`minGroupSize`, `defaultMinGroupSize` (5), `floor` (3)' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getAnonymitySettings(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/settings/anonymity',
      tags,
      summary: 'Set the minimum group of employee answers (owners and admins); never below 3',
      request: { body: { required: true, ...json(anonymityInput) } },
      responses: { 200: { description: 'The settings' }, ...problemResponses },
    }),
    async (c) => c.json(await putAnonymitySettings(c.var.ctx, c.req.valid('json')), 200),
  );
