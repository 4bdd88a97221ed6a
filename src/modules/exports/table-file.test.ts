import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeText, sheetName, toCsv, toXlsx } from './table-file.js';

const columns = [
  { key: 'name', label: 'Филиал' },
  { key: 'nps', label: 'NPS', type: 'number' as const },
];

describe('safeText', () => {
  it('puts an apostrophe before text a spreadsheet would read as a formula, and leaves the rest', () => {
    for (const risky of ['=1+1', '+7 900', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(safeText(risky)).toBe(`'${risky}`);
    for (const plain of ['Арбат', '1+1', ' =1', "'quoted", '']) expect(safeText(plain)).toBe(plain);
  });
});

describe('toCsv', () => {
  it('writes a BOM, CRLF lines, quotes where RFC 4180 needs them and numbers as they are', () => {
    const csv = toCsv(columns, [
      { name: 'Арбат, центр', nps: 42.5 },
      { name: 'He said "hi"', nps: -12 },
      { name: 'two\nlines', nps: null },
    ]);
    expect(csv).toBe('\uFEFFФилиал,NPS\r\n"Арбат, центр",42.5\r\n"He said ""hi""",-12\r\n"two\nlines",\r\n');
    expect(toCsv(columns, [{ name: 'a;b', nps: 1 }], { delimiter: ';', bom: false })).toBe(
      'Филиал;NPS\r\n"a;b";1\r\n',
    );
  });

  it('reads back every string exactly (after the apostrophe it may add) and every number (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ name: fc.string({ unit: 'grapheme' }), nps: fc.integer({ min: -100, max: 100 }) }),
          {
            maxLength: 20,
          },
        ),
        fc.constantFrom(',' as const, ';' as const),
        (rows, delimiter) => {
          const back: string[][] = parse(toCsv(columns, rows, { delimiter }), { bom: true, delimiter });
          expect(back[0]).toEqual(['Филиал', 'NPS']);
          rows.forEach((row, i) => {
            expect(back[i + 1]![0]).toBe(safeText(row.name));
            expect(Number(back[i + 1]![1])).toBe(row.nps);
          });
        },
      ),
    );
  });
});

describe('toXlsx', () => {
  it('keeps numbers numeric, dates as dates, text as safe text, and adds the readme sheet last', async () => {
    const file = await toXlsx(
      [
        {
          name: 'NPS: по филиалам / 2026?',
          columns: [
            ...columns,
            { key: 'share', label: 'Доля', type: 'percent' },
            { key: 'day', label: 'День', type: 'date' },
          ],
          rows: [{ name: '=HYPERLINK("http://x")', nps: -5, share: 0.25, day: '2026-11-30' }],
        },
      ],
      { readme: { name: 'О файле', lines: ['Отчёт', '-не формула'] } },
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(new Uint8Array(file).buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['NPS по филиалам 2026', 'О файле']);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Филиал', 'NPS', 'Доля', 'День']);
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('\'=HYPERLINK("http://x")');
    expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(2).value).toBe(-5);
    expect(row.getCell(3).value).toBe(0.25);
    expect(row.getCell(3).numFmt).toBe('0.0%');
    expect(row.getCell(4).value).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(book.worksheets[1]!.getCell('A2').value).toBe("'-не формула");
  });

  it('names sheets as Excel allows: 31 characters, no : \\ / ? * [ ], unique', () => {
    const taken = new Set<string>();
    expect(sheetName('a'.repeat(40), taken)).toHaveLength(31);
    expect(sheetName('a'.repeat(40), taken)).toBe(`${'a'.repeat(27)} (2)`);
    expect(sheetName('[x]', taken)).toBe('x');
    expect(sheetName('', taken)).toBe('Sheet');
  });
});
