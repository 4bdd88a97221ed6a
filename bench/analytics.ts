// bench/analytics: latency of the analytics reads (overview, monthly trend, drill-down by unit, employee ranking) at
// 1M and 10M answers, on PostgreSQL and on PGlite (1M). Answers are generated in SQL (generate_series, one statement
// per million), the rollups built by `rebuildRollups` (what `sarafan rollups rebuild` runs), then each read is timed
// REPEAT times after a warm-up through the same service functions the API calls.
// SIZES=1000000,10000000 (PostgreSQL), PGLITE_SIZES=1000000, REPEAT=30, BENCH_DATABASE_URL (an admin URL);
// KEEP=1 reuses a PostgreSQL bench database already loaded at that size.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { type Database, openDatabase, rowsOf } from '../src/db/index.js';
import { breakdown, ranking, summary, trend } from '../src/modules/analytics/analysis.js';
import { rebuildRollups } from '../src/modules/answers/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault, type Vault } from '../src/modules/privacy/index.js';

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SIZES = (process.env.SIZES ?? '1000000,10000000').split(',').filter(Boolean).map(Number);
const PGLITE_SIZES = (process.env.PGLITE_SIZES ?? '1000000').split(',').filter(Boolean).map(Number);
const REPEAT = Number(process.env.REPEAT ?? 30);
const NOW = new Date('2026-12-01T09:00:00Z');
const CHUNK = 1_000_000;

interface Loaded {
  orgId: string;
  regionId: string;
}

/** company → 3 regions → 12 branches → 48 departments; 480 employees, 10 per department; one customer survey. */
async function load(database: Database, vault: Vault, answers: number): Promise<Loaded> {
  const db = database.db;
  const org = await createOrg(db, { name: 'Bench', timeZone: 'Europe/Moscow' });
  const ids = (r: unknown) => rowsOf<{ id: string }>(r).map((x) => x.id);
  const unit = async (name: string, kind: string, parent: { id: string; path: string } | null) => {
    const id = crypto.randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    await db.execute(sql`insert into units (org_id, id, parent_id, kind, name, path)
      values (${org.id}, ${id}, ${parent?.id ?? null}, ${kind}, ${name}, ${path})`);
    return { id, path };
  };
  const company = await unit('Company', 'company', null);
  const departments: string[] = [];
  let regionId = '';
  for (let r = 0; r < 3; r++) {
    const region = await unit(`Region ${r + 1}`, 'region', company);
    if (r === 0) regionId = region.id;
    for (let b = 0; b < 4; b++) {
      const branch = await unit(`Branch ${r * 4 + b + 1}`, 'branch', region);
      for (let d = 0; d < 4; d++)
        departments.push((await unit(`Dept ${departments.length + 1}`, 'department', branch)).id);
    }
  }
  const employees: string[] = [];
  for (let i = 0; i < 480; i++) {
    const [id] = ids(
      await db.execute(sql`insert into employees (org_id, unit_id, name_enc)
        values (${org.id}, ${departments[i % 48]!}, ${vault.encrypt(`Employee ${i + 1}`)}) returning id`),
    );
    employees.push(id!);
  }
  const [survey] = ids(
    await db.execute(sql`insert into surveys (org_id, name, audience, kind, texts)
      values (${org.id}, 'After visit', 'customer', 'transactional',
        '{"ru":{"question":"?","reason":"?"},"en":{"question":"?","reason":"?"}}'::jsonb) returning id`),
  );
  // Employee i works in department i % 48: answer g goes to department g % 48 and one of its 10 employees.
  const uuids = (xs: string[]) => sql.raw(`array[${xs.map((d) => `'${d}'::uuid`).join(',')}]`);
  const depts = uuids(departments);
  const emps = uuids(employees);
  for (let done = 0; done < answers; done += CHUNK) {
    const n = Math.min(CHUNK, answers - done);
    const started = Date.now();
    await db.execute(sql`
      insert into responses (org_id, survey_id, unit_id, employee_id, channel, locale, score, reason, answered_at)
      select ${org.id}::uuid, ${survey!}::uuid, (${depts})[1 + g % 48], (${emps})[1 + g % 48 + 48 * ((g / 48) % 10)],
        (array['link','email','sms','widget','phone'])[1 + (g / 7) % 5], 'ru',
        least(10, floor(random() * 7)::int + (g % 48) % 5),
        case when g % 4 = 0 then 'reason ' || (g % 97) end,
        ${NOW.toISOString()}::timestamptz - random() * interval '730 days'
      from generate_series(${done + 1}::int, ${done + n}::int) g`);
    process.stderr.write(
      `  ${(done + n).toLocaleString('en')} answers (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
  }
  return { orgId: org.id, regionId };
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

async function measure(label: string, database: Database, vault: Vault, loaded: Loaded) {
  const ctx: Ctx = {
    db: database.db,
    orgId: loaded.orgId,
    actor: { kind: 'system' },
    clock: () => NOW,
    log: pino({ level: 'silent' }),
    vault,
  };
  const reads: [string, () => Promise<unknown>][] = [
    ['overview (90 days, vs previous and year ago)', () => summary(ctx, 'customer', {})],
    [
      'monthly trend (12 months, vs previous and year ago)',
      () => trend(ctx, 'customer', { from: '2025-12-01', to: '2026-11-30', grain: 'month' }),
    ],
    [
      'drill-down by unit (a region’s branches, 90 days)',
      () => breakdown(ctx, 'customer', { by: 'unit', parentId: loaded.regionId, minAnswers: 30 }),
    ],
    [
      'employee ranking (90 days, shrunk)',
      () => ranking(ctx, 'customer', { of: 'employee', level: 'branch', minAnswers: 30 }),
    ],
  ];
  const rows: string[] = [];
  for (const [name, fn] of reads) {
    const t = await time(fn);
    rows.push(`| ${label} | ${name} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} |`);
    console.error(rows.at(-1));
  }
  return rows;
}

async function postgresRun(size: number): Promise<string[]> {
  const name = `sarafan_bench_analytics_${size}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  const keep = process.env.KEEP === '1' && exists;
  if (!keep) {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  const vault = createVault(Buffer.alloc(32, 7));
  let loaded: Loaded;
  if (keep) {
    const [row] = rowsOf<{ org: string; region: string }>(
      await database.db.execute(
        sql`select o.id as org, (select id from units where org_id = o.id and kind = 'region' order by name limit 1) as region from orgs o limit 1`,
      ),
    );
    loaded = { orgId: row!.org, regionId: row!.region };
  } else {
    console.error(`PostgreSQL ${size.toLocaleString('en')}: loading`);
    // The generated rows reference units, employees and a survey made just before: skip the per-row FK checks.
    await database.db.execute(sql`set session_replication_role = replica`);
    loaded = await load(database, vault, size);
    await database.db.execute(sql`set session_replication_role = origin`);
    const started = Date.now();
    const built = await rebuildRollups(database.db, loaded.orgId);
    await database.db.execute(sql`vacuum analyze`);
    console.error(`  rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${built.rows} rows`);
  }
  const rows = await measure(`PostgreSQL, ${size.toLocaleString('en')}`, database, vault, loaded);
  await database.close();
  return rows;
}

async function pgliteRun(size: number): Promise<string[]> {
  console.error(`PGlite ${size.toLocaleString('en')}: loading`);
  const database = await openDatabase({});
  const vault = createVault(randomBytes(32));
  const loaded = await load(database, vault, size);
  const started = Date.now();
  const built = await rebuildRollups(database.db, loaded.orgId);
  await database.db.execute(sql`vacuum analyze`);
  console.error(`  rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s: ${built.rows} rows`);
  const rows = await measure(`PGlite, ${size.toLocaleString('en')}`, database, vault, loaded);
  await database.close();
  return rows;
}

const table = ['| engine, answers | read | p50 ms | p95 ms |', '| --- | --- | ---: | ---: |'];
for (const size of SIZES) table.push(...(await postgresRun(size)));
for (const size of PGLITE_SIZES) table.push(...(await pgliteRun(size)));
console.log(
  `\n${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0]!.toFixed(1)}, REPEAT=${REPEAT}`,
);
console.log(table.join('\n'));
