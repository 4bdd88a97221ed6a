// bench/nps: times the NPS query by month and by unit over 1,000,000 answers (rollups), on PGlite and PostgreSQL,
// beside the same aggregate computed from the raw answers, to show what the rollups buy.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { type Database, openDatabase } from '../src/db/index.js';
import { surveyNps } from '../src/modules/analytics/index.js';
import { createEmployee } from '../src/modules/employees/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';
import { createUnit } from '../src/modules/units/index.js';

const ANSWERS = Number(process.env.ANSWERS ?? 1_000_000);
const UNITS = 50;
const EMPLOYEES_PER_UNIT = 4;
const DAYS = 540;
const RUNS = 15;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function seed(database: Database) {
  const vault = createVault(Buffer.alloc(32, 7));
  const org = await createOrg(database.db, { name: 'Bench', timeZone: 'Europe/Moscow' });
  const ctx: Ctx = {
    db: database.db,
    orgId: org.id,
    actor: { kind: 'system' },
    clock: () => new Date(),
    log: pino({ level: 'silent' }),
    vault,
  };
  const survey = await createSurvey(ctx, { name: 'Bench', audience: 'customer' });
  const units: string[] = [];
  const employees: string[] = [];
  for (let u = 0; u < UNITS; u++) {
    const unit = await createUnit(ctx, { name: `Club ${u + 1}`, kind: 'branch' });
    units.push(unit.id);
    for (let e = 0; e < EMPLOYEES_PER_UNIT; e++) {
      employees.push((await createEmployee(ctx, { unitId: unit.id, name: `Employee ${u}-${e}` })).id);
    }
  }
  // Raw answers in one set-based statement, spread over 540 days, 50 units, 200 employees and 3 channels.
  const unitArray = sql.raw(`array[${units.map((u) => `'${u}'::uuid`).join(',')}]`);
  const employeeArray = sql.raw(`array[${employees.map((e) => `'${e}'::uuid`).join(',')}]`);
  const started = performance.now();
  await database.db.execute(sql`
    insert into responses (org_id, id, survey_id, unit_id, employee_id, channel, locale, score, answered_at)
    select ${org.id}::uuid, gen_random_uuid(), ${survey.id}::uuid,
           (${unitArray})[1 + (g % ${UNITS})],
           (${employeeArray})[1 + (g % ${UNITS}) * ${EMPLOYEES_PER_UNIT} + (g / ${UNITS}) % ${EMPLOYEES_PER_UNIT}],
           (array['email','sms','link'])[1 + g % 3], 'ru',
           least(10, greatest(0, round(7.5 + 2.6 * sin(g * 12.9898) ))::int),
           now() - ((g % ${DAYS}) || ' days')::interval - ((g % 1440) || ' minutes')::interval
    from generate_series(0, ${ANSWERS - 1}) as g`);
  // The rollups hold exactly what the answer writer would have added one batch at a time.
  const counts = sql.raw(
    Array.from({ length: 11 }, (_, s) => `count(*) filter (where score = ${s})`).join(', '),
  );
  const cols = sql.raw(Array.from({ length: 11 }, (_, s) => `c${s}`).join(', '));
  const day = sql.raw(`(answered_at at time zone 'Europe/Moscow')::date`);
  await database.db.execute(sql`
    insert into nps_daily_unit (org_id, survey_id, day, unit_id, channel, ${cols})
    select org_id, survey_id, ${day}, unit_id, channel, ${counts} from responses group by 1, 2, 3, 4, 5`);
  await database.db.execute(sql`
    insert into nps_daily_employee (org_id, survey_id, day, employee_id, ${cols})
    select org_id, survey_id, ${day}, employee_id, ${counts} from responses group by 1, 2, 3, 4`);
  await database.db.execute(sql`analyze`);
  return { ctx, surveyId: survey.id, seedSeconds: (performance.now() - started) / 1000 };
}

async function time(fn: () => Promise<unknown>) {
  const ms: number[] = [];
  await fn();
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
  return { min: at(0), median: at(0.5), max: at(1) };
}

const rows: string[] = [];
async function run(name: string, database: Database) {
  const { ctx, surveyId, seedSeconds } = await seed(database);
  const rollupRows = (await database.db.execute(
    sql`select count(*)::int as n from nps_daily_unit`,
  )) as unknown as { rows: { n: number }[] };
  console.error(
    `${name}: ${ANSWERS} answers seeded in ${seedSeconds.toFixed(1)} s; ${rollupRows.rows[0]!.n} rollup rows`,
  );
  const month = await time(() => surveyNps(ctx, surveyId, { groupBy: 'month' }));
  const unit = await time(() => surveyNps(ctx, surveyId, { groupBy: 'unit' }));
  const employee = await time(() => surveyNps(ctx, surveyId, { groupBy: 'employee' }));
  const raw = await time(() =>
    database.db.execute(sql`
      select to_char((answered_at at time zone 'Europe/Moscow')::date, 'YYYY-MM'), count(*) filter (where score >= 9),
             count(*) filter (where score <= 6), count(*) from responses where survey_id = ${surveyId} group by 1`),
  );
  const fmt = (t: { min: number; median: number; max: number }) => `${t.median} (${t.min}–${t.max})`;
  rows.push(`| ${name} | ${fmt(month)} | ${fmt(unit)} | ${fmt(employee)} | ${fmt(raw)} |`);
  await database.close();
}

await run('PGlite', await openDatabase());
let pgDb: string | null = null;
try {
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  await admin.connect();
  pgDb = `sarafan_bench_nps_${Date.now()}`;
  await admin.query(`create database ${pgDb}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${pgDb}`;
  await run('PostgreSQL', await openDatabase({ url: url.toString() }));
} catch (error) {
  console.error(`PostgreSQL skipped: ${(error as Error).message}`);
} finally {
  if (pgDb) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${pgDb} with (force)`);
    await admin.end();
  }
}

console.log(
  `\nbench/nps — ${ANSWERS} answers, ${UNITS} units, ${UNITS * EMPLOYEES_PER_UNIT} employees, ${DAYS} days; ms, median (min–max) of ${RUNS} runs`,
);
console.log('| database | by month | by unit | by employee | raw scan by month (no rollup) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
