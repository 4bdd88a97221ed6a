// Hands stored answers to the closed loop: rows in loop_inbox, written in the answer's own transaction — with, for a
// burst's answers, the score the loop sweep has yet to add to the rollups (writer.ts DEFER_ROLLUPS_AT).
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';

/**
 * Why in the same transaction: an answer that is committed is then always evaluated by the playbook (the loop
 * sweep takes these rows), even if the server stops a moment later; an answer that is rolled back leaves none.
 */
export async function queueForLoop(
  tx: Db,
  answers: { orgId: string; responseId: string }[],
  reason: 'new' | 'amended' = 'new',
): Promise<void> {
  if (answers.length === 0) return;
  const orgIds = `{${answers.map((a) => a.orgId).join(',')}}`;
  const ids = `{${answers.map((a) => a.responseId).join(',')}}`;
  await tx.execute(sql`
    insert into loop_inbox (org_id, response_id, reason)
    select org_id, response_id, ${reason} from unnest(${orgIds}::uuid[], ${ids}::uuid[]) as k(org_id, response_id)
    on conflict (org_id, response_id) do update set reason = excluded.reason, created_at = now()`);
}

/**
 * An amended answer whose first score still waits in the inbox for the sweep to add: the score waiting becomes the new
 * one, so the rollups never show the old score taken away before it was added. Returns false when nothing waits (the
 * rollups already hold the answer, and the caller moves it between segments itself).
 */
export async function replacePendingRollup(
  tx: Db,
  answer: { orgId: string; responseId: string },
  score: number,
): Promise<boolean> {
  const replaced = rowsOf(
    await tx.execute(sql`
      update loop_inbox set rollup_score = ${score}
      where org_id = ${answer.orgId} and response_id = ${answer.responseId} and rollup_score is not null
      returning 1`),
  );
  return replaced.length > 0;
}

/**
 * A rebuild of the organisation's rollups has counted every stored answer: nothing waits for the sweep to add any
 * more. Inside the rebuild's transaction, after it has locked the inbox.
 */
export async function forgetPendingRollups(tx: Db, orgId: string): Promise<void> {
  await tx.execute(
    sql`update loop_inbox set rollup_score = null where org_id = ${orgId} and rollup_score is not null`,
  );
}
