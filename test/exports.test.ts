// Exports over HTTP: a table posted as JSON comes back as a CSV or XLSX file that opens in Excel with its
// Cyrillic intact, its numbers numeric and nothing a customer typed able to run as a formula.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
});
afterAll(() => world.close());

const table = {
  title: 'NPS по филиалам',
  columns: [
    { key: 'branch', label: 'Филиал' },
    { key: 'nps', label: 'NPS', type: 'number' },
    { key: 'n', label: 'Ответов', type: 'integer' },
    { key: 'reason', label: 'Причина' },
  ],
  rows: [
    { branch: 'Арбат', nps: 42.5, n: 120, reason: 'Всё отлично, спасибо!' },
    { branch: 'Тверская', nps: -12, n: 35, reason: '=HYPERLINK("http://evil.example","нажми")' },
    { branch: 'Сокол', nps: null, n: 0, reason: '+7 (900) 000-00-00' },
    { branch: '@Марьино', nps: 0, n: 3, reason: '-1' },
  ],
};

describe('POST /api/v1/exports/table', () => {
  it('answers a CSV with a BOM, a UTF-8 file name, Cyrillic that parses back and formulas disarmed', async () => {
    const r = await org.api('POST', '/api/v1/exports/table', { ...table, format: 'csv' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = r.headers.get('content-disposition')!;
    // 2026-11-20 in Moscow; the ASCII stand-in keeps only what old clients can read.
    expect(disposition).toBe(
      `attachment; filename="NPS-2026-11-20.csv"; filename*=UTF-8''${encodeURIComponent('NPS по филиалам 2026-11-20.csv')}`,
    );
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(Buffer.from(bytes), { bom: true });
    expect(rows).toEqual([
      ['Филиал', 'NPS', 'Ответов', 'Причина'],
      ['Арбат', '42.5', '120', 'Всё отлично, спасибо!'],
      ['Тверская', '-12', '35', '\'=HYPERLINK("http://evil.example","нажми")'],
      ['Сокол', '', '0', "'+7 (900) 000-00-00"],
      ["'@Марьино", '0', '3', "'-1"],
    ]);
  });

  it('answers an XLSX whose cells keep their types, with a readme sheet in the caller’s language', async () => {
    const r = await org.api('POST', '/api/v1/exports/table', {
      ...table,
      format: 'xlsx',
      readme: ['Период: 2026-01-01 — 2026-11-20', 'NPS = % промоутеров − % критиков'],
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(r.headers.get('content-disposition')).toContain('filename="NPS-2026-11-20.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await r.arrayBuffer());
    expect(book.worksheets.map((w) => w.name)).toEqual(['NPS по филиалам', 'О файле']);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getCell('A2').value).toBe('Арбат');
    expect(sheet.getCell('B2').value).toBe(42.5);
    expect(sheet.getCell('B3').value).toBe(-12);
    expect(sheet.getCell('B4').value).toBeNull();
    expect(sheet.getCell('C2').value).toBe(120);
    expect(sheet.getCell('D3').value).toBe('\'=HYPERLINK("http://evil.example","нажми")');
    expect(sheet.getCell('D3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A5').value).toBe("'@Марьино");
    const readme = book.worksheets[1]!;
    expect(readme.getCell('A1').value).toBe('NPS по филиалам');
    expect(String(readme.getCell('A2').value)).toMatch(
      /^ФитПарк · 20 нояб\. 2026 г\., 13:00 \(Europe\/Moscow\)$/,
    );
    expect(readme.getCell('A5').value).toBe('NPS = % промоутеров − % критиков');
  });

  it('refuses a table it cannot write, naming the field', async () => {
    const repeated = await expectJson(
      org.api('POST', '/api/v1/exports/table', {
        ...table,
        format: 'csv',
        columns: [...table.columns, { key: 'nps', label: 'Ещё раз' }],
      }),
      422,
    );
    expect(repeated.errors).toEqual([{ path: 'columns.4.key', message: 'Repeated key' }]);
    const format = await expectJson(
      org.api('POST', '/api/v1/exports/table', { ...table, format: 'pdf' }),
      422,
    );
    expect(format.errors[0].path).toBe('format');
    const cell = await expectJson(
      org.api('POST', '/api/v1/exports/table', { ...table, format: 'csv', rows: [{ branch: { x: 1 } }] }),
      422,
    );
    expect(cell.errors[0].path).toMatch(/^rows\.0\.branch/);
    const noColumns = await expectJson(
      org.api('POST', '/api/v1/exports/table', { ...table, format: 'csv', columns: [] }),
      422,
    );
    expect(noColumns.errors[0].path).toBe('columns');
  });

  it('refuses more rows than it takes, and a body beyond the API’s limit, with a problem', async () => {
    const many = await expectJson(
      org.api('POST', '/api/v1/exports/table', {
        ...table,
        format: 'csv',
        rows: Array.from({ length: 20_001 }, () => ({})),
      }),
      422,
    );
    expect(many.errors[0].path).toBe('rows');
    const big = await org.api('POST', '/api/v1/exports/table', {
      ...table,
      format: 'xlsx',
      rows: Array.from({ length: 3000 }, (_, i) => ({ branch: 'Филиал '.repeat(40), n: i })),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toContain('application/problem+json');
  });

  it('needs a signed-in user or an API key', async () => {
    const r = await world.app.request('/api/v1/exports/table', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...table, format: 'csv' }),
    });
    expect(r.status).toBe(401);
  });
});
