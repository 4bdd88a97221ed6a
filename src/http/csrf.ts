// Cross-site request forgery protection for cookie-authenticated writes, by the browser's own provenance headers:
// Fetch Metadata (W3C Fetch Metadata Request Headers, `Sec-Fetch-Site`) and, where a browser does not send it
// (plain-HTTP hosts other than localhost, older browsers), the `Origin` header (RFC 6454, sent by every current
// browser on every non-GET request). This is OWASP's CSRF Prevention Cheat Sheet "Fetch Metadata" and "Verifying
// Origin with Standard Headers" defence — the same check as Go's net/http CrossOriginProtection — with the
// SameSite=Lax session cookie (RFC 6265bis) underneath. No token is needed: the page's fetch sends these headers
// by itself; requests with neither header come from non-browser clients, which cannot be forged by a web page.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../modules/kernel/index.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The verdict for one request: null = allowed, else why it is refused. */
export function crossOriginProblem(
  method: string,
  headers: { secFetchSite?: string; origin?: string; host?: string },
  trustedOrigins: readonly string[],
): string | null {
  if (safeMethods.has(method)) return null;
  const site = headers.secFetchSite?.toLowerCase();
  // `same-origin`: our own page; `none`: typed by the user (a bookmark), never a page of another site.
  if (site === 'same-origin' || site === 'none') return null;
  if (site) return `a ${site} request cannot change data with the dashboard's session`;
  const origin = headers.origin;
  if (origin === undefined) return null;
  if (origin === 'null') return 'a request from an opaque origin cannot change data with the session';
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return 'the Origin header is not a URL';
  }
  if (host === headers.host || trustedOrigins.includes(origin)) return null;
  return `a request from ${origin} cannot change data with the dashboard's session`;
}

/**
 * Refuses (403) a state-changing request that carries the session cookie but comes from another site. Requests
 * authenticated by an `Authorization: Bearer` API key are exempt: a page of another site cannot attach that header
 * without a CORS preflight, which the API never grants.
 */
export function crossOriginGuard(options: { publicUrl: string; cookieName: string }): MiddlewareHandler {
  const trusted = [new URL(options.publicUrl).origin];
  return async (c, next) => {
    if (c.req.header('authorization')?.startsWith('Bearer ')) return next();
    const hasCookie = (c.req.header('cookie') ?? '').includes(`${options.cookieName}=`);
    // The log-in form has no session yet; it is guarded too, so another site cannot log a visitor in (login CSRF).
    if (!hasCookie && !c.req.path.endsWith('/auth/login')) return next();
    const problem = crossOriginProblem(
      c.req.method,
      {
        secFetchSite: c.req.header('sec-fetch-site'),
        origin: c.req.header('origin'),
        host: c.req.header('host') ?? new URL(c.req.url).host,
      },
      trusted,
    );
    if (problem) throw new AppError('forbidden', `Cross-site request refused: ${problem}`);
    return next();
  };
}
