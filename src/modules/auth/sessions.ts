// Dashboard sessions: opened at log-in, ended by log-out (this one or all), by an idle period and by an absolute
// lifetime — OWASP ASVS 4.0 §3.3.2 at level 2 (re-authenticate after 12 hours, or 30 minutes of inactivity).
import { and, eq, lt, ne, or } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import { type Ctx, hashToken, newToken, notFound } from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import { type Identity, identityOf } from './service.js';

const { sessions } = tables;

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 12 * 3_600_000;
/** `last_seen_at` is written at most this often, so a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Opens a session and returns its token (256 bits) for the cookie; only its SHA-256 is kept. */
export async function openSession(db: Db, user: { orgId: string; id: string }, now: Date): Promise<string> {
  const token = newToken(32);
  await db.insert(sessions).values({
    orgId: user.orgId,
    userId: user.id,
    tokenHash: hashToken(token),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_MAX_MS),
  });
  return token;
}

/** The principal of a live session; an expired or idle one is deleted and gives null. */
export async function sessionPrincipal(
  db: Db,
  vault: Vault,
  token: string,
  now: Date,
): Promise<Identity | null> {
  const tokenHash = hashToken(token);
  const [session] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  if (!session) return null;
  if (session.expiresAt <= now || now.getTime() - session.lastSeenAt.getTime() > SESSION_IDLE_MS) {
    await db.delete(sessions).where(and(eq(sessions.orgId, session.orgId), eq(sessions.id, session.id)));
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.orgId, session.orgId), eq(sessions.id, session.id)));
  }
  return identityOf(db, vault, session.orgId, session.userId);
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

function userOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'user') throw notFound('User');
  return ctx.actor.userId;
}

/** The acting user's live sessions, the current one marked. */
export async function listSessions(ctx: Ctx, currentToken: string | null): Promise<SessionInfo[]> {
  const userId = userOf(ctx);
  const now = ctx.clock();
  const current = currentToken ? hashToken(currentToken) : null;
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.orgId, ctx.orgId), eq(sessions.userId, userId)))
    .orderBy(sessions.createdAt);
  return rows
    .filter((s) => s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() <= SESSION_IDLE_MS)
    .map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      expiresAt: new Date(
        Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + SESSION_IDLE_MS),
      ).toISOString(),
      current: s.tokenHash === current,
    }));
}

/** Ends one of the acting user's sessions. */
export async function endSession(ctx: Ctx, id: string): Promise<void> {
  const done = await ctx.db
    .delete(sessions)
    .where(and(eq(sessions.orgId, ctx.orgId), eq(sessions.userId, userOf(ctx)), eq(sessions.id, id)))
    .returning({ id: sessions.id });
  if (done.length === 0) throw notFound('Session');
}

export async function endSessionByToken(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}

/** Ends every session of a user, or all but the one with `keepToken`; also sweeps the org's dead sessions. */
export async function endAllSessions(
  db: Db,
  user: { orgId: string; userId: string },
  now: Date,
  keepToken: string | null = null,
): Promise<number> {
  const mine = and(eq(sessions.orgId, user.orgId), eq(sessions.userId, user.userId));
  const done = await db
    .delete(sessions)
    .where(keepToken ? and(mine, ne(sessions.tokenHash, hashToken(keepToken))) : mine)
    .returning({ id: sessions.id });
  await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.orgId, user.orgId),
        or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS))),
      ),
    );
  return done.length;
}
