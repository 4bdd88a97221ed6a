// Loop events: what the loop raises for alerts, webhooks and digests, written in the transaction of the change.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';
import { webhookKindsWanted } from '../webhooks/index.js';

/** What an event is about: a case (id set) or only an answer (webhooks' response.* events). */
export interface EventSubject {
  id: string | null;
  number: number | null;
  response_id: string;
  score: number;
  reason: string | null;
  unit_id: string | null;
  unit_name: string | null;
  employee_name_enc: string | null;
  customer_name_enc: string | null;
  due_at: string | Date | null;
  level: string | null;
}

/** "Иван Петров" → "Иван П.": enough to recognise the customer in an alert, not enough to identify them. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const [first, last] = name.trim().split(/\s+/);
  if (!first) return null;
  return last ? `${first} ${last.slice(0, 1)}.` : first;
}

/** The dashboard page of a case. */
export const caseUrl = (publicUrl: string | undefined, caseId: string) =>
  `${publicUrl ?? ''}/cases/${caseId}`;

/** A loop event to insert (see `insertEvents`). */
export interface EventRow {
  kind: string;
  caseId: string | null;
  responseId: string;
  unitId: string | null;
  recipients: string[];
  payload: Record<string, unknown>;
  at: string;
}

/** The event row for `kind` about `s`, with the payload the contract promises. */
export function eventRow(
  ctx: Pick<Ctx, 'vault' | 'publicUrl'>,
  s: EventSubject,
  kind: string,
  recipients: string[],
  extra: Record<string, unknown>,
  at: Date,
): EventRow {
  const payload: Record<string, unknown> = {
    ...(s.id ? { caseId: s.id, caseNumber: Number(s.number) } : {}),
    responseId: s.response_id,
    score: Number(s.score),
    reason: s.reason,
    unitId: s.unit_id,
    unitName: s.unit_name,
    employeeName: ctx.vault.decrypt(s.employee_name_enc),
    customerName: maskName(ctx.vault.decrypt(s.customer_name_enc)),
    ...(s.due_at ? { dueAt: new Date(s.due_at).toISOString() } : {}),
    ...(s.level ? { level: s.level } : {}),
    ...(s.id ? { url: caseUrl(ctx.publicUrl, s.id) } : {}),
    ...extra,
  };
  return {
    kind,
    caseId: s.id,
    responseId: s.response_id,
    unitId: s.unit_id,
    recipients: [...new Set(recipients)],
    payload,
    at: at.toISOString(),
  };
}

/**
 * Who takes events of the organisation now: an event with recipients, or of a kind some enabled webhook endpoint wants.
 * Why: most events are an answer's `response.*`, raised for webhooks; where none listens, storing one costs an insert
 * with two index entries and a dispatcher round that reads and updates it for nothing — and keeps the reason and the
 * customer's masked name in a table no one reads. An endpoint takes the events raised after it exists.
 */
export async function eventTakers(
  db: Db,
  orgId: string,
): Promise<(kind: string, recipients: string[]) => boolean> {
  const wanted = await webhookKindsWanted(db, orgId);
  return (kind, recipients) => recipients.length > 0 || wanted(kind);
}

/** Inserts the events someone takes (`eventTakers`) in one statement, in the order given (their `seq` follows it). */
export async function insertEvents(tx: Db, orgId: string, events: EventRow[]): Promise<void> {
  const taken = await eventTakers(tx, orgId);
  const rows = events.filter((e) => taken(e.kind, e.recipients));
  for (let i = 0; i < rows.length; i += 1000) {
    await tx.execute(sql`insert into loop_events (org_id, kind, case_id, response_id, unit_id, recipients, payload, created_at)
      select ${orgId}, e.v ->> 'kind', (e.v ->> 'caseId')::uuid, (e.v ->> 'responseId')::uuid, (e.v ->> 'unitId')::uuid,
             e.v -> 'recipients', e.v -> 'payload', (e.v ->> 'at')::timestamptz
        from jsonb_array_elements(${JSON.stringify(rows.slice(i, i + 1000))}::jsonb) with ordinality as e(v, n)
       order by e.n`);
  }
}

export async function raiseEvent(
  tx: Db,
  ctx: Pick<Ctx, 'orgId' | 'vault' | 'publicUrl'>,
  s: EventSubject,
  kind: string,
  recipients: string[],
  extra: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await insertEvents(tx, ctx.orgId, [eventRow(ctx, s, kind, recipients, extra, at)]);
}
