// Surveys, their invitations (one hashed token each), and the answers they collect.
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { contacts, customers } from './customers.js';
import { employees, orgs, units } from './orgs.js';

export interface SurveyTexts {
  question: string;
  reason: string;
  thanks?: string;
}

/** When and how a survey goes out by itself (transactional triggers, reminders). */
export interface SurveyDistribution {
  /** Transactional: invite this many minutes after each contact (outside quiet hours). */
  trigger?: {
    delayMinutes: number;
    channels: ('email' | 'sms' | 'phone')[];
    unitIds?: string[];
    /** A contact that reaches Sarafan later than this after it happened gets no survey (default 72). */
    maxAgeHours?: number;
  };
  /** One reminder, this many days after the invitation, only to those who did not answer. */
  reminder?: { afterDays: number };
}

export const surveys = pgTable(
  'surveys',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    audience: text('audience', { enum: ['customer', 'employee'] }).notNull(),
    kind: text('kind', { enum: ['relationship', 'transactional'] }).notNull(),
    defaultLocale: text('default_locale', { enum: ['ru', 'en'] })
      .notNull()
      .default('ru'),
    texts: jsonb('texts').$type<{ ru: SurveyTexts; en: SurveyTexts }>().notNull(),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    distribution: jsonb('distribution').$type<SurveyDistribution>().notNull().default({}),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const channels = ['link', 'email', 'sms', 'widget', 'phone'] as const;

export const invitations = pgTable(
  'invitations',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    // SHA-256 of the link's random token (≥128 bits); the token itself is never stored.
    tokenHash: text('token_hash').notNull(),
    // The token, sealed, only for a link made under a key a rotation has since replaced (see invitationLinkToken):
    // its token can no longer be derived, and reminders must carry the link the person already has.
    tokenEnc: text('token_enc'),
    customerId: uuid('customer_id'),
    contactId: uuid('contact_id'),
    // For an employee survey: whom the link was sent to. The answer never points back here.
    employeeId: uuid('employee_id'),
    unitId: uuid('unit_id'),
    channel: text('channel', { enum: channels }).notNull().default('link'),
    locale: text('locale', { enum: ['ru', 'en'] }).notNull(),
    status: text('status', { enum: ['pending', 'answered'] })
      .notNull()
      .default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // Delivery: when it may go out (delay, quiet hours), when it went out, when it was reminded.
    sendAfter: timestamp('send_after', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    // The relationship campaign that created it (campaigns, in delivery.ts; no foreign key to keep the schema
    // files free of an import cycle — campaigns are never deleted but with their survey, which cascades).
    campaignId: uuid('campaign_id'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('invitations_org_token_uq').on(t.orgId, t.tokenHash),
    index('invitations_token_idx').on(t.tokenHash),
    index('invitations_org_survey_idx').on(t.orgId, t.surveyId, t.createdAt),
    index('invitations_org_customer_idx').on(t.orgId, t.customerId, t.createdAt),
    index('invitations_org_campaign_idx').on(t.orgId, t.campaignId),
    index('invitations_org_survey_contact_idx').on(t.orgId, t.surveyId, t.contactId),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.contactId], foreignColumns: [contacts.orgId, contacts.id] }),
    foreignKey({
      columns: [t.orgId, t.employeeId],
      foreignColumns: [employees.orgId, employees.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
  ],
);

const scoreCheck = (column: string) => sql.raw(`${column} between 0 and 10`);

/** A customer's answer: at most one per invitation. */
export const responses = pgTable(
  'responses',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    invitationId: uuid('invitation_id'),
    customerId: uuid('customer_id'),
    contactId: uuid('contact_id'),
    unitId: uuid('unit_id'),
    employeeId: uuid('employee_id'),
    channel: text('channel', { enum: channels }).notNull(),
    locale: text('locale', { enum: ['ru', 'en'] }).notNull(),
    score: smallint('score').notNull(),
    reason: text('reason'),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    amendedAt: timestamp('amended_at', { withTimezone: true }),
    // Answers through an anonymous link, QR code or widget: the link, and a keyed hash of device and day
    // (one answer per device per day), never the device itself.
    linkId: uuid('link_id'),
    deviceKey: text('device_key'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    check('responses_score_range', scoreCheck('score')),
    unique('responses_org_invitation_uq').on(t.orgId, t.invitationId),
    unique('responses_org_link_device_uq').on(t.orgId, t.linkId, t.deviceKey),
    index('responses_org_survey_time_idx').on(t.orgId, t.surveyId, t.answeredAt),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.orgId, t.customerId], foreignColumns: [customers.orgId, customers.id] }),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
    foreignKey({ columns: [t.orgId, t.employeeId], foreignColumns: [employees.orgId, employees.id] }),
  ],
);

/**
 * An employee's (eNPS) answer. By design it carries no person, no token, no IP and only the day:
 * there is nothing here that could lead back to who answered.
 */
export const employeeResponses = pgTable(
  'employee_responses',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    unitId: uuid('unit_id'),
    score: smallint('score').notNull(),
    reason: text('reason'),
    locale: text('locale', { enum: ['ru', 'en'] }).notNull(),
    answeredOn: date('answered_on', { mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    check('employee_responses_score_range', scoreCheck('score')),
    index('employee_responses_org_survey_idx').on(t.orgId, t.surveyId, t.answeredOn),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
  ],
);

const scoreCounts = {
  c0: integer('c0').notNull().default(0),
  c1: integer('c1').notNull().default(0),
  c2: integer('c2').notNull().default(0),
  c3: integer('c3').notNull().default(0),
  c4: integer('c4').notNull().default(0),
  c5: integer('c5').notNull().default(0),
  c6: integer('c6').notNull().default(0),
  c7: integer('c7').notNull().default(0),
  c8: integer('c8').notNull().default(0),
  c9: integer('c9').notNull().default(0),
  c10: integer('c10').notNull().default(0),
};

/**
 * Answers counted per local day, unit and channel, kept up to date as answers arrive so analytics never scan
 * raw answers. "No unit" is the all-zero uuid, so the key has no NULLs.
 */
export const npsDailyUnit = pgTable(
  'nps_daily_unit',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    unitId: uuid('unit_id').notNull(),
    channel: text('channel').notNull(),
    ...scoreCounts,
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.surveyId, t.day, t.unitId, t.channel] }),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** Answers counted per local day and employee (customer surveys only; eNPS answers name no one). */
export const npsDailyEmployee = pgTable(
  'nps_daily_employee',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    employeeId: uuid('employee_id').notNull(),
    ...scoreCounts,
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.surveyId, t.day, t.employeeId] }),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);
