// Time-based one-time passwords (TOTP, RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, as every authenticator app
// reads them) through the otpauth library, and one-time recovery codes for a lost phone.
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;

function totpOf(secretBase32: string, label = '', issuer = 'Sarafan') {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret (RFC 4226 §4 recommends 160 bits), in base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://` URI and a QR code of it (SVG data URL) for the enrolment screen. */
export async function enrolmentOf(secretBase32: string, label: string, issuer: string) {
  const uri = totpOf(secretBase32, label, issuer).toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { uri, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * The time step a code is valid for, or null. One step either side is accepted for clock drift (RFC 6238 §5.2
 * recommends at most one); the caller refuses a step at or before the last one used, so a code works once.
 */
export function totpStepOf(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secretBase32).validate({ token, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The code an authenticator shows at `now` (tests and the CLI use it). */
export function totpCodeAt(secretBase32: string, now: Date): string {
  return totpOf(secretBase32).generate({ timestamp: now.getTime() });
}

export const RECOVERY_CODE_COUNT = 10;

/** Ten codes of 50 random bits each, in groups of five base32 letters (`abcde-fghij`) so they read off paper. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const text = new Secret({ buffer: randomBytes(10).buffer }).base32.toLowerCase().slice(0, 10);
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/** The form a recovery code is hashed in: lower case, without spaces or dashes. */
export function normalRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

export const recoveryCodePattern = /^[a-z2-7]{5}-?[a-z2-7]{5}$/i;
