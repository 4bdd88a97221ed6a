// HTTP routes of accounts: log-in/out, sessions, password, two-step verification, users and API keys.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { type ApiEnv, AppError, idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { changePassword, logIn, loginInput, passwordChangeInput } from './login.js';
import { keyScopesOf, scopeCovers } from './scopes.js';
import {
  confirmTotp,
  disableTotp,
  renewRecoveryCodes,
  secondFactorStatus,
  startTotp,
} from './second-factor.js';
import {
  createApiKey,
  createUser,
  type Identity,
  listApiKeys,
  listUsers,
  newApiKeyInput,
  newUserInput,
  revokeApiKey,
} from './service.js';
import { endAllSessions, endSession, endSessionByToken, listSessions, SESSION_MAX_MS } from './sessions.js';
import type { LoginThrottle } from './throttle.js';

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

export interface PublicAuthOptions {
  throttle: LoginThrottle;
  /** The client's address (TRUST_PROXY-aware), a key for the per-address log-in limit. */
  clientAddress(c: Context): string;
  /** Whether the request reached us over HTTPS (directly or through a trusted proxy): the cookie is then Secure. */
  secure(c: Context): boolean;
}

/** Routes reachable without a session: only log-in. */
export function publicAuthRoutes(options: PublicAuthOptions) {
  return newRouter().openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['auth'],
      summary:
        'Log in to the dashboard (sets an HttpOnly session cookie). With two-step verification on, a first try without `code` answers 401 with errors[0].path = "code".',
      request: { body: { required: true, ...json(loginInput) } },
      responses: {
        200: { description: 'Logged in', ...json(z.object({ user: sessionUser })) },
        401: { description: 'Wrong e-mail or password, or the second factor is needed or wrong' },
        429: { description: 'Too many failed log-ins: locked for Retry-After seconds' },
        422: problemResponses[422],
      },
    }),
    async (c) => {
      const { db, vault, clock } = c.var.deps;
      const { token, identity } = await logIn(
        { db, vault, throttle: options.throttle },
        c.req.valid('json'),
        clock(),
        options.clientAddress(c),
      );
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: options.secure(c),
        path: '/',
        maxAge: SESSION_MAX_MS / 1000,
      });
      return c.json({ user: userOf(identity) }, 200);
    },
  );
}

/** Account security is changed only from a dashboard session, never with an API key. */
function requireSession(c: Context<ApiEnv>): string {
  const token = c.var.sessionToken;
  if (!token || c.req.header('authorization'))
    throw new AppError('forbidden', 'Only from a dashboard session, not with an API key');
  return token;
}

const codeInput = z.object({ code: z.string().trim().min(1).max(20) });
const recoveryCodesAnswer = json(z.object({ recoveryCodes: z.array(z.string()) }));

const sessionInfo = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    current: z.boolean(),
  })
  .openapi('Session');

const apiKeyInfo = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    expired: z.boolean(),
    userId: z.uuid(),
  })
  .openapi('ApiKey');

export const authRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/me',
      tags: ['auth'],
      summary: 'The logged-in user',
      responses: {
        200: { description: 'The user', ...json(z.object({ user: sessionUser })) },
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
      summary: 'End this dashboard session',
      responses: { 204: { description: 'Logged out' } },
    }),
    async (c) => {
      if (c.var.sessionToken) await endSessionByToken(c.var.deps.db, c.var.sessionToken);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout-all',
      tags: ['auth'],
      summary: 'End every dashboard session of yours, on every device (this one too)',
      responses: {
        200: { description: 'Ended', ...json(z.object({ sessionsEnded: z.number().int() })) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const sessionsEnded = await endAllSessions(
        ctx.db,
        { orgId: ctx.orgId, userId: c.var.principal.actor.userId },
        ctx.clock(),
      );
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ sessionsEnded }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/sessions',
      tags: ['auth'],
      summary: 'Your live dashboard sessions (ended after 30 minutes idle or 12 hours)',
      responses: {
        200: { description: 'Sessions', ...json(z.object({ items: z.array(sessionInfo) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listSessions(c.var.ctx, c.var.sessionToken) }, 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/auth/sessions/{id}',
      tags: ['auth'],
      summary: 'End one of your sessions',
      request: { params: idParam },
      responses: {
        204: { description: 'Ended' },
        404: { description: 'No such session' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await endSession(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/password',
      tags: ['auth'],
      summary: 'Change your password; your other sessions end',
      request: { body: { required: true, ...json(passwordChangeInput) } },
      responses: {
        200: { description: 'Changed', ...json(z.object({ sessionsEnded: z.number().int() })) },
        ...problemResponses,
      },
    }),
    async (c) => {
      const token = requireSession(c);
      return c.json(await changePassword(c.var.ctx, c.req.valid('json'), token), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/auth/second-factor',
      tags: ['auth'],
      summary: 'Whether two-step verification (TOTP) is on for you, and recovery codes left',
      responses: {
        200: {
          description: 'Status',
          ...json(
            z.object({
              totpEnabled: z.boolean(),
              totpEnabledAt: z.string().nullable(),
              recoveryCodesLeft: z.number().int(),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await secondFactorStatus(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/totp/setup',
      tags: ['auth'],
      summary: 'Start two-step verification: a secret and its QR code for an authenticator app (RFC 6238)',
      responses: {
        200: {
          description: 'Scan, then confirm with a code',
          ...json(z.object({ secret: z.string(), otpauthUri: z.string(), qrSvgDataUrl: z.string() })),
        },
        409: { description: 'Already on' },
        ...problemResponses,
      },
    }),
    async (c) => {
      requireSession(c);
      const p = c.var.principal;
      return c.json(await startTotp(c.var.ctx, { email: p.email, orgName: p.orgName }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/totp/enable',
      tags: ['auth'],
      summary:
        'Confirm with the first code: turns two-step verification on; ten recovery codes are shown once',
      request: { body: { required: true, ...json(codeInput) } },
      responses: { 200: { description: 'On', ...recoveryCodesAnswer }, ...problemResponses },
    }),
    async (c) => {
      requireSession(c);
      return c.json(await confirmTotp(c.var.ctx, c.req.valid('json').code), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/totp/disable',
      tags: ['auth'],
      summary: 'Turn two-step verification off (password and a code)',
      request: {
        body: {
          required: true,
          ...json(z.object({ password: z.string().min(1).max(200), code: z.string().trim().min(1).max(20) })),
        },
      },
      responses: { 204: { description: 'Off' }, ...problemResponses },
    }),
    async (c) => {
      requireSession(c);
      await disableTotp(c.var.ctx, c.req.valid('json'));
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/auth/recovery-codes',
      tags: ['auth'],
      summary: 'New recovery codes for a current authenticator code; the old ones stop working',
      request: { body: { required: true, ...json(codeInput) } },
      responses: { 200: { description: 'New codes', ...recoveryCodesAnswer }, ...problemResponses },
    }),
    async (c) => {
      requireSession(c);
      return c.json(await renewRecoveryCodes(c.var.ctx, c.req.valid('json').code), 200);
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
      request: { body: { required: true, ...json(newUserInput) } },
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
      responses: {
        200: { description: 'Keys', ...json(z.object({ items: z.array(apiKeyInfo) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listApiKeys(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      tags: ['auth'],
      summary:
        'Create an API key acting as you, with scopes (read, write, admin, or per area: read:cases) and an expiry (days, default 90); the key is shown once',
      request: { body: { required: true, ...json(newApiKeyInput) } },
      responses: {
        201: {
          description: 'Created: `key` is shown only now',
          ...json(apiKeyInfo.extend({ key: z.string() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const input = c.req.valid('json');
      const held = keyScopesOf(c.req.raw);
      const beyond = held ? input.scopes.filter((s) => !scopeCovers(held, s)) : [];
      if (beyond.length)
        throw new AppError(
          'forbidden',
          `This API key cannot grant ${beyond.join(', ')}: it lacks that scope`,
        );
      const { key, info } = await createApiKey(ctx, {
        userId: c.var.principal.actor.userId,
        name: input.name,
        scopes: input.scopes,
        expiresAt: new Date(ctx.clock().getTime() + input.expiresInDays * 86_400_000),
      });
      return c.json({ key, ...info }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/api-keys/{id}',
      tags: ['auth'],
      summary: 'Revoke an API key',
      request: { params: idParam },
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
