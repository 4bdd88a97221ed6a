// Users and API keys: who may act, and in which organisation.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import {
  AppError,
  type Ctx,
  hashToken,
  isUniqueViolation,
  newToken,
  notFound,
  type Principal,
  type Role,
  requireRole,
} from '../kernel/index.js';
import type { Vault } from '../privacy/index.js';
import { hashPassword, passwordRule } from './password.js';
import { scopeSchema } from './scopes.js';

const { users, userUnits, apiKeys, orgs } = tables;

export const newUserInput = z.object({
  email: z.email().max(254),
  password: passwordRule,
  name: z.string().trim().max(200).optional(),
  role: z.enum(['owner', 'admin', 'manager', 'frontline', 'analyst']),
  locale: z.enum(['ru', 'en']).default('ru'),
  unitIds: z.array(z.uuid()).max(1000).default([]),
});

export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  locale: 'ru' | 'en';
  unitIds: string[];
}

export async function createUser(ctx: Ctx, input: z.input<typeof newUserInput>): Promise<PublicUser> {
  requireRole(ctx, 'owner', 'admin');
  const u = newUserInput.parse(input);
  if (u.role === 'owner' && ctx.actor.kind === 'user' && ctx.actor.role !== 'owner') {
    throw new AppError('forbidden', 'Only an owner may create another owner');
  }
  const id = crypto.randomUUID();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(users).values({
        orgId: ctx.orgId,
        id,
        emailEnc: ctx.vault.encrypt(u.email),
        emailBidx: ctx.vault.blindIndex('email', u.email),
        nameEnc: ctx.vault.encrypt(u.name ?? null),
        passwordHash: await hashPassword(u.password),
        role: u.role,
        locale: u.locale,
      });
      if (u.unitIds.length) {
        await tx
          .insert(userUnits)
          .values(u.unitIds.map((unitId) => ({ orgId: ctx.orgId, userId: id, unitId })));
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'A user with this e-mail already exists', {
        errors: [{ path: 'email', message: 'Already in use in this organisation' }],
      });
    }
    if ((error as { cause?: { code?: string } }).cause?.code === '23503') {
      throw new AppError('invalid_input', 'Unknown unit', {
        errors: [{ path: 'unitIds', message: 'Unknown unit' }],
      });
    }
    throw error;
  }
  return { id, email: u.email, name: u.name ?? null, role: u.role, locale: u.locale, unitIds: u.unitIds };
}

export async function listUsers(ctx: Ctx): Promise<PublicUser[]> {
  requireRole(ctx, 'owner', 'admin');
  const rows = await ctx.db.select().from(users).where(eq(users.orgId, ctx.orgId)).orderBy(users.createdAt);
  const scopes = await ctx.db.select().from(userUnits).where(eq(userUnits.orgId, ctx.orgId));
  return rows.map((r) => ({
    id: r.id,
    email: ctx.vault.decrypt(r.emailEnc),
    name: ctx.vault.decrypt(r.nameEnc),
    role: r.role,
    locale: r.locale,
    unitIds: scopes.filter((s) => s.userId === r.id).map((s) => s.unitId),
  }));
}

export type Identity = Principal;

/** The principal of an enabled user, or null when the user is gone or disabled. */
export async function identityOf(
  db: Db,
  vault: Vault,
  orgId: string,
  userId: string,
): Promise<Identity | null> {
  const [row] = await db
    .select({ user: users, org: orgs })
    .from(users)
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(users.orgId, orgId), eq(users.id, userId), isNull(users.disabledAt)));
  if (!row) return null;
  const role = row.user.role;
  const scoped = role === 'manager' || role === 'frontline';
  const unitIds = scoped
    ? (
        await db
          .select({ unitId: userUnits.unitId })
          .from(userUnits)
          .where(and(eq(userUnits.orgId, orgId), eq(userUnits.userId, userId)))
      ).map((r) => r.unitId)
    : null;
  return {
    orgId,
    orgName: row.org.name,
    timeZone: row.org.timeZone,
    actor: { kind: 'user', userId, role, unitIds },
    email: vault.decrypt(row.user.emailEnc),
    locale: row.user.locale,
  };
}

const API_KEY_PREFIX = 'srf_';

/**
 * The principal an API key acts as, with the key's scopes; null for an unknown or revoked key, `expired` for one
 * past its expiry (so the answer can say so).
 */
export async function apiKeyPrincipal(
  db: Db,
  vault: Vault,
  key: string,
  now: Date,
): Promise<{ identity: Identity; scopes: string[] } | 'expired' | null> {
  if (!key.startsWith(API_KEY_PREFIX)) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  if (row.expiresAt && row.expiresAt <= now) return 'expired';
  // Record use at most once a minute, so a busy integration does not write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.orgId, row.orgId), eq(apiKeys.id, row.id)));
  }
  const identity = await identityOf(db, vault, row.orgId, row.userId);
  return identity ? { identity, scopes: row.scopes } : null;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
  /** The user the key acts as. */
  userId: string;
}

/** Days an API key lives when none is given through the API; keys made by `sarafan init` never expire. */
export const DEFAULT_KEY_DAYS = 90;
export const MAX_KEY_DAYS = 730;

export const newApiKeyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(scopeSchema)
    .min(1)
    .max(50)
    .default(['read'])
    .transform((s) => [...new Set(s)]),
  expiresInDays: z.number().int().min(1).max(MAX_KEY_DAYS).default(DEFAULT_KEY_DAYS),
});

/** Creates an API key acting as `userId`; the key is returned once and only its hash is kept. */
export async function createApiKey(
  ctx: Ctx,
  input: { userId: string; name: string; scopes?: string[]; expiresAt?: Date | null },
) {
  requireRole(ctx, 'owner', 'admin');
  const [owner] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, input.userId)));
  if (!owner) throw notFound('User');
  const key = `${API_KEY_PREFIX}${newToken(32)}`;
  const [row] = await ctx.db
    .insert(apiKeys)
    .values({
      orgId: ctx.orgId,
      userId: input.userId,
      name: input.name,
      keyHash: hashToken(key),
      prefix: key.slice(0, 10),
      createdAt: ctx.clock(),
      scopes: input.scopes ?? ['read', 'write', 'admin'],
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { key, info: keyInfo(row!, ctx.clock()) };
}

function keyInfo(row: typeof apiKeys.$inferSelect, now: Date): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    expired: row.expiresAt !== null && row.expiresAt <= now,
    userId: row.userId,
  };
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyInfo[]> {
  requireRole(ctx, 'owner', 'admin');
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((row) => keyInfo(row, ctx.clock()));
}

export async function revokeApiKey(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'owner', 'admin');
  const done = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: ctx.clock() })
    .where(and(eq(apiKeys.orgId, ctx.orgId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (done.length === 0) throw notFound('API key');
}
