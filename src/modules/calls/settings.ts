// The organisation's call hours: when, in the customer's local time, operators may call.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { isTimeOfDay } from '../../domain/call-hours.js';
import { type Ctx, canWrite, requireRole } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { callHoursOf } from './queue.js';

const hhmm = z.string().refine(isTimeOfDay, 'A time as HH:MM, e.g. 10:00');
export const callSettingsInput = z.object({
  callHours: z.object({ start: hhmm, end: hhmm }).openapi({
    description:
      'Local time of the customer’s unit (else the organisation’s); end before start crosses midnight',
  }),
});

export async function getCallSettings(ctx: Ctx) {
  const org = await getOrg(ctx);
  return { callHours: callHoursOf(org.settings), timeZone: org.timeZone };
}

export async function putCallSettings(ctx: Ctx, input: z.input<typeof callSettingsInput>) {
  requireRole(ctx, ...canWrite);
  const i = callSettingsInput.parse(input);
  // One atomic jsonb merge: the other rooms' keys of the settings stay as they are.
  await ctx.db
    .update(tables.orgs)
    .set({
      settings: sql`${tables.orgs.settings} || jsonb_build_object('callHours', ${JSON.stringify(i.callHours)}::jsonb)`,
    })
    .where(eq(tables.orgs.id, ctx.orgId));
  return getCallSettings(ctx);
}
