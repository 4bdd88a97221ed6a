// The optional second factor: TOTP enrolment (secret sealed by the vault, confirmed by a first code), one-time
// recovery codes, and the check at log-in that accepts either and never the same code twice.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import { AppError, type Ctx, hashToken, notFound } from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import { verifyPassword } from './password.js';
import {
  enrolmentOf,
  newRecoveryCodes,
  newTotpSecret,
  normalRecoveryCode,
  recoveryCodePattern,
  totpStepOf,
} from './totp.js';

const { users, recoveryCodes } = tables;

type UserRow = typeof users.$inferSelect;

function userIdOf(ctx: Ctx): string {
  if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'Only a person can set up a second factor');
  return ctx.actor.userId;
}

async function userRow(ctx: Ctx): Promise<UserRow> {
  const [row] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, userIdOf(ctx))));
  if (!row) throw notFound('User');
  return row;
}

/**
 * Checks a TOTP code or a recovery code for a user with TOTP on, and spends it: the TOTP step must be later than
 * the last one accepted (a conditional update, so two requests racing with one code cannot both pass), and a
 * recovery code is marked used in the same statement that finds it.
 */
export async function spendSecondFactor(db: Db, vault: Vault, user: UserRow, code: string, now: Date) {
  const text = code.trim();
  if (recoveryCodePattern.test(text)) {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(recoveryCodes.orgId, user.orgId),
          eq(recoveryCodes.userId, user.id),
          eq(recoveryCodes.codeHash, hashToken(normalRecoveryCode(text))),
          isNull(recoveryCodes.usedAt),
        ),
      )
      .returning({ id: recoveryCodes.id });
    return used.length > 0;
  }
  if (!user.totpSecretEnc) return false;
  const step = totpStepOf(vault.decrypt(user.totpSecretEnc) ?? '', text, now);
  if (step === null) return false;
  const spent = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(
      and(
        eq(users.orgId, user.orgId),
        eq(users.id, user.id),
        or(isNull(users.totpLastStep), lt(users.totpLastStep, step)),
      ),
    )
    .returning({ id: users.id });
  return spent.length > 0;
}

export interface SecondFactorStatus {
  totpEnabled: boolean;
  totpEnabledAt: string | null;
  recoveryCodesLeft: number;
}

export async function secondFactorStatus(ctx: Ctx): Promise<SecondFactorStatus> {
  const user = await userRow(ctx);
  const codes = await ctx.db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(
      and(
        eq(recoveryCodes.orgId, ctx.orgId),
        eq(recoveryCodes.userId, user.id),
        isNull(recoveryCodes.usedAt),
      ),
    );
  return {
    totpEnabled: user.totpEnabledAt !== null,
    totpEnabledAt: user.totpEnabledAt?.toISOString() ?? null,
    recoveryCodesLeft: user.totpEnabledAt ? codes.length : 0,
  };
}

/** Starts enrolment: a new secret, kept sealed until a first code confirms it; returns what the app scans. */
export async function startTotp(ctx: Ctx, who: { email: string; orgName: string }) {
  const user = await userRow(ctx);
  if (user.totpEnabledAt)
    throw new AppError(
      'conflict',
      'Two-step verification is already on: turn it off first to change the phone',
    );
  const secret = newTotpSecret();
  await ctx.db
    .update(users)
    .set({ totpSecretEnc: ctx.vault.encrypt(secret), totpLastStep: null })
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, user.id)));
  const { uri, qrSvgDataUrl } = await enrolmentOf(secret, who.email, `Sarafan (${who.orgName})`);
  return { secret, otpauthUri: uri, qrSvgDataUrl };
}

async function replaceRecoveryCodes(ctx: Ctx, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await ctx.db
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.orgId, ctx.orgId), eq(recoveryCodes.userId, userId)));
  await ctx.db.insert(recoveryCodes).values(
    codes.map((code) => ({
      orgId: ctx.orgId,
      userId,
      codeHash: hashToken(normalRecoveryCode(code)),
      createdAt: ctx.clock(),
    })),
  );
  return codes;
}

const wrongCode = () =>
  new AppError('invalid_input', 'The code is not right', {
    errors: [{ path: 'code', message: 'The code is not right, or was already used' }],
  });

/** Confirms enrolment with a first code from the app; turns TOTP on and returns ten recovery codes, once. */
export async function confirmTotp(ctx: Ctx, code: string): Promise<{ recoveryCodes: string[] }> {
  const user = await userRow(ctx);
  if (user.totpEnabledAt) throw new AppError('conflict', 'Two-step verification is already on');
  if (!user.totpSecretEnc)
    throw new AppError('conflict', 'Start the set-up first (POST /api/v1/auth/totp/setup)');
  if (!(await spendSecondFactor(ctx.db, ctx.vault, user, code, ctx.clock()))) throw wrongCode();
  await ctx.db
    .update(users)
    .set({ totpEnabledAt: ctx.clock() })
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, user.id)));
  return { recoveryCodes: await replaceRecoveryCodes(ctx, user.id) };
}

/** Turns TOTP off: needs the password and a current code (or a recovery code). */
export async function disableTotp(ctx: Ctx, input: { password: string; code: string }): Promise<void> {
  const user = await userRow(ctx);
  if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-step verification is not on');
  if (!(await verifyPassword(input.password, user.passwordHash)))
    throw new AppError('invalid_input', 'The password is not right', {
      errors: [{ path: 'password', message: 'The password is not right' }],
    });
  if (!(await spendSecondFactor(ctx.db, ctx.vault, user, input.code, ctx.clock()))) throw wrongCode();
  await ctx.db
    .update(users)
    .set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null })
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, user.id)));
  await ctx.db
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.orgId, ctx.orgId), eq(recoveryCodes.userId, user.id)));
}

/** New recovery codes (the old ones stop working), for a current TOTP code. */
export async function renewRecoveryCodes(ctx: Ctx, code: string): Promise<{ recoveryCodes: string[] }> {
  const user = await userRow(ctx);
  if (!user.totpEnabledAt) throw new AppError('conflict', 'Two-step verification is not on');
  if (recoveryCodePattern.test(code.trim())) throw wrongCode();
  if (!(await spendSecondFactor(ctx.db, ctx.vault, user, code, ctx.clock()))) throw wrongCode();
  return { recoveryCodes: await replaceRecoveryCodes(ctx, user.id) };
}
