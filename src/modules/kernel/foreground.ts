// Background work gives way to answers being written, on a database with a single connection (PGlite).

/**
 * Why: PGlite runs one statement at a time, so a background transaction (the closed loop opening cases, alerts
 * going out) makes every answer that arrives meanwhile wait for it. Answers are what a respondent waits on; the
 * background can run a moment later. Background loops call `calm()` before each transaction and take small batches
 * while a gate is set; the answer writers report whether they have work.
 */
export class ForegroundGate {
  private readonly sources: (() => boolean)[] = [];

  constructor(
    private readonly options: {
      /** The longest a background step waits, so a steady stream of answers never starves it. */
      maxWaitMs: number;
      /** How often a waiting step looks again. */
      pollMs: number;
    } = { maxWaitMs: 1000, pollMs: 5 },
  ) {}

  /** Adds something that can be busy with foreground work (an answer writer's queue). */
  watch(busy: () => boolean): void {
    this.sources.push(busy);
  }

  busy(): boolean {
    return this.sources.some((busy) => busy());
  }

  /** Resolves once no foreground work is waiting, or after `maxWaitMs`. */
  async calm(): Promise<void> {
    const deadline = performance.now() + this.options.maxWaitMs;
    while (this.busy() && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
    }
  }
}

/** The batch size a background loop takes: small bites while it gives way to answers, large ones otherwise. */
export function backgroundBatch(gate: ForegroundGate | undefined, large: number, small: number): number {
  return gate ? small : large;
}
