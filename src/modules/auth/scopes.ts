// API key scopes: what a key may do, on top of what its user's role allows. `read` (GET), `write` (changes) and
// `admin` (people, keys, webhooks, settings), each for the whole API or one area — the first path segment after
// /api/v1 (`read:cases`, `write:customers`). Least privilege for integrations (OWASP ASVS 4.0 §13.1.5, §4.1.3).
import { z } from 'zod';

export const scopeLevels = ['read', 'write', 'admin'] as const;
export type ScopeLevel = (typeof scopeLevels)[number];

/** `read`, `write`, `admin`, or one of them for an area: `read:cases`. */
export const scopePattern = /^(read|write|admin)(:[a-z][a-z0-9-]{0,39})?$/;
export const scopeSchema = z
  .string()
  .regex(scopePattern, 'read, write or admin, optionally :area (read:cases)');

/** Areas whose every route, read or write, changes who can do what: they need `admin`. */
export const adminAreas: readonly string[] = [
  'users',
  'api-keys',
  'webhooks',
  'hooks',
  'settings',
  'security',
];

/** The area of an API path: `/api/v1/cases/…` → `cases`. */
export function areaOf(path: string): string {
  return path.replace(/^\/api\/v1\/?/, '').split('/')[0] ?? '';
}

/** The level a request needs: admin areas need admin; otherwise GET/HEAD read, anything else write. */
export function levelNeeded(method: string, area: string): ScopeLevel {
  if (adminAreas.includes(area)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

const rank: Record<ScopeLevel, number> = { read: 0, write: 1, admin: 2 };

/**
 * Whether scopes grant a request: a scope covers its own level and those below (admin ⊃ write ⊃ read), for the
 * whole API or its one area.
 */
export function scopesAllow(scopes: readonly string[], method: string, path: string): boolean {
  const area = areaOf(path);
  const needed = levelNeeded(method, area);
  return scopes.some((scope) => {
    const [level, scopeArea] = scope.split(':') as [ScopeLevel, string | undefined];
    if (!(level in rank) || rank[level] < rank[needed]) return false;
    return scopeArea === undefined || scopeArea === area;
  });
}

/** Whether `held` scopes cover `wanted`: a key may only make keys that can do no more than itself. */
export function scopeCovers(held: readonly string[], wanted: string): boolean {
  const [level, area] = wanted.split(':') as [ScopeLevel, string | undefined];
  return held.some((scope) => {
    const [heldLevel, heldArea] = scope.split(':') as [ScopeLevel, string | undefined];
    return rank[heldLevel] >= rank[level] && (heldArea === undefined || heldArea === area);
  });
}

/** The scopes of the API key a request came with (set by the HTTP layer), for keys that create keys. */
const requestScopes = new WeakMap<Request, readonly string[]>();

export function rememberKeyScopes(request: Request, scopes: readonly string[]): void {
  requestScopes.set(request, scopes);
}

export function keyScopesOf(request: Request): readonly string[] | undefined {
  return requestScopes.get(request);
}
