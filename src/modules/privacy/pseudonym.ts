// Stable pseudonyms for the analyst role: a customer is "C-7F3K2Q9M4X" in every answer, export and report, the same
// each time, and cannot be traced back to the customer without the secret key (HMAC-SHA-256, RFC 2104).
import { and, eq, inArray } from 'drizzle-orm';
import { tables } from '../../db/index.js';
import { maskName, maskNameForms, maskPii, nameFormsOf } from '../../domain/pii-mask.js';
import { type Ctx, seesPersonalData } from '../kernel/context.js';
import type { Vault } from './vault.js';

export type PseudonymKind = 'customer' | 'employee' | 'user';

const PREFIX: Record<PseudonymKind, string> = { customer: 'C', employee: 'E', user: 'U' };

/** Crockford's base32 alphabet: no I, L, O or U, so a pseudonym read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The stable pseudonym of a person: a prefix for the kind (C customer, E employee, U user), then 10 base32
 * characters (50 bits) of HMAC-SHA-256 under the vault's stable index key (in SECRET_KEY_FILE, never stored in the
 * database) over the kind and the person's id. Ids are unique across organisations, so codes are too; among a
 * million customers the chance that two share a code is about n²/2⁵¹ ≈ 0.04%. `sarafan keys rotate` keeps the stable
 * index key, so a code stays the same across rotations: an analyst's notes and earlier exports keep naming the same
 * person. The reports' workbooks compute the same code (test/pseudonymisation.test.ts).
 */
export function pseudonymOf(vault: Vault, kind: PseudonymKind, id: string): string {
  const digest = Buffer.from(vault.stableIndex('name', `pseudonym:${kind}:${id}`), 'base64url');
  let bits = 0n;
  for (const byte of digest.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[Number((bits >> BigInt(51 - 5 * (i + 1))) & 31n)];
  return `${PREFIX[kind]}-${code}`;
}

/** The customer's pseudonym. */
export function customerPseudonym(ctx: Pick<Ctx, 'vault'>, customerId: string): string {
  return pseudonymOf(ctx.vault, 'customer', customerId);
}

/**
 * How one actor sees a customer: the real name for those who may read personal data, the pseudonym for the
 * analyst (never null, so every view and export names the same person the same way).
 */
export function customerLabel(ctx: Ctx, customerId: string | null, realName: string | null): string | null {
  if (seesPersonalData(ctx)) return realName;
  return customerId == null ? null : customerPseudonym(ctx, customerId);
}

/** Free text (a reason, a note) as the actor may read it: e-mails, phones and card numbers masked for analysts. */
export function textFor(ctx: Ctx, text: string): string;
export function textFor(ctx: Ctx, text: string | null | undefined): string | null;
export function textFor(ctx: Ctx, text: string | null | undefined): string | null {
  if (text == null) return null;
  return seesPersonalData(ctx) ? text : maskPii(text);
}

/** A reason as the actor may read it, given the customer who wrote it (see reasonMasker). */
export type ReasonMasker = (text: string | null, customerId: string | null | undefined) => string | null;

/**
 * For one page of answers: reasons as the actor may read them. Those who see personal data read them as written;
 * an analyst reads them with e-mails, phones and card numbers masked, the author's own name (whole, any word of it,
 * in any case form: "Ивану" for "Иван") replaced by the author's pseudonym, and the organisation's employees' names
 * ("спасибо Ирине") by theirs. The names of the page's customers are read in one query, the employees' in another.
 */
export async function reasonMasker(
  ctx: Ctx,
  customerIds: Iterable<string | null | undefined>,
): Promise<ReasonMasker> {
  if (seesPersonalData(ctx)) return (text) => text;
  const ids = [...new Set([...customerIds].filter((id): id is string => !!id))];
  const names = new Map<string, string | null>();
  const { customers, employees } = tables;
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await ctx.db
      .select({ id: customers.id, nameEnc: customers.nameEnc })
      .from(customers)
      .where(and(eq(customers.orgId, ctx.orgId), inArray(customers.id, ids.slice(i, i + 1000))));
    for (const r of rows) names.set(r.id, ctx.vault.decrypt(r.nameEnc));
  }
  const staff = await ctx.db
    .select({ id: employees.id, nameEnc: employees.nameEnc })
    .from(employees)
    .where(eq(employees.orgId, ctx.orgId));
  const staffForms = nameFormsOf(
    staff.flatMap((e) => {
      const name = ctx.vault.decrypt(e.nameEnc);
      return name ? [[name, pseudonymOf(ctx.vault, 'employee', e.id)] as const] : [];
    }),
  );
  return (text, customerId) => {
    if (text == null) return null;
    const masked = maskPii(text);
    const own = customerId
      ? maskName(masked, names.get(customerId), customerPseudonym(ctx, customerId))
      : masked;
    return maskNameForms(own, staffForms);
  };
}
