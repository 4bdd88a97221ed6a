// Hands stored answers to the closed loop: rows in loop_inbox, written in the answer's own transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';

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
