/** @module fetch for the same-origin JSON API; any failure becomes a ProblemError. */
import type { Problem } from './types';

export const API_BASE = '/api/v1';

/** An error answer of the API, with its RFC 9457 problem details. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ProblemError && error.status === 401;
}

async function problemOf(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      return {
        type: body.type ?? 'about:blank',
        title: body.title ?? response.statusText,
        status: body.status ?? response.status,
        detail: body.detail,
        errors: body.errors,
      };
    } catch {
      // A JSON content type with a body that is not JSON: fall through to the bare status.
    }
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
}

/** Calls the API; resolves to the parsed JSON body (undefined for 204) or rejects with a ProblemError. */
export async function apiRequest<T>(
  path: string,
  init: { method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    // CSRF: the server admits a cookie-authenticated write only when the browser's own Sec-Fetch-Site (or Origin)
    // says it came from this origin (src/http/csrf.ts); a same-origin fetch sends both by itself, so no token.
    response = await fetch(`${API_BASE}${path}`, {
      method: init.method ?? 'GET',
      mode: 'same-origin',
      credentials: 'same-origin',
      headers:
        init.body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    // status 0 marks a network failure: the server could not be reached at all.
    throw new ProblemError({ type: 'about:blank', title: 'Network error', status: 0 });
  }
  if (!response.ok) throw new ProblemError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
