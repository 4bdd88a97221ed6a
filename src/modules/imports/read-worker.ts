// Worker thread of an import: reads, decodes, parses and checks the file's rows and hands them over a batch at a
// time, each when asked (see batches.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../kernel/errors.js';
import { type Batch, type BatchSource, batchesHere } from './batches.js';

const port = parentPort!;
const collectGarbage = (globalThis as { gc?: () => void }).gc;
const batches = batchesHere(workerData as BatchSource);
let asked = 0;
let busy = false;

async function pump() {
  if (busy) return;
  busy = true;
  try {
    while (asked > 0) {
      asked--;
      const next = await batches.next();
      if (next.done) {
        port.postMessage({ done: true });
        port.close();
        return;
      }
      port.postMessage({ batch: next.value satisfies Batch });
      // The batch is copied out: its rows are garbage. Collected now when the process allows it (the CLI's
      // import runs with --expose-gc), the thread's heap stays at about one batch.
      collectGarbage?.();
    }
  } catch (error) {
    port.postMessage({
      error:
        error instanceof AppError
          ? { message: error.message, code: error.code, details: error.details }
          : { message: (error as Error).message },
    });
    port.close();
  } finally {
    busy = false;
  }
}

port.on('message', () => {
  asked++;
  void pump();
});
