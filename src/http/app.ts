// The Hono application: middleware, the API under /api/v1, its OpenAPI document, survey pages and the dashboard.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { absolutePath as swaggerUiPath } from 'swagger-ui-dist';
import {
  authRoutes,
  identityFromApiKey,
  identityFromSession,
  publicAuthRoutes,
  SESSION_COOKIE,
} from '../modules/auth/index.js';
import { type ApiEnv, AppError, type Deps } from '../modules/kernel/index.js';
import { problemOf, problemResponse } from './problem.js';
import { apiRouters } from './routers.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** Folder of the built dashboard (dist/web); absent = no dashboard (tests of the API). */
  webDir?: string;
  /** Extra routes mounted at the root before the dashboard fallback (the public survey pages). */
  publicRoutes?: Hono<ApiEnv>;
}

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new OpenAPIHono<ApiEnv>();

  app.onError((error, c) => problemResponse(problemOf(error, c)));
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  const headers = secureHeaders({
    // The dashboard and survey pages load nothing from elsewhere.
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
    },
  });
  // The survey pages set their own, stricter policy (scripts by hash); so do the anonymous link pages (/l/), and
  // the widget (/w/) must be loadable and callable from other sites (its routes set CORS and CORP themselves).
  const ownHeaders = /^\/[slw]\//;
  app.use('*', (c, next) => (ownHeaders.test(c.req.path) ? next() : headers(c, next)));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  // File uploads for imports stream to disk under their own limit (MAX_IMPORT_BYTES in the imports room).
  app.use('*', (c, next) =>
    c.req.method === 'POST' && c.req.path === '/api/v1/imports' ? next() : limitBody(c, next),
  );

  // Authentication for the API: a Bearer API key, or the dashboard's session cookie.
  app.use('/api/v1/*', async (c, next) => {
    if (c.req.path === '/api/v1/auth/login') return next();
    // The inbound contacts webhook authenticates by its HMAC signature, not an API key.
    if (c.req.path.startsWith('/api/v1/hooks/contacts/')) return next();
    const now = deps.clock();
    const header = c.req.header('authorization');
    const sessionToken = getCookie(c, SESSION_COOKIE) ?? null;
    const principal = header?.startsWith('Bearer ')
      ? await identityFromApiKey(deps.db, deps.vault, header.slice(7).trim(), now)
      : sessionToken
        ? await identityFromSession(deps.db, deps.vault, sessionToken, now)
        : null;
    if (!principal)
      throw new AppError('unauthorized', 'Log in, or send an API key as "Authorization: Bearer …"');
    c.set('sessionToken', sessionToken);
    c.set('principal', principal);
    c.set('ctx', {
      db: deps.db,
      orgId: principal.orgId,
      actor: principal.actor,
      clock: deps.clock,
      log: deps.log,
      vault: deps.vault,
      publicUrl: deps.publicUrl,
    });
    return next();
  });

  app.route('/api/v1', publicAuthRoutes);
  app.route('/api/v1', authRoutes);
  for (const router of apiRouters) app.route('/api/v1', router);

  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (srf_…) from `sarafan init` or POST /api/v1/api-keys',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sarafan API',
      version: '1',
      description:
        'The open Net Promoter System. Errors are application/problem+json (RFC 9457) with `errors[]` naming each failing field.',
    },
    servers: [{ url: deps.publicUrl }],
    security: [{ apiKey: [] }],
  });
  app.get('/api/docs', (c) => c.html(swaggerPage));
  app.get('/api/docs/assets/:file{swagger-ui(-bundle)?\\.(js|css)}', (c) => {
    const file = c.req.param('file');
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return c.body(readFileSync(`${swaggerUiPath()}/${file}`), 200, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'public, max-age=86400',
    });
  });
  app.all('/api/*', () => {
    throw new AppError('not_found', 'No such API route');
  });

  if (options.publicRoutes) app.route('/', options.publicRoutes);

  const webDir = options.webDir;
  if (webDir && existsSync(`${webDir}/index.html`)) {
    const indexHtml = readFileSync(`${webDir}/index.html`, 'utf8');
    app.use('/assets/*', serveStatic({ root: webDir }));
    app.use('*', serveStatic({ root: webDir }));
    // Single-page app: any other path is a dashboard route.
    app.get('*', (c) => c.html(indexHtml));
  }
  app.notFound(() => problemResponse({ type: 'about:blank', title: 'Not found', status: 404 }));
  return app;
}

export const defaultWebDir = fileURLToPath(new URL('../../dist/web', import.meta.url));

const swaggerPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sarafan API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui', persistAuthorization: true });</script>
</body></html>`;
