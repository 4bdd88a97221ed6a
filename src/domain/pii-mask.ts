// Masking of personal data inside free text (a customer's reason, a note): e-mail addresses, phone numbers, payment
// card numbers and identity-document numbers become a mask, ordinary numbers ("5 раз", "2024 год", "1 500 ₽") stay.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { foldCase, isStopWord } from './text.js';

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
 * whole and case-insensitively (Cyrillic too: boundaries are any letter or digit, not \b), then the case forms of
 * those words (see `maskNameForms`: "Ивану", "Иваном" for "Иван"; "Марии" for "Мария").
 */
export function maskName(text: string, name: string | null | undefined, replacement: string): string {
  return maskNameForms(maskNameExactly(text, name, replacement), name ? [[name, replacement]] : []);
}

/** The bases a name's words are recognised by in any case form, with what replaces each. */
export type NameForms = Map<string, string>;

/**
 * The endings of Russian nouns and names in their cases and numbers (Зализняк's declension types, first, second and
 * third declension and the adjectival surnames): "Иван" + у/а/ом/е, "Мари" + я/и/ю/ей, "Петров" + а/ой/у/ым.
 */
const RU_ENDINGS = new Set(
  ['', 'а', 'я', 'у', 'ю', 'е', 'и', 'ы', 'ой', 'ей', 'ою', 'ею', 'ом', 'ем', 'ым', 'им', 'ых', 'их', 'ого']
    .concat([
      'его',
      'ому',
      'ему',
      'ов',
      'ев',
      'ам',
      'ям',
      'ах',
      'ях',
      'ами',
      'ями',
      'ья',
      'ье',
      'ьи',
      'ью',
      'ьей',
    ])
    .concat(['ьём', 'ий', 'ия', 'ию', 'ии', 'ие']),
);
/** English names take only the plural or possessive -s ("the Smiths", "John's" is split at the apostrophe). */
const EN_ENDINGS = new Set(['', 's']);
const cyrillic = /[а-я]/;
/** A final letter that is a case ending itself, dropped to find the base: Иван-∅, Мари-я, Анн-а, Петров-а, Иль-я. */
const FINAL = /[аяоеиыуюйь]$/;

/**
 * The base of each word of the names (folded; the word itself, and without its final vowel, й or ь when it has
 * one), mapped to its replacement. A base under three letters is left to the exact match ("Ян", "Ия"): it would hit
 * common words. When two names share a base with different replacements, the base maps to `ambiguous` (an analyst
 * then reads "[name]", never the wrong person's pseudonym).
 */
export function nameFormsOf(names: Iterable<readonly [string, string]>, ambiguous = '[name]'): NameForms {
  const forms: NameForms = new Map();
  const add = (base: string, replacement: string) => {
    if ([...base].length < 3) return;
    const before = forms.get(base);
    forms.set(base, before === undefined || before === replacement ? replacement : ambiguous);
  };
  for (const [name, replacement] of names)
    for (const word of name.split(/[^\p{L}\p{N}]+/u)) {
      const folded = foldCase(word);
      if ([...folded].length < 3) continue;
      add(folded, replacement);
      if (cyrillic.test(folded) && FINAL.test(folded)) add(folded.slice(0, -1), replacement);
    }
  return forms;
}

/**
 * Every word of the text that is a case form of a name's word: a base of it (see `nameFormsOf`) followed by a case
 * ending ("Ивану", "Иваном", "Ивана" for "Иван"; "Марии", "Марию" for "Мария"; "Петровой" for "Петрова"; "Smiths"
 * for "Smith"), never a longer word ("Johnson" for "John") or a stop word. Russian names decline: a pseudonym that
 * hid only the nominative would leave the dative in the analyst's reading. It errs on the side of masking: "Веру"
 * (faith) goes with a customer "Вера".
 */
export function maskNameForms(text: string, names: Iterable<readonly [string, string]> | NameForms): string {
  const forms = names instanceof Map ? names : nameFormsOf(names);
  if (forms.size === 0) return text;
  return text.replace(/\p{L}+/gu, (word) => {
    const folded = foldCase(word);
    if ([...folded].length < 3 || isStopWord(folded)) return word;
    const endings = cyrillic.test(folded) ? RU_ENDINGS : EN_ENDINGS;
    for (let cut = 0; cut <= 3 && cut < folded.length; cut++) {
      const replacement = forms.get(folded.slice(0, folded.length - cut));
      if (replacement !== undefined && endings.has(folded.slice(folded.length - cut))) return replacement;
    }
    return word;
  });
}

function maskNameExactly(text: string, name: string | null | undefined, replacement: string): string {
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
