// The org's drop-alert rule: on or off, weekly or monthly periods, the smallest fall worth an alert, an optional
// line the score must not cross, and the answers a period needs before it is judged.

import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { tables } from '../../db/index.js';
import { DEFAULT_DROP_RULE, type DropPeriod, type DropRule } from '../../domain/nps-change.js';
import { type Ctx, canWrite, requireRole } from '../kernel/index.js';

const { dropSettings } = tables;

export const dropSettingsInput = z
  .object({
    enabled: z.boolean(),
    period: z.enum(tables.dropPeriods),
    minDrop: z.number().int('Whole NPS points').min(0).max(200),
    floor: z.number().int('Whole NPS points').min(-100).max(100).nullable(),
    minAnswers: z.number().int().min(1).max(100_000),
  })
  .strict()
  .openapi('DropSettings');

export interface DropSettings extends DropRule {
  enabled: boolean;
  period: DropPeriod;
}

export const DEFAULT_DROP_SETTINGS: DropSettings = { enabled: true, period: 'month', ...DEFAULT_DROP_RULE };

export async function getDropSettings(ctx: Ctx): Promise<DropSettings> {
  const [row] = await ctx.db.select().from(dropSettings).where(eq(dropSettings.orgId, ctx.orgId));
  if (!row) return DEFAULT_DROP_SETTINGS;
  return {
    enabled: row.enabled,
    period: row.period,
    minDrop: row.minDrop,
    floor: row.floor,
    minAnswers: row.minAnswers,
  };
}

export async function putDropSettings(
  ctx: Ctx,
  input: z.input<typeof dropSettingsInput>,
): Promise<DropSettings> {
  requireRole(ctx, ...canWrite);
  const s = dropSettingsInput.parse(input);
  const now = ctx.clock();
  await ctx.db
    .insert(dropSettings)
    .values({ orgId: ctx.orgId, ...s, updatedAt: now })
    .onConflictDoUpdate({ target: dropSettings.orgId, set: { ...s, updatedAt: now } });
  return getDropSettings(ctx);
}
