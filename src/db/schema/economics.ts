// Loyalty economics: the org's assumptions, programmes that move customers, saved scenarios, optional referral and
// churn marks from imports, and the per-customer cache (facts with their services, baskets) that segment values and baskets read.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
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
import { customers } from './customers.js';
import { orgs } from './orgs.js';

export const economicsSegments = ['promoter', 'passive', 'detractor'] as const;

/** The org's economic assumptions; absent row = the defaults in src/modules/economics/settings.ts. */
export const economicsSettings = pgTable(
  'economics_settings',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    // Gross margin as a share of revenue (0–1).
    margin: doublePrecision('margin').notNull(),
    // Annual discount rate (0–1).
    discountRate: doublePrecision('discount_rate').notNull(),
    // A customer with no contact for this many days is lost.
    churnDays: integer('churn_days').notNull(),
    horizonYears: integer('horizon_years').notNull(),
    // Revenue and visit frequency are read over the last this many months.
    windowMonths: integer('window_months').notNull(),
    bootstrapSamples: integer('bootstrap_samples').notNull(),
    forecastPeriod: text('forecast_period', { enum: ['month', 'quarter'] }).notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  () => [
    check('economics_settings_margin', sql`margin between 0 and 1`),
    check('economics_settings_discount', sql`discount_rate between 0 and 1`),
  ],
);

/** Something the org does to move customers (a free personal training, a manager's call) and what it costs. */
export const economicsProgrammes = pgTable(
  'economics_programmes',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    fromSegment: text('from_segment', { enum: economicsSegments }).notNull(),
    toSegment: text('to_segment', { enum: economicsSegments }).notNull(),
    costPerCustomerMinor: bigint('cost_per_customer_minor', { mode: 'number' }).notNull(),
    // The org's expectation until cases naming the programme show the real rate.
    assumedSuccessRate: doublePrecision('assumed_success_rate'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('economics_programmes_org_name_uq').on(t.orgId, t.name),
    check('economics_programmes_cost', sql`cost_per_customer_minor >= 0`),
    check(
      'economics_programmes_rate',
      sql`assumed_success_rate is null or assumed_success_rate between 0 and 1`,
    ),
  ],
);

/** A what-if the user saved: moves, retention changes and a budget (the API's scenario input). */
export const economicsScenarios = pgTable(
  'economics_scenarios',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    input: jsonb('input').$type<Record<string, unknown>>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

/**
 * What the accounting system may know that contacts do not carry: who referred the customer, "who told you about
 * us", and an explicit churn (a closed membership). Optional; filled by PUT /economics/customer-marks.
 */
export const economicsCustomerMarks = pgTable(
  'economics_customer_marks',
  {
    orgId: uuid('org_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    referredByCustomerId: uuid('referred_by_customer_id'),
    referralSource: text('referral_source'),
    churnedAt: timestamp('churned_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.customerId] }),
    foreignKey({
      columns: [t.orgId, t.customerId],
      foreignColumns: [customers.orgId, customers.id],
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.orgId, t.referredByCustomerId],
      foreignColumns: [customers.orgId, customers.id],
    }).onDelete('set null (referred_by_customer_id)' as 'set null'),
    index('economics_customer_marks_referrer_idx').on(t.orgId, t.referredByCustomerId),
  ],
);

/**
 * One row per customer with contacts: what the economics read, aggregated from contacts and answers in SQL. This
 * table, the baskets and the state are UNLOGGED in the migration (a cache rebuilt at will: no write-ahead log).
 */
export const economicsCustomerFacts = pgTable(
  'economics_customer_facts',
  {
    orgId: uuid('org_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    // The home unit, else the unit of the latest answer: for scopes and unit breakdowns.
    unitId: uuid('unit_id'),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }).notNull(),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }).notNull(),
    contactsTotal: integer('contacts_total').notNull(),
    contactsWindow: integer('contacts_window').notNull(),
    // Net revenue in the window in the org's currency (refunds subtracted), and whether any amount was known.
    revenueWindowMinor: bigint('revenue_window_minor', { mode: 'number' }).notNull(),
    refundsWindowMinor: bigint('refunds_window_minor', { mode: 'number' }).notNull(),
    hasRevenue: boolean('has_revenue').notNull(),
    // Years in the window as a customer (≥ 30 days), years observed for churn (0 = not at risk yet), lost.
    exposureYears: doublePrecision('exposure_years').notNull(),
    tenureYears: doublePrecision('tenure_years').notNull(),
    lost: boolean('lost').notNull(),
    score: smallint('score'),
    segment: text('segment', { enum: economicsSegments }),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    referredByCustomerId: uuid('referred_by_customer_id'),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    // Services bought in the window (trimmed names, each once) with the visits and spend of each, in step.
    services: text('services').array().notNull().default(sql`'{}'`),
    serviceVisits: integer('service_visits').array().notNull().default(sql`'{}'`),
    serviceSpend: bigint('service_spend', { mode: 'number' }).array().notNull().default(sql`'{}'`),
  },
  // No foreign key and no index but the key: the whole build writes a million rows in key order (drizzle/0015); a
  // deleted customer's row goes at the next refresh, which notices their contacts went with them.
  (t) => [primaryKey({ columns: [t.orgId, t.customerId] })],
);

/**
 * Baskets: buyers, visits and spend per segment, unit and service. The whole build writes one row per group; an
 * incremental refresh appends the changed customers' differences (negative for what they were), so a read sums.
 */
export const economicsBaskets = pgTable(
  'economics_baskets',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    segment: text('segment', { enum: economicsSegments }).notNull(),
    unitId: uuid('unit_id'),
    service: text('service').notNull(),
    buyers: integer('buyers').notNull(),
    visits: bigint('visits', { mode: 'number' }).notNull(),
    spendMinor: bigint('spend_minor', { mode: 'number' }).notNull(),
  },
  (t) => [index('economics_baskets_org_idx').on(t.orgId, t.segment)],
);

/** Where the cache stands: when it was built whole, what it has seen since, with which assumptions. */
export const economicsState = pgTable('economics_state', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  // The settings the cache was built with (window, churn period): other values force a full rebuild.
  settingsKey: text('settings_key').notNull(),
  fullAt: timestamp('full_at', { withTimezone: true }).notNull(),
  refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  // The newest contact (created_at), answer (answered_at, amended_at) and mark the cache has seen: anything newer
  // is what an incremental refresh recomputes. Data times, not a clock, so the app's and the database's clocks
  // never have to agree. Kept as PostgreSQL's text (microseconds): a JS Date would cut them to milliseconds.
  contactsCreatedMax: timestamp('contacts_created_max', { withTimezone: true, mode: 'string' }),
  answeredMax: timestamp('answered_max', { withTimezone: true, mode: 'string' }),
  amendedMax: timestamp('amended_max', { withTimezone: true, mode: 'string' }),
  marksMax: timestamp('marks_max', { withTimezone: true, mode: 'string' }),
  // Contacts counted at the last refresh: fewer now means some were deleted (a rolled-back import) → rebuild.
  contactsSeen: bigint('contacts_seen', { mode: 'number' }).notNull(),
  lastDurationMs: integer('last_duration_ms').notNull(),
  lastKind: text('last_kind', { enum: ['full', 'incremental'] }).notNull(),
  // A whole build running since (the worker's), how long the last whole build took, and why the last one failed.
  buildingSince: timestamp('building_since', { withTimezone: true }),
  lastFullMs: integer('last_full_ms'),
  lastError: text('last_error'),
});

/**
 * Each customer's contact sums, kept by statement triggers on contacts as they arrive (drizzle/0017), so the whole
 * build reads one row per customer instead of every contact: first and last contact and their count (all time), and
 * from the running state's `windowStart` on, the window's visits, net revenue and refunds in the org's currency,
 * visits with an amount, and the services each once with its visits and spend. UNLOGGED.
 */
export const economicsCustomerRunning = pgTable(
  'economics_customer_running',
  {
    orgId: uuid('org_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }).notNull(),
    lastContactAt: timestamp('last_contact_at', { withTimezone: true }).notNull(),
    contactsTotal: integer('contacts_total').notNull(),
    contactsWindow: integer('contacts_window').notNull(),
    revenueWindowMinor: bigint('revenue_window_minor', { mode: 'number' }).notNull(),
    refundsWindowMinor: bigint('refunds_window_minor', { mode: 'number' }).notNull(),
    revenueContacts: integer('revenue_contacts').notNull(),
    services: text('services').array().notNull(),
    serviceVisits: integer('service_visits').array().notNull(),
    serviceSpend: bigint('service_spend', { mode: 'number' }).array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.customerId] })],
);

/** Which window the running sums count and in which currency; no row: none kept yet (the next refresh counts). */
export const economicsRunningState = pgTable('economics_running_state', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  windowMonths: integer('window_months').notNull(),
  currency: text('currency').notNull(),
  countedAt: timestamp('counted_at', { withTimezone: true }).notNull(),
});
