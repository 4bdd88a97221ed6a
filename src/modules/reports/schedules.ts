// Report schedules: a kind of report made for the period just ended (week, month or quarter) and mailed to users
// in their own language. A periodic task finds due runs; each (schedule, period, language) is run once — the
// run row, the report and its job are written in one transaction, so restarts and second servers change nothing.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { contextAs } from '../digests/index.js';
import { enqueue, type TaskTools } from '../jobs/index.js';
import { AppError, type Ctx, canWrite, type Deps, notFound, requireRole } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { visibleUnitIds } from '../units/index.js';
import { AVAILABLE_KINDS } from './generators.js';
import { checkReportScope, REPORT_JOB } from './library.js';
import { latestRun } from './schedule-period.js';

const { orgs, reports, reportSchedules, reportScheduleRuns, users } = tables;

export const SCHEDULES_TASK = 'reports.schedules';
export const SCHEDULES_INTERVAL_MS = 60_000;

export const scheduleInput = () =>
  z
    .object({
      name: z.string().trim().min(1, 'Name the schedule').max(120),
      kind: z.enum(AVAILABLE_KINDS),
      audience: z.enum(['customer', 'employee']).default('customer'),
      unitId: z.uuid().nullable().default(null),
      cadence: z.enum(['weekly', 'monthly', 'quarterly']),
      day: z.number().int().min(1).max(28).openapi({
        description: 'Weekly: ISO weekday 1 (Monday)–7; monthly and quarterly: day of the (first) month 1–28',
      }),
      hour: z
        .number()
        .int()
        .min(0)
        .max(23)
        .default(8)
        .openapi({ description: 'Local hour of the org’s zone' }),
      recipients: z.array(z.uuid()).min(1, 'At least one recipient').max(50),
      enabled: z.boolean().default(true),
    })
    .superRefine((s, issue) => {
      if (s.cadence === 'weekly' && s.day > 7)
        issue.addIssue({ code: 'custom', path: ['day'], message: 'A weekday is 1 (Monday) to 7 (Sunday)' });
    })
    .openapi('ReportScheduleInput');

export const scheduleView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.string(),
    audience: z.enum(['customer', 'employee']),
    unitId: z.uuid().nullable(),
    cadence: z.enum(['weekly', 'monthly', 'quarterly']),
    day: z.number().int(),
    hour: z.number().int(),
    recipients: z.array(z.uuid()),
    enabled: z.boolean(),
    nextPeriod: z.string().openapi({ description: 'The period the next run will report' }),
    createdAt: z.string(),
  })
  .openapi('ReportSchedule');
export type ScheduleView = z.output<typeof scheduleView>;
type Row = typeof reportSchedules.$inferSelect;

function viewOf(r: Row, timeZone: string, now: Date): ScheduleView {
  // The next run is the one after the latest due: a day past the latest send moment's period end, one period on.
  const latest = latestRun(now, timeZone, r.cadence, r.day, r.hour);
  const ahead = new Date(
    now.getTime() + (r.cadence === 'weekly' ? 7 : r.cadence === 'monthly' ? 31 : 92) * 86_400_000,
  );
  const next = latestRun(ahead, timeZone, r.cadence, r.day, r.hour);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    audience: r.audience,
    unitId: r.unitId,
    cadence: r.cadence,
    day: r.day,
    hour: r.hour,
    recipients: r.recipients,
    enabled: r.enabled,
    nextPeriod: next.period === latest.period ? latest.period : next.period,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Recipients must be active users of the org who may see the report: owners and admins, or managers whose units
 * cover the schedule's unit. Analysts get no scheduled mail (their files are pseudonymised on request).
 */
async function checkRecipients(ctx: Ctx, ids: string[], unitId: string | null): Promise<void> {
  const found = await ctx.db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, ids), isNull(users.disabledAt)));
  const byId = new Map(found.map((u) => [u.id, u]));
  const errors: { path: string; message: string }[] = [];
  for (const [i, id] of ids.entries()) {
    const u = byId.get(id);
    if (!u) errors.push({ path: `recipients.${i}`, message: 'No active user with this id' });
    else if (u.role === 'analyst' || u.role === 'frontline')
      errors.push({
        path: `recipients.${i}`,
        message: 'Scheduled reports go to owners, admins and managers',
      });
    else if (u.role === 'manager') {
      const visible = await visibleUnitIds(await contextAs(ctx, u));
      if (!unitId || (visible && !visible.has(unitId)))
        errors.push({ path: `recipients.${i}`, message: 'This manager does not see the schedule’s unit' });
    }
  }
  if (errors.length > 0)
    throw new AppError('invalid_input', `Invalid schedule: ${errors[0]!.path}`, { errors });
}

export async function listSchedules(ctx: Ctx): Promise<ScheduleView[]> {
  requireRole(ctx, ...canWrite);
  const org = await getOrg(ctx);
  const rows = await ctx.db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, ctx.orgId))
    .orderBy(asc(reportSchedules.createdAt));
  return rows.map((r) => viewOf(r, org.timeZone, ctx.clock()));
}

export async function createSchedule(ctx: Ctx, raw: unknown): Promise<ScheduleView> {
  requireRole(ctx, ...canWrite);
  const input = scheduleInput().parse(raw);
  await checkReportScope(
    ctx,
    { locale: 'en', audience: input.audience, from: '', to: '', unitId: input.unitId },
    'unitId',
  );
  await checkRecipients(ctx, input.recipients, input.unitId);
  const now = ctx.clock();
  const [row] = await ctx.db
    .insert(reportSchedules)
    .values({
      orgId: ctx.orgId,
      ...input,
      recipients: [...new Set(input.recipients)],
      createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return viewOf(row!, (await getOrg(ctx)).timeZone, now);
}

export async function updateSchedule(ctx: Ctx, id: string, raw: unknown): Promise<ScheduleView> {
  requireRole(ctx, ...canWrite);
  const input = scheduleInput().parse(raw);
  await checkReportScope(
    ctx,
    { locale: 'en', audience: input.audience, from: '', to: '', unitId: input.unitId },
    'unitId',
  );
  await checkRecipients(ctx, input.recipients, input.unitId);
  const [row] = await ctx.db
    .update(reportSchedules)
    .set({ ...input, recipients: [...new Set(input.recipients)], updatedAt: ctx.clock() })
    .where(and(eq(reportSchedules.orgId, ctx.orgId), eq(reportSchedules.id, id)))
    .returning();
  if (!row) throw notFound('Schedule');
  return viewOf(row, (await getOrg(ctx)).timeZone, ctx.clock());
}

export async function deleteSchedule(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  const deleted = await ctx.db
    .delete(reportSchedules)
    .where(and(eq(reportSchedules.orgId, ctx.orgId), eq(reportSchedules.id, id)))
    .returning({ id: reportSchedules.id });
  if (deleted.length === 0) throw notFound('Schedule');
}

/**
 * Queues every due run: for each enabled schedule, the latest period whose send moment has passed (and came after
 * the schedule was made), once per language of its recipients. Returns the number of reports queued.
 */
export async function runDueSchedules(deps: Deps, now: Date): Promise<number> {
  let queued = 0;
  const all = await deps.db
    .select({ schedule: reportSchedules, timeZone: orgs.timeZone })
    .from(reportSchedules)
    .innerJoin(orgs, eq(orgs.id, reportSchedules.orgId))
    .where(eq(reportSchedules.enabled, true));
  for (const { schedule, timeZone } of all) {
    const run = latestRun(now, timeZone, schedule.cadence, schedule.day, schedule.hour);
    if (run.sendAt < schedule.createdAt) continue;
    const locales = await deps.db
      .selectDistinct({ locale: users.locale })
      .from(users)
      .where(
        and(
          eq(users.orgId, schedule.orgId),
          inArray(users.id, schedule.recipients),
          isNull(users.disabledAt),
        ),
      );
    const done = new Set(
      (
        await deps.db
          .select({ locale: reportScheduleRuns.locale })
          .from(reportScheduleRuns)
          .where(
            and(
              eq(reportScheduleRuns.orgId, schedule.orgId),
              eq(reportScheduleRuns.scheduleId, schedule.id),
              eq(reportScheduleRuns.period, run.period),
            ),
          )
      ).map((r) => r.locale),
    );
    for (const { locale } of locales) {
      if (done.has(locale)) continue;
      const made = await deps.db.transaction(async (tx) => {
        const [report] = await tx
          .insert(reports)
          .values({
            orgId: schedule.orgId,
            kind: schedule.kind,
            options: {
              locale,
              audience: schedule.audience,
              from: run.from,
              to: run.to,
              unitId: schedule.unitId,
            },
            requestedBy: schedule.createdBy,
            scheduleId: schedule.id,
            period: run.period,
            createdAt: now,
          })
          .returning({ id: reports.id });
        const [claimed] = await tx
          .insert(reportScheduleRuns)
          .values({
            orgId: schedule.orgId,
            scheduleId: schedule.id,
            period: run.period,
            locale,
            reportId: report!.id,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ reportId: reportScheduleRuns.reportId });
        if (!claimed) {
          // Another round (or server) ran this period already: undo the report row of this attempt.
          await tx.delete(reports).where(and(eq(reports.orgId, schedule.orgId), eq(reports.id, report!.id)));
          return false;
        }
        await enqueue(tx as unknown as Db, {
          orgId: schedule.orgId,
          kind: REPORT_JOB,
          key: report!.id,
          payload: { reportId: report!.id },
          runAt: now,
          maxAttempts: 3,
        });
        return true;
      });
      if (made) queued++;
    }
  }
  return queued;
}

export async function runSchedulesTask(now: Date, tools: TaskTools): Promise<void> {
  await runDueSchedules(tools.deps, now);
}
