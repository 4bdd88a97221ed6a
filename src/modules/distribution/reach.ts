// Which channels reach a customer: a valid e-mail, a mobile for SMS, any valid phone for a call — minus suppressions.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import type { Reach } from '../../domain/contact-policy.js';
import type { Vault } from '../privacy/index.js';

/** What the database says about a customer's addresses (encrypted) and their suppressions. */
export interface AddressFacts {
  emailEnc: string | null;
  phoneEnc: string | null;
  emailSuppressed: boolean;
  smsSuppressed: boolean;
  /** The number was found invalid by the SMS gateway: no call either. */
  phoneInvalid: boolean;
}

const email = z.email();

export function phoneKind(raw: string): 'mobile' | 'other' | 'invalid' {
  // Russian numbers are often written without a country code ("8 916 …"); RU is the default region.
  const number = parsePhoneNumberFromString(raw, 'RU');
  if (!number?.isValid()) return 'invalid';
  const type = number.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 'mobile' : 'other';
}

export function reachOf(vault: Vault, f: AddressFacts): Reach {
  const address = f.emailEnc ? vault.decrypt(f.emailEnc) : null;
  const emailOk = address !== null && email.safeParse(address.trim()).success;
  const phone = f.phoneEnc ? vault.decrypt(f.phoneEnc) : null;
  const kind = phone ? phoneKind(phone) : 'invalid';
  return {
    email: !emailOk ? 'none' : f.emailSuppressed ? 'suppressed' : 'ok',
    sms: kind !== 'mobile' ? 'none' : f.smsSuppressed ? 'suppressed' : 'ok',
    phone: kind === 'invalid' ? 'none' : f.phoneInvalid ? 'suppressed' : 'ok',
  };
}
