// Group commit for answers: many answers per transaction, each acknowledged only after its batch commits.
import type { Logger } from 'pino';
import { type Db, jsonStatement, runJson, tables } from '../../db/index.js';
import { localDay } from '../../domain/period.js';
import {
  CLAIM_OPEN_LINKS_CTES,
  claimInvitations,
  forgetEmployeeLinks,
  type LinkTarget,
  linkTokenHash,
} from '../invitations/index.js';
import { GroupCommit } from '../kernel/index.js';
import { applyRollupDeltas, NO_UNIT, type RollupDelta, rollupCtes } from './rollups.js';

export interface PendingAnswer {
  audience: 'customer' | 'employee';
  orgId: string;
  surveyId: string;
  invitationId: string;
  customerId: string | null;
  contactId: string | null;
  unitId: string | null;
  employeeId: string | null;
  channel: 'link' | 'email' | 'sms' | 'widget' | 'phone';
  locale: 'ru' | 'en';
  score: number;
  reason: string | null;
  answeredAt: Date;
  /** The answer's day in the organisation's time zone. */
  day: string;
}

/** An answer as it arrives on a survey link: the token and what the respondent chose, not yet looked up. */
export interface Submission {
  token: string;
  score: number;
  reason: string | null;
  at: Date;
}

/** 'recorded', or 'not_open': the link is unknown, closed, expired or already answered. */
export type SubmitOutcome = { kind: 'recorded' } | { kind: 'not_open' };

/** What the writer takes: an answer already looked up, or a link's submission to look up with its batch. */
type Item = { kind: 'answer'; answer: PendingAnswer } | { kind: 'submission'; submission: Submission };
type Outcome = { recorded: boolean };

export interface WriterOptions {
  /** Answers per transaction at most. */
  maxBatch?: number;
  /** Transactions in flight at once (1 for PGlite, which has one connection). */
  concurrency?: number;
}

/** Group commit of answers (see `GroupCommit`): each is acknowledged only after its batch commits. */
export class AnswerWriter {
  private readonly commits: GroupCommit<Item, Outcome>;

  constructor(db: Db, log: Logger, options: WriterOptions = {}) {
    this.commits = new GroupCommit((items) => writeMixedBatch(db, items), log, {
      maxBatch: options.maxBatch ?? 500,
      concurrency: options.concurrency ?? 1,
      name: 'answer',
    });
  }

  /** Resolves true once the answer is committed; false when its invitation already had an answer. */
  async write(answer: PendingAnswer): Promise<boolean> {
    return (await this.commits.add({ kind: 'answer', answer })).recorded;
  }

  /**
   * Records an answer to a survey link, looking the token up with the rest of its batch (one statement for the
   * whole batch instead of one per answer). 'not_open' leaves the link as it was: the caller takes the slow path
   * that explains why, or amends an earlier answer.
   */
  async submit(submission: Submission): Promise<SubmitOutcome> {
    const { recorded } = await this.commits.add({ kind: 'submission', submission });
    return recorded ? { kind: 'recorded' } : { kind: 'not_open' };
  }

  /** Whether answers are waiting or being written (background work gives way meanwhile). */
  busy(): boolean {
    return this.commits.busy();
  }

  /** When an answer last arrived or a batch last committed (see `GroupCommit.lastActiveAt`). */
  lastActiveAt(): number {
    return this.commits.lastActiveAt();
  }

  /** Waits until every accepted answer is committed (graceful shutdown). */
  drain(): Promise<void> {
    return this.commits.drain();
  }
}

/**
 * Writes a batch: the links' submissions in one statement (`answerLinks`), the answers already looked up in one
 * transaction (`writeBatch`).
 */
async function writeMixedBatch(db: Db, batch: Item[]): Promise<Outcome[]> {
  const submissions: Submission[] = [];
  const answers: PendingAnswer[] = [];
  for (const w of batch) {
    if (w.kind === 'submission') submissions.push(w.submission);
    else answers.push(w.answer);
  }
  const links = submissions.length ? await answerLinks(db, submissions) : [];
  const written = answers.length ? await writeBatch(db, answers) : [];
  let link = 0;
  let answer = 0;
  return batch.map((w) => ({ recorded: w.kind === 'submission' ? links[link++]! : written[answer++]! }));
}

const RESPONSE_COLUMNS = [
  'org_id',
  'survey_id',
  'invitation_id',
  'customer_id',
  'contact_id',
  'unit_id',
  'employee_id',
  'channel',
  'locale',
  'score',
  'reason',
  'answered_at',
];

/**
 * The CTE `stored` of a statement that records answers: the answers of the CTE `source` (the responses' columns) whose
 * invitations the CTE `claimed` (org_id, id) holds, inserted into responses; returns org_id, id and invitation_id.
 */
function storeClaimed(source: string): string {
  return `stored as (
     insert into responses (${RESPONSE_COLUMNS.join(', ')})
     select ${RESPONSE_COLUMNS.map((c) => `${source}.${c}`).join(', ')}
     from ${source} join claimed c on c.org_id = ${source}.org_id and c.id = ${source}.invitation_id
     returning org_id, id, invitation_id)`;
}

/**
 * Records the answers to customer survey links in one statement, autocommitted (one round trip for the whole
 * batch; atomic like a transaction): looks the tokens up, claims the open invitations (pending → answered; the
 * first answer wins), stores their answers with their day in the organisation's time zone, hands them to the closed
 * loop and adds them to the rollups — or, `deferRollups`, leaves that addition to the loop sweep (see
 * `DEFER_ROLLUPS_AT`). `$1` holds each submission's position `n`, token hash, score, reason and time.
 * A link of an employee survey, or one that is unknown, closed, expired or answered, is left as it was: its
 * submission comes back unrecorded and the caller explains or amends (answerLink), employees' answers through
 * `writeBatch`. A token twice in one batch is recorded once, for its first submission.
 */
function answerLinksStatement(deferRollups: boolean): string {
  const rollups = deferRollups
    ? ''
    : `,
     src as (
       select org_id, survey_id, day, coalesce(unit_id, '${NO_UNIT}'::uuid) as unit_id, channel, employee_id,
         customer_id, contact_id, score::int as score, 1 as sign
       from recorded),
     ${rollupCtes()}`;
  return `with k as (
       select * from jsonb_to_recordset($1::jsonb) as x(n int, token_hash text, score smallint, reason text,
         answered_at timestamptz)),
     ${CLAIM_OPEN_LINKS_CTES}
     ${storeClaimed('t')},
     recorded as (
       select t.*, s.id as response_id from t join stored s on s.org_id = t.org_id and s.invitation_id = t.invitation_id),
     inbox as (
       insert into loop_inbox (org_id, response_id, reason, rollup_score)
       select r.org_id, r.response_id, 'new', ${deferRollups ? 'r.score' : 'null'} from recorded r
       on conflict (org_id, response_id) do update set reason = excluded.reason, created_at = now())${rollups}
     select n from recorded`;
}

const answerLinksCounted = lazy(() => jsonStatement('sarafan_answer_links_v3', answerLinksStatement(false)));
const answerLinksDeferred = lazy(() =>
  jsonStatement('sarafan_answer_links_deferred_v1', answerLinksStatement(true)),
);

/**
 * From this many link answers in one batch the writer leaves their addition to the rollups to the loop sweep.
 * Why: a batch that size means answers are arriving faster than one statement a few milliseconds long, and the
 * rollup part is a fifth of that statement and its fixed cost (bench/answers, no background work: 4,485–4,696 answers/s
 * with the rollups in the statement, 5,411–6,364 without, runs side by side). The sweep adds a whole batch of up to
 * 200 answers in one statement, where most answers of a burst fall into the same few rollup rows. Under a lighter
 * load an answer counts in the dashboard the moment it is acknowledged; in a burst, within the sweep's second (a
 * few more on PostgreSQL while the worker gives way). Nothing is counted twice or lost: the pending score is in the
 * inbox row of the answer's own statement and leaves it with the sweep's addition, in one transaction.
 */
export const DEFER_ROLLUPS_AT = 10;

/** Records a batch of link submissions (see `answerLinksStatement`); returns, per submission, whether it was. */
export async function answerLinks(db: Db, submissions: Submission[]): Promise<boolean[]> {
  const input = [];
  for (const [n, s] of submissions.entries()) {
    const tokenHash = linkTokenHash(s.token);
    if (tokenHash)
      input.push({
        n,
        token_hash: tokenHash,
        score: s.score,
        reason: s.reason,
        answered_at: s.at.toISOString(),
      });
  }
  const recorded = submissions.map(() => false);
  if (input.length === 0) return recorded;
  const statement = input.length >= DEFER_ROLLUPS_AT ? answerLinksDeferred() : answerLinksCounted();
  for (const r of await runJson<{ n: number }>(db, statement, input)) recorded[r.n] = true;
  return recorded;
}

/** A value made on first use and kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** What the writer stores for a link's answer, from the opened invitation. */
export function pendingAnswerOf(
  opened: LinkTarget,
  a: { score: number; reason: string | null; at: Date },
): PendingAnswer {
  const { invitation, survey, org } = opened;
  const employee = survey.audience === 'employee';
  return {
    audience: survey.audience,
    orgId: invitation.orgId,
    surveyId: survey.id,
    invitationId: invitation.id,
    customerId: employee ? null : invitation.customerId,
    contactId: employee ? null : invitation.contactId,
    unitId: invitation.unitId,
    employeeId: employee ? null : invitation.employeeId,
    channel: invitation.channel,
    locale: invitation.locale,
    score: a.score,
    reason: a.reason,
    answeredAt: a.at,
    day: localDay(a.at, org.timeZone),
  };
}

/**
 * Customers' answers in one statement: claims their invitations (pending → answered; the first answer wins),
 * stores the answers of the claimed ones and hands them to the closed loop where `to_loop`. Returns the invitations
 * whose answers were stored. One statement instead of three, planned once on PGlite (db/prepared.ts).
 */
const storeCustomerAnswers = jsonStatement(
  'sarafan_store_customer_answers_v1',
  `with k as (
     select * from jsonb_to_recordset($1::jsonb) as x(org_id uuid, survey_id uuid, invitation_id uuid,
       customer_id uuid, contact_id uuid, unit_id uuid, employee_id uuid, channel text, locale text, score smallint,
       reason text, answered_at timestamptz, to_loop boolean)),
   -- The arrays make the primary key's index the way in: a generic plan estimates jsonb_to_recordset at 100 rows and
   -- would otherwise hash-join it against a scan of every invitation (11 ms at 10,000 invitations on PGlite).
   claimed as (
     update invitations i set status = 'answered'
     where i.org_id = any(array(select org_id from k)) and i.id = any(array(select invitation_id from k))
       and i.status = 'pending'
       and exists (select 1 from k where k.org_id = i.org_id and k.invitation_id = i.id)
     returning i.org_id, i.id),
   ${storeClaimed('k')},
   inbox as (
     insert into loop_inbox (org_id, response_id, reason)
     select s.org_id, s.id, 'new' from stored s
     join k on k.org_id = s.org_id and k.invitation_id = s.invitation_id
     where k.to_loop
     on conflict (org_id, response_id) do update set reason = excluded.reason, created_at = now())
   select org_id, invitation_id from stored`,
);

/**
 * Writes one batch in one transaction: claims each invitation (pending → answered; the first answer wins), stores
 * the claimed answers, hands customers' to the closed loop (unless `toLoop: false`, e.g. for historic demo data)
 * and adds them to the rollups. Returns, per answer, whether it was recorded.
 */
export async function writeBatch(
  db: Db,
  batch: PendingAnswer[],
  options: { toLoop?: boolean } = {},
): Promise<boolean[]> {
  return db.transaction(async (tx) => {
    const keyOf = (a: PendingAnswer) => `${a.orgId}|${a.invitationId}`;
    // An invitation twice in one batch (a double submit): the first is written, the second finds it answered.
    const seen = new Set<string>();
    const first = batch.map((a) => {
      if (seen.has(keyOf(a))) return false;
      seen.add(keyOf(a));
      return true;
    });
    const customers = batch.filter((a, i) => first[i] && a.audience === 'customer');
    const employees = batch.filter((a, i) => first[i] && a.audience === 'employee');

    const claimed = new Set<string>();
    if (customers.length) {
      const stored = await runJson<{ org_id: string; invitation_id: string }>(
        tx,
        storeCustomerAnswers,
        customers.map((a) => ({
          org_id: a.orgId,
          survey_id: a.surveyId,
          invitation_id: a.invitationId,
          customer_id: a.customerId,
          contact_id: a.contactId,
          unit_id: a.unitId,
          employee_id: a.employeeId,
          channel: a.channel,
          locale: a.locale,
          score: a.score,
          reason: a.reason,
          answered_at: a.answeredAt.toISOString(),
          to_loop: options.toLoop !== false,
        })),
      );
      for (const r of stored) claimed.add(`${r.org_id}|${r.invitation_id}`);
    }
    if (employees.length) {
      const open = await claimInvitations(
        tx,
        employees.map((a) => ({ orgId: a.orgId, id: a.invitationId })),
      );
      for (const key of open) claimed.add(key);
    }
    const recorded = batch.map((a, i) => first[i]! && claimed.has(keyOf(a)));
    const accepted = batch.filter((_, i) => recorded[i]);
    if (accepted.length === 0) return recorded;

    // An employee's answer keeps only survey, unit, score, reason, language and the day: no invitation, no person,
    // no token, address, device or instant. The day (in the org's time zone), not the week: no figure, comment or
    // export shows an answer's time, every cut (a day included) of fewer than the minimum group is withheld, and
    // the link-to-person mapping is dropped below, so a day ties no answer to anyone; the week would move answers
    // across month ends and make the period filters inexact. Ids are random (v4), so they do not order answers.
    const employeeAnswers = accepted.filter((a) => a.audience === 'employee');
    if (employeeAnswers.length) {
      await forgetEmployeeLinks(
        tx,
        employeeAnswers.map((a) => ({ orgId: a.orgId, id: a.invitationId })),
      );
      await tx.insert(tables.employeeResponses).values(
        employeeAnswers.map((a) => ({
          orgId: a.orgId,
          surveyId: a.surveyId,
          unitId: a.unitId,
          score: a.score,
          reason: a.reason,
          locale: a.locale,
          answeredOn: a.day,
        })),
      );
    }
    const deltas: RollupDelta[] = accepted.map((a) => ({
      orgId: a.orgId,
      surveyId: a.surveyId,
      day: a.day,
      unitId: a.unitId,
      channel: a.audience === 'employee' ? 'link' : a.channel,
      employeeId: a.audience === 'employee' ? null : a.employeeId,
      customerId: a.customerId,
      contactId: a.contactId,
      score: a.score,
      sign: 1,
    }));
    await applyRollupDeltas(tx, deltas);
    return recorded;
  });
}
