// Text made safe for a report: control characters that break Office XML removed, and in quoted customer words the
// e-mail addresses, phone numbers and card-like numbers masked, so a verbatim never identifies or exposes anyone.
import { maskPii } from './pii-mask.js';

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

/**
 * A customer's or employee's words as a report may quote them: e-mails, phone, card and document numbers are
 * replaced by a mask (the shared maskPii), control characters removed, whitespace collapsed, and the text clipped to `max` characters.
 */
export function maskVerbatim(text: string, max = 280): string {
  const masked = maskPii(officeText(text)).replace(/\s+/g, ' ').trim();
  if (masked.length <= max) return masked;
  const cut = masked.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}
