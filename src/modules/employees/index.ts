// Employees: who works in which unit.
export { employeeRoutes } from './routes.js';
export {
  createEmployee,
  type EmployeeView,
  employeeDirectory,
  employeeNames,
  findEmployeeUnit,
  getEmployee,
  listEmployees,
} from './service.js';
