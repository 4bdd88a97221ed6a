// Text made safe for a report: control characters that break Office XML removed, and in quoted customer words the
// e-mail addresses, phone numbers and card-like numbers masked, so a verbatim never identifies or exposes anyone.

/**
 * Characters XML 1.0 forbids (C0 controls but tab, line feed and carriage return; lone surrogates; U+FFFE/FFFF),
 * plus the C1 controls and DEL, which Word and PowerPoint refuse or show as boxes.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with every character an Office file cannot hold removed (tabs and line breaks become spaces). */
export function officeText(text: string): string {
  return text.replace(UNSAFE, '').replace(/[\t\r\n]+/g, ' ');
}

/** Like officeText, but keeps line breaks (for paragraphs a renderer splits itself). */
export function officeLines(text: string): string {
  return text.replace(UNSAFE, '').replace(/\r\n?/g, '\n');
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** 13–19 digits, possibly in groups of up to 4 split by spaces or hyphens: a payment card or account number. */
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/** A phone number: an optional +, then 7–15 digits with spaces, hyphens, dots or brackets between them. */
const PHONE = /(?<![\p{L}\p{N}])\+?\d(?:[\s().-]{0,2}\d){6,14}(?![\p{L}\p{N}])/gu;

export const MASKS = { email: '[e-mail]', card: '[number]', phone: '[phone]' } as const;

/**
 * A customer's or employee's words as a report may quote them: e-mails, card-like numbers and phone numbers are
 * replaced by a mask, control characters removed, whitespace collapsed, and the text clipped to `max` characters.
 */
export function maskVerbatim(text: string, max = 280): string {
  const masked = officeText(text)
    .replace(EMAIL, MASKS.email)
    .replace(CARD, MASKS.card)
    .replace(PHONE, MASKS.phone)
    .replace(/\s+/g, ' ')
    .trim();
  if (masked.length <= max) return masked;
  const cut = masked.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
