// The job queue and worker: idempotent enqueue, back-off and giving up, lease expiry, periodic tasks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffMs,
  claim,
  enqueue,
  getJob,
  type Job,
  PermanentJobError,
  Worker,
} from '../src/modules/jobs/index.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
});
afterAll(() => world.close());

const SEC = 1000;

function newWorker(random = () => 0.5) {
  return new Worker({ ...world.runtime.deps, clock: () => world.now }, { random, leaseMs: 60 * SEC });
}

describe('job queue', () => {
  it('enqueues the same (org, kind, key) once', async () => {
    const db = world.runtime.database.db;
    const a = await enqueue(db, {
      orgId: org.orgId,
      kind: 'idem',
      key: 'k1',
      payload: { n: 1 },
      runAt: world.now,
    });
    const b = await enqueue(db, {
      orgId: org.orgId,
      kind: 'idem',
      key: 'k1',
      payload: { n: 2 },
      runAt: world.now,
    });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.job.id).toBe(a.job.id);
    expect(b.job.payload).toEqual({ n: 1 });
    const worker = newWorker();
    const seen: unknown[] = [];
    worker.handle('idem', async (job) => {
      seen.push(job.payload);
    });
    await worker.runDue(world.now);
    await worker.runDue(world.now);
    expect(seen).toEqual([{ n: 1 }]);
    expect((await getJob(db, org.orgId, 'idem', 'k1'))?.status).toBe('done');
  });

  it('runs a job only when due, retries with growing back-off, then fails with the last error', async () => {
    const db = world.runtime.database.db;
    const start = world.now;
    await enqueue(db, {
      orgId: org.orgId,
      kind: 'flaky',
      key: 'f1',
      runAt: new Date(start.getTime() + 10 * SEC),
      maxAttempts: 3,
    });
    const worker = newWorker();
    let calls = 0;
    worker.handle('flaky', async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    });
    expect((await worker.runDue(start)).jobs).toBe(0);
    const t1 = new Date(start.getTime() + 10 * SEC);
    await worker.runDue(t1);
    let job = (await getJob(db, org.orgId, 'flaky', 'f1')) as Job;
    expect(job).toMatchObject({ status: 'queued', attempts: 1, lastError: 'boom 1' });
    const delay1 = job.runAt.getTime() - t1.getTime();
    expect(delay1).toBe(backoffMs(1, () => 0.5));
    // Not yet due: nothing runs.
    await worker.runDue(new Date(job.runAt.getTime() - 1));
    expect(calls).toBe(1);
    const t2 = job.runAt;
    await worker.runDue(t2);
    job = (await getJob(db, org.orgId, 'flaky', 'f1')) as Job;
    expect(job.attempts).toBe(2);
    expect(job.runAt.getTime() - t2.getTime()).toBeGreaterThan(delay1);
    await worker.runDue(job.runAt);
    job = (await getJob(db, org.orgId, 'flaky', 'f1')) as Job;
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
    await worker.runDue(new Date(job.runAt.getTime() + 3600 * SEC));
    expect(calls).toBe(3);
  });

  it('back-off doubles, has jitter within bounds and a cap', () => {
    expect(backoffMs(1, () => 0)).toBe(7_500);
    expect(backoffMs(1, () => 1)).toBe(15_000);
    expect(backoffMs(2, () => 0)).toBe(15_000);
    expect(backoffMs(30, () => 1)).toBe(3_600_000);
    const spread = new Set(Array.from({ length: 20 }, () => backoffMs(3)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('gives up at once on a permanent error', async () => {
    const db = world.runtime.database.db;
    await enqueue(db, { orgId: org.orgId, kind: 'perm', key: 'p1', runAt: world.now });
    const worker = newWorker();
    worker.handle('perm', async () => {
      throw new PermanentJobError('rejected');
    });
    await worker.runDue(world.now);
    expect(await getJob(db, org.orgId, 'perm', 'p1')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('takes a job again when its worker died and the lease expired', async () => {
    const db = world.runtime.database.db;
    const t0 = world.now;
    await enqueue(db, { orgId: org.orgId, kind: 'crash', key: 'c1', runAt: t0 });
    // A worker claims it and dies before finishing (no complete, no fail).
    const [taken] = await claim(db, { now: t0, leaseMs: 60 * SEC, limit: 10, kinds: ['crash'] });
    expect(taken?.status).toBe('running');
    const worker = newWorker();
    const ran: string[] = [];
    worker.handle('crash', async (job) => {
      ran.push(job.key);
    });
    // Within the lease nobody else takes it.
    await worker.runDue(new Date(t0.getTime() + 59 * SEC));
    expect(ran).toEqual([]);
    await worker.runDue(new Date(t0.getTime() + 61 * SEC));
    expect(ran).toEqual(['c1']);
    expect(await getJob(db, org.orgId, 'crash', 'c1')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('fails a job whose worker died on its last attempt instead of running it for ever', async () => {
    const db = world.runtime.database.db;
    const t0 = world.now;
    await enqueue(db, { orgId: org.orgId, kind: 'crash2', key: 'c2', runAt: t0, maxAttempts: 1 });
    await claim(db, { now: t0, leaseMs: 60 * SEC, limit: 10, kinds: ['crash2'] });
    const worker = newWorker();
    let ran = 0;
    worker.handle('crash2', async () => {
      ran++;
    });
    await worker.runDue(new Date(t0.getTime() + 120 * SEC));
    expect(ran).toBe(0);
    expect(await getJob(db, org.orgId, 'crash2', 'c2')).toMatchObject({ status: 'failed' });
  });

  it('two claimers never take the same job', async () => {
    const db = world.runtime.database.db;
    for (let i = 0; i < 20; i++)
      await enqueue(db, { orgId: org.orgId, kind: 'par', key: `j${i}`, runAt: world.now });
    const [a, b] = await Promise.all([
      claim(db, { now: world.now, leaseMs: 60 * SEC, limit: 12, kinds: ['par'] }),
      claim(db, { now: world.now, leaseMs: 60 * SEC, limit: 12, kinds: ['par'] }),
    ]);
    const ids = [...(a ?? []), ...(b ?? [])].map((j) => j.id);
    expect(ids.length).toBe(20);
    expect(new Set(ids).size).toBe(20);
  });
});

describe('worker', () => {
  it('runs periodic tasks when due, and the jobs they queue in the same round', async () => {
    const worker = newWorker();
    const db = world.runtime.database.db;
    const ticks: string[] = [];
    const done: string[] = [];
    worker.handle('from-task', async (job) => {
      done.push(job.key);
    });
    worker.every('sweep', 60 * SEC, async (now) => {
      ticks.push(now.toISOString());
      await enqueue(db, { orgId: org.orgId, kind: 'from-task', key: now.toISOString(), runAt: now });
    });
    const t0 = new Date('2026-12-01T00:00:00Z');
    expect((await worker.runDue(t0)).tasks).toBe(1);
    expect(done).toEqual([t0.toISOString()]);
    await worker.runDue(new Date(t0.getTime() + 30 * SEC));
    expect(ticks).toHaveLength(1);
    await worker.runDue(new Date(t0.getTime() + 60 * SEC));
    expect(ticks).toHaveLength(2);
    expect(() => worker.every('sweep', 1, async () => {})).toThrow();
  });

  it('gives the periodic tasks their turn again when a round has spent its budget on a backlog of jobs', async () => {
    const worker = new Worker({ ...world.runtime.deps, clock: () => world.now }, { batch: 10 });
    const db = world.runtime.database.db;
    const t0 = new Date('2026-12-02T00:00:00Z');
    let sweeps = 0;
    let runs = 0;
    worker.every('backlog-sweep', 1, async () => {
      sweeps++;
    });
    worker.handle('backlog', async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 2));
    });
    for (let i = 0; i < 35; i++)
      await enqueue(db, { orgId: org.orgId, kind: 'backlog', key: `b${i}`, runAt: t0 });
    // A budget of 1 ms ends the round after its first batch of 10: the rest waits for the next round, whose tasks
    // run first.
    const first = await worker.runDue(t0, { budgetMs: 1 });
    expect(first).toMatchObject({ jobs: 10, tasks: 1, more: true });
    const second = await worker.runDue(new Date(t0.getTime() + 10), { budgetMs: 1 });
    expect(second).toMatchObject({ jobs: 10, tasks: 1, more: true });
    // Without a budget a round runs every due job.
    const rest = await worker.runDue(new Date(t0.getTime() + 20));
    expect(rest).toMatchObject({ jobs: 15, more: false });
    expect({ sweeps, runs }).toEqual({ sweeps: 3, runs: 35 });
  });

  it('is on the runtime for other rooms, and a thrown task does not stop the others', async () => {
    const ran: string[] = [];
    world.runtime.worker.every('test-broken', 1000, async () => {
      throw new Error('broken');
    });
    world.runtime.worker.every('test-fine', 1000, async () => {
      ran.push('fine');
    });
    await world.runtime.worker.runDue(world.now);
    expect(ran).toEqual(['fine']);
  });

  it('start polls with the clock and stop waits for work in flight', async () => {
    const worker = new Worker(world.runtime.deps, { pollMs: 5 });
    let resolveSeen: () => void = () => {};
    const seen = new Promise<void>((r) => {
      resolveSeen = r;
    });
    let finished = false;
    worker.every('poll', 1, async () => {
      resolveSeen();
      await new Promise((r) => setImmediate(r));
      finished = true;
    });
    worker.start();
    await seen;
    await worker.stop();
    expect(finished).toBe(true);
  });
});

describe('housekeeping', () => {
  it('purges finished jobs older than the cut-off, never queued or running ones', async () => {
    const db = world.runtime.database.db;
    const t0 = new Date('2027-01-01T00:00:00Z');
    await enqueue(db, { orgId: org.orgId, kind: 'old', key: 'done', runAt: t0 });
    await enqueue(db, {
      orgId: org.orgId,
      kind: 'old',
      key: 'waiting',
      runAt: new Date('2030-01-01T00:00:00Z'),
    });
    const worker = newWorker();
    worker.handle('old', async () => {});
    await worker.runDue(t0);
    const { purgeFinished } = await import('../src/modules/jobs/index.js');
    await purgeFinished(db, new Date(t0.getTime() - 1)); // earlier tests' jobs
    expect(await getJob(db, org.orgId, 'old', 'done')).toMatchObject({ status: 'done' });
    expect(await purgeFinished(db, new Date(t0.getTime() + 1))).toBe(1);
    expect(await getJob(db, org.orgId, 'old', 'done')).toBeNull();
    expect(await getJob(db, org.orgId, 'old', 'waiting')).toMatchObject({ status: 'queued' });
  });
});
