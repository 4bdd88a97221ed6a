/** @module Import jobs: dry run, a streamed run in batches with checkpoints, resume, rollback, bad lines and saved mappings. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, tables } from '../../db/index.js';
import type { ImportMapping, ImportOptions } from '../../db/schema/imports.js';
import { AppError, type Ctx, canWrite, isUniqueViolation, notFound, requireRole } from '../kernel/index.js';
import { batchesHere, batchesInWorker, recordOf, WORKER_MIN_BYTES } from './batches.js';
import {
  autoMapping,
  columnsOf,
  hasErrors,
  type ImportField,
  type ImportKind,
  importFields,
  type Problem,
  type ReadOptions,
  type RowRecord,
} from './fields.js';
import { type FileInfo, inspectFile, readRows } from './reader.js';
import { applyBatch, loadDirectory, pgArray } from './store.js';

const { importJobs, importErrors, importMappings, orgs } = tables;

export const importKind = z.enum(['customers', 'contacts']);
export const mappingSchema = z
  .record(z.string(), z.string().max(300))
  .refine((m) => Object.keys(m).every((k) => (importFields as readonly string[]).includes(k)), {
    message: `Fields are: ${importFields.join(', ')}`,
  });
export const importOptionsInput = z.object({
  createUnits: z.boolean().default(false),
  createEmployees: z.boolean().default(false),
  encoding: z.string().max(40).optional(),
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  sheet: z.string().max(100).optional(),
});

export interface ImportSource {
  kind: ImportKind;
  path: string;
  fileName: string;
  /** Explicit mapping; fields it leaves out are auto-mapped from the headers. */
  mapping?: ImportMapping;
  /** A saved mapping by name or id. */
  mappingName?: string;
  options?: z.input<typeof importOptionsInput>;
}

interface Plan {
  info: FileInfo;
  auto: ImportMapping;
  mapping: ImportMapping;
  errors: string[];
  read: ReadOptions;
  options: ImportOptions;
}

async function planOf(ctx: Ctx, source: ImportSource): Promise<Plan> {
  const options = importOptionsInput.parse(source.options ?? {});
  const info = await inspectFile(source.path, options);
  const auto = autoMapping(source.kind, info.headers);
  let chosen: ImportMapping = {};
  if (source.mappingName) chosen = (await findMapping(ctx, source.kind, source.mappingName)).mapping;
  if (source.mapping) chosen = { ...chosen, ...mappingSchema.parse(source.mapping) };
  // A field the user set to '' stays unmapped; others keep what was found in the headers.
  const mapping = Object.fromEntries(
    Object.entries({ ...auto, ...chosen }).filter(([, header]) => header !== ''),
  ) as ImportMapping;
  const { columns, errors } = columnsOf(source.kind, info.headers, mapping);
  const [org] = await ctx.db
    .select({ timeZone: orgs.timeZone, currency: orgs.currency })
    .from(orgs)
    .where(eq(orgs.id, ctx.orgId));
  if (!org) throw notFound('Organisation');
  return {
    info,
    auto,
    mapping,
    errors,
    read: { kind: source.kind, columns, timeZone: org.timeZone, currency: org.currency },
    options: {
      createUnits: options.createUnits,
      createEmployees: options.createEmployees,
      ...(info.encoding && { encoding: info.encoding }),
      ...(info.delimiter && { delimiter: info.delimiter }),
      ...(options.sheet && { sheet: options.sheet }),
    },
  };
}

export interface PreviewRow {
  line: number;
  values: Partial<Record<ImportField, string | number | null>>;
  problems: Problem[];
}

function previewOf(r: RowRecord): PreviewRow {
  const c = r.contact;
  return {
    line: r.line,
    values: {
      customerExternalId: r.customer.externalId ?? null,
      customerName: r.customer.name ?? null,
      phone: r.customer.phone ?? null,
      email: r.customer.email ?? null,
      ...(c
        ? {
            externalId: c.externalId ?? null,
            occurredAt: r.problems.some((p) => p.field === 'occurredAt' && p.level === 'error')
              ? null
              : c.occurredAt.toISOString(),
            unit: c.unit.name ?? null,
            unitExternalId: c.unit.externalId ?? null,
            employee: c.employee ?? null,
            service: c.service ?? null,
            amount: c.amountMinor ?? null,
            currency: c.currency,
          }
        : {
            unit: r.customer.homeUnit?.name ?? null,
            unitExternalId: r.customer.homeUnit?.externalId ?? null,
          }),
    },
    problems: r.problems,
  };
}

export interface DryRunReport {
  file: {
    name: string;
    format: 'csv' | 'xlsx';
    encoding: string | null;
    delimiter: string | null;
    headers: string[];
  };
  kind: ImportKind;
  mapping: ImportMapping;
  autoMapping: ImportMapping;
  mappingErrors: string[];
  preview: PreviewRow[];
  problems: { line: number; field: string; message: string; level: 'error' | 'warning' }[];
  problemsTruncated: boolean;
  totals: {
    rows: number;
    ok: number;
    bad: number;
    warnings: number;
    unitsToCreate: number;
    employeesToCreate: number;
  };
  /** A sentence on the outcome, for a person. */
  verdict: string;
}

const MAX_PROBLEMS = 1000;

/** Reads the whole file as a real run would, resolving units and employees, and writes nothing. */
export async function dryRun(ctx: Ctx, source: ImportSource, previewRows = 20): Promise<DryRunReport> {
  requireRole(ctx, ...canWrite);
  const plan = await planOf(ctx, source);
  const report: DryRunReport = {
    file: {
      name: source.fileName,
      format: plan.info.format,
      encoding: plan.info.encoding,
      delimiter: plan.info.delimiter,
      headers: plan.info.headers,
    },
    kind: source.kind,
    mapping: plan.mapping,
    autoMapping: plan.auto,
    mappingErrors: plan.errors,
    preview: [],
    problems: [],
    problemsTruncated: false,
    totals: { rows: 0, ok: 0, bad: 0, warnings: 0, unitsToCreate: 0, employeesToCreate: 0 },
    verdict: '',
  };
  if (plan.errors.length) {
    report.verdict = `The mapping is incomplete: ${plan.errors.join('; ')}`;
    return report;
  }
  const dir = await loadDirectory(ctx);
  const opts = { kind: source.kind, importId: null, ...plan.options, dryRun: true };
  let batch: RowRecord[] = [];
  const flush = async () => {
    const result = await applyBatch(ctx, dir, batch, opts);
    report.totals.ok += result.ok;
    report.totals.bad += result.bad.length;
    report.totals.unitsToCreate += result.unitsCreated;
    report.totals.employeesToCreate += result.employeesCreated;
    for (const r of batch) {
      if (report.preview.length < previewRows) report.preview.push(previewOf(r));
      if (r.problems.some((p) => p.level === 'warning') && !hasErrors(r)) report.totals.warnings++;
      for (const p of r.problems) {
        if (report.problems.length >= MAX_PROBLEMS) report.problemsTruncated = true;
        else report.problems.push({ line: r.line, ...p });
      }
    }
    batch = [];
  };
  for await (const row of readRows(source.path, plan.info)) {
    const r = recordOf(row, plan.read);
    if (!r) continue;
    report.totals.rows++;
    batch.push(r);
    if (batch.length >= 2000) await flush();
  }
  await flush();
  const t = report.totals;
  report.verdict =
    t.rows === 0
      ? 'The file has a header but no rows'
      : t.ok === 0
        ? 'No valid rows: nothing would be imported; see the problems'
        : `${t.ok} of ${t.rows} rows would be imported${t.bad ? `, ${t.bad} bad rows skipped` : ''}`;
  return report;
}

// ── Jobs ──────────────────────────────────────────────────────────────────────────────────────────────────

type JobRow = typeof importJobs.$inferSelect;

export interface ImportView {
  id: string;
  kind: ImportKind;
  fileName: string;
  fileBytes: number;
  format: 'csv' | 'xlsx';
  mapping: ImportMapping;
  options: ImportOptions;
  /** `interrupted`: the job says running but no process has moved it for a minute (a crash); resume or roll back. */
  status: JobRow['status'] | 'interrupted';
  rowsRead: number;
  rowsOk: number;
  rowsBad: number;
  rowsCreated: number;
  bytesRead: number;
  /** 0–1, by bytes read. */
  progress: number;
  checkpointLine: number;
  lastError: string | null;
  canResume: boolean;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

// Imports running in this process (a server runs API imports in the background; the CLI runs one).
const active = new Map<string, AbortController>();
const STALE_MS = 60_000;

function statusOf(ctx: Ctx, j: JobRow): ImportView['status'] {
  if (j.status !== 'running' || active.has(j.id)) return j.status;
  return ctx.clock().getTime() - j.updatedAt.getTime() > STALE_MS ? 'interrupted' : 'running';
}

function viewOf(ctx: Ctx, j: JobRow): ImportView {
  const status = statusOf(ctx, j);
  return {
    id: j.id,
    kind: j.kind,
    fileName: j.fileName,
    fileBytes: j.fileBytes,
    format: j.format,
    mapping: j.mapping,
    options: j.options,
    status,
    rowsRead: j.rowsRead,
    rowsOk: j.rowsOk,
    rowsBad: j.rowsBad,
    rowsCreated: j.rowsCreated,
    bytesRead: j.bytesRead,
    progress: j.status === 'completed' ? 1 : j.fileBytes ? Math.min(1, j.bytesRead / j.fileBytes) : 0,
    checkpointLine: j.checkpointLine,
    lastError: j.lastError,
    canResume: ['interrupted', 'paused', 'failed'].includes(status) && j.storedPath !== null,
    createdAt: j.createdAt.toISOString(),
    updatedAt: j.updatedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? null,
  };
}

async function findJob(ctx: Ctx, id: string): Promise<JobRow> {
  const [row] = await ctx.db
    .select()
    .from(importJobs)
    .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
  if (!row) throw notFound('Import');
  return row;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Creates the job (status running, nothing read yet); `runImport` does the work. */
export async function createImport(
  ctx: Ctx,
  source: ImportSource,
  extra: { sha256?: string } = {},
): Promise<ImportView> {
  requireRole(ctx, ...canWrite);
  const plan = await planOf(ctx, source);
  if (plan.errors.length) {
    throw new AppError('invalid_input', `The mapping is incomplete: ${plan.errors[0]}`, {
      errors: plan.errors.map((message) => ({ path: 'mapping', message })),
    });
  }
  const size = (await stat(source.path)).size;
  const [row] = await ctx.db
    .insert(importJobs)
    .values({
      orgId: ctx.orgId,
      kind: source.kind,
      fileName: source.fileName.slice(0, 300),
      fileSha256: extra.sha256 ?? (await sha256Of(source.path)),
      fileBytes: size,
      storedPath: resolve(source.path),
      format: plan.info.format,
      mapping: plan.mapping,
      options: plan.options,
      createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      createdAt: ctx.clock(),
      updatedAt: ctx.clock(),
    })
    .returning();
  return viewOf(ctx, row!);
}

export interface RunControl {
  signal?: AbortSignal;
  batchSize?: number;
  onProgress?: (job: {
    rowsRead: number;
    rowsOk: number;
    rowsBad: number;
    bytesRead: number;
    fileBytes: number;
  }) => void;
  /**
   * Read, parse and check the file in a worker thread while this one writes (default: for files of 4 MB and more;
   * starting the thread takes a moment).
   */
  readInWorker?: boolean;
  /** Tests: stop as if the process died after this many committed batches. */
  crashAfterBatches?: number;
}

/** Reads the job's file from its checkpoint on, a batch per transaction, until the end or until stopped. */
export async function runImport(ctx: Ctx, id: string, control: RunControl = {}): Promise<ImportView> {
  requireRole(ctx, ...canWrite);
  const job = await findJob(ctx, id);
  if (active.has(id)) throw new AppError('conflict', 'This import is already running');
  if (job.status === 'completed' || job.status === 'rolled_back')
    throw new AppError('conflict', `This import is ${job.status.replace('_', ' ')}`);
  if (!job.storedPath) throw new AppError('gone', 'The file of this import is no longer kept');
  const size = await stat(job.storedPath).then(
    (s) => s.size,
    () => -1,
  );
  if (size !== job.fileBytes)
    throw new AppError('gone', `The file ${job.storedPath} is missing or has changed since the import began`);
  const controller = new AbortController();
  control.signal?.addEventListener('abort', () => controller.abort());
  active.set(id, controller);
  try {
    await ctx.db
      .update(importJobs)
      .set({ status: 'running', lastError: null, updatedAt: ctx.clock() })
      .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
    const source: ImportSource = {
      kind: job.kind,
      path: job.storedPath,
      fileName: job.fileName,
      mapping: job.mapping,
      options: importOptionsInput.parse(job.options),
    };
    const plan = await planOf(ctx, source);
    // The job's own mapping is the whole mapping: nothing is auto-added on resume.
    const { columns } = columnsOf(job.kind, plan.info.headers, job.mapping);
    const read = { ...plan.read, columns };
    const dir = await loadDirectory(ctx);
    const opts = {
      kind: job.kind,
      importId: id,
      createUnits: job.options.createUnits,
      createEmployees: job.options.createEmployees,
    };
    const totals = {
      rowsRead: job.rowsRead,
      rowsOk: job.rowsOk,
      rowsBad: job.rowsBad,
      bytesRead: job.bytesRead,
      fileBytes: job.fileBytes,
    };
    let bytes = job.bytesRead;
    let batch: RowRecord[] = [];
    let raws = new Map<number, string>();
    let lastLine = job.checkpointLine;
    let batches = 0;
    let flushedLine = job.checkpointLine;
    const flush = async () => {
      if (batch.length === 0 && lastLine === flushedLine) return;
      const rows = batch;
      const rawOf = raws;
      const upTo = lastLine;
      batch = [];
      raws = new Map();
      await applyBatch(ctx, dir, rows, opts, async (tx, result) => {
        if (result.flagged.length) {
          await tx.execute(sql`
            insert into import_errors (org_id, import_id, line, errors, raw)
            select ${ctx.orgId}, ${id}, e.line, e.errors::jsonb, e.raw
            from unnest(${pgArray(result.flagged.map((r) => r.line))}::int[],
                        ${pgArray(result.flagged.map((r) => JSON.stringify(r.problems)))}::text[],
                        ${pgArray(result.flagged.map((r) => rawOf.get(r.line)?.slice(0, 2000) ?? null))}::text[]) as e(line, errors, raw)
            on conflict (org_id, import_id, line) do update set errors = excluded.errors, raw = excluded.raw`);
        }
        await tx
          .update(importJobs)
          .set({
            rowsRead: sql`${importJobs.rowsRead} + ${rows.length}`,
            rowsOk: sql`${importJobs.rowsOk} + ${result.ok}`,
            rowsBad: sql`${importJobs.rowsBad} + ${result.bad.length}`,
            rowsCreated: sql`${importJobs.rowsCreated} + ${result.created}`,
            bytesRead: bytes,
            checkpointLine: upTo,
            updatedAt: ctx.clock(),
          })
          .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
        totals.rowsRead += rows.length;
        totals.rowsOk += result.ok;
        totals.rowsBad += result.bad.length;
        totals.bytesRead = bytes;
      });
      batches++;
      flushedLine = upTo;
      control.onProgress?.({ ...totals });
      if (control.crashAfterBatches !== undefined && batches >= control.crashAfterBatches) {
        throw new SimulatedCrash();
      }
    };
    const batchSize = control.batchSize ?? 10_000;
    const source$ = {
      path: job.storedPath,
      info: plan.info,
      read,
      afterLine: job.checkpointLine,
      batchSize,
    };
    const inWorker = control.readInWorker ?? job.fileBytes - job.bytesRead >= WORKER_MIN_BYTES;
    for await (const b of inWorker ? batchesInWorker(source$) : batchesHere(source$)) {
      batch = b.records;
      raws = b.raws;
      lastLine = b.lastLine;
      bytes = b.bytes;
      await flush();
      if (controller.signal.aborted) break;
    }
    if (controller.signal.aborted) {
      await ctx.db
        .update(importJobs)
        .set({ status: 'paused', updatedAt: ctx.clock() })
        .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
    } else {
      bytes = job.fileBytes;
      await flush();
      const done = await findJob(ctx, id);
      const empty = done.rowsOk === 0;
      await ctx.db
        .update(importJobs)
        .set({
          status: empty ? 'failed' : 'completed',
          lastError: empty
            ? done.rowsRead
              ? 'No valid rows: see the bad lines'
              : 'The file has no rows'
            : null,
          bytesRead: job.fileBytes,
          finishedAt: ctx.clock(),
          updatedAt: ctx.clock(),
          ...(!empty && { storedPath: null }),
        })
        .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
      if (!empty) await forgetUpload(ctx, job.storedPath);
    }
  } catch (error) {
    if (error instanceof SimulatedCrash) return viewOf(ctx, await findJob(ctx, id));
    const message = error instanceof AppError ? error.message : 'The import stopped on an internal error';
    if (!(error instanceof AppError)) ctx.log.error({ err: error, importId: id }, 'import failed');
    await ctx.db
      .update(importJobs)
      .set({ status: 'failed', lastError: message, updatedAt: ctx.clock() })
      .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
  } finally {
    active.delete(id);
  }
  return viewOf(ctx, await findJob(ctx, id));
}

class SimulatedCrash extends Error {}

/** Stops a running import of this process after its current batch (it becomes `paused`). */
export function pauseImport(id: string): boolean {
  const c = active.get(id);
  c?.abort();
  return c !== undefined;
}

/** Uploaded files (under DATA_DIR/imports) are deleted once no longer needed; a file the CLI was given is not ours. */
async function forgetUpload(ctx: Ctx, path: string | null) {
  if (!path) return;
  const parts = resolve(path).split(sep);
  // Uploads live at DATA_DIR/imports/<orgId>/<id>.upload (see storeUpload).
  if (parts.at(-3) === 'imports' && parts.at(-2) === ctx.orgId && path.endsWith('.upload')) {
    await unlink(path).catch(() => undefined);
  }
}

/** Continues an interrupted, paused or failed import after its last committed batch. */
export async function resumeImport(ctx: Ctx, id: string, control: RunControl = {}): Promise<ImportView> {
  requireRole(ctx, ...canWrite);
  const job = await findJob(ctx, id);
  const status = statusOf(ctx, job);
  if (status === 'running') throw new AppError('conflict', 'This import is still running');
  return runImport(ctx, id, control);
}

export interface RollbackResult {
  import: ImportView;
  contactsDeleted: number;
  customersDeleted: number;
  contactsKept: number;
  customersKept: number;
  note: string;
}

/**
 * Deletes the contacts and customers this import created. Kept: rows it only updated (their new values stay),
 * units and employees it created, and created rows that surveys have used since (invitations, answers).
 */
export async function rollbackImport(ctx: Ctx, id: string): Promise<RollbackResult> {
  requireRole(ctx, ...canWrite);
  const job = await findJob(ctx, id);
  if (statusOf(ctx, job) === 'running')
    throw new AppError('conflict', 'This import is running: pause it first');
  if (job.status === 'rolled_back') throw new AppError('conflict', 'This import is already rolled back');
  const counts = await ctx.db.transaction(async (tx) => {
    const n = (r: unknown) => Number(rowsOf<{ n: number | string }>(r)[0]?.n ?? 0);
    const contactsDeleted = n(
      await tx.execute(sql`
        with gone as (
          delete from contacts c where c.org_id = ${ctx.orgId} and c.import_id = ${id}
            and not exists (select 1 from invitations i where i.org_id = c.org_id and i.contact_id = c.id)
            and not exists (select 1 from responses r where r.org_id = c.org_id and r.contact_id = c.id)
          returning 1)
        select count(*) as n from gone`),
    );
    const contactsKept = n(
      await tx.execute(
        sql`select count(*) as n from contacts where org_id = ${ctx.orgId} and import_id = ${id}`,
      ),
    );
    const customersDeleted = n(
      await tx.execute(sql`
        with gone as (
          delete from customers c where c.org_id = ${ctx.orgId} and c.import_id = ${id}
            and not exists (select 1 from contacts k where k.org_id = c.org_id and k.customer_id = c.id)
            and not exists (select 1 from invitations i where i.org_id = c.org_id and i.customer_id = c.id)
            and not exists (select 1 from responses r where r.org_id = c.org_id and r.customer_id = c.id)
          returning 1)
        select count(*) as n from gone`),
    );
    const customersKept = n(
      await tx.execute(
        sql`select count(*) as n from customers where org_id = ${ctx.orgId} and import_id = ${id}`,
      ),
    );
    await tx
      .update(importJobs)
      .set({ status: 'rolled_back', storedPath: null, finishedAt: ctx.clock(), updatedAt: ctx.clock() })
      .where(and(eq(importJobs.orgId, ctx.orgId), eq(importJobs.id, id)));
    return { contactsDeleted, customersDeleted, contactsKept, customersKept };
  });
  await forgetUpload(ctx, job.storedPath);
  const kept =
    counts.contactsKept || counts.customersKept
      ? ` Kept ${counts.contactsKept} contacts and ${counts.customersKept} customers that surveys or other visits use since.`
      : '';
  return {
    import: viewOf(ctx, await findJob(ctx, id)),
    ...counts,
    note:
      'Deleted what this import created. Customers and contacts it only updated keep their new values, and the ' +
      `branches and employees it created stay.${kept}`,
  };
}

export async function getImport(ctx: Ctx, id: string): Promise<ImportView> {
  requireRole(ctx, ...canWrite);
  return viewOf(ctx, await findJob(ctx, id));
}

export async function listImports(ctx: Ctx, limit = 50): Promise<ImportView[]> {
  requireRole(ctx, ...canWrite);
  const rows = await ctx.db
    .select()
    .from(importJobs)
    .where(eq(importJobs.orgId, ctx.orgId))
    .orderBy(desc(importJobs.createdAt))
    .limit(limit);
  return rows.map((r) => viewOf(ctx, r));
}

export const errorsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  afterLine: z.coerce.number().int().min(0).default(0),
  level: z.enum(['error', 'warning', 'all']).default('all'),
});

/** The import's flagged lines in file order, a page at a time (`nextAfterLine` continues). */
export async function listImportErrors(ctx: Ctx, id: string, query: z.input<typeof errorsQuery>) {
  requireRole(ctx, ...canWrite);
  const q = errorsQuery.parse(query);
  await findJob(ctx, id);
  const rows = await ctx.db
    .select({ line: importErrors.line, errors: importErrors.errors, raw: importErrors.raw })
    .from(importErrors)
    .where(
      and(
        eq(importErrors.orgId, ctx.orgId),
        eq(importErrors.importId, id),
        gt(importErrors.line, q.afterLine),
        q.level === 'all'
          ? undefined
          : q.level === 'error'
            ? sql`${importErrors.errors} @> '[{"level":"error"}]'::jsonb`
            : sql`not ${importErrors.errors} @> '[{"level":"error"}]'::jsonb`,
      ),
    )
    .orderBy(asc(importErrors.line))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit).map((r) => ({
    line: r.line,
    bad: r.errors.some((e) => e.level !== 'warning'),
    errors: r.errors,
    raw: r.raw,
  }));
  return { items, nextAfterLine: rows.length > q.limit ? items.at(-1)!.line : null };
}

// ── Mappings ──────────────────────────────────────────────────────────────────────────────────────────────

export const mappingInput = z.object({
  kind: importKind,
  name: z.string().trim().min(1).max(100),
  mapping: mappingSchema,
});

type MappingRow = typeof importMappings.$inferSelect;
const mappingView = (m: MappingRow) => ({
  id: m.id,
  kind: m.kind,
  name: m.name,
  mapping: m.mapping,
  createdAt: m.createdAt.toISOString(),
});

async function findMapping(ctx: Ctx, kind: ImportKind, nameOrId: string): Promise<MappingRow> {
  const rows = await ctx.db
    .select()
    .from(importMappings)
    .where(and(eq(importMappings.orgId, ctx.orgId), eq(importMappings.kind, kind)));
  const found = rows.find((m) => m.id === nameOrId || m.name === nameOrId);
  if (!found) throw new AppError('invalid_input', `No saved ${kind} mapping named "${nameOrId}"`);
  return found;
}

export async function listMappings(ctx: Ctx) {
  requireRole(ctx, ...canWrite);
  const rows = await ctx.db
    .select()
    .from(importMappings)
    .where(eq(importMappings.orgId, ctx.orgId))
    .orderBy(asc(importMappings.name));
  return rows.map(mappingView);
}

/** Saves a mapping under its name, replacing one of the same kind and name. */
export async function saveMapping(ctx: Ctx, input: z.input<typeof mappingInput>) {
  requireRole(ctx, ...canWrite);
  const m = mappingInput.parse(input);
  const [row] = await ctx.db
    .insert(importMappings)
    .values({ orgId: ctx.orgId, kind: m.kind, name: m.name, mapping: m.mapping, createdAt: ctx.clock() })
    .onConflictDoUpdate({
      target: [importMappings.orgId, importMappings.kind, importMappings.name],
      set: { mapping: m.mapping },
    })
    .returning();
  return mappingView(row!);
}

export async function updateMapping(ctx: Ctx, id: string, input: z.input<typeof mappingInput>) {
  requireRole(ctx, ...canWrite);
  const m = mappingInput.parse(input);
  try {
    const [row] = await ctx.db
      .update(importMappings)
      .set({ kind: m.kind, name: m.name, mapping: m.mapping })
      .where(and(eq(importMappings.orgId, ctx.orgId), eq(importMappings.id, id)))
      .returning();
    if (!row) throw notFound('Mapping');
    return mappingView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'Another mapping has this name');
    throw error;
  }
}

export async function deleteMapping(ctx: Ctx, id: string) {
  requireRole(ctx, ...canWrite);
  const rows = await ctx.db
    .delete(importMappings)
    .where(and(eq(importMappings.orgId, ctx.orgId), eq(importMappings.id, id)))
    .returning({ id: importMappings.id });
  if (rows.length === 0) throw notFound('Mapping');
}
