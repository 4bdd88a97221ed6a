// The outbox: every e-mail and SMS is rendered and stored first, then sent by a job, exactly once.
//
// Exactly-once discipline: queued → sending (committed before talking to SMTP or the gateway) → sent. A worker
// that dies between the two leaves the message in `sending`; whoever finds it there later (the job taken again
// after its lease, or the sweep) turns it into `uncertain` — shown in the outbox with "send again" for a
// human — and never re-sends it by itself. So a restart neither loses an invitation nor sends one twice.
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { type Db, jsonStatement, rowsOf, runJson, tables } from '../../db/index.js';
import { maskPii } from '../../domain/pii-mask.js';
import { defaultQuietHours, isHhMm, notBeforeQuietEnds, type QuietHours } from '../../domain/quiet-hours.js';
import { smsLength } from '../../domain/sms.js';
import { invitationLink, invitationLinkToken, openInvitation } from '../invitations/index.js';
import {
  enqueueMany,
  type Job,
  PermanentJobError,
  purgeFinished,
  requeue,
  type TaskTools,
  type Worker,
} from '../jobs/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  decodeCursor,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
  seesPersonalData,
} from '../kernel/index.js';
import { visibleUnitIds } from '../units/index.js';
import { cleanHeader, type MessageKind, renderEmail, renderSms } from './render.js';
import {
  type HttpSmsConfig,
  httpSmsProvider,
  type MailAttachment,
  type Mailer,
  SendError,
  type SendFailure,
  type SmsProvider,
  smtpMailer,
  TestSmsProvider,
} from './transport.js';

const { messages, suppressions, invitations, surveys, orgs, units, customers, employees } = tables;

export type Message = typeof messages.$inferSelect;
export const SEND_JOB = 'delivery.send';
export const SWEEP_TASK = 'delivery.sweep';

export type QueueReason =
  | 'suppressed'
  | 'opted_out'
  | 'no_address'
  | 'invalid_address'
  | 'already_queued'
  | 'answered'
  | 'expired'
  | 'no_link'
  | 'not_a_message_channel';

function publicUrlOf(ctx: Ctx): string {
  if (!ctx.publicUrl) throw new Error('ctx.publicUrl is not set: links in messages need the public URL');
  return ctx.publicUrl;
}

const emailPattern = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]{2,}$/;

/** Validates and normalises an address: e-mail lower-cased, phone to E.164 (Russian numbers by default). */
export function normaliseAddress(channel: 'email' | 'sms', raw: string): string | null {
  const value = raw.trim();
  if (channel === 'email') {
    if (value.length > 254 || !emailPattern.test(value)) return null;
    return value.toLowerCase();
  }
  const phone = parsePhoneNumberFromString(value, 'RU');
  if (!phone?.isValid()) return null;
  return phone.number; // E.164: +79161234567
}

const bidxKind = (channel: 'email' | 'sms') => (channel === 'email' ? 'email' : 'phone');

/** What a dashboard user sees of an address they may not read: a***@example.com, +7 *** ***-**-67. */
export function maskAddress(channel: 'email' | 'sms', address: string): string {
  if (!address) return '';
  if (channel === 'email') {
    const [local = '', domain = ''] = address.split('@');
    return `${local.slice(0, 1)}***@${domain}`;
  }
  return `${address.slice(0, 2)} *** ***-**-${address.slice(-2)}`;
}

function quietHoursOf(settings: { quietHours?: QuietHours }): QuietHours {
  const q = settings.quietHours;
  return q && isHhMm(q.start) && isHhMm(q.end) ? q : defaultQuietHours;
}

interface Loaded {
  invitation: typeof invitations.$inferSelect;
  survey: typeof surveys.$inferSelect;
  org: typeof orgs.$inferSelect;
  unitTimeZone: string | null;
  recipient: {
    nameEnc: string | null;
    emailEnc: string | null;
    phoneEnc: string | null;
    optedOutAt: Date | null;
  } | null;
}

async function loadInvitations(ctx: Ctx, invitationIds: string[]): Promise<Map<string, Loaded>> {
  if (invitationIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({
      invitation: invitations,
      survey: surveys,
      org: orgs,
      unitTimeZone: units.timeZone,
      customerNameEnc: customers.nameEnc,
      customerEmailEnc: customers.emailEnc,
      customerPhoneEnc: customers.phoneEnc,
      customerOptedOutAt: customers.optedOutAt,
      employeeNameEnc: employees.nameEnc,
      employeeEmailEnc: employees.emailEnc,
    })
    .from(invitations)
    .innerJoin(surveys, and(eq(surveys.orgId, invitations.orgId), eq(surveys.id, invitations.surveyId)))
    .innerJoin(orgs, eq(orgs.id, invitations.orgId))
    .leftJoin(units, and(eq(units.orgId, invitations.orgId), eq(units.id, invitations.unitId)))
    .leftJoin(
      customers,
      and(eq(customers.orgId, invitations.orgId), eq(customers.id, invitations.customerId)),
    )
    .leftJoin(
      employees,
      and(eq(employees.orgId, invitations.orgId), eq(employees.id, invitations.employeeId)),
    )
    .where(and(eq(invitations.orgId, ctx.orgId), inArray(invitations.id, invitationIds)));
  const loaded = new Map<string, Loaded>();
  for (const row of rows) {
    const recipient = row.invitation.customerId
      ? {
          nameEnc: row.customerNameEnc,
          emailEnc: row.customerEmailEnc,
          phoneEnc: row.customerPhoneEnc,
          optedOutAt: row.customerOptedOutAt,
        }
      : row.invitation.employeeId
        ? { nameEnc: row.employeeNameEnc, emailEnc: row.employeeEmailEnc, phoneEnc: null, optedOutAt: null }
        : null;
    loaded.set(row.invitation.id, {
      invitation: row.invitation,
      survey: row.survey,
      org: row.org,
      unitTimeZone: row.unitTimeZone,
      recipient,
    });
  }
  return loaded;
}

/** The sender name and address of an org's mail. */
function fromOf(
  org: typeof orgs.$inferSelect,
  publicUrl: string,
): { name: string; address: string; replyTo?: string } {
  const host = new URL(publicUrl).hostname || 'localhost';
  const configured = org.settings.email?.from?.trim();
  const address =
    configured && emailPattern.test(configured)
      ? configured
      : `no-reply@${host.includes('.') ? host : `${host}.local`}`;
  const replyTo = org.settings.email?.replyTo?.trim();
  return {
    name: cleanHeader(org.name, 100),
    address,
    replyTo: replyTo && emailPattern.test(replyTo) ? replyTo : undefined,
  };
}

export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/u/${token}`;
}

export interface QueueResult {
  queued: boolean;
  reason?: QueueReason;
  messageId?: string;
}

/**
 * Renders an invitation's e-mail or SMS into the outbox and queues its sending (idempotent: a second call for
 * the same invitation and kind queues nothing). When it cannot go (opted out, suppressed, no or invalid
 * address), that is recorded in the outbox too, with the reason, and nothing is sent.
 */
export async function queueInvitationMessage(
  ctx: Ctx,
  invitationId: string,
  kind: MessageKind,
): Promise<QueueResult> {
  const result = (await queueInvitationMessages(ctx, [invitationId], kind)).get(invitationId);
  if (!result) throw notFound('Invitation');
  return result;
}

/** `queueInvitationMessage` for many invitations of one org at once (a few statements for the whole batch). */
export async function queueInvitationMessages(
  ctx: Ctx,
  invitationIds: string[],
  kind: MessageKind,
): Promise<Map<string, QueueResult>> {
  const results = new Map<string, QueueResult>();
  if (invitationIds.length === 0) return results;
  const now = ctx.clock();
  const keyOf = (id: string) => `${kind}:${id}`;
  const existing = await ctx.db
    .select({ id: messages.id, dedupeKey: messages.dedupeKey })
    .from(messages)
    .where(and(eq(messages.orgId, ctx.orgId), inArray(messages.dedupeKey, invitationIds.map(keyOf))));
  const existingByKey = new Map(existing.map((m) => [m.dedupeKey, m.id]));
  const fresh: string[] = [];
  for (const id of invitationIds) {
    const found = existingByKey.get(keyOf(id));
    if (found) results.set(id, { queued: false, reason: 'already_queued', messageId: found });
    else if (!fresh.includes(id)) fresh.push(id);
  }
  const loaded = await loadInvitations(ctx, fresh);

  type Row = typeof messages.$inferInsert & { reason?: QueueReason };
  const rows: Row[] = [];
  for (const id of fresh) {
    const l = loaded.get(id);
    if (!l) continue; // unknown here: no result, the single version says 404
    const { invitation, recipient } = l;
    const channel = invitation.channel;
    if (channel !== 'email' && channel !== 'sms') {
      results.set(id, { queued: false, reason: 'not_a_message_channel' });
      continue;
    }
    if (invitation.status === 'answered') {
      results.set(id, { queued: false, reason: 'answered' });
      continue;
    }
    if (invitation.expiresAt <= now) {
      results.set(id, { queued: false, reason: 'expired' });
      continue;
    }
    const rawAddress = ctx.vault.decrypt(
      channel === 'email' ? (recipient?.emailEnc ?? null) : (recipient?.phoneEnc ?? null),
    );
    const address = rawAddress ? normaliseAddress(channel, rawAddress) : null;
    const base = {
      orgId: ctx.orgId,
      dedupeKey: keyOf(id),
      kind,
      channel,
      invitationId: id,
      customerId: invitation.customerId,
      toEnc: ctx.vault.encrypt(address ?? rawAddress ?? ''),
      toBidx: ctx.vault.blindIndex(bidxKind(channel), address ?? rawAddress ?? ''),
      locale: invitation.locale,
      bodyText: '',
      createdAt: now,
      sendAfter: now,
    } satisfies typeof messages.$inferInsert;
    // Not sendable: recorded with the reason, so the outbox shows it and the sweep does not try again.
    const refuse = (status: 'failed' | 'suppressed', reason: QueueReason, detail: string) =>
      rows.push({ ...base, status, lastError: detail, reason });
    if (recipient?.optedOutAt) refuse('suppressed', 'opted_out', 'The customer asked not to be surveyed');
    else if (!rawAddress)
      refuse('failed', 'no_address', channel === 'email' ? 'No e-mail address' : 'No phone number');
    else if (!address)
      refuse(
        'failed',
        'invalid_address',
        channel === 'email' ? 'The e-mail address is not valid' : 'The phone number is not valid (E.164)',
      );
    else rows.push({ ...base, status: 'queued' });
  }

  // Suppressed addresses, in one look-up for the batch.
  const candidates = rows.filter((r) => r.status === 'queued');
  if (candidates.length) {
    const found = await ctx.db
      .select({ channel: suppressions.channel, bidx: suppressions.addressBidx, reason: suppressions.reason })
      .from(suppressions)
      .where(
        and(
          eq(suppressions.orgId, ctx.orgId),
          inArray(suppressions.addressBidx, [...new Set(candidates.map((r) => r.toBidx))]),
        ),
      );
    const reasons = new Map(found.map((f) => [`${f.channel}|${f.bidx}`, f.reason]));
    for (const r of candidates) {
      const why = reasons.get(`${r.channel}|${r.toBidx}`);
      if (why)
        Object.assign(r, {
          status: 'suppressed',
          lastError: `The address is suppressed (${why})`,
          reason: 'suppressed',
        });
    }
  }

  // Render what will go.
  const publicUrl = rows.some((r) => r.status === 'queued') ? publicUrlOf(ctx) : '';
  for (const r of rows) {
    if (r.status !== 'queued') continue;
    const { invitation, survey, org, recipient, unitTimeZone } = loaded.get(r.invitationId!)!;
    const link = invitationLink(ctx.vault, publicUrl, invitation);
    if (!link) {
      Object.assign(r, {
        status: 'failed',
        reason: 'no_link',
        lastError: 'This invitation was made before links could be re-created for sending',
      });
      continue;
    }
    const texts = survey.texts[invitation.locale] ?? survey.texts[survey.defaultLocale];
    const question = (texts?.question ?? '').replaceAll('{org}', org.name);
    if (r.channel === 'email') {
      const name = ctx.vault.decrypt(recipient?.nameEnc ?? null);
      const email = renderEmail({
        locale: invitation.locale,
        kind,
        orgName: org.name,
        name: name ? (name.trim().split(/\s+/)[0] ?? null) : null,
        question,
        surveyUrl: link.url,
        unsubscribeUrl: unsubscribeUrl(publicUrl, link.token),
      });
      Object.assign(r, { subject: email.subject, bodyText: email.text, bodyHtml: email.html });
    } else {
      const sms = renderSms({
        locale: invitation.locale,
        kind,
        orgName: org.settings.sms?.sender || org.name,
        surveyUrl: link.url,
      });
      r.bodyText = sms.text;
    }
    const earliest = invitation.sendAfter && invitation.sendAfter > now ? invitation.sendAfter : now;
    r.sendAfter = notBeforeQuietEnds(earliest, quietHoursOf(org.settings), unitTimeZone ?? org.timeZone);
  }
  if (rows.length === 0) return results;

  await ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(messages)
      .values(rows.map(({ reason: _reason, ...row }) => row))
      .onConflictDoNothing({ target: [messages.orgId, messages.dedupeKey] })
      .returning({
        id: messages.id,
        dedupeKey: messages.dedupeKey,
        status: messages.status,
        sendAfter: messages.sendAfter,
      });
    const byKey = new Map(inserted.map((m) => [m.dedupeKey, m]));
    for (const r of rows) {
      const m = byKey.get(r.dedupeKey);
      if (!m) results.set(r.invitationId!, { queued: false, reason: 'already_queued' });
      else if (m.status === 'queued') results.set(r.invitationId!, { queued: true, messageId: m.id });
      else results.set(r.invitationId!, { queued: false, reason: r.reason, messageId: m.id });
    }
    await enqueueMany(
      tx as unknown as Db,
      inserted
        .filter((m) => m.status === 'queued')
        .map((m) => ({
          orgId: ctx.orgId,
          kind: SEND_JOB,
          key: m.id,
          payload: { messageId: m.id },
          runAt: m.sendAfter,
          maxAttempts: 6,
        })),
    );
  });
  return results;
}

/** A message to a person who is not being surveyed (a staff alert, a digest): already rendered by its room. */
export interface StaffMessage {
  /** Idempotency within the org, e.g. 'alert:<event>:<user>': the same message is never queued twice. */
  dedupeKey: string;
  kind: string;
  to: string;
  locale: 'ru' | 'en';
  subject: string;
  text: string;
  html: string;
  /** Not before (default: now; staff alerts ignore the customers' quiet hours). */
  sendAfter?: Date;
}

/**
 * Queues a rendered e-mail that belongs to no invitation (idempotent by `dedupeKey`; suppressed or invalid
 * addresses are recorded with the reason, as for invitations). Runs in the caller's transaction when `ctx.db`
 * is one, so a message and the row that caused it commit together.
 */
export async function queueMessage(ctx: Ctx, m: StaffMessage): Promise<QueueResult> {
  return (await queueMessages(ctx, [m]))[0]!;
}

/**
 * A round's staff e-mails, as one JSON parameter: drizzle's multi-row insert built a parameter for each of the
 * messages' 19 columns per row (0.8 s of the worker's CPU for the alerts of 20,000 answers, bench/answers).
 */
const INSERT_STAFF_MESSAGES = jsonStatement(
  'delivery_insert_staff_messages',
  `insert into messages (org_id, dedupe_key, kind, channel, to_enc, to_bidx, locale, subject, body_text, body_html,
                         status, last_error, created_at, send_after)
   select m.org_id, m.dedupe_key, m.kind, m.channel, m.to_enc, m.to_bidx, m.locale, m.subject, m.body_text,
          m.body_html, m.status, m.last_error, m.created_at, m.send_after
   from jsonb_to_recordset($1::jsonb)
        as m(org_id uuid, dedupe_key text, kind text, channel text, to_enc text, to_bidx text, locale text,
             subject text, body_text text, body_html text, status text, last_error text, created_at timestamptz,
             send_after timestamptz)
   on conflict (org_id, dedupe_key) do nothing
   returning id, dedupe_key`,
);

/**
 * `queueMessage` for many messages of one org in a few statements (the alerts of a batch of loop events), one
 * result per message in order. A dedupe key repeated within the call is queued once.
 */
export async function queueMessages(ctx: Ctx, list: StaffMessage[]): Promise<QueueResult[]> {
  if (list.length === 0) return [];
  const now = ctx.clock();
  const keys = [...new Set(list.map((m) => m.dedupeKey))];
  const existing = new Map(
    (
      await ctx.db
        .select({ id: messages.id, dedupeKey: messages.dedupeKey })
        .from(messages)
        .where(and(eq(messages.orgId, ctx.orgId), inArray(messages.dedupeKey, keys)))
    ).map((r) => [r.dedupeKey, r.id]),
  );
  const prepared = list.map((m) => {
    const address = normaliseAddress('email', m.to);
    return { m, address, toBidx: ctx.vault.blindIndex('email', address ?? m.to) };
  });
  const bidxs = [...new Set(prepared.filter((p) => p.address).map((p) => p.toBidx))];
  const suppressed = new Map(
    bidxs.length === 0
      ? []
      : (
          await ctx.db
            .select({ bidx: suppressions.addressBidx, reason: suppressions.reason })
            .from(suppressions)
            .where(
              and(
                eq(suppressions.orgId, ctx.orgId),
                eq(suppressions.channel, 'email'),
                inArray(suppressions.addressBidx, bidxs),
              ),
            )
        ).map((r) => [r.bidx, r.reason]),
  );
  const fresh = new Map<string, (typeof prepared)[number]>();
  for (const p of prepared) if (!existing.has(p.m.dedupeKey)) fresh.set(p.m.dedupeKey, p);
  const statusOf = (p: (typeof prepared)[number]): 'failed' | 'suppressed' | 'queued' =>
    !p.address ? 'failed' : suppressed.has(p.toBidx) ? 'suppressed' : 'queued';
  return ctx.db.transaction(async (tx) => {
    const rows = [...fresh.values()].map((p) => {
      const reason = suppressed.get(p.toBidx);
      return {
        orgId: ctx.orgId,
        dedupeKey: p.m.dedupeKey,
        kind: p.m.kind,
        channel: 'email' as const,
        toEnc: ctx.vault.encrypt(p.address ?? p.m.to),
        toBidx: p.toBidx,
        locale: p.m.locale,
        subject: cleanHeader(p.m.subject),
        bodyText: p.m.text,
        bodyHtml: p.m.html,
        status: statusOf(p),
        lastError: !p.address
          ? 'The e-mail address is not valid'
          : reason
            ? `The address is suppressed (${reason})`
            : null,
        createdAt: now,
        sendAfter: p.m.sendAfter && p.m.sendAfter > now ? p.m.sendAfter : now,
      };
    });
    const inserted = new Map(
      rows.length === 0
        ? []
        : (
            await runJson<{ id: string; dedupe_key: string }>(
              tx as unknown as Db,
              INSERT_STAFF_MESSAGES,
              rows.map((r) => ({
                org_id: r.orgId,
                dedupe_key: r.dedupeKey,
                kind: r.kind,
                channel: r.channel,
                to_enc: r.toEnc,
                to_bidx: r.toBidx,
                locale: r.locale,
                subject: r.subject,
                body_text: r.bodyText,
                body_html: r.bodyHtml,
                status: r.status,
                last_error: r.lastError,
                created_at: r.createdAt,
                send_after: r.sendAfter,
              })),
            )
          ).map((r) => [r.dedupe_key, r.id]),
    );
    await enqueueMany(
      tx as unknown as Db,
      rows
        .filter((r) => r.status === 'queued' && inserted.has(r.dedupeKey))
        .map((r) => ({
          orgId: ctx.orgId,
          kind: SEND_JOB,
          key: inserted.get(r.dedupeKey)!,
          payload: { messageId: inserted.get(r.dedupeKey)! },
          runAt: r.sendAfter,
          maxAttempts: 6,
        })),
    );
    const answered = new Set<string>();
    return prepared.map((p): QueueResult => {
      const key = p.m.dedupeKey;
      const messageId = inserted.get(key);
      if (!messageId || answered.has(key)) {
        return { queued: false, reason: 'already_queued', messageId: existing.get(key) ?? messageId };
      }
      answered.add(key);
      const status = statusOf(p);
      if (status === 'queued') return { queued: true, messageId };
      return { queued: false, reason: status === 'failed' ? 'invalid_address' : 'suppressed', messageId };
    });
  });
}

/** Adds an address to the org's suppression list (idempotent; the first reason stays). */
export async function suppress(
  db: Db,
  orgId: string,
  channel: 'email' | 'sms',
  addressBidx: string,
  reason: (typeof tables.suppressions.$inferInsert)['reason'],
  detail: string | null,
  now: Date,
  /** The address, sealed: a key rotation re-indexes the suppression from it. */
  addressEnc: string | null,
): Promise<void> {
  await db
    .insert(suppressions)
    .values({ orgId, channel, addressBidx, addressEnc, reason, detail, createdAt: now })
    .onConflictDoNothing();
  // Messages still waiting for that address will not go.
  await db
    .update(messages)
    .set({ status: 'suppressed', lastError: `The address is suppressed (${reason})` })
    .where(
      and(
        eq(messages.orgId, orgId),
        eq(messages.channel, channel),
        eq(messages.toBidx, addressBidx),
        inArray(messages.status, ['queued', 'held']),
      ),
    );
}

/** Finds the files a message of one kind carries (e.g. the report a schedule mails), read when it is sent. */
export type AttachmentResolver = (message: Message, ctx: Ctx) => Promise<MailAttachment[]>;

export interface DeliveryHooks {
  /** Called after `sending` is committed and before the provider is called: tests throw here to "crash". */
  afterSending?: (message: Message) => void | Promise<void>;
}

/**
 * The sending half: the SMTP mailer, the SMS providers, the send job and the periodic sweep. One per running
 * server; `runtime.delivery`.
 */
export class Delivery {
  private mailer: Mailer | null = null;
  /** Orgs whose SMS provider is 'test' send here (and tests read what was "sent"). */
  readonly testSms = new TestSmsProvider();
  hooks: DeliveryHooks = {};
  fetch: typeof fetch = fetch;
  private readonly attachmentResolvers = new Map<string, AttachmentResolver>();

  constructor(options: { smtpUrl?: string | undefined } = {}) {
    this.configureSmtp(options.smtpUrl ?? null);
  }

  /** Sets (or removes) the SMTP server; held e-mail goes out on the next sweep once one is set. */
  configureSmtp(url: string | null): void {
    this.mailer?.close();
    this.mailer = url ? smtpMailer(url) : null;
  }

  /** Messages of `kind` go out with the files `resolve` finds (kept out of the outbox row: they may be large). */
  attach(kind: string, resolve: AttachmentResolver): void {
    this.attachmentResolvers.set(kind, resolve);
  }

  get smtpConfigured(): boolean {
    return this.mailer !== null;
  }

  /** Registers the send job and the sweep on the worker. */
  register(worker: Worker, sweepEveryMs = 30_000): void {
    worker.handle(SEND_JOB, (job, ctx) => this.sendJob(job, ctx));
    worker.every(SWEEP_TASK, sweepEveryMs, (now, tools) => this.sweep(now, tools));
    // Sent messages keep their state in the outbox; their finished jobs are not needed after a week.
    worker.every('jobs.purge', 3_600_000, async (now, tools) => {
      await purgeFinished(tools.deps.db, new Date(now.getTime() - 7 * 86_400_000));
    });
  }

  close(): void {
    this.mailer?.close();
    this.mailer = null;
  }

  private smsProviderFor(ctx: Ctx, org: typeof orgs.$inferSelect): SmsProvider | null {
    const s = org.settings.sms;
    if (!s) return null;
    if (s.provider === 'test') return this.testSms;
    if (!s.url) return null;
    const headers = s.headersEnc
      ? (JSON.parse(ctx.vault.decrypt(s.headersEnc)) as Record<string, string>)
      : {};
    const config: HttpSmsConfig = {
      url: s.url,
      method: s.method ?? 'POST',
      bodyTemplate: s.bodyTemplate,
      headers,
    };
    return httpSmsProvider(config, this.fetch);
  }

  /** The send job: claim the message (→ sending, committed), call the provider, record the outcome. */
  async sendJob(job: Job, ctx: Ctx): Promise<void> {
    const messageId = String(job.payload.messageId ?? job.key);
    const now = ctx.clock();
    type Claim = {
      message: Message;
      org: typeof orgs.$inferSelect;
      send: () => Promise<{ providerId: string }>;
    };
    const claimed = await ctx.db.transaction(async (tx): Promise<Claim | null> => {
      const [message] = await tx
        .select()
        .from(messages)
        .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, messageId)))
        .for('update');
      if (!message) return null;
      if (message.status === 'sending') {
        // A previous attempt committed `sending` and never came back: it may have gone out. Never guess.
        await tx
          .update(messages)
          .set({
            status: 'uncertain',
            lastError: 'The worker stopped while sending: it may or may not have gone out',
          })
          .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, messageId)));
        return null;
      }
      if (message.status !== 'queued') return null;
      const [s] = await tx
        .select({ reason: suppressions.reason })
        .from(suppressions)
        .where(
          and(
            eq(suppressions.orgId, ctx.orgId),
            eq(suppressions.channel, message.channel),
            eq(suppressions.addressBidx, message.toBidx),
          ),
        );
      const setStatus = (status: Message['status'], lastError: string | null) =>
        tx
          .update(messages)
          .set({ status, lastError })
          .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, messageId)));
      if (s) {
        await setStatus('suppressed', `The address is suppressed (${s.reason})`);
        return null;
      }
      const [org] = await tx.select().from(orgs).where(eq(orgs.id, ctx.orgId));
      if (!org) return null;
      const to = ctx.vault.decrypt(message.toEnc);
      let send: Claim['send'];
      if (message.channel === 'email') {
        const mailer = this.mailer;
        if (!mailer) {
          await setStatus('held', 'No SMTP server is configured (SMTP_URL): kept until one is');
          return null;
        }
        const from = fromOf(org, publicUrlOf(ctx));
        const name = message.customerId
          ? await this.customerName(tx as unknown as Db, ctx, message.customerId)
          : null;
        // The link token as the invitation's link carries it (derived, or carried over a key rotation).
        const [invitation] = message.invitationId
          ? await tx
              .select({
                orgId: invitations.orgId,
                id: invitations.id,
                tokenHash: invitations.tokenHash,
                tokenEnc: invitations.tokenEnc,
              })
              .from(invitations)
              .where(and(eq(invitations.orgId, ctx.orgId), eq(invitations.id, message.invitationId)))
          : [];
        const token = (invitation && invitationLinkToken(ctx.vault, invitation)) ?? undefined;
        const unsubscribe = token ? unsubscribeUrl(publicUrlOf(ctx), token) : null;
        const headers: Record<string, string> = {};
        if (unsubscribe) {
          const mailto = `mailto:${from.replyTo ?? from.address}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
          headers['List-Unsubscribe'] = `<${unsubscribe}>, <${mailto}>`;
          headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
        }
        headers['Auto-Submitted'] = 'auto-generated';
        const host = from.address.split('@')[1] ?? 'sarafan.local';
        const resolve = this.attachmentResolvers.get(message.kind);
        const attachments = resolve ? await resolve(message, { ...ctx, db: tx as unknown as Db }) : undefined;
        send = () =>
          mailer.send({
            from: { name: from.name, address: from.address },
            replyTo: from.replyTo,
            to: { name: name ? cleanHeader(name, 100) : '', address: to },
            subject: cleanHeader(message.subject ?? ''),
            text: message.bodyText,
            html: message.bodyHtml ?? '',
            messageId: `<${message.id}@${host}>`,
            headers,
            attachments,
          });
      } else {
        const provider = this.smsProviderFor(ctx, org);
        if (!provider) {
          await setStatus('held', 'No SMS gateway is configured: kept until one is');
          return null;
        }
        const sender = cleanHeader(org.settings.sms?.sender || org.name, 11);
        send = () => provider.send({ orgId: ctx.orgId, to, text: message.bodyText, sender });
      }
      await tx
        .update(messages)
        .set({ status: 'sending', attempts: message.attempts + 1, lastError: null })
        .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, messageId)));
      return { message, org, send };
    });
    if (!claimed) return;
    const { message } = claimed;
    await this.hooks.afterSending?.(message);

    let providerId: string;
    try {
      providerId = (await claimed.send()).providerId;
    } catch (error) {
      const failure: SendFailure =
        error instanceof SendError ? error.failure : { kind: 'uncertain', message: (error as Error).message };
      await this.recordFailure(ctx, job, message, failure, now);
      return;
    }
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(messages)
        .set({ status: 'sent', sentAt: ctx.clock(), providerId: providerId.slice(0, 200), lastError: null })
        .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, message.id)));
      if (message.invitationId) {
        const column = message.kind === 'reminder' ? invitations.remindedAt : invitations.sentAt;
        await tx
          .update(invitations)
          .set(message.kind === 'reminder' ? { remindedAt: now } : { sentAt: now })
          .where(
            and(eq(invitations.orgId, ctx.orgId), eq(invitations.id, message.invitationId), isNull(column)),
          );
      }
    });
  }

  private async customerName(db: Db, ctx: Ctx, customerId: string): Promise<string | null> {
    const [c] = await db
      .select({ nameEnc: customers.nameEnc })
      .from(customers)
      .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, customerId)));
    return ctx.vault.decrypt(c?.nameEnc ?? null);
  }

  private async recordFailure(ctx: Ctx, job: Job, message: Message, failure: SendFailure, now: Date) {
    const where = and(eq(messages.orgId, ctx.orgId), eq(messages.id, message.id));
    if (failure.kind === 'uncertain') {
      await ctx.db.update(messages).set({ status: 'uncertain', lastError: failure.message }).where(where);
      return;
    }
    if (failure.kind === 'permanent') {
      await ctx.db.transaction(async (tx) => {
        await tx
          .update(messages)
          .set({ status: message.channel === 'email' ? 'bounced' : 'failed', lastError: failure.message })
          .where(where);
        // A permanent refusal of an e-mail (5xx) means this address must get no more mail.
        if (message.channel === 'email')
          await suppress(
            tx as unknown as Db,
            ctx.orgId,
            'email',
            message.toBidx,
            'hard_bounce',
            failure.message.slice(0, 300),
            now,
            message.toEnc,
          );
      });
      return;
    }
    const last = job.attempts >= job.maxAttempts;
    await ctx.db
      .update(messages)
      .set({ status: last ? 'failed' : 'queued', lastError: failure.message })
      .where(where);
    if (last) throw new PermanentJobError(failure.message);
    throw new Error(failure.message); // the queue retries with back-off
  }

  /**
   * The periodic sweep: messages stuck in `sending` past their lease → `uncertain`; held messages whose
   * channel is now configured → queued again; invitations by e-mail or SMS that are due and have no message
   * yet → rendered and queued.
   */
  async sweep(now: Date, tools: TaskTools): Promise<void> {
    const db = tools.deps.db;
    const at = now.toISOString();
    await db.execute(sql`
      update messages m set status = 'uncertain',
             last_error = 'The worker stopped while sending: it may or may not have gone out'
       where m.status = 'sending'
         and not exists (select 1 from jobs j where j.org_id = m.org_id and j.kind = ${SEND_JOB}
                          and j.key = m.id::text and j.status = 'running' and j.locked_until >= ${at}::timestamptz)`);

    const held = rowsOf<{ org_id: string; id: string; channel: 'email' | 'sms'; sms: unknown }>(
      await db.execute(sql`
        select m.org_id, m.id, m.channel, o.settings -> 'sms' as sms from messages m join orgs o on o.id = m.org_id
         where m.status = 'held' limit 5000`),
    );
    for (const m of held) {
      const ready = m.channel === 'email' ? this.mailer !== null : smsReady(m.sms);
      if (ready) await releaseMessage(tools.ctxFor(m.org_id), m.id, now);
    }

    for (let round = 0; round < 20; round++) {
      const due = rowsOf<{ org_id: string; id: string }>(
        await db.execute(sql`
          select i.org_id, i.id from invitations i
           where i.channel in ('email', 'sms') and i.status = 'pending' and i.sent_at is null
             and (i.send_after is null or i.send_after <= ${at}::timestamptz)
             and i.expires_at > ${at}::timestamptz
             and not exists (select 1 from messages m where m.org_id = i.org_id and m.invitation_id = i.id
                              and m.kind = 'invitation')
           order by i.created_at limit 500`),
      );
      const byOrg = new Map<string, string[]>();
      for (const i of due) byOrg.set(i.org_id, [...(byOrg.get(i.org_id) ?? []), i.id]);
      for (const [orgId, ids] of byOrg) {
        for (let k = 0; k < ids.length; k += 250) {
          try {
            await queueInvitationMessages(tools.ctxFor(orgId), ids.slice(k, k + 250), 'invitation');
          } catch (error) {
            tools.deps.log.error({ err: error, orgId }, 'could not queue invitation messages');
          }
        }
      }
      if (due.length < 500) break;
    }
  }
}

function smsReady(sms: unknown): boolean {
  const s = (typeof sms === 'string' ? JSON.parse(sms) : sms) as { provider?: string; url?: string } | null;
  return !!s && (s.provider === 'test' || (s.provider === 'http' && !!s.url));
}

/** Puts a message back in the queue, due now, with a fresh job. */
async function releaseMessage(ctx: Ctx, id: string, now: Date): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ status: 'queued', sendAfter: now, lastError: null })
      .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, id)));
    await requeue(tx as unknown as Db, {
      orgId: ctx.orgId,
      kind: SEND_JOB,
      key: id,
      payload: { messageId: id },
      runAt: now,
      maxAttempts: 6,
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// The outbox as the dashboard and the API see it.

export const outboxQuery = pageQuery.extend({
  status: z.enum(tables.messageStatuses).optional(),
  channel: z.enum(['email', 'sms']).optional(),
});

export interface OutboxItem {
  id: string;
  kind: string;
  channel: 'email' | 'sms';
  status: Message['status'];
  to: string;
  subject: string | null;
  invitationId: string | null;
  customerId: string | null;
  locale: 'ru' | 'en';
  attempts: number;
  lastError: string | null;
  sendAfter: string;
  createdAt: string;
  sentAt: string | null;
  smsParts: number | null;
}

function itemOf(ctx: Ctx, m: Message): OutboxItem {
  const address = ctx.vault.decrypt(m.toEnc);
  return {
    id: m.id,
    kind: m.kind,
    channel: m.channel,
    status: m.status,
    to: seesPersonalData(ctx) ? address : maskAddress(m.channel, address),
    subject: m.subject && !seesPersonalData(ctx) ? maskPii(m.subject) : m.subject,
    invitationId: m.invitationId,
    customerId: m.customerId,
    locale: m.locale,
    attempts: m.attempts,
    lastError: m.lastError && !seesPersonalData(ctx) ? maskPii(m.lastError) : m.lastError,
    sendAfter: m.sendAfter.toISOString(),
    createdAt: m.createdAt.toISOString(),
    sentAt: m.sentAt?.toISOString() ?? null,
    smsParts: m.channel === 'sms' && m.bodyText ? smsLength(m.bodyText).parts : null,
  };
}

const readers = ['owner', 'admin', 'manager', 'analyst'] as const;

/** Managers see the messages of invitations to their units' subtree; others of their role see all. */
async function visibilityFilter(ctx: Ctx) {
  const visible = await visibleUnitIds(ctx);
  if (visible === null) return undefined;
  if (visible.size === 0) return sql`false`;
  return sql`exists (select 1 from invitations i where i.org_id = ${messages.orgId} and i.id = ${messages.invitationId}
    and i.unit_id in (${sql.join(
      [...visible].map((id) => sql`${id}::uuid`),
      sql`, `,
    )}))`;
}

export async function listOutbox(ctx: Ctx, query: z.input<typeof outboxQuery>) {
  requireRole(ctx, ...readers);
  const q = outboxQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.orgId, ctx.orgId),
        q.status ? eq(messages.status, q.status) : undefined,
        q.channel ? eq(messages.channel, q.channel) : undefined,
        await visibilityFilter(ctx),
        cursor
          ? or(
              lt(messages.createdAt, new Date(cursor.at)),
              and(eq(messages.createdAt, new Date(cursor.at)), lt(messages.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  const counts = rowsOf<{ status: string; n: number }>(
    await ctx.db.execute(
      sql`select status, count(*)::int as n from messages where org_id = ${ctx.orgId} and ${
        (await visibilityFilter(ctx)) ?? sql`true`
      } group by status`,
    ),
  );
  return {
    items: page.items.map((m) => itemOf(ctx, m)),
    nextCursor: page.nextCursor,
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])) as Record<string, number>,
  };
}

async function findMessage(ctx: Ctx, id: string): Promise<Message> {
  const [row] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, id), await visibilityFilter(ctx)));
  if (!row) throw notFound('Message');
  return row;
}

export async function getOutboxMessage(ctx: Ctx, id: string) {
  requireRole(ctx, ...readers);
  const m = await findMessage(ctx, id);
  const item = itemOf(ctx, m);
  // The rendered content greets the customer by name, quotes their reason and holds their personal survey link:
  // analysts (pseudonymised access) see what was sent to whom and when, not the content.
  if (!seesPersonalData(ctx)) return { ...item, bodyText: '', bodyHtml: null };
  return { ...item, bodyText: m.bodyText ?? '', bodyHtml: m.bodyHtml };
}

/** Sends a failed, uncertain or held message again (a human decided to). */
export async function retryMessage(ctx: Ctx, id: string) {
  requireRole(ctx, ...canWrite);
  const m = await findMessage(ctx, id);
  if (!['failed', 'uncertain', 'held', 'bounced'].includes(m.status))
    throw new AppError('conflict', `A ${m.status} message cannot be retried`);
  if (!m.bodyText)
    throw new AppError('conflict', 'This message was never rendered (see its error): nothing to send');
  await releaseMessage(ctx, m.id, ctx.clock());
  return getOutboxMessage(ctx, id);
}

// ---------------------------------------------------------------------------------------------------------
// Settings.

const hhmm = z.string().refine(isHhMm, 'A time as HH:MM, e.g. 21:00');
export const deliverySettingsInput = z.object({
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable().optional(),
  email: z
    .object({
      from: z
        .email()
        .max(254)
        .optional()
        .or(z.literal('').transform(() => undefined)),
      replyTo: z
        .email()
        .max(254)
        .optional()
        .or(z.literal('').transform(() => undefined)),
    })
    .optional(),
  sms: z
    .discriminatedUnion('provider', [
      z.object({ provider: z.literal('none') }),
      z.object({ provider: z.literal('test'), sender: z.string().trim().max(11).optional() }),
      z.object({
        provider: z.literal('http'),
        sender: z.string().trim().max(11).optional(),
        url: z
          .url()
          .max(2000)
          .refine((u) => /^https?:\/\//.test(u.replace(/\{(to|text|sender)\}/g, 'x')), 'An http(s) URL'),
        method: z.enum(['GET', 'POST']).default('POST'),
        bodyTemplate: z.string().max(4000).optional(),
        /** Header values (tokens); omitted = keep the stored ones. Stored encrypted. */
        headers: z.record(z.string().max(100), z.string().max(2000)).optional(),
      }),
    ])
    .optional(),
});

export async function getDeliverySettings(ctx: Ctx, smtpConfigured: boolean) {
  requireRole(ctx, ...canWrite);
  const [org] = await ctx.db.select().from(orgs).where(eq(orgs.id, ctx.orgId));
  if (!org) throw notFound('Organisation');
  const s = org.settings;
  const headerNames = s.sms?.headersEnc ? Object.keys(JSON.parse(ctx.vault.decrypt(s.sms.headersEnc))) : [];
  return {
    quietHours: quietHoursOf(s),
    email: { from: s.email?.from ?? '', replyTo: s.email?.replyTo ?? '' },
    sms: s.sms
      ? {
          provider: s.sms.provider,
          sender: s.sms.sender ?? '',
          url: s.sms.url ?? '',
          method: s.sms.method ?? 'POST',
          bodyTemplate: s.sms.bodyTemplate ?? '',
          headerNames,
        }
      : {
          provider: 'none' as const,
          sender: '',
          url: '',
          method: 'POST' as const,
          bodyTemplate: '',
          headerNames,
        },
    smtpConfigured,
    timeZone: org.timeZone,
  };
}

export async function putDeliverySettings(
  ctx: Ctx,
  input: z.input<typeof deliverySettingsInput>,
  smtpConfigured: boolean,
) {
  requireRole(ctx, ...canWrite);
  const i = deliverySettingsInput.parse(input);
  await ctx.db.transaction(async (tx) => {
    const [org] = await tx.select().from(orgs).where(eq(orgs.id, ctx.orgId)).for('update');
    if (!org) throw notFound('Organisation');
    const settings = { ...org.settings };
    if (i.quietHours !== undefined) {
      if (i.quietHours === null) settings.quietHours = { start: '00:00', end: '00:00' };
      else settings.quietHours = i.quietHours;
    }
    if (i.email) settings.email = { from: i.email.from, replyTo: i.email.replyTo };
    if (i.sms) {
      if (i.sms.provider === 'none') delete settings.sms;
      else if (i.sms.provider === 'test') settings.sms = { provider: 'test', sender: i.sms.sender };
      else {
        const headersEnc =
          i.sms.headers !== undefined
            ? Object.keys(i.sms.headers).length
              ? ctx.vault.encrypt(JSON.stringify(i.sms.headers))
              : undefined
            : settings.sms?.headersEnc;
        settings.sms = {
          provider: 'http',
          sender: i.sms.sender,
          url: i.sms.url,
          method: i.sms.method,
          bodyTemplate: i.sms.bodyTemplate,
          headersEnc,
        };
      }
    }
    await tx.update(orgs).set({ settings }).where(eq(orgs.id, ctx.orgId));
  });
  return getDeliverySettings(ctx, smtpConfigured);
}

// ---------------------------------------------------------------------------------------------------------
// Suppressions and provider events.

export const suppressionInput = z.object({
  channel: z.enum(['email', 'sms']),
  address: z.string().trim().min(3).max(254),
  reason: z.enum(tables.suppressionReasons).default('unsubscribed'),
});
export const suppressionListQuery = pageQuery.extend({ channel: z.enum(['email', 'sms']).optional() });

export async function listSuppressions(ctx: Ctx, query: z.input<typeof suppressionListQuery>) {
  requireRole(ctx, ...canWrite);
  const q = suppressionListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(suppressions)
    .where(
      and(
        eq(suppressions.orgId, ctx.orgId),
        q.channel ? eq(suppressions.channel, q.channel) : undefined,
        cursor
          ? or(
              lt(suppressions.createdAt, new Date(cursor.at)),
              and(eq(suppressions.createdAt, new Date(cursor.at)), lt(suppressions.addressBidx, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(suppressions.createdAt), desc(suppressions.addressBidx))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.addressBidx]);
  return {
    items: page.items.map((r) => ({
      id: r.addressBidx,
      channel: r.channel,
      reason: r.reason,
      detail: r.detail,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}

export async function addSuppression(ctx: Ctx, input: z.input<typeof suppressionInput>) {
  requireRole(ctx, ...canWrite);
  const i = suppressionInput.parse(input);
  const address = normaliseAddress(i.channel, i.address);
  if (!address)
    throw new AppError('invalid_input', 'The address is not valid', {
      errors: [
        { path: 'address', message: i.channel === 'email' ? 'Not an e-mail address' : 'Not a phone number' },
      ],
    });
  const id = ctx.vault.blindIndex(bidxKind(i.channel), address);
  await suppress(
    ctx.db,
    ctx.orgId,
    i.channel,
    id,
    i.reason,
    maskAddress(i.channel, address),
    ctx.clock(),
    ctx.vault.encrypt(address),
  );
  return { id, channel: i.channel, reason: i.reason };
}

export async function removeSuppression(ctx: Ctx, channel: 'email' | 'sms', id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  const deleted = await ctx.db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.orgId, ctx.orgId),
        eq(suppressions.channel, channel),
        eq(suppressions.addressBidx, id),
      ),
    )
    .returning({ id: suppressions.addressBidx });
  if (deleted.length === 0) throw notFound('Suppression');
}

export const deliveryEventInput = z
  .object({
    type: z.enum(['bounce', 'complaint']),
    /** The bounced address, or… */
    email: z.email().max(254).optional(),
    /** …the Message-ID of the mail (`<id@host>`) or the outbox message id. */
    messageId: z.string().max(300).optional(),
    /** A soft bounce (mailbox full) is only noted; a permanent one suppresses. Default: permanent. */
    permanent: z.boolean().default(true),
    detail: z.string().max(500).optional(),
  })
  .refine((e) => e.email || e.messageId, { message: 'Give email or messageId', path: ['email'] });

/** A bounce or complaint reported by the mail provider: the address gets no more mail. */
export async function recordDeliveryEvent(ctx: Ctx, input: z.input<typeof deliveryEventInput>) {
  requireRole(ctx, ...canWrite);
  const e = deliveryEventInput.parse(input);
  let bidx: string | null = null;
  let message: Message | undefined;
  if (e.messageId) {
    const bare = e.messageId.replace(/^<|>$/g, '');
    const local = bare.split('@')[0] ?? '';
    const uuid = /^[0-9a-f-]{36}$/i.test(local) ? local : null;
    [message] = await ctx.db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.orgId, ctx.orgId),
          or(
            eq(messages.providerId, e.messageId),
            eq(messages.providerId, `<${bare}>`),
            uuid ? eq(messages.id, uuid) : undefined,
          ),
        ),
      );
    if (!message) throw notFound('Message');
    bidx = message.toBidx;
  } else if (e.email) {
    bidx = ctx.vault.blindIndex('email', e.email);
  }
  if (!bidx) throw notFound('Message');
  const now = ctx.clock();
  if (message) {
    await ctx.db
      .update(messages)
      .set({ status: 'bounced', lastError: e.detail ?? e.type })
      .where(and(eq(messages.orgId, ctx.orgId), eq(messages.id, message.id), eq(messages.status, 'sent')));
  }
  if (e.type === 'bounce' && !e.permanent) return { suppressed: false };
  await suppress(
    ctx.db,
    ctx.orgId,
    'email',
    bidx,
    e.type === 'complaint' ? 'complaint' : 'hard_bounce',
    e.detail ?? (e.email ? maskAddress('email', e.email.toLowerCase()) : null),
    now,
    message ? message.toEnc : e.email ? ctx.vault.encrypt(e.email) : null,
  );
  return { suppressed: true };
}

// ---------------------------------------------------------------------------------------------------------
// Unsubscribing (the public /u/{token} page and RFC 8058 one-click).

/**
 * Unsubscribes the person behind an invitation link: their address gets no more mail (or SMS) from the org;
 * with `everything`, the customer is opted out of all surveys. Returns null for an unknown link.
 */
export async function unsubscribeByToken(
  db: Db,
  token: string,
  options: { everything: boolean; now: Date },
): Promise<{ locale: 'ru' | 'en'; orgName: string } | null> {
  const opened = await openInvitation(db, token);
  if (!opened) return null;
  const { invitation, org } = opened;
  const sent = await db
    .select({ channel: messages.channel, toBidx: messages.toBidx, toEnc: messages.toEnc })
    .from(messages)
    .where(and(eq(messages.orgId, invitation.orgId), eq(messages.invitationId, invitation.id)));
  const targets = new Map<string, { channel: 'email' | 'sms'; toBidx: string; toEnc: string | null }>(
    sent.filter((m) => m.toBidx).map((m) => [`${m.channel}|${m.toBidx}`, m]),
  );
  if (targets.size === 0 && invitation.customerId) {
    const [c] = await db
      .select({ emailBidx: customers.emailBidx, emailEnc: customers.emailEnc })
      .from(customers)
      .where(and(eq(customers.orgId, invitation.orgId), eq(customers.id, invitation.customerId)));
    if (c?.emailBidx)
      targets.set(`email|${c.emailBidx}`, { channel: 'email', toBidx: c.emailBidx, toEnc: c.emailEnc });
  }
  for (const t of targets.values())
    await suppress(
      db,
      invitation.orgId,
      t.channel,
      t.toBidx,
      'unsubscribed',
      'via the link in a message',
      options.now,
      t.toEnc,
    );
  if (options.everything && invitation.customerId) {
    await db
      .update(customers)
      .set({ optedOutAt: options.now })
      .where(
        and(
          eq(customers.orgId, invitation.orgId),
          eq(customers.id, invitation.customerId),
          isNull(customers.optedOutAt),
        ),
      );
  }
  return { locale: invitation.locale, orgName: org.name };
}

/** Whether a message for this invitation and kind exists already (for callers that want to know). */
export async function messageFor(
  ctx: Ctx,
  invitationId: string,
  kind: MessageKind,
): Promise<OutboxItem | null> {
  const [m] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.orgId, ctx.orgId), eq(messages.dedupeKey, `${kind}:${invitationId}`)));
  return m ? itemOf(ctx, m) : null;
}
