// Imports from accounting and CRM systems: each run, its bad lines, and the column mappings users saved.
import {
  bigint,
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
import { orgs } from './orgs.js';

export const importKinds = ['customers', 'contacts'] as const;

/** Which file column feeds which field, e.g. { phone: 'Телефон', occurredAt: 'Дата визита' }. */
export type ImportMapping = Record<string, string>;

export interface ImportOptions {
  /** Units and employees named in the file but unknown: create them, or report the row as bad. */
  createUnits: boolean;
  createEmployees: boolean;
  /** Parsing choices detected or overridden by the user. */
  encoding?: string;
  delimiter?: string;
  dateFormat?: string;
  sheet?: string;
}

export const importStatuses = ['running', 'paused', 'completed', 'failed', 'rolled_back'] as const;

export const importJobs = pgTable(
  'import_jobs',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: importKinds }).notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileBytes: bigint('file_bytes', { mode: 'number' }).notNull(),
    // Where the uploaded file is kept until the import completes or is rolled back (resume reads it again).
    storedPath: text('stored_path'),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    mapping: jsonb('mapping').$type<ImportMapping>().notNull(),
    options: jsonb('options').$type<ImportOptions>().notNull(),
    status: text('status', { enum: importStatuses }).notNull().default('running'),
    rowsRead: integer('rows_read').notNull().default(0),
    rowsOk: integer('rows_ok').notNull().default(0),
    rowsBad: integer('rows_bad').notNull().default(0),
    rowsCreated: integer('rows_created').notNull().default(0),
    bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
    // The last data line whose batch committed: a resumed import starts after it.
    checkpointLine: integer('checkpoint_line').notNull().default(0),
    lastError: text('last_error'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('import_jobs_org_time_idx').on(t.orgId, t.createdAt),
  ],
);

/** A bad line of an import: its number in the file, what is wrong with which field, and the raw text. */
export const importErrors = pgTable(
  'import_errors',
  {
    orgId: uuid('org_id').notNull(),
    importId: uuid('import_id').notNull(),
    line: integer('line').notNull(),
    // level 'warning': the line was imported with that field left out or cleaned; 'error' (or none): it was not.
    errors: jsonb('errors')
      .$type<{ field: string; message: string; level?: 'error' | 'warning' }[]>()
      .notNull(),
    raw: text('raw'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.importId, t.line] }),
    foreignKey({
      columns: [t.orgId, t.importId],
      foreignColumns: [importJobs.orgId, importJobs.id],
    }).onDelete('cascade'),
  ],
);

export const importMappings = pgTable(
  'import_mappings',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind', { enum: importKinds }).notNull(),
    name: text('name').notNull(),
    mapping: jsonb('mapping').$type<ImportMapping>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('import_mappings_org_name_uq').on(t.orgId, t.kind, t.name),
  ],
);
