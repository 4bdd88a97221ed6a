// Retention periods per organisation, and the periodic task that applies them.

import { z } from '@hono/zod-openapi';
import { and, eq, isNotNull, lt, ne, notInArray, or, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import type { RetentionSettings } from '../../db/schema/privacy-rights.js';
import { type Ctx, canWrite, type Deps, requireRole } from '../kernel/index.js';
import { logAccess, pruneAccessLog } from './access-log.js';
import { eraseCustomer } from './rights.js';

const { privacySettings, customers, responses, employeeResponses, messages } = tables;

export const RETENTION_TASK = 'privacy.retention';
export const RETENTION_INTERVAL_MS = 60 * 60_000;
/** Customers erased per organisation and round, so one round stays short; the next round goes on. */
const ERASE_PER_ROUND = 500;

const months = (max: number) => z.number().int().min(1).max(max).nullable().optional();

export const retentionInput = z
  .object({
    inactiveCustomerMonths: months(600).openapi({
      description: 'Personal data of customers with no visit for this many months is erased; null = kept',
    }),
    reasonMonths: months(600).openapi({
      description: "Answers' free-text reasons are removed after this many months (scores stay); null = kept",
    }),
    messageBodyDays: z.number().int().min(1).max(3650).nullable().optional().openapi({
      description: 'Bodies of sent e-mails and SMS are removed after this many days; null = kept',
    }),
    accessLogMonths: z.number().int().min(6).max(600).nullable().optional().openapi({
      description: 'Access-log lines are deleted after this many months (at least 6); null = kept',
    }),
  })
  .openapi('RetentionSettings');

export type RetentionView = Required<{ [K in keyof RetentionSettings]: number | null }>;

const viewOf = (r: RetentionSettings): RetentionView => ({
  inactiveCustomerMonths: r.inactiveCustomerMonths ?? null,
  reasonMonths: r.reasonMonths ?? null,
  messageBodyDays: r.messageBodyDays ?? null,
  accessLogMonths: r.accessLogMonths ?? null,
});

export async function getRetention(ctx: Ctx): Promise<RetentionView> {
  requireRole(ctx, ...canWrite);
  const [row] = await ctx.db.select().from(privacySettings).where(eq(privacySettings.orgId, ctx.orgId));
  return viewOf(row?.retention ?? {});
}

export async function setRetention(ctx: Ctx, input: z.input<typeof retentionInput>): Promise<RetentionView> {
  requireRole(ctx, ...canWrite);
  const next = viewOf(retentionInput.parse(input));
  await ctx.db
    .insert(privacySettings)
    .values({ orgId: ctx.orgId, retention: next, updatedAt: ctx.clock() })
    .onConflictDoUpdate({ target: privacySettings.orgId, set: { retention: next, updatedAt: ctx.clock() } });
  await logAccess(ctx, 'privacy.retention.update', null, { ...next });
  return next;
}

/** `now` less whole calendar months (UTC), or days. */
export function monthsBefore(now: Date, n: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d;
}
const daysBefore = (now: Date, n: number) => new Date(now.getTime() - n * 86_400_000);

export interface RetentionReport {
  customersErased: number;
  reasonsRemoved: number;
  messageBodiesRemoved: number;
  accessLogDeleted: number;
}

/** Applies one organisation's retention periods at `now`. Idempotent: a second run finds nothing more to do. */
export async function applyRetention(ctx: Ctx, now: Date): Promise<RetentionReport> {
  const [row] = await ctx.db.select().from(privacySettings).where(eq(privacySettings.orgId, ctx.orgId));
  const r = viewOf(row?.retention ?? {});
  const report: RetentionReport = {
    customersErased: 0,
    reasonsRemoved: 0,
    messageBodiesRemoved: 0,
    accessLogDeleted: 0,
  };
  const org = ctx.orgId;
  if (r.inactiveCustomerMonths) {
    const cutoff = monthsBefore(now, r.inactiveCustomerMonths);
    // Still holding personal data, created before the cutoff, and no visit since.
    const due = await ctx.db
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.orgId, org),
          lt(customers.createdAt, cutoff),
          or(
            isNotNull(customers.nameEnc),
            isNotNull(customers.emailEnc),
            isNotNull(customers.phoneEnc),
            isNotNull(customers.externalId),
          ),
          sql`not exists (select 1 from contacts k where k.org_id = ${customers.orgId}
            and k.customer_id = ${customers.id} and k.occurred_at >= ${cutoff})`,
        ),
      )
      .limit(ERASE_PER_ROUND);
    for (const c of due) await eraseCustomer({ ...ctx, clock: () => now }, c, 'retention');
    report.customersErased = due.length;
  }
  if (r.reasonMonths) {
    const cutoff = monthsBefore(now, r.reasonMonths);
    const a = await ctx.db
      .update(responses)
      .set({ reason: null })
      .where(and(eq(responses.orgId, org), lt(responses.answeredAt, cutoff), isNotNull(responses.reason)))
      .returning({ id: responses.id });
    const b = await ctx.db
      .update(employeeResponses)
      .set({ reason: null })
      .where(
        and(
          eq(employeeResponses.orgId, org),
          lt(employeeResponses.answeredOn, cutoff.toISOString().slice(0, 10)),
          isNotNull(employeeResponses.reason),
        ),
      )
      .returning({ id: employeeResponses.id });
    report.reasonsRemoved = a.length + b.length;
  }
  if (r.messageBodyDays) {
    const cutoff = daysBefore(now, r.messageBodyDays);
    const gone = await ctx.db
      .update(messages)
      .set({ bodyText: '', bodyHtml: null })
      .where(
        and(
          eq(messages.orgId, org),
          lt(messages.createdAt, cutoff),
          notInArray(messages.status, ['queued', 'sending', 'held']),
          ne(messages.bodyText, ''),
        ),
      )
      .returning({ id: messages.id });
    report.messageBodiesRemoved = gone.length;
  }
  if (r.accessLogMonths) {
    report.accessLogDeleted = await pruneAccessLog(ctx, monthsBefore(now, r.accessLogMonths));
  }
  if (Object.values(report).some((n) => n > 0))
    await logAccess({ ...ctx, clock: () => now }, 'privacy.retention.applied', null, { ...report });
  return report;
}

/** The periodic task: every organisation with retention periods set. */
export async function applyAllRetention(deps: Deps, now: Date): Promise<void> {
  const orgs = rowsOf<{ org_id: string }>(
    await deps.db.execute(
      sql`select org_id::text as org_id from privacy_settings where retention <> '{}'::jsonb`,
    ),
  );
  for (const { org_id } of orgs) {
    await deps.foreground?.calm();
    await applyRetention({ ...deps, orgId: org_id, actor: { kind: 'system' } }, now);
  }
}
