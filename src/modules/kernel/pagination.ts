// Keyset pagination: an opaque cursor naming the last row seen, stable under inserts.
import { z } from 'zod';
import { AppError } from './errors.js';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
});

export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(at: Date | string, id: string): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return Buffer.from(JSON.stringify([iso, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  if (!cursor) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (typeof at !== 'string' || typeof id !== 'string' || Number.isNaN(Date.parse(at))) throw new Error();
    return { at, id };
  } catch {
    throw new AppError('invalid_input', 'The cursor is not valid', {
      errors: [{ path: 'cursor', message: 'Use nextCursor from a previous page' }],
    });
  }
}

/** Splits one extra fetched row off into the next cursor. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => [Date | string, string]) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor(...keyOf(last)) : null;
  return { items, nextCursor };
}
