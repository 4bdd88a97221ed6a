/** @module Is a phone number worth surveying: normalised to E.164 (Russian formats by default), mobile or not. */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export interface PhoneCheck {
  /** E.164 ('+79161234567'); null when the number cannot be a real one. */
  e164: string | null;
  /**
   * 'mobile' takes an SMS and a call; 'landline' (fixed line, toll-free, VoIP…) takes only a call;
   * 'invalid' takes nothing.
   */
  kind: 'mobile' | 'landline' | 'invalid';
}

const INVALID: PhoneCheck = { e164: null, kind: 'invalid' };

/**
 * Reads a number as customers and clerks write it: '8 (916) 123-45-67', '+7 916 1234567', '9161234567' are all
 * +79161234567. Validity and the line type come from libphonenumber's full ('max') metadata, which knows the
 * number ranges of each operator: +7 9xx is mobile in Russia, +7 495 is a Moscow landline.
 */
export function checkPhone(raw: string, defaultCountry: CountryCode = 'RU'): PhoneCheck {
  const value = raw.trim();
  // Letters other than an extension marker mean a note typed into the field ("нет", "звонить жене").
  if (
    value.length === 0 ||
    value.length > 40 ||
    /[^\d\s()+\-./]/.test(value.replace(/(?:ext|доб)\.?/gi, ''))
  ) {
    return INVALID;
  }
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  if (!parsed?.isValid()) return INVALID;
  const type = parsed.getType();
  // FIXED_LINE_OR_MOBILE: numbering plans (US, CA, CN…) that do not tell them apart; an SMS may well arrive.
  const mobile = type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
  return { e164: parsed.number, kind: mobile ? 'mobile' : 'landline' };
}
