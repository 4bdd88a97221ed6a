// The periodic sweep of distribution: transactional triggers, due campaigns and reminders, for every organisation.
import { queueInvitationMessage } from '../delivery/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { dueCampaigns, runDueCampaign } from './campaigns.js';
import { surveysWith } from './queries.js';
import { type QueueReminder, sweepReminders } from './reminders.js';
import { sweepTrigger } from './trigger.js';

export const DISTRIBUTION_TASK = 'distribution.sweep';
/** How often the server runs the sweep: a minute is well inside any delay a trigger is given. */
export const DISTRIBUTION_INTERVAL_MS = 60_000;

export interface DistributionReport {
  invited: number;
  campaigns: number;
  reminders: number;
  failures: number;
}

/**
 * One round of distribution at `now`. Idempotent and safe to run from several processes at once (each sweep
 * takes a per-survey lock and moves a cursor). One survey's failure is logged and does not stop the others.
 */
export async function distributionTick(
  deps: Pick<Deps, 'db' | 'vault' | 'log'>,
  now: Date,
  queueReminder: QueueReminder = queueInvitationMessage,
): Promise<DistributionReport> {
  const report: DistributionReport = { invited: 0, campaigns: 0, reminders: 0, failures: 0 };
  const ctxFor = (orgId: string): Ctx => ({ ...deps, orgId, actor: { kind: 'system' }, clock: () => now });
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      report.failures++;
      deps.log.error({ err: error, what }, 'distribution sweep failed');
    }
  };
  for (const survey of await surveysWith(deps.db, 'trigger')) {
    await attempt(`trigger ${survey.id}`, async () => {
      report.invited += (await sweepTrigger(ctxFor(survey.orgId), survey, now)).invited;
    });
  }
  for (const campaign of await dueCampaigns(deps.db, now)) {
    await attempt(`campaign ${campaign.id}`, async () => {
      await runDueCampaign(ctxFor(campaign.orgId), campaign, now);
      report.campaigns++;
    });
  }
  for (const survey of await surveysWith(deps.db, 'reminder')) {
    await attempt(`reminders ${survey.id}`, async () => {
      report.reminders += (await sweepReminders(ctxFor(survey.orgId), survey, now, queueReminder)).queued;
    });
  }
  return report;
}
