/**
 * @module The checked rows of an import's file, a batch at a time: read, decoded, parsed and checked either here
 * or in a worker thread, so that on a second core the next batch is being read while this one is written (PGlite
 * runs PostgreSQL in this thread). The worker reads at most one batch ahead and waits to be asked for the next.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorCode } from '../kernel/errors.js';
import { type ReadOptions, type RowRecord, readRow } from './fields.js';
import { type FileInfo, readRows, type SourceRow } from './reader.js';

/** A row as a checked record; null for an empty row. */
export function recordOf(row: SourceRow, read: ReadOptions): RowRecord | null {
  if (row.broken) {
    return {
      line: row.line,
      customer: {},
      problems: [{ field: '(row)', message: `The line cannot be read: ${row.broken}`, level: 'error' }],
    };
  }
  if (row.cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) return null;
  return readRow(row.line, row.cells, read);
}

export interface Batch {
  records: RowRecord[];
  /** The file's text of each record (CSV), by line: kept for the list of bad lines. */
  raws: Map<number, string>;
  /** The last line read (empty rows included): the checkpoint once this batch commits. */
  lastLine: number;
  /** File bytes consumed when the batch was full. */
  bytes: number;
}

export interface BatchSource {
  path: string;
  info: FileInfo;
  read: ReadOptions;
  afterLine: number;
  batchSize: number;
}

/** The batches of the file read in this thread. */
export async function* batchesHere(s: BatchSource): AsyncGenerator<Batch> {
  let bytes = 0;
  let batch: Batch = { records: [], raws: new Map(), lastLine: s.afterLine, bytes: 0 };
  for await (const row of readRows(s.path, s.info, {
    afterLine: s.afterLine,
    onBytes: (b) => {
      bytes = b;
    },
  })) {
    const r = recordOf(row, s.read);
    batch.lastLine = Math.max(batch.lastLine, row.line);
    if (!r) continue;
    batch.records.push(r);
    if (row.raw !== undefined) batch.raws.set(r.line, row.raw);
    if (batch.records.length >= s.batchSize) {
      batch.bytes = bytes;
      const full = batch;
      batch = { records: [], raws: new Map(), lastLine: full.lastLine, bytes: 0 };
      yield full;
    }
  }
  batch.bytes = bytes;
  if (batch.records.length || batch.lastLine > s.afterLine) yield batch;
}

type FromWorker =
  | { batch: Batch }
  | { done: true }
  | { error: { message: string; code?: AppErrorCode; details?: AppError['details'] } };

const workerUrl = new URL(`./read-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

const WORKER_LIMITS = { maxOldGenerationSizeMb: 96 };

/** tsx's ESM API (its `import` entry: the `require` one resolves its own parts wrongly from a worker). */
const tsxApi = () =>
  pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;

/** The batches of the file read in a worker thread, one batch ahead of the caller. */
export async function* batchesInWorker(s: BatchSource): AsyncGenerator<Batch> {
  // Run from TypeScript sources (tsx, tests), the worker first registers tsx's loader, then loads its module.
  const worker = workerUrl.pathname.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(tsxApi())})` +
          `.then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); })`,
        { eval: true, workerData: s, execArgv: [], resourceLimits: WORKER_LIMITS },
      )
    : new Worker(workerUrl, { workerData: s, execArgv: [], resourceLimits: WORKER_LIMITS });
  const queue: FromWorker[] = [];
  let wake: (() => void) | null = null;
  const push = (m: FromWorker) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ error: { message: e.message } }));
  worker.on('exit', (code) => {
    if (code !== 0) push({ error: { message: `The file reader stopped (exit ${code})` } });
  });
  try {
    worker.postMessage('next');
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = null;
      const m = queue.shift()!;
      if ('done' in m) return;
      if ('error' in m) {
        const { code, message, details } = m.error;
        throw code ? new AppError(code, message, details) : new Error(message);
      }
      // Ask for the next batch now: it is read while the caller writes this one.
      worker.postMessage('next');
      yield m.batch;
    }
  } finally {
    await worker.terminate();
  }
}

/** Whether a file is large enough for the reading to go to a worker thread (starting one takes a moment). */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;
