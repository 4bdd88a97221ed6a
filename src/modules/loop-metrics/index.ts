// Loop metrics: how fast and how well the organisation closes the loop on its cases.
export { loopMetricsRoutes } from './routes.js';
export {
  caseLoopMetrics,
  type LoopMetricsReport,
  type MetricsGroupBy,
  type MetricsRow,
  metricsQuery,
} from './service.js';
