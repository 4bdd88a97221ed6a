// Errors to RFC 9457 problem details; anything unexpected becomes a generic 500 and is logged whole.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { AppError, type FieldError } from '../modules/kernel/index.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
  });
}

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal server error',
};

export function problemOf(error: unknown, c: Context): Problem {
  if (error instanceof AppError) {
    return {
      type: `https://sarafan.dev/problems/${error.code.replaceAll('_', '-')}`,
      title: titles[error.status] ?? error.code,
      status: error.status,
      detail: error.message,
      ...(error.details.errors ? { errors: error.details.errors } : {}),
    };
  }
  if (error instanceof HTTPException) {
    // Hono raises these for malformed JSON bodies and similar protocol errors: their message is safe to show.
    const status = error.status;
    return { type: 'about:blank', title: titles[status] ?? 'Error', status, detail: error.message };
  }
  // A survey link's token is a key to its invitation: it never goes to the log (see README, Privacy by design).
  const path = c.req.path.replace(/^\/(s|u)\/[^/]+/, '/$1/…');
  c.get('deps')?.log.error({ err: error, path }, 'unhandled error');
  return {
    type: 'about:blank',
    title: titles[500]!,
    status: 500,
    detail: 'Something went wrong on our side.',
  };
}
