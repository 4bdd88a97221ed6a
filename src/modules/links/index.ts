// Anonymous survey links: campaign links, reception-desk QR codes and the web widget, with ballot-stuffing limits.

export { defaultRateLimits, type RateLimits } from './protect.js';
export { type LinkPublicOptions, linkPublic, WIDGET_QUIET_DAYS } from './public.js';
export { linkRoutes } from './routes.js';
export { createLink, getLink, type LinkView, listLinks } from './service.js';
export { widgetBundle } from './widget/build.js';
