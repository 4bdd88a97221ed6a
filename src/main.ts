// Starts the Sarafan server: migrations, the API, survey pages and the dashboard on PORT.
import { existsSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { readConfig } from './config.js';
import { defaultWebDir } from './http/app.js';
import { openRuntime } from './http/runtime.js';
import { superviseWorkerProcess } from './http/worker-process.js';

const config = readConfig();
// The background work runs here (WORKER=inline, PGlite's way), in a worker process started once the migrations are
// applied (WORKER=process, PostgreSQL's default), or elsewhere (WORKER=off).
const runtime = await openRuntime(config, { startWorker: config.worker === 'inline' });
const { log } = runtime.deps;
const workerProcess =
  config.worker === 'process'
    ? superviseWorkerProcess(log, process.env, { foreground: runtime.deps.foreground })
    : null;
if (!existsSync(`${defaultWebDir}/index.html`))
  log.warn('The dashboard is not built: run `npm run build:web`');

const server = serve({ fetch: runtime.app.fetch, port: config.port, hostname: config.host }, (info) => {
  log.info(
    { port: info.port, database: runtime.database.kind, dataDir: config.dataDir, worker: config.worker },
    `Sarafan is running at ${config.publicUrl} (dashboard), ${config.publicUrl}/api/docs (API)`,
  );
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: finishing answers in flight');
  server.close();
  await workerProcess?.stop();
  await runtime.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
