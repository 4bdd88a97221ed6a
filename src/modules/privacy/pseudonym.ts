// Stable pseudonyms for the analyst role: a customer is "C-7F3K2Q9M" in every answer, export and report, the same
// each time, and cannot be traced back to the customer without the secret key (HMAC-SHA-256, RFC 2104).
import { createHmac } from 'node:crypto';
import { maskPii } from '../../domain/pii-mask.js';
import { type Ctx, seesPersonalData } from '../kernel/context.js';
import type { Vault } from './vault.js';

export type PseudonymKind = 'customer' | 'employee' | 'user';

const PREFIX: Record<PseudonymKind, string> = { customer: 'C', employee: 'E', user: 'U' };

/** Crockford's base32 alphabet: no I, L, O or U, so a pseudonym read aloud or retyped is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The pseudonym key: a PRF output of the vault's blind-index key (itself HKDF of SECRET_KEY_FILE) on a fixed label,
 * so it lives only in memory, is never stored, and changes when the secret does (re-pseudonymisation on rotation).
 */
const keys = new WeakMap<Vault, Buffer>();
function keyOf(vault: Vault): Buffer {
  let key = keys.get(vault);
  if (!key) {
    key = Buffer.from(vault.blindIndex('name', 'sarafan pseudonym key v1'), 'base64url');
    keys.set(vault, key);
  }
  return key;
}

/**
 * The stable pseudonym of a person: a prefix for the kind (C customer, E employee, U user), then 8 base32
 * characters (40 bits) of HMAC-SHA-256 over the organisation and the person's id. With 40 bits, an organisation of
 * a million customers expects fewer than one collision (n² / 2⁴¹ ≈ 0.45).
 */
export function pseudonymOf(vault: Vault, kind: PseudonymKind, orgId: string, id: string): string {
  const mac = createHmac('sha256', keyOf(vault)).update(`${kind}:${orgId}:${id}`).digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(mac[i]!);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `${PREFIX[kind]}-${out}`;
}

/** The customer's pseudonym in the actor's organisation. */
export function customerPseudonym(ctx: Pick<Ctx, 'vault' | 'orgId'>, customerId: string): string {
  return pseudonymOf(ctx.vault, 'customer', ctx.orgId, customerId);
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
