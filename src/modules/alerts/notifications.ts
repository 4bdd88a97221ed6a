// The dashboard's bell: a person's notifications, newest first, read one by one or all at once.
import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { AppError, type Ctx, decodeCursor, notFound, pageOf, pageQuery } from '../kernel/index.js';
import { type AlertPayload, headlineOf, type Locale } from './render.js';

const { notifications, users } = tables;

export const notificationsQuery = pageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  /** The language of the titles (the dashboard's); default: the person's own. */
  lang: z.enum(['ru', 'en']).optional(),
});

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  caseId: string | null;
  caseNumber: number | null;
  score: number | null;
  reason: string | null;
  unitName: string | null;
  url: string | null;
  createdAt: string;
  readAt: string | null;
}

function userOf(ctx: Ctx) {
  if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'Notifications belong to a user');
  return ctx.actor.userId;
}

async function localeOf(ctx: Ctx, userId: string): Promise<Locale> {
  const [u] = await ctx.db
    .select({ locale: users.locale })
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, userId)));
  return u?.locale ?? 'ru';
}

async function unreadCount(ctx: Ctx, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(eq(notifications.orgId, ctx.orgId), eq(notifications.userId, userId), isNull(notifications.readAt)),
    );
  return Number(row?.n ?? 0);
}

export async function listNotifications(
  ctx: Ctx,
  query: { unread?: boolean; limit?: number; cursor?: string; lang?: Locale } = {},
) {
  const userId = userOf(ctx);
  const q = {
    unread: query.unread ?? false,
    limit: Math.min(Math.max(query.limit ?? 50, 1), 1000),
    cursor: query.cursor,
  };
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, ctx.orgId),
        eq(notifications.userId, userId),
        q.unread ? isNull(notifications.readAt) : undefined,
        cursor
          ? or(
              lt(notifications.createdAt, new Date(cursor.at)),
              and(eq(notifications.createdAt, new Date(cursor.at)), lt(notifications.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  const locale = query.lang ?? (await localeOf(ctx, userId));
  return {
    items: page.items.map((n): NotificationView => {
      const p = n.payload as AlertPayload;
      return {
        id: n.id,
        kind: n.kind,
        title: headlineOf(n.kind, p, locale),
        caseId: n.caseId,
        caseNumber: p.caseNumber ?? null,
        score: p.score ?? null,
        reason: p.reason ?? null,
        unitName: p.unitName ?? null,
        url: p.url ?? null,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      };
    }),
    nextCursor: page.nextCursor,
    unread: await unreadCount(ctx, userId),
  };
}

export async function markRead(ctx: Ctx, id: string): Promise<{ unread: number }> {
  const userId = userOf(ctx);
  const [row] = await ctx.db
    .select({ readAt: notifications.readAt })
    .from(notifications)
    .where(
      and(eq(notifications.orgId, ctx.orgId), eq(notifications.userId, userId), eq(notifications.id, id)),
    );
  if (!row) throw notFound('Notification');
  if (!row.readAt)
    await ctx.db
      .update(notifications)
      .set({ readAt: ctx.clock() })
      .where(
        and(eq(notifications.orgId, ctx.orgId), eq(notifications.userId, userId), eq(notifications.id, id)),
      );
  return { unread: await unreadCount(ctx, userId) };
}

export async function markAllRead(ctx: Ctx): Promise<{ unread: number; marked: number }> {
  const userId = userOf(ctx);
  const marked = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock() })
    .where(
      and(eq(notifications.orgId, ctx.orgId), eq(notifications.userId, userId), isNull(notifications.readAt)),
    )
    .returning({ id: notifications.id });
  return { unread: await unreadCount(ctx, userId), marked: marked.length };
}
