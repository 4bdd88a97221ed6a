// Survey distribution: triggers after each contact, blitz campaigns, contact limits, reminders, response rates.
export {
  type CampaignPlan,
  type CampaignView,
  getCampaign,
  listCampaigns,
  previewCampaign,
  selectionDigest,
  startCampaign,
} from './campaigns.js';
export { type ResponseRateRow, responseRates } from './rates.js';
export { type QueueReminder, sweepReminders } from './reminders.js';
export { distributionRoutes } from './routes.js';
export {
  type DistributionView,
  getContactPolicy,
  getDistribution,
  setContactPolicy,
  setDistribution,
} from './service.js';
export {
  DISTRIBUTION_INTERVAL_MS,
  DISTRIBUTION_TASK,
  type DistributionReport,
  distributionTick,
} from './tick.js';
export { sweepTrigger } from './trigger.js';
