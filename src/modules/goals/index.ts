// Goals and the KPI matrix: goals for a period with checkpoints, owners and actions; each level's KPI matrix.
export { type GoalDigestLine, goalDigestLines, goalDigestText } from './digest.js';
export { getMatrices, type KpiScores, kpiScoresOf, levelOfRole, type MatrixView, putMatrix } from './kpi.js';
export { goalRoutes } from './routes.js';
export {
  addAction,
  createGoal,
  deleteGoal,
  type GoalDetail,
  type GoalView,
  getGoal,
  listGoals,
  ownerCandidates,
  updateGoal,
} from './service.js';
