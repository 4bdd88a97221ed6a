// Themes of the reasons: each org's taxonomy, the themes and polarity of every answer, and a daily rollup of them
// by unit and employee, so trends and drivers read a few thousand rows even at millions of answers.
import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { orgs } from './orgs.js';

/** One theme of an org's taxonomy: a name in both languages and the words and phrases that find it. */
export const themes = pgTable(
  'themes',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    key: text('key').notNull(),
    nameRu: text('name_ru').notNull(),
    nameEn: text('name_en').notNull(),
    keywords: jsonb('keywords').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** From the default taxonomy (renamed or edited or not); false for the org's own. */
    builtin: boolean('builtin').notNull().default(false),
    position: integer('position').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), unique('themes_org_key_uq').on(t.orgId, t.key)],
);

/** The org's taxonomy version, how far the tagging of new answers has read, and the re-tagging in progress. */
export const themeSettings = pgTable('theme_settings', {
  orgId: uuid('org_id')
    .primaryKey()
    .references(() => orgs.id, { onDelete: 'cascade' }),
  version: integer('version').notNull().default(1),
  /** Customer answers up to this instant (less a margin) have been read by the tagging sweep. */
  watermark: timestamp('watermark', { withTimezone: true }),
  /** Employee answers up to this day (less one) have been read. */
  employeeWatermark: date('employee_watermark', { mode: 'string' }),
  retagVersion: integer('retag_version'),
  retagTotal: integer('retag_total').notNull().default(0),
  retagDone: integer('retag_done').notNull().default(0),
  retagStartedAt: timestamp('retag_started_at', { withTimezone: true }),
  retagFinishedAt: timestamp('retag_finished_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every answer the tagging has read (with a reason or not), with what it was counted under in the rollup — so a
 * re-tag or an amended answer takes back exactly what it added. No foreign key to the answer: it is a customer's
 * (responses) or an employee's (employee_responses), told by `audience`.
 */
export const answerTags = pgTable(
  'answer_tags',
  {
    orgId: uuid('org_id').notNull(),
    answerId: uuid('answer_id').notNull(),
    audience: text('audience', { enum: ['customer', 'employee'] }).notNull(),
    surveyId: uuid('survey_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** The all-zero uuid for none, so rollup keys have no NULLs. */
    unitId: uuid('unit_id').notNull(),
    employeeId: uuid('employee_id').notNull(),
    channel: text('channel').notNull(),
    score: smallint('score').notNull(),
    hasText: boolean('has_text').notNull(),
    version: integer('version').notNull(),
    taggedAt: timestamp('tagged_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.answerId] }),
    index('answer_tags_org_day_idx').on(t.orgId, t.audience, t.day),
    check('answer_tags_score_range', sql`${t.score} between 0 and 10`),
  ],
);

/** A theme an answer speaks of, and how: complaint, praise or wish. */
export const answerThemes = pgTable(
  'answer_themes',
  {
    orgId: uuid('org_id').notNull(),
    answerId: uuid('answer_id').notNull(),
    themeId: uuid('theme_id').notNull(),
    polarity: text('polarity', { enum: ['complaint', 'praise', 'wish'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.answerId, t.themeId] }),
    index('answer_themes_org_theme_idx').on(t.orgId, t.themeId, t.answerId),
    foreignKey({
      columns: [t.orgId, t.answerId],
      foreignColumns: [answerTags.orgId, answerTags.answerId],
    }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.themeId], foreignColumns: [themes.orgId, themes.id] }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * Answers per local day, audience, unit, employee and theme, by segment and polarity. Two reserved theme ids count
 * all answers (…0000) and answers with a reason (…0001), the denominators of shares and NPS impact.
 */
export const themeDaily = pgTable(
  'theme_daily',
  {
    orgId: uuid('org_id').notNull(),
    audience: text('audience', { enum: ['customer', 'employee'] }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    unitId: uuid('unit_id').notNull(),
    employeeId: uuid('employee_id').notNull(),
    themeId: uuid('theme_id').notNull(),
    detractors: integer('detractors').notNull().default(0),
    passives: integer('passives').notNull().default(0),
    promoters: integer('promoters').notNull().default(0),
    complaints: integer('complaints').notNull().default(0),
    praises: integer('praises').notNull().default(0),
    wishes: integer('wishes').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.audience, t.day, t.unitId, t.employeeId, t.themeId] }),
    index('theme_daily_org_theme_idx').on(t.orgId, t.themeId, t.day),
  ],
);
