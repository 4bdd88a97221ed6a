// Streaming rows from real-looking files: encodings, BOM, quoted line breaks, line numbers, header mapping, XLSX formulas.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { autoMapping, columnsOf, readRow } from './fields.js';
import { inspectFile, readRows, type SourceRow } from './reader.js';

const dir = mkdtempSync(join(tmpdir(), 'sarafan-reader-'));
let n = 0;
function file(content: Buffer | string): string {
  const path = join(dir, `f${++n}`);
  writeFileSync(path, content);
  return path;
}

async function all(path: string): Promise<SourceRow[]> {
  const info = await inspectFile(path);
  const rows: SourceRow[] = [];
  for await (const r of readRows(path, info)) rows.push(r);
  return rows;
}

/** A CSV field quoted the way csv-stringify and Excel quote it. */
const quote = (s: string) => (/[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

describe('reading CSV files', () => {
  it('reads Windows-1251 with ; and CRLF, giving each record the line it starts on', async () => {
    const text = 'Клиент;Комментарий;Сумма\r\nАнна;"две\r\nстроки";100\r\n\r\nОлег;;200\r\n';
    const path = file(iconv.encode(text, 'windows-1251'));
    const info = await inspectFile(path);
    expect(info).toMatchObject({ format: 'csv', encoding: 'windows-1251', delimiter: ';' });
    expect(info.headers).toEqual(['Клиент', 'Комментарий', 'Сумма']);
    const rows = await all(path);
    expect(rows.map((r) => [r.line, r.cells])).toEqual([
      [2, ['Анна', 'две\r\nстроки', '100']],
      [5, ['Олег', '', '200']],
    ]);
  });

  it('strips a UTF-8 BOM from the first header', async () => {
    const info = await inspectFile(file(`\ufeffТелефон,E-mail\n1,2\n`));
    expect(info.headers).toEqual(['Телефон', 'E-mail']);
  });

  it('any rows written with csv-stringify-style quoting read back the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(
            fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s !== ''),
            { minLength: 3, maxLength: 3 },
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (rows) => {
          const text = ['a;b;c', ...rows.map((r) => r.map(quote).join(';'))].join('\r\n');
          const read = await all(file(text));
          expect(read.map((r) => r.cells)).toEqual(rows);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('mapping headers', () => {
  it('maps Russian and English headers to fields', () => {
    expect(
      autoMapping('contacts', [
        'Номер визита',
        'Дата визита',
        'ID клиента',
        'Клиент',
        'Телефон',
        'E-mail',
        'Филиал',
        'Сотрудник',
        'Услуга',
        'Сумма',
      ]),
    ).toEqual({
      externalId: 'Номер визита',
      occurredAt: 'Дата визита',
      customerExternalId: 'ID клиента',
      customerName: 'Клиент',
      phone: 'Телефон',
      email: 'E-mail',
      unit: 'Филиал',
      employee: 'Сотрудник',
      service: 'Услуга',
      amount: 'Сумма',
    });
    expect(
      autoMapping('contacts', [
        'Visit ID',
        'Date',
        'Customer ID',
        'Customer',
        'Phone',
        'Email',
        'Branch',
        'Staff',
        'Service',
        'Amount',
      ]),
    ).toEqual({
      externalId: 'Visit ID',
      occurredAt: 'Date',
      customerExternalId: 'Customer ID',
      customerName: 'Customer',
      phone: 'Phone',
      email: 'Email',
      unit: 'Branch',
      employee: 'Staff',
      service: 'Service',
      amount: 'Amount',
    });
    expect(autoMapping('customers', ['ID', 'ФИО', 'Мобильный телефон', 'Эл. почта'])).toEqual({
      customerExternalId: 'ID',
      customerName: 'ФИО',
      phone: 'Мобильный телефон',
      email: 'Эл. почта',
    });
  });

  it('says which required fields are missing', () => {
    expect(columnsOf('contacts', ['Клиент'], { customerName: 'Клиент' }).errors).toHaveLength(3);
    expect(columnsOf('contacts', ['a'], { phone: 'b' }).errors[0]).toMatch(/no column "b"/);
  });
});

describe('reading a row', () => {
  const columns = { occurredAt: 0, unit: 1, customerName: 2, phone: 3, amount: 4 };
  const read = (cells: (string | null)[]) =>
    readRow(7, cells, { kind: 'contacts', columns, timeZone: 'Europe/Moscow', currency: 'RUB' });

  it('keeps a row with a bad phone as a warning, drops the phone; a bad date is an error', () => {
    const r = read(['24.11.2026 18:05', 'Центр', 'Анна', '12', '100']);
    expect(r.problems).toEqual([
      expect.objectContaining({ field: 'phone', level: 'warning' }),
      expect.objectContaining({ field: 'customerExternalId', level: 'error' }),
    ]);
    const ok = read(['24.11.2026 18:05', 'Центр', '=1+1', '8 916 123 45 67', '1 500,50']);
    expect(ok.customer).toMatchObject({ name: "'=1+1", phone: '+79161234567' });
    expect(ok.contact).toMatchObject({ amountMinor: 150050, unit: { name: 'Центр' } });
    expect(read(['когда-то', 'Центр', 'А', '89161234567', '1']).problems[0]).toMatchObject({
      field: 'occurredAt',
      level: 'error',
    });
  });
});

describe('reading XLSX files', () => {
  it('streams a sheet, takes a formula’s saved value with a warning, and refuses one without', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Визиты');
    ws.addRow(['Дата визита', 'Филиал', 'Телефон', 'Сумма', 'Клиент']);
    ws.addRow([new Date(Date.UTC(2026, 10, 24, 18, 5)), 'Центр', '+79161234567', 1500.5, 'Анна']);
    ws.addRow([
      '25.11.2026 10:00',
      'Центр',
      '+79161234568',
      { formula: 'SUM(1,2)', result: 3 },
      { formula: 'HYPERLINK("http://evil","x")' },
    ]);
    const path = join(dir, 'book.xlsx');
    await wb.xlsx.writeFile(path);
    const info = await inspectFile(path);
    expect(info).toMatchObject({
      format: 'xlsx',
      headers: ['Дата визита', 'Филиал', 'Телефон', 'Сумма', 'Клиент'],
    });
    const mapping = autoMapping('contacts', info.headers);
    const { columns } = columnsOf('contacts', info.headers, mapping);
    const records = (await all(path)).map((r) =>
      readRow(r.line, r.cells, { kind: 'contacts', columns, timeZone: 'Europe/Moscow', currency: 'RUB' }),
    );
    expect(records[0]).toMatchObject({
      line: 2,
      contact: { amountMinor: 150050, occurredAt: new Date('2026-11-24T15:05:00Z') },
    });
    expect(records[1]!.contact!.amountMinor).toBe(300);
    expect(records[1]!.problems).toHaveLength(2);
    expect(records[1]!.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'amount', level: 'warning' }),
        expect.objectContaining({
          field: 'customerName',
          level: 'error',
          message: expect.stringMatching(/no saved value/),
        }),
      ]),
    );
  });
});
