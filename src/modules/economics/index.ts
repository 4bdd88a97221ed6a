// Loyalty economics: what each segment is worth, baskets, moving customers, scenarios, forecast and proposed targets.
export { type BasketsReport, basketsReport } from './baskets.js';
export {
  type ForecastReport,
  forecastReport,
  type ProposedTargets,
  proposedTargets,
  type TargetRow,
} from './forecast.js';
export {
  ECONOMICS_INTERVAL_MS,
  ECONOMICS_TASK,
  type RefreshReport,
  refreshAllEconomics,
  refreshEconomics,
} from './refresh.js';
export { economicsRoutes } from './routes.js';
export { compareScenarios, type ScenarioComparison } from './scenarios.js';
export { DEFAULT_SETTINGS, type EconomicsSettings, getEconomicsSettings } from './settings.js';
export { moveCostsReport, transitionsReport } from './transitions.js';
export { segmentValuesReport, type ValuesReport } from './values.js';
