// Log-in and password change: throttled (throttle.ts), with the second factor when the user has one, and the
// stored hash upgraded to today's argon2id parameters while the password is at hand.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { AppError, type Ctx, notFound } from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import { hashPassword, needsRehash, passwordRule, verifyPassword } from './password.js';
import { spendSecondFactor } from './second-factor.js';
import { type Identity, identityOf } from './service.js';
import { endAllSessions, openSession } from './sessions.js';
import type { LoginThrottle } from './throttle.js';

const { users } = tables;

export const loginInput = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  /** A 6-digit code from the authenticator app, or a recovery code, when the user has two-step verification. */
  code: z.string().trim().max(20).optional(),
});

const secondFactorRequired = () =>
  new AppError('unauthorized', 'Enter the 6-digit code from your authenticator app, or a recovery code', {
    errors: [{ path: 'code', message: 'Two-step verification is on for this account' }],
  });

/** Checks e-mail, password and (when on) the second factor; opens a session and returns its token. */
export async function logIn(
  deps: { db: Db; vault: Vault; throttle: LoginThrottle },
  credentials: z.infer<typeof loginInput>,
  now: Date,
  address: string,
): Promise<{ token: string; identity: Identity }> {
  const { db, vault, throttle } = deps;
  const accountKey = vault.blindIndex('email', credentials.email);
  await throttle.assertOpen(accountKey, address);
  const candidates = await db
    .select()
    .from(users)
    // Any key of the keyring: while a key rotation runs, a user not re-indexed yet still has the old index.
    .where(
      and(inArray(users.emailBidx, vault.blindIndexes('email', credentials.email)), isNull(users.disabledAt)),
    )
    .orderBy(users.createdAt);
  for (const user of candidates) {
    if (!(await verifyPassword(credentials.password, user.passwordHash))) continue;
    if (needsRehash(user.passwordHash)) {
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(credentials.password) })
        .where(and(eq(users.orgId, user.orgId), eq(users.id, user.id)));
    }
    if (user.totpEnabledAt) {
      // A right password without a code is not a failure: the form asks for the code next.
      if (!credentials.code) throw secondFactorRequired();
      if (!(await spendSecondFactor(db, vault, user, credentials.code, now))) {
        await throttle.fail(accountKey, address);
        throw new AppError('unauthorized', 'The code is not right, or was already used', {
          errors: [{ path: 'code', message: 'The code is not right, or was already used' }],
        });
      }
    }
    const identity = await identityOf(db, vault, user.orgId, user.id);
    if (!identity) continue;
    await throttle.succeed(accountKey);
    return { token: await openSession(db, user, now), identity };
  }
  // Same answer for an unknown e-mail and a wrong password, so the form does not reveal who has an account.
  if (candidates.length === 0) await hashPassword(credentials.password); // equalise timing
  await throttle.fail(accountKey, address);
  throw new AppError('unauthorized', 'Wrong e-mail or password');
}

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: passwordRule,
});

/** Changes the acting user's password and ends their other sessions (ASVS 4.0 §3.3.3). */
export async function changePassword(
  ctx: Ctx,
  input: z.infer<typeof passwordChangeInput>,
  currentToken: string | null,
): Promise<{ sessionsEnded: number }> {
  if (ctx.actor.kind !== 'user') throw notFound('User');
  const userId = ctx.actor.userId;
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, userId)));
  if (!user) throw notFound('User');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new AppError('invalid_input', 'The current password is not right', {
      errors: [{ path: 'currentPassword', message: 'The current password is not right' }],
    });
  await ctx.db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword) })
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, userId)));
  const sessionsEnded = await endAllSessions(ctx.db, { orgId: ctx.orgId, userId }, ctx.clock(), currentToken);
  return { sessionsEnded };
}
