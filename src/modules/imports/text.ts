/** @module Reading the cells of an accounting system's export: encodings, separators, dates, amounts, names, formula text. Pure, no I/O. */
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { addDays, startOfLocalDay } from '../../domain/period.js';

// ── Files ────────────────────────────────────────────────────────────────────────────────────────────────

export type FileKind =
  | { format: 'csv' }
  | { format: 'xlsx' }
  | { format: 'refused'; reason: string; reasonRu: string };

/** What a file is, from its first bytes (magic numbers), whatever its name says. */
export function sniffFile(head: Buffer): FileKind {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (head.length === 0) return refused('The file is empty', 'Файл пустой');
  if (starts(0x50, 0x4b, 0x03, 0x04)) return { format: 'xlsx' }; // a ZIP: XLSX if it holds a workbook
  if (starts(0x89, 0x50, 0x4e, 0x47))
    return refused('This is a PNG image, not a CSV or XLSX file', 'Это картинка PNG, а не файл CSV или XLSX');
  if (starts(0xff, 0xd8, 0xff))
    return refused(
      'This is a JPEG image, not a CSV or XLSX file',
      'Это картинка JPEG, а не файл CSV или XLSX',
    );
  if (starts(0x25, 0x50, 0x44, 0x46))
    return refused('This is a PDF, not a CSV or XLSX file', 'Это PDF, а не файл CSV или XLSX');
  if (starts(0xd0, 0xcf, 0x11, 0xe0))
    return refused(
      'This is an old Excel .xls file: save it as .xlsx or CSV and upload again',
      'Это старый формат Excel .xls: сохраните его как .xlsx или CSV и загрузите снова',
    );
  if (starts(0x1f, 0x8b) || starts(0x52, 0x61, 0x72, 0x21) || starts(0x37, 0x7a, 0xbc, 0xaf))
    return refused(
      'This is a compressed archive: unpack it and upload the CSV or XLSX inside',
      'Это архив: распакуйте его и загрузите CSV или XLSX',
    );
  return { format: 'csv' };
}

function refused(reason: string, reasonRu: string): FileKind {
  return { format: 'refused', reason, reasonRu };
}

export interface DetectedEncoding {
  encoding: string;
  /** Bytes of a byte-order mark to skip. */
  bom: number;
}

/** The Cyrillic single-byte encodings accounting systems in Russia still export, most common first. */
const cyrillic = ['windows-1251', 'koi8-r', 'ibm866', 'iso-8859-5'];

/**
 * The text encoding of a sample from the start of a file: a BOM decides; else valid UTF-8 is UTF-8;
 * else chardet's statistical guess, preferring Windows-1251 when the sample is mostly Cyrillic letters in it.
 * Null when the bytes are not text at all (NUL bytes, control characters).
 */
export function detectEncoding(sample: Buffer): DetectedEncoding | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  let controls = 0;
  for (const b of sample) if (b === 0 || (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)) controls++;
  if (controls > 0 && controls > sample.length / 200) return null;
  if (isUtf8(sample)) return { encoding: 'utf-8', bom: 0 };
  const guesses = chardet.analyse(sample).map((g) => ({ ...g, name: g.name.toLowerCase() }));
  const top = guesses[0]?.name;
  if (top && cyrillic.includes(top)) return { encoding: top, bom: 0 };
  // chardet often calls short Russian samples windows-1252 or latin-1; the bytes say otherwise when most
  // high bytes sit in 0xC0–0xFF, where Windows-1251 keeps А–я.
  let high = 0;
  let letters = 0;
  for (const b of sample) {
    if (b >= 0x80) high++;
    if (b >= 0xc0) letters++;
  }
  if (high > 0 && letters / high > 0.6) return { encoding: 'windows-1251', bom: 0 };
  if (top && iconv.encodingExists(top)) return { encoding: top, bom: 0 };
  return null;
}

/** Valid UTF-8, allowing a character cut off at the end of the sample. */
function isUtf8(sample: Buffer): boolean {
  let end = sample.length;
  // Step back over a trailing incomplete sequence (at most 3 continuation bytes and its lead byte).
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = sample[end - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > i) end -= i;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * The field separator of a CSV sample: the candidate that splits the first lines into the same number of
 * fields (outside quotes), more than one; ties go to the one giving more fields.
 */
export function detectDelimiter(text: string): ',' | ';' | '\t' {
  const lines = logicalLines(text, 20);
  let best: { d: ',' | ';' | '\t'; score: number } = { d: ',', score: -1 };
  for (const d of [';', '\t', ','] as const) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const consistent = counts.filter((c) => c === first).length / counts.length;
    const score = consistent * 1000 + first;
    if (score > best.score) best = { d, score };
  }
  return best.d;
}

/** Lines of a sample, joining those broken inside quotes, without the last (maybe cut) one. */
function logicalLines(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === '\n' && !quoted) {
      if (current.trim()) out.push(current);
      current = '';
      if (out.length >= max) return out;
      continue;
    }
    current += ch;
  }
  if (out.length === 0 && current.trim()) out.push(current);
  return out;
}

function countOutsideQuotes(line: string, d: string): number {
  let quoted = false;
  let n = 0;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}

// ── Cells ────────────────────────────────────────────────────────────────────────────────────────────────

// C0 and C1 controls, DEL and the Unicode line/paragraph separators: never part of a name, and a line break in
// a name is how a header (`\r\nBcc:`) would be injected into an e-mail.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** A one-line text: control characters become a space, spaces collapse. `changed` says whether any were removed. */
export function cleanText(value: string): { text: string; changed: boolean } {
  const text = value.replace(controlChars, ' ').replace(/\s+/g, ' ').trim();
  controlChars.lastIndex = 0;
  return { text, changed: controlChars.test(value) };
}

/**
 * Text that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`) is kept as text with a
 * leading apostrophe, the OWASP advice for CSV injection (https://owasp.org/www-community/attacks/CSV_Injection),
 * so that no export of ours ever hands it to Excel as a formula. Nothing here evaluates it.
 */
export function neutraliseFormula(text: string): { text: string; changed: boolean } {
  if (/^[=+\-@]/.test(text)) return { text: `'${text}`, changed: true };
  return { text, changed: false };
}

/** Case- and ё-folded with single spaces, to match unit and employee names as people write them. */
export function foldName(name: string): string {
  return name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const spaces = /[\s\u00a0\u2007\u2009\u202f']/g;

/**
 * Money as written in exports, to minor units: `1 500,50` → 150050, `1,500.50` → 150050, `1500` → 150000,
 * `2 000 ₽` → 200000. The last `,` or `.` followed by one or two digits is the decimal mark; others group
 * thousands. Integer arithmetic on the digits, so no binary rounding creeps in.
 */
export function parseAmount(input: string | number): Parsed<number> {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: 'Not a number' };
    if (input < 0) return { ok: false, message: 'A negative amount' };
    const minor = Math.round(input * 100);
    if (!Number.isSafeInteger(minor)) return { ok: false, message: 'The amount is too large' };
    return { ok: true, value: minor };
  }
  let s = input.replace(spaces, '').replace(/(₽|руб\.?|р\.|rub|RUB|Руб\.?)$/u, '');
  if (s === '') return { ok: false, message: 'Empty amount' };
  if (s.startsWith('-')) return { ok: false, message: 'A negative amount' };
  if (s.startsWith('+')) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s)) return { ok: false, message: `Not an amount: "${input}"` };
  const lastMark = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  let whole = s;
  let fraction = '';
  if (lastMark >= 0) {
    const after = s.slice(lastMark + 1);
    const marks = s.match(/[.,]/g)!;
    const sameMarkOnly = marks.every((m) => m === s[lastMark]);
    // "1,500" or "1.500.000": one kind of mark followed by three digits groups thousands (money is written
    // with two decimals, never three).
    const isGrouping = sameMarkOnly && after.length === 3;
    if (isGrouping) whole = s.replace(/[.,]/g, '');
    else {
      if (after.length > 2) return { ok: false, message: `More than two decimal places: "${input}"` };
      whole = s.slice(0, lastMark).replace(/[.,]/g, '');
      fraction = after;
    }
  }
  if (whole === '' && fraction === '') return { ok: false, message: `Not an amount: "${input}"` };
  const digits = `${whole || '0'}${fraction.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15) return { ok: false, message: 'The amount is too large' };
  return { ok: true, value: Number(digits) };
}

const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const iso =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A moment as written in exports — `24.11.2026 18:05`, `24.11.2026`, `24/11/2026 18:05:10`, ISO
 * `2026-11-24T18:05:00+03:00` or `2026-11-24 18:05` — with the wall-clock ones read in `timeZone`.
 * A Date from a spreadsheet cell holds the wall clock as if it were UTC (that is how XLSX stores it).
 */
export function parseMoment(input: string | number | Date, timeZone: string): Parsed<Date> {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return { ok: false, message: 'Not a date' };
    return { ok: true, value: localToInstant(input.getTime(), timeZone) };
  }
  if (typeof input === 'number') return { ok: false, message: `Not a date: ${input}` };
  const s = input.trim();
  let m = dmy.exec(s);
  if (m) {
    const [, d, mo, y, h, mi, se] = m;
    const year = y!.length === 2 ? 2000 + Number(y) : Number(y);
    return wallClock(
      year,
      Number(mo),
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(se ?? 0),
      timeZone,
      s,
    );
  }
  m = iso.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, se, frac, zone] = m;
    const checked = wallClock(
      Number(y),
      Number(mo),
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(se ?? 0),
      timeZone,
      s,
    );
    if (!checked.ok) return checked;
    const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
    if (!zone) return { ok: true, value: new Date(checked.value.getTime() + ms) };
    const utc = Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(se ?? 0),
      ms,
    );
    if (zone.toUpperCase() === 'Z') return { ok: true, value: new Date(utc) };
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    return { ok: true, value: new Date(utc - offset) };
  }
  return { ok: false, message: `Not a date: "${s}" (write 24.11.2026 18:05 or 2026-11-24T18:05)` };
}

function wallClock(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  se: number,
  timeZone: string,
  text: string,
): Parsed<Date> {
  const wall = Date.UTC(y, mo - 1, d, h, mi, se);
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== y ||
    check.getUTCMonth() !== mo - 1 ||
    check.getUTCDate() !== d ||
    h > 23 ||
    mi > 59 ||
    se > 59 ||
    y < 1900 ||
    y > 2200
  ) {
    return { ok: false, message: `No such date: "${text}"` };
  }
  return { ok: true, value: localToInstant(wall, timeZone) };
}

// Where each local day begins, and whether it lasts exactly 24 hours (no clock change), per zone and day.
const dayStarts = new Map<string, { start: number; plain: boolean }>();

/** The instant at which the zone's wall clock reads `wall` (ms since epoch read as UTC). */
export function localToInstant(wall: number, timeZone: string): Date {
  const dayMs = 86_400_000;
  const day = new Date(Math.floor(wall / dayMs) * dayMs).toISOString().slice(0, 10);
  const key = `${timeZone}|${day}`;
  let known = dayStarts.get(key);
  if (!known) {
    const start = startOfLocalDay(day, timeZone).getTime();
    const next = startOfLocalDay(addDays(day, 1), timeZone).getTime();
    known = { start, plain: next - start === dayMs };
    if (dayStarts.size > 100_000) dayStarts.clear();
    dayStarts.set(key, known);
  }
  const sinceMidnight = wall - Math.floor(wall / dayMs) * dayMs;
  if (known.plain) return new Date(known.start + sinceMidnight);
  // A day with a clock change: read the offset where the instant lands (twice, to settle across the change).
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetAt(epochMs: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, f);
  }
  const name = f.formatToParts(epochMs).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** Digits of a phone a person could dial: 10 to 15 digits (E.164), written with the usual marks. */
export function phoneProblem(raw: string): string | null {
  if (!/^[+\d\s().\-–]+$/.test(raw)) return `Not a phone number: "${raw}"`;
  const digits = raw.replace(/\D/g, '');
  if (digits.length < 10 || digits.length > 15)
    return `Not a phone number (${digits.length} digits): "${raw}"`;
  if (/^(\d)\1+$/.test(digits)) return `Not a phone number: "${raw}"`;
  return null;
}

// A practical address check (RFC 5321 lengths, one @, a dotted domain); deliverability is the audit's business.
const emailShape = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[a-z\u0400-\u04ff]{2,}$/i;
export function emailProblem(raw: string): string | null {
  if (raw.length > 254 || !emailShape.test(raw) || raw.includes('..'))
    return `Not an e-mail address: "${raw}"`;
  return null;
}
