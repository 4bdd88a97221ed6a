// Hygiene of JSON request bodies before any route reads them: bytes that are not well-formed UTF-8 (overlong or
// truncated sequences, RFC 3629 §3), nesting deeper than any API shape, strings with lone UTF-16 surrogates
// (RFC 8259 §8.2 leaves them undefined) or NUL characters (PostgreSQL text cannot hold U+0000). Each is refused
// with a problem+json naming the reason, instead of being silently replaced (U+FFFD) or failing in the database.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../modules/kernel/index.js';

/** No Sarafan API shape is deeper than a handful of levels; 32 leaves room and stops stack-hungry bodies. */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays and objects in JSON text, strings skipped. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) max = Math.max(max, ++depth);
    else if (ch === 93 || ch === 125) depth--;
  }
  return max;
}

/** False when a string holds a lone UTF-16 surrogate (String.prototype.isWellFormed, ES2024, typed by hand here). */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** The path of the first string (or key) with a lone surrogate or a NUL character, or null. */
export function badStringPath(value: unknown, path = '(body)'): { path: string; why: string } | null {
  if (typeof value === 'string') {
    if (!wellFormed(value)) return { path, why: 'a lone UTF-16 surrogate (malformed Unicode)' };
    if (value.includes('\u0000')) return { path, why: 'a NUL character' };
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = badStringPath(value[i], path === '(body)' ? String(i) : `${path}.${i}`);
      if (bad) return bad;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path === '(body)' ? key : `${path}.${key}`;
      const badKey = badStringPath(key, at);
      if (badKey) return badKey;
      const bad = badStringPath(item, at);
      if (bad) return bad;
    }
  }
  return null;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Checks JSON bodies (Content-Type application/json); the body stays readable for the route (Hono caches it). */
export function jsonGuard(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/(.+\+)?json/i.test(type) || c.req.method === 'GET' || c.req.method === 'HEAD')
      return next();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new AppError(
        'bad_request',
        'The body is not well-formed UTF-8 (an overlong or broken byte sequence)',
      );
    }
    if (jsonDepth(text) > MAX_JSON_DEPTH)
      throw new AppError('bad_request', `The JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    let parsed: unknown;
    try {
      parsed = text.trim() ? JSON.parse(text) : undefined;
    } catch {
      throw new AppError('bad_request', 'The body is not valid JSON');
    }
    const bad = badStringPath(parsed);
    if (bad)
      throw new AppError('invalid_input', `Text with ${bad.why} is not accepted`, {
        errors: [{ path: bad.path, message: `Contains ${bad.why}` }],
      });
    // The route's c.req.json() reads the cached text. Without it, Hono converts the cached bytes by building a whole
    // web Response (undici, with its streams) for every request: 5% of the answer route's CPU (bench/answers).
    (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text);
    return next();
  };
}
