// Background work gives way to answers being written: step by step on a database with a single connection (PGlite),
// for the first seconds of a burst on PostgreSQL.

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
  /**
   * 'step' (PGlite): every background step waits for a quiet moment, at most `maxWaitMs`, and takes small bites.
   * 'burst' (PostgreSQL): background steps are held while answers stream in, `maxWaitMs` in all within any
   * `windowMs`, then run as usual with their large batches (see `calm`).
   */
  mode: 'step' | 'burst';
  /** The window over which a 'burst' gate holds the background for `maxWaitMs` at most. */
  windowMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Lets the event loop read the sockets (a macrotask turn). */
  yieldToIo: () => Promise<void>;
}

const defaults: ForegroundGateOptions = {
  maxWaitMs: 1000,
  quietMs: 20,
  pollMs: 5,
  mode: 'step',
  windowMs: 10_000,
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
  /** 'burst' mode: the spans in which background steps were held, oldest first, merged where they overlap. */
  private held: { from: number; to: number }[] = [];

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
    if (this.options.mode === 'burst') return this.holdForBurst();
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

  /** Whether background loops take small bites (a 'step' gate: each waits for the one connection). */
  smallBites(): boolean {
    return this.options.mode === 'step';
  }

  /**
   * 'burst' mode. Why: on PostgreSQL the background has connections of its own, but not cores of its own — on two
   * cores the worker's closed-loop work during a burst of answers took a third of the answers' throughput
   * (bench/answers: 3,130–3,204 against 4,721–4,856 answers/s with no background work, runs side by side). A
   * respondent waits on the answer; the case and the alert can start a few seconds later. So a step waits while
   * answers stream in (until they have paused for `quietMs`), but the background is held `maxWaitMs` at most in any
   * `windowMs`: a burst shorter than that is answered undisturbed and caught up after it, and under a steady stream
   * the closed loop still runs at least (windowMs − maxWaitMs) of every window, with its large batches.
   */
  private async holdForBurst(): Promise<void> {
    const { now, sleep, quietMs, pollMs, maxWaitMs } = this.options;
    const from = now();
    for (;;) {
      const quiet = this.quietFor();
      // This step's own wait counts as it goes; holds that ended meanwhile may overlap it (counted twice: shorter).
      const left = maxWaitMs - this.heldWithin(now()) - (now() - from);
      if (quiet >= quietMs || left <= 0) break;
      await sleep(Math.min(left, Math.max(pollMs, quietMs - quiet)));
    }
    const to = now();
    if (to > from) this.recordHold(from, to);
  }

  /** Milliseconds of the last `windowMs` in which background steps were held (overlapping holds counted once). */
  private heldWithin(at: number): number {
    const start = at - this.options.windowMs;
    this.held = this.held.filter((h) => h.to > start);
    return this.held.reduce((sum, h) => sum + (h.to - Math.max(h.from, start)), 0);
  }

  private recordHold(from: number, to: number): void {
    // Steps waiting side by side (the job pool, a sweep) hold over the same span: merge so it counts once.
    const merged = { from, to };
    this.held = this.held.filter((h) => {
      if (h.to < merged.from || h.from > merged.to) return true;
      merged.from = Math.min(merged.from, h.from);
      merged.to = Math.max(merged.to, h.to);
      return false;
    });
    this.held.push(merged);
    this.held.sort((a, b) => a.from - b.from);
  }
}

/**
 * A server's answer writers as seen from its worker process: the server reports over IPC whether they are busy
 * (`reportForeground`), and the worker's gate watches this. A report older than `staleMs` counts as idle, so a
 * server that stopped reporting never holds the worker.
 */
export class RemoteForeground implements ForegroundSource {
  private busyNow = false;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly staleMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a message from the server; ignores anything that is not a foreground report. */
  receive(message: unknown): void {
    const busy = (message as { foregroundBusy?: unknown } | null)?.foregroundBusy;
    if (typeof busy !== 'boolean') return;
    this.busyNow = busy;
    this.last = this.now();
  }

  busy(): boolean {
    return this.busyNow && this.now() - this.last < this.staleMs;
  }

  lastActiveAt(): number {
    return this.busy() ? this.now() : this.last;
  }
}

/** How often a server tells its worker process whether answers are being written. */
export const FOREGROUND_REPORT_MS = 50;

/**
 * Tells a worker process, every `FOREGROUND_REPORT_MS` while answers stream in and once when they stop, whether the
 * server's writers are busy (`RemoteForeground` reads it). Returns a function that stops the reports.
 */
export function reportForeground(gate: ForegroundGate, send: (message: { foregroundBusy: boolean }) => void) {
  let wasBusy = false;
  const timer = setInterval(() => {
    const busy = gate.quietFor() < FOREGROUND_REPORT_MS;
    if (busy || wasBusy) send({ foregroundBusy: busy });
    wasBusy = busy;
  }, FOREGROUND_REPORT_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The batch size a background loop takes: small bites while it gives way to answers step by step, large ones otherwise. */
export function backgroundBatch(gate: ForegroundGate | undefined, large: number, small: number): number {
  return gate?.smallBites() ? small : large;
}
