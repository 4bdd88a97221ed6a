// Organisations (tenants), their unit tree and their employees.

import {
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  // IANA zone: days, weeks and months are cut in it.
  timeZone: text('time_zone').notNull().default('Europe/Moscow'),
  locale: text('locale', { enum: ['ru', 'en'] })
    .notNull()
    .default('ru'),
  currency: text('currency').notNull().default('RUB'),
  // Org-wide settings each capability reads its own part of (see OrgSettings).
  settings: jsonb('settings').$type<OrgSettings>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** How often a customer may be asked: no one is surveyed more often than this, nor after opting out. */
export interface ContactPolicy {
  /** Days between two relationship (blitz) invitations to the same customer. */
  relationshipDays: number;
  /** Days between two transactional invitations to the same customer. */
  transactionalDays: number;
}

/** Local times ('HH:MM', the org's or the unit's zone) between which no message goes out and no one is called. */
export interface QuietHours {
  start: string;
  end: string;
}

export interface SmsSettings {
  /** 'http' posts to a configurable gateway; 'test' keeps messages in the outbox (and for tests). */
  provider: 'http' | 'test';
  sender?: string;
  /** The gateway's URL template and body for the generic HTTP provider; secrets are encrypted. */
  url?: string;
  method?: 'GET' | 'POST';
  bodyTemplate?: string;
  headersEnc?: string;
}

export interface OrgSettings {
  contactPolicy?: ContactPolicy;
  quietHours?: QuietHours;
  sms?: SmsSettings;
  email?: { from?: string; replyTo?: string };
  /** The per-org secret of the inbound contacts webhook, encrypted with the vault. */
  hookSecretEnc?: string;
  /** Phone-interview call hours, local to the customer's unit. */
  callHours?: QuietHours;
  /** Employee (eNPS) figures need at least this many answers (default 5, never below 3). */
  anonymity?: { minGroupSize?: number };
}

export const unitKinds = ['company', 'region', 'branch', 'department'] as const;

export const units = pgTable(
  'units',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    parentId: uuid('parent_id'),
    kind: text('kind', { enum: unitKinds }).notNull(),
    name: text('name').notNull(),
    // Materialised path of ids from the root, '/root/child/self/': a subtree is one prefix match.
    path: text('path').notNull(),
    externalId: text('external_id'),
    // A branch in another time zone than the org's (call hours, quiet hours); null = the org's.
    timeZone: text('time_zone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.parentId], foreignColumns: [t.orgId, t.id] }).onDelete('restrict'),
    unique('units_org_external_uq').on(t.orgId, t.externalId),
    index('units_org_path_idx').on(t.orgId, t.path),
  ],
);

export const employees = pgTable(
  'employees',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    unitId: uuid('unit_id').notNull(),
    // Personal fields are encrypted (see src/db/crypto.ts); *_bidx is an HMAC blind index for look-ups.
    nameEnc: text('name_enc').notNull(),
    // Blind index of the case-folded name, so imports can match "Иванова Анна" without decrypting everyone.
    nameBidx: text('name_bidx'),
    emailEnc: text('email_enc'),
    emailBidx: text('email_bidx'),
    position: text('position'),
    // The employee's own dashboard login, if they have one: the closed loop gives their cases to it.
    userId: uuid('user_id'),
    externalId: text('external_id'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
    unique('employees_org_external_uq').on(t.orgId, t.externalId),
    index('employees_org_unit_idx').on(t.orgId, t.unitId),
    index('employees_org_email_idx').on(t.orgId, t.emailBidx),
    index('employees_org_name_idx').on(t.orgId, t.nameBidx),
  ],
);
