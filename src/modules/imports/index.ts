// Imports from accounting and CRM systems: files (CSV, XLSX) streamed in batches, and an inbound contacts webhook.
export { HOOK_TOLERANCE_SECONDS, receiveContacts, rotateHookSecret, signHook } from './hooks.js';
export { hookRoutes, importRoutes } from './routes.js';
export {
  createImport,
  type DryRunReport,
  deleteMapping,
  dryRun,
  getImport,
  type ImportSource,
  type ImportView,
  listImportErrors,
  listImports,
  listMappings,
  pauseImport,
  type RunControl,
  resumeImport,
  rollbackImport,
  runImport,
  saveMapping,
  updateMapping,
} from './service.js';
