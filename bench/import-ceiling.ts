// bench/import-ceiling: how fast PGlite itself can take the import's contacts, with no file, no parsing, no
// customers to find or seal — only the statement the import sends for each batch (unnest of column arrays, upsert on
// the external id, row triggers off under `session_replication_role = replica`), on the real schema.
// It answers one question: what rows/s can an import through PGlite reach at all, for a given shared_buffers (what the
// process's memory allows) and set of indexes on contacts?
//
// Per configuration, one child process creates the database (initdb keeps ~900 MB, so never in the measured process)
// with an organisation, 50 branches, 500 employees and ROWS/10 customers, and drops the indexes named; a second child
// opens it with the shared_buffers given and inserts ROWS contacts shaped as bench/import's file (each row a random one
// of the customers, a random day of 2026), in batches of BATCH, and reports its rows/s, CPU and peak RSS (VmHWM).
//
//   npx tsx bench/import-ceiling.ts
//   ROWS=1000000 BATCH=5000 CONFIGS="32MB;64MB;128MB;256MB;32MB:contacts_org_time_idx,contacts_org_customer_idx"
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../src/db/index.js';
import { createOrg } from '../src/modules/orgs/index.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const BATCH = Number(process.env.BATCH ?? 5000);
const CONFIGS = (
  process.env.CONFIGS ?? '32MB;64MB;128MB;256MB;32MB:contacts_org_time_idx,contacts_org_customer_idx'
).split(';');

interface Setup {
  orgId: string;
  units: string[];
  employees: string[];
  customers: string[];
}

interface Result {
  seconds: number;
  perSecond: number;
  /** Seconds spent waiting for PGlite's statements (the rest: making the batches' arrays here). */
  dbSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** rows/s of each tenth of the run: the insert slows as the indexes outgrow the shared buffers. */
  tenths: number[];
}

async function setup(dir: string, drop: string[]) {
  const database = await openDatabase({ dataDir: join(dir, 'db') });
  const db = database.db;
  const org = await createOrg(db, { name: 'Ceiling', timeZone: 'Europe/Moscow' });
  await db.execute(sql`
    insert into units (org_id, id, kind, name, path, created_at)
    select ${org.id}, gen_random_uuid(), 'branch', 'Филиал ' || g, '/b' || g || '/', now() from generate_series(1, 50) g`);
  const units = rowsOf<{ id: string }>(
    await db.execute(sql`select id from units where org_id = ${org.id} and kind = 'branch'`),
  ).map((r) => r.id);
  await db.execute(sql`
    insert into employees (org_id, id, unit_id, name_enc, name_bidx, created_at)
    select ${org.id}, gen_random_uuid(), ${units[0]}::uuid, 'sealed', 'bidx' || g, now() from generate_series(1, 500) g`);
  const employees = rowsOf<{ id: string }>(
    await db.execute(sql`select id from employees where org_id = ${org.id}`),
  ).map((r) => r.id);
  await db.execute(sql`
    insert into customers (org_id, id, external_id, created_at)
    select ${org.id}, gen_random_uuid(), 'C' || g, now() from generate_series(0, ${Math.max(1, ROWS / 10) - 1}) g`);
  const customers = rowsOf<{ id: string }>(
    await db.execute(sql`select id from customers where org_id = ${org.id} order by external_id`),
  ).map((r) => r.id);
  for (const index of drop) await db.execute(sql.raw(`drop index ${index}`));
  await database.close();
  const s: Setup = { orgId: org.id, units, employees, customers };
  writeFileSync(join(dir, 'setup.json'), JSON.stringify(s));
}

/** A PostgreSQL array literal of plain values (uuids, numbers, texts without quotes or backslashes). */
const literal = (xs: (string | number | null)[]) =>
  `{${xs.map((x) => (x === null ? 'NULL' : `"${x}"`)).join(',')}}`;

async function insert(dir: string, sharedBuffers: string) {
  const s = JSON.parse(readFileSync(join(dir, 'setup.json'), 'utf8')) as Setup;
  const database = await openDatabase({
    dataDir: join(dir, 'db'),
    migrate: false,
    pgliteSettings: { shared_buffers: sharedBuffers },
  });
  const services = [
    'Стрижка',
    'Маникюр',
    'Окрашивание',
    'Массаж',
    'Персональная тренировка',
    'Абонемент Утро',
  ];
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  let mark = started;
  let sinceMark = 0;
  let db = 0;
  const tenths: number[] = [];
  const tenth = Math.max(BATCH, Math.floor(ROWS / 10));
  for (let start = 1; start <= ROWS; start += BATCH) {
    const n = Math.min(BATCH, ROWS - start + 1);
    const cols = {
      id: [] as string[],
      ext: [] as string[],
      customer: [] as string[],
      unit: [] as string[],
      employee: [] as string[],
      service: [] as string[],
      amount: [] as number[],
      ms: [] as number[],
    };
    for (let i = start; i < start + n; i++) {
      const c = (i * 7919) % s.customers.length;
      cols.id.push(randomUUID());
      cols.ext.push(`V${i}`);
      cols.customer.push(s.customers[c]!);
      cols.unit.push(s.units[c % s.units.length]!);
      cols.employee.push(s.employees[(c * 13) % s.employees.length]!);
      cols.service.push(services[i % services.length]!);
      cols.amount.push(100_000 + ((i * 37) % 900_000));
      cols.ms.push(Date.UTC(2026, i % 12, (i % 28) + 1, 9 + (i % 12), i % 60));
    }
    const t = performance.now();
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into contacts (org_id, id, external_id, customer_id, unit_id, employee_id, service, amount_minor,
                              currency, occurred_at, import_id, created_at)
        select ${s.orgId}, k.id, k.ext, k.customer_id, k.unit_id, k.employee_id, k.service, k.amount, 'RUB',
               to_timestamp(k.ms::float8 / 1000), null, now()
        from unnest(${literal(cols.id)}::uuid[], ${literal(cols.ext)}::text[], ${literal(cols.customer)}::uuid[],
                    ${literal(cols.unit)}::uuid[], ${literal(cols.employee)}::uuid[], ${literal(cols.service)}::text[],
                    ${literal(cols.amount)}::bigint[], ${literal(cols.ms)}::bigint[])
             as k(id, ext, customer_id, unit_id, employee_id, service, amount, ms)
        on conflict (org_id, external_id) do update set
          customer_id = excluded.customer_id, unit_id = excluded.unit_id, employee_id = excluded.employee_id,
          service = excluded.service, amount_minor = excluded.amount_minor, occurred_at = excluded.occurred_at
        where (contacts.customer_id, contacts.unit_id, contacts.employee_id, contacts.service, contacts.amount_minor,
               contacts.occurred_at)
          is distinct from (excluded.customer_id, excluded.unit_id, excluded.employee_id, excluded.service,
               excluded.amount_minor, excluded.occurred_at)`);
      await tx.execute(sql`set local session_replication_role = origin`);
    });
    db += performance.now() - t;
    sinceMark += n;
    if (sinceMark >= tenth || start + n > ROWS) {
      const now = performance.now();
      tenths.push(sinceMark / ((now - mark) / 1000));
      mark = now;
      sinceMark = 0;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu0);
  await database.close();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  const r: Result = {
    seconds,
    perSecond: Math.round(ROWS / seconds),
    dbSeconds: db / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : 0,
    tenths: tenths.map(Math.round),
  };
  console.log(`RESULT ${JSON.stringify(r)}`);
}

function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}

async function main() {
  console.log(
    `${ROWS.toLocaleString('en')} contacts in batches of ${BATCH.toLocaleString('en')}, ` +
      `${Math.max(1, ROWS / 10).toLocaleString('en')} customers; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
  );
  const rows: string[] = [];
  for (const config of CONFIGS) {
    const [sharedBuffers = '32MB', dropped = ''] = config.split(':');
    const drop = dropped.split(',').filter(Boolean);
    const dir = mkdtempSync(join(tmpdir(), 'sarafan-import-ceiling-'));
    try {
      await child(['--setup', dir, drop.join(',')]);
      const out = await child(['--insert', dir, sharedBuffers]);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`no result for ${config}`);
      const r = JSON.parse(line.slice(7)) as Result;
      const row =
        `| ${sharedBuffers} | ${drop.length ? `all but ${drop.join(', ')}` : 'all'} | ${r.perSecond.toLocaleString('en')} | ` +
        `${r.seconds.toFixed(1)} | ${r.dbSeconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${r.peakRssMb} | ` +
        `${r.tenths[0]?.toLocaleString('en')} → ${r.tenths.at(-1)?.toLocaleString('en')} |`;
      console.log(row);
      rows.push(row);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    '\n| shared_buffers | indexes on contacts | rows/s | s | of which in PGlite, s | CPU s | peak RSS MB | rows/s, first → last tenth |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const row of rows) console.log(row);
}

const [mode, dir, arg] = process.argv.slice(2);
if (mode === '--setup') await setup(dir!, (arg ?? '').split(',').filter(Boolean));
else if (mode === '--insert') await insert(dir!, arg!);
else await main();
