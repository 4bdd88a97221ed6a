// Builds a running Sarafan from configuration: database, vault, answer writer and the Hono app.
import { type Logger, pino } from 'pino';
import { type Config, databaseFolder } from '../config.js';
import { analyzeGrownTables, type Database, openDatabase } from '../db/index.js';
import { DISPATCH_INTERVAL_MS, DISPATCH_TASK, dispatchLoopEvents } from '../modules/alerts/index.js';
import { AnswerWriter } from '../modules/answers/index.js';
import { CALLS_INTERVAL_MS, CALLS_TASK, callsTick } from '../modules/calls/index.js';
import { attachDelivery, Delivery, unsubscribeRoutes } from '../modules/delivery/index.js';
import { DIGESTS_INTERVAL_MS, DIGESTS_TASK, sendDueDigests } from '../modules/digests/index.js';
import {
  DISTRIBUTION_INTERVAL_MS,
  DISTRIBUTION_TASK,
  distributionTick,
} from '../modules/distribution/index.js';
import { checkAllDrops, DROPS_INTERVAL_MS, DROPS_TASK } from '../modules/drops/index.js';
import { ECONOMICS_INTERVAL_MS, ECONOMICS_TASK, refreshAllEconomics } from '../modules/economics/index.js';
import { Worker } from '../modules/jobs/index.js';
import { type Deps, ForegroundGate, type ForegroundSource } from '../modules/kernel/index.js';
import { linkPublic } from '../modules/links/index.js';
import {
  LOOP_INBOX_INTERVAL_MS,
  LOOP_INBOX_TASK,
  LOOP_TIMERS_INTERVAL_MS,
  LOOP_TIMERS_TASK,
  runLoopTimers,
  sweepInbox,
} from '../modules/loop/index.js';
import {
  applyAllRetention,
  fileVault,
  RETENTION_INTERVAL_MS,
  RETENTION_TASK,
} from '../modules/privacy/index.js';
import {
  REPORT_JOB,
  REPORT_MESSAGE,
  reportAttachment,
  runReportJob,
  runSchedulesTask,
  SCHEDULES_INTERVAL_MS,
  SCHEDULES_TASK,
} from '../modules/reports/index.js';
import {
  RETAG_JOB,
  runRetagJob,
  sweepThemes,
  THEMES_INTERVAL_MS,
  THEMES_TASK,
} from '../modules/themes/index.js';
import { attachWebhooks, WebhookSender } from '../modules/webhooks/index.js';
import { surveyRoutes } from '../survey/routes.js';
import { createApp, defaultWebDir } from './app.js';
import { publicLimitKey } from './security-headers.js';

const ANALYZE_TASK = 'db.analyze';
const ANALYZE_INTERVAL_MS = 60_000;

export interface Runtime {
  database: Database;
  deps: Deps;
  writer: AnswerWriter;
  app: ReturnType<typeof createApp>;
  /** Runs queued jobs and periodic tasks; rooms register theirs with `worker.handle` / `worker.every`. */
  worker: Worker;
  /** E-mail and SMS sending (the outbox); `delivery.configureSmtp(url)` sets the SMTP server. */
  delivery: Delivery;
  /** Webhook sending (`webhooks.idle()` waits for the sends in flight). */
  webhooks: WebhookSender;
  /** Finishes the answers and jobs in flight, then closes the database. */
  close(): Promise<void>;
}

export async function openRuntime(
  config: Config,
  options: {
    log?: Logger;
    clock?: () => Date;
    webDir?: string | null;
    database?: Database;
    /** false: the worker is built but not polling (tests drive it with `worker.runDue(now)`). */
    startWorker?: boolean;
    /** A worker process's view of its server's answer writers (kernel RemoteForeground): what its loops give way to. */
    foreground?: ForegroundSource;
  } = {},
): Promise<Runtime> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database =
    options.database ??
    (await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl, poolSize: 16 } : { dataDir: databaseFolder(config) },
    ));
  // The keyring file is followed while the server runs, so `sarafan keys rotate` needs no restart.
  const vault = fileVault(config.secretKeyFile);
  const clock = options.clock ?? (() => new Date());
  // One batch at a time, on PostgreSQL too: every batch adds to the same rollup rows (today's, per unit), so batches
  // side by side wait for each other's row locks (bench/answers: 4 at once spent 6.9 of PostgreSQL's 11.5 s in the
  // rollups, 1 at a time 0.3 s). Batches grow instead: the writer takes all that waits, up to 500 answers.
  const writer = new AnswerWriter(database.db, log, { concurrency: 1 });
  const deps: Deps = {
    db: database.db,
    vault,
    log,
    clock,
    publicUrl: config.publicUrl,
    dataDir: config.dataDir,
  };
  // Anonymous links (/l/, /w/) record through their own group-commit writer.
  const links = linkPublic(deps, {
    concurrency: database.kind === 'pglite' ? 1 : 4,
    trustProxy: config.trustProxy,
  });
  // Background loops give way to the answers being written (see kernel/foreground.ts): on PGlite's one connection
  // step by step; on PostgreSQL for the first seconds of a burst — of this server's writers, or, in a worker
  // process, of its server's as reported over IPC (`foreground`).
  const gate =
    database.kind === 'pglite'
      ? new ForegroundGate()
      : new ForegroundGate({ mode: 'burst', maxWaitMs: 5_000, windowMs: 10_000, quietMs: 100 });
  if (options.foreground) gate.watch(options.foreground);
  else {
    gate.watch(writer);
    gate.watch(links.writer);
  }
  deps.foreground = gate;
  const app = createApp(deps, {
    webDir: options.webDir === null ? undefined : (options.webDir ?? defaultWebDir),
    trustProxy: config.trustProxy,
    publicRoutes: surveyRoutes(
      { db: database.db, writer, clock },
      { clientAddress: (c) => publicLimitKey(c, config.trustProxy) },
    )
      .route('/', links.routes)
      .route('/', unsubscribeRoutes({ db: database.db, clock })),
  });
  // Jobs mostly wait on the network (SMTP, SMS gateways): four run side by side even on PGlite, whose single
  // connection simply takes their statements in turn (bench/send: ~1.5× the throughput of one at a time).
  const worker = new Worker(deps, { concurrency: 4 });
  const delivery = new Delivery({ smtpUrl: config.smtpUrl });
  // Distribution first: the invitations it makes are sent by delivery's sweep in the same round.
  worker.every(DISTRIBUTION_TASK, DISTRIBUTION_INTERVAL_MS, async (now) => {
    await distributionTick(deps, now);
  });
  delivery.register(worker);
  // Phone invitations (from the API or distribution above) become call tasks for the operators' queue.
  worker.every(CALLS_TASK, CALLS_INTERVAL_MS, async (now) => {
    await callsTick(deps, now);
  });
  attachDelivery(deps, delivery);
  // The closed loop: stored answers meet the playbook within seconds; deadlines, escalation and re-surveys.
  worker.every(LOOP_INBOX_TASK, LOOP_INBOX_INTERVAL_MS, async (now) => {
    await sweepInbox(deps, now);
  });
  worker.every(LOOP_TIMERS_TASK, LOOP_TIMERS_INTERVAL_MS, async (now) => {
    await runLoopTimers(deps, now);
  });
  // Loop events → bell, alert e-mail (through the outbox above) and webhook deliveries; then the webhooks go out.
  worker.every(DISPATCH_TASK, DISPATCH_INTERVAL_MS, async (now) => {
    await dispatchLoopEvents(deps, now);
  });
  // NPS drops of the latest complete week or month, once a period: before the digests that list them.
  worker.every(DROPS_TASK, DROPS_INTERVAL_MS, async (now) => {
    await checkAllDrops(deps, now);
  });
  // Themes of new and amended answers, read after their commit; re-tagging after a taxonomy edit is a job.
  worker.every(THEMES_TASK, THEMES_INTERVAL_MS, async (now) => {
    await sweepThemes(deps, now);
  });
  worker.handle(RETAG_JOB, runRetagJob);
  // Loyalty economics: new contacts and answers into the per-customer cache, and its daily whole rebuild, off the
  // request path (pages read the cache as it was meanwhile).
  worker.every(ECONOMICS_TASK, ECONOMICS_INTERVAL_MS, async (now) => {
    await refreshAllEconomics(deps, now);
  });
  // Daily and weekly digests at each person's local time, once per period.
  worker.every(DIGESTS_TASK, DIGESTS_INTERVAL_MS, async (now) => {
    await sendDueDigests(deps, now);
  });
  // Retention periods of personal data (privacy settings), once an hour.
  worker.every(RETENTION_TASK, RETENTION_INTERVAL_MS, async (now) => {
    await applyAllRetention(deps, now);
  });
  // Reports: made on the queue with progress; schedules queue the period just ended and mail it with the file.
  worker.handle(REPORT_JOB, runReportJob);
  worker.every(SCHEDULES_TASK, SCHEDULES_INTERVAL_MS, runSchedulesTask);
  delivery.attach(REPORT_MESSAGE, reportAttachment);
  const webhooks = new WebhookSender(deps);
  webhooks.register(worker);
  attachWebhooks(deps, webhooks);
  if (database.kind === 'pglite') {
    // PGlite has no autovacuum: keep the planner's statistics current as tables grow (see src/db/maintenance.ts).
    await analyzeGrownTables(database.db);
    worker.every(ANALYZE_TASK, ANALYZE_INTERVAL_MS, async () => {
      await analyzeGrownTables(database.db);
    });
  }
  if (options.startWorker !== false) queueMicrotask(() => worker.start());
  return {
    database,
    deps,
    writer,
    app,
    worker,
    delivery,
    webhooks,
    async close() {
      await worker.stop();
      await webhooks.idle();
      delivery.close();
      await writer.drain();
      await links.writer.drain();
      await database.close();
    },
  };
}
