// Users, their roles and unit scopes, dashboard sessions and API keys.
import { foreignKey, index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
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
    // scrypt (RFC 7914), memory-hard; format in src/modules/auth/password.ts.
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    locale: text('locale', { enum: ['ru', 'en'] })
      .notNull()
      .default('ru'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
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
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
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
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('api_keys_hash_idx').on(t.keyHash),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);
