// Encryption of personal fields at rest (AES-256-GCM) and blind indexes (HMAC-SHA-256) to find them unread.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export interface Vault {
  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  decrypt(sealed: string): string;
  decrypt(sealed: string | null | undefined): string | null;
  /** HMAC of the normalised value: equal inputs give equal indexes, and nothing can be read back. */
  blindIndex(kind: 'email' | 'phone' | 'name', value: string): string;
}

const VERSION = 'v1';

export function createVault(secret: Buffer): Vault {
  if (secret.length < 32) throw new Error('The secret key must be at least 32 bytes');
  // Separate keys for separate purposes, derived with HKDF (RFC 5869) from the one secret.
  const encKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/encrypt/v1', 32));
  const idxKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/blind-index/v1', 32));

  function encrypt(plain: string | null | undefined): string | null {
    if (plain == null) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  function decrypt(sealed: string | null | undefined): string | null {
    if (sealed == null) return null;
    const [version, payload] = sealed.split('.');
    if (version !== VERSION || !payload) throw new Error('Unknown ciphertext format');
    const raw = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  return {
    encrypt: encrypt as Vault['encrypt'],
    decrypt: decrypt as Vault['decrypt'],
    blindIndex: (kind, value) =>
      createHmac('sha256', idxKey)
        .update(`${kind}:${normalise(kind, value)}`)
        .digest('base64url'),
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * A phone number in E.164 (ITU-T E.164, read by libphonenumber; Russian numbers by default), so that
 * '8 (916) 123-45-67', '9161234567', '79161234567' and '+7 916 123-45-67' are all '+79161234567'; an extension
 * ('доб. 12') is dropped. What cannot be a number of any length allowed for its country ('123', a note typed
 * into the field) keeps only its digits, so it still equals itself however it is spaced, and never equals a
 * real number's E.164 form, which starts with '+'.
 *
 * Only whether the length is possible is checked, not whether the range is assigned: validity depends on the
 * metadata of the library's version, and a blind index must not change when the library is updated.
 */
export function normalisePhone(phone: string, defaultCountry: CountryCode = 'RU'): string {
  const parsed = parsePhoneNumberFromString(phone, defaultCountry);
  if (parsed?.isPossible()) return parsed.number;
  return phone.replace(/\D/g, '');
}

function normalise(kind: 'email' | 'phone' | 'name', value: string): string {
  if (kind === 'email') return normaliseEmail(value);
  // Without the '+': the index before E.164 was the digits with a leading 8 read as 7, so every number
  // written with its country code or the Russian 8 keeps the index it had (stored customers, suppressions and
  // their ids); only bare national numbers ('9161234567') move, to where they always belonged.
  if (kind === 'phone') return normalisePhone(value).replace(/^\+/, '');
  return value.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Reads the secret key file, creating it (0600) with 32 random bytes on first start. */
export function loadOrCreateSecret(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new Error(`The secret key in ${file} is shorter than 32 bytes`);
  return secret;
}
