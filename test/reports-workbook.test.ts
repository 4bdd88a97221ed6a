// The data workbook as a person opens it: no cell runs as a formula, an owner's file carries the customers' contact
// details, an analyst's carries none of them anywhere (stable pseudonyms instead, contact details masked inside
// reasons) — in the XLSX and in its CSVs.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { pseudonymOf } from '../src/modules/reports/index.js';
import { FORMULA_REASON, KNOWN, type ReportWorld, seedReportWorld } from './reports-library-seed.js';
import { expectJson, type TestOrg } from './support/world.js';

let w: ReportWorld;
const october = { locale: 'ru', audience: 'customer', from: '2026-10-01', to: '2026-10-31', unitId: null };

beforeAll(async () => {
  w = await seedReportWorld();
}, 300_000);
afterAll(async () => {
  await w?.world.close();
});

async function workbookOf(who: Pick<TestOrg, 'api'>, options = october) {
  const queued = await expectJson(
    who.api('POST', '/api/v1/reports', { kind: 'workbook-xlsx', options }),
    202,
  );
  await w.world.runtime.worker.runDue(w.world.now);
  const made = await expectJson(who.api('GET', `/api/v1/reports/${queued.id}`), 200);
  expect(made).toMatchObject({ status: 'done', error: null });
  const file = await who.api('GET', `/api/v1/reports/${queued.id}/file`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes.buffer as ArrayBuffer);
  const zip = await JSZip.loadAsync(
    await (await who.api('GET', `/api/v1/reports/${queued.id}/csv`)).arrayBuffer(),
  );
  const csvs = await Promise.all(Object.values(zip.files).map((f) => f.async('string')));
  return { report: queued, book, csvs, bytes };
}

/** Every cell of every sheet as text, with its type. */
function cellsOf(book: ExcelJS.Workbook) {
  const out: { sheet: string; text: string; type: ExcelJS.ValueType }[] = [];
  for (const ws of book.worksheets)
    ws.eachRow((row) =>
      row.eachCell((cell) => out.push({ sheet: ws.name, text: String(cell.text ?? ''), type: cell.type })),
    );
  return out;
}

describe('the data workbook', () => {
  it('writes a reason that looks like a formula as text, and no cell anywhere is a formula', async () => {
    const { book, csvs } = await workbookOf(w.org);
    const cells = cellsOf(book);
    expect(cells.length).toBeGreaterThan(200);
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula)).toEqual([]);
    const formula = cells.find((c) => c.text.includes('HYPERLINK'));
    expect(formula).toMatchObject({
      sheet: 'Ответы',
      text: `'${FORMULA_REASON}`,
      type: ExcelJS.ValueType.String,
    });
    // The CSV carries the same apostrophe, quoted as RFC 4180 wants.
    expect(csvs.join('\n')).toContain(`"'=HYPERLINK(""http://evil.example/x"",""Нажмите"")"`);
    // The readme describes every column of every sheet.
    const readme = book.getWorksheet('О файле')!;
    const described = new Set<string>();
    readme.eachRow((row) => {
      const sheet = row.getCell(1).text;
      if (sheet) described.add(`${sheet}|${row.getCell(2).text}`);
    });
    for (const ws of book.worksheets.slice(1))
      (ws.getRow(1).values as string[]).slice(1).forEach((label) => {
        expect(described.has(`${ws.name}|${label}`)).toBe(true);
      });
  }, 120_000);

  it('opens in LibreOffice', async () => {
    const { bytes } = await workbookOf(w.org);
    const dir = mkdtempSync(join(tmpdir(), 'workbook-'));
    try {
      writeFileSync(join(dir, 'book.xlsx'), bytes);
      await promisify(execFile)(
        'libreoffice',
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          // Comma-separated, double quotes, UTF-8 (character set 76).
          'csv:Text - txt - csv (StarCalc):44,34,76',
          '--outdir',
          dir,
          join(dir, 'book.xlsx'),
        ],
        { timeout: 240_000 },
      );
      // The first sheet, the readme, as LibreOffice read it.
      const readme = readFileSync(join(dir, 'book.csv'), 'utf8');
      expect(readme).toContain('Книга данных Sarafan · ФитПарк');
      expect(readme).toContain('Период: 2026-10-01 – 2026-10-31');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('gives an owner the customers’ contact details beside their pseudonym', async () => {
    const { book } = await workbookOf(w.org);
    const texts = cellsOf(book).map((c) => c.text);
    expect(texts).toContain(KNOWN.email);
    expect(texts).toContain(KNOWN.name);
  }, 120_000);

  it('gives an analyst no name, e-mail or phone in any cell, stable pseudonyms, and masks inside reasons', async () => {
    const { book, csvs, report } = await workbookOf(w.analyst);
    expect(report.pseudonymised).toBe(true);
    const cells = cellsOf(book);
    const forbidden = [KNOWN.email, KNOWN.name, 'Анна', 'Петрова', KNOWN.phone, '123-45-67', '9161234567'];
    for (const cell of cells) for (const word of forbidden) expect(cell.text).not.toContain(word);
    for (const csv of csvs) for (const word of forbidden) expect(csv).not.toContain(word);
    // The column headings of personal fields are absent too.
    expect(book.getWorksheet('Ответы')!.getRow(1).values).not.toContain('E-mail');
    // The known customer's reason: contact details masked, their name replaced by their code.
    const [known] = rowsOf<{ id: string }>(
      await w.world.runtime.database.db.execute(
        sql`select id from customers where org_id = ${w.org.orgId}::uuid and external_id = 'rp-1'`,
      ),
    );
    const code = pseudonymOf(w.world.runtime.deps.vault, 'customer', known!.id);
    const answers = book.getWorksheet('Ответы')!;
    const header = (answers.getRow(1).values as string[]).slice(1);
    const at = (name: string) => header.indexOf(name) + 1;
    let reason = '';
    answers.eachRow((row, n) => {
      if (n > 1 && row.getCell(at('Клиент')).text === code) reason = row.getCell(at('Причина')).text;
    });
    expect(reason).toBe(`Грязная раздевалка. Пишите [e-mail] или звоните [телефон], ${code}`);
    // The same pseudonyms in a second file: an analyst can follow a customer across files.
    const again = await workbookOf(w.analyst);
    const codes = (b: ExcelJS.Workbook) => {
      const ws = b.getWorksheet('Ответы')!;
      const list: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 1) list.push(row.getCell(at('Клиент')).text);
      });
      return list;
    };
    expect(codes(again.book)).toEqual(codes(book));
    expect(codes(book).every((c) => /^C-[0-9A-Z]{10}$/.test(c))).toBe(true);
  }, 180_000);

  it('says what is missing for a period with no answers, and still opens', async () => {
    const { book } = await workbookOf(w.org, { ...october, from: '2025-01-01', to: '2025-01-31' });
    expect(book.getWorksheet('Ответы')!.rowCount).toBe(1);
    const readme = cellsOf(book)
      .filter((c) => c.sheet === 'О файле')
      .map((c) => c.text);
    expect(readme.join('\n')).toContain('Период: 2025-01-01 – 2025-01-31');
  }, 120_000);
});
