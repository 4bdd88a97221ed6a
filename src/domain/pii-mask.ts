// Masking of personal data inside free text (a customer's reason, a note): e-mail addresses, phone numbers, payment
// card numbers and identity-document numbers become a mask, ordinary numbers ("5 раз", "2024 год", "1 500 ₽") stay.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** What each kind of personal data is replaced with: no digit and no '@', so masking a masked text changes nothing. */
export const PII_MASKS = {
  email: '[e-mail]',
  phone: '[phone]',
  card: '[card]',
  document: '[document]',
} as const;

export type PiiKind = keyof typeof PII_MASKS;

/**
 * An e-mail address: the local part in RFC 5322 `atext` (letters of any script, digits and !#$%&'*+/=?^_`{|}~-)
 * with dots, '@', then domain labels and a top-level domain of letters (or an IDN's `xn--` form).
 */
const EMAIL =
  /[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.(?:\p{L}{2,}|xn--[\p{L}\p{N}-]+)/gu;

/** Separators people put inside a number: one space (also no-break and thin), a hyphen or dash, a dot, brackets. */
const SPACE = '[ \\u00A0\\u2009\\u202F]';
/**
 * A run of digit groups that might hold a phone, card or document number: an optional '+', then groups of digits
 * joined by at most a space, a dash or dot and a space, with optional brackets around a group ("(916)").
 */
const RUN = new RegExp(`\\+?\\(?\\d+\\)?(?:${SPACE}?[-.\\u2010-\\u2013]?${SPACE}?\\(?\\d+\\)?)*`, 'g');

interface Group {
  /** Where the group's text starts (its '(' or the run's '+', if any) and ends (after its ')', if any). */
  start: number;
  end: number;
  digits: string;
  /** What stands between this group and the one before it ('' for the first). */
  before: string;
  bracketed: boolean;
}

function groupsOf(run: string): Group[] {
  const groups: Group[] = [];
  let previousEnd = 0;
  for (const m of run.matchAll(/\d+/g)) {
    let start = m.index;
    let end = start + m[0].length;
    const bracketed = run[start - 1] === '(' && run[end] === ')';
    if (run[start - 1] === '(') start--;
    if (groups.length === 0 && run[start - 1] === '+') start--;
    if (run[end] === ')') end++;
    groups.push({ start, end, digits: m[0], before: run.slice(previousEnd, start), bracketed });
    previousEnd = end;
  }
  return groups;
}

/** Luhn's mod-10 check (ISO/IEC 7812-1, annex B), which every payment card number passes. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** "1 500 000", "12.345.678": thousands separated by a space or dot — an amount, never a phone or a card. */
function isThousands(groups: Group[]): boolean {
  if (groups.length < 2 || groups[0]!.digits.length > 3) return false;
  return groups
    .slice(1)
    .every((g) => g.digits.length === 3 && /^(?:[ \u00A0\u2009\u202F]|\.)$/.test(g.before));
}

const lengths = (groups: Group[]) => groups.map((g) => g.digits.length).join(',');
const joinedBy = (groups: Group[], re: RegExp) => groups.slice(1).every((g) => re.test(g.before));

/** What a sequence of digit groups is, if it is personal data; `plus` = a '+' stands before its first group. */
function kindOf(groups: Group[], plus: boolean): PiiKind | null {
  const digits = groups.map((g) => g.digits).join('');
  const n = digits.length;
  if (plus || digits.startsWith('00')) {
    // An international number: whether it has a length its country allows (ITU-T E.164 through libphonenumber).
    if (n < 8 || n > 17) return null;
    const parsed = parsePhoneNumberFromString(`+${plus ? digits : digits.slice(2)}`);
    return parsed?.isPossible() ? 'phone' : null;
  }
  if (isThousands(groups)) return null;
  // A payment card: 13–19 digits (ISO/IEC 7812), whole or in groups, that pass Luhn's check.
  if (n >= 13 && n <= 19 && luhnValid(digits)) return 'card';
  // A Russian passport ("45 06 123456", "4506 123456") or SNILS ("123-456-789 01").
  if (/^(2,2,6|4,6)$/.test(lengths(groups)) && joinedBy(groups, /^[ \u00A0\u2009\u202F]$/)) return 'document';
  if (lengths(groups) === '3,3,3,2' && joinedBy(groups, /^[ \u00A0\u2009\u202F-]$/)) return 'document';
  // A Russian number with its trunk or country code ("8 (916) 123-45-67", "89161234567", "7 916 1234567").
  if (n === 11 && /^[78]/.test(digits)) return 'phone';
  // Ten digits without it: mobile 9xx, geographic 3xx/4xx/8xx ("916 123 45 67", "(495) 123-45-67").
  if (n === 10 && /^[3489]/.test(digits)) return 'phone';
  // A national number with a leading 0 (most of Europe: "020 7946 0958").
  if ((n === 10 || n === 11) && digits.startsWith('0') && groups.length > 1) return 'phone';
  // A local number written as one: "123-45-67", "123-4567", "(916) 1234567" (brackets mark an area code).
  if (n === 7 && /^(3,2,2|3,4)$/.test(lengths(groups)) && joinedBy(groups, /^[-\u2010-\u2013]$/))
    return 'phone';
  if (n >= 10 && n <= 12 && groups[0]!.bracketed) return 'phone';
  return null;
}

/**
 * The personal numbers inside one run of digit groups, left to right: from each group, the longest sequence of
 * groups that is a phone, card or document number is masked; groups that start none are kept as they are.
 */
function maskRun(run: string, found: Set<PiiKind> | null): string {
  // Nothing shorter than 7 digits is personal: counts, years, scores and most amounts end here.
  if (run.replace(/\D/g, '').length < 7) return run;
  const groups = groupsOf(run);
  let out = '';
  let kept = 0;
  let i = 0;
  while (i < groups.length) {
    // The longest sequence of groups from i (at most 19 digits) that is personal data, tried longest first.
    let last = i - 1;
    for (let digits = 0; last + 1 < groups.length; last++) {
      digits += groups[last + 1]!.digits.length;
      if (digits > 19) break;
    }
    let best: { j: number; kind: PiiKind } | null = null;
    for (let j = last; j >= i && !best; j--) {
      const kind = kindOf(groups.slice(i, j + 1), i === 0 && run.startsWith('+'));
      if (kind) best = { j, kind };
    }
    if (!best) {
      i++;
      continue;
    }
    found?.add(best.kind);
    out += run.slice(kept, groups[i]!.start) + PII_MASKS[best.kind];
    kept = groups[best.j]!.end;
    i = best.j + 1;
  }
  return out + run.slice(kept);
}

/**
 * The text with every e-mail address, phone number (Russian and international formats), payment card number
 * (Luhn-checked) and Russian passport or SNILS number replaced by its mask (PII_MASKS). Ordinary numbers —
 * counts, years, scores, amounts with thousands separators, dates — are kept. Masking is idempotent.
 */
export function maskPii(text: string): string {
  let out = text.includes('@') ? text.replace(EMAIL, PII_MASKS.email) : text;
  if (/\d/.test(out)) out = out.replace(RUN, (run) => maskRun(run, null));
  return out;
}

/** maskPii for a value that may be absent. */
export function maskPiiOrNull(text: string | null | undefined): string | null {
  return text == null ? null : maskPii(text);
}

/** Which kinds of personal data a text holds (for a report of what was masked, or a warning). */
export function piiKindsIn(text: string): PiiKind[] {
  const found = new Set<PiiKind>();
  if (EMAIL.test(text)) found.add('email');
  EMAIL.lastIndex = 0;
  for (const m of text.replace(EMAIL, PII_MASKS.email).matchAll(RUN)) maskRun(m[0], found);
  return [...found];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The text with a person's name replaced: the whole name, then each of its words, if three letters or more, matched
 * whole and case-insensitively (Cyrillic too: boundaries are any letter or digit, not \b). Inflected forms
 * ("Анастасии" for "Анастасия") are not recognised.
 */
export function maskName(text: string, name: string | null | undefined, replacement: string): string {
  if (!name?.trim()) return text;
  const whole = name.trim().replace(/\s+/g, ' ');
  const parts = [whole, ...whole.split(/[\s.,-]+/)]
    .filter((w, i, all) => [...w].length >= 3 && all.indexOf(w) === i)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const part of parts)
    out = out.replace(
      new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part)}(?![\\p{L}\\p{N}])`, 'giu'),
      replacement,
    );
  return out;
}
