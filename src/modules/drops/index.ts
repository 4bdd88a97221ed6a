// Drop alerts: a significant fall of the customer NPS of the company or a unit alerts its managers, once a period.
export {
  COMPANY,
  checkAllDrops,
  checkDrops,
  DROPS_INTERVAL_MS,
  DROPS_TASK,
  type DropCheckReport,
  type DropView,
  dropsAlertedBetween,
  listDrops,
} from './check.js';
export { dropRoutes } from './routes.js';
export {
  DEFAULT_DROP_SETTINGS,
  type DropSettings,
  dropSettingsInput,
  getDropSettings,
  putDropSettings,
} from './settings.js';
