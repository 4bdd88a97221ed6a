// The one error type of Sarafan: a typed code the HTTP layer maps to a status (RFC 9457 problem details).
export type AppErrorCode =
  | 'bad_request'
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited';

/** The compiler refuses a code without a status. */
export const statusOf: Record<AppErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429> = {
  bad_request: 400,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
};

export interface FieldError {
  /** Dotted path of the failing field, e.g. `items.3.email`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: { errors?: FieldError[] } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status() {
    return statusOf[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

/** PostgreSQL's unique_violation, reached through Drizzle's wrapper (`.cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
