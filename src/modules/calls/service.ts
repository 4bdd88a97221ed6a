// The phone-interview console: an operator takes the next customer to call, reads the script and records the outcome.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf, tables } from '../../db/index.js';
import { nextWithin } from '../../domain/call-hours.js';
import { localDay } from '../../domain/period.js';
import { answerInput, writeBatch } from '../answers/index.js';
import { listContacts } from '../contacts/index.js';
import { getCustomer } from '../customers/index.js';
import { employeeNames } from '../employees/index.js';
import { getInvitation } from '../invitations/index.js';
import { AppError, type Ctx, notFound, type Role, requireRole, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { findSurvey, questionFor } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import { callHoursOf, dueNow, inUnits, LEASE_MS, queueFrom, queueOrder } from './queue.js';
import { type CallScript, callScript } from './script.js';

const { callTasks, callAttempts, users } = tables;

export type CallTask = typeof callTasks.$inferSelect;
export type CallOutcome = (typeof tables.callOutcomes)[number];

/** Who may take calls: front-line staff, and managers and admins lending a hand. Analysts may not. */
export const OPERATOR_ROLES = ['owner', 'admin', 'manager', 'frontline'] as const satisfies Role[];

/** After an unanswered dial (no answer, busy): call again in 2 hours, then the next day, then the same. */
export const RETRY_AFTER_MS = [2 * 3600_000, 24 * 3600_000] as const;

const MAX_NOTE_LENGTH = 2000;

/** One dial's result, validated like the survey page for the score and reason (0–10 whole; 11, −1, 7.5 refused). */
export const outcomeInput = z
  .object({
    outcome: z.enum(tables.callOutcomes),
    score: answerInput.shape.score.optional(),
    reason: answerInput.shape.reason,
    callBackAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'call_back only: when to call again (moved into call hours)' }),
    note: z.string().trim().max(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters`).optional(),
  })
  .superRefine((o, issues) => {
    if (o.outcome === 'answered' && o.score === undefined)
      issues.addIssue({
        code: 'custom',
        path: ['score'],
        message: 'An answered call needs a score from 0 to 10',
      });
    if (o.outcome !== 'answered' && o.score !== undefined)
      issues.addIssue({ code: 'custom', path: ['score'], message: 'Only an answered call has a score' });
    if (o.outcome === 'call_back' && !o.callBackAt)
      issues.addIssue({ code: 'custom', path: ['callBackAt'], message: 'When should we call back?' });
  });
export type OutcomeInput = z.input<typeof outcomeInput>;

function operatorOf(ctx: Ctx): string {
  requireRole(ctx, ...OPERATOR_ROLES);
  if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'Calls are made by a user, not the system');
  return ctx.actor.userId;
}

/** Display names of users (operators), decrypted; the e-mail when a user has no name (unless `namesOnly`). */
export async function userNames(ctx: Ctx, ids: string[], namesOnly = false): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: users.id, nameEnc: users.nameEnc, emailEnc: users.emailEnc })
    .from(users)
    .where(and(eq(users.orgId, ctx.orgId), inArray(users.id, ids)));
  return new Map(
    rows.flatMap((r) => {
      const name = ctx.vault.decrypt(r.nameEnc) ?? (namesOnly ? null : ctx.vault.decrypt(r.emailEnc));
      return name ? [[r.id, name] as const] : [];
    }),
  );
}

export interface CallCard {
  id: string;
  surveyId: string;
  status: CallTask['status'];
  attempts: number;
  maxAttempts: number;
  lastOutcome: CallOutcome | null;
  nextCallAt: string;
  lockedUntil: string | null;
  operatorId: string | null;
  /** The customer's language: the script to read first. */
  locale: 'ru' | 'en';
  customer: { id: string; name: string | null; phone: string | null; locale: 'ru' | 'en' | null };
  unit: { id: string; name: string; timeZone: string; localTime: string } | null;
  /** The latest visits, newest first. */
  visits: { at: string; unitName: string | null; service: string | null; employeeName: string | null }[];
  /** Earlier dials of this customer for this survey, newest first. */
  history: {
    at: string;
    outcome: CallOutcome;
    note: string | null;
    callBackAt: string | null;
    operatorName: string | null;
  }[];
  survey: { id: string; name: string };
  script: { ru: CallScript; en: CallScript };
}

function localTimeOf(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
}

/** Everything the operator needs on screen for one task. Names and phones only for those who see personal data. */
export async function callCard(ctx: Ctx, task: CallTask): Promise<CallCard> {
  const personal = seesPersonalData(ctx);
  const [org, survey, customer, units, invitation] = await Promise.all([
    getOrg(ctx),
    findSurvey(ctx, task.surveyId),
    getCustomer(ctx, task.customerId),
    unitsById(ctx),
    getInvitation(ctx, task.invitationId),
  ]);
  const visits = (await listContacts(ctx, { customerId: task.customerId, limit: 5 })).items;
  const employees = await employeeNames(ctx, [
    ...new Set(visits.map((v) => v.employeeId).filter((id): id is string => !!id)),
  ]);
  const history = await ctx.db
    .select()
    .from(callAttempts)
    .where(and(eq(callAttempts.orgId, ctx.orgId), eq(callAttempts.taskId, task.id)))
    .orderBy(desc(callAttempts.at));
  const me = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const operators = personal
    ? await userNames(ctx, [...new Set(history.map((h) => h.operatorId))])
    : new Map<string, string>();
  // The script introduces the operator by name, never by e-mail.
  const myName = me ? ((await userNames(ctx, [me], true)).get(me) ?? null) : null;
  const unit = task.unitId ? units.get(task.unitId) : undefined;
  const zone = unit?.timeZone ?? org.timeZone;
  const scriptFor = (locale: 'ru' | 'en') => {
    const q = questionFor(survey.texts, locale, org.name);
    return callScript(locale, {
      orgName: org.name,
      customerName: personal ? customer.name : null,
      operatorName: myName,
      question: q.question,
      reason: q.reason,
    });
  };
  return {
    id: task.id,
    surveyId: task.surveyId,
    status: task.status,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    lastOutcome: task.lastOutcome,
    nextCallAt: task.nextCallAt.toISOString(),
    lockedUntil: task.lockedUntil?.toISOString() ?? null,
    operatorId: task.operatorId,
    locale: customer.locale ?? invitation.locale,
    customer: {
      id: customer.id,
      name: personal ? customer.name : null,
      phone: personal ? customer.phone : null,
      locale: customer.locale,
    },
    unit: unit
      ? { id: unit.id, name: unit.name, timeZone: zone, localTime: localTimeOf(ctx.clock(), zone) }
      : null,
    visits: visits.map((v) => ({
      at: v.occurredAt,
      unitName: units.get(v.unitId)?.name ?? null,
      service: v.service,
      employeeName: v.employeeId ? (employees.get(v.employeeId) ?? null) : null,
    })),
    history: history.map((h) => ({
      at: h.at.toISOString(),
      outcome: h.outcome,
      note: personal ? h.note : null,
      callBackAt: h.callBackAt?.toISOString() ?? null,
      operatorName: operators.get(h.operatorId) ?? null,
    })),
    survey: { id: survey.id, name: survey.name },
    script: { ru: scriptFor('ru'), en: scriptFor('en') },
  };
}

async function findTask(ctx: Ctx, id: string, db: Db = ctx.db, lock = false): Promise<CallTask> {
  const query = db
    .select()
    .from(callTasks)
    .where(and(eq(callTasks.orgId, ctx.orgId), eq(callTasks.id, id)));
  const [task] = lock ? await query.for('update') : await query;
  if (!task) throw notFound('Call');
  const visible = await visibleUnitIds(ctx);
  if (visible && !(task.unitId && visible.has(task.unitId))) throw notFound('Call');
  return task;
}

export interface QueueState {
  /** Customers waiting to be called (not finished), in the actor's units. */
  waiting: number;
  /** Of those, the ones that may be called right now. */
  dueNow: number;
  /** When the next one becomes due, if none is due now (call hours and back-offs ignored: a hint). */
  nextCallAt: string | null;
}

async function queueState(ctx: Ctx, visible: Set<string> | null, now: Date): Promise<QueueState> {
  const org = await getOrg(ctx);
  const at = now.toISOString();
  const [row] = rowsOf<{ waiting: number | string; due: number | string; next: string | Date | null }>(
    await ctx.db.execute(sql`
      select count(*) filter (where c.status <> 'done') as waiting,
             count(*) filter (where ${dueNow(at, callHoursOf(org.settings))}) as due,
             min(c.next_call_at) filter (where c.status in ('queued', 'call_back')) as next
      from ${queueFrom}
      where c.org_id = ${ctx.orgId} and ${inUnits(visible)}`),
  );
  const next = row?.next ? new Date(row.next) : null;
  return {
    waiting: Number(row?.waiting ?? 0),
    dueNow: Number(row?.due ?? 0),
    nextCallAt: next?.toISOString() ?? null,
  };
}

/**
 * Hands the operator the next customer to call and leases the task to them, so no other operator gets the same
 * customer (`for update skip locked`: two operators asking at once get two different tasks). An operator who
 * still holds a live lease gets the same task back (a reloaded page loses nothing).
 */
export async function nextCall(ctx: Ctx): Promise<{ task: CallCard | null; queue: QueueState }> {
  const me = operatorOf(ctx);
  const now = ctx.clock();
  const at = now.toISOString();
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const visible = await visibleUnitIds(ctx);
  const org = await getOrg(ctx);

  const [held] = rowsOf<{ id: string }>(
    await ctx.db.execute(sql`
      update call_tasks set locked_until = ${until}::timestamptz
      where org_id = ${ctx.orgId} and operator_id = ${me} and status = 'calling'
        and locked_until > ${at}::timestamptz
      returning id`),
  );
  let id = held?.id;
  if (!id) {
    const [taken] = rowsOf<{ id: string }>(
      await ctx.db.execute(sql`
        update call_tasks t set status = 'calling', operator_id = ${me}, locked_until = ${until}::timestamptz
        where t.org_id = ${ctx.orgId} and t.id = (
          select c.id from ${queueFrom}
          where c.org_id = ${ctx.orgId} and ${dueNow(at, callHoursOf(org.settings))} and ${inUnits(visible)}
          order by ${queueOrder}
          limit 1
          for update of c skip locked)
        returning t.id`),
    );
    id = taken?.id;
  }
  const queue = await queueState(ctx, visible, now);
  if (!id) return { task: null, queue };
  return { task: await callCard(ctx, await findTask(ctx, id)), queue };
}

export async function getCall(ctx: Ctx, id: string): Promise<CallCard> {
  return callCard(ctx, await findTask(ctx, id));
}

/** Gives a held customer back to the queue at once (the operator cannot take the call now). */
export async function releaseCall(ctx: Ctx, id: string): Promise<void> {
  const me = operatorOf(ctx);
  const task = await findTask(ctx, id);
  if (task.status !== 'calling' || task.operatorId !== me) return;
  await ctx.db
    .update(callTasks)
    .set({
      status: task.lastOutcome === 'call_back' ? 'call_back' : 'queued',
      operatorId: null,
      lockedUntil: null,
    })
    .where(and(eq(callTasks.orgId, ctx.orgId), eq(callTasks.id, id), eq(callTasks.operatorId, me)));
}

export interface RecordedOutcome {
  task: {
    id: string;
    status: CallTask['status'];
    attempts: number;
    lastOutcome: CallOutcome | null;
    nextCallAt: string;
    finishedAt: string | null;
  };
  attempt: { id: string; outcome: CallOutcome; at: string; callBackAt: string | null };
  /** For an answered call: the answer recorded with channel 'phone'. */
  answer: { score: number; reason: string | null } | null;
}

/**
 * Records one dial. `answered` stores the answer exactly as the survey page would (the same writer batch: the
 * invitation is claimed, the answer inserted, the rollups updated) in the transaction that closes the task, so
 * either all of it happens or none. No answer or busy: back in the queue after a back-off, until max attempts.
 */
export async function recordOutcome(ctx: Ctx, id: string, input: OutcomeInput): Promise<RecordedOutcome> {
  const me = operatorOf(ctx);
  const o = outcomeInput.parse(input);
  const now = ctx.clock();
  if (o.outcome === 'call_back' && new Date(o.callBackAt!) <= now) {
    throw new AppError('invalid_input', 'The call-back time has passed', {
      errors: [{ path: 'callBackAt', message: 'Choose a time in the future' }],
    });
  }
  const org = await getOrg(ctx);
  const hours = callHoursOf(org.settings);
  const units = await unitsById(ctx);

  return ctx.db.transaction(async (tx) => {
    const txCtx: Ctx = { ...ctx, db: tx };
    const task = await findTask(txCtx, id, tx, true);
    if (task.status === 'done') throw new AppError('conflict', 'This call is already finished');
    if (task.operatorId && task.operatorId !== me && task.lockedUntil && task.lockedUntil > now)
      throw new AppError('conflict', 'Another operator is calling this customer');
    const zone = (task.unitId ? units.get(task.unitId)?.timeZone : null) ?? org.timeZone;
    const attempts = task.attempts + 1;
    let status: CallTask['status'] = 'done';
    let nextCallAt = task.nextCallAt;
    let callBackAt: Date | null = null;
    let answer: RecordedOutcome['answer'] = null;

    if (o.outcome === 'answered') {
      const invitation = await getInvitation(txCtx, task.invitationId);
      const survey = await findSurvey(txCtx, task.surveyId);
      if (survey.status !== 'active') throw new AppError('gone', 'This survey is closed');
      if (invitation.status !== 'pending')
        throw new AppError('conflict', 'This customer has already answered');
      if (new Date(invitation.expiresAt) <= now) throw new AppError('gone', 'This invitation has expired');
      const [recorded] = await writeBatch(tx, [
        {
          audience: 'customer',
          orgId: ctx.orgId,
          surveyId: task.surveyId,
          invitationId: task.invitationId,
          customerId: invitation.customerId,
          contactId: invitation.contactId,
          unitId: invitation.unitId,
          employeeId: invitation.employeeId,
          channel: 'phone',
          locale: invitation.locale,
          score: o.score!,
          reason: o.reason,
          answeredAt: now,
          day: localDay(now, org.timeZone),
        },
      ]);
      if (!recorded) throw new AppError('conflict', 'This customer has already answered');
      answer = { score: o.score!, reason: o.reason };
    } else if (o.outcome === 'no_answer' || o.outcome === 'busy') {
      if (attempts < task.maxAttempts) {
        const wait = RETRY_AFTER_MS[Math.min(attempts, RETRY_AFTER_MS.length) - 1]!;
        status = 'queued';
        nextCallAt = nextWithin(new Date(now.getTime() + wait), hours, zone);
      }
    } else if (o.outcome === 'call_back') {
      status = 'call_back';
      callBackAt = nextWithin(new Date(o.callBackAt!), hours, zone);
      nextCallAt = callBackAt;
    }

    const [attempt] = await tx
      .insert(callAttempts)
      .values({
        orgId: ctx.orgId,
        taskId: task.id,
        operatorId: me,
        outcome: o.outcome,
        note: o.note || null,
        callBackAt,
        at: now,
      })
      .returning();
    const [updated] = await tx
      .update(callTasks)
      .set({
        status,
        lastOutcome: o.outcome,
        attempts,
        nextCallAt,
        operatorId: status === 'done' ? me : null,
        lockedUntil: null,
        finishedAt: status === 'done' ? now : null,
      })
      .where(and(eq(callTasks.orgId, ctx.orgId), eq(callTasks.id, task.id)))
      .returning();
    return {
      task: {
        id: updated!.id,
        status: updated!.status,
        attempts: updated!.attempts,
        lastOutcome: updated!.lastOutcome,
        nextCallAt: updated!.nextCallAt.toISOString(),
        finishedAt: updated!.finishedAt?.toISOString() ?? null,
      },
      attempt: {
        id: attempt!.id,
        outcome: attempt!.outcome,
        at: attempt!.at.toISOString(),
        callBackAt: attempt!.callBackAt?.toISOString() ?? null,
      },
      answer,
    };
  });
}
