// Privacy rights: who saw or changed what (the access log), retention periods, erasures, key-rotation progress.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs } from './orgs.js';

/**
 * The access log: every read of personal data and every admin write, with who and when; never the personal data
 * itself (targets are ids, details are counts and field names).
 */
export const accessLog = pgTable(
  'access_log',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    // The dashboard user or the API key's user; null for the CLI and the system (retention).
    userId: uuid('user_id'),
    actor: text('actor', { enum: ['user', 'cli', 'system'] }).notNull(),
    action: text('action').notNull(),
    target: text('target'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('access_log_org_at_idx').on(t.orgId, t.at, t.id)],
);

/** How long each kind of data is kept; a period left out keeps that data until erased on request. */
export interface RetentionSettings {
  /** Customers without a visit for this many months lose their personal data (as an erasure does). */
  inactiveCustomerMonths?: number | null;
  /** Answers' free-text reasons are removed after this many months (scores stay). */
  reasonMonths?: number | null;
  /** Bodies of sent e-mails and SMS are removed after this many days (the record that one was sent stays). */
  messageBodyDays?: number | null;
  /** Lines of the access log are deleted after this many months. */
  accessLogMonths?: number | null;
}

export const privacySettings = pgTable('privacy_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  retention: jsonb('retention').$type<RetentionSettings>().notNull().default({}),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Customers whose personal data was erased, and why: the row itself keeps no personal data. */
export const erasures = pgTable(
  'erasures',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    customerId: uuid('customer_id').notNull(),
    erasedAt: timestamp('erased_at', { withTimezone: true }).notNull(),
    cause: text('cause', { enum: ['request', 'retention'] }).notNull(),
    userId: uuid('user_id'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.customerId] })],
);

/** How far `sarafan keys rotate` got, per organisation and table, so a crashed rotation resumes where it stopped. */
export const keyRotationProgress = pgTable(
  'key_rotation_progress',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    keyId: text('key_id').notNull(),
    target: text('target').notNull(),
    lastId: text('last_id'),
    rows: integer('rows').notNull().default(0),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ name: 'key_rotation_progress_pk', columns: [t.orgId, t.keyId, t.target] })],
);
