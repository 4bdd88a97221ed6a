// The closed loop: the playbook, cases opened on answers, their deadlines, escalation and re-surveys.
import type { Deps } from '../kernel/index.js';
import { type InboxResult, sweepInbox } from './sweep.js';
import { runLoopTimers, type TimerResult } from './timers.js';

export {
  addAttempt,
  addNote,
  type CaseDetail,
  type CaseStatus,
  type CaseView,
  type CustomerCard,
  caseById,
  casesToday,
  listCases,
  openStatuses,
  patchCase,
} from './cases.js';
export { caseUrl, maskName } from './events.js';
export { nearest, type Person, peopleAt, resolveLevel } from './people.js';
export { checkPlaybook, getPlaybook, type PlaybookState, putPlaybook } from './playbook.js';
export { resurveyCase } from './resurvey.js';
export { loopRoutes } from './routes.js';
export { INBOX_BATCH, type InboxResult, sweepInbox } from './sweep.js';
export { runLoopTimers, type TimerResult } from './timers.js';

/** The worker's names for the loop's periodic tasks and how often they run. */
export const LOOP_INBOX_TASK = 'loop.inbox';
/** Every round of the worker (it looks for due work each second): an unhappy answer meets the playbook within a second
 * or two, and a burst that fills a round's 50 batches goes on in the next second instead of three later. */
export const LOOP_INBOX_INTERVAL_MS = 1_000;
export const LOOP_TIMERS_TASK = 'loop.timers';
export const LOOP_TIMERS_INTERVAL_MS = 60_000;

/** Everything the loop does at `now`: new and amended answers meet the playbook, then the timers. */
export async function runLoopSweep(
  deps: Deps,
  now: Date,
): Promise<{ inbox: InboxResult; timers: TimerResult }> {
  const inbox = await sweepInbox(deps, now);
  const timers = await runLoopTimers(deps, now);
  return { inbox, timers };
}
