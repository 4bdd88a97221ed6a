/** @module SMS length: GSM 03.38 (7-bit) or UCS-2, and how many parts a text takes. */

// The GSM 7-bit default alphabet (one septet each) and its extension table (escape + char: two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export interface SmsLength {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  parts: number;
  /** Units per part for this text (160/153 GSM-7, 70/67 UCS-2). */
  perPart: number;
}

export function smsLength(text: string): SmsLength {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const parts = septets <= 160 ? 1 : Math.ceil(septets / 153);
    return { encoding: 'gsm7', units: septets, parts, perPart: parts === 1 ? 160 : 153 };
  }
  const units = text.length; // UTF-16 code units: a character outside the BMP takes two
  const parts = units <= 70 ? 1 : Math.ceil(units / 67);
  return { encoding: 'ucs2', units, parts, perPart: parts === 1 ? 70 : 67 };
}
