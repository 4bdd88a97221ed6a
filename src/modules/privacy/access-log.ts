// The access log: who saw or exported personal data, and every admin write; readable by the owner only.
import { and, desc, eq, gte, like, lt, or, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  type ApiEnv,
  AppError,
  type Ctx,
  decodeCursor,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';

const { accessLog, users } = tables;

/** Details kept with a line: ids, counts, field names — never a name, address or free text. */
export type AccessDetails = Record<string, string | number | boolean | null | string[]>;

/** Writes one line of the access log for the acting user (or the CLI, or the system). */
export async function logAccess(
  ctx: Ctx,
  action: string,
  target: string | null,
  details: AccessDetails = {},
  options: { cli?: boolean } = {},
): Promise<void> {
  await ctx.db.insert(accessLog).values({
    orgId: ctx.orgId,
    at: ctx.clock(),
    userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    actor: ctx.actor.kind === 'user' ? 'user' : options.cli ? 'cli' : 'system',
    action,
    target,
    details,
  });
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Logs every write an owner or admin makes through the API (users, keys, settings, surveys, units…) once it
 * succeeded: the method and the route with ids taken out as the action, the first id as the target. Bodies are
 * not kept (they may hold personal data).
 */
export function adminActionLog(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    await next();
    if (READS.has(c.req.method) || c.res.status >= 400) return;
    const ctx = c.var.ctx;
    if (ctx?.actor.kind !== 'user' || !['owner', 'admin'].includes(ctx.actor.role)) return;
    const path = c.req.path.replace(/^\/api\/v1/, '');
    // These log their own, more precise lines.
    if (path.startsWith('/privacy/') || path.startsWith('/exports/')) return;
    let target = path.match(UUID)?.[0] ?? null;
    // A create names no id in its path: the new thing's id is in the answer.
    if (!target && c.res.status === 201 && c.res.headers.get('content-type')?.includes('json')) {
      const created = (await c.res
        .clone()
        .json()
        .catch(() => null)) as { id?: unknown } | null;
      if (typeof created?.id === 'string' && /^[0-9a-f-]{36}$/i.test(created.id)) target = created.id;
    }
    await logAccess(ctx, `${c.req.method} ${path.replace(UUID, '{id}')}`, target, { status: c.res.status });
  };
}

export const accessLogQuery = pageQuery.extend({
  /** From this time (inclusive). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Before this time. */
  to: z.iso.datetime({ offset: true }).optional(),
  userId: z.uuid().optional(),
  /** Actions starting with this, e.g. `privacy.` or `PATCH`. */
  action: z.string().trim().max(100).optional(),
  target: z.string().trim().max(100).optional(),
});

export interface AccessLogLine {
  id: string;
  at: string;
  userId: string | null;
  userEmail: string | null;
  actor: 'user' | 'cli' | 'system';
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** The access log, newest first, a page at a time (owner only). */
export async function listAccessLog(
  ctx: Ctx,
  query: z.input<typeof accessLogQuery>,
): Promise<{ items: AccessLogLine[]; nextCursor: string | null }> {
  requireRole(ctx, 'owner');
  const q = accessLogQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  if (cursor && !z.uuid().safeParse(cursor.id).success)
    throw new AppError('invalid_input', 'The cursor is not valid', {
      errors: [{ path: 'cursor', message: 'Use nextCursor from a previous page' }],
    });
  const escaped = q.action?.replace(/[\\%_]/g, (m) => `\\${m}`);
  const rows = await ctx.db
    .select({ line: accessLog, emailEnc: users.emailEnc })
    .from(accessLog)
    .leftJoin(users, and(eq(users.orgId, accessLog.orgId), eq(users.id, accessLog.userId)))
    .where(
      and(
        eq(accessLog.orgId, ctx.orgId),
        q.from ? gte(accessLog.at, new Date(q.from)) : undefined,
        q.to ? lt(accessLog.at, new Date(q.to)) : undefined,
        q.userId ? eq(accessLog.userId, q.userId) : undefined,
        escaped ? like(accessLog.action, `${escaped}%`) : undefined,
        q.target ? eq(accessLog.target, q.target) : undefined,
        cursor
          ? or(
              lt(accessLog.at, new Date(cursor.at)),
              and(eq(accessLog.at, new Date(cursor.at)), lt(accessLog.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(accessLog.at), desc(accessLog.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.line.at, r.line.id]);
  return {
    items: page.items.map(({ line, emailEnc }) => ({
      id: line.id,
      at: line.at.toISOString(),
      userId: line.userId,
      userEmail: ctx.vault.decrypt(emailEnc ?? null),
      actor: line.actor,
      action: line.action,
      target: line.target,
      details: line.details,
    })),
    nextCursor: page.nextCursor,
  };
}

/** Deletes access-log lines older than `before` (retention). */
export async function pruneAccessLog(ctx: Ctx, before: Date): Promise<number> {
  const gone = await ctx.db
    .delete(accessLog)
    .where(and(eq(accessLog.orgId, ctx.orgId), lt(accessLog.at, before)))
    .returning({ id: accessLog.id });
  return gone.length;
}

export const accessLogCount = (ctx: Ctx) =>
  ctx.db.select({ n: sql<number>`count(*)::int` }).from(accessLog).where(eq(accessLog.orgId, ctx.orgId));
