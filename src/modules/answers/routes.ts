// HTTP routes for reading answers.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { listResponses, responseListQuery } from './service.js';

const responseView = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    score: z.number().int().min(0).max(10),
    segment: z.enum(['promoter', 'passive', 'detractor']),
    reason: z.string().nullable(),
    locale: z.enum(['ru', 'en']),
    unitId: z.uuid().nullable(),
    employeeId: z.uuid().nullable().optional(),
    customerId: z.uuid().nullable().optional(),
    contactId: z.uuid().nullable().optional(),
    channel: z.string().optional(),
    answeredAt: z.string().nullable().openapi({
      description:
        'An instant; null for employee (eNPS) answers, which are listed without time or unit, in no time order, and only for a group at least the minimum',
    }),
    amendedAt: z.string().nullable().optional(),
  })
  .openapi('Response');

export const answerRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/surveys/{id}/responses',
    tags: ['surveys'],
    summary: 'Answers of a survey, newest first (eNPS answers carry no person and only the day)',
    request: { params: idParam, query: responseListQuery },
    responses: {
      200: {
        description: 'A page',
        ...json(z.object({ items: z.array(responseView), nextCursor: z.string().nullable() })),
      },
      ...problemResponses,
    },
  }),
  async (c) => c.json(await listResponses(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
);
