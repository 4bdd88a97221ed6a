// Pseudonyms for analysts: a stable code per customer or employee, and reasons with contact details masked.
//
// A pseudonym is a keyed hash (HMAC-SHA-256 through the vault's stable index key, RFC 2104) of the person's id: the
// same person has the same code in every report and every workbook, and after a key rotation too (the stable index
// key is kept), so an analyst can follow one customer across sheets, yet nobody without the server's secret key can
// go from the code back to the id, let alone the person.
import type { Vault } from '../privacy/index.js';

/** Crockford's base32 (no I, L, O, U): codes read aloud or typed without confusion. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `C-` + 10 base32 characters (50 bits): among a million customers the chance that two share a code is about
 * n²/2⁵¹ ≈ 0.04%.
 */
export function pseudonymOf(vault: Vault, kind: 'customer' | 'employee', id: string): string {
  const digest = Buffer.from(vault.stableIndex('name', `pseudonym:${kind}:${id}`), 'base64url');
  let bits = 0n;
  for (const byte of digest.subarray(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 10; i++) code += ALPHABET[Number((bits >> BigInt(51 - 5 * (i + 1))) & 31n)];
  return `${kind === 'customer' ? 'C' : 'E'}-${code}`;
}

const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]{2,}/gu;
/** 13–19 digits, spaced or dashed in groups: a payment card's number (ISO/IEC 7812). */
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/gu;
/** Seven or more digits with the usual phone punctuation between them, an optional + before. */
const PHONE = /(?<![\w+])\+?\d(?:[\s\-().]{0,2}\d){6,14}(?!\d)/gu;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface MaskLabels {
  email: string;
  phone: string;
  card: string;
}

/**
 * A reason an analyst may read: e-mail addresses, card-like numbers and phone numbers replaced by a label, and the
 * given names (the customer's own, the staff's) by their pseudonym. Names are matched whole, case-insensitively,
 * at word boundaries (Unicode-aware, so Cyrillic names work).
 */
export function maskReason(
  text: string,
  labels: MaskLabels,
  names: readonly { name: string; replacement: string }[] = [],
): string {
  let out = text
    .replace(EMAIL, `[${labels.email}]`)
    .replace(CARD, `[${labels.card}]`)
    .replace(PHONE, `[${labels.phone}]`);
  const usable = names
    .map((n) => ({ ...n, name: n.name.trim() }))
    .filter((n) => n.name.length >= 3)
    .sort((a, b) => b.name.length - a.name.length);
  for (const n of usable) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(n.name)}(?![\\p{L}\\p{N}])`, 'giu');
    out = out.replace(pattern, n.replacement);
  }
  return out;
}

/** A full name and each of its words of 3+ letters, for masking (Иван Петров → «Иван Петров», «Иван», «Петров»). */
export function namePartsOf(name: string | null): string[] {
  if (!name) return [];
  const whole = name.replace(/\s+/g, ' ').trim();
  const words = whole.split(/[\s,.]+/u).filter((w) => w.length >= 3);
  return [...new Set([whole, ...words])];
}
