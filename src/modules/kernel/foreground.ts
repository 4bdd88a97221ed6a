// Background work gives way to answers being written, on a database with a single connection (PGlite).

/** Something that does foreground work: an answer writer's group commit. */
export interface ForegroundSource {
  /** Whether items are waiting or being written now. */
  busy(): boolean;
  /** When it last took or finished an item (`performance.now()` time), or -Infinity if never. */
  lastActiveAt(): number;
}

export interface ForegroundGateOptions {
  /** The longest a background step waits, so a steady stream of answers never starves it. */
  maxWaitMs: number;
  /**
   * How long the writers must have been idle before a background step starts. Why: under a burst the writers'
   * queue is empty for a moment between two batches (the next requests are still being read from the sockets);
   * a background transaction that starts in that moment holds the one connection while 50 answers wait behind it
   * (bench/answers: p99 of seconds). A short quiet period tells a pause from a gap between batches.
   */
  quietMs: number;
  /** How often a waiting step looks again at most. */
  pollMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Lets the event loop read the sockets (a macrotask turn). */
  yieldToIo: () => Promise<void>;
}

const defaults: ForegroundGateOptions = {
  maxWaitMs: 1000,
  quietMs: 20,
  pollMs: 5,
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  yieldToIo: () => new Promise((resolve) => setImmediate(resolve)),
};

/**
 * Why: PGlite runs one statement at a time, so a background transaction (the closed loop opening cases, alerts
 * going out) makes every answer that arrives meanwhile wait for it. Answers are what a respondent waits on; the
 * background can run a moment later. Background loops call `calm()` before each transaction and take small batches
 * while a gate is set; the answer writers report whether and when they last had work. Under a steady stream the
 * background still gets a step every `maxWaitMs`, and all of it as soon as the stream pauses.
 */
export class ForegroundGate {
  private readonly sources: ForegroundSource[] = [];
  private readonly options: ForegroundGateOptions;

  constructor(options: Partial<ForegroundGateOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  /** Adds something that can be busy with foreground work (an answer writer). */
  watch(source: ForegroundSource): void {
    this.sources.push(source);
  }

  busy(): boolean {
    return this.sources.some((s) => s.busy());
  }

  /** Milliseconds since the last foreground activity: 0 while any source is busy. */
  quietFor(): number {
    if (this.busy()) return 0;
    const last = Math.max(-Infinity, ...this.sources.map((s) => s.lastActiveAt()));
    return this.options.now() - last;
  }

  /**
   * Resolves once the foreground has been quiet for `quietMs`, or after `maxWaitMs`. Always gives the event loop a
   * turn first. Why: PGlite's calls resolve without I/O, so a chain of background transactions runs as one long
   * macrotask; the sockets are not read meanwhile, the writers look idle because no request can reach them, and
   * without this turn the next step would start at once (bench/answers: the event loop blocked for 4–5 s).
   */
  async calm(): Promise<void> {
    const { now, sleep, quietMs, pollMs, maxWaitMs, yieldToIo } = this.options;
    const deadline = now() + maxWaitMs;
    await yieldToIo();
    for (;;) {
      const quiet = this.quietFor();
      const left = deadline - now();
      if (quiet >= quietMs || left <= 0) return;
      await sleep(Math.min(left, Math.max(pollMs, quietMs - quiet)));
    }
  }
}

/** The batch size a background loop takes: small bites while it gives way to answers, large ones otherwise. */
export function backgroundBatch(gate: ForegroundGate | undefined, large: number, small: number): number {
  return gate ? small : large;
}
