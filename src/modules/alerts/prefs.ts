// A person's notification preferences: mute, channels per kind of event, and their digests (on/off, local time,
// weekday, time zone). Absent = the defaults for their role (see channelsFor and digestsOn).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { ALERT_KINDS } from '../../domain/alert-channels.js';
import { isTimeOfDay } from '../../domain/call-hours.js';
import { DEFAULT_DIGEST_AT, DEFAULT_DIGEST_WEEKDAY } from '../../domain/digest-schedule.js';
import { isValidTimeZone } from '../../domain/period.js';
import { AppError, type Ctx, type Role } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';

const { notificationPrefs } = tables;
export type NotificationPrefs = tables.NotificationPrefs;

const channelChoice = z.object({ email: z.boolean().optional(), dashboard: z.boolean().optional() }).strict();

export const prefsInput = z
  .object({
    muted: z.boolean().default(false),
    events: z.partialRecord(z.enum(ALERT_KINDS), channelChoice).default({}),
    digest: z
      .object({
        daily: z.boolean().optional(),
        weekly: z.boolean().optional(),
        at: z.string().refine(isTimeOfDay, 'A local time as HH:MM, e.g. 09:00').optional(),
        weekday: z.number().int().min(1, 'ISO weekday: 1 = Monday … 7 = Sunday').max(7).optional(),
        timeZone: z
          .string()
          .max(64)
          .refine(isValidTimeZone, 'An IANA time zone, e.g. Europe/Moscow')
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Who gets which digest unless they chose: middle managers the daily one, top management the weekly one. */
export function digestsOn(role: Role, prefs: NotificationPrefs): { daily: boolean; weekly: boolean } {
  return {
    daily: prefs.digest?.daily ?? role === 'manager',
    weekly: prefs.digest?.weekly ?? (role === 'owner' || role === 'admin'),
  };
}

export interface PrefsView {
  muted: boolean;
  events: NotificationPrefs['events'];
  digest: { daily: boolean; weekly: boolean; at: string; weekday: number; timeZone: string };
  /** What applies when a field is absent: the org's zone, 09:00, Monday. */
  defaults: { timeZone: string; at: string; weekday: number };
}

function requireUser(ctx: Ctx) {
  if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'Preferences belong to a user');
  return ctx.actor;
}

export async function readPrefs(ctx: Ctx, userId: string): Promise<NotificationPrefs> {
  const [row] = await ctx.db
    .select({ prefs: notificationPrefs.prefs })
    .from(notificationPrefs)
    .where(and(eq(notificationPrefs.orgId, ctx.orgId), eq(notificationPrefs.userId, userId)));
  return row?.prefs ?? {};
}

export async function getMyPrefs(ctx: Ctx): Promise<PrefsView> {
  const actor = requireUser(ctx);
  const prefs = await readPrefs(ctx, actor.userId);
  const org = await getOrg(ctx);
  const on = digestsOn(actor.role, prefs);
  return {
    muted: prefs.muted ?? false,
    events: prefs.events ?? {},
    digest: {
      ...on,
      at: prefs.digest?.at ?? DEFAULT_DIGEST_AT,
      weekday: prefs.digest?.weekday ?? DEFAULT_DIGEST_WEEKDAY,
      timeZone: prefs.digest?.timeZone ?? org.timeZone,
    },
    defaults: { timeZone: org.timeZone, at: DEFAULT_DIGEST_AT, weekday: DEFAULT_DIGEST_WEEKDAY },
  };
}

export async function putMyPrefs(ctx: Ctx, input: z.input<typeof prefsInput>): Promise<PrefsView> {
  const actor = requireUser(ctx);
  const p = prefsInput.parse(input);
  const prefs: NotificationPrefs = { muted: p.muted, events: p.events, digest: p.digest };
  const now = ctx.clock();
  await ctx.db
    .insert(notificationPrefs)
    .values({ orgId: ctx.orgId, userId: actor.userId, prefs, updatedAt: now })
    .onConflictDoUpdate({
      target: [notificationPrefs.orgId, notificationPrefs.userId],
      set: { prefs, updatedAt: now },
    });
  return getMyPrefs(ctx);
}
