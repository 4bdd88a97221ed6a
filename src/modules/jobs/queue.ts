// The job queue on the `jobs` table: idempotent enqueue, claiming with `for update skip locked` and a lease,
// retries with exponential back-off and jitter, and re-claiming of jobs whose lease ran out (a crashed worker).
// The same SQL runs on PostgreSQL (many workers side by side) and on PGlite (one connection, one worker).
import { and, eq, sql } from 'drizzle-orm';
import { type Db, jsonStatement, rowsOf, runJson } from '../../db/index.js';
import { jobs } from '../../db/schema/index.js';

export type Job = typeof jobs.$inferSelect;

export interface EnqueueInput {
  orgId: string;
  kind: string;
  /** Idempotency: the same (org, kind, key) is queued once. */
  key: string;
  payload?: Record<string, unknown>;
  /** When the job becomes due (the caller's clock, so tests control it). */
  runAt: Date;
  maxAttempts?: number;
}

/** Tries before a job is given up as failed, unless its caller says otherwise. */
const DEFAULT_MAX_ATTEMPTS = 8;

/** Queues a job unless one with the same (org, kind, key) exists; returns the job and whether it was new. */
export async function enqueue(db: Db, input: EnqueueInput): Promise<{ job: Job; created: boolean }> {
  const [inserted] = await db
    .insert(jobs)
    .values({
      orgId: input.orgId,
      kind: input.kind,
      key: input.key,
      payload: input.payload ?? {},
      runAt: input.runAt,
      maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      createdAt: input.runAt,
    })
    .onConflictDoNothing({ target: [jobs.orgId, jobs.kind, jobs.key] })
    .returning();
  if (inserted) return { job: inserted, created: true };
  const [existing] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, input.orgId), eq(jobs.kind, input.kind), eq(jobs.key, input.key)));
  if (!existing) throw new Error(`job ${input.kind}/${input.key} vanished while enqueueing`);
  return { job: existing, created: false };
}

/**
 * Puts a finished or failed job back in the queue (e.g. a human pressed "retry"): due at `runAt`, with a fresh
 * attempt budget. A job that is queued or running is left alone.
 */
export async function requeue(db: Db, input: EnqueueInput): Promise<Job> {
  const { job, created } = await enqueue(db, input);
  if (created || job.status === 'queued' || job.status === 'running') return job;
  const [again] = await db
    .update(jobs)
    .set({
      status: 'queued',
      attempts: 0,
      runAt: input.runAt,
      lockedUntil: null,
      lastError: null,
      finishedAt: null,
      payload: input.payload ?? job.payload,
    })
    .where(and(eq(jobs.orgId, job.orgId), eq(jobs.id, job.id)))
    .returning();
  return again ?? job;
}

interface JobRow {
  org_id: string;
  id: string;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  status: Job['status'];
  attempts: number;
  max_attempts: number;
  run_at: Date | string;
  locked_until: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  finished_at: Date | string | null;
}

const toDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

function fromRow(r: JobRow): Job {
  return {
    orgId: r.org_id,
    id: r.id,
    kind: r.kind,
    key: r.key,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
    status: r.status,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: new Date(r.run_at),
    lockedUntil: toDate(r.locked_until),
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
    finishedAt: toDate(r.finished_at),
  };
}

export interface ClaimOptions {
  now: Date;
  /** How long the claimer owns the job; past it, another worker may take it again. */
  leaseMs: number;
  limit: number;
  /** Only these kinds (the ones this worker has handlers for). */
  kinds: string[];
}

/**
 * Takes up to `limit` due jobs: queued ones whose time has come, and running ones whose lease expired (their
 * worker died). Each claim counts as an attempt, so a job that crashes its worker every time still ends.
 */
export async function claim(db: Db, o: ClaimOptions): Promise<Job[]> {
  if (o.kinds.length === 0 || o.limit <= 0) return [];
  const now = o.now.toISOString();
  const until = new Date(o.now.getTime() + o.leaseMs).toISOString();
  const kinds = sql.join(
    o.kinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const result = await db.execute(sql`
    update jobs j
       set status = 'running', attempts = j.attempts + 1, locked_until = ${until}::timestamptz
      from (
        select org_id, id from jobs
         where kind in (${kinds})
           and ((status = 'queued' and run_at <= ${now}::timestamptz)
             or (status = 'running' and locked_until < ${now}::timestamptz))
         order by run_at
         limit ${o.limit}
         for update skip locked
      ) due
     where j.org_id = due.org_id and j.id = due.id
    returning j.*`);
  return rowsOf<JobRow>(result)
    .map(fromRow)
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
}

/** Marks a claimed job done. */
export async function complete(db: Db, job: Job, now: Date): Promise<void> {
  await db
    .update(jobs)
    .set({ status: 'done', lockedUntil: null, finishedAt: now, lastError: null })
    .where(and(eq(jobs.orgId, job.orgId), eq(jobs.id, job.id)));
}

/** Exponential back-off with "equal jitter": half fixed, half random, so retries of many jobs spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = 15_000;
  const cap = 60 * 60_000;
  const delay = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay / 2 + (delay / 2) * random());
}

/**
 * Records a failed attempt: back in the queue after a back-off, or `failed` for good once the attempts are
 * spent (or when `permanent`).
 */
export async function fail(
  db: Db,
  job: Job,
  error: string,
  now: Date,
  options: { permanent?: boolean; random?: () => number } = {},
): Promise<'retry' | 'failed'> {
  const giveUp = options.permanent === true || job.attempts >= job.maxAttempts;
  const lastError = error.slice(0, 2000);
  if (giveUp) {
    await db
      .update(jobs)
      .set({ status: 'failed', lockedUntil: null, finishedAt: now, lastError })
      .where(and(eq(jobs.orgId, job.orgId), eq(jobs.id, job.id)));
    return 'failed';
  }
  await db
    .update(jobs)
    .set({
      status: 'queued',
      lockedUntil: null,
      lastError,
      runAt: new Date(now.getTime() + backoffMs(job.attempts, options.random)),
    })
    .where(and(eq(jobs.orgId, job.orgId), eq(jobs.id, job.id)));
  return 'retry';
}

/**
 * Jobs whose worker died on their last allowed attempt: their lease ran out and no attempt is left, so they
 * are `failed` rather than taken again.
 */
export async function failExhausted(db: Db, now: Date): Promise<number> {
  const result = await db.execute(sql`
    update jobs set status = 'failed', locked_until = null, finished_at = ${now.toISOString()}::timestamptz,
           last_error = coalesce(last_error, 'the worker stopped while running it (lease expired)')
     where status = 'running' and locked_until < ${now.toISOString()}::timestamptz and attempts >= max_attempts
    returning id`);
  return rowsOf(result).length;
}

/** One job, for tests and the dashboard. */
export async function getJob(db: Db, orgId: string, kind: string, key: string): Promise<Job | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.orgId, orgId), eq(jobs.kind, kind), eq(jobs.key, key)));
  return row ?? null;
}

/**
 * The rows go as one JSON parameter: drizzle's multi-row insert built a parameter per column per row, ~1.8 s of the
 * worker's CPU for the alerts of 20,000 answers with its other inserts (bench/answers, CPU profile).
 */
const ENQUEUE_MANY = jsonStatement(
  'jobs_enqueue_many',
  `with inserted as (
     insert into jobs (org_id, kind, key, payload, run_at, max_attempts, created_at)
     select j.org_id, j.kind, j.key, j.payload, j.run_at, j.max_attempts, j.run_at
     from jsonb_to_recordset($1::jsonb)
          as j(org_id uuid, kind text, key text, payload jsonb, run_at timestamptz, max_attempts integer)
     on conflict (org_id, kind, key) do nothing
     returning 1)
   select count(*)::int as n from inserted`,
);

/** Queues many jobs in one statement; those whose (org, kind, key) exists are left as they are. */
export async function enqueueMany(db: Db, inputs: EnqueueInput[]): Promise<number> {
  if (inputs.length === 0) return 0;
  const [row] = await runJson<{ n: number }>(
    db,
    ENQUEUE_MANY,
    inputs.map((input) => ({
      org_id: input.orgId,
      kind: input.kind,
      key: input.key,
      payload: input.payload ?? {},
      run_at: input.runAt,
      max_attempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    })),
  );
  return Number(row?.n ?? 0);
}

/**
 * Deletes finished jobs (done, or failed) older than `before`: the table stays small. Safe for idempotency
 * where the job's own effect is the guard (e.g. a message's status), which is how handlers are written here.
 */
export async function purgeFinished(db: Db, before: Date): Promise<number> {
  const result = await db.execute(sql`
    delete from jobs where status in ('done', 'failed') and finished_at < ${before.toISOString()}::timestamptz
    returning id`);
  return rowsOf(result).length;
}
