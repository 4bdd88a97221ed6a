// bench/answers: answers per second and latency over HTTP from a second process, on PGlite and PostgreSQL,
// beside a bare Hono endpoint measured in the same run as the ceiling. Bounded: each run answers N links once.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { seededRandom, simpleSample } from '../src/domain/sampling.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const N = Number(process.env.ANSWERS ?? 20_000);
// Answered first and not measured: the closed loop's tables then hold rows and statistics, as on a server that has been
// running, instead of starting empty (a plan made for an empty table walks every row of the organisation later).
const WARM_UP = Number(process.env.WARM_UP_ANSWERS ?? 2_000);
/** How long after the last response the machine's CPU is still counted on PostgreSQL (see `load`). */
const TAIL_MS = Number(process.env.TAIL_MS ?? 12_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The scores sent: `typical` is a service business at NPS ≈ +30 (50% promoters, 30% passives, 20% detractors), each
// detractor opening a case with its alerts; `uniform` sends 0–10 in turn (64% detractors), the closed loop's worst case.
const MIX = process.env.MIX ?? 'typical';
const TYPICAL = [10, 9, 8, 10, 3, 9, 7, 10, 6, 8];
const scoreOf = (i: number) => (MIX === 'uniform' ? i % 11 : TYPICAL[i % TYPICAL.length]!);

// The order the links are answered in: `random` (the default) as a campaign's respondents answer, whenever each opens
// the e-mail; `sequential` in the order the invitations were made, which puts each batch's answers on the same few
// pages of the invitations table (the worst case for its updates staying on their page, HOT).
const ORDER = process.env.ORDER ?? 'random';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Result {
  target: string;
  answers: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server's CPU milliseconds per answer during the load: what an answer costs, whatever else runs. */
  cpuMsPerAnswer: number;
  /** Seconds from the last response until the closed loop had taken every answer (PostgreSQL; null elsewhere). */
  loopDrainedS: number | null;
  /** CPU milliseconds per answer of the whole machine (server, worker, PostgreSQL, the load generator, anything else)
   * from the first request until the closed loop had caught up: what an answer costs all told. */
  machineMsPerAnswer: number;
  /** Of that, the load generator's (autocannon, in this process) during the load. */
  loaderMsPerAnswer: number;
  /** Of that, the PostgreSQL server's processes (about 0 on PGlite, which runs inside the server). */
  postgresMsPerAnswer: number;
  /** Cores busy on average during the load (of os.availableParallelism()). */
  coresBusy: number;
}

async function startServer(mode: string, count: number, dir: string, env: NodeJS.ProcessEnv) {
  const tokenFile = join(dir, 'tokens.txt');
  // node itself, not npx: a signal to npx would leave the server running beside the next target.
  const profile = process.env.PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE}`] : [];
  const args = [
    ...profile,
    '--import',
    'tsx',
    'bench/answers-server.ts',
    mode,
    String(count),
    tokenFile,
    dir,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const m = /READY (\d+)/.exec(chunk.toString());
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  // On PostgreSQL the background work runs in a worker process: its CPU counts with the server's.
  const workerPidFile = join(dir, 'worker-pid');
  const pids = [
    child.pid!,
    ...(existsSync(workerPidFile) ? [Number(readFileSync(workerPidFile, 'utf8'))] : []),
  ];
  /** Brings the server's planner statistics current (see answers-server.ts); resolves with the tables analyzed. */
  const analyze = () =>
    new Promise<string>((resolve) => {
      const onData = (chunk: Buffer) => {
        const m = /ANALYZED (.*)/.exec(chunk.toString());
        if (!m) return;
        child.stdout!.off('data', onData);
        resolve(m[1]!);
      };
      child.stdout!.on('data', onData);
      child.stdin!.write('analyze\n');
    });
  const tokens = readFileSync(tokenFile, 'utf8').split('\n');
  return {
    child,
    port,
    pids,
    analyze,
    tokens:
      ORDER === 'sequential'
        ? tokens
        : // Every order equally likely, the same one every run (a fixed seed: runs compare like with like).
          simpleSample(tokens, tokens.length, seededRandom('bench/answers')),
  };
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const cpuOf = (pids: number[]) => pids.reduce((t, pid) => t + cpuSeconds(pid), 0);

/** CPU seconds used so far by every PostgreSQL process on this machine (backends, WAL writer, checkpointer…), from /proc;
 * a process that ended during the run takes its time with it, so this is a floor. */
function postgresSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += cpuSeconds(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** CPU seconds every core of the machine has been busy so far (all processes: /proc/stat less idle and iowait). */
function machineBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = fields.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - n[3]! - n[4]!) / 100;
}

/** Seconds until the closed loop has caught up (its inbox empty, its events dispatched), from now (at most 120 s; null when not measurable). */
async function loopDrained(url: string | undefined): Promise<number | null> {
  if (!url) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    while (performance.now() - started < 120_000) {
      // Caught up: every answer taken from the inbox and every event it raised dispatched (alerts, bell, webhooks).
      // exists, not count(*): a count would read the whole inbox ten times a second beside the loop.
      const { rows } = await client.query(
        `select exists (select 1 from loop_inbox) or exists (select 1 from loop_events where dispatched_at is null)
           as waiting`,
      );
      if (!rows[0].waiting) return Math.round((performance.now() - started) / 100) / 10;
      await new Promise((r) => setTimeout(r, 100));
    }
    return null;
  } finally {
    await client.end();
  }
}

/**
 * Once the loop has caught up, every stored answer is counted in the rollups once (a burst's additions are the loop
 * sweep's, answers/writer.ts DEFER_ROLLUPS_AT): says so, or what differs.
 */
async function checkRollups(url: string, target: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select (select count(*) from responses)::int as stored,
        (select coalesce(sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10), 0) from nps_daily_unit)::int as counted`);
    const { stored, counted } = rows[0] as { stored: number; counted: number };
    if (stored !== counted)
      console.log(`${target}: ${counted} answers counted in the rollups of ${stored} stored`);
  } finally {
    await client.end();
  }
}

/**
 * PERF=dir: the whole machine sampled by Linux perf (`perf record -a -g`) from the first request until the closed loop
 * has caught up, one file per target; `perf report -i FILE --sort comm,dso` then shows where every core's time went,
 * the kernel's (socket writes, WAL flushes) included, which V8's profiles show only as a native frame's wall time.
 */
function perfRecord(target: string) {
  const dir = process.env.PERF;
  if (!dir) return null;
  const file = join(dir, `${target.replace(/\W+/g, '-')}.perf.data`);
  const child = spawn('perf', ['record', '-a', '-g', '-F', '499', '-o', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let why = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    why += chunk.toString();
  });
  // Without perf (Debian's linux-perf), or refused by perf_event_paranoid, the bench says so and goes on unrecorded.
  const ended = new Promise<void>((resolve) => {
    child.on('error', (error) => {
      console.log(`PERF: not recorded — ${error.message}`);
      resolve();
    });
    child.on('exit', (code, signal) => {
      if (code && !signal)
        console.log(`PERF: not recorded — perf exited with ${code}: ${why.trim().slice(0, 300)}`);
      resolve();
    });
  });
  return {
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await ended;
    },
  };
}

async function load(
  target: string,
  port: number,
  tokens: string[],
  pids: number[],
  databaseUrl: string | undefined,
  recorded = true,
): Promise<Result> {
  let next = 0;
  const cpuBefore = cpuOf(pids);
  const machineBefore = machineBusySeconds();
  const postgresBefore = postgresSeconds();
  const loaderBefore = process.cpuUsage();
  const perf = recorded ? perfRecord(target) : null;
  const started = performance.now();
  // The time of the last response, not autocannon's duration: that one ends on its once-a-second tick, which for a
  // run of a few seconds is an error of up to 50% (the ceiling read 4,900/s one run and 9,400/s the next).
  let lastResponse = started;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    amount: tokens.length,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          path: `/s/${tokens[next++ % tokens.length]}`,
          body: JSON.stringify({
            score: scoreOf(next),
            reason: next % 3 ? 'Чисто, удобно, хорошие тренеры' : null,
          }),
        }),
        onResponse: () => {
          lastResponse = performance.now();
        },
      },
    ],
  });
  const seconds = (lastResponse - started) / 1000;
  const machineLoad = machineBusySeconds() - machineBefore;
  const loader = process.cpuUsage(loaderBefore);
  const loadSeconds = (performance.now() - started) / 1000;
  // The CPU until the closed loop has caught up, where that is measured: its work is part of an answer's cost.
  const loopDrainedS = await loopDrained(databaseUrl);
  if (databaseUrl) await checkRollups(databaseUrl, target);
  // And until every periodic task of the loop has had its turn twice after the last response (the dispatcher and the
  // theme tagger run every 5 s, the outbox as its jobs fall due): the CPU counted is then the same work every run,
  // not whatever a random phase of those timers let into the window.
  if (databaseUrl) {
    const tail = lastResponse + TAIL_MS - performance.now();
    if (tail > 0) await new Promise((r) => setTimeout(r, tail));
  }
  await perf?.stop();
  const cpu = cpuOf(pids) - cpuBefore;
  const machine = machineBusySeconds() - machineBefore;
  const postgres = postgresSeconds() - postgresBefore;
  const ok = result['2xx'];
  if (result.non2xx || result.errors || result.timeouts)
    console.log(
      `${target}: status codes ${JSON.stringify(result.statusCodeStats)}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
  return {
    target,
    answers: ok,
    seconds: Math.round(seconds * 100) / 100,
    perSecond: Math.round(ok / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    cpuMsPerAnswer: Math.round((cpu * 1000 * 100) / Math.max(ok, 1)) / 100,
    loopDrainedS,
    machineMsPerAnswer: Math.round((machine * 1000 * 100) / Math.max(ok, 1)) / 100,
    loaderMsPerAnswer: Math.round(((loader.user + loader.system) / 1000 / Math.max(ok, 1)) * 100) / 100,
    postgresMsPerAnswer: Math.round((postgres * 1000 * 100) / Math.max(ok, 1)) / 100,
    coresBusy: Math.round((machineLoad / loadSeconds) * 100) / 100,
  };
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const results: (Result & { round: number })[] = [];
const only = (process.env.TARGETS ?? 'bare,pglite,postgres').split(',');
// ROUNDS=n runs every target n times, in turn: this machine's speed moves within minutes (the bare ceiling read
// 13,000 and 22,800 answers/s in two runs a minute apart), so each round's rows are set against that round's ceiling.
const ROUNDS = Number(process.env.ROUNDS ?? 1);

/** The targets of a round; PostgreSQL's in a database of its own, returned to be dropped after the round. */
async function roundTargets() {
  const targets: { name: string; mode: string; count: number; env: NodeJS.ProcessEnv }[] = [
    // Five times as many for the ceiling: 20,000 bare answers take under a second, too short to time steadily.
    {
      name: 'bare Hono (ceiling)',
      mode: 'bare',
      count: Number(process.env.CEILING_ANSWERS ?? 5 * N),
      env: {},
    },
    { name: 'Sarafan on PGlite', mode: 'pglite', count: N, env: {} },
  ].filter((t) => only.includes(t.mode));
  let pgDb: string | null = null;
  if (only.includes('postgres') && (await postgresAnswers())) {
    pgDb = `sarafan_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${pgDb}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${pgDb}`;
    targets.push({
      name: 'Sarafan on PostgreSQL',
      mode: 'postgres',
      count: N,
      env: { BENCH_DATABASE_URL: url.toString() },
    });
  }
  return { targets, pgDb };
}

/**
 * PG_STATS=file (PostgreSQL, with pg_stat_statements in shared_preload_libraries): the statements run during the load,
 * with their calls and the backends' time, written to `file`.
 */
async function statementStats(url: string | undefined): Promise<(() => Promise<void>) | null> {
  const file = process.env.PG_STATS;
  if (!file || !url) return null;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists pg_stat_statements');
    await client.query('select pg_stat_statements_reset()');
    // The tables' and indexes' counters too, so the warm-up's scans are not counted with the measured load's.
    await client.query('select pg_stat_reset()');
  } catch (error) {
    // Without the library preloaded the extension's functions refuse to run: say so and bench without the stats.
    console.log(`PG_STATS: not written — ${(error as Error).message}`);
    await client.end();
    return null;
  }
  return async () => {
    const { rows } = await client.query(
      `select calls, round(total_exec_time::numeric, 1) as ms, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 150) as query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_exec_time desc`,
    );
    // Tables read whole: a sequential scan of a table that grows is a plan that will not last.
    const scans = await client.query(
      `select relname, seq_scan, seq_tup_read, idx_scan from pg_stat_user_tables
       where seq_tup_read > 0 order by seq_tup_read desc limit 12`,
    );
    // Index entries read per scan: a foreign key's check that walks an organisation's rows by a prefix of another
    // index (a plan made while the table was empty) shows here as thousands of entries per scan.
    const indexes = await client.query(
      `select indexrelname, idx_scan, idx_tup_read from pg_stat_user_indexes
       where idx_scan > 0 order by idx_tup_read desc limit 8`,
    );
    // Updates that stayed on their page (HOT) write no index entry; the others write one into every index.
    const updates = await client.query(
      `select relname, n_tup_upd, n_tup_hot_upd from pg_stat_user_tables
       where n_tup_upd > 0 order by n_tup_upd desc limit 8`,
    );
    const calls = rows.reduce((t, r) => t + Number(r.calls), 0);
    const ms = rows.reduce((t, r) => t + Number(r.ms), 0);
    writeFileSync(
      file,
      `sequential scans (table: scans, rows read, index scans): ${scans.rows.map((r) => `${r.relname} ${r.seq_scan}/${r.seq_tup_read}/${r.idx_scan}`).join(', ')}\n` +
        `indexes read most (index: scans, entries read): ${indexes.rows.map((r) => `${r.indexrelname} ${r.idx_scan}/${r.idx_tup_read}`).join(', ')}\n` +
        `updates (table: rows updated, of which HOT): ${updates.rows.map((r) => `${r.relname} ${r.n_tup_upd}/${r.n_tup_hot_upd}`).join(', ')}\n` +
        `statements ${calls}, backend time ${ms.toFixed(0)} ms\n${rows.map((r) => `${String(r.calls).padStart(7)} × ${String(r.ms).padStart(9)} ms ${String(r.rows).padStart(7)} rows  ${r.query}`).join('\n')}\n`,
    );
    await client.end();
  };
}

for (let round = 1; round <= ROUNDS; round++) {
  const { targets, pgDb } = await roundTargets();
  for (const t of targets) {
    const dir = mkdtempSync(join(tmpdir(), 'sarafan-bench-'));
    const warmUp = t.mode === 'bare' ? 0 : WARM_UP;
    const server = await startServer(t.mode, t.count + warmUp, dir, t.env);
    const url = process.env.NO_WORKER ? undefined : t.env.BENCH_DATABASE_URL;
    if (warmUp > 0) {
      // The warm-up's own links, until its closed loop has caught up; then the statistics autovacuum would keep.
      await load(`${t.name} (warm-up)`, server.port, server.tokens.slice(0, warmUp), server.pids, url, false);
      await server.analyze();
    }
    const stats = await statementStats(t.env.BENCH_DATABASE_URL);
    results.push({
      ...(await load(t.name, server.port, server.tokens.slice(warmUp), server.pids, url)),
      round,
    });
    await stats?.();
    await stop(server.child);
    // With PROFILE, the moment the server was ready, to leave the setup out of the profile (bench/profile-summary.cjs).
    if (process.env.PROFILE)
      writeFileSync(join(process.env.PROFILE, `ready-us-${t.mode}`), readFileSync(join(dir, 'ready-us')));
    rmSync(dir, { recursive: true, force: true });
  }
  if (pgDb) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${pgDb} with (force)`);
    await admin.end();
  }
}

const ceilingOf = (round: number) =>
  results.find((r) => r.round === round && r.target.startsWith('bare'))?.perSecond ?? Number.NaN;
console.log(
  `\nbench/answers — ${CONNECTIONS} connections, ${N} answers per target, scores ${MIX}, load average ${loadavg()[0]!.toFixed(1)}, ${new Date().toISOString().slice(0, 10)}`,
);
console.log(
  `| ${ROUNDS > 1 ? 'round | ' : ''}target | answers | s | answers/s | % of ceiling | p50 ms | p99 ms | errors | server CPU ms/answer | loop drained s | machine CPU ms/answer | of which the load generator | of which PostgreSQL | cores busy | answers/s with every core on it |`,
);
console.log(
  `| ${ROUNDS > 1 ? '---: | ' : ''}--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
);
for (const r of results) {
  const ceiling = ceilingOf(r.round);
  // The most a run could reach were every core of the machine busy with it, at the CPU an answer costs all told.
  const bound = Math.round((availableParallelism() * 1000) / r.machineMsPerAnswer);
  console.log(
    `| ${ROUNDS > 1 ? `${r.round} | ` : ''}${r.target} | ${r.answers} | ${r.seconds} | ${r.perSecond} | ${Math.round((100 * r.perSecond) / ceiling)}% | ${r.p50} | ${r.p99} | ${r.errors} | ${r.cpuMsPerAnswer} | ${r.loopDrainedS ?? '—'} | ${r.machineMsPerAnswer} | ${r.loaderMsPerAnswer} | ${r.postgresMsPerAnswer} | ${r.coresBusy} | ${bound} (${Math.round((100 * bound) / ceiling)}%) |`,
  );
}
if (ROUNDS > 1) {
  // Each target's share of its own round's ceiling, and the median over the rounds.
  for (const target of new Set(results.filter((r) => !r.target.startsWith('bare')).map((r) => r.target))) {
    const shares = results
      .filter((r) => r.target === target)
      .map((r) => (100 * r.perSecond) / ceilingOf(r.round))
      .sort((a, b) => a - b);
    const median =
      shares[Math.floor((shares.length - 1) / 2)]! / 2 + shares[Math.ceil((shares.length - 1) / 2)]! / 2;
    console.log(
      `${target}: ${shares.map((x) => `${Math.round(x)}%`).join(', ')} of its round's ceiling; median ${Math.round(median)}%`,
    );
  }
}
