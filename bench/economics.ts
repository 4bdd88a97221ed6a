// bench/economics: time to compute segment values, baskets and the transition matrix for 1M customers with 10M
// contacts on PostgreSQL, then the incremental refresh after new contacts. Data is generated in the database with
// generate_series (no CSV round trip). CUSTOMERS=1000000, CONTACTS_PER_CUSTOMER=10, PG=postgres://…:5432 (server),
// KEEP=1 reuses the generated database of a previous run (generation takes minutes; the timings do not).
// INSERT_COST=1 also measures what keeping the running sums adds to inserting 300,000 contacts (rolled back).
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, rowsOf } from '../src/db/index.js';
import {
  basketsReport,
  getEconomicsSettings,
  refreshEconomics,
  segmentValuesReport,
  transitionsReport,
} from '../src/modules/economics/index.js';
import { syncRunning } from '../src/modules/economics/running.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const PER = Number(process.env.CONTACTS_PER_CUSTOMER ?? 10);
const SERVER = process.env.PG ?? 'postgres://postgres@127.0.0.1:5432';
const NAME = `sarafan_bench_economics_${CUSTOMERS}`;
const KEEP = process.env.KEEP === '1';

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main() {
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [NAME])).rowCount === 1;
  if (exists && !KEEP) await admin.query(`drop database ${NAME} with (force)`);
  if (!exists || !KEEP) await admin.query(`create database ${NAME}`);
  await admin.end();

  const database = await openDatabase({ url: `${SERVER}/${NAME}`, poolSize: 1 });
  const db = database.db;
  const [found] = rowsOf<{ id: string }>(await db.execute(sql`select id from orgs limit 1`));
  let orgId = found?.id;
  const asOf = new Date();
  if (!orgId) {
    const started = performance.now();
    orgId = (await createOrg(db, { name: 'Бенч-фитнес' })).id;
    await generate(db, orgId);
    console.log(
      `generated ${CUSTOMERS.toLocaleString('en')} customers, ${(CUSTOMERS * PER).toLocaleString('en')} contacts in ${seconds(performance.now() - started)} s`,
    );
  }
  const ctx: Ctx = {
    db,
    orgId,
    actor: { kind: 'system' },
    clock: () => asOf,
    log: pino({ level: 'warn' }),
    vault: createVault(Buffer.alloc(32, 7)),
  };
  const counts = rowsOf<{ customers: string; contacts: string; responses: string }>(
    await db.execute(sql`select (select count(*) from customers) as customers, (select count(*) from contacts) as contacts,
                                (select count(*) from responses) as responses`),
  )[0]!;
  console.log(
    `data: ${counts.customers} customers, ${counts.contacts} contacts, ${counts.responses} answers`,
  );

  // The machine is shared: besides the wall time, the CPU time of the database backend doing the work (from
  // /proc, when the server runs on this machine) — what the step costs whatever the load — and the load average.
  const [backend] = rowsOf<{ pid: number }>(await db.execute(sql`select pg_backend_pid() as pid`));
  const cpuSeconds = () => {
    try {
      const fields = readFileSync(`/proc/${backend!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return Number.NaN;
    }
  };
  const rows: [string, number, number, string, string][] = [];
  const time = async <T>(label: string, fn: () => Promise<T>, note: (r: T) => string = () => '') => {
    const t = performance.now();
    const c = cpuSeconds();
    const r = await fn();
    const ms = performance.now() - t;
    const cpu = cpuSeconds() - c;
    const load = loadavg()[0]!.toFixed(1);
    rows.push([label, ms, cpu, load, note(r)]);
    console.log(`${label}: ${seconds(ms)} s (backend CPU ${cpu.toFixed(1)} s, load ${load}) ${note(r)}`);
    return r;
  };
  // The running sums are kept by triggers as contacts arrive; a database generated before drizzle/0017 (or with
  // KEEP=1 from such a run) has none yet, and they are counted once from all contacts — apart from the computation.
  const once = await time(
    'running sums brought to the window',
    async () =>
      syncRunning(
        ctx,
        await getEconomicsSettings(ctx),
        rowsOf<{ currency: string }>(await db.execute(sql`select currency from orgs where id = ${orgId}`))[0]!
          .currency,
        asOf,
      ),
    (r) => `${r.kind}, ${r.customers.toLocaleString('en')} customers`,
  );
  const onceRow = rows.pop()!;
  onceRow[0] =
    once.kind === 'counted'
      ? 'running sums counted from all contacts (once: the first refresh after drizzle/0017, or a new window or currency)'
      : `running sums slid to the window since the last run (${once.kind})`;
  await time(
    'cache build (whole: facts with services, baskets)',
    () => refreshEconomics(ctx, { force: 'full' }),
    (r) => `${r.customers.toLocaleString('en')} customers`,
  );
  await time(
    'segment values (LTV, 200 bootstrap resamples per segment)',
    () => segmentValuesReport(ctx, {}),
    (r) => r.segments.map((s) => `${s.segment} ${s.customers.toLocaleString('en')}`).join(', '),
  );
  await time(
    'baskets (χ², BH)',
    () => basketsReport(ctx, {}),
    (r) => `${r.services.length} services`,
  );
  await time(
    'transition matrix (window over answers, closed loop)',
    () => transitionsReport(ctx, {}),
    (r) => `${r.transitions.toLocaleString('en')} transitions`,
  );
  const total = rows.reduce((s, r) => s + r[1], 0);
  const totalCpu = rows.reduce((s, r) => s + r[2], 0);
  rows.push(['total (full computation)', total, totalCpu, loadavg()[0]!.toFixed(1), '']);
  if (once.kind !== 'current') rows.push(onceRow);

  // New contacts for 1,000 customers, then the incremental refresh and the same reads again.
  await db.execute(sql`
    insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
    select org_id, id, home_unit_id, 'Персональная тренировка', 250000, now() from customers
    where org_id = ${orgId} order by id limit 1000`);
  await time(
    'incremental refresh after 1,000 new contacts',
    () => refreshEconomics(ctx),
    (r) => `${r.kind}, ${r.customers} customers`,
  );
  await time('segment values again (from the cache)', () => segmentValuesReport(ctx, {}));

  if (process.env.INSERT_COST === '1') await insertCost(db, orgId, time);

  console.log('\n| step | seconds | backend CPU s | load | note |\n| --- | ---: | ---: | ---: | --- |');
  for (const [label, ms, cpu, load, note] of rows) {
    console.log(`| ${label} | ${seconds(ms)} | ${cpu.toFixed(1)} | ${load} | ${note} |`);
  }
  await database.close();
}

/**
 * What the running sums cost an import: 300,000 contacts for 300,000 customers in 30 statements of 10,000 shaped like
 * the import's (unnest, upsert on the external id), in a transaction rolled back — with the insert trigger off, then
 * on, three times over.
 */
async function insertCost(
  db: Awaited<ReturnType<typeof openDatabase>>['db'],
  orgId: string,
  time: <T>(label: string, fn: () => Promise<T>, note?: (r: T) => string) => Promise<T>,
) {
  await db.execute(sql`drop table if exists bench_pick`);
  await db.execute(sql`
    create table bench_pick as
    select row_number() over () as n, id, home_unit_id from (
      select id, home_unit_id from customers where org_id = ${orgId} order by md5(id::text) limit 300000) c`);
  const batches = async (on: boolean) => {
    await db
      .transaction(async (tx) => {
        if (!on) await tx.execute(sql`alter table contacts disable trigger economics_running_insert`);
        for (let b = 0; b < 30; b++) {
          await tx.execute(sql`
          insert into contacts (org_id, id, external_id, customer_id, unit_id, service, amount_minor, currency, occurred_at,
                                created_at)
          select ${orgId}, gen_random_uuid(), 'bench-' || p.n, p.id, p.home_unit_id,
                 (array['Абонемент','Бассейн','Сауна','Йога','Бокс'])[1 + p.n % 5], 100000 + p.n % 1000, 'RUB',
                 now() - make_interval(days => (p.n % 300)::int), now()
          from bench_pick p where p.n > ${b * 10_000} and p.n <= ${(b + 1) * 10_000}
          on conflict (org_id, external_id) do update set amount_minor = excluded.amount_minor
          where contacts.amount_minor is distinct from excluded.amount_minor`);
        }
        tx.rollback();
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error && e.message === 'Rollback')) throw e;
      });
  };
  for (let i = 0; i < 3; i++) {
    await time('insert 300,000 contacts, running sums off', () => batches(false));
    await time('insert 300,000 contacts, running sums kept', () => batches(true));
  }
  await db.execute(sql`drop table bench_pick`);
}

/** A fitness chain: 50 branches, customers with a latent segment that shapes their visits, services and answers. */
async function generate(db: Awaited<ReturnType<typeof openDatabase>>['db'], orgId: string) {
  const step = async (label: string, q: ReturnType<typeof sql>) => {
    const t = performance.now();
    await db.execute(q);
    console.log(`  ${label}: ${seconds(performance.now() - t)} s`);
  };
  await step(
    'units',
    sql`
    with root as (
      insert into units (org_id, id, kind, name, path)
      values (${orgId}, gen_random_uuid(), 'company', 'Бенч-фитнес', '') returning id)
    update units set path = '/' || id || '/' where id = (select id from root)`,
  );
  await step(
    'branches',
    sql`
    insert into units (org_id, id, parent_id, kind, name, path)
    select ${orgId}, u.id, r.id, 'branch', 'Клуб ' || u.i, r.path || u.id || '/'
    from (select gen_random_uuid() as id, i from generate_series(1, 50) as i) u
    cross join (select id, path from units where org_id = ${orgId} and kind = 'company') r`,
  );
  await step(
    'survey',
    sql`
    insert into surveys (org_id, name, audience, kind, texts)
    values (${orgId}, 'Отношение', 'customer', 'relationship', '{"ru":{"question":"?","reason":"?"},"en":{"question":"?","reason":"?"}}')`,
  );
  // The latent segment: i % 10 in 0–4 promoter, 5–7 passive, 8–9 detractor.
  await step(
    'customers',
    sql`
    insert into customers (org_id, id, external_id, home_unit_id)
    select ${orgId}, gen_random_uuid(), 'c' || i, b.ids[1 + i % 50]
    from generate_series(1, ${CUSTOMERS}) as i,
         (select array_agg(id order by name) as ids from units where org_id = ${orgId} and kind = 'branch') b`,
  );
  await step(
    'customer map',
    sql`
    create table bench_c as
    select id, home_unit_id as unit_id, substr(external_id, 2)::int % 10 as latent from customers where org_id = ${orgId}`,
  );
  const services = [
    'Абонемент',
    'Персональная тренировка',
    'Бассейн',
    'Групповые занятия',
    'Сауна',
    'Массаж',
    'Фитнес-бар',
    'Заморозка',
    'Детский клуб',
    'Солярий',
    'Йога',
    'Бокс',
  ];
  const list = `{${services.map((s) => `"${s}"`).join(',')}}`;
  // Loading: foreign keys hold by construction, so their triggers are off (superuser; the pool is one connection).
  await db.execute(sql`set session_replication_role = replica`);
  for (let k = 1; k <= PER; k++) {
    // Detractors (latent 8, 9) half of whom stopped coming 200–730 days ago; promoters favour personal training,
    // detractors freeze their membership; 2% of amounts missing, 1% refunds.
    await step(
      `contacts ${k}/${PER}`,
      sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      select ${orgId}, c.id, c.unit_id,
             (${list}::text[])[case
               when c.latent < 5 and random() < 0.35 then 2
               when c.latent >= 8 and random() < 0.25 then 8
               else 1 + floor(random() * 12)::int end],
             case when random() < 0.02 then null
                  when random() < 0.01 then -(100000 + floor(random() * 200000))::bigint
                  else (100000 + floor(random() * 400000))::bigint end,
             now() - make_interval(days => case when c.latent >= 8 and c.latent % 2 = 0
                                                then 200 + floor(random() * 530)::int
                                                else floor(random() * 730)::int end)
      from bench_c c`,
    );
  }
  await step(
    'answers (60% of customers)',
    sql`
    insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, answered_at)
    select ${orgId}, s.id, c.id, c.unit_id, 'email', 'ru',
           case when c.latent < 5 then 9 + floor(random() * 2)::int
                when c.latent < 8 then 7 + floor(random() * 2)::int
                else floor(random() * 7)::int end,
           now() - make_interval(days => floor(random() * 300)::int)
    from bench_c c, (select id from surveys where org_id = ${orgId}) s
    where random() < 0.6`,
  );
  await step(
    'earlier answers (20%: the transitions)',
    sql`
    insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, answered_at)
    select ${orgId}, s.id, c.id, c.unit_id, 'email', 'ru', floor(random() * 11)::int,
           now() - make_interval(days => 320 + floor(random() * 300)::int)
    from bench_c c, (select id from surveys where org_id = ${orgId}) s
    where random() < 0.2`,
  );
  await step(
    'closed cases on earlier detractor answers (half of them)',
    sql`
    insert into cases (org_id, number, response_id, survey_id, customer_id, unit_id, rule_id, score, status, due_at,
                       closed_at, action_cost_minor, resurvey_score, created_at)
    select r.org_id, row_number() over (), r.id, r.survey_id, r.customer_id, r.unit_id, 'detractor', r.score, 'resolved',
           r.answered_at + interval '2 days', r.answered_at + interval '1 day', 50000 + floor(random() * 100000)::bigint,
           floor(random() * 11)::int, r.answered_at
    from responses r
    where r.org_id = ${orgId} and r.score <= 6 and r.answered_at < now() - interval '320 days' and random() < 0.5`,
  );
  await db.execute(sql`set session_replication_role = origin`);
  await step('analyze', sql`analyze`);
  await db.execute(sql`drop table bench_c`);
}

await main();
