/** @module The fields an import fills, the column headers real exports give them (ru/en), and one row → a checked record. */
import type { ImportMapping } from '../../db/schema/imports.js';
import {
  cleanText,
  emailProblem,
  neutraliseFormula,
  type Parsed,
  parseAmount,
  parseMoment,
  phoneProblem,
} from './text.js';

export type ImportKind = 'customers' | 'contacts';

export const importFields = [
  'externalId',
  'occurredAt',
  'unit',
  'unitExternalId',
  'employee',
  'service',
  'amount',
  'currency',
  'customerExternalId',
  'customerName',
  'phone',
  'email',
] as const;
export type ImportField = (typeof importFields)[number];

/** The fields each kind of import reads. */
export const fieldsOf: Record<ImportKind, readonly ImportField[]> = {
  contacts: importFields,
  customers: ['customerExternalId', 'customerName', 'phone', 'email', 'unit', 'unitExternalId'],
};

// Headers as Russian and international accounting/CRM systems write them (1C, YCLIENTS, Fitness 1C, amoCRM,
// Bitrix24, Excel by hand), compared after folding case, ё and punctuation away.
const synonyms: Record<ImportField, string[]> = {
  externalId: [
    'номер визита',
    'id визита',
    'код визита',
    'номер записи',
    'id записи',
    'номер чека',
    'номер продажи',
    'номер документа',
    'id продажи',
    'visit id',
    'contact id',
    'visit number',
    'receipt',
    'receipt number',
    'order id',
    'sale id',
    'transaction id',
    'external id',
  ],
  occurredAt: [
    'дата визита',
    'дата и время визита',
    'время визита',
    'дата',
    'дата и время',
    'дата продажи',
    'дата записи',
    'дата покупки',
    'дата посещения',
    'visit date',
    'date',
    'datetime',
    'date time',
    'visited at',
    'occurred at',
    'time',
    'purchase date',
    'sale date',
  ],
  unit: [
    'филиал',
    'клуб',
    'салон',
    'подразделение',
    'точка',
    'магазин',
    'отделение',
    'название филиала',
    'branch',
    'unit',
    'club',
    'location',
    'store',
    'shop',
    'branch name',
    'home club',
    'домашний клуб',
  ],
  unitExternalId: [
    'id филиала',
    'код филиала',
    'код подразделения',
    'branch id',
    'unit id',
    'location id',
    'store id',
  ],
  employee: [
    'сотрудник',
    'мастер',
    'тренер',
    'менеджер',
    'администратор',
    'кассир',
    'врач',
    'специалист',
    'исполнитель',
    'employee',
    'staff',
    'master',
    'trainer',
    'manager',
    'specialist',
    'employee name',
    'staff member',
  ],
  service: [
    'услуга',
    'услуги',
    'товар',
    'наименование',
    'номенклатура',
    'service',
    'product',
    'item',
    'services',
  ],
  amount: [
    'сумма',
    'стоимость',
    'итого',
    'сумма продажи',
    'сумма чека',
    'цена',
    'оплачено',
    'сумма руб',
    'amount',
    'sum',
    'total',
    'price',
    'paid',
    'revenue',
  ],
  currency: ['валюта', 'currency'],
  customerExternalId: [
    'id клиента',
    'код клиента',
    'номер клиента',
    'номер карты',
    'карта клиента',
    'номер договора',
    'customer id',
    'client id',
    'customer number',
    'card number',
    'member id',
  ],
  customerName: [
    'клиент',
    'фио',
    'фио клиента',
    'имя',
    'имя клиента',
    'покупатель',
    'контрагент',
    'customer',
    'client',
    'name',
    'full name',
    'customer name',
    'client name',
  ],
  phone: [
    'телефон',
    'тел',
    'мобильный',
    'мобильный телефон',
    'сотовый',
    'телефон клиента',
    'номер телефона',
    'phone',
    'mobile',
    'phone number',
    'cell',
    'telephone',
    'tel',
  ],
  email: [
    'email',
    'e mail',
    'эл почта',
    'электронная почта',
    'почта',
    'емейл',
    'имейл',
    'mail',
    'e-mail адрес',
  ],
};

export function foldHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^a-zа-я0-9]+/g, ' ')
    .trim();
}

const byHeader = new Map<string, ImportField>();
for (const [field, names] of Object.entries(synonyms) as [ImportField, string[]][]) {
  for (const n of names) byHeader.set(foldHeader(n), field);
}

/**
 * The mapping read from the headers alone: exact synonyms first; then headers that begin with one
 * ("Телефон клиента (моб.)"). A field takes the first matching column; "ID" alone names the customer in a
 * customers import.
 */
export function autoMapping(kind: ImportKind, headers: string[]): ImportMapping {
  const allowed = new Set(fieldsOf[kind]);
  const mapping: ImportMapping = {};
  const taken = new Set<string>();
  const assign = (field: ImportField | undefined, header: string) => {
    if (!field || !allowed.has(field) || mapping[field] || taken.has(header)) return;
    mapping[field] = header;
    taken.add(header);
  };
  for (const h of headers) assign(byHeader.get(foldHeader(h)), h);
  for (const h of headers) {
    const folded = foldHeader(h);
    if (kind === 'customers' && (folded === 'id' || folded === 'код')) assign('customerExternalId', h);
    if (kind === 'contacts' && folded === 'id') assign('externalId', h);
    for (const [name, field] of byHeader) {
      if (name.length >= 4 && folded.startsWith(`${name} `)) assign(field, h);
    }
  }
  return mapping;
}

/** Column index of each mapped field; a mapping naming a column the file lacks is an error. */
export function columnsOf(
  kind: ImportKind,
  headers: string[],
  mapping: ImportMapping,
): { columns: Partial<Record<ImportField, number>>; errors: string[] } {
  const columns: Partial<Record<ImportField, number>> = {};
  const errors: string[] = [];
  const allowed = new Set<string>(fieldsOf[kind]);
  for (const [field, header] of Object.entries(mapping)) {
    if (!header) continue;
    if (!allowed.has(field)) {
      errors.push(`Unknown field "${field}" in the mapping`);
      continue;
    }
    const index = headers.indexOf(header);
    if (index < 0) errors.push(`The file has no column "${header}" (mapped to ${field})`);
    else columns[field as ImportField] = index;
  }
  const has = (f: ImportField) => columns[f] !== undefined;
  if (!has('customerExternalId') && !has('phone') && !has('email'))
    errors.push('Map a column to customerExternalId, phone or email: each row must name its customer');
  if (kind === 'contacts') {
    if (!has('occurredAt')) errors.push('Map a column to occurredAt (the date of the visit)');
    if (!has('unit') && !has('unitExternalId'))
      errors.push('Map a column to unit or unitExternalId (the branch)');
  }
  return { columns, errors };
}

// ── Rows ──────────────────────────────────────────────────────────────────────────────────────────────────

/** A spreadsheet formula cell: its text and the result the spreadsheet saved with it, if any. */
export interface FormulaCell {
  formula: string;
  result: string | number | Date | null;
}
export type Cell = string | number | Date | null | FormulaCell;

export interface Problem {
  field: string;
  message: string;
  level: 'error' | 'warning';
}

export interface UnitRef {
  name?: string;
  externalId?: string;
}

export interface CustomerFields {
  externalId?: string;
  name?: string;
  phone?: string;
  email?: string;
  homeUnit?: UnitRef;
}

export interface ContactFields {
  externalId?: string;
  occurredAt: Date;
  unit: UnitRef;
  employee?: string;
  service?: string;
  amountMinor?: number;
  currency: string;
}

/** One row of a file, read and checked: what will be stored, and what is wrong with it. */
export interface RowRecord {
  line: number;
  customer: CustomerFields;
  contact?: ContactFields;
  problems: Problem[];
}

export const hasErrors = (r: RowRecord) => r.problems.some((p) => p.level === 'error');

export interface ReadOptions {
  kind: ImportKind;
  columns: Partial<Record<ImportField, number>>;
  timeZone: string;
  currency: string;
}

function isFormula(cell: Cell): cell is FormulaCell {
  return typeof cell === 'object' && cell !== null && !(cell instanceof Date);
}

/** A checked record from one row's cells. */
export function readRow(line: number, cells: Cell[], o: ReadOptions): RowRecord {
  const problems: Problem[] = [];
  const cell = (field: ImportField): string | number | Date | null => {
    const index = o.columns[field];
    if (index === undefined) return null;
    const c = cells[index] ?? null;
    if (!isFormula(c)) return typeof c === 'string' && c.trim() === '' ? null : c;
    // XLSX formula cells: the value the spreadsheet saved is used, never the formula; none saved → refused.
    if (c.result === null || c.result === '') {
      problems.push({
        field,
        message: `A formula with no saved value (=${c.formula}) was not read`,
        level: 'error',
      });
      return null;
    }
    problems.push({
      field,
      message: `A formula cell: its saved value is used (=${c.formula})`,
      level: 'warning',
    });
    return c.result;
  };
  const text = (field: ImportField, max = 200, oneLine = true): string | undefined => {
    const v = cell(field);
    if (v === null) return undefined;
    let s = v instanceof Date ? v.toISOString() : String(v);
    if (oneLine) {
      const cleaned = cleanText(s);
      if (cleaned.changed)
        problems.push({
          field,
          message: 'Line breaks and control characters were removed',
          level: 'warning',
        });
      s = cleaned.text;
    } else s = s.trim();
    const safe = neutraliseFormula(s);
    if (safe.changed)
      problems.push({
        field,
        message: 'Starts like a spreadsheet formula: stored as text with a leading apostrophe',
        level: 'warning',
      });
    s = safe.text;
    if (s === '') return undefined;
    if (s.length > max) {
      problems.push({ field, message: `Longer than ${max} characters: cut`, level: 'warning' });
      s = s.slice(0, max);
    }
    return s;
  };
  const id = (field: ImportField): string | undefined => {
    const v = cell(field);
    if (v === null) return undefined;
    const s = cleanText(typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : v).text;
    if (s.length > 200) {
      problems.push({ field, message: 'An id longer than 200 characters', level: 'error' });
      return undefined;
    }
    return s || undefined;
  };

  const customer: CustomerFields = {
    externalId: id('customerExternalId'),
    name: text('customerName'),
  };
  const phoneCell = cell('phone');
  if (phoneCell !== null) {
    const raw = cleanText(String(phoneCell)).text;
    const problem = phoneProblem(raw);
    if (problem) problems.push({ field: 'phone', message: `${problem}: left out`, level: 'warning' });
    else customer.phone = `+${normaliseDigits(raw)}`;
  }
  const emailCell = cell('email');
  if (emailCell !== null) {
    const raw = cleanText(String(emailCell)).text.toLowerCase();
    const problem = emailProblem(raw);
    if (problem) problems.push({ field: 'email', message: `${problem}: left out`, level: 'warning' });
    else customer.email = raw;
  }
  if (!customer.externalId && !customer.phone && !customer.email) {
    problems.push({
      field: 'customerExternalId',
      message: 'No customer id, valid phone or e-mail: the row names no customer',
      level: 'error',
    });
  }
  const unit: UnitRef = { name: text('unit'), externalId: id('unitExternalId') };
  const record: RowRecord = { line, customer, problems };
  if (o.kind === 'customers') {
    if (unit.name || unit.externalId) customer.homeUnit = unit;
    return record;
  }

  const at = cell('occurredAt');
  let occurredAt: Date | undefined;
  if (at === null) problems.push({ field: 'occurredAt', message: 'No date', level: 'error' });
  else {
    const parsed: Parsed<Date> = parseMoment(at, o.timeZone);
    if (parsed.ok) occurredAt = parsed.value;
    else problems.push({ field: 'occurredAt', message: parsed.message, level: 'error' });
  }
  if (!unit.name && !unit.externalId) problems.push({ field: 'unit', message: 'No branch', level: 'error' });
  let amountMinor: number | undefined;
  const amount = cell('amount');
  if (amount !== null) {
    const parsed =
      amount instanceof Date
        ? ({ ok: false, message: 'A date, not an amount' } as const)
        : parseAmount(amount);
    if (parsed.ok) amountMinor = parsed.value;
    else problems.push({ field: 'amount', message: parsed.message, level: 'error' });
  }
  let currency = o.currency;
  const cur = id('currency');
  if (cur) {
    const code = cur.toUpperCase().replace(/^РУБ.*|^RUR$|^₽$/, 'RUB');
    if (/^[A-Z]{3}$/.test(code)) currency = code;
    else problems.push({ field: 'currency', message: `Not an ISO currency code: "${cur}"`, level: 'error' });
  }
  record.contact = {
    externalId: id('externalId'),
    occurredAt: occurredAt ?? new Date(0),
    unit,
    employee: text('employee'),
    service: text('service'),
    amountMinor,
    currency,
  };
  return record;
}

/** Digits only; a Russian 8XXXXXXXXXX becomes 7XXXXXXXXXX and a bare ten-digit 9XXXXXXXXX gets its 7. */
function normaliseDigits(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) return `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('9')) return `7${digits}`;
  return digits;
}
