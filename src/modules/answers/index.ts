// Answers: recording them (once, amendable for 24 h), keeping rollups in step, and reading them back.

export { queueForLoop } from './loop-inbox.js';
export {
  answerFacetsSql,
  applyRollupDeltas,
  boundsOf,
  DEFAULT_TENURE_BOUNDS_MONTHS,
  DEFAULT_VISIT_BOUNDS,
  NO_UNIT,
  type RebuildResult,
  type RollupDelta,
  rebuildRollups,
  revenueQuantileBoundsSql,
} from './rollups.js';
export { answerRoutes } from './routes.js';
export {
  AMEND_WINDOW_MS,
  type AnswerDeps,
  type AnswerInput,
  answerInput,
  answerLink,
  type LinkState,
  latestReasons,
  linkState,
  listResponses,
  MAX_REASON_LENGTH,
  type ReasonView,
} from './service.js';
export {
  AnswerWriter,
  type PendingAnswer,
  pendingAnswerOf,
  type Submission,
  type SubmitOutcome,
  type WriterOptions,
  writeBatch,
} from './writer.js';
