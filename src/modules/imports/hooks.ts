/**
 * @module The inbound contacts webhook: an accounting system pushes each visit as it happens, signed the Standard
 * Webhooks way (https://www.standardwebhooks.com/): HMAC-SHA256 over `id.timestamp.body` with a per-org secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { AppError, type Ctx, canWrite, type FieldError, requireRole } from '../kernel/index.js';
import { type Cell, hasErrors, type ImportField, readRow } from './fields.js';
import { applyBatch, loadDirectory } from './store.js';

const { orgs, hookReceipts } = tables;

/** Signatures older (or newer) than this are refused, so a captured request cannot be replayed later. */
export const HOOK_TOLERANCE_SECONDS = 5 * 60;

/** Creates or replaces the org's webhook secret; it is shown once and kept encrypted. */
export async function rotateHookSecret(ctx: Ctx): Promise<{ secret: string }> {
  requireRole(ctx, ...canWrite);
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const enc = ctx.vault.encrypt(secret);
  await ctx.db
    .update(orgs)
    .set({ settings: sql`${orgs.settings} || jsonb_build_object('hookSecretEnc', ${enc}::text)` })
    .where(eq(orgs.id, ctx.orgId));
  return { secret };
}

/** `v1,<base64>` of HMAC-SHA256(key, `${id}.${timestamp}.${body}`), the key being the secret's base64 part. */
export function signHook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const unauthorized = (why: string) => new AppError('unauthorized', `Webhook refused: ${why}`);

/** Checks the signature headers against the org's secret; throws 401 with the reason. */
export async function verifyHook(
  ctx: Ctx,
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string,
): Promise<void> {
  if (!headers.id || !headers.timestamp || !headers.signature)
    throw unauthorized('send webhook-id, webhook-timestamp and webhook-signature headers');
  if (headers.id.length > 200) throw unauthorized('webhook-id is longer than 200 characters');
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts)) throw unauthorized('webhook-timestamp is not a Unix time in seconds');
  if (Math.abs(ctx.clock().getTime() / 1000 - ts) > HOOK_TOLERANCE_SECONDS)
    throw unauthorized('the timestamp is more than 5 minutes away from now');
  const [org] = await ctx.db.select({ settings: orgs.settings }).from(orgs).where(eq(orgs.id, ctx.orgId));
  const sealed = org?.settings.hookSecretEnc;
  // An unknown organisation and a bad signature look the same from outside.
  if (!sealed) throw unauthorized('the signature does not match');
  const expected = Buffer.from(signHook(ctx.vault.decrypt(sealed), headers.id, ts, body).slice(3), 'base64');
  const ok = headers.signature.split(' ').some((s) => {
    const [version, value] = s.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!ok) throw unauthorized('the signature does not match');
}

/**
 * Claims a delivery by its webhook-id (Standard Webhooks: "use the id as an idempotency key"), so a captured,
 * correctly signed request replayed inside the 5-minute window is refused with 409 and changes nothing. Receipts
 * older than twice the window can never match a valid timestamp again and are pruned here.
 */
export async function claimDelivery(ctx: Ctx, webhookId: string): Promise<void> {
  const now = ctx.clock();
  await ctx.db
    .delete(hookReceipts)
    .where(
      and(
        eq(hookReceipts.orgId, ctx.orgId),
        lt(hookReceipts.receivedAt, new Date(now.getTime() - 2 * HOOK_TOLERANCE_SECONDS * 1000)),
      ),
    );
  const claimed = await ctx.db
    .insert(hookReceipts)
    .values({ orgId: ctx.orgId, webhookId, receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: hookReceipts.webhookId });
  if (claimed.length === 0)
    throw new AppError('conflict', 'Webhook refused: this webhook-id was already received (a replay)');
}

/** Gives a claim back when the delivery was not taken, so the sender's retry is not mistaken for a replay. */
export async function releaseDelivery(ctx: Ctx, webhookId: string): Promise<void> {
  await ctx.db
    .delete(hookReceipts)
    .where(and(eq(hookReceipts.orgId, ctx.orgId), eq(hookReceipts.webhookId, webhookId)));
}

export const hookContact = z.object({
  externalId: z.string().trim().min(1).max(200).nullish(),
  occurredAt: z.iso.datetime({ offset: true }),
  customerExternalId: z.string().trim().min(1).max(200).nullish(),
  customerName: z.string().max(200).nullish(),
  customerPhone: z.string().max(40).nullish(),
  customerEmail: z.string().max(254).nullish(),
  unitExternalId: z.string().trim().min(1).max(200).nullish(),
  unitName: z.string().trim().min(1).max(200).nullish(),
  employeeName: z.string().max(200).nullish(),
  service: z.string().max(200).nullish(),
  amountMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .nullish(),
});
export const hookBody = z.union([hookContact, z.object({ items: z.array(hookContact).min(1).max(1000) })]);

const order: ImportField[] = [
  'externalId',
  'occurredAt',
  'customerExternalId',
  'customerName',
  'phone',
  'email',
  'unitExternalId',
  'unit',
  'employee',
  'service',
  'currency',
];
const columns = Object.fromEntries(order.map((f, i) => [f, i])) as Partial<Record<ImportField, number>>;

/**
 * Records the pushed contacts through the import path (same checks, same idempotent keys), so a replayed
 * delivery changes nothing. Units and employees must exist; a contact naming unknown ones is rejected.
 */
export async function receiveContacts(ctx: Ctx, input: unknown) {
  const parsed = hookBody.safeParse(input);
  if (!parsed.success) {
    throw new AppError('invalid_input', 'Invalid webhook body', {
      errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
    });
  }
  const items = 'items' in parsed.data ? parsed.data.items : [parsed.data];
  const [org] = await ctx.db
    .select({ timeZone: orgs.timeZone, currency: orgs.currency })
    .from(orgs)
    .where(eq(orgs.id, ctx.orgId));
  const records = items.map((c, index) => {
    const cells: Cell[] = [
      c.externalId ?? null,
      c.occurredAt,
      c.customerExternalId ?? null,
      c.customerName ?? null,
      c.customerPhone ?? null,
      c.customerEmail ?? null,
      c.unitExternalId ?? null,
      c.unitName ?? null,
      c.employeeName ?? null,
      c.service ?? null,
      c.currency ?? null,
    ];
    const r = readRow(index, cells, {
      kind: 'contacts',
      columns,
      timeZone: org?.timeZone ?? 'UTC',
      currency: org?.currency ?? 'RUB',
    });
    if (r.contact) r.contact.amountMinor = c.amountMinor ?? undefined;
    return r;
  });
  const dir = await loadDirectory(ctx);
  const result = await applyBatch(ctx, dir, records, {
    kind: 'contacts',
    importId: null,
    createUnits: false,
    createEmployees: false,
  });
  const rejected = records.filter(hasErrors).map((r) => ({
    index: r.line,
    errors: r.problems.filter((p) => p.level === 'error').map((p) => ({ path: p.field, message: p.message })),
  }));
  if (result.ok === 0) {
    const errors: FieldError[] = rejected.flatMap((r) =>
      r.errors.map((e) => ({
        path: items.length > 1 ? `items.${r.index}.${e.path}` : e.path,
        message: e.message,
      })),
    );
    throw new AppError('invalid_input', errors[0]?.message ?? 'No contact recorded', { errors });
  }
  const warnings = records
    .filter((r) => !hasErrors(r) && r.problems.length)
    .map((r) => ({
      index: r.line,
      problems: r.problems.map((p) => ({ path: p.field, message: p.message })),
    }));
  return { accepted: result.ok, created: result.created, updated: result.updated, rejected, warnings };
}
