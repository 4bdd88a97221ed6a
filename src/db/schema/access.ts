// Users, their roles and unit scopes, dashboard sessions, API keys, second factors and inbound-webhook receipts.
import {
  bigint,
  foreignKey,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgs, units } from './orgs.js';

export const roles = ['owner', 'admin', 'manager', 'frontline', 'analyst'] as const;

export const users = pgTable(
  'users',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    // The login e-mail is personal data too: encrypted, found by its blind index.
    emailEnc: text('email_enc').notNull(),
    emailBidx: text('email_bidx').notNull(),
    nameEnc: text('name_enc'),
    // argon2id (RFC 9106) in PHC form; older scrypt hashes are re-hashed at the next log-in (src/modules/auth/password.ts).
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    locale: text('locale', { enum: ['ru', 'en'] })
      .notNull()
      .default('ru'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    // TOTP (RFC 6238): the shared secret sealed by the vault; set while enrolling, in force once `totpEnabledAt` is.
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    // The last time step a code was accepted for, so one code cannot be used twice (RFC 6238 §5.2).
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('users_org_email_uq').on(t.orgId, t.emailBidx),
    index('users_email_idx').on(t.emailBidx),
  ],
);

/** The units whose subtree a manager or front-line user may see. */
export const userUnits = pgTable(
  'user_units',
  {
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    unitId: uuid('unit_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.unitId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }).onDelete('cascade'),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // The absolute end of the session; it also ends after an idle period since `lastSeenAt` (src/modules/auth/sessions.ts).
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('sessions_token_idx').on(t.tokenHash),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    // Shown once at creation; only its SHA-256 is kept. `prefix` lets a user recognise it in a list.
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    // What the key may do: `read`, `write`, `admin`, each optionally for one area (`read:cases`); see auth/scopes.ts.
    scopes: text('scopes').array().notNull().default(['read', 'write', 'admin']),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('api_keys_hash_idx').on(t.keyHash),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** One-time recovery codes for a user with TOTP: only their SHA-256 is kept, each works once. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('recovery_codes_user_idx').on(t.orgId, t.userId),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/**
 * Inbound webhook deliveries already taken (Standard Webhooks `webhook-id`), so a captured request replayed inside
 * the signature's 5-minute window is refused; rows older than the window are pruned as new ones arrive.
 */
export const hookReceipts = pgTable(
  'hook_receipts',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    webhookId: text('webhook_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.webhookId] }), index('hook_receipts_time_idx').on(t.receivedAt)],
);
