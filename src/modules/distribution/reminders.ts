// Reminders: one, N days after an invitation went out, only to those who have not answered.
import type { Ctx } from '../kernel/index.js';
import type { Survey } from '../surveys/index.js';
import { lockSweep, readCursor, reminderCandidates, writeCursor } from './queries.js';

/** Delivery's `queueInvitationMessage(ctx, id, 'reminder')`: renders and queues the message, once per invitation. */
export type QueueReminder = (
  ctx: Ctx,
  invitationId: string,
  kind: 'reminder',
) => Promise<{ queued: boolean; reason?: string }>;

const DAY_MS = 86_400_000;
const BATCH = 500;
/** With no cursor yet (reminders just switched on), invitations sent up to this long before the due time count. */
const FIRST_LOOKBACK_DAYS = 7;

export interface ReminderReport {
  considered: number;
  queued: number;
  notQueued: Record<string, number>;
}

/**
 * Queues the reminders that are due. Each sent invitation is looked at once, in the order it went out (a cursor
 * on sent_at, then id): unanswered, unexpired, e-mail or SMS, customer not opted out → a reminder; delivery
 * also refuses a second message of the same kind and sets `reminded_at` when it goes.
 */
export async function sweepReminders(
  ctx: Ctx,
  survey: Survey,
  now: Date,
  queue: QueueReminder,
): Promise<ReminderReport> {
  const report: ReminderReport = { considered: 0, queued: 0, notQueued: {} };
  const afterDays = survey.distribution.reminder?.afterDays;
  if (!afterDays) return report;
  const sentBefore = new Date(now.getTime() - afterDays * DAY_MS);
  for (;;) {
    const more = await ctx.db.transaction(async (tx) => {
      await lockSweep(tx, ctx.orgId, survey.id, 'reminder');
      const cursor = (await readCursor(tx, ctx.orgId, survey.id, 'reminder')) ?? {
        at: new Date(sentBefore.getTime() - FIRST_LOOKBACK_DAYS * DAY_MS),
        rowId: '00000000-0000-0000-0000-000000000000',
      };
      const { candidates, last } = await reminderCandidates(
        tx,
        ctx.orgId,
        survey.id,
        cursor,
        sentBefore,
        now,
        BATCH,
      );
      if (!last) return false;
      for (const c of candidates) {
        report.considered++;
        const result = await queue({ ...ctx, db: tx }, c.id, 'reminder');
        if (result.queued) report.queued++;
        else {
          const why = result.reason ?? 'unknown';
          report.notQueued[why] = (report.notQueued[why] ?? 0) + 1;
        }
      }
      await writeCursor(tx, ctx.orgId, survey.id, 'reminder', last.sentAt, last.id, now);
      return true;
    });
    if (!more) return report;
  }
}
