// "Did we put it right?": after a case is resolved the customer is asked again, on the same survey.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { queueInvitationMessage } from '../delivery/index.js';
import { createInvitations } from '../invitations/index.js';
import { AppError, type Ctx, requireRole } from '../kernel/index.js';
import { type CaseView, caseRow, viewOfCase } from './cases.js';

interface Target {
  id: string;
  status: string;
  survey_id: string;
  customer_id: string | null;
  contact_id: string | null;
  locale: 'ru' | 'en';
  resurvey_invitation_id: string | null;
  email_enc: string | null;
  phone_enc: string | null;
  opted_out_at: string | null;
}

export type ResurveyOutcome = { sent: true; invitationId: string } | { sent: false; reason: string };

/**
 * Creates the re-survey invitation of one resolved case in `tx` (the case row locked by the caller) and records
 * it on the case. E-mail when the customer has an address, else SMS; none for an opted-out or unreachable
 * customer (recorded too, so the sweep does not try again). The message itself is queued after the commit.
 */
async function createResurvey(ctx: Ctx, tx: Db, caseId: string, now: Date): Promise<ResurveyOutcome> {
  const [t] = rowsOf<Target>(
    await tx.execute(sql`select c.id, c.status, c.survey_id, c.customer_id, r.contact_id, r.locale,
        c.resurvey_invitation_id, cu.email_enc, cu.phone_enc, cu.opted_out_at
      from cases c join responses r on r.org_id = c.org_id and r.id = c.response_id
      left join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id
      where c.org_id = ${ctx.orgId} and c.id = ${caseId} for update of c`),
  );
  if (!t) return { sent: false, reason: 'no_case' };
  if (t.resurvey_invitation_id) return { sent: false, reason: 'already_sent' };
  let outcome: ResurveyOutcome;
  const channel = ctx.vault.decrypt(t.email_enc) ? 'email' : ctx.vault.decrypt(t.phone_enc) ? 'sms' : null;
  if (t.status !== 'resolved') outcome = { sent: false, reason: 'not_resolved' };
  else if (!t.customer_id) outcome = { sent: false, reason: 'no_customer' };
  else if (t.opted_out_at) outcome = { sent: false, reason: 'opted_out' };
  else if (!channel) outcome = { sent: false, reason: 'no_address' };
  else {
    try {
      const [invitation] = await createInvitations(
        { ...ctx, db: tx, actor: { kind: 'system' } },
        t.survey_id,
        {
          ...(t.contact_id ? { contactIds: [t.contact_id] } : { customerIds: [t.customer_id] }),
          channel,
          locale: t.locale,
          expiresInDays: 14,
        },
        ctx.publicUrl ?? '',
      );
      outcome = { sent: true, invitationId: invitation!.id };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = { sent: false, reason: error.code === 'conflict' ? 'survey_closed' : error.message };
    }
  }
  if (outcome.sent) {
    await tx.execute(sql`update cases set resurvey_invitation_id = ${outcome.invitationId},
      updated_at = ${now.toISOString()}::timestamptz where org_id = ${ctx.orgId} and id = ${caseId}`);
  }
  const actor = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  await tx.execute(sql`insert into case_events (org_id, case_id, kind, actor_user_id, data, at)
    values (${ctx.orgId}, ${caseId}, 'resurvey_sent', ${actor},
            ${JSON.stringify(outcome.sent ? { sent: true, invitationId: outcome.invitationId, channel } : outcome)}::jsonb,
            ${now.toISOString()}::timestamptz)`);
  return outcome;
}

/** Queues the invitation's e-mail or SMS now (the delivery sweep would also find it). */
async function send(ctx: Ctx, outcome: ResurveyOutcome): Promise<void> {
  if (outcome.sent)
    await queueInvitationMessage({ ...ctx, actor: { kind: 'system' } }, outcome.invitationId, 'invitation');
}

const why: Record<string, string> = {
  already_sent: 'The customer was already asked again',
  not_resolved: 'Only a resolved case is re-surveyed',
  no_customer: 'The answer names no customer to ask',
  opted_out: 'The customer asked not to be surveyed',
  no_address: 'The customer has no e-mail address or phone number',
  survey_closed: 'The survey is closed',
};

/** POST /cases/{id}/resurvey: ask now instead of waiting for the playbook's delay. */
export async function resurveyCase(ctx: Ctx, id: string): Promise<CaseView> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'frontline');
  await caseRow(ctx, id); // 404 unless the actor may see it
  const now = ctx.clock();
  let outcome: ResurveyOutcome = { sent: false, reason: 'no_case' };
  await ctx.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [state] = rowsOf<{ status: string; resurvey_invitation_id: string | null }>(
      await db.execute(sql`select status, resurvey_invitation_id from cases
        where org_id = ${ctx.orgId} and id = ${id} for update`),
    );
    if (state?.resurvey_invitation_id) throw new AppError('conflict', why.already_sent!);
    if (state?.status !== 'resolved') throw new AppError('conflict', why.not_resolved!);
    outcome = await createResurvey(ctx, db, id, now);
  });
  if (!outcome.sent) throw new AppError('conflict', why[outcome.reason] ?? outcome.reason);
  await send(ctx, outcome);
  return viewOfCase(ctx, await caseRow(ctx, id));
}

/**
 * The automatic re-survey: resolved cases whose customer was not asked yet, `resurveyAfterDays` after they were
 * closed (and not more than 30 days later than that, so switching re-surveys on does not write to old cases).
 * Returns how many invitations went out.
 */
export async function sendDueResurveys(
  ctx: Ctx,
  afterDays: number | null,
  now: Date,
  limit = 200,
): Promise<number> {
  if (afterDays === null) return 0;
  const latest = new Date(now.getTime() - afterDays * 86_400_000);
  const earliest = new Date(latest.getTime() - 30 * 86_400_000);
  const due = rowsOf<{ id: string }>(
    await ctx.db.execute(sql`select c.id from cases c
      where c.org_id = ${ctx.orgId} and c.status = 'resolved' and c.resurvey_invitation_id is null
        and c.closed_at <= ${latest.toISOString()}::timestamptz and c.closed_at > ${earliest.toISOString()}::timestamptz
        and not exists (select 1 from case_events e where e.org_id = c.org_id and e.case_id = c.id
                        and e.kind = 'resurvey_sent')
      order by c.closed_at limit ${limit}`),
  );
  let sent = 0;
  for (const { id } of due) {
    let outcome: ResurveyOutcome = { sent: false, reason: 'no_case' };
    await ctx.db.transaction(async (tx) => {
      outcome = await createResurvey(ctx, tx as unknown as Db, id, now);
    });
    if (outcome.sent) {
      sent++;
      await send(ctx, outcome);
    }
  }
  return sent;
}
