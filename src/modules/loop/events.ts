// Loop events: what the loop raises for alerts, webhooks and digests, written in the transaction of the change.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';

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

export async function raiseEvent(
  tx: Db,
  ctx: Pick<Ctx, 'orgId' | 'vault' | 'publicUrl'>,
  s: EventSubject,
  kind: string,
  recipients: string[],
  extra: Record<string, unknown>,
  at: Date,
): Promise<void> {
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
  await tx.execute(sql`insert into loop_events (org_id, kind, case_id, response_id, unit_id, recipients, payload, created_at)
    values (${ctx.orgId}, ${kind}, ${s.id}, ${s.response_id}, ${s.unit_id}, ${JSON.stringify([...new Set(recipients)])}::jsonb,
            ${JSON.stringify(payload)}::jsonb, ${at.toISOString()}::timestamptz)`);
}
