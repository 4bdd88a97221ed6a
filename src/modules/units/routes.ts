// HTTP routes of the unit tree.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  createUnit,
  deleteUnit,
  getUnit,
  listUnits,
  newUnitInput,
  unitPatch,
  updateUnit,
} from './service.js';

const unitView = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    kind: z.enum(['company', 'region', 'branch', 'department']),
    name: z.string(),
    externalId: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Unit');

export const unitRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/units',
      tags: ['structure'],
      summary: 'Create a unit (a tree through parentId: company → region → branch → department)',
      request: { body: { required: true, ...json(newUnitInput) } },
      responses: {
        201: { description: 'Created', ...json(unitView) },
        409: { description: 'externalId in use' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await createUnit(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/units',
      tags: ['structure'],
      summary: 'All units you may see, in tree order',
      responses: {
        200: { description: 'Units', ...json(z.object({ items: z.array(unitView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listUnits(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/units/{id}',
      tags: ['structure'],
      request: { params: idParam },
      responses: {
        200: { description: 'The unit', ...json(unitView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getUnit(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/units/{id}',
      tags: ['structure'],
      summary: 'Rename, re-classify or move a unit (its subtree moves with it)',
      request: { params: idParam, body: { required: true, ...json(unitPatch) } },
      responses: {
        200: { description: 'Updated', ...json(unitView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateUnit(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/units/{id}',
      tags: ['structure'],
      summary: 'Delete an empty unit',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 409: { description: 'Not empty' }, ...problemResponses },
    }),
    async (c) => {
      await deleteUnit(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
