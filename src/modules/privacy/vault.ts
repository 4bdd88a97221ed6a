// Encryption of personal fields at rest (AES-256-GCM) and blind indexes (HMAC-SHA-256) to find them unread.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export interface Vault {
  encrypt(plain: string): string;
  encrypt(plain: string | null | undefined): string | null;
  decrypt(sealed: string): string;
  decrypt(sealed: string | null | undefined): string | null;
  /** HMAC of the normalised value: equal inputs give equal indexes, and nothing can be read back. */
  blindIndex(kind: 'email' | 'phone' | 'name', value: string): string;
  /**
   * The value's blind index under every key of the keyring, the current key's first: while a key rotation runs,
   * a row not re-indexed yet still carries the old key's index, so look-ups match any of these.
   */
  blindIndexes(kind: 'email' | 'phone' | 'name', value: string): string[];
  /**
   * HMAC of the normalised value under the stable index key, which a rotation never changes: for what must stay
   * the same across rotations without being stored (the analysts' pseudonyms). See `Keyring.stableIndexKey`.
   */
  stableIndex(kind: 'email' | 'phone' | 'name', value: string): string;
  /** The id of the key that encrypts and indexes now (the keyring's first); the others only decrypt. */
  keyId(): string;
  /** Whether a ciphertext was sealed under the current key (a rotation re-encrypts those that are not). */
  isCurrent(sealed: string): boolean;
}

/** The first ciphertext format, from before key ids: `v1.<iv|tag|body>`, sealed by whichever key was the only one. */
const LEGACY = 'v1';
/** `v2.<key id>.<iv|tag|body>`: the key id says which key of the keyring opens it. */
const VERSION = 'v2';

interface Key {
  id: string;
  encKey: Buffer;
  idxKey: Buffer;
}

/**
 * The key file's contents: the keys (the current one first) and the stable index key. The stable index key is not
 * a secret to derive from but the blind-index key itself (32 bytes): the first `sarafan keys rotate` pins the index
 * key of the key it replaces there, so pseudonyms computed before the rotation stay what they were. It never opens
 * a ciphertext. Without it (no rotation yet) the stable index is the oldest key's index.
 */
export interface Keyring {
  keys: Buffer[];
  stableIndexKey?: Buffer | null;
}

/** The keys of a key file, carrying its stable index key along (not enumerable: the list compares as its keys). */
export type KeyList = Buffer[] & { readonly stableIndexKey?: Buffer | null };

/** The blind-index key of a secret (HKDF, as the vault derives it): what a rotation pins as the stable index key. */
export function indexKeyOf(secret: Buffer): Buffer {
  return deriveKey(secret).idxKey;
}

/** A key's public id: 8 base64url characters of an HMAC under the key itself (reveals nothing of the key). */
export function keyIdOf(secret: Buffer): string {
  return createHmac('sha256', secret).update('sarafan/key-id').digest('base64url').slice(0, 8);
}

function deriveKey(secret: Buffer): Key {
  if (secret.length < 32) throw new Error('The secret key must be at least 32 bytes');
  // Separate keys for separate purposes, derived with HKDF (RFC 5869) from the one secret.
  return {
    id: keyIdOf(secret),
    encKey: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/encrypt/v1', 32)),
    idxKey: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/blind-index/v1', 32)),
  };
}

function open(key: Key, payload: string): string {
  const raw = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key.encKey, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * Random bytes for the IVs, drawn 12 KB at a time: one call into OpenSSL per 1,024 IVs instead of one per value
 * (an import seals three fields of each new customer: 60,000 calls of `randomBytes(12)` were 0.4 s of CPU at
 * 200,000 rows, bench/import). Each IV is used once, straight away (the cipher and the output copy it), like the
 * pool Node keeps for `randomUUID`.
 */
const ivPool = Buffer.alloc(12 * 1024);
let ivAt = ivPool.length;
function freshIv(): Buffer {
  if (ivAt === ivPool.length) {
    randomFillSync(ivPool);
    ivAt = 0;
  }
  ivAt += 12;
  return ivPool.subarray(ivAt - 12, ivAt);
}

/**
 * A vault over a keyring: the first key encrypts and indexes, every key decrypts what it sealed (found by the key
 * id in the ciphertext). One key is the usual case; two while `sarafan keys rotate` runs.
 */
export function createVault(secrets: Buffer | Buffer[] | Keyring): Vault {
  const keyring: Keyring = Buffer.isBuffer(secrets)
    ? { keys: [secrets] }
    : Array.isArray(secrets)
      ? { keys: secrets, stableIndexKey: (secrets as KeyList).stableIndexKey }
      : secrets;
  const ring = keyring.keys.map(deriveKey);
  if (ring.length === 0) throw new Error('The keyring is empty');
  const current = ring[0]!;
  const stableKey = keyring.stableIndexKey ?? ring.at(-1)!.idxKey;
  if (stableKey.length < 32) throw new Error('The stable index key must be 32 bytes');
  const byId = new Map(ring.map((k) => [k.id, k]));

  function encrypt(plain: string | null | undefined): string | null {
    if (plain == null) return null;
    const iv = freshIv();
    const cipher = createCipheriv('aes-256-gcm', current.encKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${current.id}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  function decrypt(sealed: string | null | undefined): string | null {
    if (sealed == null) return null;
    const parts = sealed.split('.');
    if (parts[0] === VERSION && parts.length === 3) {
      const key = byId.get(parts[1]!);
      if (!key) throw new Error(`This value is sealed under key ${parts[1]}, which is not in the keyring`);
      return open(key, parts[2]!);
    }
    if (parts[0] === LEGACY && parts.length === 2 && parts[1]) {
      // Sealed before key ids: the authentication tag tells which key of the ring sealed it.
      let failure: unknown;
      for (const key of ring) {
        try {
          return open(key, parts[1]);
        } catch (error) {
          failure = error;
        }
      }
      throw failure;
    }
    throw new Error('Unknown ciphertext format');
  }

  const indexWith = (key: Pick<Key, 'idxKey'>, kind: 'email' | 'phone' | 'name', value: string) =>
    createHmac('sha256', key.idxKey)
      .update(`${kind}:${normalise(kind, value)}`)
      .digest('base64url');

  return {
    encrypt: encrypt as Vault['encrypt'],
    decrypt: decrypt as Vault['decrypt'],
    blindIndex: (kind, value) => indexWith(current, kind, value),
    blindIndexes: (kind, value) => ring.map((key) => indexWith(key, kind, value)),
    stableIndex: (kind, value) => indexWith({ idxKey: stableKey }, kind, value),
    keyId: () => current.id,
    isCurrent: (sealed) => sealed.startsWith(`${VERSION}.${current.id}.`),
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

/** Reads the secret key file, creating it (0600) with 32 random bytes on first start; returns its current key. */
export function loadOrCreateSecret(file: string): Buffer {
  return loadKeyring(file)[0]!;
}

/**
 * Reads the key file as a keyring: one base64 key per line, the current key first (`#` starts a comment). A file
 * of one line is the usual case; `sarafan keys rotate` writes two while it runs and one again when it is done,
 * plus a `stable <base64>` line (the stable index key, see `Keyring`). The file is created (0600) with one random
 * 32-byte key on first start.
 */
export function loadKeyring(file: string): KeyList {
  const { keys, stableIndexKey } = readKeyring(file);
  // Carried along unseen, so `createVault(loadKeyring(file))` keeps the file's pseudonyms.
  return Object.defineProperty(keys, 'stableIndexKey', { value: stableIndexKey, enumerable: false });
}

/** The line of the key file that holds the stable index key: `stable <base64>`. */
const STABLE = /^stable\s+(\S+)$/;

/** Reads the key file whole: its keys (as `loadKeyring`) and the stable index key, when a rotation pinned one. */
export function readKeyring(file: string): Keyring {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process made it first: read theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
  let stableIndexKey: Buffer | null = null;
  const keys: Buffer[] = [];
  for (const line of lines) {
    const stable = STABLE.exec(line);
    if (stable) stableIndexKey = Buffer.from(stable[1]!, 'base64');
    else keys.push(Buffer.from(line, 'base64'));
  }
  if (keys.length === 0) throw new Error(`The key file ${file} holds no key`);
  for (const key of keys) if (key.length < 32) throw new Error(`A key in ${file} is shorter than 32 bytes`);
  if (stableIndexKey && stableIndexKey.length < 32)
    throw new Error(`The stable index key in ${file} is shorter than 32 bytes`);
  return { keys, stableIndexKey };
}

/** Writes a keyring file atomically (a new file renamed over the old), readable by its owner only. */
export function writeKeyring(file: string, keys: Buffer[], stableIndexKey?: Buffer | null): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const lines = keys.map((k, i) => `${k.toString('base64')}${i === 0 ? '' : '  # previous key, read only'}`);
  if (stableIndexKey)
    lines.push(
      `stable ${stableIndexKey.toString('base64')}  # pseudonyms: kept by every rotation, opens nothing`,
    );
  writeFileSync(temporary, `${lines.join('\n')}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * The vault of a running server: the keyring file is read again when it changes (checked at most once a second),
 * so a rotation started by `sarafan keys rotate` is followed without a restart: new values are sealed under the
 * new key at once, and old ones still open.
 */
export function fileVault(file: string, now: () => number = Date.now): Vault {
  let vault = createVault(readKeyring(file));
  let seen = statSync(file).mtimeMs;
  let checked = now();
  const fresh = (): Vault => {
    const t = now();
    if (t - checked < 1000) return vault;
    checked = t;
    try {
      const mtime = statSync(file).mtimeMs;
      if (mtime !== seen) {
        vault = createVault(readKeyring(file));
        seen = mtime;
      }
    } catch {
      // The file is being replaced this instant: keep the keyring we have.
    }
    return vault;
  };
  return {
    encrypt: ((plain: string | null | undefined) => fresh().encrypt(plain)) as Vault['encrypt'],
    decrypt: ((sealed: string | null | undefined) => fresh().decrypt(sealed)) as Vault['decrypt'],
    blindIndex: (kind, value) => fresh().blindIndex(kind, value),
    blindIndexes: (kind, value) => fresh().blindIndexes(kind, value),
    stableIndex: (kind, value) => fresh().stableIndex(kind, value),
    keyId: () => fresh().keyId(),
    isCurrent: (sealed) => fresh().isCurrent(sealed),
  };
}
