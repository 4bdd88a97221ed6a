// The report library: a report is asked for, queued as a job, generated with progress, kept (file in the row),
// listed, downloaded and deleted. The job is keyed by the report, so a retry or a worker that died mid-way makes
// the same report again — never a second one.
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { daysBetween, localDay } from '../../domain/period.js';
import { enqueue, type Job, PermanentJobError } from '../jobs/index.js';
import {
  AppError,
  type Ctx,
  decodeCursor,
  encodeCursor,
  notFound,
  pageQuery,
  type Role,
  requireRole,
} from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { assertUnitVisible } from '../units/index.js';
import { AVAILABLE_KINDS, GENERATORS } from './generators.js';
import type { ReportKind, ReportOptions } from './kinds.js';
import { mailScheduledReport } from './mail.js';

const { reports, users, userUnits } = tables;

export const REPORT_JOB = 'reports.generate';
/** Who may ask for reports: managers for their own subtree, analysts pseudonymised. */
export const REPORT_ROLES = ['owner', 'admin', 'manager', 'analyst'] as const satisfies Role[];
/** The longest period a report may cover: five years. */
export const MAX_REPORT_DAYS = 5 * 366;
/** Attempts of one report before it is `failed` for good. */
const ATTEMPTS = 3;

const day = z.iso.date().openapi({ description: 'A local day of the organisation’s time zone, YYYY-MM-DD' });

export const reportOptionsSchema = z
  .object({
    locale: z.enum(['ru', 'en']),
    audience: z.enum(['customer', 'employee']).default('customer'),
    from: day,
    to: day,
    unitId: z
      .uuid()
      .nullable()
      .default(null)
      .openapi({ description: 'This unit’s subtree; null = everything' }),
  })
  .superRefine((o, issue) => {
    if (o.from > o.to) issue.addIssue({ code: 'custom', path: ['from'], message: 'Must not be after to' });
    else if (daysBetween(o.from, o.to) > MAX_REPORT_DAYS)
      issue.addIssue({ code: 'custom', path: ['to'], message: 'A report covers at most five years' });
  });

export const reportInput = () =>
  z.object({ kind: z.enum(AVAILABLE_KINDS), options: reportOptionsSchema }).openapi('ReportRequest');

export const reportView = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    options: z.object({
      locale: z.enum(['ru', 'en']),
      audience: z.enum(['customer', 'employee']),
      from: day,
      to: day,
      unitId: z.uuid().nullable(),
    }),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    progress: z.number().min(0).max(1),
    error: z.string().nullable(),
    pseudonymised: z.boolean(),
    scheduleId: z.uuid().nullable(),
    period: z.string().nullable(),
    fileName: z.string().nullable(),
    mime: z.string().nullable(),
    size: z.number().int().nullable(),
    requestedBy: z.uuid().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Report');
export type ReportView = z.output<typeof reportView>;

type Row = typeof reports.$inferSelect;
const columns = {
  orgId: reports.orgId,
  id: reports.id,
  kind: reports.kind,
  options: reports.options,
  status: reports.status,
  progress: reports.progress,
  error: reports.error,
  pseudonymised: reports.pseudonymised,
  requestedBy: reports.requestedBy,
  scheduleId: reports.scheduleId,
  period: reports.period,
  fileName: reports.fileName,
  mime: reports.mime,
  size: reports.size,
  createdAt: reports.createdAt,
  startedAt: reports.startedAt,
  finishedAt: reports.finishedAt,
};
type Listed = Omit<Row, 'body'>;

const viewOf = (r: Listed): ReportView => ({
  id: r.id,
  kind: r.kind,
  options: r.options as unknown as ReportOptions,
  status: r.status,
  progress: r.progress,
  error: r.error,
  pseudonymised: r.pseudonymised,
  scheduleId: r.scheduleId,
  period: r.period,
  fileName: r.fileName,
  mime: r.mime,
  size: r.size,
  requestedBy: r.requestedBy,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

const field = (path: string, message: string) =>
  new AppError('invalid_input', `Invalid report: ${path}`, { errors: [{ path, message }] });

/** Checks that the actor may have a report of this unit: managers only of their subtree, and must name a unit. */
export async function checkReportScope(
  ctx: Ctx,
  options: ReportOptions,
  path = 'options.unitId',
): Promise<void> {
  if (ctx.actor.kind === 'user' && ctx.actor.role === 'manager' && !options.unitId)
    throw field(path, 'Choose one of your units: a manager’s report covers their subtree');
  if (options.unitId) {
    try {
      await assertUnitVisible(ctx, options.unitId);
    } catch {
      throw field(path, 'No such unit among those you see');
    }
  }
}

/** Queues a report; the worker makes it. */
export async function requestReport(ctx: Ctx, raw: unknown): Promise<ReportView> {
  requireRole(ctx, ...REPORT_ROLES);
  const input = reportInput().parse(raw);
  await checkReportScope(ctx, input.options);
  const now = ctx.clock();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reports)
      .values({
        orgId: ctx.orgId,
        kind: input.kind,
        options: input.options,
        pseudonymised: ctx.actor.kind === 'user' && ctx.actor.role === 'analyst',
        requestedBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        createdAt: now,
      })
      .returning(columns);
    await enqueue(tx as unknown as Db, {
      orgId: ctx.orgId,
      kind: REPORT_JOB,
      key: row!.id,
      payload: { reportId: row!.id },
      runAt: now,
      maxAttempts: ATTEMPTS,
    });
    return viewOf(row!);
  });
}

/** Owners and admins see the whole library; the others see the reports they asked for. */
function visibleTo(ctx: Ctx) {
  if (ctx.actor.kind === 'system' || ctx.actor.role === 'owner' || ctx.actor.role === 'admin')
    return undefined;
  return eq(reports.requestedBy, ctx.actor.userId);
}

export const reportListQuery = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The library, newest first. */
export async function listReports(ctx: Ctx, query: z.input<typeof reportListQuery> = {}) {
  requireRole(ctx, ...REPORT_ROLES);
  const q = reportListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select(columns)
    .from(reports)
    .where(
      and(
        eq(reports.orgId, ctx.orgId),
        visibleTo(ctx),
        cursor
          ? sql`(${reports.createdAt}, ${reports.id}) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(reports.createdAt), desc(reports.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return {
    items: items.map(viewOf),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

async function findReport(ctx: Ctx, id: string): Promise<Listed> {
  requireRole(ctx, ...REPORT_ROLES);
  const [row] = await ctx.db
    .select(columns)
    .from(reports)
    .where(and(eq(reports.orgId, ctx.orgId), eq(reports.id, id), visibleTo(ctx)));
  if (!row) throw notFound('Report');
  return row;
}

export async function getReport(ctx: Ctx, id: string): Promise<ReportView> {
  return viewOf(await findReport(ctx, id));
}

/** The stored file of a finished report. */
export async function reportFile(ctx: Ctx, id: string): Promise<{ report: ReportView; body: Buffer }> {
  const report = await findReport(ctx, id);
  if (report.status !== 'done')
    throw new AppError('conflict', `The report is ${report.status}, not ready yet`);
  const [row] = await ctx.db
    .select({ body: reports.body })
    .from(reports)
    .where(and(eq(reports.orgId, ctx.orgId), eq(reports.id, id)));
  if (!row?.body) throw notFound('Report file');
  return { report: viewOf(report), body: row.body };
}

/** Deletes a report and its file (a report still being made is deleted too; its job then finds nothing to do). */
export async function deleteReport(ctx: Ctx, id: string): Promise<void> {
  await findReport(ctx, id);
  await ctx.db.delete(reports).where(and(eq(reports.orgId, ctx.orgId), eq(reports.id, id)));
}

/** The context a report is made in: the person who asked (their role and units), or the system for schedules. */
async function makerContext(ctx: Ctx, report: Listed): Promise<Ctx> {
  if (!report.requestedBy || report.scheduleId) return { ...ctx, actor: { kind: 'system' } };
  const [user] = await ctx.db
    .select({ role: users.role, disabledAt: users.disabledAt })
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), eq(users.id, report.requestedBy)));
  if (!user || user.disabledAt)
    throw new PermanentJobError('The person who asked for the report is no longer active');
  const scoped = user.role === 'manager' || user.role === 'frontline';
  const unitIds = scoped
    ? (
        await ctx.db
          .select({ unitId: userUnits.unitId })
          .from(userUnits)
          .where(and(eq(userUnits.orgId, ctx.orgId), eq(userUnits.userId, report.requestedBy)))
      ).map((r) => r.unitId)
    : null;
  return { ...ctx, actor: { kind: 'user', userId: report.requestedBy, role: user.role, unitIds } };
}

/** Test seam: called on each progress step; a test throws here to stop a worker mid-report, as a crash would. */
export const libraryHooks: { onProgress?: (reportId: string, share: number) => void } = {};

/** The job: make the report, recording progress; on success store the file (and mail it, for schedules). */
export async function runReportJob(job: Job, ctx: Ctx): Promise<void> {
  const id = String(job.payload.reportId ?? job.key);
  const where = and(eq(reports.orgId, ctx.orgId), eq(reports.id, id));
  const [report] = await ctx.db.select(columns).from(reports).where(where);
  if (!report || report.status === 'done') return;
  const generate = GENERATORS[report.kind as ReportKind];
  if (!generate) {
    await ctx.db
      .update(reports)
      .set({ status: 'failed', error: `Unknown report kind ${report.kind}` })
      .where(where);
    throw new PermanentJobError(`Unknown report kind ${report.kind}`);
  }
  const now = ctx.clock();
  await ctx.db
    .update(reports)
    .set({ status: 'running', progress: 0, error: null, startedAt: now, finishedAt: null })
    .where(where);
  let written = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const progress = (share: number) => {
    const s = Math.max(0, Math.min(1, share));
    libraryHooks.onProgress?.(id, s);
    // A write per 5% at most: the bar moves without a statement per row.
    if (s < 1 && s - written < 0.05) return;
    written = s;
    chain = chain.then(() =>
      ctx.db
        .update(reports)
        .set({ progress: Math.min(s, 0.99) })
        .where(where),
    );
  };
  try {
    const maker = await makerContext(ctx, report);
    const file = await generate(maker, report.options as unknown as ReportOptions, progress);
    await chain;
    await ctx.db.transaction(async (tx) => {
      const [done] = await tx
        .update(reports)
        .set({
          status: 'done',
          progress: 1,
          fileName: file.filename,
          mime: file.mime,
          size: file.body.length,
          body: file.body,
          finishedAt: ctx.clock(),
          error: null,
        })
        .where(and(where, sql`${reports.status} <> 'done'`))
        .returning({ id: reports.id });
      // Queued in the same transaction as `done`: a schedule's mail goes once, with the finished file.
      if (done && report.scheduleId) await mailScheduledReport({ ...ctx, db: tx as unknown as Db }, report);
    });
  } catch (error) {
    await chain.catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    const last = error instanceof PermanentJobError || job.attempts >= job.maxAttempts;
    // The person sees why; the job's own record keeps the attempts.
    await ctx.db
      .update(reports)
      .set({
        status: last ? 'failed' : 'queued',
        error: publicError(error, message),
        finishedAt: last ? ctx.clock() : null,
      })
      .where(where);
    throw error;
  }
}

/** What a person reads of a failure: our own refusals as they are, anything else without internals. */
function publicError(error: unknown, message: string): string {
  if (error instanceof AppError || error instanceof PermanentJobError) return message.slice(0, 500);
  return 'The report could not be made; it is tried again, and the server log has the details';
}

/** Today's date in the org's zone (the dashboard's default period ends today). */
export async function orgToday(ctx: Ctx): Promise<string> {
  return localDay(ctx.clock(), (await getOrg(ctx)).timeZone);
}
