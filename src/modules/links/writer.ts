// Group commit for answers through anonymous links: many per transaction, each acknowledged after its batch
// commits, the rollups kept in step in the same transaction — the same design as the invitation answers' writer.
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { type Db, tables } from '../../db/index.js';
import { applyRollupDeltas, queueForLoop, type RollupDelta } from '../answers/index.js';
import { GroupCommit } from '../kernel/index.js';

const { responses } = tables;

export interface LinkAnswer {
  orgId: string;
  surveyId: string;
  linkId: string;
  /** HMAC of link, device and local day: at most one answer per device, link and day. */
  deviceKey: string;
  unitId: string | null;
  employeeId: string | null;
  channel: 'link' | 'widget';
  locale: 'ru' | 'en';
  score: number;
  reason: string | null;
  answeredAt: Date;
  /** The answer's day in the organisation's time zone (the rollups' day). */
  day: string;
}

/**
 * Why a second writer rather than the invitations' one: an invitation answer is claimed through its invitation
 * row, a link answer through the unique (org, link, device key) — the batching (`GroupCommit`) and the rollup
 * deltas (`applyRollupDeltas` from the answers room) are the same.
 */
export class LinkAnswerWriter {
  private readonly commits: GroupCommit<LinkAnswer, boolean>;

  constructor(db: Db, log: Logger, options: { maxBatch?: number; concurrency?: number } = {}) {
    this.commits = new GroupCommit((answers) => writeLinkBatch(db, answers), log, {
      ...options,
      name: 'link answer',
    });
  }

  /** Resolves true once committed; false when this device already answered through this link today. */
  write(answer: LinkAnswer): Promise<boolean> {
    return this.commits.add(answer);
  }

  /** Whether answers are waiting or being written (background work gives way meanwhile). */
  busy(): boolean {
    return this.commits.busy();
  }

  /** When an answer last arrived or a batch last committed (see `GroupCommit.lastActiveAt`). */
  lastActiveAt(): number {
    return this.commits.lastActiveAt();
  }

  drain(): Promise<void> {
    return this.commits.drain();
  }
}

const keyOf = (a: { orgId: string; linkId: string | null; deviceKey: string | null }) =>
  `${a.orgId}|${a.linkId}|${a.deviceKey}`;

/** Inserts the batch, skipping devices that already answered (the unique key decides), and adds the rest to the rollups. */
export async function writeLinkBatch(db: Db, batch: LinkAnswer[]): Promise<boolean[]> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(responses)
      .values(
        batch.map((a) => ({
          orgId: a.orgId,
          surveyId: a.surveyId,
          unitId: a.unitId,
          employeeId: a.employeeId,
          channel: a.channel,
          locale: a.locale,
          score: a.score,
          reason: a.reason,
          answeredAt: a.answeredAt,
          linkId: a.linkId,
          deviceKey: a.deviceKey,
        })),
      )
      .onConflictDoNothing({ target: [responses.orgId, responses.linkId, responses.deviceKey] })
      .returning({
        orgId: responses.orgId,
        responseId: responses.id,
        linkId: responses.linkId,
        deviceKey: responses.deviceKey,
      });
    await queueForLoop(tx, inserted);
    // Within one batch the same device may appear twice: only the first of them is the inserted row.
    const fresh = new Set(inserted.map(keyOf));
    const recorded = batch.map((a) => fresh.delete(keyOf(a)));
    const deltas: RollupDelta[] = batch
      .filter((_, i) => recorded[i])
      .map((a) => ({
        orgId: a.orgId,
        surveyId: a.surveyId,
        day: a.day,
        unitId: a.unitId,
        channel: a.channel,
        employeeId: a.employeeId,
        score: a.score,
        sign: 1,
      }));
    await applyRollupDeltas(tx, deltas);
    return recorded;
  });
}

/** Replaces today's answer of this device (score and reason), moving it between segments in the rollups. */
export async function amendLinkAnswer(
  db: Db,
  answer: LinkAnswer,
): Promise<{ score: number; reason: string | null } | null> {
  return db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(responses)
      .where(
        and(
          eq(responses.orgId, answer.orgId),
          eq(responses.linkId, answer.linkId),
          eq(responses.deviceKey, answer.deviceKey),
        ),
      )
      .for('update');
    if (!old) return null;
    await tx
      .update(responses)
      .set({
        score: answer.score,
        reason: answer.reason,
        locale: answer.locale,
        amendedAt: answer.answeredAt,
      })
      .where(and(eq(responses.orgId, old.orgId), eq(responses.id, old.id)));
    await queueForLoop(tx, [{ orgId: old.orgId, responseId: old.id }], 'amended');
    if (old.score !== answer.score) {
      // The device key holds the day, so the old answer is of the same day as this one.
      const key = {
        orgId: old.orgId,
        surveyId: old.surveyId,
        day: answer.day,
        unitId: old.unitId,
        channel: old.channel,
        employeeId: old.employeeId,
      };
      await applyRollupDeltas(tx, [
        { ...key, score: old.score, sign: -1 },
        { ...key, score: answer.score, sign: 1 },
      ]);
    }
    return { score: old.score, reason: old.reason };
  });
}

/** Today's answer of this device through this link, to prefill the page. */
export async function answerOfDevice(db: Db, orgId: string, linkId: string, deviceKey: string) {
  const [row] = await db
    .select({ score: responses.score, reason: responses.reason })
    .from(responses)
    .where(and(eq(responses.orgId, orgId), eq(responses.linkId, linkId), eq(responses.deviceKey, deviceKey)));
  return row ?? null;
}
