// Getting surveys to people: the job queue, the outbox of e-mails and SMS, suppressions, anonymous links,
// and the phone-interview queue.
import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers } from './customers.js';
import { employees, orgs, units } from './orgs.js';
import { invitations, surveys } from './surveys.js';

export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const;

/**
 * The job queue (PostgreSQL-backed: `for update skip locked`). `key` makes enqueueing idempotent: the same
 * work is queued once. A running job whose lease expired is taken again, so a crash loses nothing.
 */
export const jobs = pgTable(
  'jobs',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: jobStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('jobs_org_kind_key_uq').on(t.orgId, t.kind, t.key),
    index('jobs_due_idx').on(t.runAt).where(sql`status in ('queued', 'running')`),
  ],
);

export const messageChannels = ['email', 'sms'] as const;
export const messageStatuses = [
  'queued', // waiting for its time (quiet hours) or a worker
  'sending', // handed to a worker; if a crash leaves it here, it becomes 'uncertain', never re-sent blindly
  'sent',
  'held', // no SMTP/SMS gateway configured: kept in the outbox, shown in the dashboard, nothing lost
  'failed', // gave up after retries
  'suppressed', // the address unsubscribed, bounced or complained
  'bounced',
  'uncertain',
] as const;

/** The outbox: every e-mail and SMS Sarafan sends, with its rendered content. */
export const messages = pgTable(
  'messages',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    // Idempotency: e.g. 'invitation:<id>' or 'reminder:<id>'; the same message is never queued twice.
    dedupeKey: text('dedupe_key').notNull(),
    kind: text('kind').notNull(),
    channel: text('channel', { enum: messageChannels }).notNull(),
    invitationId: uuid('invitation_id'),
    customerId: uuid('customer_id'),
    // The recipient's address, encrypted; its blind index finds suppressions.
    toEnc: text('to_enc').notNull(),
    toBidx: text('to_bidx').notNull(),
    locale: text('locale', { enum: ['ru', 'en'] }).notNull(),
    subject: text('subject'),
    bodyText: text('body_text').notNull(),
    bodyHtml: text('body_html'),
    status: text('status', { enum: messageStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    providerId: text('provider_id'),
    sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('messages_org_dedupe_uq').on(t.orgId, t.dedupeKey),
    index('messages_org_status_idx').on(t.orgId, t.status, t.createdAt),
    index('messages_org_invitation_idx').on(t.orgId, t.invitationId),
    foreignKey({
      columns: [t.orgId, t.invitationId],
      foreignColumns: [invitations.orgId, invitations.id],
    }).onDelete('cascade'),
  ],
);

export const suppressionReasons = ['unsubscribed', 'hard_bounce', 'complaint', 'invalid'] as const;

/** Addresses that get no more mail or SMS from this org. */
export const suppressions = pgTable(
  'suppressions',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    channel: text('channel', { enum: messageChannels }).notNull(),
    addressBidx: text('address_bidx').notNull(),
    // The address, sealed: a key rotation computes the new index from it (the address may be held nowhere else).
    addressEnc: text('address_enc'),
    reason: text('reason', { enum: suppressionReasons }).notNull(),
    detail: text('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.channel, t.addressBidx] })],
);

/**
 * An anonymous, reusable survey link (a reception-desk QR code, a campaign link, the web widget). `slug` is
 * public by design: it names a survey and unit, not a person.
 */
export const surveyLinks = pgTable(
  'survey_links',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    unitId: uuid('unit_id'),
    employeeId: uuid('employee_id'),
    kind: text('kind', { enum: ['link', 'qr', 'widget'] }).notNull(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    active: boolean('active').notNull().default(true),
    // Sites allowed to embed the widget (Origin check), e.g. ['https://fitpark.ru'].
    origins: jsonb('origins').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('survey_links_slug_uq').on(t.slug),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
    foreignKey({ columns: [t.orgId, t.employeeId], foreignColumns: [employees.orgId, employees.id] }),
  ],
);

export const callStatuses = ['queued', 'calling', 'call_back', 'done'] as const;
export const callOutcomes = [
  'answered',
  'no_answer',
  'busy',
  'refused',
  'call_back',
  'wrong_number',
] as const;

/** A customer to call for a phone interview; operators take the next due one from the queue. */
export const callTasks = pgTable(
  'call_tasks',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    invitationId: uuid('invitation_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    unitId: uuid('unit_id'),
    status: text('status', { enum: callStatuses }).notNull().default('queued'),
    lastOutcome: text('last_outcome', { enum: callOutcomes }),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(3),
    nextCallAt: timestamp('next_call_at', { withTimezone: true }).notNull().defaultNow(),
    // The operator holding the task, until the lease runs out.
    operatorId: uuid('operator_id'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('call_tasks_org_invitation_uq').on(t.orgId, t.invitationId),
    index('call_tasks_org_due_idx').on(t.orgId, t.status, t.nextCallAt),
    foreignKey({
      columns: [t.orgId, t.invitationId],
      foreignColumns: [invitations.orgId, invitations.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }).onDelete('cascade'),
  ],
);

/** Every dial: who called, what came of it, and when to call back. */
export const callAttempts = pgTable(
  'call_attempts',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    taskId: uuid('task_id').notNull(),
    operatorId: uuid('operator_id').notNull(),
    outcome: text('outcome', { enum: callOutcomes }).notNull(),
    note: text('note'),
    callBackAt: timestamp('call_back_at', { withTimezone: true }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('call_attempts_org_operator_idx').on(t.orgId, t.operatorId, t.at),
    foreignKey({ columns: [t.orgId, t.taskId], foreignColumns: [callTasks.orgId, callTasks.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** Who a relationship (blitz) campaign reaches: a unit subtree, recent activity, a minimum of visits. */
export interface CampaignAudience {
  unitIds?: string[];
  activeWithinDays?: number;
  minVisits?: number;
}

/** A sample of the eligible base: a number or a share, drawn at random with a seed, optionally per unit. */
export interface CampaignSample {
  size?: number;
  share?: number;
  seed: string;
  stratifyByUnit?: boolean;
}

/** What a campaign found and did: eligible, excluded by reason, invited per channel. */
export interface CampaignCounts {
  base: number;
  eligible: number;
  selected: number;
  excluded: Record<string, number>;
  byChannel: Record<string, number>;
  selectionDigest?: string;
  created: number;
}

export const campaignStatuses = ['scheduled', 'running', 'done', 'failed'] as const;

/** A relationship (blitz) survey sent to a whole base or a sample of it, once. */
export const campaigns = pgTable(
  'campaigns',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    surveyId: uuid('survey_id').notNull(),
    name: text('name').notNull(),
    audience: jsonb('audience').$type<CampaignAudience>().notNull().default({}),
    sample: jsonb('sample').$type<CampaignSample>(),
    channels: jsonb('channels').$type<('email' | 'sms' | 'phone')[]>().notNull(),
    expiresInDays: integer('expires_in_days').notNull().default(30),
    status: text('status', { enum: campaignStatuses }).notNull().default('scheduled'),
    counts: jsonb('counts').$type<CampaignCounts>(),
    // When the invitations may go out (delivery sends none before); null = at once.
    sendAt: timestamp('send_at', { withTimezone: true }),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('campaigns_org_survey_idx').on(t.orgId, t.surveyId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * How far a survey's distribution sweeps have read, so each row is considered once, across restarts:
 * 'trigger' reads contacts by arrival (created_at, then id); 'reminder' reads invitations by sent_at, then id.
 */
export const distributionCursors = pgTable(
  'distribution_cursors',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    kind: text('kind', { enum: ['trigger', 'reminder'] }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    rowId: uuid('row_id').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.surveyId, t.kind] }),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);
