// Inputs of survey distribution, validated at the edge: contact policy, triggers, reminders, campaigns, rates.
import { z } from '@hono/zod-openapi';

const channel = z.enum(['email', 'sms', 'phone']);
const channelPreference = z
  .array(channel)
  .min(1)
  .max(3)
  .refine((c) => new Set(c).size === c.length, 'Name each channel once')
  .openapi({
    description: 'Channels in order of preference; each customer gets the first one that reaches them',
  });
const unitIds = z.array(z.uuid()).min(1).max(500);

export const contactPolicyInput = z
  .object({
    relationshipDays: z.number().int().min(0).max(730).openapi({
      description: 'Days between two invitations of the same relationship (blitz) survey to one customer',
    }),
    transactionalDays: z.number().int().min(0).max(365).openapi({
      description: 'Days between two invitations of any transactional surveys to one customer',
    }),
  })
  .openapi('ContactPolicy');

export const triggerInput = z
  .object({
    delayMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30)
      .openapi({ description: 'Minutes after the contact (visit, purchase) before the invitation goes out' }),
    channels: channelPreference,
    unitIds: unitIds.optional().openapi({ description: 'Only contacts in these units’ subtrees' }),
    maxAgeHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72)
      .openapi({
        description: 'A contact that reaches Sarafan later than this after it happened gets no survey',
      }),
  })
  .openapi('DistributionTrigger');

export const reminderInput = z
  .object({
    afterDays: z.number().int().min(1).max(60).openapi({ description: 'Days after the invitation went out' }),
  })
  .openapi('DistributionReminder');

export const distributionInput = z
  .object({
    trigger: triggerInput.nullish().openapi({ description: 'Transactional surveys only; null = off' }),
    reminder: reminderInput
      .nullish()
      .openapi({ description: 'One reminder to those who did not answer; null = off' }),
  })
  .openapi('SurveyDistribution');

export const sampleInput = z.union([
  z.number().int().min(1).max(10_000_000).openapi({ description: 'How many customers to invite' }),
  z
    .object({
      size: z.number().int().min(1).max(10_000_000).optional(),
      share: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .openapi({ description: 'A share of the eligible base, e.g. 0.2' }),
    })
    .refine((s) => (s.size === undefined) !== (s.share === undefined), 'Give size or share, not both'),
]);

export const campaignInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    audience: z
      .object({
        unitIds: unitIds.optional().openapi({
          description:
            'Customers of these units’ subtrees (their home unit, else the unit of their last contact)',
        }),
        activeWithinDays: z.number().int().min(1).max(3650).optional().openapi({
          description: 'Only customers with a contact in the last N days',
        }),
        minVisits: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .optional()
          .openapi({ description: 'At least N contacts' }),
      })
      .default({}),
    sample: sampleInput
      .optional()
      .openapi({ description: 'A number or a share of the eligible; absent = all' }),
    seed: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'Seed of the random sample: the same seed picks the same customers' }),
    stratifyByUnit: z
      .boolean()
      .default(false)
      .openapi({ description: 'Sample each unit in proportion to its size' }),
    channels: channelPreference,
    sendAt: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'When to send; absent = now' }),
    expiresInDays: z.number().int().min(1).max(365).default(30),
    dryRun: z
      .boolean()
      .default(false)
      .openapi({ description: 'Count only: who would be invited and who not, why' }),
  })
  .openapi('NewCampaign');

export const responseRateQuery = z.object({
  from: z.iso
    .date()
    .optional()
    .openapi({ description: 'First day (the organisation’s time zone), inclusive' }),
  to: z.iso.date().optional().openapi({ description: 'Last day, inclusive' }),
  groupBy: z.enum(['channel', 'unit', 'campaign']).default('channel'),
});

export type ContactPolicyInput = z.input<typeof contactPolicyInput>;
export type DistributionInput = z.input<typeof distributionInput>;
export type CampaignInput = z.input<typeof campaignInput>;
export type ResponseRateQuery = z.input<typeof responseRateQuery>;
