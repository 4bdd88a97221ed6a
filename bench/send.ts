// bench/send: N invitations by e-mail through the real pipeline — render → outbox → worker → nodemailer (pooled)
// → an SMTP server in this process on 127.0.0.1 — on PGlite and PostgreSQL. Prints invitations/s and the
// per-message send time (from `sending` committed to the SMTP server accepting the mail), p50 and p99.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { readConfig } from '../src/config.js';
import { type Database, openDatabase, rowsOf } from '../src/db/index.js';
import { openRuntime } from '../src/http/runtime.js';
import { upsertCustomers } from '../src/modules/customers/index.js';
import { createInvitations } from '../src/modules/invitations/index.js';
import type { Ctx } from '../src/modules/kernel/index.js';
import { createOrg } from '../src/modules/orgs/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';

const N = Number(process.env.N ?? 2000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TIME_LIMIT_MS = 10 * 60_000;

// The SMTP peer: accepts everything, notes when each message (by Message-ID) arrived.
const accepted = new Map<string, number>();
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('utf8');
    });
    stream.on('end', () => {
      const id = /^Message-ID:\s*<([^@>]+)@/im.exec(head)?.[1];
      if (id) accepted.set(id, performance.now());
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`;

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : Number.NaN;

const rows: string[] = [];

async function run(name: string, database: Database) {
  accepted.clear();
  const dataDir = mkdtempSync(join(tmpdir(), 'sarafan-bench-send-'));
  const config = readConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://nps.example.ru', SMTP_URL: smtpUrl });
  const runtime = await openRuntime(config, {
    database,
    log: pino({ level: 'silent' }),
    webDir: null,
    startWorker: false,
  });
  // No quiet hours: the bench must not wait for the morning.
  const org = await createOrg(database.db, { name: 'ФитПарк', timeZone: 'Europe/Moscow' });
  await database.db.execute(
    sql`update orgs set settings = '{"quietHours":{"start":"00:00","end":"00:00"}}'::jsonb where id = ${org.id}`,
  );
  const ctx: Ctx = { ...runtime.deps, orgId: org.id, actor: { kind: 'system' } };
  const survey = await createSurvey(ctx, { name: 'Bench', audience: 'customer' });
  const ids: string[] = [];
  for (let i = 0; i < N; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({
      externalId: `c${i + k}`,
      name: `Клиент ${i + k}`,
      email: `client${i + k}@example.ru`,
    }));
    ids.push(...(await upsertCustomers(ctx, batch)).items.map((c) => c.id));
  }
  const started = performance.now();
  for (let i = 0; i < ids.length; i += 1000)
    await createInvitations(
      ctx,
      survey.id,
      { customerIds: ids.slice(i, i + 1000), channel: 'email' },
      config.publicUrl,
    );

  const sendingAt = new Map<string, number>();
  runtime.delivery.hooks.afterSending = (m) => {
    sendingAt.set(m.id, performance.now());
  };
  let queuedMs = 0;
  let rounds = 0;
  for (;;) {
    const report = await runtime.worker.runDue(new Date(Date.now() + rounds * 31_000));
    rounds++;
    if (!queuedMs) queuedMs = performance.now() - started;
    const [left] = rowsOf<{ n: number }>(
      await database.db.execute(
        sql`select count(*)::int as n from messages where status in ('queued', 'sending')`,
      ),
    );
    const [made] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select count(*)::int as n from messages`),
    );
    if ((left?.n ?? 0) === 0 && (made?.n ?? 0) >= N) break;
    if (report.jobs === 0 && report.tasks === 0) await new Promise((r) => setTimeout(r, 10));
    if (performance.now() - started > TIME_LIMIT_MS) throw new Error('bench/send: over the time limit');
  }
  const totalMs = performance.now() - started;
  const [sent] = rowsOf<{ n: number }>(
    await database.db.execute(sql`select count(*)::int as n from messages where status = 'sent'`),
  );
  const latencies = [...sendingAt]
    .map(([id, t]) => (accepted.get(id) ?? Number.NaN) - t)
    .filter((d) => Number.isFinite(d))
    .sort((a, b) => a - b);
  rows.push(
    `| ${name} | ${N} | ${sent?.n ?? 0} | ${(N / (totalMs / 1000)).toFixed(0)} | ${(queuedMs / 1000).toFixed(1)} | ${(totalMs / 1000).toFixed(1)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} |`,
  );
  await runtime.close();
}

try {
  await run('PGlite', await openDatabase());
  let pgDb: string | null = null;
  try {
    const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    await admin.connect();
    pgDb = `sarafan_bench_send_${Date.now()}`;
    await admin.query(`create database ${pgDb}`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${pgDb}`;
    await run('PostgreSQL', await openDatabase({ url: url.toString(), poolSize: 8 }));
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
} finally {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
}

console.log(`\nbench/send — ${N} e-mail invitations, pooled nodemailer (3 connections) to SMTP on 127.0.0.1`);
console.log(
  '| database | invitations | sent | invitations/s | render+queue s | total s | send p50 ms | send p99 ms |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
process.exit(0);
