// Group commit: items that arrive while a batch commits form the next batch; each is answered after its batch.
import type { Logger } from 'pino';

interface Waiting<Item, Result> {
  item: Item;
  resolve: (r: Result) => void;
  reject: (e: unknown) => void;
}

export interface GroupCommitOptions {
  /** Items per batch at most. */
  maxBatch?: number;
  /** Batches in flight at once (1 on PGlite, which has one connection). */
  concurrency?: number;
  /** Names the batches in the error log. */
  name: string;
}

/**
 * Why: one transaction per item costs a commit (an fsync on PostgreSQL) each; batching what arrives while the
 * previous batch commits turns N commits into one, with no added latency when the load is light (a batch of one
 * starts at once). `write(items)` must return one result per item, in order.
 */
export class GroupCommit<Item, Result> {
  private queue: Waiting<Item, Result>[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private scheduled = false;
  private lastActive = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly write: (items: Item[]) => Promise<Result[]>,
    private readonly log: Logger,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves with the item's result once its batch has committed. */
  add(item: Item): Promise<Result> {
    this.lastActive = performance.now();
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Whether items are waiting or being written. */
  busy(): boolean {
    return this.queue.length > 0 || this.inFlight > 0;
  }

  /** When an item last arrived or a batch last finished (`performance.now()` time); -Infinity if never. */
  lastActiveAt(): number {
    return this.busy() ? performance.now() : this.lastActive;
  }

  /** Waits until every accepted item is committed (graceful shutdown). */
  async drain(): Promise<void> {
    if (!this.busy()) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /**
   * Starts the next batch after the event loop has read what the sockets hold. Why: a database call on PGlite runs
   * without yielding to I/O, so a batch started at the first item's arrival is a batch of one, and the 49 other
   * requests already in the sockets wait for it and then form batches of a few (bench/answers: 9 ms per answer
   * over HTTP against 0.8 ms in-process). setImmediate runs after the poll phase, so they all join this batch.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 1;
    while (this.inFlight < concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
      this.inFlight++;
      this.write(batch.map((w) => w.item))
        .then((results) => {
          for (const [i, w] of batch.entries()) w.resolve(results[i] as Result);
        })
        .catch((error) => {
          this.log.error({ err: error, size: batch.length }, `${this.options.name} batch failed`);
          for (const w of batch) w.reject(error);
        })
        .finally(() => {
          this.inFlight--;
          this.lastActive = performance.now();
          this.schedule();
          if (!this.busy()) for (const done of this.idle.splice(0)) done();
        });
    }
  }
}
