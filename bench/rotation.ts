// bench/rotation: `sarafan keys rotate` over CUSTOMERS customers (name, e-mail, phone sealed; two blind indexes each),
// on PGlite and PostgreSQL: rows per second re-sealed and re-indexed, and the time of an interrupted run's resume.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault, rotateKeys } from '../src/modules/privacy/index.js';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 50_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function seed(database: Database, keyFile: string) {
  const secret = Buffer.alloc(32, 5);
  writeFileSync(keyFile, secret.toString('base64'));
  const vault = createVault(secret);
  const org = await createOrg(database.db, { name: 'Bench', timeZone: 'Europe/Moscow' });
  for (let start = 0; start < CUSTOMERS; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(CUSTOMERS, start + 1000); i++) {
      const email = `c${i}@example.org`;
      const phone = `+7916${String(i).padStart(7, '0')}`;
      rows.push(sql`(${org.id}, ${vault.encrypt(`Клиент ${i}`)}, ${vault.encrypt(email)}, ${vault.blindIndex('email', email)},
        ${vault.encrypt(phone)}, ${vault.blindIndex('phone', phone)})`);
    }
    await database.db.execute(sql`insert into customers (org_id, name_enc, email_enc, email_bidx, phone_enc, phone_bidx)
      values ${sql.join(rows, sql`, `)}`);
  }
}

async function run(kind: 'pglite' | 'postgres') {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'sarafan-bench-')), 'secret.key');
  let database: Database;
  let drop = async () => {};
  if (kind === 'pglite') database = await openDatabase();
  else {
    const name = `sarafan_bench_rotation_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize: 4 });
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  await seed(database, keyFile);
  let started = performance.now();
  const interrupted = await rotateKeys(database.db, { keyFile, batchSize: 500, stopAfterBatches: 40 });
  const firstPart = (performance.now() - started) / 1000;
  started = performance.now();
  const resumed = await rotateKeys(database.db, { keyFile, batchSize: 500 });
  const rest = (performance.now() - started) / 1000;
  const rows = interrupted.rows + resumed.rows;
  const total = firstPart + rest;
  console.log(
    `| ${kind} | ${CUSTOMERS.toLocaleString('en')} | ${rows.toLocaleString('en')} | ${firstPart.toFixed(1)} s (${interrupted.rows} rows, stopped) | ${rest.toFixed(1)} s | ${Math.round(rows / total).toLocaleString('en')} |`,
  );
  await database.close();
  await drop();
}

console.log(
  '| database | customers | rows re-sealed | first run (stopped after 40 batches) | resumed run | rows/s |',
);
console.log('| --- | ---: | ---: | --- | ---: | ---: |');
await run('pglite');
await run('postgres');
