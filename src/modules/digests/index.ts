// Digests: the daily one for middle managers and the weekly one for top management, each at the person's local time.
export {
  buildDigest,
  type DailyDigest,
  type Digest,
  dailyDigest,
  isEmpty,
  type WeeklyDigest,
  weeklyDigest,
} from './content.js';
export { renderDigest } from './render.js';
export { digestRoutes } from './routes.js';
export { contextAs, DIGESTS_INTERVAL_MS, DIGESTS_TASK, sendDueDigests } from './schedule.js';
