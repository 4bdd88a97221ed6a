// Reports: the library of generated files (analytical report, strategy and tactics, data workbook), the job that
// makes them, schedules that mail them, and the API.
export { AVAILABLE_KINDS, GENERATORS } from './generators.js';
export * from './kinds.js';
export {
  deleteReport,
  getReport,
  libraryHooks,
  listReports,
  REPORT_JOB,
  type ReportView,
  reportFile,
  requestReport,
  runReportJob,
} from './library.js';
export { mailScheduledReport, REPORT_MESSAGE, reportAttachment } from './mail.js';
export { maskReason, pseudonymOf } from './pseudonyms.js';
export { reportRoutes } from './routes.js';
export {
  createSchedule,
  deleteSchedule,
  listSchedules,
  runDueSchedules,
  runSchedulesTask,
  SCHEDULES_INTERVAL_MS,
  SCHEDULES_TASK,
  updateSchedule,
} from './schedules.js';
export { strategyDocx, strategyFacts } from './strategy.js';
export { workbookCsvs, workbookCsvZip, workbookSheets, workbookXlsx } from './workbook.js';
