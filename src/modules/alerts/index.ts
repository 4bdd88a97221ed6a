// Alerts: loop events dispatched to people (the bell, e-mail by their preferences) and to webhooks.
export { DISPATCH_INTERVAL_MS, DISPATCH_TASK, type DispatchReport, dispatchLoopEvents } from './dispatch.js';
export { listNotifications, markAllRead, markRead, type NotificationView } from './notifications.js';
export {
  digestsOn,
  getMyPrefs,
  type NotificationPrefs,
  type PrefsView,
  prefsInput,
  putMyPrefs,
  readPrefs,
} from './prefs.js';
export { raiseAlert } from './raise.js';
export { type AlertPayload, formatWhen, headlineOf, renderAlert } from './render.js';
export { alertRoutes } from './routes.js';
