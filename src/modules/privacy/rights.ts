// A person's rights over their data (152-FZ art. 14 and 21, GDPR art. 15 and 17): everything held about them as
// JSON, and erasure of their personal data with their answers kept, unlinked and anonymous.

import { z } from '@hono/zod-openapi';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import { maskNameForms, maskPii } from '../../domain/pii-mask.js';
import { AppError, type Ctx, canWrite, requireRole } from '../kernel/index.js';

const {
  customers,
  contacts,
  invitations,
  responses,
  cases,
  caseEvents,
  messages,
  callTasks,
  callAttempts,
  suppressions,
  erasures,
} = tables;

export const personQuery = z
  .object({
    customerId: z.uuid().optional(),
    email: z.email().max(254).optional(),
    phone: z.string().trim().min(3).max(40).optional(),
    externalId: z.string().trim().min(1).max(200).optional(),
  })
  .refine((q) => [q.customerId, q.email, q.phone, q.externalId].filter((v) => v !== undefined).length === 1, {
    message: 'Name the person by exactly one of customerId, email, phone or externalId',
    path: ['customerId'],
  })
  .openapi('PersonQuery');

export type PersonQuery = z.infer<typeof personQuery>;

type CustomerRow = typeof customers.$inferSelect;

/** The customers a request names (an e-mail or phone may belong to several records); 404 when none. */
export async function findPeople(ctx: Ctx, query: PersonQuery): Promise<CustomerRow[]> {
  const q = personQuery.parse(query);
  const where = q.customerId
    ? eq(customers.id, q.customerId)
    : q.email
      ? inArray(customers.emailBidx, ctx.vault.blindIndexes('email', q.email))
      : q.phone
        ? inArray(customers.phoneBidx, ctx.vault.blindIndexes('phone', q.phone))
        : eq(customers.externalId, q.externalId!);
  const rows = await ctx.db
    .select()
    .from(customers)
    .where(and(eq(customers.orgId, ctx.orgId), where))
    .orderBy(customers.createdAt, customers.id)
    .limit(100);
  if (rows.length === 0) throw new AppError('not_found', 'No customer matches this request');
  return rows;
}

/** Everything Sarafan holds about the customers of a request, decrypted, as plain JSON. */
export async function exportPerson(ctx: Ctx, query: PersonQuery) {
  requireRole(ctx, ...canWrite);
  const people = await findPeople(ctx, query);
  const out = [];
  for (const c of people) out.push(await exportCustomer(ctx, c));
  return { generatedAt: ctx.clock().toISOString(), customers: out };
}

async function exportCustomer(ctx: Ctx, c: CustomerRow) {
  const org = ctx.orgId;
  const v = ctx.vault;
  const invitationRows = await ctx.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, org), eq(invitations.customerId, c.id)))
    .orderBy(invitations.createdAt);
  const invitationIds = invitationRows.map((i) => i.id);
  const answerRows = await ctx.db
    .select()
    .from(responses)
    .where(
      and(
        eq(responses.orgId, org),
        or(
          eq(responses.customerId, c.id),
          invitationIds.length ? inArray(responses.invitationId, invitationIds) : undefined,
        ),
      ),
    )
    .orderBy(responses.answeredAt);
  const caseRows = await ctx.db
    .select()
    .from(cases)
    .where(and(eq(cases.orgId, org), eq(cases.customerId, c.id)))
    .orderBy(cases.createdAt);
  const events = caseRows.length
    ? await ctx.db
        .select()
        .from(caseEvents)
        .where(
          and(
            eq(caseEvents.orgId, org),
            inArray(
              caseEvents.caseId,
              caseRows.map((k) => k.id),
            ),
          ),
        )
        .orderBy(caseEvents.at)
    : [];
  const messageRows = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, org), eq(messages.customerId, c.id)))
    .orderBy(messages.createdAt);
  const taskRows = await ctx.db
    .select()
    .from(callTasks)
    .where(and(eq(callTasks.orgId, org), eq(callTasks.customerId, c.id)));
  const attempts = taskRows.length
    ? await ctx.db
        .select()
        .from(callAttempts)
        .where(
          and(
            eq(callAttempts.orgId, org),
            inArray(
              callAttempts.taskId,
              taskRows.map((t) => t.id),
            ),
          ),
        )
    : [];
  const email = v.decrypt(c.emailEnc);
  const phone = v.decrypt(c.phoneEnc);
  const suppressionRows = await ctx.db
    .select()
    .from(suppressions)
    .where(
      and(
        eq(suppressions.orgId, org),
        or(
          email
            ? and(
                eq(suppressions.channel, 'email'),
                inArray(suppressions.addressBidx, v.blindIndexes('email', email)),
              )
            : undefined,
          phone
            ? and(
                eq(suppressions.channel, 'sms'),
                inArray(suppressions.addressBidx, v.blindIndexes('phone', phone)),
              )
            : undefined,
          sql`false`,
        ),
      ),
    );
  const [erasure] = await ctx.db
    .select()
    .from(erasures)
    .where(and(eq(erasures.orgId, org), eq(erasures.customerId, c.id)));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    customer: {
      id: c.id,
      externalId: c.externalId,
      name: v.decrypt(c.nameEnc),
      email,
      phone,
      locale: c.locale,
      homeUnitId: c.homeUnitId,
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    },
    contacts: (
      await ctx.db
        .select()
        .from(contacts)
        .where(and(eq(contacts.orgId, org), eq(contacts.customerId, c.id)))
        .orderBy(contacts.occurredAt)
    ).map((k) => ({
      id: k.id,
      externalId: k.externalId,
      unitId: k.unitId,
      employeeId: k.employeeId,
      service: k.service,
      amountMinor: k.amountMinor,
      currency: k.currency,
      occurredAt: k.occurredAt.toISOString(),
    })),
    invitations: invitationRows.map((i) => ({
      id: i.id,
      surveyId: i.surveyId,
      channel: i.channel,
      status: i.status,
      createdAt: i.createdAt.toISOString(),
      sentAt: iso(i.sentAt),
      openedAt: iso(i.openedAt),
      expiresAt: i.expiresAt.toISOString(),
    })),
    answers: answerRows.map((r) => ({
      id: r.id,
      surveyId: r.surveyId,
      unitId: r.unitId,
      channel: r.channel,
      score: r.score,
      reason: r.reason,
      answeredAt: r.answeredAt.toISOString(),
      amendedAt: iso(r.amendedAt),
    })),
    cases: caseRows.map((k) => ({
      id: k.id,
      number: k.number,
      status: k.status,
      score: k.score,
      rootCause: k.rootCause,
      actionTaken: k.actionTaken,
      outcome: k.outcome,
      createdAt: k.createdAt.toISOString(),
      closedAt: iso(k.closedAt),
      events: events
        .filter((e) => e.caseId === k.id)
        .map((e) => ({ kind: e.kind, at: e.at.toISOString(), data: e.data })),
    })),
    messages: messageRows.map((m) => ({
      id: m.id,
      kind: m.kind,
      channel: m.channel,
      to: v.decrypt(m.toEnc),
      subject: m.subject,
      body: m.bodyText,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
      sentAt: iso(m.sentAt),
    })),
    calls: taskRows.map((t) => ({
      id: t.id,
      surveyId: t.surveyId,
      status: t.status,
      attempts: attempts
        .filter((a) => a.taskId === t.id)
        .map((a) => ({ outcome: a.outcome, note: a.note, at: a.at.toISOString() })),
    })),
    consents: {
      optedOutAt: iso(c.optedOutAt),
      suppressions: suppressionRows.map((s) => ({
        channel: s.channel,
        reason: s.reason,
        createdAt: s.createdAt.toISOString(),
      })),
    },
    erasure: erasure ? { erasedAt: erasure.erasedAt.toISOString(), cause: erasure.cause } : null,
  };
}

export interface ErasureResult {
  customerId: string;
  answersUnlinked: number;
  reasonsMasked: number;
  messagesCleared: number;
  casesUnlinked: number;
}

/**
 * Masks what may name the person in free text: e-mails, phones, card and document numbers (the pure masker), and
 * the words of their own name.
 */
export function maskPerson(text: string, name: string | null): string {
  let out = maskPii(text);
  const words = (name ?? '')
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length >= 3)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length)
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu'),
      '[name]',
    );
  // And the name's words in their case forms ("Ивану", "Марии"), as the analyst's view masks them.
  return name ? maskNameForms(out, [[name, '[name]']]) : out;
}

/** Erases the personal data of the customers a request names (see eraseCustomer). */
export async function erasePerson(ctx: Ctx, query: PersonQuery): Promise<ErasureResult[]> {
  requireRole(ctx, ...canWrite);
  const people = await findPeople(ctx, query);
  const out: ErasureResult[] = [];
  for (const c of people) out.push(await eraseCustomer(ctx, c, 'request'));
  return out;
}

/**
 * Erases one customer's personal data in one transaction. The customer row stays as an empty, opted-out record
 * (so visits and economics keep their counts and the person is never surveyed again), with no name, e-mail,
 * phone, external id or blind index. Their answers stay with score, reason (e-mails, phones and their name masked),
 * survey, unit and time, but point to no customer, visit or invitation, so they cannot be joined back. Their
 * e-mail and phone go on the suppression list (the index, and the address sealed so a key rotation can index it
 * again), messages lose address and body, cases lose the customer, and notes in cases and calls are masked. An
 * `erasures` row records when and why.
 */
export async function eraseCustomer(
  ctx: Ctx,
  c: CustomerRow,
  cause: 'request' | 'retention',
): Promise<ErasureResult> {
  const org = ctx.orgId;
  const v = ctx.vault;
  const now = ctx.clock();
  const name = v.decrypt(c.nameEnc);
  const email = v.decrypt(c.emailEnc);
  const phone = v.decrypt(c.phoneEnc);
  const mask = (text: string) => {
    let out = maskPerson(text, name);
    for (const literal of [email, phone]) if (literal) out = out.split(literal).join('[contact]');
    return out;
  };
  return ctx.db.transaction(async (tx) => {
    const result: ErasureResult = {
      customerId: c.id,
      answersUnlinked: 0,
      reasonsMasked: 0,
      messagesCleared: 0,
      casesUnlinked: 0,
    };
    const suppress = [
      // The address stays sealed beside its index, only so that the person is still suppressed after a key
      // rotation (which computes the index again from it); nothing else reads it.
      ...(email
        ? [
            {
              channel: 'email' as const,
              addressBidx: v.blindIndex('email', email),
              addressEnc: v.encrypt(email),
            },
          ]
        : []),
      ...(phone
        ? [
            {
              channel: 'sms' as const,
              addressBidx: v.blindIndex('phone', phone),
              addressEnc: v.encrypt(phone),
            },
          ]
        : []),
    ];
    if (suppress.length)
      await tx
        .insert(suppressions)
        .values(
          suppress.map((s) => ({
            ...s,
            orgId: org,
            reason: 'unsubscribed' as const,
            detail: 'erased',
            createdAt: now,
          })),
        )
        .onConflictDoNothing();
    const invitationIds = (
      await tx
        .select({ id: invitations.id })
        .from(invitations)
        .where(and(eq(invitations.orgId, org), eq(invitations.customerId, c.id)))
    ).map((i) => i.id);
    const answers = await tx
      .select({ id: responses.id, reason: responses.reason })
      .from(responses)
      .where(
        and(
          eq(responses.orgId, org),
          or(
            eq(responses.customerId, c.id),
            invitationIds.length ? inArray(responses.invitationId, invitationIds) : undefined,
          ),
        ),
      );
    for (const a of answers) {
      const reason = a.reason == null ? null : mask(a.reason);
      if (reason !== a.reason) result.reasonsMasked++;
      await tx
        .update(responses)
        .set({ customerId: null, contactId: null, invitationId: null, reason })
        .where(and(eq(responses.orgId, org), eq(responses.id, a.id)));
    }
    result.answersUnlinked = answers.length;
    if (invitationIds.length) {
      // Links not answered yet stop working; the invitations stay for the response-rate counts, unlinked.
      await tx
        .update(invitations)
        .set({ customerId: null, contactId: null, expiresAt: sql`least(${invitations.expiresAt}, ${now})` })
        .where(and(eq(invitations.orgId, org), inArray(invitations.id, invitationIds)));
    }
    const cleared = await tx
      .update(messages)
      .set({
        customerId: null,
        toEnc: v.encrypt(''),
        toBidx: v.blindIndex('email', ''),
        subject: null,
        bodyText: '',
        bodyHtml: null,
        status: sql`case when ${messages.status} in ('queued', 'held') then 'suppressed' else ${messages.status} end`,
      })
      .where(and(eq(messages.orgId, org), eq(messages.customerId, c.id)))
      .returning({ id: messages.id });
    result.messagesCleared = cleared.length;
    const caseIds = (
      await tx
        .update(cases)
        .set({ customerId: null, updatedAt: now })
        .where(and(eq(cases.orgId, org), eq(cases.customerId, c.id)))
        .returning({ id: cases.id })
    ).map((k) => k.id);
    result.casesUnlinked = caseIds.length;
    if (caseIds.length) {
      const notes = await tx
        .select({ id: caseEvents.id, data: caseEvents.data })
        .from(caseEvents)
        .where(and(eq(caseEvents.orgId, org), inArray(caseEvents.caseId, caseIds)));
      for (const n of notes) {
        const masked = maskJson(n.data, mask);
        if (JSON.stringify(masked) !== JSON.stringify(n.data))
          await tx
            .update(caseEvents)
            .set({ data: masked })
            .where(and(eq(caseEvents.orgId, org), eq(caseEvents.id, n.id)));
      }
    }
    const attempts = rowsOf<{ id: string; note: string }>(
      await tx.execute(sql`select a.id::text as id, a.note from call_attempts a
        join call_tasks t on t.org_id = a.org_id and t.id = a.task_id
        where a.org_id = ${org} and t.customer_id = ${c.id} and a.note is not null`),
    );
    for (const a of attempts)
      await tx
        .update(callAttempts)
        .set({ note: mask(a.note) })
        .where(and(eq(callAttempts.orgId, org), eq(callAttempts.id, a.id)));
    await tx
      .update(customers)
      .set({
        externalId: null,
        nameEnc: null,
        emailEnc: null,
        emailBidx: null,
        phoneEnc: null,
        phoneBidx: null,
        optedOutAt: c.optedOutAt ?? now,
        updatedAt: now,
      })
      .where(and(eq(customers.orgId, org), eq(customers.id, c.id)));
    await tx
      .insert(erasures)
      .values({
        orgId: org,
        customerId: c.id,
        erasedAt: now,
        cause,
        userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      })
      .onConflictDoUpdate({ target: [erasures.orgId, erasures.customerId], set: { erasedAt: now, cause } });
    return result;
  });
}

/** Masks every string inside a JSON value. */
function maskJson<T>(value: T, mask: (s: string) => string): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskJson(v, mask)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskJson(v, mask)])) as T;
  return value;
}
