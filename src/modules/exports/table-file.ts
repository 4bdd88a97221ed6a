// A table as a CSV or XLSX file that opens cleanly in Excel and cannot run anything there.
//
// Formula injection (CWE-1236, OWASP "CSV Injection"): a spreadsheet reads a cell that starts with = + - @ (or a
// tab or carriage return before one) as a formula, so text that came from customers ("=HYPERLINK(…)") could run
// when an analyst opens the export. Every text cell starting with one of those gets a leading apostrophe, which
// Excel and LibreOffice show as text; numbers are written as numbers and never touched.
import ExcelJS from 'exceljs';

export type ColumnType = 'text' | 'number' | 'integer' | 'percent' | 'date';
export type Cell = string | number | boolean | null;
export type TableRow = Record<string, Cell | undefined>;

export interface TableColumn {
  key: string;
  label: string;
  /** How a number is shown; `percent` holds a fraction (0.25 = 25%), `date` a 'YYYY-MM-DD'. Default text. */
  type?: ColumnType;
}

export interface TableSheet {
  name: string;
  columns: TableColumn[];
  rows: TableRow[];
}

export interface CsvOptions {
  /** ',' (RFC 4180) or ';' (what Excel expects where ',' is the decimal comma). */
  delimiter?: ',' | ';';
  /** The UTF-8 byte order mark, so that Excel reads Cyrillic as UTF-8 and not as the ANSI code page. */
  bom?: boolean;
}

export interface XlsxOptions {
  /** A last sheet saying what the file is: title, period, filters, when it was made. */
  readme?: { name?: string; lines: string[] };
  creator?: string;
  created?: Date;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text as a spreadsheet will show it and never evaluate it. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A cell's value in the file: finite numbers stay numbers, everything else becomes safe text. */
function fileValue(cell: Cell | undefined): string | number | boolean | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'boolean') return cell;
  return safeText(cell);
}

function csvField(value: string | number | boolean | null, delimiter: string): string {
  if (value === null) return '';
  const text = String(value);
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim()
    ? `"${text.replace(/"/g, '""')}"`
    : text;
}

/** The table as CSV (RFC 4180: CRLF line ends, fields with quotes, delimiters or line breaks quoted). */
export function toCsv(columns: TableColumn[], rows: TableRow[], options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const line = (values: (string | number | boolean | null)[]) =>
    values.map((v) => csvField(v, delimiter)).join(delimiter);
  const lines = [
    line(columns.map((c) => safeText(c.label))),
    ...rows.map((row) => line(columns.map((c) => fileValue(row[c.key])))),
  ];
  return `${options.bom === false ? '' : '\uFEFF'}${lines.join('\r\n')}\r\n`;
}

const NUMBER_FORMATS: Partial<Record<ColumnType, string>> = {
  integer: '0',
  percent: '0.0%',
  date: 'yyyy-mm-dd',
};

/** Excel's sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(/[:\\/?*[\]]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 31)
      .trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    candidate = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Excel keeps at most 32,767 characters in a cell. */
const MAX_CELL = 32_767;

/** The sheets as one XLSX workbook: a bold, frozen header with filters, typed cells, widths to fit. */
export async function toXlsx(sheets: TableSheet[], options: XlsxOptions = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = options.creator ?? 'Sarafan';
  book.created = options.created ?? new Date();
  const taken = new Set<string>();
  for (const sheet of sheets) {
    const ws = book.addWorksheet(sheetName(sheet.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: safeText(c.label),
      key: c.key,
      style: NUMBER_FORMATS[c.type ?? 'text'] ? { numFmt: NUMBER_FORMATS[c.type ?? 'text'] } : {},
    }));
    for (const row of sheet.rows) {
      ws.addRow(
        sheet.columns.map((c) => {
          const raw = row[c.key];
          // A day written as text in a date column becomes a real date (UTC midnight: no zone shifts it).
          if (c.type === 'date' && typeof raw === 'string' && DATE.test(raw))
            return new Date(`${raw}T00:00:00Z`);
          const value = fileValue(raw);
          return typeof value === 'string' ? value.slice(0, MAX_CELL) : value;
        }),
      );
    }
    ws.getRow(1).font = { bold: true };
    if (sheet.columns.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    }
    sheet.columns.forEach((c, i) => {
      const widest = sheet.rows.reduce(
        (max, row) => Math.max(max, String(row[c.key] ?? '').length),
        c.label.length,
      );
      ws.getColumn(i + 1).width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  if (options.readme) {
    const ws = book.addWorksheet(sheetName(options.readme.name ?? 'Readme', taken));
    ws.getColumn(1).width = 100;
    options.readme.lines.forEach((line, i) => {
      const cell = ws.getCell(i + 1, 1);
      cell.value = safeText(line).slice(0, MAX_CELL);
      if (i === 0) cell.font = { bold: true, size: 14 };
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
