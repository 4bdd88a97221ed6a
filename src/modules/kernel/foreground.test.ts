import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  backgroundBatch,
  ForegroundGate,
  type ForegroundSource,
  RemoteForeground,
  reportForeground,
} from './foreground.js';
import { GroupCommit } from './group-commit.js';

/** A clock that moves only when the gate sleeps, and a source whose activity the test sets. */
function world(onSleep: (now: number) => void = () => {}) {
  let t = 1000;
  let turns = 0;
  const slept: number[] = [];
  const source = { busyNow: false, last: Number.NEGATIVE_INFINITY };
  const watched: ForegroundSource = { busy: () => source.busyNow, lastActiveAt: () => source.last };
  const gate = new ForegroundGate({
    maxWaitMs: 1000,
    quietMs: 20,
    pollMs: 5,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
      onSleep(t);
    },
    yieldToIo: async () => {
      turns++;
    },
  });
  gate.watch(watched);
  return { gate, source, slept, now: () => t, turns: () => turns };
}

describe('ForegroundGate', () => {
  it('lets background work start at once when no answer has arrived for a while', async () => {
    const w = world();
    w.source.last = w.now() - 500;
    await w.gate.calm();
    expect(w.slept).toEqual([]);
    // …but only after a turn of the event loop, in which requests already in the sockets reach the writers.
    expect(w.turns()).toBe(1);
  });

  it('sees answers that arrive during its turn of the event loop', async () => {
    let t = 1000;
    const source = { busyNow: false, last: t - 500 };
    const gate = new ForegroundGate({
      quietMs: 20,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
        if (t > 1100) source.busyNow = false;
      },
      // A request read from a socket in this turn reaches the writer.
      yieldToIo: async () => {
        source.busyNow = true;
        source.last = t;
      },
    });
    gate.watch({ busy: () => source.busyNow, lastActiveAt: () => (source.busyNow ? t : source.last) });
    await gate.calm();
    expect(t).toBeGreaterThan(1100);
  });

  it('waits out the quiet period after the last answer, not just an empty queue', async () => {
    const w = world();
    w.source.last = w.now() - 5; // a batch finished 5 ms ago: maybe only a gap between batches
    await w.gate.calm();
    expect(w.slept.reduce((a, b) => a + b, 0)).toBe(15);
  });

  it('never waits longer than maxWaitMs under a stream of answers', async () => {
    const w = world();
    w.source.busyNow = true;
    const started = w.now();
    await w.gate.calm();
    expect(w.now() - started).toBe(1000);
  });

  it('starts once a stream of answers pauses', async () => {
    // Answers stream in until t = 1100, then stop; the gate opens 20 ms after the last one.
    const w = world((now) => {
      if (now >= 1100 && w.source.busyNow) {
        w.source.busyNow = false;
        w.source.last = now;
      }
    });
    w.source.busyNow = true;
    await w.gate.calm();
    expect(w.slept.length).toBeGreaterThan(1);
    expect(w.now()).toBeGreaterThanOrEqual(1120);
    expect(w.now()).toBeLessThan(1130);
  });
});

/** A 'burst' gate (PostgreSQL) on a clock that moves only when the gate sleeps or the test says so. */
function burstWorld(onSleep: (now: number) => void = () => {}) {
  let t = 1000;
  const source = { busyNow: false, last: Number.NEGATIVE_INFINITY };
  const gate = new ForegroundGate({
    mode: 'burst',
    maxWaitMs: 5000,
    windowMs: 10_000,
    quietMs: 100,
    pollMs: 5,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
      onSleep(t);
    },
  });
  gate.watch({ busy: () => source.busyNow, lastActiveAt: () => (source.busyNow ? t : source.last) });
  return { gate, source, now: () => t, advance: (ms: number) => (t += ms) };
}

describe('ForegroundGate in burst mode (PostgreSQL)', () => {
  it('holds background work while answers stream in, and lets it go once they pause', async () => {
    // Answers stream in for 2 s; the step starts 100 ms (quietMs) after the last one.
    const w = burstWorld((now) => {
      if (now >= 3000 && w.source.busyNow) {
        w.source.busyNow = false;
        w.source.last = now;
      }
    });
    w.source.busyNow = true;
    await w.gate.calm();
    expect(w.now()).toBeGreaterThanOrEqual(3100);
    expect(w.now()).toBeLessThan(3200);
  });

  it('holds a burst for maxWaitMs at most, then lets every step through until the window has passed', async () => {
    const w = burstWorld();
    w.source.busyNow = true;
    await w.gate.calm();
    expect(w.now()).toBe(6000);
    // The answers keep coming: the next steps no longer wait, so the closed loop keeps up under a steady stream…
    for (let step = 0; step < 5; step++) {
      const before = w.now();
      await w.gate.calm();
      expect(w.now()).toBe(before);
      w.advance(500);
    }
    // …and once the hold has left the window (10 s), a step may be held again, for what the window allows.
    w.advance(6000);
    const before = w.now();
    await w.gate.calm();
    expect(w.now() - before).toBe(5000);
  });

  it('counts steps held side by side once against the budget', async () => {
    const w = burstWorld();
    w.source.busyNow = true;
    // Two steps (a job and a sweep) wait over the same 5 s: the budget is spent once, not twice.
    await Promise.all([w.gate.calm(), w.gate.calm()]);
    const held = w.now() - 1000;
    expect(held).toBeGreaterThanOrEqual(5000);
    w.advance(10_000 - held + 1);
    const before = w.now();
    await w.gate.calm();
    expect(w.now() - before).toBe(5000);
  });

  it('keeps the large batches that a step gate cuts down', () => {
    expect(backgroundBatch(burstWorld().gate, 200, 20)).toBe(200);
    expect(backgroundBatch(new ForegroundGate(), 200, 20)).toBe(20);
    expect(backgroundBatch(undefined, 200, 20)).toBe(200);
  });
});

describe('RemoteForeground (a worker process watching its server)', () => {
  it('is busy while the server reports answers, and idle after its report stops or goes stale', () => {
    let t = 0;
    const remote = new RemoteForeground(250, () => t);
    expect(remote.busy()).toBe(false);
    remote.receive({ foregroundBusy: true });
    expect(remote.busy()).toBe(true);
    t = 100;
    expect(remote.lastActiveAt()).toBe(100);
    remote.receive({ foregroundBusy: false });
    expect(remote.busy()).toBe(false);
    expect(remote.lastActiveAt()).toBe(100);
    // A server that stopped reporting (killed, IPC stalled) does not hold the worker for ever.
    remote.receive({ foregroundBusy: true });
    t = 400;
    expect(remote.busy()).toBe(false);
    // Other messages on the channel change nothing.
    remote.receive({ ready: true });
    remote.receive(null);
    expect(remote.lastActiveAt()).toBe(100);
  });

  it('hears a server whose writer is busy, over the reports it sends', async () => {
    let busy = true;
    const server = new ForegroundGate();
    server.watch({ busy: () => busy, lastActiveAt: () => (busy ? performance.now() : 0) });
    const remote = new RemoteForeground();
    const stop = reportForeground(server, (m) => remote.receive(m));
    try {
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(remote.busy()).toBe(true);
      busy = false;
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(remote.busy()).toBe(false);
    } finally {
      stop();
    }
  });
});

describe('GroupCommit activity', () => {
  it('is busy while a batch is written and remembers when it last worked', async () => {
    let release!: () => void;
    const commits = new GroupCommit<number, number>(
      (items) => new Promise((resolve) => (release = () => resolve(items.map((i) => i * 2)))),
      pino({ level: 'silent' }),
      { name: 'test' },
    );
    expect(commits.lastActiveAt()).toBe(Number.NEGATIVE_INFINITY);
    const result = commits.add(21);
    expect(commits.busy()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await result).toBe(42);
    await new Promise((resolve) => setImmediate(resolve));
    expect(commits.busy()).toBe(false);
    const last = commits.lastActiveAt();
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThanOrEqual(performance.now());
  });
});
