// bench/import: rows/s and peak RSS importing a generated contacts CSV (Windows-1251, ';', Russian headers) on
// PGlite (a file database) and PostgreSQL (a throwaway database). Per engine, one child process creates and migrates
// the database, and a fresh one opens it and imports (what a user does: the server created it, the CLI imports).
// VIA=cli (default) imports with the CLI as a user does (`node bin/sarafan.mjs import contacts FILE`, what
// `npm run sarafan` runs) and measures that process from /proc; VIA=module imports in a child of this script
// (under tsx) with the knobs below.
// ROWS=1000000 default; ENGINES=pglite,postgres; BATCH overrides the batch size; ECONOMICS=1 starts the organisation's
// economics running sums first (as once its economics page has been computed), so their trigger's upsert is timed too. The importing process opens PGlite
// with SHARED_BUFFERS (default 32MB; the server keeps PostgreSQL's 128MB) and runs with a V8 old space of HEAP_MB
// (default 128; 0 = V8's own limit): with the default limit V8 lets dead batches pile up to ~365 MB at 1M rows,
// and the smaller heap was faster too. Besides wall-clock rows/s it prints rows per CPU second of the importing
// process, which other work on the machine disturbs far less.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase } from '../src/db/index.js';
import { createImport, runImport } from '../src/modules/imports/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIMEOUT_MS = Number(process.env.TIMEOUT_S ?? 900) * 1000;

/** One visit per row; 10 visits per customer on average, 50 branches, 500 employees. */
async function generate(path: string, rows: number) {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(iconv.encode(s, 'windows-1251'))
      ? Promise.resolve()
      : new Promise<void>((r) => out.once('drain', () => r()));
  await write('Номер визита;Дата визита;ID клиента;Клиент;Телефон;E-mail;Филиал;Сотрудник;Услуга;Сумма\r\n');
  const services = [
    'Стрижка',
    'Маникюр',
    'Окрашивание',
    'Массаж',
    'Персональная тренировка',
    'Абонемент "Утро"',
  ];
  const customers = Math.max(1, Math.floor(rows / 10));
  let chunk = '';
  for (let i = 1; i <= rows; i++) {
    const c = (i * 7919) % customers;
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const hh = String(9 + (i % 12)).padStart(2, '0');
    const amount = `${1 + (i % 9)} ${String((i * 37) % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}`;
    const service = services[i % services.length]!;
    chunk +=
      `V${i};${day}.${month}.2026 ${hh}:${String(i % 60).padStart(2, '0')};C${c};Клиент Номер ${c};` +
      `+7 (9${String(c).padStart(2, '0').slice(-2)}) ${String(1000000 + c).slice(-7, -4)}-${String(c).padStart(4, '0').slice(-4, -2)}-${String(c).slice(-2).padStart(2, '0')};` +
      `client${c}@example.ru;Филиал ${c % 50};Сотрудник ${(c * 13) % 500};${service.includes('"') ? `"${service.replace(/"/g, '""')}"` : service};${amount}\r\n`;
    if (i % 10_000 === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
}

interface Measured {
  engine: string;
  rows: number;
  ok: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds the importing process used (user + system), and rows per CPU second: steadier under load. */
  cpuSeconds: number;
  perCpuSecond: number;
  /** CPU seconds of the main thread (PGlite's PostgreSQL and the writes); the rest is the reading thread. */
  mainCpuSeconds: number | null;
  /** The kernel's peak RSS of the process (VmHWM), from its start. */
  peakRssKernelMb: number | null;
  peakRssMb: number;
  rssBeforeMb: number;
  /** Peak V8 heap (heapTotal) and PGlite's WebAssembly memory (reserved; RSS counts the touched part). */
  peakJsHeapMb: number;
  peakWasmMb: number;
  status: string;
}

interface Setup {
  url?: string;
  name: string;
  orgId: string;
  key: string;
}

const rssMb = () => Math.round(process.memoryUsage().rss / 1024 ** 2);

/** CPU seconds (user + system) of this process's main thread alone, from /proc (Linux); null elsewhere. */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Peak RSS of this process as the kernel counts it (VmHWM), MB. */
function peakRssKernelMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * The first child: creates the database (PGlite initdb, or a throwaway PostgreSQL database), migrates it and adds
 * the organisation. A process that creates a PGlite database keeps initdb's ~900 MB, so the import runs in a
 * second process that opens the existing folder — as the CLI does with the server's DATA_DIR.
 */
async function setup(engine: 'pglite' | 'postgres', dir: string) {
  let url: string | undefined;
  let name = '';
  if (engine === 'postgres') {
    name = `sarafan_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const database = await openDatabase(url ? { url, poolSize: 4 } : { dataDir: join(dir, 'data', 'db') });
  const org = await createOrg(database.db, { name: 'Bench', timeZone: 'Europe/Moscow' });
  if (process.env.ECONOMICS === '1') {
    // An organisation whose economics page has been computed: the running sums' trigger adds every insert to them.
    await database.db.execute(sql`
      insert into economics_running_state (org_id, window_start, window_months, currency, counted_at)
      values (${org.id}, now() - interval '12 months', 12, 'RUB', now())`);
  }
  await database.close();
  const s: Setup = { url, name, orgId: org.id, key: randomBytes(32).toString('hex') };
  writeFileSync(join(dir, 'setup.json'), JSON.stringify(s));
  // The server's key file in its data folder, for the CLI.
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'secret.key'), Buffer.from(s.key, 'hex').toString('base64'), {
    mode: 0o600,
  });
  console.log(`SETUP rss ${rssMb()} MB`);
}

/** The second child: opens the existing database, imports the file and prints one JSON line. */
async function child(engine: 'pglite' | 'postgres', file: string, dir: string) {
  const s = JSON.parse(readFileSync(join(dir, 'setup.json'), 'utf8')) as Setup;
  let peak = 0;
  let peakHeap = 0;
  let peakWasm = 0;
  // PGlite's WebAssembly memory (PostgreSQL's shared buffers and its own heap): it grows and never shrinks.
  let wasm = () => 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.rss);
    peakHeap = Math.max(peakHeap, m.heapTotal);
    peakWasm = Math.max(peakWasm, wasm());
  };
  const timer = setInterval(sample, 50);
  const database = await openDatabase(
    s.url
      ? { url: s.url, poolSize: 4 }
      : {
          dataDir: join(dir, 'data', 'db'),
          pgliteSettings: { shared_buffers: process.env.SHARED_BUFFERS ?? '32MB' },
        },
  );
  const client = (database.db as unknown as { $client?: { mod?: { HEAPU8?: Uint8Array } } }).$client;
  if (!s.url) wasm = () => client?.mod?.HEAPU8?.length ?? 0;
  try {
    const ctx: Ctx = {
      db: database.db,
      orgId: s.orgId,
      actor: { kind: 'system' },
      clock: () => new Date(),
      log: pino({ level: 'warn' }),
      vault: createVault(Buffer.from(s.key, 'hex')),
    };
    // The opened database is the baseline (for PGlite: its WASM memory, most of which is the shared buffers).
    const before = process.memoryUsage().rss;
    sample();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const main0 = mainThreadCpu();
    const job = await createImport(ctx, {
      kind: 'contacts',
      path: file,
      fileName: 'bench.csv',
      options: { createUnits: true, createEmployees: true },
    });
    const done = await runImport(ctx, job.id, {
      ...(process.env.BATCH && { batchSize: Number(process.env.BATCH) }),
      ...(process.env.READER && { readInWorker: process.env.READER === 'worker' }),
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const main1 = mainThreadCpu();
    sample();
    const result: Measured = {
      engine,
      rows: done.rowsRead,
      ok: done.rowsOk,
      seconds: Number(seconds.toFixed(1)),
      perSecond: Math.round(done.rowsRead / seconds),
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      perCpuSecond: Math.round(done.rowsRead / cpuSeconds),
      mainCpuSeconds: main0 === null || main1 === null ? null : Number((main1 - main0).toFixed(1)),
      peakRssKernelMb: peakRssKernelMb(),
      peakRssMb: Math.round(peak / 1024 ** 2),
      rssBeforeMb: Math.round(before / 1024 ** 2),
      peakJsHeapMb: Math.round(peakHeap / 1024 ** 2),
      peakWasmMb: Math.round(peakWasm / 1024 ** 2),
      status: done.status + (done.lastError ? ` (${done.lastError})` : ''),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    clearInterval(timer);
    await database.close();
    if (s.name) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${s.name} with (force)`);
      await admin.end();
    }
  }
}

/** Fields of /proc/PID/stat after the command name (Linux). */
function procStat(path: string): string[] | null {
  try {
    const stat = readFileSync(path, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * The CLI as a user runs it (`npm run sarafan -- import contacts FILE`, that is `node bin/sarafan.mjs …`, which
 * compiles if needed and runs the command in a child process): that child is measured from /proc every 50 ms —
 * its RSS, the kernel's peak (VmHWM) and its CPU time, whole and of the main thread.
 */
async function viaCli(engine: string, file: string, dir: string): Promise<Measured | string> {
  const s = JSON.parse(readFileSync(join(dir, 'setup.json'), 'utf8')) as Setup;
  const launcher = fileURLToPath(new URL('../bin/sarafan.mjs', import.meta.url));
  execFileSync(process.execPath, [launcher, '--help'], { stdio: 'ignore' }); // compiled before the clock starts
  const env = { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: s.url ?? '' };
  const started = performance.now();
  const p = spawn(
    process.execPath,
    [
      launcher,
      'import',
      'contacts',
      file,
      '--create-units',
      '--create-employees',
      '--org',
      s.orgId,
      ...(process.env.BATCH ? ['--batch-size', process.env.BATCH] : []),
      ...(process.env.READER === 'worker' ? ['--read-in-worker'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  let out = '';
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  let pid = 0;
  let peak = 0;
  let hwm = 0;
  let cpu = 0;
  let mainCpu = 0;
  const poll = setInterval(() => {
    if (!pid) {
      try {
        pid = Number(readFileSync(`/proc/${p.pid}/task/${p.pid}/children`, 'utf8').trim().split(' ')[0]) || 0;
      } catch {}
      if (!pid) return;
    }
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      hwm = Math.max(hwm, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {}
    const whole = procStat(`/proc/${pid}/stat`);
    const main = procStat(`/proc/${pid}/task/${pid}/stat`);
    if (whole) cpu = (Number(whole[11]) + Number(whole[12])) / 100;
    if (main) mainCpu = (Number(main[11]) + Number(main[12])) / 100;
  }, 50);
  const timer = setTimeout(() => p.kill('SIGTERM'), TIMEOUT_MS);
  const code = await new Promise<number | null>((r) => p.on('exit', r));
  clearInterval(poll);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  if (s.name) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${s.name} with (force)`);
    await admin.end();
  }
  // "Import ID: completed. 1000000 rows read, 1000000 imported (1000000 new), 0 bad — 95.1 s, 10514 rows/s."
  const m = /: (\w+)\. (\d+) rows read, (\d+) imported .* — ([\d.]+) s, (\d+) rows\/s/.exec(out);
  if (!m) return `failed (exit ${code}): ${out.slice(-500)}`;
  const rows = Number(m[2]);
  return {
    engine: `${engine} (CLI)`,
    rows,
    ok: Number(m[3]),
    seconds: Number(m[4]),
    perSecond: Number(m[5]),
    cpuSeconds: Number(cpu.toFixed(1)),
    perCpuSecond: Math.round(rows / cpu),
    mainCpuSeconds: Number(mainCpu.toFixed(1)),
    peakRssKernelMb: Math.round(hwm),
    peakRssMb: Math.round(peak),
    rssBeforeMb: 0,
    peakJsHeapMb: 0,
    peakWasmMb: 0,
    status: `${m[1]}; whole command ${seconds.toFixed(1)} s (opening the database included)`,
  };
}

function heapFlags(mode: string): string[] {
  const mb = Number(process.env.HEAP_MB ?? 128);
  return mode === '--child' && mb > 0 ? [`--max-old-space-size=${mb}`] : [];
}

function runChild(
  mode: '--setup' | '--child',
  engine: string,
  file: string,
  dir: string,
): Promise<Measured | string> {
  return new Promise((resolve) => {
    const p = spawn(
      process.execPath,
      [...process.execArgv, ...heapFlags(mode), fileURLToPath(import.meta.url), mode, engine, file, dir],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), TIMEOUT_MS);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('SETUP '));
      if (line?.startsWith('SETUP '))
        console.log(`${engine}: created and migrated (that process: ${line.slice(6)})`);
      resolve(
        line?.startsWith('RESULT ')
          ? (JSON.parse(line.slice(7)) as Measured)
          : `${line ?? `failed (exit ${code})`}`,
      );
    });
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'sarafan-bench-import-'));
  try {
    const file = join(dir, 'contacts.csv');
    const t0 = performance.now();
    await generate(file, ROWS);
    console.log(
      `Generated ${ROWS.toLocaleString('en')} rows (${(statSync(file).size / 1024 ** 2).toFixed(0)} MB, Windows-1251, ';') ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const engines = (process.env.ENGINES ?? 'pglite,postgres').split(',');
    console.log(
      `Load average at the start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    const results: Measured[] = [];
    for (const engine of engines) {
      const at = join(dir, engine);
      mkdirSync(at, { recursive: true });
      await runChild('--setup', engine, file, at);
      const r =
        (process.env.VIA ?? 'cli') === 'cli'
          ? await viaCli(engine, file, at)
          : await runChild('--child', engine, file, at);
      if (typeof r === 'string') console.log(`${engine}: ${r}`);
      else results.push(r);
    }
    console.log(
      '\n| engine | rows | imported | seconds | rows/s | CPU s | main thread CPU s | rows per main-thread CPU s | peak RSS MB | VmHWM MB | RSS of the opened database MB | RSS the import adds MB | JS heap MB | PGlite WASM memory MB | status |',
    );
    console.log(
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const r of results)
      console.log(
        `| ${r.engine} | ${r.rows} | ${r.ok} | ${r.seconds} | ${r.perSecond} | ${r.cpuSeconds} | ${r.mainCpuSeconds ?? '–'} | ${r.mainCpuSeconds ? Math.round(r.rows / r.mainCpuSeconds) : '–'} | ${r.peakRssMb} | ${r.peakRssKernelMb ?? '–'} | ${r.rssBeforeMb || '–'} | ${r.rssBeforeMb ? r.peakRssMb - r.rssBeforeMb : '–'} | ${r.peakJsHeapMb || '–'} | ${r.peakWasmMb || '–'} | ${r.status} |`,
      );
    console.log(
      `Load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log('\nTargets: ≥ 20,000 rows/s on PGlite, peak RSS ≤ 300 MB.');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--generate') {
  await generate(process.argv[3]!, ROWS);
} else if (process.argv[2] === '--setup') {
  await setup(process.argv[3] as 'pglite' | 'postgres', process.argv[5]!);
  process.exit(0);
} else if (process.argv[2] === '--child') {
  await child(process.argv[3] as 'pglite' | 'postgres', process.argv[4]!, process.argv[5]!);
  process.exit(0);
} else {
  await main();
}
