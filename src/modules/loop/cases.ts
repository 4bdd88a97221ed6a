// Cases as people see and work them: lists by role scope, today's list, the detail card, status moves, notes, attempts.
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Db, rowsOf } from '../../db/index.js';
import { isOverdue } from '../../domain/business-hours.js';
import { addDays, localDay, startOfLocalDay } from '../../domain/period.js';
import { maskName, maskPii } from '../../domain/pii-mask.js';
import {
  AppError,
  type Ctx,
  decodeCursor,
  notFound,
  pageOf,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { customerPseudonym } from '../privacy/pseudonym.js';
import { visibleUnitIds } from '../units/index.js';
import { raiseEvent } from './events.js';
import { getPlaybook, orgTimeZone } from './playbook.js';
import type { attemptInput, caseListQuery, casePatch } from './schemas.js';

export type CaseStatus = 'new' | 'in_progress' | 'contacted' | 'resolved' | 'unresolved';
export const openStatuses: CaseStatus[] = ['new', 'in_progress', 'contacted'];
const isClosed = (s: CaseStatus) => s === 'resolved' || s === 'unresolved';

export interface CaseView {
  id: string;
  number: number;
  status: CaseStatus;
  level: 'frontline' | 'middle' | 'top';
  urgent: boolean;
  score: number;
  reason: string | null;
  ruleId: string;
  dueAt: string;
  overdue: boolean;
  escalationStep: number;
  owner: { id: string; name: string | null } | null;
  unit: { id: string; name: string } | null;
  employee: { id: string; name: string | null } | null;
  customerName: string | null;
  answeredAt: string;
  firstContactAt: string | null;
  closedAt: string | null;
  callbackAt: string | null;
  rootCause: string | null;
  actionTaken: string | null;
  actionCostMinor: number | null;
  outcome: string | null;
  resurveyScore: number | null;
  resurveyAt: string | null;
  createdAt: string;
}

/** A case's row as the queries below select it. */
export interface CaseRow {
  id: string;
  number: number;
  status: CaseStatus;
  level: CaseView['level'];
  urgent: boolean;
  score: number;
  reason: string | null;
  rule_id: string;
  due_at: string | Date;
  escalation_step: number;
  owner_user_id: string | null;
  owner_name_enc: string | null;
  unit_id: string | null;
  unit_name: string | null;
  employee_id: string | null;
  employee_name_enc: string | null;
  customer_id: string | null;
  customer_name_enc: string | null;
  customer_email_enc: string | null;
  customer_phone_enc: string | null;
  answered_at: string | Date;
  first_contact_at: string | Date | null;
  closed_at: string | Date | null;
  callback_at: string | Date | null;
  root_cause: string | null;
  action_taken: string | null;
  action_cost_minor: string | number | null;
  outcome: string | null;
  resurvey_score: number | null;
  resurvey_at: string | Date | null;
  resurvey_invitation_id: string | null;
  response_id: string;
  survey_id: string;
  created_at: string | Date;
}

const caseSelect = sql`
  select c.id, c.number, c.status, c.level, c.urgent, c.score, r.reason, c.rule_id, c.due_at, c.escalation_step,
         c.owner_user_id, ou.name_enc as owner_name_enc, c.unit_id, un.name as unit_name,
         c.employee_id, em.name_enc as employee_name_enc,
         c.customer_id, cu.name_enc as customer_name_enc, cu.email_enc as customer_email_enc,
         cu.phone_enc as customer_phone_enc,
         r.answered_at, c.first_contact_at, c.closed_at, c.callback_at, c.root_cause, c.action_taken,
         c.action_cost_minor, c.outcome, c.resurvey_score, c.resurvey_at, c.resurvey_invitation_id,
         c.response_id, c.survey_id, c.created_at
    from cases c
    join responses r on r.org_id = c.org_id and r.id = c.response_id
    left join users ou on ou.org_id = c.org_id and ou.id = c.owner_user_id
    left join units un on un.org_id = c.org_id and un.id = c.unit_id
    left join employees em on em.org_id = c.org_id and em.id = c.employee_id
    left join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id`;

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

export function viewOfCase(ctx: Pick<Ctx, 'vault' | 'clock' | 'actor' | 'orgId'>, r: CaseRow): CaseView {
  const personal = seesPersonalData(ctx as Ctx);
  const text = caseText(ctx as Ctx, r);
  const dueAt = new Date(r.due_at);
  return {
    id: r.id,
    number: Number(r.number),
    status: r.status,
    level: r.level,
    urgent: r.urgent,
    score: Number(r.score),
    reason: text(r.reason),
    ruleId: r.rule_id,
    dueAt: dueAt.toISOString(),
    overdue: isOverdue(dueAt, ctx.clock(), isClosed(r.status)),
    escalationStep: Number(r.escalation_step),
    owner: r.owner_user_id ? { id: r.owner_user_id, name: ctx.vault.decrypt(r.owner_name_enc) } : null,
    unit: r.unit_id ? { id: r.unit_id, name: r.unit_name ?? '' } : null,
    employee: r.employee_id ? { id: r.employee_id, name: ctx.vault.decrypt(r.employee_name_enc) } : null,
    customerName: personal
      ? ctx.vault.decrypt(r.customer_name_enc)
      : r.customer_id && customerPseudonym(ctx, r.customer_id),
    answeredAt: iso(r.answered_at)!,
    firstContactAt: iso(r.first_contact_at),
    closedAt: iso(r.closed_at),
    callbackAt: iso(r.callback_at),
    rootCause: r.root_cause,
    actionTaken: text(r.action_taken),
    actionCostMinor: r.action_cost_minor === null ? null : Number(r.action_cost_minor),
    outcome: r.outcome,
    resurveyScore: r.resurvey_score === null ? null : Number(r.resurvey_score),
    resurveyAt: iso(r.resurvey_at),
    createdAt: iso(r.created_at)!,
  };
}

/**
 * Which cases the actor may see, as a condition on `c`: front-line users their own; managers their units'
 * subtrees and whatever they own; owners, admins and analysts everything of the org.
 */
async function scopeOf(ctx: Ctx): Promise<SQL> {
  if (ctx.actor.kind === 'system') return sql`true`;
  const me = ctx.actor.userId;
  if (ctx.actor.role === 'frontline') return sql`c.owner_user_id = ${me}`;
  const visible = await visibleUnitIds(ctx);
  if (visible === null) return sql`true`;
  const ids = `{${[...visible].join(',')}}`;
  return sql`(c.owner_user_id = ${me} or c.unit_id = any(${ids}::uuid[]))`;
}

export async function listCases(ctx: Ctx, query: z.output<typeof caseListQuery>) {
  const now = ctx.clock();
  const where: SQL[] = [sql`c.org_id = ${ctx.orgId}`, await scopeOf(ctx)];
  const q = query;
  if (q.status === 'open') where.push(sql`c.status in ('new', 'in_progress', 'contacted')`);
  else if (q.status === 'closed') where.push(sql`c.status in ('resolved', 'unresolved')`);
  else if (q.status) where.push(sql`c.status = ${q.status}`);
  if (q.level) where.push(sql`c.level = ${q.level}`);
  if (q.owner === 'me')
    where.push(sql`c.owner_user_id = ${ctx.actor.kind === 'user' ? ctx.actor.userId : null}`);
  else if (q.owner === 'none') where.push(sql`c.owner_user_id is null`);
  else if (q.owner) where.push(sql`c.owner_user_id = ${q.owner}`);
  if (q.unitId)
    where.push(sql`c.unit_id in (select s.id from units s, units t where t.org_id = ${ctx.orgId} and t.id = ${q.unitId}
      and s.org_id = t.org_id and starts_with(s.path, t.path))`);
  if (q.overdue === 'true')
    where.push(
      sql`c.status in ('new', 'in_progress', 'contacted') and c.due_at < ${now.toISOString()}::timestamptz`,
    );
  else if (q.overdue === 'false')
    where.push(
      sql`not (c.status in ('new', 'in_progress', 'contacted') and c.due_at < ${now.toISOString()}::timestamptz)`,
    );
  if (q.urgent) where.push(sql`c.urgent = ${q.urgent === 'true'}`);
  if (q.from || q.to) {
    const tz = await orgTimeZone(ctx);
    if (q.from) where.push(sql`c.created_at >= ${startOfLocalDay(q.from, tz).toISOString()}::timestamptz`);
    if (q.to)
      where.push(sql`c.created_at < ${startOfLocalDay(addDays(q.to, 1), tz).toISOString()}::timestamptz`);
  }
  const cursor = decodeCursor(q.cursor);
  if (cursor) where.push(sql`(c.created_at, c.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)`);
  const rows = rowsOf<CaseRow>(
    await ctx.db.execute(
      sql`${caseSelect} where ${sql.join(where, sql` and `)} order by c.created_at desc, c.id desc limit ${q.limit + 1}`,
    ),
  );
  const page = pageOf(rows, q.limit, (r) => [iso(r.created_at)!, r.id]);
  return { items: page.items.map((r) => viewOfCase(ctx, r)), nextCursor: page.nextCursor };
}

export interface CustomerCard {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
}

function customerOf(ctx: Ctx, r: CaseRow): CustomerCard | null {
  if (!r.customer_id) return null;
  if (!seesPersonalData(ctx))
    return { id: r.customer_id, name: customerPseudonym(ctx, r.customer_id), email: null, phone: null };
  return {
    id: r.customer_id,
    name: ctx.vault.decrypt(r.customer_name_enc),
    email: ctx.vault.decrypt(r.customer_email_enc),
    phone: ctx.vault.decrypt(r.customer_phone_enc),
  };
}

/** The actor's open cases to act on today (due today or overdue, or a call-back today), most urgent first. */
export async function casesToday(ctx: Ctx): Promise<(CaseView & { customer: CustomerCard | null })[]> {
  if (ctx.actor.kind !== 'user') return [];
  const tz = await orgTimeZone(ctx);
  const endOfToday = startOfLocalDay(addDays(localDay(ctx.clock(), tz), 1), tz).toISOString();
  const rows = rowsOf<CaseRow>(
    await ctx.db.execute(sql`${caseSelect}
      where c.org_id = ${ctx.orgId} and c.owner_user_id = ${ctx.actor.userId}
        and c.status in ('new', 'in_progress', 'contacted')
        and (c.due_at < ${endOfToday}::timestamptz or c.callback_at < ${endOfToday}::timestamptz)
      order by least(c.due_at, coalesce(c.callback_at, c.due_at)), c.urgent desc, c.number
      limit 500`),
  );
  // Overdue first, then urgent, then by the time to act (the query's order).
  const views = rows.map((r) => ({ ...viewOfCase(ctx, r), customer: customerOf(ctx, r) }));
  return views.sort((a, b) => Number(b.overdue) - Number(a.overdue) || Number(b.urgent) - Number(a.urgent));
}

/** One case's row, if the actor may see it (another org's or another person's case: 404, never 403). */
export async function caseRow(ctx: Ctx, id: string, db: Db = ctx.db, lock = false): Promise<CaseRow> {
  const rows = rowsOf<CaseRow>(
    await db.execute(
      sql`${caseSelect} where c.org_id = ${ctx.orgId} and c.id = ${id} and ${await scopeOf({ ...ctx, db })}${lock ? sql` for update of c` : sql``}`,
    ),
  );
  if (!rows[0]) throw notFound('Case');
  return rows[0];
}

export async function caseById(ctx: Ctx, id: string) {
  const r = await caseRow(ctx, id);
  const personal = seesPersonalData(ctx);
  const text = caseText(ctx, r);
  const [answer] = rowsOf<{
    score: number;
    reason: string | null;
    answered_at: string;
    channel: string;
    name: string;
  }>(
    await ctx.db.execute(sql`select r.score, r.reason, r.answered_at, r.channel, s.name from responses r
      join surveys s on s.org_id = r.org_id and s.id = r.survey_id where r.org_id = ${ctx.orgId} and r.id = ${r.response_id}`),
  );
  const answers = r.customer_id
    ? rowsOf<{ score: number; reason: string | null; answered_at: string }>(
        await ctx.db.execute(sql`select score, reason, answered_at from responses
          where org_id = ${ctx.orgId} and customer_id = ${r.customer_id} order by answered_at desc limit 20`),
      )
    : [];
  const contacts = r.customer_id
    ? rowsOf<{
        occurred_at: string;
        unit_name: string | null;
        employee_name_enc: string | null;
        service: string | null;
        amount_minor: string | number | null;
      }>(
        await ctx.db.execute(sql`select k.occurred_at, u.name as unit_name, e.name_enc as employee_name_enc, k.service,
            k.amount_minor from contacts k
            left join units u on u.org_id = k.org_id and u.id = k.unit_id
            left join employees e on e.org_id = k.org_id and e.id = k.employee_id
           where k.org_id = ${ctx.orgId} and k.customer_id = ${r.customer_id} order by k.occurred_at desc limit 20`),
      )
    : [];
  const events = rowsOf<{
    id: string;
    kind: string;
    at: string;
    actor_user_id: string | null;
    name_enc: string | null;
    data: unknown;
  }>(
    await ctx.db.execute(sql`select ev.id, ev.kind, ev.at, ev.actor_user_id, u.name_enc, ev.data from case_events ev
      left join users u on u.org_id = ev.org_id and u.id = ev.actor_user_id
      where ev.org_id = ${ctx.orgId} and ev.case_id = ${id} order by ev.at, ev.id`),
  );
  return {
    ...viewOfCase(ctx, r),
    customer: customerOf(ctx, r),
    answer: answer
      ? {
          score: Number(answer.score),
          reason: text(answer.reason),
          answeredAt: iso(answer.answered_at)!,
          channel: answer.channel,
          surveyName: answer.name,
        }
      : null,
    history: {
      answers: answers.map((a) => ({
        score: Number(a.score),
        reason: text(a.reason),
        answeredAt: iso(a.answered_at)!,
      })),
      contacts: contacts.map((k) => ({
        at: iso(k.occurred_at)!,
        unitName: k.unit_name,
        employeeName: personal ? ctx.vault.decrypt(k.employee_name_enc) : null,
        service: k.service,
        amountMinor: k.amount_minor === null ? null : Number(k.amount_minor),
      })),
    },
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      at: iso(e.at)!,
      actor: e.actor_user_id ? { id: e.actor_user_id, name: ctx.vault.decrypt(e.name_enc) } : null,
      data: maskedData(
        text,
        (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown>,
      ),
    })),
  };
}

export type CaseDetail = Awaited<ReturnType<typeof caseById>>;

/**
 * Free text of a case (the reason, a note, the action taken) as the actor may read it: for analysts with e-mails,
 * phones and card numbers masked and the customer's own name replaced by their pseudonym.
 */
function caseText(ctx: Ctx, r: CaseRow): (t: string | null) => string | null {
  if (seesPersonalData(ctx)) return (t) => t;
  const name = ctx.vault.decrypt(r.customer_name_enc);
  const pseudonym = r.customer_id ? customerPseudonym(ctx, r.customer_id) : null;
  return (t) => (t === null ? null : pseudonym ? maskName(maskPii(t), name, pseudonym) : maskPii(t));
}

/** An event's data as the actor may read it: every text in it (a note, a reason) through `text`. */
function maskedData(
  text: (t: string | null) => string | null,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const mask = (v: unknown): unknown =>
    typeof v === 'string'
      ? text(v)
      : Array.isArray(v)
        ? v.map(mask)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]))
          : v;
  return mask(data) as Record<string, unknown>;
}

const order: Record<CaseStatus, number> = {
  new: 0,
  in_progress: 1,
  contacted: 2,
  resolved: 3,
  unresolved: 3,
};

async function addEvent(
  tx: Db,
  ctx: Ctx,
  caseId: string,
  kind: string,
  data: Record<string, unknown>,
  at: Date,
): Promise<void> {
  const actor = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  await tx.execute(sql`insert into case_events (org_id, case_id, kind, actor_user_id, data, at)
    values (${ctx.orgId}, ${caseId}, ${kind}, ${actor}, ${JSON.stringify(data)}::jsonb, ${at.toISOString()}::timestamptz)`);
}

const writers = ['owner', 'admin', 'manager', 'frontline'] as const;
const managers = ['owner', 'admin', 'manager'] as const;

function isManager(ctx: Ctx): boolean {
  return ctx.actor.kind === 'system' || (managers as readonly string[]).includes(ctx.actor.role);
}

/**
 * Changes a case. Status moves forward only (new → in progress → contacted → resolved | could not resolve);
 * a closed case is reopened (to in progress) by a manager only. A new owner must be an active user who is
 * not an analyst. The root cause must be one of the playbook's.
 */
export async function patchCase(ctx: Ctx, id: string, patch: z.output<typeof casePatch>): Promise<CaseView> {
  requireRole(ctx, ...writers);
  const now = ctx.clock();
  if (patch.rootCause) {
    const causes = (await getPlaybook(ctx)).playbook.rootCauses.map((c) => c.id);
    if (!causes.includes(patch.rootCause))
      throw new AppError('invalid_input', `Unknown root cause "${patch.rootCause}"`, {
        errors: [{ path: 'rootCause', message: `One of: ${causes.join(', ')}` }],
      });
  }
  let newOwner: { id: string } | null = null;
  if (patch.ownerUserId) {
    if (!isManager(ctx)) throw new AppError('forbidden', 'Only a manager may give a case to someone else');
    const [u] = rowsOf<{ id: string; role: string }>(
      await ctx.db.execute(sql`select id, role from users where org_id = ${ctx.orgId} and id = ${patch.ownerUserId}
        and disabled_at is null`),
    );
    if (!u || u.role === 'analyst')
      throw new AppError(
        'invalid_input',
        'The new owner must be an active user of your organisation who may work cases',
        {
          errors: [{ path: 'ownerUserId', message: 'No such active user (analysts cannot own cases)' }],
        },
      );
    newOwner = u;
  }
  // Nobody is told of what they did themselves.
  const others = (ids: string[]) => ids.filter((u) => ctx.actor.kind !== 'user' || u !== ctx.actor.userId);
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const r = await caseRow(ctx, id, tx, true);
    const sets: SQL[] = [sql`updated_at = ${now.toISOString()}::timestamptz`];
    let raised: { kind: string; recipients: string[]; extra?: Record<string, unknown> } | null = null;
    if (patch.status && patch.status !== r.status) {
      const from = r.status;
      const to = patch.status;
      if (isClosed(from)) {
        if (!isManager(ctx)) throw new AppError('forbidden', 'Only a manager may reopen a closed case');
        if (to !== 'in_progress' && to !== 'contacted' && !isClosed(to))
          throw new AppError('conflict', `A closed case reopens to in_progress, not ${to}`, {
            errors: [{ path: 'status', message: 'Reopen to in_progress' }],
          });
      } else if (order[to] < order[from]) {
        throw new AppError('conflict', `A case moves forward: it cannot go from ${from} back to ${to}`, {
          errors: [
            {
              path: 'status',
              message: `From ${from}: ${openStatuses
                .filter((s) => order[s] > order[from])
                .concat(['resolved', 'unresolved'] as CaseStatus[])
                .join(', ')}`,
            },
          ],
        });
      }
      sets.push(sql`status = ${to}`);
      if (isClosed(to)) {
        sets.push(sql`closed_at = ${now.toISOString()}::timestamptz`, sql`callback_at = null`);
        raised = {
          kind: 'case.resolved',
          recipients: others(r.owner_user_id ? [r.owner_user_id] : []),
          extra: { status: to },
        };
      } else {
        sets.push(sql`closed_at = null`);
      }
      if (to === 'contacted' && !r.first_contact_at)
        sets.push(sql`first_contact_at = ${now.toISOString()}::timestamptz`);
      await addEvent(tx, ctx, id, 'status', { from, to }, now);
    }
    if (newOwner && newOwner.id !== r.owner_user_id) {
      sets.push(sql`owner_user_id = ${newOwner.id}`);
      await addEvent(tx, ctx, id, 'assigned', { from: r.owner_user_id, to: newOwner.id }, now);
      await raiseEvent(tx, ctx, r, 'case.assigned', others([newOwner.id]), {}, now);
    }
    if (patch.rootCause !== undefined) sets.push(sql`root_cause = ${patch.rootCause}`);
    if (patch.actionTaken !== undefined) sets.push(sql`action_taken = ${patch.actionTaken}`);
    if (patch.actionCostMinor !== undefined) sets.push(sql`action_cost_minor = ${patch.actionCostMinor}`);
    if (patch.outcome !== undefined) sets.push(sql`outcome = ${patch.outcome}`);
    await tx.execute(
      sql`update cases set ${sql.join(sets, sql`, `)} where org_id = ${ctx.orgId} and id = ${id}`,
    );
    if (raised) await raiseEvent(tx, ctx, r, raised.kind, raised.recipients, raised.extra ?? {}, now);
  });
  return viewOfCase(ctx, await caseRow(ctx, id));
}

export async function addNote(ctx: Ctx, id: string, text: string) {
  requireRole(ctx, ...writers);
  const now = ctx.clock();
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await caseRow(ctx, id, tx, true);
    await addEvent(tx, ctx, id, 'note', { text }, now);
    await tx.execute(
      sql`update cases set updated_at = ${now.toISOString()}::timestamptz where org_id = ${ctx.orgId} and id = ${id}`,
    );
  });
  return caseById(ctx, id);
}

/**
 * Logs an attempt to reach the customer. The first 'reached' sets the first contact and moves a new or
 * in-progress case to contacted; a 'callback' sets the call-back time; any attempt moves a new case along.
 */
export async function addAttempt(ctx: Ctx, id: string, input: z.output<typeof attemptInput>) {
  requireRole(ctx, ...writers);
  const now = ctx.clock();
  await ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const r = await caseRow(ctx, id, tx, true);
    if (isClosed(r.status))
      throw new AppError('conflict', 'The case is closed: reopen it to log attempts', {
        errors: [{ path: 'status', message: `The case is ${r.status}` }],
      });
    await addEvent(
      tx,
      ctx,
      id,
      'attempt',
      {
        channel: input.channel,
        outcome: input.outcome,
        note: input.note ?? null,
        callbackAt: input.callbackAt ?? null,
      },
      now,
    );
    const sets: SQL[] = [sql`updated_at = ${now.toISOString()}::timestamptz`];
    let to: CaseStatus | null = null;
    if (input.outcome === 'reached') {
      if (!r.first_contact_at) sets.push(sql`first_contact_at = ${now.toISOString()}::timestamptz`);
      sets.push(sql`callback_at = null`);
      if (r.status === 'new' || r.status === 'in_progress') to = 'contacted';
    } else {
      if (input.outcome === 'callback' && input.callbackAt)
        sets.push(sql`callback_at = ${new Date(input.callbackAt).toISOString()}::timestamptz`);
      if (r.status === 'new') to = 'in_progress';
    }
    if (to) {
      sets.push(sql`status = ${to}`);
      await addEvent(tx, ctx, id, 'status', { from: r.status, to }, now);
    }
    await tx.execute(
      sql`update cases set ${sql.join(sets, sql`, `)} where org_id = ${ctx.orgId} and id = ${id}`,
    );
  });
  return caseById(ctx, id);
}
