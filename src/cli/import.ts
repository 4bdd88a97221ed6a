// `sarafan import`: customers and contacts from CSV/XLSX files, with a progress bar; list, resume and roll back imports.
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import {
  createImport,
  dryRun,
  type ImportView,
  listImportErrors,
  listImports,
  type RunControl,
  resumeImport,
  rollbackImport,
  runImport,
} from '../modules/imports/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import type { SystemContext } from './context.js';

/**
 * PGlite for a one-off import: 32 MB of shared buffers instead of the server's 128 MB (PGlite touches all of them
 * at start; an import appends, so more buffers bought no speed in bench/import).
 */
const IMPORT_PGLITE = { shared_buffers: '32MB' };

const collectGarbage = (globalThis as { gc?: () => void }).gc;

async function orgIdOf(database: Database, given: string | undefined): Promise<string> {
  const orgs = rowsOf<{ id: string; name: string }>(
    await database.db.execute(sql`select id::text as id, name from orgs order by created_at`),
  );
  if (given) {
    if (!orgs.some((o) => o.id === given)) throw new Error(`No organisation with id ${given}`);
    return given;
  }
  if (orgs.length === 1) return orgs[0]!.id;
  if (orgs.length === 0) throw new Error('No organisation yet: run `sarafan init` first');
  throw new Error(
    `Several organisations; choose one with --org:\n${orgs.map((o) => `  ${o.id}  ${o.name}`).join('\n')}`,
  );
}

/** Runs with a progress bar; Ctrl-C pauses after the batch in flight (then `sarafan import resume ID`). */
async function withProgress(run: (control: RunControl) => Promise<ImportView>, fileBytes: number) {
  const tty = process.stderr.isTTY;
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {rows} rows | {bad} bad | {rate} rows/s | ETA {eta_formatted}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    hideCursor: true,
    noTTYOutput: !tty,
    notTTYSchedule: 5000,
  });
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the current batch… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  let firstRows = -1;
  bar.start(Math.max(1, fileBytes), 0, { rows: 0, bad: 0, rate: 0 });
  try {
    return await run({
      signal: controller.signal,
      onProgress: (p) => {
        // Each batch leaves ~10 MB of dead rows; collected now, the heap stays near what is alive instead of
        // growing to V8's limit (`gc` is there when bin/sarafan.mjs runs the import with --expose-gc).
        collectGarbage?.();
        if (firstRows < 0) firstRows = p.rowsRead;
        const seconds = (Date.now() - started) / 1000;
        bar.update(p.bytesRead, {
          rows: p.rowsRead,
          bad: p.rowsBad,
          rate: seconds > 0 ? Math.round((p.rowsRead - firstRows) / seconds) : 0,
        });
      },
    });
  } finally {
    bar.stop();
    process.off('SIGINT', onSigint);
  }
}

async function printSummary(ctx: Ctx, job: ImportView, seconds: number) {
  const rate = seconds > 0 ? Math.round(job.rowsRead / seconds) : job.rowsRead;
  console.log(
    `Import ${job.id}: ${job.status}. ${job.rowsRead} rows read, ${job.rowsOk} imported (${job.rowsCreated} new), ` +
      `${job.rowsBad} bad — ${seconds.toFixed(1)} s, ${rate} rows/s.`,
  );
  if (job.lastError) console.log(`  ${job.lastError}`);
  if (job.rowsBad) {
    const bad = await listImportErrors(ctx, job.id, { level: 'error', limit: 20 });
    console.log('First bad lines:');
    for (const e of bad.items) {
      console.log(
        `  line ${e.line}: ${e.errors
          .filter((x) => x.level !== 'warning')
          .map((x) => `${x.field}: ${x.message}`)
          .join('; ')}`,
      );
    }
    if (job.rowsBad > bad.items.length)
      console.log(`  … and ${job.rowsBad - bad.items.length} more (GET /api/v1/imports/${job.id}/errors)`);
  }
  if (job.status === 'paused' || job.status === 'failed') {
    console.log(
      `Resume with: sarafan import resume ${job.id}   ·   undo with: sarafan import rollback ${job.id}`,
    );
  }
}

interface FileOptions {
  dryRun?: boolean;
  mapping?: string;
  org?: string;
  createUnits?: boolean;
  createEmployees?: boolean;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  batchSize?: string;
  readInWorker?: boolean;
}

/**
 * How the CLI runs an import: batches of 5,000 rows read in this thread, for the least memory. Measured with the
 * flags bin/sarafan.mjs gives an import (200,000 rows, peak RSS / CPU s of the main thread): 5,000 here
 * 277 MB / 21 s; 5,000 in the worker thread 306 MB / 21 s (the rows it sends are rebuilt here); 10,000 in the
 * worker 362 MB / 17 s. `--batch-size 10000 --read-in-worker` is the faster choice when memory allows.
 */
function runOptions(
  o: Pick<FileOptions, 'batchSize' | 'readInWorker'>,
): Pick<RunControl, 'batchSize' | 'readInWorker'> {
  const batchSize = o.batchSize === undefined ? 5000 : Number(o.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)
    throw new Error('--batch-size: a whole number of rows from 1 to 100000');
  return { batchSize, readInWorker: Boolean(o.readInWorker) };
}

export function registerImportCommands(program: Command, systemContext: SystemContext): void {
  const command = program
    .command('import')
    .description('Import customers and contacts from CSV or XLSX files');
  for (const kind of ['contacts', 'customers'] as const) {
    command
      .command(`${kind} <file>`)
      .description(
        kind === 'contacts'
          ? 'Import visits and purchases (date, branch, employee, service, amount, customer)'
          : 'Import customers (id, name, phone, e-mail, home branch)',
      )
      .option(
        '--dry-run',
        'read and check the whole file, print the first rows and every problem; write nothing',
      )
      .option('--mapping <name>', 'a saved column mapping (by name or id)')
      .option('--org <id>', 'organisation id (needed when there are several)')
      .option('--create-units', 'create branches named in the file but unknown')
      .option('--create-employees', 'create employees named in the file but unknown')
      .option('--encoding <name>', 'text encoding, e.g. windows-1251 (detected when left out)')
      .option('--delimiter <char>', 'field separator: , ; tab (detected when left out)')
      .option('--sheet <name>', 'XLSX worksheet (the first when left out)')
      .option('--batch-size <rows>', 'rows per transaction (default 5000)')
      .option('--read-in-worker', 'read and check the file in a worker thread (faster, ~30 MB more memory)')
      .action(async (file: string, o: FileOptions) => {
        const path = resolve(file);
        if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`No such file: ${file}`);
        const { database, contextFor } = await systemContext({ pgliteSettings: IMPORT_PGLITE });
        try {
          const ctx = contextFor(await orgIdOf(database, o.org));
          const source = {
            kind,
            path,
            fileName: basename(path),
            mappingName: o.mapping,
            options: {
              createUnits: Boolean(o.createUnits),
              createEmployees: Boolean(o.createEmployees),
              encoding: o.encoding,
              delimiter: (o.delimiter === 'tab' ? '\t' : o.delimiter) as ',' | ';' | '\t' | undefined,
              sheet: o.sheet,
            },
          };
          if (o.dryRun) {
            const report = await dryRun(ctx, source, 10);
            const f = report.file;
            console.log(
              `${f.name}: ${f.format.toUpperCase()}${f.encoding ? `, ${f.encoding}` : ''}` +
                `${f.delimiter ? `, separator ${JSON.stringify(f.delimiter)}` : ''}; columns: ${f.headers.join(' | ')}`,
            );
            console.log('Mapping:');
            for (const [field, header] of Object.entries(report.mapping))
              console.log(`  ${field.padEnd(20)} ← ${header}`);
            for (const e of report.mappingErrors) console.log(`  ! ${e}`);
            if (report.preview.length) {
              console.log('First rows as they will be read:');
              console.table(report.preview.map((p) => ({ line: p.line, ...p.values })));
            }
            if (report.problems.length) {
              console.log(`Problems${report.problemsTruncated ? ' (first 1000)' : ''}:`);
              for (const p of report.problems.slice(0, 200))
                console.log(
                  `  line ${p.line} ${p.level === 'error' ? 'ERROR' : 'warning'} ${p.field}: ${p.message}`,
                );
            }
            const t = report.totals;
            console.log(
              `${report.verdict}. Rows ${t.rows}, ok ${t.ok}, bad ${t.bad}, with warnings ${t.warnings}; ` +
                `would create ${t.unitsToCreate} branches and ${t.employeesToCreate} employees.`,
            );
            if (report.mappingErrors.length || (t.rows > 0 && t.ok === 0)) process.exitCode = 1;
            return;
          }
          const started = Date.now();
          const job = await createImport(ctx, source);
          const done = await withProgress(
            (control) => runImport(ctx, job.id, { ...control, ...runOptions(o) }),
            job.fileBytes,
          );
          await printSummary(ctx, done, (Date.now() - started) / 1000);
          if (done.status !== 'completed') process.exitCode = 1;
        } finally {
          await database.close();
        }
      });
  }

  command
    .command('list')
    .description('Imports with their status (an import whose process died shows as interrupted)')
    .option('--org <id>', 'organisation id (needed when there are several)')
    .action(async (o: { org?: string }) => {
      const { database, contextFor } = await systemContext();
      try {
        const ctx = contextFor(await orgIdOf(database, o.org));
        const jobs = await listImports(ctx);
        if (jobs.length === 0) console.log('No imports yet.');
        for (const j of jobs) {
          console.log(
            `${j.id}  ${j.createdAt.slice(0, 16).replace('T', ' ')}  ${j.kind.padEnd(9)} ${j.status.padEnd(11)} ` +
              `${String(j.rowsOk).padStart(8)} ok ${String(j.rowsBad).padStart(6)} bad  ${j.fileName}` +
              (j.status === 'interrupted' ? '  ← stopped half-way: resume or roll back' : ''),
          );
        }
      } finally {
        await database.close();
      }
    });

  command
    .command('resume <id>')
    .description('Continue an interrupted or paused import after its last committed batch')
    .option('--org <id>', 'organisation id (needed when there are several)')
    .option('--batch-size <rows>', 'rows per transaction (default 5000)')
    .option('--read-in-worker', 'read and check the file in a worker thread (faster, ~30 MB more memory)')
    .action(async (id: string, o: { org?: string; batchSize?: string; readInWorker?: boolean }) => {
      const { database, contextFor } = await systemContext({ pgliteSettings: IMPORT_PGLITE });
      try {
        const ctx = contextFor(await orgIdOf(database, o.org));
        const started = Date.now();
        const jobs = await listImports(ctx, 1000);
        const job = jobs.find((j) => j.id === id);
        if (!job) throw new Error(`No import ${id}`);
        const done = await withProgress(
          (control) => resumeImport(ctx, id, { ...control, ...runOptions(o) }),
          job.fileBytes,
        );
        await printSummary(ctx, done, (Date.now() - started) / 1000);
        if (done.status !== 'completed') process.exitCode = 1;
      } finally {
        await database.close();
      }
    });

  command
    .command('rollback <id>')
    .description('Delete the customers and contacts an import created (rows it only updated stay)')
    .option('--org <id>', 'organisation id (needed when there are several)')
    .action(async (id: string, o: { org?: string }) => {
      const { database, contextFor } = await systemContext();
      try {
        const ctx = contextFor(await orgIdOf(database, o.org));
        const r = await rollbackImport(ctx, id);
        console.log(
          `Rolled back import ${id}: deleted ${r.contactsDeleted} contacts and ${r.customersDeleted} customers.`,
        );
        console.log(r.note);
      } finally {
        await database.close();
      }
    });
}
