/** @module Streams the rows of a CSV or XLSX file from disk, never holding the whole file: what the file is, its headers, then its data rows with line numbers. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../kernel/errors.js';
import type { Cell } from './fields.js';
import { detectDelimiter, detectEncoding, sniffFile } from './text.js';
import { assertSafeZip } from './zip-safety.js';

export interface FileInfo {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  sheet: string | null;
  headers: string[];
}

export interface SourceRow {
  /** Line in a CSV file (where the record starts), row number in a sheet. */
  line: number;
  cells: Cell[];
  /** The record's text as in the file (CSV), for the list of bad lines. */
  raw?: string;
  /** The row could not be read at all (a broken quote). */
  broken?: string;
}

const SAMPLE_BYTES = 64 * 1024;

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const refuse = (message: string) => new AppError('unsupported_media_type', message);

/** What the file is and its header row; user choices (encoding, delimiter, sheet) override detection. */
export async function inspectFile(
  path: string,
  choices: { encoding?: string; delimiter?: string; sheet?: string } = {},
): Promise<FileInfo> {
  const head = await readHead(path, SAMPLE_BYTES);
  const kind = sniffFile(head);
  if (kind.format === 'refused') throw refuse(`${kind.reason} / ${kind.reasonRu}`);
  if (kind.format === 'xlsx') {
    for await (const row of xlsxRows(path, choices.sheet)) {
      if (row.cells.some((c) => c !== null && c !== '')) {
        return {
          format: 'xlsx',
          encoding: null,
          delimiter: null,
          sheet: choices.sheet ?? null,
          headers: headerTexts(row.cells),
        };
      }
    }
    throw refuse('The workbook has no rows / В книге нет строк');
  }
  const detected = choices.encoding
    ? { encoding: choices.encoding, bom: 0 }
    : detectEncoding(head.subarray(0, Math.min(head.length, SAMPLE_BYTES)));
  if (!detected || !iconv.encodingExists(detected.encoding)) {
    throw refuse(
      'The file is not text in a known encoding (UTF-8 or Windows-1251), nor an XLSX workbook / ' +
        'Файл не похож на текст в известной кодировке (UTF-8 или Windows-1251) и не является книгой XLSX',
    );
  }
  const text = iconv.decode(head, detected.encoding);
  if (text.includes('\ufffd') && detected.encoding === 'utf-8' && !choices.encoding) {
    throw refuse('The text cannot be decoded / Текст не удаётся прочитать');
  }
  const delimiter = choices.delimiter ?? detectDelimiter(text);
  for await (const row of csvRows(
    path,
    { encoding: detected.encoding, delimiter, headers: [] },
    { header: true },
  )) {
    return {
      format: 'csv',
      encoding: detected.encoding,
      delimiter,
      sheet: null,
      headers: headerTexts(row.cells),
    };
  }
  throw refuse('The file has no rows / В файле нет строк');
}

function headerTexts(cells: Cell[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    let h = (
      c === null
        ? ''
        : c instanceof Date
          ? c.toISOString()
          : typeof c === 'object'
            ? String(c.result ?? '')
            : String(c)
    )
      .replace(/\s+/g, ' ')
      .trim();
    if (!h) h = `#${i + 1}`;
    // Two columns with one name stay apart: "Телефон", "Телефон (2)".
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n > 1 ? `${h} (${n})` : h;
  });
}

export interface ReadHooks {
  /** Skip data rows up to and including this line (a resumed import). */
  afterLine?: number;
  /** Called with the count of file bytes consumed so far. */
  onBytes?: (bytes: number) => void;
  /** Yield the header row too (inspection). */
  header?: boolean;
}

/** The data rows of a file (the header row excluded), streamed. */
export function readRows(
  path: string,
  info: Omit<FileInfo, 'headers'> & { headers?: string[] },
  hooks: ReadHooks = {},
) {
  return info.format === 'xlsx'
    ? skipHeader(xlsxRows(path, info.sheet ?? undefined, hooks.onBytes), hooks)
    : csvRows(
        path,
        { encoding: info.encoding ?? 'utf-8', delimiter: info.delimiter ?? ',', headers: [] },
        hooks,
      );
}

async function* skipHeader(rows: AsyncGenerator<SourceRow>, hooks: ReadHooks): AsyncGenerator<SourceRow> {
  let seenHeader = false;
  for await (const row of rows) {
    if (!seenHeader) {
      if (row.cells.some((c) => c !== null && c !== '')) seenHeader = true;
      continue;
    }
    if (hooks.afterLine && row.line <= hooks.afterLine) continue;
    yield row;
  }
}

async function* csvRows(
  path: string,
  o: { encoding: string; delimiter: string; headers: string[] },
  hooks: ReadHooks,
): AsyncGenerator<SourceRow> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const utf8 = o.encoding === 'utf-8' || o.encoding === 'utf8';
  const source = createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(counter);
  // csv-parse reads UTF-8 (and strips its BOM) itself; anything else is decoded to UTF-8 first by iconv-lite.
  const text = utf8 ? source : source.pipe(iconv.decodeStream(o.encoding)).pipe(iconv.encodeStream('utf-8'));
  const parser = text.pipe(
    parse({
      delimiter: o.delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      raw: true,
    }),
  );
  // Line numbers are counted here from each record's raw text (CRLF, LF or CR each end one line): csv-parse's own
  // count drifts on CRLF inside quoted fields.
  let cursor = 1;
  const place = (rawText: string) => {
    const leading = /^[\r\n]*/.exec(rawText)![0];
    const line = cursor + lineBreaks(leading);
    cursor += lineBreaks(rawText);
    return { line, raw: rawText.slice(leading.length).replace(/[\r\n]+$/, '') };
  };
  const broken: SourceRow[] = [];
  parser.on('skip', (error: Error & { raw?: string }) => {
    const at = place(error.raw ?? '');
    broken.push({ line: at.line, cells: [], raw: at.raw, broken: error.message.split(':')[0] });
  });
  let first = true;
  try {
    for await (const r of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      while (broken.length) yield broken.shift()!;
      const { line, raw } = place(r.raw);
      if (first) {
        first = false;
        if (hooks.header) yield { line, cells: r.record, raw };
        continue;
      }
      hooks.onBytes?.(bytes);
      if (hooks.afterLine && line <= hooks.afterLine) continue;
      yield { line, cells: r.record, raw };
    }
    while (broken.length) yield broken.shift()!;
    hooks.onBytes?.(bytes);
  } finally {
    source.destroy();
  }
}

function lineBreaks(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && s.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** Rows of the first (or the named) worksheet, streamed with exceljs's WorkbookReader. */
async function* xlsxRows(
  path: string,
  sheet?: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<SourceRow> {
  await assertSafeZip(path);
  // exceljs is loaded only for a workbook: a CSV import (and its reading thread) does without its memory.
  const { default: ExcelJS } = await import('exceljs');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const stream = createReadStream(path).pipe(counter);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    worksheets: 'emit',
    entries: 'emit',
  });
  let found = false;
  try {
    for await (const worksheet of reader) {
      const name = (worksheet as unknown as { name?: string }).name;
      if (found || (sheet && name && name !== sheet)) continue;
      found = true;
      for await (const row of worksheet) {
        const values = (row.values as unknown[]).slice(1).map(cellOf);
        onBytes?.(bytes);
        yield { line: row.number, cells: values };
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse(
      `A ZIP archive that is not a readable XLSX workbook (${(error as Error).message}) / ` +
        'Это ZIP-архив, но не книга XLSX, которую можно прочитать',
    );
  } finally {
    stream.destroy();
  }
  if (!found) throw refuse('The workbook has no such sheet / В книге нет такого листа');
}

/** An exceljs cell value as one of ours: text, number, date, or a formula with its saved result. */
function cellOf(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('formula' in o || 'sharedFormula' in o) {
      const result = o.result;
      const r =
        result === undefined || result === null || typeof result === 'object'
          ? result instanceof Date
            ? result
            : null
          : (result as string | number);
      return {
        formula: String(o.formula ?? o.sharedFormula),
        result: typeof r === 'boolean' ? String(r) : r,
      };
    }
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('text' in o) return String(o.text);
    if ('error' in o) return null;
  }
  return String(v);
}
