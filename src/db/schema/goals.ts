// Goals for a period with their checkpoints, owners and planned actions, and each org's KPI matrix per level.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
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
import { GOAL_METRICS, type KpiItem } from '../../domain/goals.js';
import { users } from './access.js';
import { orgs, units } from './orgs.js';

export const periodKinds = ['quarter', 'half', 'year', 'custom'] as const;
export const cadences = ['month', 'quarter', 'custom'] as const;

/** A measurable goal: one indicator of a unit's subtree (or the whole company) to reach by the end of a period. */
export const goals = pgTable(
  'goals',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    // null = the whole company.
    unitId: uuid('unit_id'),
    metric: text('metric', { enum: GOAL_METRICS }).notNull(),
    periodKind: text('period_kind', { enum: periodKinds }).notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    cadence: text('cadence', { enum: cadences }).notNull(),
    // Each checkpoint measured over its own window (since the previous one) or over the period to date.
    measure: text('measure', { enum: ['window', 'cumulative'] })
      .notNull()
      .default('window'),
    // The value the period starts from (entered, or measured over the period before); null = unknown.
    baseline: doublePrecision('baseline'),
    baselineSource: text('baseline_source', { enum: ['entered', 'measured', 'none'] }).notNull(),
    target: doublePrecision('target').notNull(),
    // 'proposed' when the target was taken from the economics room's proposal; its reasoning is kept.
    targetSource: text('target_source', { enum: ['entered', 'proposed'] })
      .notNull()
      .default('entered'),
    targetNote: text('target_note'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }).onDelete('cascade'),
    index('goals_org_period_idx').on(t.orgId, t.periodTo),
    check('goals_period_ck', sql`${t.periodFrom} <= ${t.periodTo}`),
  ],
);

/** A checkpoint of a goal: its day and the target there (interpolated, or edited by a person). */
export const goalCheckpoints = pgTable(
  'goal_checkpoints',
  {
    orgId: uuid('org_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    target: doublePrecision('target').notNull(),
    // A person set this target; otherwise it is the linear interpolation.
    edited: boolean('edited').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.goalId, t.day] }),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }).onDelete('cascade'),
  ],
);

/** The people responsible for a goal. */
export const goalOwners = pgTable(
  'goal_owners',
  {
    orgId: uuid('org_id').notNull(),
    goalId: uuid('goal_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.goalId, t.userId] }),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.userId], foreignColumns: [users.orgId, users.id] }).onDelete('cascade'),
    index('goal_owners_user_idx').on(t.orgId, t.userId),
  ],
);

/** An action planned for a goal (free text, a day, a unit), whose effect is read from the answers around it. */
export const goalActions = pgTable(
  'goal_actions',
  {
    orgId: uuid('org_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    goalId: uuid('goal_id').notNull(),
    title: text('title').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    // null = the goal's own unit.
    unitId: uuid('unit_id'),
    windowDays: integer('window_days').notNull().default(30),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.goalId], foreignColumns: [goals.orgId, goals.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.unitId], foreignColumns: [units.orgId, units.id] }).onDelete('cascade'),
    index('goal_actions_goal_idx').on(t.orgId, t.goalId),
  ],
);

/** The org's KPI matrix of one management level; absent = the default matrix of that level. */
export const kpiMatrices = pgTable(
  'kpi_matrices',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    level: text('level', { enum: ['frontline', 'middle', 'top'] }).notNull(),
    items: jsonb('items').$type<KpiItem[]>().notNull(),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.level] })],
);
