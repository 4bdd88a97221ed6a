// The loop sweep: answers waiting in loop_inbox meet the playbook (cases, alerts, messages), in one transaction per batch.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { addWorkingHours } from '../../domain/business-hours.js';
import type { Level, Playbook } from '../../domain/playbook.js';
import { type AnswerFacts, decide } from '../../domain/playbook-match.js';
import { applyRollupDeltas, type RollupDelta } from '../answers/index.js';
import { backgroundBatch, type Ctx, type Deps } from '../kernel/index.js';
import { queueCustomerMessage } from './customer-message.js';
import { type EventRow, eventRow, eventTakers, insertEvents } from './events.js';
import { nearest, resolveLevel } from './people.js';
import { getPlaybook } from './playbook.js';

/** Answers taken per transaction: big enough to keep up with a burst, small enough to keep locks short. */
export const INBOX_BATCH = 200;

interface InboxRow {
  org_id: string;
  response_id: string;
  inbox_reason: 'new' | 'amended';
  /** The score still to be added to the rollups (a burst's answer, see answers/writer.ts), or null. */
  rollup_score: number | null;
  /** The answer's day in the organisation's time zone (the rollups' day). */
  day: string | null;
  contact_id: string | null;
  score: number | null;
  reason: string | null;
  survey_id: string | null;
  invitation_id: string | null;
  customer_id: string | null;
  unit_id: string | null;
  employee_id: string | null;
  channel: AnswerFacts['channel'];
  locale: 'ru' | 'en';
  answered_at: string | Date;
  audience: 'customer' | 'employee' | null;
  unit_path: string | null;
  unit_name: string | null;
  employee_name_enc: string | null;
  customer_name_enc: string | null;
  customer_email_enc: string | null;
  customer_opted_out_at: string | Date | null;
  org_name: string;
  time_zone: string;
  settings: unknown;
}

interface ExistingCase {
  id: string;
  number: number;
  response_id: string;
  resurvey_invitation_id: string | null;
  urgent: boolean;
  score: number;
  status: string;
  owner_user_id: string | null;
  level: Level;
  due_at: string | Date;
  resurvey_score: number | null;
}

export interface InboxResult {
  answers: number;
  opened: number;
  amended: number;
  resurveys: number;
  messages: number;
}

const segmentOf = (score: number) => (score <= 6 ? 'detractor' : score <= 8 ? 'passive' : 'promoter');
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Value-band thresholds of an org: 12-month revenue per customer at the 50th and 80th percentiles. */
async function bandThresholds(
  db: Db,
  orgId: string,
  now: Date,
): Promise<{ p50: number; p80: number } | null> {
  const since = new Date(now.getTime() - 365 * 86_400_000).toISOString();
  const [row] = rowsOf<{ p50: string | null; p80: string | null }>(
    await db.execute(sql`select percentile_cont(0.5) within group (order by total) as p50,
        percentile_cont(0.8) within group (order by total) as p80
      from (select customer_id, sum(amount_minor) as total from contacts
             where org_id = ${orgId} and occurred_at >= ${since}::timestamptz and amount_minor is not null
             group by customer_id) t`),
  );
  if (!row || row.p50 === null || row.p80 === null) return null;
  return { p50: Number(row.p50), p80: Number(row.p80) };
}

async function revenueOf(
  db: Db,
  orgId: string,
  customerIds: string[],
  now: Date,
): Promise<Map<string, number>> {
  if (customerIds.length === 0) return new Map();
  const since = new Date(now.getTime() - 365 * 86_400_000).toISOString();
  const rows = rowsOf<{ customer_id: string; total: string }>(
    await db.execute(sql`select customer_id, sum(amount_minor) as total from contacts
      where org_id = ${orgId} and customer_id = any(${`{${customerIds.join(',')}}`}::uuid[])
        and occurred_at >= ${since}::timestamptz and amount_minor is not null group by customer_id`),
  );
  return new Map(rows.map((r) => [r.customer_id, Number(r.total)]));
}

const usesBands = (p: Playbook) => p.rules.some((r) => r.enabled && r.match.valueBands?.length);

/**
 * Takes a batch of waiting answers (`for update skip locked`, so several sweeps never take the same one) and
 * evaluates each against its org's playbook; everything it writes and the inbox rows' deletion commit together.
 * Returns null when the inbox was empty.
 */
async function sweepInboxBatch(deps: Deps, now: Date, size: number): Promise<InboxResult | null> {
  return deps.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // The inbox is a queue: nearly empty when statistics are taken, tens of thousands of rows after a burst. With
    // stale statistics the planner read and sorted all of it for each batch of 200 (bench/answers, 60,000 answers:
    // 460 scans reading 8.3 million rows); its index on created_at hands over the oldest rows directly.
    await tx.execute(sql`set local enable_seqscan = off`);
    const rows = rowsOf<InboxRow>(
      await tx.execute(sql`
        select i.org_id, i.response_id, i.reason as inbox_reason, i.rollup_score,
               (r.answered_at at time zone o.time_zone)::date::text as day, r.contact_id,
               r.score, r.reason, r.survey_id, r.invitation_id,
               r.customer_id, r.unit_id, r.employee_id, r.channel, r.locale, r.answered_at, s.audience,
               un.path as unit_path, un.name as unit_name, em.name_enc as employee_name_enc,
               cu.name_enc as customer_name_enc, cu.email_enc as customer_email_enc,
               cu.opted_out_at as customer_opted_out_at, o.name as org_name, o.time_zone, o.settings
          from (select org_id, response_id, reason, rollup_score from loop_inbox order by created_at
                 limit ${size} for update skip locked) i
          join orgs o on o.id = i.org_id
          -- Each answer and customer by its primary key ("limit 1" keeps the look-up a look-up): as a join, a planner
          -- whose statistics lag a burst hashed the whole responses table for every batch of 200 (bench/answers,
          -- 30,000 answers: 152 scans reading 3,010,135 rows, 8.6 ms a batch).
          left join lateral (
            select * from responses r where r.org_id = i.org_id and r.id = i.response_id limit 1) r on true
          left join surveys s on s.org_id = r.org_id and s.id = r.survey_id
          left join units un on un.org_id = r.org_id and un.id = r.unit_id
          left join employees em on em.org_id = r.org_id and em.id = r.employee_id
          left join lateral (
            select * from customers cu where cu.org_id = r.org_id and cu.id = r.customer_id limit 1) cu on true`),
    );
    await tx.execute(sql`set local enable_seqscan = on`);
    if (rows.length === 0) return null;
    const result: InboxResult = { answers: rows.length, opened: 0, amended: 0, resurveys: 0, messages: 0 };
    const byOrg = new Map<string, InboxRow[]>();
    for (const r of rows) byOrg.set(r.org_id, [...(byOrg.get(r.org_id) ?? []), r]);
    // Orgs in a fixed order, so two sweeps never take their per-org locks in opposite orders.
    for (const [orgId, answers] of [...byOrg].sort(([a], [b]) => a.localeCompare(b))) {
      const ctx: Ctx = { ...deps, db: tx, orgId, actor: { kind: 'system' } };
      await sweepOrg(ctx, tx, answers, now, result);
      await tx.execute(sql`delete from loop_inbox where org_id = ${orgId}
        and response_id = any(${`{${answers.map((a) => a.response_id).join(',')}}`}::uuid[])`);
    }
    await applyRollupDeltas(tx, pendingRollups(rows));
    return result;
  });
}

/**
 * The additions to the rollups that a burst's answers left to the sweep (answers/writer.ts `DEFER_ROLLUPS_AT`): the
 * pending score under the answer's own key, which an amendment never changes. Made in the transaction that deletes
 * the inbox rows, so each is added exactly once. An answer deleted since (its survey with it) adds nothing.
 */
function pendingRollups(rows: InboxRow[]): RollupDelta[] {
  return rows
    .filter((r) => r.rollup_score !== null && r.survey_id !== null && r.day !== null)
    .map((r) => ({
      orgId: r.org_id,
      surveyId: r.survey_id!,
      day: r.day!,
      unitId: r.unit_id,
      channel: r.channel,
      employeeId: r.employee_id,
      customerId: r.customer_id,
      contactId: r.contact_id,
      score: r.rollup_score!,
      sign: 1,
    }));
}

async function sweepOrg(
  ctx: Ctx,
  tx: Db,
  answers: InboxRow[],
  now: Date,
  result: InboxResult,
): Promise<void> {
  const orgId = ctx.orgId;
  const { playbook } = await getPlaybook(ctx);
  const live = answers.filter((a) => a.score !== null && a.audience === 'customer');
  if (live.length === 0) return;
  const ids = (xs: (string | null)[]) => `{${xs.filter(Boolean).join(',')}}`;
  const existing = rowsOf<ExistingCase>(
    await tx.execute(sql`select id, number, response_id, resurvey_invitation_id, urgent, score, status, owner_user_id,
        level, due_at, resurvey_score from cases
      where org_id = ${orgId} and (response_id = any(${ids(live.map((a) => a.response_id))}::uuid[])
         or resurvey_invitation_id = any(${ids(live.map((a) => a.invitation_id))}::uuid[]))`),
  );
  const caseOfResponse = new Map(existing.map((c) => [c.response_id, c]));
  const caseOfResurvey = new Map(
    existing.filter((c) => c.resurvey_invitation_id).map((c) => [c.resurvey_invitation_id!, c]),
  );
  const bands = usesBands(playbook) ? await bandThresholds(tx, orgId, now) : null;
  const revenue = bands
    ? await revenueOf(
        tx,
        orgId,
        live.map((a) => a.customer_id).filter((c): c is string => !!c),
        now,
      )
    : new Map<string, number>();
  // Case numbers are per org: one sweep at a time numbers an org's cases (the lock ends with the transaction).
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`cases:${orgId}`}))`);
  const [top] = rowsOf<{ n: number | null }>(
    await tx.execute(sql`select max(number) as n from cases where org_id = ${orgId}`),
  );
  let nextNumber = Number(top?.n ?? 0) + 1;
  const settings = (json(answers[0]!.settings) ?? {}) as { quietHours?: { start: string; end: string } };
  // What the batch writes, inserted a few statements at the end (a burst is hundreds of answers).
  const newCases: Record<string, unknown>[] = [];
  const caseEvents: { caseId: string; kind: string; data: Record<string, unknown>; at: string }[] = [];
  const loopEvents: EventRow[] = [];
  // An event nobody takes is not built (its payload decrypts names) nor stored.
  const taken = await eventTakers(tx, orgId);
  const raise = (
    s: Parameters<typeof eventRow>[1],
    kind: string,
    recipients: string[],
    extra: Record<string, unknown>,
    at: Date,
  ) => {
    if (taken(kind, recipients)) loopEvents.push(eventRow(ctx, s, kind, recipients, extra, at));
  };
  // The same unit's people are looked up once per batch (a burst comes from few units).
  const known = new Map<string, ReturnType<typeof resolveLevel>>();
  const peopleFor = (unitId: string | null, level: Level, employeeId: string | null) => {
    const key = `${unitId}|${level}|${employeeId}`;
    let found = known.get(key);
    if (!found) {
      found = resolveLevel(ctx, unitId, level, employeeId);
      known.set(key, found);
    }
    return found;
  };

  for (const a of live) {
    const score = Number(a.score);
    const subject = {
      id: null as string | null,
      number: null as number | null,
      response_id: a.response_id,
      score,
      reason: a.reason,
      unit_id: a.unit_id,
      unit_name: a.unit_name,
      employee_name_enc: a.employee_name_enc,
      customer_name_enc: a.customer_name_enc,
      due_at: null as string | null,
      level: null as string | null,
    };

    // The answer to a case's "did we put it right?": recorded on that case, no new case.
    const followed = a.invitation_id ? caseOfResurvey.get(a.invitation_id) : undefined;
    if (followed) {
      await tx.execute(sql`update cases set resurvey_score = ${score}, resurvey_at = ${new Date(a.answered_at).toISOString()}::timestamptz,
          updated_at = ${now.toISOString()}::timestamptz where org_id = ${orgId} and id = ${followed.id}`);
      await tx.execute(sql`insert into case_events (org_id, case_id, kind, data, at) values (${orgId}, ${followed.id},
          'resurvey_answered', ${JSON.stringify({ score, reason: a.reason, openedScore: Number(followed.score), amended: a.inbox_reason === 'amended' })}::jsonb,
          ${now.toISOString()}::timestamptz)`);
      raise(
        { ...subject, id: followed.id, number: followed.number },
        'resurvey.answered',
        followed.owner_user_id ? [followed.owner_user_id] : [],
        { previousScore: Number(followed.score), resurveyScore: score },
        now,
      );
      // Webhooks hear of every answer; this one says it is the case's re-survey.
      raise(
        { ...subject, id: followed.id, number: followed.number },
        `response.${segmentOf(score)}`,
        [],
        { resurvey: true },
        now,
      );
      result.resurveys++;
      continue;
    }

    const unitPath = (a.unit_path ?? '').split('/').filter(Boolean);
    const total = a.customer_id ? revenue.get(a.customer_id) : undefined;
    const facts: AnswerFacts = {
      score,
      reason: a.reason,
      surveyId: a.survey_id!,
      unitPath,
      employeeId: a.employee_id,
      channel: a.channel,
      valueBand:
        bands && total !== undefined
          ? total >= bands.p80
            ? 'high'
            : total >= bands.p50
              ? 'medium'
              : 'low'
          : null,
    };
    const decision = decide(playbook, facts);
    const alertPeople = async () => {
      const people: string[] = [];
      for (const level of decision.alertLevels) {
        const found = await peopleFor(a.unit_id, level, a.employee_id);
        people.push(...nearest(found.people).map((p) => p.userId));
      }
      return people;
    };

    const current = caseOfResponse.get(a.response_id);
    if (current) {
      // The respondent changed the answer the case was opened on: the case stays, the change is on its timeline.
      const becameUrgent = !!decision.openCase?.urgent && !current.urgent;
      await tx.execute(sql`insert into case_events (org_id, case_id, kind, data, at) values (${orgId}, ${current.id},
          'amended', ${JSON.stringify({
            score,
            reason: a.reason,
            openedScore: Number(current.score),
            segment: segmentOf(score),
            ...(score >= 9 ? { note: 'now a promoter: the case stays open until someone closes it' } : {}),
          })}::jsonb, ${now.toISOString()}::timestamptz)`);
      await tx.execute(sql`update cases set updated_at = ${now.toISOString()}::timestamptz${becameUrgent ? sql`, urgent = true` : sql``}
          where org_id = ${orgId} and id = ${current.id}`);
      if (becameUrgent) {
        raise(
          {
            ...subject,
            id: current.id,
            number: current.number,
            due_at: current.due_at as string,
            level: current.level,
          },
          'case.urgent',
          await alertPeople(),
          {},
          now,
        );
      }
      raise(
        { ...subject, id: current.id, number: current.number },
        `response.${segmentOf(score)}`,
        [],
        { amended: true },
        now,
      );
      result.amended++;
      continue;
    }

    let caseId: string | null = null;
    let caseNumber: number | null = null;
    if (decision.openCase) {
      const { level, people } = await peopleFor(a.unit_id, decision.openCase.level, a.employee_id);
      const owner = people[0]?.userId ?? null;
      const dueAt = addWorkingHours(
        new Date(a.answered_at),
        decision.openCase.dueHours,
        playbook.calendar,
        a.time_zone,
      );
      caseId = randomUUID();
      caseNumber = nextNumber++;
      newCases.push({
        id: caseId,
        number: caseNumber,
        responseId: a.response_id,
        surveyId: a.survey_id,
        customerId: a.customer_id,
        unitId: a.unit_id,
        employeeId: a.employee_id,
        ruleId: decision.openCase.ruleId,
        score,
        urgent: decision.openCase.urgent,
        level,
        owner,
        dueAt: dueAt.toISOString(),
      });
      const withCase = { ...subject, id: caseId, number: caseNumber, due_at: dueAt.toISOString(), level };
      caseEvents.push({
        caseId,
        kind: 'opened',
        data: {
          ruleId: decision.openCase.ruleId,
          ruleIds: decision.ruleIds,
          level,
          ownerUserId: owner,
          dueAt: dueAt.toISOString(),
          urgent: decision.openCase.urgent,
        },
        at: now.toISOString(),
      });
      raise(withCase, 'case.opened', owner ? [owner] : [], { ruleId: decision.openCase.ruleId }, now);
      if (decision.openCase.urgent || decision.alertLevels.length) {
        const recipients = decision.alertLevels.length
          ? await alertPeople()
          : nearest((await peopleFor(a.unit_id, 'middle', a.employee_id)).people).map((p) => p.userId);
        raise(withCase, 'case.urgent', recipients, { ruleId: decision.openCase.ruleId }, now);
      }
    } else if (decision.alertLevels.length) {
      raise(subject, 'case.urgent', await alertPeople(), { ruleIds: decision.ruleIds }, now);
    }
    raise({ ...subject, id: caseId, number: caseNumber }, `response.${segmentOf(score)}`, [], {}, now);

    for (const m of decision.messages) {
      const outcome = await queueCustomerMessage(ctx, {
        responseId: a.response_id,
        template: m.template,
        text: m.text,
        url: m.url,
        locale: a.locale,
        orgName: a.org_name,
        email: ctx.vault.decrypt(a.customer_email_enc),
        name: ctx.vault.decrypt(a.customer_name_enc),
        optedOut: !!a.customer_opted_out_at,
        quietHours: settings.quietHours,
        timeZone: a.time_zone,
      });
      if (outcome === 'queued') result.messages++;
    }
  }

  // One case per answer: the unique (org_id, response_id) key drops a case some other sweep opened meanwhile,
  // and with it the events written for it here.
  const inserted = new Set<string>();
  for (let i = 0; i < newCases.length; i += 500) {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(sql`insert into cases (org_id, id, number, response_id, survey_id, customer_id, unit_id,
          employee_id, rule_id, score, urgent, status, level, owner_user_id, due_at, created_at, updated_at)
        select ${orgId}, x.id, x.number, x."responseId", x."surveyId", x."customerId", x."unitId", x."employeeId",
               x."ruleId", x.score, x.urgent, 'new', x.level, x.owner, x."dueAt", ${now.toISOString()}::timestamptz,
               ${now.toISOString()}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(newCases.slice(i, i + 500))}::jsonb) as x(id uuid, number int,
               "responseId" uuid, "surveyId" uuid, "customerId" uuid, "unitId" uuid, "employeeId" uuid, "ruleId" text,
               score smallint, urgent boolean, level text, owner uuid, "dueAt" timestamptz)
        on conflict (org_id, response_id) do nothing returning id`),
    );
    for (const r of rows) inserted.add(r.id);
  }
  result.opened += inserted.size;
  const dropped = new Set(newCases.map((c) => c.id as string).filter((id) => !inserted.has(id)));
  const kept = caseEvents.filter((e) => !dropped.has(e.caseId));
  for (let i = 0; i < kept.length; i += 1000) {
    await tx.execute(sql`insert into case_events (org_id, case_id, kind, data, at)
      select ${orgId}, x."caseId", x.kind, x.data, x.at
        from jsonb_to_recordset(${JSON.stringify(kept.slice(i, i + 1000))}::jsonb)
          as x("caseId" uuid, kind text, data jsonb, at timestamptz)`);
  }
  await insertEvents(
    tx,
    orgId,
    loopEvents.filter((e) => !e.caseId || !dropped.has(e.caseId)),
  );
}

/** Empties the inbox, batch by batch (at most `maxBatches`, so one round of the worker stays bounded). */
export async function sweepInbox(deps: Deps, now: Date, maxBatches = 50): Promise<InboxResult> {
  const total: InboxResult = { answers: 0, opened: 0, amended: 0, resurveys: 0, messages: 0 };
  const size = backgroundBatch(deps.foreground, INBOX_BATCH, 20);
  for (let k = 0; k < maxBatches; k++) {
    await deps.foreground?.calm();
    const r = await sweepInboxBatch(deps, now, size);
    if (!r) break;
    for (const key of Object.keys(total) as (keyof InboxResult)[]) total[key] += r[key];
    if (r.answers < size) break;
  }
  return total;
}
