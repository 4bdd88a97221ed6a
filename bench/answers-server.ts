// The server side of bench/answers: prepares a survey with N invitations, writes their tokens, and serves.
import { writeFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { z } from 'zod';
import { initOrganisation } from '../src/cli/init.js';
import { readConfig } from '../src/config.js';
import { analyzeGrownTables, openDatabase } from '../src/db/index.js';
import { openRuntime } from '../src/http/runtime.js';
import { superviseWorkerProcess } from '../src/http/worker-process.js';
import { createInvitations } from '../src/modules/invitations/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';
import { countStatements } from './sql-stats.js';

const [mode, countArg, tokenFile, dataDir] = process.argv.slice(2);
const count = Number(countArg);

function ready(port: number) {
  // The monotonic time of readiness (µs, the clock of V8's CPU profiles), so a profile can leave out the setup.
  if (process.env.PROFILE) writeFileSync(`${dataDir}/ready-us`, String(process.hrtime.bigint() / 1000n));
  process.stdout.write(`READY ${port}\n`);
}

if (mode === 'bare') {
  // The ceiling: the same HTTP stack with JSON validation and nothing behind it.
  const app = new Hono();
  const body = z.object({ score: z.number().int().min(0).max(10), reason: z.string().max(2000).nullish() });
  app.post('/s/:token', async (c) => {
    const parsed = body.safeParse(await c.req.json());
    if (!parsed.success) return c.json({ error: 'invalid' }, 422);
    return c.json({ status: 'recorded' }, 201);
  });
  writeFileSync(tokenFile!, Array.from({ length: count }, (_, i) => `t${i}`).join('\n'));
  serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
} else {
  const url = mode === 'postgres' ? process.env.BENCH_DATABASE_URL : undefined;
  const env = { DATA_DIR: dataDir, PUBLIC_URL: 'http://127.0.0.1', LOG_LEVEL: 'silent' };
  const config = readConfig(env);
  const database = await openDatabase(url ? { url, poolSize: 16 } : { dataDir: `${dataDir}/db` });
  // As `npm start` runs: on PostgreSQL the background work in a worker process (WORKER=process), on PGlite inline.
  const workerProcess = url && !process.env.NO_WORKER && process.env.WORKER !== 'inline';
  const runtime = await openRuntime(config, {
    database,
    log: pino(
      { level: process.env.BENCH_LOG ?? 'silent' },
      // Logs go to a file when asked: stdout carries the READY line.
      process.env.BENCH_LOG_FILE ? pino.destination(process.env.BENCH_LOG_FILE) : undefined,
    ),
    webDir: null,
    startWorker: !process.env.NO_WORKER && !workerProcess,
  });
  const contextFor = (orgId: string) => ({ ...runtime.deps, orgId, actor: { kind: 'system' as const } });
  const done = await initOrganisation(contextFor, database.db, {
    org: 'Bench',
    email: 'bench@example.com',
    password: 'bench-password',
  });
  const ctx = contextFor(done.org.id);
  const survey = await createSurvey(ctx, { name: 'Bench', audience: 'customer' });
  const tokens: string[] = [];
  for (let made = 0; made < count; made += 1000) {
    const items = await createInvitations(
      ctx,
      survey.id,
      { count: Math.min(1000, count - made) },
      'http://127.0.0.1',
    );
    for (const i of items) tokens.push(i.url.split('/s/')[1]!);
  }
  writeFileSync(tokenFile!, tokens.join('\n'));
  // As on a server that has been running: PGlite's statistics are kept by a periodic task, brought current here.
  if (database.kind === 'pglite') await analyzeGrownTables(database.db);
  // SQL_STATS=file (PGlite): the time of each statement during the load, written when the server stops.
  const sqlStats =
    process.env.SQL_STATS && database.kind === 'pglite'
      ? countStatements(
          (database.db as unknown as { $client: Parameters<typeof countStatements>[0] }).$client,
          process.env.SQL_STATS,
        )
      : null;
  const worker = workerProcess
    ? superviseWorkerProcess(
        runtime.deps.log,
        { ...process.env, ...env, DATABASE_URL: url },
        { foreground: process.env.NO_GIVE_WAY ? undefined : runtime.deps.foreground },
      )
    : null;
  // Loaded and started before the load begins; the bench counts its CPU with the server's.
  await worker?.ready;
  if (worker) writeFileSync(`${dataDir}/worker-pid`, String(worker.pid()));
  serve({ fetch: runtime.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
  // "analyze" on stdin, after the warm-up: statistics as a server that has been running has them (autovacuum on
  // PostgreSQL, the periodic task on PGlite), then "ANALYZED" and the measured load. A profile starts here too.
  process.stdin.setEncoding('utf8').on('data', async (line: string) => {
    if (line.trim() !== 'analyze') return;
    const analyzed = await analyzeGrownTables(database.db);
    if (process.env.PROFILE) writeFileSync(`${dataDir}/ready-us`, String(process.hrtime.bigint() / 1000n));
    process.stdout.write(`ANALYZED ${analyzed.join(',')}\n`);
  });
  process.on('SIGTERM', async () => {
    await worker?.stop();
    await runtime.close();
    sqlStats?.();
    process.exit(0);
  });
}
