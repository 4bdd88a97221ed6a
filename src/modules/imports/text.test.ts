// Reading exports: encodings, separators, amounts, dates, names and formula text — examples and properties.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  detectDelimiter,
  detectEncoding,
  emailProblem,
  neutraliseFormula,
  parseAmount,
  parseMoment,
  phoneProblem,
  sniffFile,
} from './text.js';

describe('detectEncoding', () => {
  it('reads Windows-1251 bytes as Windows-1251, UTF-8 with or without a BOM as UTF-8', () => {
    const text = 'Дата визита;Клиент;Телефон\n24.11.2026 18:05;Иванова Анна;8 916 123-45-67\n';
    expect(detectEncoding(iconv.encode(text, 'windows-1251'))).toEqual({ encoding: 'windows-1251', bom: 0 });
    expect(detectEncoding(Buffer.from(text))).toEqual({ encoding: 'utf-8', bom: 0 });
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      encoding: 'utf-8',
      bom: 3,
    });
  });

  it('keeps UTF-8 when the sample cuts a character in half', () => {
    const bytes = Buffer.from('Филиал Центральный');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1))?.encoding).toBe('utf-8');
  });

  it('calls binary bytes not text', () => {
    expect(detectEncoding(Buffer.from([0, 1, 2, 3, 0, 0, 5, 6, 7, 0, 0, 0]))).toBeNull();
  });
});

describe('sniffFile', () => {
  it('tells a PNG, a PDF and an old .xls from a CSV, and a ZIP for XLSX', () => {
    expect(sniffFile(Buffer.from('89504e470d0a1a0a', 'hex'))).toMatchObject({
      format: 'refused',
      reason: /PNG/,
    });
    expect(sniffFile(Buffer.from('%PDF-1.7'))).toMatchObject({ format: 'refused' });
    expect(sniffFile(Buffer.from('d0cf11e0a1b11ae1', 'hex'))).toMatchObject({ reason: /\.xls/ });
    expect(sniffFile(Buffer.from('504b0304', 'hex'))).toEqual({ format: 'xlsx' });
    expect(sniffFile(Buffer.from('a;b\n1;2'))).toEqual({ format: 'csv' });
  });
});

describe('detectDelimiter', () => {
  it('finds ; , and tab, ignoring separators inside quotes and quoted line breaks', () => {
    expect(detectDelimiter('a;b;c\n1;"2,5";3\n')).toBe(';');
    expect(detectDelimiter('a,b,c\n1,"x; y",3\n4,5,6\n')).toBe(',');
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(
      detectDelimiter('Клиент;Комментарий;Сумма\n"Анна";"многострочный,\nтекст, с запятыми";100\n'),
    ).toBe(';');
  });
});

describe('parseAmount', () => {
  it('reads decimal commas, spaces, thousands marks and currency signs as kopecks', () => {
    expect(parseAmount('1 500,50')).toEqual({ ok: true, value: 150050 }); // 1500.50 RUB = 150050 kop
    expect(parseAmount('1\u00a0500,5')).toEqual({ ok: true, value: 150050 });
    expect(parseAmount('1,500.50')).toEqual({ ok: true, value: 150050 });
    expect(parseAmount('1.500.000')).toEqual({ ok: true, value: 150000000 });
    expect(parseAmount('2 000 ₽')).toEqual({ ok: true, value: 200000 });
    expect(parseAmount('0,99')).toEqual({ ok: true, value: 99 });
    expect(parseAmount(1500.5)).toEqual({ ok: true, value: 150050 });
  });

  it('refuses negative amounts, three decimals after mixed marks, and words', () => {
    expect(parseAmount('-100').ok).toBe(false);
    expect(parseAmount('12,3456').ok).toBe(false);
    expect(parseAmount('сто рублей').ok).toBe(false);
  });

  it('any amount written with a decimal comma and thin or no-break spaces parses back to the same kopecks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999_999 }),
        fc.constantFrom(' ', '\u00a0', '\u2009', '\u202f', ''),
        (kopecks, space) => {
          const rubles = String(Math.floor(kopecks / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, space);
          const text = `${rubles},${String(kopecks % 100).padStart(2, '0')}`;
          expect(parseAmount(text)).toEqual({ ok: true, value: kopecks });
        },
      ),
    );
  });
});

describe('parseMoment', () => {
  it('reads Russian and ISO dates in the organisation’s zone, and ISO with an offset as given', () => {
    // 18:05 in Moscow (UTC+3) is 15:05 UTC.
    expect(parseMoment('24.11.2026 18:05', 'Europe/Moscow')).toEqual({
      ok: true,
      value: new Date('2026-11-24T15:05:00Z'),
    });
    expect(parseMoment('24.11.2026', 'Asia/Yekaterinburg')).toEqual({
      ok: true,
      value: new Date('2026-11-23T19:00:00Z'),
    });
    expect(parseMoment('2026-11-24 18:05', 'Europe/Moscow')).toEqual({
      ok: true,
      value: new Date('2026-11-24T15:05:00Z'),
    });
    expect(parseMoment('2026-11-24T18:05:00+05:00', 'Europe/Moscow')).toEqual({
      ok: true,
      value: new Date('2026-11-24T13:05:00Z'),
    });
    expect(parseMoment('2026-11-24T18:05:00Z', 'Europe/Moscow')).toEqual({
      ok: true,
      value: new Date('2026-11-24T18:05:00Z'),
    });
  });

  it('reads a wall clock on a day the clocks change (Berlin, 2026-03-29: 03:30 is UTC+2)', () => {
    expect(parseMoment('29.03.2026 03:30', 'Europe/Berlin')).toEqual({
      ok: true,
      value: new Date('2026-03-29T01:30:00Z'),
    });
  });

  it('refuses dates that do not exist and text that is no date', () => {
    expect(parseMoment('31.02.2026 10:00', 'Europe/Moscow').ok).toBe(false);
    expect(parseMoment('24.11.2026 25:00', 'Europe/Moscow').ok).toBe(false);
    expect(parseMoment('вчера', 'Europe/Moscow').ok).toBe(false);
  });
});

describe('names and formula text', () => {
  it('strips line breaks and control characters from names, so `\\r\\nBcc:` can never reach a mail header', () => {
    expect(cleanText('Анна\r\nBcc: x@evil.test')).toEqual({ text: 'Анна Bcc: x@evil.test', changed: true });
    expect(cleanText('Анна\u0000\u2028Петрова')).toEqual({ text: 'Анна Петрова', changed: true });
    expect(cleanText('  Анна   Петрова ')).toEqual({ text: 'Анна Петрова', changed: false });
  });

  it('keeps formula-like text as text with a leading apostrophe', () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil","x")')).toEqual({
      text: '\'=HYPERLINK("http://evil","x")',
      changed: true,
    });
    for (const lead of ['+', '-', '@']) expect(neutraliseFormula(`${lead}cmd`).changed).toBe(true);
    expect(neutraliseFormula('Анна')).toEqual({ text: 'Анна', changed: false });
  });

  it('no cleaned name contains a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the property is about control characters
        expect(cleanText(s).text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
      { numRuns: 300 },
    );
  });

  it('calls impossible phones and e-mails what they are', () => {
    expect(phoneProblem('8 (916) 123-45-67')).toBeNull();
    expect(phoneProblem('+7 903 000-11-22')).toBeNull();
    expect(phoneProblem('123')).toMatch(/Not a phone/);
    expect(phoneProblem('0000000000')).toMatch(/Not a phone/);
    expect(phoneProblem('звонить вечером')).toMatch(/Not a phone/);
    expect(emailProblem('anna@example.ru')).toBeNull();
    expect(emailProblem('anna@')).toMatch(/Not an e-mail/);
    expect(emailProblem('a b@example.ru')).toMatch(/Not an e-mail/);
  });
});
