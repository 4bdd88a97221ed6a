// The Hono application: middleware, the API under /api/v1, its OpenAPI document, survey pages and the dashboard.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { absolutePath as swaggerUiPath } from 'swagger-ui-dist';
import {
  apiKeyPrincipal,
  authRoutes,
  type LoginLimits,
  LoginThrottle,
  publicAuthRoutes,
  rememberKeyScopes,
  SESSION_COOKIE,
  scopesAllow,
  sessionPrincipal,
  TooManyRequests,
} from '../modules/auth/index.js';
import { type ApiEnv, AppError, type Deps, type TrustProxy } from '../modules/kernel/index.js';
import { adminActionLog } from '../modules/privacy/index.js';
import { type PublicLimits, PublicRateLimiter } from '../survey/rate-limits.js';
import { crossOriginGuard } from './csrf.js';
import { jsonGuard } from './json-guard.js';
import { problemOf, problemResponse } from './problem.js';
import { apiRouters } from './routers.js';
import { clientIpOf, dashboardHeaders, isHttps, publicLimitKey, withStyleNonce } from './security-headers.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** Folder of the built dashboard (dist/web); absent = no dashboard (tests of the API). */
  webDir?: string;
  /** Extra routes mounted at the root before the dashboard fallback (the public survey pages). */
  publicRoutes?: Hono<ApiEnv>;
  /** Which reverse proxies to believe (TRUST_PROXY): the client's address for log-in limits, HTTPS for HSTS. */
  trustProxy?: TrustProxy;
  /** Log-in throttling limits (tests make them small). */
  loginLimits?: LoginLimits;
  /** Limits of the inbound contacts webhook. */
  hookLimits?: PublicLimits;
}

/** An accounting system pushes visits as they happen, up to 1,000 a request: 600 requests a minute is plenty. */
const hookLimits: PublicLimits = { viewsPerMinute: 600, answersPerMinute: 600, failuresPer10Minutes: 20 };

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new OpenAPIHono<ApiEnv>();

  app.onError((error, c) => {
    const response = problemResponse(problemOf(error, c));
    if (error instanceof TooManyRequests)
      response.headers.set('retry-after', String(error.retryAfterSeconds));
    return response;
  });
  const trust = options.trustProxy ?? false;
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  const headers = dashboardHeaders(trust);
  const ownHeaders = /^\/[slw]\//;
  app.use('*', (c, next) => (ownHeaders.test(c.req.path) ? next() : headers(c, next)));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`);
    },
  });
  // File uploads for imports stream to disk under their own limit (MAX_IMPORT_BYTES in the imports room).
  // A body with a Content-Length (Node's parser holds the body to it) is judged by the header alone; Hono's bodyLimit
  // would ask for the request's body stream, which makes @hono/node-server build a whole web Request and read the
  // body through web streams instead of its direct path (~7% of an answer's CPU in bench/answers). Chunked bodies
  // are counted by bodyLimit as they arrive; GET and HEAD have none that a route reads.
  app.use('*', (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.method === 'POST' && c.req.path === '/api/v1/imports') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > MAX_BODY_BYTES)
        throw new AppError('payload_too_large', `The body is larger than ${MAX_BODY_BYTES} bytes`);
      return next();
    }
    return limitBody(c, next);
  });

  // Malformed UTF-8, Unicode and over-deep JSON refused before any route reads the body (json-guard.ts).
  app.use('*', jsonGuard());

  // The inbound contacts webhook is public: limited per address, and blocked for a while after bad signatures.
  const hookLimiter = new PublicRateLimiter(options.hookLimits ?? hookLimits);
  app.use('/api/v1/hooks/contacts/*', async (c, next) => {
    const address = publicLimitKey(c, trust);
    const verdict = await hookLimiter.admit(address, 'answer');
    if (!verdict.ok)
      throw new TooManyRequests('Too many webhook requests from your address', verdict.retryAfterSeconds);
    await next();
    if (c.res.status === 401) await hookLimiter.failure(address);
  });

  // Cookie-authenticated writes only from our own pages (CSRF; see csrf.ts).
  app.use('/api/v1/*', crossOriginGuard({ publicUrl: deps.publicUrl, cookieName: SESSION_COOKIE }));

  // Authentication for the API: a Bearer API key (within its scopes), or the dashboard's session cookie.
  app.use('/api/v1/*', async (c, next) => {
    if (c.req.path === '/api/v1/auth/login') return next();
    // The inbound contacts webhook authenticates by its HMAC signature, not an API key.
    if (c.req.path.startsWith('/api/v1/hooks/contacts/')) return next();
    const now = deps.clock();
    const header = c.req.header('authorization');
    const sessionToken = getCookie(c, SESSION_COOKIE) ?? null;
    let principal = null;
    if (header?.startsWith('Bearer ')) {
      const found = await apiKeyPrincipal(deps.db, deps.vault, header.slice(7).trim(), now);
      if (found === 'expired') throw new AppError('unauthorized', 'This API key has expired: make a new one');
      if (found && !scopesAllow(found.scopes, c.req.method, c.req.path))
        throw new AppError(
          'forbidden',
          `This API key's scopes (${found.scopes.join(', ')}) do not allow ${c.req.method} here`,
        );
      if (found) rememberKeyScopes(c.req.raw, found.scopes);
      principal = found ? found.identity : null;
    } else if (sessionToken) {
      principal = await sessionPrincipal(deps.db, deps.vault, sessionToken, now);
    }
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

  // Every successful write by an owner or admin goes to the access log (privacy/access-log.ts).
  app.use('/api/v1/*', adminActionLog());

  const throttle = new LoginThrottle(options.loginLimits);
  app.route(
    '/api/v1',
    publicAuthRoutes({
      throttle,
      clientAddress: (c) => clientIpOf(c, trust),
      secure: (c) => isHttps(c, trust),
    }),
  );
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
  app.get('/api/docs/assets/init.js', (c) =>
    c.body(swaggerInit, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
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
    // The page itself is never served as a file: each answer carries its own style nonce (security-headers.ts).
    const page = (c: Parameters<typeof withStyleNonce>[0]) => c.html(withStyleNonce(c, indexHtml));
    app.get('/', page);
    app.get('/index.html', page);
    app.use('/assets/*', serveStatic({ root: webDir }));
    app.use('*', serveStatic({ root: webDir }));
    // Single-page app: any other path is a dashboard route.
    app.get('*', page);
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
<script src="/api/docs/assets/init.js"></script>
</body></html>`;

// Not inline: the page's Content-Security-Policy admits scripts from this origin only.
const swaggerInit = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui', persistAuthorization: true });\n`;
