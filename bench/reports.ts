// bench/reports: time to build the full analytical report (PowerPoint and Word) for an organisation with 1M customer
// answers on PostgreSQL. The data is generated in the database (generate_series): 3 regions × 8 branches, ANSWERS/2
// customers with 2 visits each (services, amounts), ANSWERS answers over the last year (5% with a reason), detractor
// cases with re-surveys, 3,000 eNPS answers; then the rollups, the themes and the economics cache are built as the
// server would, and each report is timed cold (first) and warm (REPEAT more runs).
// ANSWERS=1000000, REPEAT=3, PG=postgres://postgres@127.0.0.1:5432 (server); KEEP=1 reuses a generated database;
// OUT=dir writes the files there.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, rowsOf } from '../src/db/index.js';
import { rebuildRollups } from '../src/modules/answers/index.js';
import { refreshEconomics } from '../src/modules/economics/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';
import { analysisDocx, analysisPptx } from '../src/modules/reports/analysis/index.js';
import type { ReportOptions } from '../src/modules/reports/kinds.js';
import { getTaxonomy, retagOrg } from '../src/modules/themes/index.js';

const ANSWERS = Number(process.env.ANSWERS ?? 1_000_000);
const REPEAT = Number(process.env.REPEAT ?? 3);
const SERVER = process.env.PG ?? 'postgres://postgres@127.0.0.1:5432';
const NAME = `sarafan_bench_reports_${ANSWERS}`;
const KEEP = process.env.KEEP === '1';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main() {
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [NAME])).rowCount === 1;
  if (exists && !KEEP) await admin.query(`drop database ${NAME} with (force)`);
  if (!exists || !KEEP) await admin.query(`create database ${NAME}`);
  await admin.end();

  const database = await openDatabase({ url: `${SERVER}/${NAME}`, poolSize: 4 });
  const db = database.db;
  const vault = createVault(Buffer.alloc(32, 7));
  let [found] = rowsOf<{ id: string }>(await db.execute(sql`select id from orgs limit 1`));
  if (!found) {
    const org = await createOrg(db, { name: 'Бенч-фитнес', timeZone: 'Europe/Moscow' });
    found = { id: org.id };
  }
  const ctx: Ctx = {
    db,
    orgId: found.id,
    actor: { kind: 'system' },
    clock: () => new Date(),
    log: pino({ level: 'silent' }),
    vault,
  };
  if (!exists || !KEEP) {
    console.log(`generating ${ANSWERS.toLocaleString('en')} answers…`);
    await generate(ctx);
  }
  const [count] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from responses`));
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
  const options: ReportOptions = {
    locale: 'ru',
    audience: 'customer',
    from: yearAgo,
    to: today,
    unitId: null,
  };
  const rows: string[] = [];
  for (const [label, generator] of [
    ['PowerPoint (.pptx)', analysisPptx],
    ['Word (.docx)', analysisDocx],
  ] as const) {
    const times: number[] = [];
    let size = 0;
    let facts = 0;
    for (let i = 0; i <= REPEAT; i++) {
      const t = performance.now();
      let factsAt = 0;
      const file = await generator(ctx, options, (share) => {
        if (share >= 0.85 && !factsAt) factsAt = performance.now();
      });
      times.push(performance.now() - t);
      if (i === REPEAT) facts = factsAt - t;
      size = file.body.length;
      if (process.env.OUT) writeFileSync(join(process.env.OUT, file.filename), file.body);
    }
    const warm = times.slice(1).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)] ?? times[0]!;
    rows.push(
      `| ${label} | ${Number(count?.n).toLocaleString('en')} | ${seconds(times[0]!)} | ${seconds(median)} | ${seconds(facts)} | ${(size / 1024).toFixed(0)} KB |`,
    );
    console.error(rows.at(-1));
  }
  console.log(
    `\nbench/reports on PostgreSQL, ${REPEAT} warm runs, load ${loadavg()[0]!.toFixed(1)} on 2 cores`,
  );
  console.log(
    '| File | Answers | First build, s | Warm build (median), s | of which reading the data, s | Size |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  await database.close();
}

async function generate(ctx: Ctx) {
  const db = ctx.db;
  const orgId = ctx.orgId;
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t = performance.now();
    await db.execute(q);
    console.log(`  ${label}: ${seconds(performance.now() - t)} s`);
  };
  const customers = Math.max(1, Math.floor(ANSWERS / 2));
  await step(
    'units',
    sql`
    with root as (
      insert into units (org_id, id, kind, name, path)
      values (${orgId}, gen_random_uuid(), 'company', 'Бенч-фитнес', '') returning id)
    update units set path = '/' || id || '/' where id = (select id from root)`,
  );
  await step(
    'regions',
    sql`
    insert into units (org_id, id, parent_id, kind, name, path)
    select ${orgId}, u.id, r.id, 'region', 'Регион ' || u.i, r.path || u.id || '/'
    from (select gen_random_uuid() as id, i from generate_series(1, 3) as i) u
    cross join (select id, path from units where org_id = ${orgId} and kind = 'company') r`,
  );
  await step(
    'branches',
    sql`
    insert into units (org_id, id, parent_id, kind, name, path)
    select ${orgId}, u.id, r.id, 'branch', 'Клуб ' || (r.n * 8 + u.i), r.path || u.id || '/'
    from (select gen_random_uuid() as id, i from generate_series(1, 8) as i) u
    cross join (select id, path, row_number() over (order by name) - 1 as n from units
                where org_id = ${orgId} and kind = 'region') r`,
  );
  await step(
    'surveys',
    sql`
    insert into surveys (org_id, name, audience, kind, texts) values
      (${orgId}, 'После визита', 'customer', 'transactional',
       '{"ru":{"question":"Насколько вероятно, что вы порекомендуете наш клуб друзьям?","reason":"Почему?"},"en":{"question":"How likely are you to recommend our club to a friend?","reason":"Why?"}}'),
      (${orgId}, 'eNPS', 'employee', 'relationship',
       '{"ru":{"question":"Порекомендуете ли вы работу у нас другу?","reason":"Почему?"},"en":{"question":"Would you recommend working here to a friend?","reason":"Why?"}}')`,
  );
  // The latent segment of a customer: i % 10 in 0–4 promoter, 5–7 passive, 8–9 detractor; branch by i % 24, with
  // branch-specific tilt so the ranking has something to find.
  await step(
    'customers',
    sql`
    insert into customers (org_id, id, external_id, home_unit_id)
    select ${orgId}, gen_random_uuid(), 'c' || i, b.ids[1 + i % 24]
    from generate_series(1, ${customers}) as i,
         (select array_agg(id order by name) as ids from units where org_id = ${orgId} and kind = 'branch') b`,
  );
  await step(
    'customer map',
    sql`
    create table bench_c as
    select id, home_unit_id as unit_id, substr(external_id, 2)::int as i from customers where org_id = ${orgId}`,
  );
  await db.execute(sql`set session_replication_role = replica`);
  const services = `{"Абонемент","Персональная тренировка","Бассейн","Групповые занятия","Сауна","Массаж","Заморозка","Детский клуб"}`;
  for (let k = 1; k <= 2; k++) {
    await step(
      `visits ${k}/2`,
      sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      select ${orgId}, c.id, c.unit_id, (${services}::text[])[1 + floor(random() * 8)::int],
             (100000 + floor(random() * 400000))::bigint,
             now() - make_interval(days => case when c.i % 10 >= 8 and c.i % 2 = 0 then 200 + floor(random() * 530)::int
                                                else floor(random() * 730)::int end)
      from bench_c c`,
    );
  }
  const reasons = `{"Долго ждал в очереди на ресепшене","Грязно в раздевалке","Отличный тренер, спасибо","Бассейн холодный","Дорого для такого сервиса","Вежливый персонал","Нет парковки рядом","Хотелось бы детскую комнату","Шумно в зале","Удобное расписание"}`;
  await step(
    'answers',
    sql`
    insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, reason, answered_at)
    select ${orgId}, s.id, c.id, c.unit_id, (array['email','sms','link','widget','phone'])[1 + g % 5], 'ru',
           case when abs(hashint4(g)) % 10 < 5 - (c.i % 24) % 3 then 9 + floor(random() * 2)::int
                when abs(hashint4(g)) % 10 < 8 then 7 + floor(random() * 2)::int
                else floor(random() * 7)::int end,
           case when g % 20 = 0 then (${reasons}::text[])[1 + (g / 20) % 10] end,
           now() - make_interval(secs => floor(random() * 365 * 86400)::int)
    from generate_series(1, ${ANSWERS}) as g
    join bench_c c on c.i = 1 + (g::bigint * 7919) % ${customers}
    cross join (select id from surveys where org_id = ${orgId} and audience = 'customer') s`,
  );
  await step(
    'cases on detractors (10%)',
    sql`
    insert into cases (org_id, number, response_id, survey_id, customer_id, unit_id, rule_id, score, status, due_at,
                       first_contact_at, closed_at, action_cost_minor, resurvey_score, created_at)
    select r.org_id, row_number() over (), r.id, r.survey_id, r.customer_id, r.unit_id, 'detractor', r.score,
           case when random() < 0.8 then 'resolved' else 'in_progress' end,
           r.answered_at + interval '2 days', r.answered_at + make_interval(hours => floor(random() * 96)::int),
           r.answered_at + interval '3 days', 50000 + floor(random() * 100000)::bigint,
           floor(random() * 11)::int, r.answered_at
    from responses r
    where r.org_id = ${orgId} and r.score <= 6 and random() < 0.1`,
  );
  await step(
    'eNPS answers',
    sql`
    insert into employee_responses (org_id, survey_id, unit_id, score, reason, locale, answered_on)
    select ${orgId}, s.id, b.ids[1 + g % 24], floor(random() * 11)::int, null, 'ru',
           (now() - make_interval(days => floor(random() * 365)::int))::date
    from generate_series(1, 3000) as g,
         (select array_agg(id order by name) as ids from units where org_id = ${orgId} and kind = 'branch') b,
         (select id from surveys where org_id = ${orgId} and audience = 'employee') s`,
  );
  await db.execute(sql`set session_replication_role = origin`);
  await db.execute(sql`drop table bench_c`);
  await step('analyze', sql`analyze`);
  let t = performance.now();
  await rebuildRollups(db, orgId);
  console.log(`  rollups: ${seconds(performance.now() - t)} s`);
  t = performance.now();
  await retagOrg(ctx, (await getTaxonomy(ctx)).version);
  console.log(`  themes: ${seconds(performance.now() - t)} s`);
  t = performance.now();
  await refreshEconomics(ctx);
  console.log(`  economics cache: ${seconds(performance.now() - t)} s`);
  // Fresh statistics of the tables just filled (autovacuum would get there; the plans of the theme quotes need them).
  await step('analyze', sql`analyze`);
}

await main();
