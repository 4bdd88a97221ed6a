// HTTP routes of employees.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  createEmployee,
  deleteEmployee,
  employeeListQuery,
  employeePatch,
  getEmployee,
  listEmployees,
  newEmployeeInput,
  updateEmployee,
} from './service.js';

const employeeView = z
  .object({
    id: z.uuid(),
    unitId: z.uuid(),
    name: z.string().nullable().openapi({ description: 'null for analysts (pseudonymised access)' }),
    email: z.string().nullable(),
    position: z.string().nullable(),
    externalId: z.string().nullable(),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('Employee');

export const employeeRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/employees',
      tags: ['structure'],
      summary: 'Add an employee to a unit',
      request: { body: { required: true, ...json(newEmployeeInput) } },
      responses: { 201: { description: 'Created', ...json(employeeView) }, ...problemResponses },
    }),
    async (c) => c.json(await createEmployee(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/employees',
      tags: ['structure'],
      summary: 'Employees, a page at a time (filter by unitId)',
      request: { query: employeeListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(employeeView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listEmployees(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/employees/{id}',
      tags: ['structure'],
      request: { params: idParam },
      responses: {
        200: { description: 'The employee', ...json(employeeView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getEmployee(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/employees/{id}',
      tags: ['structure'],
      request: { params: idParam, body: { required: true, ...json(employeePatch) } },
      responses: {
        200: { description: 'Updated', ...json(employeeView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateEmployee(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/employees/{id}',
      tags: ['structure'],
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        409: { description: 'Has history' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteEmployee(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
