/**
 * @module Which channels a loop event reaches a person by: the e-mail and the dashboard bell, from the kind of
 * event, the person's role and their own preferences (mute, per-kind choices).
 */

/** The loop's events that people hear of (the `response.*` kinds go to webhooks only). */
export const ALERT_KINDS = [
  'case.opened',
  'case.urgent',
  'case.assigned',
  'case.escalated',
  'case.overdue',
  'case.resolved',
  'resurvey.answered',
  // The customer NPS of the company or a unit fell significantly (or below the org's line): see src/modules/drops.
  'nps_drop',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Every kind a webhook may subscribe to. */
export const WEBHOOK_KINDS = [
  ...ALERT_KINDS,
  'response.detractor',
  'response.passive',
  'response.promoter',
] as const;

/**
 * E-mail by default: a case opened for or handed to its owner, and a very unhappy customer or an escalation
 * for the managers who receive those. Everything else (overdue, resolved, re-survey) rings the bell only, so
 * an inbox is not flooded by what the dashboard already shows. A drop of a unit's NPS (once a period at most)
 * is mailed too: it is the signal a manager must not miss.
 */
const EMAIL_BY_DEFAULT: ReadonlySet<string> = new Set([
  'case.opened',
  'case.assigned',
  'case.urgent',
  'case.escalated',
  'nps_drop',
]);

export interface ChannelPrefs {
  muted?: boolean;
  events?: Record<string, { email?: boolean; dashboard?: boolean }>;
}

export interface Channels {
  email: boolean;
  dashboard: boolean;
}

/**
 * The channels of one event for one person. A muted person keeps the bell (nothing is lost, nothing pings);
 * analysts, who work on pseudonymised data, get no e-mail about customers.
 */
export function channelsFor(kind: string, role: string, prefs: ChannelPrefs = {}): Channels {
  const own = prefs.events?.[kind];
  const dashboard = own?.dashboard ?? true;
  if (prefs.muted) return { email: false, dashboard: true };
  const email = role !== 'analyst' && (own?.email ?? EMAIL_BY_DEFAULT.has(kind));
  return { email, dashboard };
}
