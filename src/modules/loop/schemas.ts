// Zod schemas of the closed loop's API: the playbook, the check, case queries and changes.
import { z } from '@hono/zod-openapi';
import { pageQuery } from '../kernel/index.js';

const localised = z.object({ ru: z.string().max(2000), en: z.string().max(2000) });
const level = z.enum(['frontline', 'middle', 'top']);
const channel = z.enum(['link', 'email', 'sms', 'widget', 'phone']);
const score = z.number().int().min(0).max(10);

const ruleMatch = z
  .object({
    scoreMin: score.optional(),
    scoreMax: score.optional(),
    surveyIds: z.array(z.uuid()).max(200).optional(),
    unitIds: z.array(z.uuid()).max(1000).optional(),
    employeeIds: z.array(z.uuid()).max(1000).optional(),
    channels: z.array(channel).max(5).optional(),
    valueBands: z
      .array(z.enum(['high', 'medium', 'low']))
      .max(3)
      .optional(),
    reasonWords: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
  })
  .strict();

const ruleAction = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('open_case'),
      level,
      dueHours: z
        .number()
        .positive()
        .max(24 * 90),
      urgent: z.boolean().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('alert'), levels: z.array(level).min(1).max(3) }).strict(),
  z
    .object({
      kind: z.literal('message'),
      template: z.enum(['thanks', 'referral', 'review', 'offer']),
      text: localised,
      url: z.url().max(2000).optional(),
    })
    .strict(),
]);

export const playbookSchema = z
  .object({
    rules: z
      .array(
        z
          .object({
            id: z.string().trim().min(1).max(64),
            name: localised,
            enabled: z.boolean(),
            match: ruleMatch,
            actions: z.array(ruleAction).max(10),
          })
          .strict(),
      )
      .max(100),
    escalation: z
      .object({
        toMiddleAfterHours: z
          .number()
          .min(0)
          .max(24 * 60),
        toTopAfterHours: z
          .number()
          .min(0)
          .max(24 * 60),
      })
      .strict(),
    calendar: z
      .object({
        enabled: z.boolean(),
        workdays: z.array(z.number().int().min(1).max(7)).max(7),
        start: z.string().max(5),
        end: z.string().max(5),
        holidays: z.array(z.string().max(10)).max(400),
      })
      .strict(),
    resurveyAfterDays: z.number().int().min(1).max(365).nullable(),
    rootCauses: z
      .array(z.object({ id: z.string().trim().min(1).max(64), name: localised }).strict())
      .max(100),
  })
  .strict()
  .openapi('Playbook');

export const putPlaybookInput = z.object({
  playbook: playbookSchema,
  /** The version read with GET; a stale one is refused (409) so two editors do not overwrite each other. */
  version: z.number().int().min(0),
});

export const checkInput = z.object({
  score,
  reason: z.string().max(5000).optional(),
  unitId: z.uuid().optional(),
  employeeId: z.uuid().optional(),
  surveyId: z.uuid().optional(),
  channel: channel.optional(),
  valueBand: z.enum(['high', 'medium', 'low']).optional(),
  /** Check against this playbook instead of the saved one (the editor's preview). */
  playbook: playbookSchema.optional(),
});

export const caseStatus = z.enum(['new', 'in_progress', 'contacted', 'resolved', 'unresolved']);

export const caseListQuery = pageQuery.extend({
  status: z.enum(['open', 'new', 'in_progress', 'contacted', 'resolved', 'unresolved', 'closed']).optional(),
  level: level.optional(),
  owner: z.union([z.literal('me'), z.literal('none'), z.uuid()]).optional(),
  unitId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional(),
  urgent: z.enum(['true', 'false']).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

export const casePatch = z
  .object({
    status: caseStatus.optional(),
    ownerUserId: z.uuid().optional(),
    rootCause: z.string().trim().min(1).max(64).nullable().optional(),
    actionTaken: z.string().trim().max(5000).nullable().optional(),
    actionCostMinor: z.number().int().min(0).max(1e13).nullable().optional(),
    outcome: z.string().trim().max(5000).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, {
    message: 'Give at least one field to change',
    path: ['status'],
  });

export const noteInput = z.object({ text: z.string().trim().min(1).max(5000) });

export const attemptInput = z
  .object({
    channel: z.enum(['phone', 'email', 'sms', 'meeting']),
    outcome: z.enum(['reached', 'no_answer', 'voicemail', 'wrong_number', 'callback']),
    note: z.string().trim().max(5000).optional(),
    callbackAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((a) => a.outcome !== 'callback' || a.callbackAt, {
    message: 'A call-back needs callbackAt (when to call)',
    path: ['callbackAt'],
  });
