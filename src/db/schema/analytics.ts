// Analytics: the organisation's bands (revenue, visit frequency, tenure) and the rollups by facet and by month.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgs } from './orgs.js';
import { surveys } from './surveys.js';

/**
 * How an organisation cuts its customers into bands. Each list holds the lower bounds of the bands after the first,
 * ascending: a value x falls in band i = how many bounds are ≤ x. Revenue bounds are money in minor units over the
 * 12 months up to the answer; in 'quantiles' mode they are the quantiles of customers' spend, computed when the
 * settings are saved or the rollups rebuilt (frozen in between, so a trend per band compares like with like).
 */
export const analyticsSettings = pgTable(
  'analytics_settings',
  {
    orgId: uuid('org_id')
      .primaryKey()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    revenueMode: text('revenue_mode', { enum: ['quantiles', 'fixed'] })
      .notNull()
      .default('quantiles'),
    revenueQuantiles: smallint('revenue_quantiles').notNull().default(4),
    revenueBoundsMinor: bigint('revenue_bounds_minor', { mode: 'number' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    revenueBoundsAt: timestamp('revenue_bounds_at', { withTimezone: true }),
    visitBounds: integer('visit_bounds').array().notNull().default(sql`'{1,2,4,12}'`),
    tenureBoundsMonths: integer('tenure_bounds_months').array().notNull().default(sql`'{6,12,24,60}'`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [
    check('analytics_settings_revenue_mode', sql`revenue_mode in ('quantiles', 'fixed')`),
    check('analytics_settings_quantiles', sql`revenue_quantiles between 2 and 10`),
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

export const facets = ['service', 'revenue', 'visits', 'tenure'] as const;
export type Facet = (typeof facets)[number];

/**
 * Customer answers counted per local day, unit and the value of one facet of the answer: the service of the visit
 * asked about, and the revenue, visit-frequency and tenure bands of the customer as they stood on the answer's day.
 * '' is "not known" (an anonymous answer, a visit without a service, a customer without visits).
 */
export const npsDailyFacet = pgTable(
  'nps_daily_facet',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    facet: text('facet', { enum: facets }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    unitId: uuid('unit_id').notNull(),
    value: text('value').notNull(),
    ...scoreCounts,
  },
  (t) => [
    primaryKey({
      name: 'nps_daily_facet_pk',
      columns: [t.orgId, t.surveyId, t.facet, t.day, t.unitId, t.value],
    }),
    check('nps_daily_facet_kind', sql`facet in ('service', 'revenue', 'visits', 'tenure')`),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** nps_daily_unit summed by local month (the first day of the month), so a year's trend reads 12 rows per unit. */
export const npsMonthlyUnit = pgTable(
  'nps_monthly_unit',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    unitId: uuid('unit_id').notNull(),
    channel: text('channel').notNull(),
    ...scoreCounts,
  },
  (t) => [
    primaryKey({ name: 'nps_monthly_unit_pk', columns: [t.orgId, t.surveyId, t.month, t.unitId, t.channel] }),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);

/** nps_daily_employee summed by local month. */
export const npsMonthlyEmployee = pgTable(
  'nps_monthly_employee',
  {
    orgId: uuid('org_id').notNull(),
    surveyId: uuid('survey_id').notNull(),
    month: date('month', { mode: 'string' }).notNull(),
    employeeId: uuid('employee_id').notNull(),
    ...scoreCounts,
  },
  (t) => [
    primaryKey({ name: 'nps_monthly_employee_pk', columns: [t.orgId, t.surveyId, t.month, t.employeeId] }),
    foreignKey({ columns: [t.orgId, t.surveyId], foreignColumns: [surveys.orgId, surveys.id] }).onDelete(
      'cascade',
    ),
  ],
);
