// The SQL of the phone-interview queue: which tasks an operator may be given now, in call hours, in their units.
import { type SQL, sql } from 'drizzle-orm';
import type { OrgSettings } from '../../db/schema/orgs.js';
import { type DailyWindow, DEFAULT_CALL_HOURS, isTimeOfDay, minutesOf } from '../../domain/call-hours.js';

/** How long an operator holds a customer after `calls/next`; past it, the customer goes back to the queue. */
export const LEASE_MS = 15 * 60_000;

export function callHoursOf(settings: OrgSettings | null | undefined): DailyWindow {
  const h = settings?.callHours;
  return h && isTimeOfDay(h.start) && isTimeOfDay(h.end) ? h : DEFAULT_CALL_HOURS;
}

/**
 * Tasks with everything that decides whether they may be called: the invitation (still pending, not expired),
 * the survey (active), the customer (not opted out), and the time zone of the unit, else of the organisation.
 */
export const queueFrom = sql`call_tasks c
  join invitations i on i.org_id = c.org_id and i.id = c.invitation_id
  join surveys s on s.org_id = c.org_id and s.id = c.survey_id
  join customers cu on cu.org_id = c.org_id and cu.id = c.customer_id
  join orgs o on o.id = c.org_id
  left join units u on u.org_id = c.org_id and u.id = c.unit_id`;

/** The local time of day at `now` in the customer's unit's zone (or the organisation's), inside the window. */
function inCallHours(now: string, hours: DailyWindow): SQL {
  const local = sql`((${now}::timestamptz) at time zone coalesce(u.time_zone, o.time_zone))::time`;
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === end) return sql`true`;
  const join = start < end ? sql` and ` : sql` or `;
  return sql`(${local} >= ${hours.start}::time${join}${local} < ${hours.end}::time)`;
}

/** A task that may still lead to an answer: the same conditions as a survey link that can be answered. */
export function stillCallable(now: string): SQL {
  return sql`i.status = 'pending' and i.expires_at > ${now}::timestamptz
    and s.status = 'active' and s.deleted_at is null and cu.opted_out_at is null`;
}

/**
 * Due now: queued or a call-back whose time has come, or held by an operator whose lease ran out; and the
 * customer's local time is inside call hours.
 */
export function dueNow(now: string, hours: DailyWindow): SQL {
  return sql`((c.status in ('queued', 'call_back') and c.next_call_at <= ${now}::timestamptz)
      or (c.status = 'calling' and c.locked_until <= ${now}::timestamptz))
    and ${stillCallable(now)} and ${inCallHours(now, hours)}`;
}

/** Restricts to the units a scoped user may see (null = the whole organisation). */
export function inUnits(visible: Set<string> | null): SQL {
  if (!visible) return sql`true`;
  if (visible.size === 0) return sql`false`;
  return sql`c.unit_id = any(${`{${[...visible].join(',')}}`}::uuid[])`;
}

/** Call-backs promised to the customer first, then the longest waiting. */
export const queueOrder = sql`coalesce(c.last_outcome = 'call_back', false) desc, c.next_call_at, c.created_at, c.id`;
