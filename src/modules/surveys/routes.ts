// HTTP routes of surveys.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  createSurvey,
  deleteSurvey,
  getSurvey,
  listSurveys,
  newSurveyInput,
  surveyListQuery,
  surveyPatch,
  updateSurvey,
} from './service.js';

const texts = z.object({ question: z.string(), reason: z.string(), thanks: z.string().optional() });
export const surveyView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    audience: z.enum(['customer', 'employee']),
    kind: z.enum(['relationship', 'transactional']),
    defaultLocale: z.enum(['ru', 'en']),
    status: z.enum(['active', 'closed']),
    texts: z.object({ ru: texts, en: texts }),
    createdAt: z.string(),
    responseCount: z.number(),
  })
  .openapi('Survey');

export const surveyRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/surveys',
      tags: ['surveys'],
      summary:
        'Create a survey of customers or (anonymous) employees; texts default to the standard NPS question',
      request: { body: { required: true, ...json(newSurveyInput) } },
      responses: { 201: { description: 'Created', ...json(surveyView) }, ...problemResponses },
    }),
    async (c) => c.json(await createSurvey(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys',
      tags: ['surveys'],
      summary: 'Surveys, newest first',
      request: { query: surveyListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(surveyView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listSurveys(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}',
      tags: ['surveys'],
      request: { params: idParam },
      responses: {
        200: { description: 'The survey', ...json(surveyView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getSurvey(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/surveys/{id}',
      tags: ['surveys'],
      summary: 'Rename, re-word, or close a survey (a closed survey accepts no answers)',
      request: { params: idParam, body: { required: true, ...json(surveyPatch) } },
      responses: {
        200: { description: 'Updated', ...json(surveyView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateSurvey(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/surveys/{id}',
      tags: ['surveys'],
      summary: 'Delete a survey (hidden and closed; its answers are kept)',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found' }, ...problemResponses },
    }),
    async (c) => {
      await deleteSurvey(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
