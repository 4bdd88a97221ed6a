// Anonymity of employee (eNPS) answers: the organisation's minimum group and the guard every read path asks.
export { anonymityRoutes } from './routes.js';
export {
  type AnonymitySettings,
  anonymityInput,
  type EmployeeGroup,
  type EmployeeGuard,
  employeeGuard,
  getAnonymitySettings,
  minGroupSizeOf,
  putAnonymitySettings,
  shownBuckets,
} from './service.js';
