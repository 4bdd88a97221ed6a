// Group commit for answers: many answers per transaction, each acknowledged only after its batch commits.
import type { Logger } from 'pino';
import { type Db, tables } from '../../db/index.js';
import { claimInvitations } from '../invitations/index.js';
import { queueForLoop } from './loop-inbox.js';
import { applyRollupDeltas, type RollupDelta } from './rollups.js';

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

interface Waiting {
  answer: PendingAnswer;
  resolve: (recorded: boolean) => void;
  reject: (error: unknown) => void;
}

export interface WriterOptions {
  /** Answers per transaction at most. */
  maxBatch?: number;
  /** Transactions in flight at once (1 for PGlite, which has one connection). */
  concurrency?: number;
}

/**
 * Why: one INSERT per answer costs a commit (an fsync on PostgreSQL) each; batching the answers that arrive
 * while the previous batch commits turns N commits into one, with no added latency when the load is light
 * (a batch of one starts at once).
 */
export class AnswerWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private idle: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: WriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.concurrency = options.concurrency ?? 1;
  }

  /** Resolves true once the answer is committed; false when its invitation already had an answer. */
  write(answer: PendingAnswer): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ answer, resolve, reject });
      this.pump();
    });
  }

  /** Waits until every accepted answer is committed (graceful shutdown). */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      writeBatch(
        this.db,
        batch.map((w) => w.answer),
      )
        .then((recorded) => {
          for (const [i, w] of batch.entries()) w.resolve(recorded[i]!);
        })
        .catch((error) => {
          this.log.error({ err: error, size: batch.length }, 'answer batch failed');
          for (const w of batch) w.reject(error);
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
          if (this.queue.length === 0 && this.inFlight === 0) for (const done of this.idle.splice(0)) done();
        });
    }
  }
}

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
    const open = await claimInvitations(
      tx,
      batch.map((a) => ({ orgId: a.orgId, id: a.invitationId })),
    );
    const recorded = batch.map((a) => open.delete(`${a.orgId}|${a.invitationId}`));
    const accepted = batch.filter((_, i) => recorded[i]);
    if (accepted.length === 0) return recorded;

    const customerAnswers = accepted.filter((a) => a.audience === 'customer');
    if (customerAnswers.length) {
      const stored = await tx
        .insert(tables.responses)
        .values(
          customerAnswers.map((a) => ({
            orgId: a.orgId,
            surveyId: a.surveyId,
            invitationId: a.invitationId,
            customerId: a.customerId,
            contactId: a.contactId,
            unitId: a.unitId,
            employeeId: a.employeeId,
            channel: a.channel,
            locale: a.locale,
            score: a.score,
            reason: a.reason,
            answeredAt: a.answeredAt,
          })),
        )
        .returning({ orgId: tables.responses.orgId, responseId: tables.responses.id });
      // Employee answers never reach the loop: they must not open a case about a person.
      if (options.toLoop !== false) await queueForLoop(tx, stored);
    }
    // An employee's answer keeps only survey, unit, score, reason, language and the day: no invitation, no person.
    const employeeAnswers = accepted.filter((a) => a.audience === 'employee');
    if (employeeAnswers.length) {
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
      score: a.score,
      sign: 1,
    }));
    await applyRollupDeltas(tx, deltas);
    return recorded;
  });
}
