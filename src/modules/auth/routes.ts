// HTTP routes of accounts: dashboard log-in/out, who am I, users and API keys.
import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { newRouter, problemResponses } from '../kernel/index.js';
import {
  createApiKey,
  createUser,
  type Identity,
  listApiKeys,
  listUsers,
  logIn,
  logOut,
  newUserInput,
  revokeApiKey,
  SESSION_DAYS,
} from './service.js';

export const SESSION_COOKIE = 'sarafan_session';

const sessionUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: z.enum(['owner', 'admin', 'manager', 'frontline', 'analyst']),
    locale: z.enum(['ru', 'en']),
    orgName: z.string(),
    timeZone: z.string(),
  })
  .openapi('SessionUser');

const userOf = (i: Identity) => ({
  id: i.actor.userId,
  email: i.email,
  role: i.actor.role,
  locale: i.locale,
  orgName: i.orgName,
  timeZone: i.timeZone,
});

/** Routes reachable without a session: only log-in. */
export const publicAuthRoutes = newRouter().openapi(
  createRoute({
    method: 'post',
    path: '/auth/login',
    tags: ['auth'],
    summary: 'Log in to the dashboard (sets an HttpOnly session cookie)',
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              email: z.string().trim().min(1).max(254),
              password: z.string().min(1).max(200),
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Logged in',
        content: { 'application/json': { schema: z.object({ user: sessionUser }) } },
      },
      401: { description: 'Wrong e-mail or password' },
    },
  }),
  async (c) => {
    const { db, vault, clock, publicUrl } = c.var.deps;
    const { token, identity } = await logIn(db, vault, c.req.valid('json'), clock());
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: publicUrl.startsWith('https://'),
      path: '/',
      maxAge: SESSION_DAYS * 86_400,
    });
    return c.json({ user: userOf(identity) }, 200);
  },
);

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/me',
      tags: ['auth'],
      summary: 'The logged-in user',
      responses: {
        200: {
          description: 'The user',
          content: { 'application/json': { schema: z.object({ user: sessionUser }) } },
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ user: userOf(c.var.principal) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['auth'],
      summary: 'End the dashboard session',
      responses: { 204: { description: 'Logged out' } },
    }),
    async (c) => {
      if (c.var.sessionToken) await logOut(c.var.deps.db, c.var.sessionToken);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags: ['auth'],
      summary: 'Users of the organisation',
      responses: { 200: { description: 'Users' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await listUsers(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/users',
      tags: ['auth'],
      summary: 'Create a user (roles owner, admin, manager, frontline, analyst; unitIds scope managers)',
      request: { body: { required: true, content: { 'application/json': { schema: newUserInput } } } },
      responses: {
        201: { description: 'Created' },
        409: { description: 'E-mail in use' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await createUser(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/api-keys',
      tags: ['auth'],
      summary: 'API keys of the organisation (never the keys themselves)',
      responses: { 200: { description: 'Keys' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await listApiKeys(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      tags: ['auth'],
      summary: 'Create an API key acting as you; the key is shown once',
      request: {
        body: {
          required: true,
          content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100) }) } },
        },
      },
      responses: { 201: { description: 'Created: `key` is shown only now' }, ...problemResponses },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const userId = ctx.actor.kind === 'user' ? ctx.actor.userId : '';
      const { key, info } = await createApiKey(ctx, { userId, name: c.req.valid('json').name });
      return c.json({ key, ...info }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api-keys/{id}',
      tags: ['auth'],
      summary: 'Revoke an API key',
      request: { params: z.object({ id: z.uuid() }) },
      responses: {
        204: { description: 'Revoked' },
        404: { description: 'No such key' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await revokeApiKey(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
