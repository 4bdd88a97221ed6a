// Progress of the phone interviews for supervisors: per operator, the queue, and the latest outcomes.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/index.js';
import { addDays, localDay, startOfLocalDay } from '../../domain/period.js';
import { AppError, type Ctx, requireRole, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { visibleUnitIds } from '../units/index.js';
import { callHoursOf, dueNow, inUnits, queueFrom } from './queue.js';
import { type CallOutcome, userNames } from './service.js';

export const statsQuery = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Default: today’s start (org time)' }),
    to: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Default: the end of today (org time)' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'Must be after from',
  });

/** Outcomes that mean the customer picked up (a wrong number is a person, but not our customer). */
const REACHED: CallOutcome[] = ['answered', 'refused', 'call_back'];

export interface OperatorStats {
  operatorId: string;
  /** Null for analysts: they see the work, not who did it. */
  name: string | null;
  attempts: number;
  reached: number;
  answered: number;
  refused: number;
  averageScore: number | null;
  /** Clock hours in which the operator recorded at least one dial. */
  activeHours: number;
  answersPerHour: number | null;
}

export interface RecentOutcome {
  at: string;
  taskId: string;
  operatorId: string;
  operatorName: string | null;
  outcome: CallOutcome;
  score: number | null;
  reason: string | null;
  note: string | null;
  customerName: string | null;
  unitName: string | null;
}

export interface CallStats {
  from: string;
  to: string;
  operators: OperatorStats[];
  totals: {
    attempts: number;
    answered: number;
    /** Customers still to reach (not finished). */
    queued: number;
    /** Of those, callable right now (due and inside call hours). */
    dueNow: number;
    /** Held by an operator right now. */
    calling: number;
    /** Tasks finished in the period. */
    done: number;
  };
  recent: RecentOutcome[];
}

type Count = number | string;

/**
 * Managers see their unit subtree, analysts everything without names or phones, front-line operators their own
 * work only.
 */
export async function callStats(ctx: Ctx, query: z.input<typeof statsQuery>): Promise<CallStats> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'analyst', 'frontline');
  const q = statsQuery.parse(query);
  const now = ctx.clock();
  const org = await getOrg(ctx);
  const from = q.from ? new Date(q.from) : startOfLocalDay(localDay(now, org.timeZone), org.timeZone);
  // Default to the end of today, so an answer recorded this very millisecond counts.
  const to = q.to ? new Date(q.to) : startOfLocalDay(addDays(localDay(now, org.timeZone), 1), org.timeZone);
  if (from >= to)
    throw new AppError('invalid_input', 'The period is empty', {
      errors: [{ path: 'from', message: 'Must be before to' }],
    });
  const visible = await visibleUnitIds(ctx);
  const personal = seesPersonalData(ctx);
  const onlyMe =
    ctx.actor.kind === 'user' && ctx.actor.role === 'frontline'
      ? sql`a.operator_id = ${ctx.actor.userId}`
      : sql`true`;
  const inPeriod = sql`a.org_id = ${ctx.orgId} and a.at >= ${from.toISOString()}::timestamptz
    and a.at < ${to.toISOString()}::timestamptz and ${inUnits(visible)} and ${onlyMe}`;
  // The answer a dial produced: the response of the task's invitation (one per invitation).
  const attemptsFrom = sql`call_attempts a
    join call_tasks c on c.org_id = a.org_id and c.id = a.task_id
    left join responses r on a.outcome = 'answered' and r.org_id = c.org_id and r.invitation_id = c.invitation_id`;

  const perOperator = rowsOf<{
    operator_id: string;
    attempts: Count;
    reached: Count;
    answered: Count;
    refused: Count;
    avg_score: Count | null;
    active_hours: Count;
  }>(
    await ctx.db.execute(sql`
      select a.operator_id,
             count(*) as attempts,
             count(*) filter (where a.outcome in (${sql.join(
               REACHED.map((o) => sql`${o}`),
               sql`, `,
             )})) as reached,
             count(*) filter (where a.outcome = 'answered') as answered,
             count(*) filter (where a.outcome = 'refused') as refused,
             avg(r.score) as avg_score,
             count(distinct date_trunc('hour', a.at)) as active_hours
      from ${attemptsFrom}
      where ${inPeriod}
      group by a.operator_id`),
  );
  const names = personal
    ? await userNames(
        ctx,
        perOperator.map((r) => r.operator_id),
      )
    : new Map<string, string>();
  const operators: OperatorStats[] = perOperator
    .map((r) => {
      const answered = Number(r.answered);
      const hours = Number(r.active_hours);
      return {
        operatorId: r.operator_id,
        name: personal ? (names.get(r.operator_id) ?? null) : null,
        attempts: Number(r.attempts),
        reached: Number(r.reached),
        answered,
        refused: Number(r.refused),
        averageScore: r.avg_score === null ? null : Math.round(Number(r.avg_score) * 100) / 100,
        activeHours: hours,
        answersPerHour: hours > 0 ? Math.round((answered / hours) * 100) / 100 : null,
      };
    })
    .sort(
      (a, b) =>
        b.answered - a.answered || b.attempts - a.attempts || a.operatorId.localeCompare(b.operatorId),
    );

  const at = now.toISOString();
  const [totals] = rowsOf<{ queued: Count; due: Count; calling: Count; done: Count }>(
    await ctx.db.execute(sql`
      select count(*) filter (where c.status <> 'done') as queued,
             count(*) filter (where ${dueNow(at, callHoursOf(org.settings))}) as due,
             count(*) filter (where c.status = 'calling' and c.locked_until > ${at}::timestamptz) as calling,
             count(*) filter (where c.status = 'done' and c.finished_at >= ${from.toISOString()}::timestamptz
                                and c.finished_at < ${to.toISOString()}::timestamptz) as done
      from ${queueFrom}
      where c.org_id = ${ctx.orgId} and ${inUnits(visible)}`),
  );

  const recentRows = rowsOf<{
    at: string | Date;
    task_id: string;
    operator_id: string;
    outcome: CallOutcome;
    score: Count | null;
    reason: string | null;
    note: string | null;
    name_enc: string | null;
    unit_name: string | null;
  }>(
    await ctx.db.execute(sql`
      select a.at, a.task_id, a.operator_id, a.outcome, r.score, r.reason, a.note, cu.name_enc, u.name as unit_name
      from ${attemptsFrom}
      join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id
      left join units u on u.org_id = c.org_id and u.id = c.unit_id
      where ${inPeriod}
      order by a.at desc, a.id desc
      limit 20`),
  );
  const recentNames = personal
    ? await userNames(ctx, [...new Set(recentRows.map((r) => r.operator_id))])
    : new Map<string, string>();
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    operators,
    totals: {
      attempts: operators.reduce((s, o) => s + o.attempts, 0),
      answered: operators.reduce((s, o) => s + o.answered, 0),
      queued: Number(totals?.queued ?? 0),
      dueNow: Number(totals?.due ?? 0),
      calling: Number(totals?.calling ?? 0),
      done: Number(totals?.done ?? 0),
    },
    recent: recentRows.map((r) => ({
      at: new Date(r.at).toISOString(),
      taskId: r.task_id,
      operatorId: r.operator_id,
      operatorName: personal ? (recentNames.get(r.operator_id) ?? null) : null,
      outcome: r.outcome,
      score: r.score === null ? null : Number(r.score),
      reason: r.reason,
      note: personal ? r.note : null,
      customerName: personal ? ctx.vault.decrypt(r.name_enc) : null,
      unitName: r.unit_name,
    })),
  };
}
