// Distribution settings: the org's contact policy and each survey's trigger and reminder.
import { type ContactLimits, defaultContactLimits } from '../../domain/contact-policy.js';
import { AppError, type Ctx, canWrite, requireRole } from '../kernel/index.js';
import { findSurvey, type Survey } from '../surveys/index.js';
import {
  knownUnitIds,
  orgPolicy,
  writeContactPolicy,
  writeCursor,
  writeSurveyDistribution,
} from './queries.js';
import {
  type ContactPolicyInput,
  contactPolicyInput,
  type DistributionInput,
  distributionInput,
} from './schemas.js';

/** The org's contact limits, defaults filled in (90 days per relationship survey, 30 across transactional). */
export async function getContactPolicy(ctx: Ctx): Promise<ContactLimits> {
  const { limits } = await orgPolicy(ctx.db, ctx.orgId);
  return { ...defaultContactLimits, ...limits };
}

export async function setContactPolicy(ctx: Ctx, input: ContactPolicyInput): Promise<ContactLimits> {
  requireRole(ctx, ...canWrite);
  const policy = contactPolicyInput.parse(input);
  await writeContactPolicy(ctx.db, ctx.orgId, policy);
  return policy;
}

export interface DistributionView {
  surveyId: string;
  kind: Survey['kind'];
  trigger: {
    delayMinutes: number;
    channels: ('email' | 'sms' | 'phone')[];
    unitIds: string[] | null;
    maxAgeHours: number;
  } | null;
  reminder: { afterDays: number } | null;
}

export const DEFAULT_MAX_AGE_HOURS = 72;

function viewOf(s: Survey): DistributionView {
  const t = s.distribution.trigger;
  return {
    surveyId: s.id,
    kind: s.kind,
    trigger: t
      ? {
          delayMinutes: t.delayMinutes,
          channels: t.channels,
          unitIds: t.unitIds ?? null,
          maxAgeHours: t.maxAgeHours ?? DEFAULT_MAX_AGE_HOURS,
        }
      : null,
    reminder: s.distribution.reminder ?? null,
  };
}

export async function getDistribution(ctx: Ctx, surveyId: string): Promise<DistributionView> {
  return viewOf(await findSurvey(ctx, surveyId));
}

/**
 * Replaces a survey's trigger and reminder. A trigger belongs to transactional customer surveys only; turning it
 * on (again) starts reading contacts from now, so switching a trigger on never surveys yesterday's visitors.
 */
export async function setDistribution(
  ctx: Ctx,
  surveyId: string,
  input: DistributionInput,
): Promise<DistributionView> {
  requireRole(ctx, ...canWrite);
  const d = distributionInput.parse(input);
  const survey = await findSurvey(ctx, surveyId);
  if (d.trigger) {
    if (survey.audience !== 'customer' || survey.kind !== 'transactional') {
      throw new AppError('invalid_input', 'Only a transactional customer survey is sent after each contact', {
        errors: [{ path: 'trigger', message: 'Make the survey transactional, or use a campaign' }],
      });
    }
    const asked = d.trigger.unitIds ?? [];
    const known = await knownUnitIds(ctx.db, ctx.orgId, asked);
    const errors = asked.flatMap((id, k) =>
      known.has(id)
        ? []
        : [{ path: `trigger.unitIds.${k}`, message: 'No unit with this id in your organisation' }],
    );
    if (errors.length) throw new AppError('invalid_input', 'Unknown unit', { errors });
  }
  const distribution: Survey['distribution'] = {
    ...(d.trigger && {
      trigger: {
        delayMinutes: d.trigger.delayMinutes,
        channels: d.trigger.channels,
        ...(d.trigger.unitIds && { unitIds: d.trigger.unitIds }),
        maxAgeHours: d.trigger.maxAgeHours,
      },
    }),
    ...(d.reminder && { reminder: { afterDays: d.reminder.afterDays } }),
  };
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    await writeSurveyDistribution(tx, ctx.orgId, surveyId, distribution);
    if (d.trigger && !survey.distribution.trigger) {
      await writeCursor(tx, ctx.orgId, surveyId, 'trigger', now, undefined, now);
    }
  });
  return viewOf({ ...survey, distribution });
}
