// HTTP routes of invitations.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import {
  createInvitations,
  getInvitation,
  invitationListQuery,
  listInvitations,
  newInvitationsInput,
} from './service.js';

const invitationView = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    customerId: z.uuid().nullable(),
    contactId: z.uuid().nullable(),
    employeeId: z.uuid().nullable(),
    unitId: z.uuid().nullable(),
    channel: z.enum(['link', 'email', 'sms', 'widget', 'phone']),
    locale: z.enum(['ru', 'en']),
    status: z.enum(['pending', 'answered']),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi('Invitation');

export const invitationRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/surveys/{id}/invitations',
      tags: ['surveys'],
      summary:
        'Invite customers, contacts or employees: answers one unique single-use link per invitation (shown once)',
      request: { params: idParam, body: { required: true, ...json(newInvitationsInput) } },
      responses: {
        201: {
          description: 'Created',
          ...json(z.object({ items: z.array(invitationView.extend({ url: z.string() })) })),
        },
        404: { description: 'No such survey' },
        409: { description: 'Survey closed' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const items = await createInvitations(
        c.var.ctx,
        c.req.valid('param').id,
        c.req.valid('json'),
        c.var.deps.publicUrl,
      );
      return c.json({ items }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/invitations',
      tags: ['surveys'],
      summary: 'Invitations of a survey, newest first (links are not shown again)',
      request: { params: idParam, query: invitationListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(invitationView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listInvitations(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/invitations/{id}',
      tags: ['surveys'],
      request: { params: idParam },
      responses: {
        200: { description: 'The invitation', ...json(invitationView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getInvitation(c.var.ctx, c.req.valid('param').id), 200),
  );
