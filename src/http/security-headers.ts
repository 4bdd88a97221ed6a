// Security headers of the dashboard and the API: a Content-Security-Policy with no inline script (and inline
// styles only by a per-response nonce, for the ones Mantine writes at run time), HSTS only when the request came
// over TLS, no framing, no MIME sniffing, no referrer leaking across origins.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import ipaddr from 'ipaddr.js';
import { clientAddress, forwardedHttps, type TrustProxy } from '../modules/kernel/index.js';

/** The socket's peer: the visitor, or the reverse proxy in front of Sarafan (absent in `app.request()` tests). */
export function peerOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/** The client's address, for in-memory rate limits only (TRUST_PROXY decides whom to believe). */
export function clientIpOf(c: Context, trust: TrustProxy): string {
  return clientAddress(peerOf(c), c.req.header('x-forwarded-for'), trust);
}

/**
 * The key of the public endpoints' per-address limits: the client's address, or `unknown` (not counted) for a
 * connection from this machine when no proxy is trusted — a local benchmark or health check, never a visitor
 * (a socket's peer cannot be forged). Behind a local reverse proxy set TRUST_PROXY, or the limits are off.
 */
export function publicLimitKey(c: Context, trust: TrustProxy): string {
  const peer = peerOf(c);
  if (!trust && peer && ipaddr.isValid(peer) && ipaddr.process(peer).range() === 'loopback') return 'unknown';
  return clientIpOf(c, trust);
}

/** Whether this request reached us over TLS: directly, or through a trusted proxy saying X-Forwarded-Proto: https. */
export function isHttps(c: Context, trust: TrustProxy): boolean {
  return (
    new URL(c.req.url).protocol === 'https:' ||
    forwardedHttps(peerOf(c), c.req.header('x-forwarded-proto'), trust)
  );
}

/** One year, subdomains included: what the HSTS preload list asks (RFC 6797 §6.1). */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function dashboardHeaders(trust: TrustProxy): MiddlewareHandler {
  const base = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Mantine writes its CSS variables in a <style> element at run time; it carries this response's nonce.
      styleSrc: ["'self'", NONCE],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    // Sent only over TLS below: over plain HTTP the header is meaningless (RFC 6797 §7.2) and misleading.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  });
  return async (c, next) => {
    await base(c, next);
    if (isHttps(c, trust)) c.res.headers.set('strict-transport-security', HSTS);
  };
}

/** The dashboard's index.html with this response's style nonce, for Mantine (`getStyleNonce` in web/src/theme.tsx). */
export function withStyleNonce(c: Context, html: string): string {
  const nonce = c.get('secureHeadersNonce');
  if (!nonce) return html;
  return html.replace('<head>', `<head>\n    <meta name="csp-nonce" content="${nonce}" />`);
}
