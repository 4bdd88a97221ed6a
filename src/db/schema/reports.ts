// The report library (generated files kept in the database) and the schedules that make and mail reports.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgs, units } from './orgs.js';

/** PostgreSQL's bytea as a Node Buffer (pg returns a Buffer, PGlite a Uint8Array). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const reportStatuses = ['queued', 'running', 'done', 'failed'] as const;
export const reportCadences = ['weekly', 'monthly', 'quarterly'] as const;

/**
 * One generated (or queued) report. The file lives in `body` (bytea), not under DATA_DIR: a database backup then
 * holds the whole library, a tenant's rows and files go together (deleting an org deletes its files), and the
 * file is written in the same transaction that marks the report done — no orphan files, no missing ones.
 */
export const reports = pgTable(
  'reports',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind').notNull(),
    /** ReportOptions: locale, audience, period, unit. */
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: reportStatuses }).notNull().default('queued'),
    progress: doublePrecision('progress').notNull().default(0),
    error: text('error'),
    /** Made for an analyst: no personal data inside. */
    pseudonymised: boolean('pseudonymised').notNull().default(false),
    requestedBy: uuid('requested_by'),
    /** Set when a schedule made it. */
    scheduleId: uuid('schedule_id'),
    period: text('period'),
    fileName: text('file_name'),
    mime: text('mime'),
    size: integer('size'),
    body: bytea('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('reports_org_created_idx').on(t.orgId, t.createdAt),
    check('reports_progress_ck', sql`${t.progress} >= 0 and ${t.progress} <= 1`),
  ],
);

/** A report made and mailed on a cadence, for the period just ended, to users in their own language. */
export const reportSchedules = pgTable(
  'report_schedules',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    audience: text('audience', { enum: ['customer', 'employee'] }).notNull(),
    unitId: uuid('unit_id'),
    cadence: text('cadence', { enum: reportCadences }).notNull(),
    /** Weekly: ISO weekday 1–7; monthly and quarterly: day of the (first) month 1–28. */
    day: integer('day').notNull(),
    /** Local hour of the org's time zone. */
    hour: integer('hour').notNull().default(8),
    recipients: jsonb('recipients').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }).onDelete('cascade'),
    check('report_schedules_hour_ck', sql`${t.hour} between 0 and 23`),
    check('report_schedules_day_ck', sql`${t.day} between 1 and 28`),
  ],
);

/**
 * One run of a schedule for one period in one language: the guard that a period is reported (and mailed) once,
 * whatever restarts, retries or second servers happen — and even after its report is deleted from the library.
 */
export const reportScheduleRuns = pgTable(
  'report_schedule_runs',
  {
    orgId: uuid('org_id').notNull(),
    scheduleId: uuid('schedule_id').notNull(),
    period: text('period').notNull(),
    locale: text('locale', { enum: ['ru', 'en'] }).notNull(),
    reportId: uuid('report_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.scheduleId, t.period, t.locale] }),
    foreignKey({
      columns: [t.orgId, t.scheduleId],
      foreignColumns: [reportSchedules.orgId, reportSchedules.id],
    }).onDelete('cascade'),
  ],
);
