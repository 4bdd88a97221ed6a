// Closing the loop: each org's playbook, the cases it opens on answers, their timeline, the events they raise
// (consumed by alerts, webhooks and digests), in-dashboard notifications, webhook endpoints and their delivery log.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
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
import type { Playbook } from '../../domain/playbook.js';
import { users } from './access.js';
import { customers } from './customers.js';
import { employees, orgs, units } from './orgs.js';
import { responses, surveys } from './surveys.js';

/** The org's closed-loop playbook (rules, deadlines, escalation); absent means the default playbook. */
export const playbooks = pgTable('playbooks', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  playbook: jsonb('playbook').$type<Playbook>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/**
 * Answers waiting for the playbook, written in the same transaction as the answer (new or amended), so an
 * answer that is stored is always evaluated, even after a crash or under load. The loop sweep takes rows with
 * `for update skip locked`, evaluates them and deletes them.
 */
export const loopInbox = pgTable(
  'loop_inbox',
  {
    orgId: uuid('org_id').notNull(),
    responseId: uuid('response_id').notNull(),
    // 'new' for a first answer, 'amended' when the respondent changed it within the amend window.
    reason: text('reason', { enum: ['new', 'amended'] })
      .notNull()
      .default('new'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // The score still to be added to the rollups (the sweep adds it, see answers/writer.ts); null once counted.
    rollupScore: smallint('rollup_score'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.responseId] }),
    index('loop_inbox_created_idx').on(t.createdAt),
    check('loop_inbox_rollup_score_range', sql`${t.rollupScore} between 0 and 10`),
  ],
);

export const caseStatuses = ['new', 'in_progress', 'contacted', 'resolved', 'unresolved'] as const;
export type CaseStatus = (typeof caseStatuses)[number];
export const loopLevels = ['frontline', 'middle', 'top'] as const;
export type LoopLevel = (typeof loopLevels)[number];

/** A case: one unhappy (or otherwise actionable) answer that someone must follow up by a deadline. */
export const cases = pgTable(
  'cases',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    // A short number people can say on the phone ("case 1042"), per org.
    number: integer('number').notNull(),
    responseId: uuid('response_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    customerId: uuid('customer_id'),
    unitId: uuid('unit_id'),
    employeeId: uuid('employee_id'),
    // The playbook rule that opened it, and the score it was opened on (the answer may be amended later).
    ruleId: text('rule_id').notNull(),
    score: smallint('score').notNull(),
    urgent: boolean('urgent').notNull().default(false),
    status: text('status', { enum: caseStatuses }).notNull().default('new'),
    // Who must act now and at which level; escalation moves it up.
    level: text('level', { enum: loopLevels }).notNull().default('frontline'),
    ownerUserId: uuid('owner_user_id'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    // 0 = at the first level; 1 = escalated to the middle manager; 2 = to top management.
    escalationStep: smallint('escalation_step').notNull().default(0),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    // When the sweep first found it open past its due time ('case.overdue' is raised once, under the row lock).
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    // The call-back the owner agreed with the customer (the latest 'callback' attempt): "my call-backs today".
    callbackAt: timestamp('callback_at', { withTimezone: true }),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    rootCause: text('root_cause'),
    actionTaken: text('action_taken'),
    // What the fix cost, in minor units of the org's currency.
    actionCostMinor: bigint('action_cost_minor', { mode: 'number' }),
    outcome: text('outcome'),
    // "Did we put it right?": the follow-up invitation and the customer's new score.
    resurveyInvitationId: uuid('resurvey_invitation_id'),
    resurveyScore: smallint('resurvey_score'),
    resurveyAt: timestamp('resurvey_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('cases_org_number_uq').on(t.orgId, t.number),
    unique('cases_org_response_uq').on(t.orgId, t.responseId),
    index('cases_org_owner_status_idx').on(t.orgId, t.ownerUserId, t.status),
    index('cases_org_unit_created_idx').on(t.orgId, t.unitId, t.createdAt),
    index('cases_org_open_due_idx')
      .on(t.orgId, t.dueAt)
      .where(sql`status in ('new', 'in_progress', 'contacted')`),
    check('cases_score_range', sql`score between 0 and 10`),
    check('cases_resurvey_score_range', sql`resurvey_score between 0 and 10`),
    foreignKey({
      columns: [t.orgId, t.responseId],
      foreignColumns: [responses.orgId, responses.id],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.orgId, t.customerId], foreignColumns: [customers.orgId, customers.id] }),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }),
    foreignKey({ columns: [t.orgId, t.employeeId], foreignColumns: [employees.orgId, employees.id] }),
    // A deleted owner leaves the case unowned (the sweep reassigns it), never deletes it.
    foreignKey({ columns: [t.orgId, t.ownerUserId], foreignColumns: [users.orgId, users.id] }).onDelete(
      'set null (owner_user_id)' as 'set null',
    ),
  ],
);

export const caseEventKinds = [
  'opened',
  'assigned',
  'status',
  'note',
  'attempt',
  'escalated',
  'amended', // the respondent changed the answer the case was opened on
  'resurvey_sent',
  'resurvey_answered',
] as const;

/** A case's timeline: every change, note and contact attempt, with who did it. */
export const caseEvents = pgTable(
  'case_events',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    caseId: uuid('case_id').notNull(),
    kind: text('kind', { enum: caseEventKinds }).notNull(),
    // null = the system (playbook, escalation timer).
    actorUserId: uuid('actor_user_id'),
    // Kind-specific: { from, to } for status, { text } for a note, { outcome, channel } for an attempt…
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('case_events_org_case_idx').on(t.orgId, t.caseId, t.at),
    foreignKey({ columns: [t.orgId, t.caseId], foreignColumns: [cases.orgId, cases.id] }).onDelete('cascade'),
  ],
);

/**
 * What the loop raises, in order, written in the same transaction as the change that raised it: alerts,
 * webhooks and digests consume it (each with its own idempotent delivery rows), so nothing is sent twice or lost.
 * Kinds: 'case.opened', 'case.urgent', 'case.escalated', 'case.overdue', 'case.resolved', 'case.assigned',
 * 'response.promoter', 'response.passive', 'response.detractor', 'resurvey.answered'.
 */
export const loopEvents = pgTable(
  'loop_events',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    caseId: uuid('case_id'),
    responseId: uuid('response_id'),
    unitId: uuid('unit_id'),
    // Who should hear of it (resolved by the playbook when raised): user ids.
    recipients: jsonb('recipients').$type<string[]>().notNull().default([]),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Set once alerts and webhooks have taken it (their own rows make each delivery idempotent).
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('loop_events_pending_idx').on(t.seq).where(sql`dispatched_at is null`),
    index('loop_events_org_created_idx').on(t.orgId, t.createdAt),
  ],
);

/** The dashboard's bell: what a user has been told, read or not. */
export const notifications = pgTable(
  'notifications',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    userId: uuid('user_id').notNull(),
    eventId: uuid('event_id'),
    kind: text('kind').notNull(),
    caseId: uuid('case_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('notifications_org_user_event_uq').on(t.orgId, t.userId, t.eventId),
    index('notifications_org_user_created_idx').on(t.orgId, t.userId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** What a user wants to hear about, and when (their digests go out at a time of their day). */
export interface NotificationPrefs {
  /** Mute everything (alerts, digests) without losing the dashboard bell. */
  muted?: boolean;
  /** Per event kind: which channels; absent = the default for the user's role. */
  events?: Record<string, { email?: boolean; dashboard?: boolean }>;
  digest?: {
    daily?: boolean;
    weekly?: boolean;
    /** Local 'HH:MM' in timeZone (the org's when absent). */
    at?: string;
    /** ISO weekday 1–7 for the weekly digest. */
    weekday?: number;
    timeZone?: string;
  };
}

/** Per-user notification preferences (one row per user who changed the defaults). */
export const notificationPrefs = pgTable(
  'notification_prefs',
  {
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    prefs: jsonb('prefs').$type<NotificationPrefs>().notNull().default({}),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);

/** Outbound webhooks (Standard Webhooks signatures); the secret is encrypted with the vault. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    url: text('url').notNull(),
    description: text('description'),
    secretEnc: text('secret_enc').notNull(),
    // Event kinds it wants (see loop_events); empty = all.
    events: jsonb('events').$type<string[]>().notNull().default([]),
    // A private or loopback address is refused unless an admin allowed it for this endpoint.
    allowPrivate: boolean('allow_private').notNull().default(false),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledReason: text('disabled_reason'),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const webhookDeliveryStatuses = ['pending', 'delivered', 'retrying', 'failed'] as const;

/** The delivery log: one row per endpoint and event, retried with back-off, never sent twice once delivered. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventKind: text('event_kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastDurationMs: integer('last_duration_ms'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('webhook_deliveries_org_endpoint_event_uq').on(t.orgId, t.endpointId, t.eventId),
    index('webhook_deliveries_org_endpoint_created_idx').on(t.orgId, t.endpointId, t.createdAt),
    foreignKey({
      columns: [t.orgId, t.endpointId],
      foreignColumns: [webhookEndpoints.orgId, webhookEndpoints.id],
    }).onDelete('cascade'),
  ],
);

/** Digests already sent: one per user, kind and period, so a restart never sends one twice. */
export const digestRuns = pgTable(
  'digest_runs',
  {
    orgId: uuid('org_id').notNull(),
    userId: uuid('user_id').notNull(),
    kind: text('kind', { enum: ['daily', 'weekly'] }).notNull(),
    // The local day ('2026-12-02') or ISO week ('2026-W49') it covers.
    period: text('period').notNull(),
    messageId: uuid('message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId, t.kind, t.period] }),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
  ],
);
