// The loop's timers: overdue cases climb to the middle manager and then to top management; orphaned cases find
// a new owner; resolved cases get their re-survey.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { addWorkingHours } from '../../domain/business-hours.js';
import type { Level } from '../../domain/playbook.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { raiseEvent } from './events.js';
import { nearest, resolveLevel } from './people.js';
import { getPlaybook } from './playbook.js';
import { sendDueResurveys } from './resurvey.js';

interface TimerCase {
  id: string;
  number: number;
  response_id: string;
  score: number;
  reason: string | null;
  unit_id: string | null;
  unit_name: string | null;
  employee_id: string | null;
  employee_name_enc: string | null;
  customer_name_enc: string | null;
  due_at: string | Date;
  level: Level;
  owner_user_id: string | null;
  escalation_step: number;
  overdue_at: string | Date | null;
  time_zone: string;
}

export interface TimerResult {
  overdue: number;
  escalated: number;
  reassigned: number;
  resurveys: number;
}

const levels: Level[] = ['frontline', 'middle', 'top'];
const BATCH = 200;

const timerSelect = sql`select c.id, c.number, c.response_id, c.score, r.reason, c.unit_id, un.name as unit_name,
    c.employee_id, em.name_enc as employee_name_enc, cu.name_enc as customer_name_enc, c.due_at, c.level,
    c.owner_user_id, c.escalation_step, c.overdue_at, o.time_zone
  from cases c
  join orgs o on o.id = c.org_id
  join responses r on r.org_id = c.org_id and r.id = c.response_id
  left join units un on un.org_id = c.org_id and un.id = c.unit_id
  left join employees em on em.org_id = c.org_id and em.id = c.employee_id
  left join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id`;

/**
 * One overdue case, under its row lock: 'case.overdue' once (overdue_at), then step 1 to the middle level at
 * dueAt + toMiddleAfterHours and step 2 to the top at + toTopAfterHours. Each step is a conditional UPDATE on
 * escalation_step, so it happens once however many sweeps run. A step whose people are the case's owner
 * already, or that is not above the case's level, only moves the step on (no ping-pong, no escalating down).
 */
async function escalateOne(ctx: Ctx, tx: Db, c: TimerCase, now: Date, result: TimerResult): Promise<void> {
  const { playbook } = await getPlaybook(ctx);
  const at = now.toISOString();
  const subject = { ...c, id: c.id, number: c.number, level: c.level as string };
  if (!c.overdue_at) {
    await tx.execute(
      sql`update cases set overdue_at = ${at}::timestamptz where org_id = ${ctx.orgId} and id = ${c.id}`,
    );
    await raiseEvent(tx, ctx, subject, 'case.overdue', c.owner_user_id ? [c.owner_user_id] : [], {}, now);
    result.overdue++;
  }
  const toMiddleAt = addWorkingHours(
    new Date(c.due_at),
    playbook.escalation.toMiddleAfterHours,
    playbook.calendar,
    c.time_zone,
  );
  const toTopAt = addWorkingHours(
    toMiddleAt,
    playbook.escalation.toTopAfterHours,
    playbook.calendar,
    c.time_zone,
  );
  let owner = c.owner_user_id;
  let level = c.level;
  for (const [step, target, when] of [
    [1, 'middle', toMiddleAt],
    [2, 'top', toTopAt],
  ] as const) {
    if (Number(c.escalation_step) >= step || now < when) continue;
    const above = levels.indexOf(target) > levels.indexOf(level);
    const found = above ? await resolveLevel(ctx, c.unit_id, target) : null;
    const people = found ? nearest(found.people) : [];
    const newOwner = people.find((p) => p.userId !== owner) ?? null;
    const moves = !!found && !!newOwner && !people.some((p) => p.userId === owner);
    const updated = rowsOf<{ id: string }>(
      await tx.execute(sql`update cases set escalation_step = ${step}, updated_at = ${at}::timestamptz
          ${moves ? sql`, escalated_at = ${at}::timestamptz, owner_user_id = ${newOwner!.userId}, level = ${found!.level}` : sql``}
        where org_id = ${ctx.orgId} and id = ${c.id} and escalation_step = ${step - 1} returning id`),
    );
    if (!updated[0]) return; // another sweep did it
    c.escalation_step = step;
    if (!moves) continue;
    await tx.execute(sql`insert into case_events (org_id, case_id, kind, data, at) values (${ctx.orgId}, ${c.id}, 'escalated',
        ${JSON.stringify({ step, from: owner, to: newOwner!.userId, level: found!.level })}::jsonb, ${at}::timestamptz)`);
    await raiseEvent(
      tx,
      ctx,
      { ...subject, level: found!.level },
      'case.escalated',
      people.map((p) => p.userId),
      { step, previousOwnerId: owner },
      now,
    );
    owner = newOwner!.userId;
    level = found!.level;
    result.escalated++;
  }
}

/** A case whose owner was deleted or disabled goes to the people at its level (or the next one up). */
async function reassignOne(ctx: Ctx, tx: Db, c: TimerCase, now: Date, result: TimerResult): Promise<void> {
  const { level, people } = await resolveLevel(ctx, c.unit_id, c.level, c.employee_id);
  const owner = people[0];
  if (!owner) return;
  const at = now.toISOString();
  await tx.execute(sql`update cases set owner_user_id = ${owner.userId}, level = ${level}, updated_at = ${at}::timestamptz
    where org_id = ${ctx.orgId} and id = ${c.id}`);
  await tx.execute(sql`insert into case_events (org_id, case_id, kind, data, at) values (${ctx.orgId}, ${c.id}, 'assigned',
      ${JSON.stringify({ from: c.owner_user_id, to: owner.userId, why: 'the owner was deleted or disabled' })}::jsonb, ${at}::timestamptz)`);
  await raiseEvent(
    tx,
    ctx,
    { ...c, level },
    'case.assigned',
    [owner.userId],
    { previousOwnerId: c.owner_user_id },
    now,
  );
  result.reassigned++;
}

/** Runs `fn` on each of up to BATCH cases matching `where`, each locked (`skip locked`) in its own transaction. */
async function eachLocked(
  deps: Deps,
  where: ReturnType<typeof sql>,
  fn: (ctx: Ctx, tx: Db, c: TimerCase) => Promise<void>,
): Promise<void> {
  const candidates = rowsOf<{ org_id: string; id: string }>(
    await deps.db.execute(sql`select c.org_id, c.id from cases c left join users ou on ou.org_id = c.org_id and ou.id = c.owner_user_id
      where ${where} order by c.due_at limit ${BATCH}`),
  );
  for (const { org_id: orgId, id } of candidates) {
    await deps.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const [c] = rowsOf<TimerCase>(
        await tx.execute(sql`${timerSelect} left join users ou on ou.org_id = c.org_id and ou.id = c.owner_user_id
          where c.org_id = ${orgId} and c.id = ${id} and ${where} for update of c skip locked`),
      );
      if (!c) return;
      await fn({ ...deps, db: tx, orgId, actor: { kind: 'system' } }, tx, c);
    });
  }
}

/** Escalation, reassignment of orphaned cases, and re-surveys due at `now`, for every organisation. */
export async function runLoopTimers(deps: Deps, now: Date): Promise<TimerResult> {
  const result: TimerResult = { overdue: 0, escalated: 0, reassigned: 0, resurveys: 0 };
  const at = now.toISOString();
  const open = sql`c.status in ('new', 'in_progress', 'contacted')`;
  await eachLocked(
    deps,
    sql`${open} and (c.owner_user_id is null or ou.disabled_at is not null)`,
    (ctx, tx, c) => reassignOne(ctx, tx, c, now, result),
  );
  await eachLocked(
    deps,
    sql`${open} and c.due_at < ${at}::timestamptz and (c.overdue_at is null or c.escalation_step < 2)`,
    (ctx, tx, c) => escalateOne(ctx, tx, c, now, result),
  );
  const orgs = rowsOf<{ org_id: string }>(
    await deps.db.execute(sql`select distinct org_id from cases where status = 'resolved'
      and resurvey_invitation_id is null and closed_at <= ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz`),
  );
  for (const { org_id: orgId } of orgs) {
    const ctx: Ctx = { ...deps, orgId, actor: { kind: 'system' } };
    const { playbook } = await getPlaybook(ctx);
    result.resurveys += await sendDueResurveys(ctx, playbook.resurveyAfterDays, now);
  }
  return result;
}
