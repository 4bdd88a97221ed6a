import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officeSafeSheets, streamXlsx, workbookCsvs } from './workbook.js';

const sheet = (reason: string) => ({
  name: 'Ответы',
  columns: [
    { key: 'reason', label: 'Причина' },
    { key: 'score', label: 'Оценка', type: 'integer' as const },
  ],
  rows: [{ reason, score: 3 }],
});

describe('officeSafeSheets', () => {
  it('drops the characters XML 1.0 forbids and keeps tabs, line breaks and every other letter', () => {
    const [safe] = officeSafeSheets([sheet('Грязно\u0000\u0007 в\tдуше\nи \uD800холодно \u{1F600}')]);
    expect(safe!.rows[0]).toEqual({ reason: 'Грязно в\tдуше\nи холодно \u{1F600}', score: 3 });
  });
  it('always gives a workbook that reads back, whatever the text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (text) => {
        const file = await streamXlsx(officeSafeSheets([sheet(text)]), new Date('2026-11-01T00:00:00Z'));
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(new Uint8Array(file).buffer as ArrayBuffer);
        expect(book.worksheets[0]!.getRow(2).getCell(2).value).toBe(3);
        const [csv] = await workbookCsvs(file);
        expect(csv!.name).toBe('Ответы');
      }),
      { numRuns: 60 },
    );
  });
});
