// Random secrets for links, sessions and API keys; only their SHA-256 is ever stored.
import { createHash, randomBytes } from 'node:crypto';

/** 24 random bytes = 192 bits, base64url (32 characters): beyond guessing, short enough for an SMS link. */
export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
