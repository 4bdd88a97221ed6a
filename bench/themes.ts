// bench/themes: how fast reasons are tagged with themes on one core (target ≥ 20,000 comments/s), and how long the
// first tagging and the re-tag after a taxonomy edit take over ANSWERS stored answers (default 1,000,000) on PGlite
// (a file database) and PostgreSQL (a throwaway database `sarafan_bench_themes`). Knobs: ANSWERS, COMMENTS (for the
// single-core figure, default 200,000), ENGINES=pglite,postgres, BENCH_DATABASE_URL (an admin URL of PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { type Database, openDatabase, rowsOf } from '../src/db/index.js';
import { compileTaxonomy, tagReason } from '../src/domain/themes.js';
import { DEFAULT_THEMES } from '../src/domain/themes-taxonomy.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createVault } from '../src/modules/privacy/index.js';
import { ensureTaxonomy, getTaxonomy, putTaxonomy, retagOrg } from '../src/modules/themes/index.js';
import { HELDOUT } from '../test/fixtures/themes-heldout.js';
import { LABELLED } from '../test/fixtures/themes-labelled.js';

const ANSWERS = Number(process.env.ANSWERS ?? 1_000_000);
const COMMENTS = Number(process.env.COMMENTS ?? 200_000);
const ENGINES = (process.env.ENGINES ?? 'pglite,postgres').split(',').filter(Boolean);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BENCH_DB = 'sarafan_bench_themes';

/** Reasons as people write them: the labelled ones, and pairs of them joined, a fifth of answers with none. */
const BASE = [...LABELLED, ...HELDOUT].map((c) => c.text);
function reasonOf(i: number): string | null {
  if (i % 5 === 4) return null;
  const a = BASE[(i * 7919) % BASE.length]!;
  return i % 3 === 0 ? `${a} ${BASE[(i * 104_729) % BASE.length]!}` : a;
}

function taggingRate() {
  const compiled = compileTaxonomy(DEFAULT_THEMES.map((t) => ({ id: t.key, keywords: t.keywords })));
  const texts: string[] = [];
  for (let i = 0; texts.length < COMMENTS; i++) {
    const r = reasonOf(i);
    if (r) texts.push(r);
  }
  // Warm-up: the stem cache and the JIT, as in a running server.
  for (let i = 0; i < 5_000; i++) tagReason(compiled, texts[i % texts.length]!, i % 11);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let themes = 0;
  for (let i = 0; i < texts.length; i++) themes += tagReason(compiled, texts[i]!, i % 11).length;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const chars = texts.reduce((s, t) => s + t.length, 0);
  return {
    comments: texts.length,
    perSecond: texts.length / seconds,
    perCpuSecond: texts.length / ((used.user + used.system) / 1e6),
    meanChars: chars / texts.length,
    themesPerComment: themes / texts.length,
  };
}

async function open(engine: string): Promise<{ database: Database; cleanup: () => Promise<void> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'sarafan-bench-themes-'));
    const database = await openDatabase({ dataDir: dir });
    return {
      database,
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${BENCH_DB} with (force)`);
  await admin.query(`create database ${BENCH_DB}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${BENCH_DB}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 4 });
  return {
    database,
    cleanup: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: PG_URL });
      await a.connect();
      await a.query(`drop database if exists ${BENCH_DB} with (force)`);
      await a.end();
    },
  };
}

/** ANSWERS customer answers over a year, in 50 units, written in one statement per 100,000. */
async function seed(database: Database, orgId: string) {
  const db = database.db;
  const [survey] = rowsOf<{ id: string }>(
    await db.execute(sql`insert into surveys (org_id, name, audience, kind, texts)
      values (${orgId}, 'Bench', 'customer', 'transactional', '{"ru":{"question":"?","reason":"?"},"en":{"question":"?","reason":"?"}}'::jsonb)
      returning id`),
  );
  const units: string[] = [];
  for (let u = 0; u < 50; u++) {
    const id = crypto.randomUUID();
    await db.execute(
      sql`insert into units (org_id, id, name, kind, path) values (${orgId}, ${id}, ${`Филиал ${u}`}, 'branch', ${`/${id}/`})`,
    );
    units.push(id);
  }
  const reasons = Array.from({ length: 997 }, (_, i) => reasonOf(i));
  const reasonJson = JSON.stringify(reasons);
  const unitArray = `{${units.join(',')}}`;
  for (let start = 0; start < ANSWERS; start += 100_000) {
    const n = Math.min(100_000, ANSWERS - start);
    await db.execute(sql`
      insert into responses (org_id, survey_id, unit_id, channel, locale, score, reason, answered_at)
      select ${orgId}::uuid, ${survey!.id}::uuid, (${unitArray}::uuid[])[1 + (g % 50)], 'email', 'ru', (g * 7) % 11,
             (${reasonJson}::jsonb ->> (g % 997)::int), now() - ((g % 365) || ' days')::interval - ((g % 86400) || ' seconds')::interval
        from generate_series(${start}::int, ${start + n - 1}::int) as g`);
  }
}

async function runEngine(engine: string) {
  const { database, cleanup } = await open(engine);
  try {
    const base = {
      db: database.db,
      vault: createVault(Buffer.alloc(32, 7)),
      log: pino({ level: 'silent' }),
      clock: () => new Date(),
      publicUrl: 'http://bench.test',
    };
    const org = await createOrg(database.db, { name: 'Bench' });
    const ctx: Ctx = {
      ...base,
      orgId: org.id,
      actor: { kind: 'user', userId: crypto.randomUUID(), role: 'owner', unitIds: null },
    };
    let t = performance.now();
    await seed(database, org.id);
    const seedS = (performance.now() - t) / 1000;
    await database.db.execute(sql`analyze`);
    await ensureTaxonomy(database.db, org.id, new Date());
    t = performance.now();
    await retagOrg(ctx, 1);
    const firstS = (performance.now() - t) / 1000;
    // The edit: a new theme and one more keyword in an existing one.
    const taxonomy = await getTaxonomy(ctx);
    const edited = await putTaxonomy(ctx, {
      version: taxonomy.version,
      themes: [
        ...taxonomy.themes.map((th) => ({
          id: th.id,
          name: th.name,
          keywords: th.key === 'comfort' ? [...th.keywords, 'зелени'] : th.keywords,
          enabled: th.enabled,
        })),
        {
          name: { ru: 'Детская комната', en: 'Kids room' },
          keywords: ['детская комната', 'kids room'],
          enabled: true,
        },
      ],
    });
    t = performance.now();
    await retagOrg(ctx, edited.version);
    const retagS = (performance.now() - t) / 1000;
    const [counts] = rowsOf<{ tags: number; themes: number }>(
      await database.db.execute(sql`select (select count(*) from answer_tags)::int as tags,
        (select count(*) from answer_themes)::int as themes`),
    );
    return { engine, answers: ANSWERS, seedS, firstS, retagS, tags: counts!.tags, themes: counts!.themes };
  } finally {
    await cleanup();
  }
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const rate = taggingRate();
console.log('\n### tagging on one core');
console.log('| comments | comments/s | comments per CPU second | mean characters | themes per comment |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
console.log(
  `| ${fmt(rate.comments)} | ${fmt(rate.perSecond)} | ${fmt(rate.perCpuSecond)} | ${fmt(rate.meanChars)} | ${fmt(rate.themesPerComment, 2)} |`,
);
console.log(
  `load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const rows = [];
for (const engine of ENGINES) {
  console.error(`${engine}: ${ANSWERS} answers…`);
  rows.push(await runEngine(engine));
}
console.log('\n### tagging stored answers');
console.log(
  '| engine | answers | first tagging s | answers/s | re-tag after an edit s | answers/s | tagged | theme rows |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows)
  console.log(
    `| ${r.engine} | ${fmt(r.answers)} | ${fmt(r.firstS, 1)} | ${fmt(r.answers / r.firstS)} | ${fmt(r.retagS, 1)} | ${fmt(r.answers / r.retagS)} | ${fmt(r.tags)} | ${fmt(r.themes)} |`,
  );
console.log(
  `load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
