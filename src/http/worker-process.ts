// The background worker in a process of its own, beside the server (WORKER=process, the default on PostgreSQL): the
// answers and the pages keep one event loop and one core, the closed loop, delivery and the rest another. The server
// starts it after the migrations, restarts it when it dies and stops it with itself.
import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { type ForegroundGate, reportForeground } from '../modules/kernel/index.js';

/** The worker's entry, next to this file's folder: worker-main.ts under tsx, worker-main.js when compiled. */
const entry = fileURLToPath(
  new URL(`../worker-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

export interface WorkerProcess {
  /** The running worker's process id (a new one after a restart). */
  pid(): number | undefined;
  /** Resolves once the first worker has opened the database and started its loops. */
  ready: Promise<void>;
  /** Stops the worker: it finishes the jobs in hand, then exits. */
  stop(): Promise<void>;
}

/** Restarts come at most this often: a worker that dies at start does not spin. */
const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Starts the worker process with this process's environment and Node flags (tsx's loader included) and keeps it
 * running: a worker that exits on its own is started again after 1 s, then longer while it keeps dying. Jobs are
 * leased in the database, so whatever a dead worker held is taken again when its lease ends; nothing is lost.
 */
export function superviseWorkerProcess(
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  options: { foreground?: ForegroundGate } = {},
): WorkerProcess {
  let child: ChildProcess | null = null;
  let stopping = false;
  let failures = 0;
  let restart: NodeJS.Timeout | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const start = () => {
    const started = Date.now();
    const current = fork(entry, [], { env: { ...env, SARAFAN_ROLE: 'worker' }, stdio: 'inherit' });
    child = current;
    current.on('message', (message) => {
      if ((message as { ready?: boolean }).ready) markReady();
    });
    current.on('exit', (code, signal) => {
      if (child === current) child = null;
      if (stopping) return;
      // A worker that ran for a minute starts the count of quick deaths again.
      failures = Date.now() - started > 60_000 ? 1 : failures + 1;
      const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length) - 1]!;
      log.error({ code, signal, restartInMs: delay }, 'the worker process stopped; starting it again');
      restart = setTimeout(start, delay);
    });
  };
  start();
  // The worker's loops give way to bursts of answers written here (kernel/foreground.ts).
  const stopReports = options.foreground
    ? reportForeground(options.foreground, (message) => {
        if (child?.connected) child.send(message);
      })
    : () => {};

  return {
    pid: () => child?.pid,
    ready,
    async stop() {
      stopping = true;
      stopReports();
      if (restart) clearTimeout(restart);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once('exit', () => resolve());
        current.kill('SIGTERM');
      });
    },
  };
}
