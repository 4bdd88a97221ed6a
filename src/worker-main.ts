// The background worker without the HTTP server: started by the server (WORKER=process, the default on PostgreSQL),
// or on its own with `npm run worker` beside servers started with WORKER=off. PostgreSQL only: PGlite is owned by the
// one process that opened it.
import { readConfig } from './config.js';
import { openDatabase } from './db/index.js';
import { openRuntime } from './http/runtime.js';
import { RemoteForeground } from './modules/kernel/index.js';

const config = readConfig();
if (!config.databaseUrl) {
  console.error(
    'Sarafan worker: DATABASE_URL is not set (the embedded database runs its worker inside the server)',
  );
  process.exit(1);
}
// The server has applied the migrations before starting this process; a worker started on its own applies them.
const database = await openDatabase({
  url: config.databaseUrl,
  poolSize: 8,
  migrate: process.env.SARAFAN_ROLE !== 'worker',
});
// The server that started this worker reports whether answers are streaming in: the loops give way to a burst.
const foreground = new RemoteForeground();
process.on('message', (message) => foreground.receive(message));
const runtime = await openRuntime(config, { database, webDir: null, startWorker: true, foreground });
const { log } = runtime.deps;
log.info('Sarafan worker is running: the closed loop, delivery, themes, reports');
// The server that started this worker learns that it is up (superviseWorkerProcess's `ready`).
process.send?.({ ready: true });

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'worker stopping: finishing the jobs in hand');
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// The server that started this worker is gone (killed without a chance to stop it): stop too.
process.on('disconnect', () => void stop('disconnect'));
