// Who may be invited now: the org's contact limits, opt-outs, suppressions and the channel each customer can take.

/** How often one customer may be asked (days). */
export interface ContactLimits {
  /** Between two invitations of the same relationship (blitz) survey. */
  relationshipDays: number;
  /** Between two invitations of any transactional surveys. */
  transactionalDays: number;
}

export const defaultContactLimits: ContactLimits = { relationshipDays: 90, transactionalDays: 30 };

export type SurveyKind = 'relationship' | 'transactional';

/** An invitation: of which survey, of what kind, going out when. */
export interface Ask {
  surveyId: string;
  kind: SurveyKind;
  at: Date;
}

export type SendChannel = 'email' | 'sms' | 'phone';

/** What each channel can do for one customer: an address that works, one that is suppressed, or none. */
export type Reach = Record<SendChannel, 'ok' | 'suppressed' | 'none'>;

export type Exclusion = 'opted_out' | 'asked_recently' | 'suppressed' | 'no_channel';
export const exclusions: readonly Exclusion[] = ['opted_out', 'asked_recently', 'suppressed', 'no_channel'];

export type Decision = { invite: true; channel: SendChannel } | { invite: false; reason: Exclusion };

const DAY_MS = 86_400_000;

/**
 * The gap (days) that must separate `ask` from an earlier invitation `past`, or null when they do not limit
 * each other: a relationship survey limits only itself; transactional surveys limit one another.
 */
export function requiredGapDays(ask: Ask, past: Ask, limits: ContactLimits): number | null {
  if (ask.kind === 'relationship') {
    return past.kind === 'relationship' && past.surveyId === ask.surveyId ? limits.relationshipDays : null;
  }
  return past.kind === 'transactional' ? limits.transactionalDays : null;
}

/**
 * True when `ask` would come closer than the limit to any invitation in `history` — before or after it, since
 * invitations may be scheduled ahead (a delay after a visit, a campaign's send date).
 */
export function askedTooRecently(ask: Ask, history: readonly Ask[], limits: ContactLimits): boolean {
  return history.some((past) => {
    const gap = requiredGapDays(ask, past, limits);
    return gap !== null && Math.abs(ask.at.getTime() - past.at.getTime()) < gap * DAY_MS;
  });
}

/** The first channel, in the survey's order of preference, that reaches the customer; else why none does. */
export function chooseChannel(
  preference: readonly SendChannel[],
  reach: Reach,
): { channel: SendChannel } | { reason: 'suppressed' | 'no_channel' } {
  const channel = preference.find((c) => reach[c] === 'ok');
  if (channel) return { channel };
  return preference.some((c) => reach[c] === 'suppressed')
    ? { reason: 'suppressed' }
    : { reason: 'no_channel' };
}

/**
 * Whether to invite one customer, and by which channel. The reasons are checked in a fixed order — opted out,
 * asked too recently, suppressed, no channel — so every excluded customer is counted under exactly one.
 */
export function decideInvitation(input: {
  ask: Ask;
  optedOut: boolean;
  history: readonly Ask[];
  reach: Reach;
  channels: readonly SendChannel[];
  limits: ContactLimits;
}): Decision {
  if (input.optedOut) return { invite: false, reason: 'opted_out' };
  if (askedTooRecently(input.ask, input.history, input.limits))
    return { invite: false, reason: 'asked_recently' };
  const choice = chooseChannel(input.channels, input.reach);
  return 'channel' in choice
    ? { invite: true, channel: choice.channel }
    : { invite: false, reason: choice.reason };
}
