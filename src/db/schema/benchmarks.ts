// Industry benchmarks (the org's industry and its own benchmark rows) and drop alerts (the org's rule and every
// check made, one per period and scope, which is what keeps an alert from being sent twice).
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgs, units } from './orgs.js';

/** The industry an organisation compares itself with: a built-in row's key ('reichheld-2001/all-industries'). */
export const benchmarkSettings = pgTable('benchmark_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  industry: text('industry'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const benchmarkRowKinds = ['average', 'leader', 'other'] as const;

/** An organisation's own benchmark rows (a competitor survey, an association's figure), in NPS points. */
export const benchmarkRows = pgTable(
  'benchmark_rows',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    // 'average' and 'leader' stand in for the industry's when the org chose no built-in industry.
    kind: text('kind', { enum: benchmarkRowKinds }).notNull().default('other'),
    value: smallint('value').notNull(),
    source: text('source').notNull(),
    year: smallint('year'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    check('benchmark_rows_value_range', sql`value between -100 and 100`),
    check('benchmark_rows_year_range', sql`year between 1900 and 2200`),
  ],
);

export const dropPeriods = ['week', 'month'] as const;

/** The org's drop-alert rule; absent = on, monthly, 5 points, no line, 30 answers a period. */
export const dropSettings = pgTable(
  'drop_settings',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    period: text('period', { enum: dropPeriods }).notNull().default('month'),
    minDrop: smallint('min_drop').notNull().default(5),
    floor: smallint('floor'),
    minAnswers: integer('min_answers').notNull().default(30),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('drop_settings_min_drop_range', sql`min_drop between 0 and 200`),
    check('drop_settings_floor_range', sql`floor between -100 and 100`),
    check('drop_settings_min_answers_range', sql`min_answers between 1 and 100000`),
  ],
);

/**
 * One judged period for one scope ('company' or a unit's id): written once, in the transaction that raises its
 * alert, so the scheduled check runs at most once per period per scope and a drop is never alerted twice.
 */
export const dropChecks = pgTable(
  'drop_checks',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    period: text('period', { enum: dropPeriods }).notNull(),
    // '2026-11' or '2026-W47'.
    periodKey: text('period_key').notNull(),
    scope: text('scope').notNull(),
    unitId: uuid('unit_id'),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    n: integer('n').notNull(),
    nps: real('nps'),
    previousN: integer('previous_n').notNull(),
    previousNps: real('previous_nps'),
    diff: real('diff'),
    pValue: real('p_value'),
    significantDrop: boolean('significant_drop').notNull().default(false),
    crossedFloor: boolean('crossed_floor').notNull().default(false),
    alerted: boolean('alerted').notNull().default(false),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.period, t.periodKey, t.scope] }),
    index('drop_checks_org_alerted_idx').on(t.orgId, t.checkedAt).where(sql`alerted`),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }).onDelete('cascade'),
  ],
);
