// The job queue and the worker: other rooms queue jobs with `enqueue` and register handlers and periodic
// tasks on `runtime.worker`.
export {
  backoffMs,
  claim,
  complete,
  type EnqueueInput,
  enqueue,
  enqueueMany,
  fail,
  failExhausted,
  getJob,
  type Job,
  purgeFinished,
  requeue,
} from './queue.js';
export {
  type JobHandler,
  type PeriodicTask,
  PermanentJobError,
  type RunReport,
  type TaskTools,
  Worker,
  type WorkerOptions,
} from './worker.js';
