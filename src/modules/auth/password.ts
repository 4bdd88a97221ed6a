// Password hashing with argon2id (RFC 9106), the memory-hard function OWASP names first; older scrypt hashes still
// verify and are replaced by argon2id at the user's next successful log-in (`needsRehash`).
import { type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** What a new password must be: long enough to resist guessing (NIST SP 800-63B §5.1.1: at least 8; we ask 10). */
export const passwordRule = z.string().min(10, 'At least 10 characters').max(200);

/**
 * argon2id with m = 19 MiB, t = 2, p = 1: the first of OWASP's equivalent configurations (Password Storage Cheat
 * Sheet, 2025), ~25 ms on this machine. Stored in the PHC string form `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`,
 * so the parameters travel with each hash and can be raised later.
 */
export const argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** `Algorithm.Argon2id` of @node-rs/argon2 (an ambient const enum, which this build cannot import). */
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFKC'), { algorithm: ARGON2ID, ...argon2Params });
}

function deriveScrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, { ...options, maxmem: 256 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Checks a password against a stored argon2id hash, or a legacy `scrypt$N$r$p$salt$hash` one. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith('$argon2')) {
    try {
      return await verify(stored, password.normalize('NFKC'));
    } catch {
      return false;
    }
  }
  const [alg, n, r, p, salt, hashed] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !hashed) return false;
  // Bounds, so a tampered row cannot make one log-in allocate gigabytes.
  if (+n > 2 ** 20 || +r > 16 || +p > 16) return false;
  const expected = Buffer.from(hashed, 'base64url');
  const key = await deriveScrypt(password, Buffer.from(salt, 'base64url'), { N: +n, r: +r, p: +p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a stored hash is not argon2id with today's parameters: re-hash it while the password is at hand. */
export function needsRehash(stored: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  return (
    Number(m[1]) < argon2Params.memoryCost ||
    Number(m[2]) < argon2Params.timeCost ||
    Number(m[3]) < argon2Params.parallelism
  );
}
