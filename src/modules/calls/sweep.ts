// The periodic sweep of the phone-interview queue: phone invitations become call tasks; dead tasks close; leases expire.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';

export interface SweepDeps {
  db: Db;
}

export interface SweepResult {
  /** New tasks made from phone invitations. */
  created: number;
  /** Tasks closed because their invitation was answered elsewhere, expired, the survey closed or the customer opted out. */
  closed: number;
  /** Tasks whose operator's lease ran out, back in the queue. */
  released: number;
}

/** The worker's name for the sweep, and how often it runs: a new phone invitation reaches operators within a minute. */
export const CALLS_TASK = 'calls.sweep';
export const CALLS_INTERVAL_MS = 60_000;

/** Invitations turned into tasks per sweep at most, so one sweep stays short; the next sweep takes the rest. */
export const SWEEP_BATCH = 5000;

/**
 * One pass over every organisation. Idempotent: the unique (org_id, invitation_id) key makes a task once per
 * invitation, however often the sweep runs or whether two run at once.
 */
export async function callsTick(deps: SweepDeps, now: Date): Promise<SweepResult> {
  const at = now.toISOString();
  const created = rowsOf<{ id: string }>(
    await deps.db.execute(sql`
      insert into call_tasks (org_id, survey_id, invitation_id, customer_id, unit_id, next_call_at, created_at)
      select i.org_id, i.survey_id, i.id, i.customer_id, coalesce(i.unit_id, cu.home_unit_id),
             greatest(i.created_at, coalesce(i.send_after, i.created_at)), ${at}::timestamptz
      from invitations i
      join surveys s on s.org_id = i.org_id and s.id = i.survey_id
      join customers cu on cu.org_id = i.org_id and cu.id = i.customer_id
      where i.channel = 'phone' and i.status = 'pending' and i.expires_at > ${at}::timestamptz
        and (i.send_after is null or i.send_after <= ${at}::timestamptz)
        and s.status = 'active' and s.deleted_at is null and s.audience = 'customer'
        and cu.opted_out_at is null
        and not exists (select 1 from call_tasks t where t.org_id = i.org_id and t.invitation_id = i.id)
      order by i.created_at
      limit ${SWEEP_BATCH}
      on conflict (org_id, invitation_id) do nothing
      returning id`),
  );
  // A task no one holds whose customer can no longer answer: close it (a held one is left to its operator).
  const closed = rowsOf<{ id: string }>(
    await deps.db.execute(sql`
      update call_tasks c set status = 'done', finished_at = ${at}::timestamptz
      from invitations i, surveys s, customers cu
      where i.org_id = c.org_id and i.id = c.invitation_id
        and s.org_id = c.org_id and s.id = c.survey_id
        and cu.org_id = c.org_id and cu.id = c.customer_id
        and c.status <> 'done'
        and (c.status <> 'calling' or c.locked_until <= ${at}::timestamptz)
        and (i.status <> 'pending' or i.expires_at <= ${at}::timestamptz
             or s.status <> 'active' or s.deleted_at is not null or cu.opted_out_at is not null)
      returning c.id`),
  );
  const released = rowsOf<{ id: string }>(
    await deps.db.execute(sql`
      update call_tasks set status = case when last_outcome = 'call_back' then 'call_back' else 'queued' end,
        operator_id = null, locked_until = null
      where status = 'calling' and locked_until <= ${at}::timestamptz
      returning id`),
  );
  return { created: created.length, closed: closed.length, released: released.length };
}
