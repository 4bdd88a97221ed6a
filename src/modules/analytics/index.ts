// Analytics: scores with their uncertainty, from rollups.
export { analyticsRoutes } from './routes.js';
export {
  customerTotal,
  MIN_EMPLOYEE_GROUP,
  type NpsRow,
  type Overview,
  overview,
  rowOf,
  surveyNps,
} from './service.js';
