import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ForegroundGate, type ForegroundSource } from './foreground.js';
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
