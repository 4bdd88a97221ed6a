// Phone interviews: the operators' call queue, outcomes recorded as answers, and progress for supervisors.

export { LEASE_MS } from './queue.js';
export { callRoutes } from './routes.js';
export { type CallScript, callScript } from './script.js';
export {
  type CallCard,
  getCall,
  nextCall,
  OPERATOR_ROLES,
  type OutcomeInput,
  outcomeInput,
  RETRY_AFTER_MS,
  type RecordedOutcome,
  recordOutcome,
  releaseCall,
} from './service.js';
export { callSettingsInput, getCallSettings, putCallSettings } from './settings.js';
export { type CallStats, callStats, type OperatorStats, statsQuery } from './stats.js';
export { CALLS_INTERVAL_MS, CALLS_TASK, callsTick, type SweepResult } from './sweep.js';
