// The worker: runs due jobs by kind and periodic tasks by name. The server starts it (polling); tests call
// `runDue(now)` with their own clock and get every due job and task run once, in order, without sleeping.
import type { Ctx, Deps } from '../kernel/index.js';
import { claim, complete, fail, failExhausted, type Job } from './queue.js';

/** Throw this from a handler to give up at once (no retry): e.g. a rejected recipient. */
export class PermanentJobError extends Error {}

export type JobHandler = (job: Job, ctx: Ctx) => Promise<void>;
/** What a periodic task gets besides the time: a system context for any organisation, and the app's deps. */
export interface TaskTools {
  ctxFor(orgId: string): Ctx;
  deps: Deps;
}
export type PeriodicTask = (now: Date, tools: TaskTools) => Promise<void>;

export interface WorkerOptions {
  /** How often the started worker looks for due work. */
  pollMs?: number;
  /** How long a claimed job is owned before another worker may take it again. */
  leaseMs?: number;
  /** Jobs claimed per round. */
  batch?: number;
  /** Jobs run side by side (1 on PGlite: a single connection). */
  concurrency?: number;
  random?: () => number;
}

export interface RunReport {
  jobs: number;
  failed: number;
  tasks: number;
  /** Due jobs were left for the next round: the round's time budget ran out. */
  more: boolean;
}

/**
 * How long the polling worker spends on jobs in one round before the periodic tasks get their turn again. Without it,
 * a backlog of alert e-mails (12,000 cases after a burst) held the loop's inbox sweep for the whole backlog: the
 * closed loop caught up 36–50 s after the last answer.
 */
export const ROUND_JOB_BUDGET_MS = 2_000;

export class Worker {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly tasks = new Map<
    string,
    { intervalMs: number; fn: PeriodicTask; lastRun: number | null }
  >();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;
  readonly options: Required<WorkerOptions>;
  private readonly tools: TaskTools;

  constructor(
    private readonly deps: Deps,
    options: WorkerOptions = {},
  ) {
    this.options = {
      pollMs: options.pollMs ?? 1000,
      leaseMs: options.leaseMs ?? 5 * 60_000,
      batch: options.batch ?? 50,
      concurrency: options.concurrency ?? 1,
      random: options.random ?? Math.random,
    };
    this.tools = { deps, ctxFor: (orgId) => this.ctxFor(orgId) };
  }

  private ctxFor(orgId: string): Ctx {
    return { ...this.deps, orgId, actor: { kind: 'system' } };
  }

  /** Registers the handler of one kind of job (one handler per kind). */
  handle(kind: string, fn: JobHandler): this {
    if (this.handlers.has(kind))
      throw new Error(`a handler for jobs of kind "${kind}" is already registered`);
    this.handlers.set(kind, fn);
    return this;
  }

  /**
   * Registers a periodic task: it runs when the worker finds it due (first round, then every `intervalMs`).
   * Tasks must be idempotent: with several server processes each runs them.
   */
  every(name: string, intervalMs: number, fn: PeriodicTask): this {
    if (this.tasks.has(name)) throw new Error(`a periodic task named "${name}" is already registered`);
    this.tasks.set(name, { intervalMs, fn, lastRun: null });
    return this;
  }

  /** The names of registered periodic tasks and job kinds (for logs and tests). */
  registered(): { kinds: string[]; tasks: string[] } {
    return { kinds: [...this.handlers.keys()], tasks: [...this.tasks.keys()] };
  }

  /**
   * Runs every periodic task that is due at `now`, then every job due at `now` (including jobs those tasks
   * queued), until none is left — or, with `budgetMs`, until a batch of jobs ends past that many milliseconds, leaving
   * the rest for the next round (`more`). Deterministic: tasks in registration order, jobs by `run_at`.
   */
  async runDue(now: Date = this.deps.clock(), options: { budgetMs?: number } = {}): Promise<RunReport> {
    const report: RunReport = { jobs: 0, failed: 0, tasks: 0, more: false };
    const started = performance.now();
    for (const [name, task] of this.tasks) {
      if (task.lastRun !== null && now.getTime() - task.lastRun < task.intervalMs) continue;
      task.lastRun = now.getTime();
      report.tasks++;
      await this.deps.foreground?.calm();
      const started = performance.now();
      try {
        await task.fn(now, this.tools);
        this.deps.log.debug(
          { task: name, ms: Math.round(performance.now() - started) },
          'periodic task done',
        );
      } catch (error) {
        this.deps.log.error({ err: error, task: name }, 'periodic task failed');
      }
    }
    await failExhausted(this.deps.db, now);
    // Bounded: a handler that keeps queueing due jobs cannot keep one round going for ever.
    for (let round = 0; round < 1000; round++) {
      await this.deps.foreground?.calm();
      const claimed = await claim(this.deps.db, {
        now,
        leaseMs: this.options.leaseMs,
        limit: this.options.batch,
        kinds: [...this.handlers.keys()],
      });
      if (claimed.length === 0) break;
      await runPool(claimed, this.options.concurrency, async (job) => {
        const ok = await this.runOne(job, now);
        report.jobs++;
        if (!ok) report.failed++;
      });
      if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) {
        report.more = true;
        break;
      }
    }
    return report;
  }

  private async runOne(job: Job, now: Date): Promise<boolean> {
    const handler = this.handlers.get(job.kind);
    if (!handler) return false;
    const ctx = this.ctxFor(job.orgId);
    await this.deps.foreground?.calm();
    try {
      await handler(job, ctx);
      await complete(this.deps.db, job, now);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await fail(this.deps.db, job, message, now, {
        permanent: error instanceof PermanentJobError,
        random: this.options.random,
      });
      this.deps.log.warn(
        { job: job.id, kind: job.kind, attempt: job.attempts, outcome, error: message },
        'job failed',
      );
      return false;
    }
  }

  /** Starts polling with the deps' clock. */
  start(): void {
    if (this.timer || this.stopped) return;
    const tick = () => {
      this.timer = null;
      if (this.stopped) return;
      let more = false;
      this.inFlight = this.runDue(this.deps.clock(), { budgetMs: ROUND_JOB_BUDGET_MS })
        .then((report) => {
          more = report.more;
        })
        .catch((error) => this.deps.log.error({ err: error }, 'worker round failed'))
        .finally(() => {
          this.inFlight = null;
          // Jobs left over: the next round at once (its due tasks first), not a poll later.
          if (!this.stopped) this.timer = setTimeout(tick, more ? 0 : this.options.pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the round in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
  }
}

async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
