// A router for a module's API routes: zod validation failures become 422 problems with the failing field.
import { OpenAPIHono } from '@hono/zod-openapi';
import { type ZodError, z } from 'zod';
import type { Ctx, Deps, Principal } from './context.js';
import { AppError, type FieldError } from './errors.js';

export interface ApiEnv {
  Variables: { ctx: Ctx; deps: Deps; sessionToken: string | null; principal: Principal };
}

export function fieldErrorsOf(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

export function newRouter() {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = fieldErrorsOf(result.error);
        const where = errors[0]?.path;
        throw new AppError('invalid_input', `Invalid ${result.target}${where ? `: ${where}` : ''}`, {
          errors,
        });
      }
    },
  });
}

/** Problem responses every route may give, for the OpenAPI document. */
export const problemResponses = {
  401: { description: 'No valid session or API key' },
  403: { description: 'Not allowed for this role' },
  422: { description: 'Invalid input (application/problem+json with `errors`)' },
} as const;

/** `{ content: { 'application/json': { schema } } }`, the OpenAPI shape of a JSON body or answer. */
export const json = <T>(schema: T) => ({ content: { 'application/json': { schema } } });

export const idParam = z.object({ id: z.uuid() });
