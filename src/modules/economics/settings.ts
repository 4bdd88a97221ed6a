// The org's economic assumptions and its programmes that move customers between segments.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { AppError, type Ctx, isUniqueViolation, notFound, requireRole } from '../kernel/index.js';

const { economicsSettings, economicsProgrammes } = tables;

export const segmentEnum = z.enum(['promoter', 'passive', 'detractor']);

export const settingsInput = z.object({
  margin: z
    .number()
    .min(0, 'At least 0%')
    .max(1, 'At most 100%')
    .openapi({ description: 'Gross margin, 0–1' }),
  discountRate: z
    .number()
    .min(0, 'At least 0%')
    .max(1, 'At most 100% a year')
    .openapi({ description: 'Annual discount rate, 0–1' }),
  churnDays: z
    .number()
    .int()
    .min(14, 'At least 14 days')
    .max(1095, 'At most 3 years')
    .openapi({ description: 'A customer with no contact for this many days is lost' }),
  horizonYears: z.number().int().min(1, 'At least 1 year').max(20, 'At most 20 years'),
  windowMonths: z
    .number()
    .int()
    .min(1, 'At least 1 month')
    .max(36, 'At most 36 months')
    .openapi({ description: 'Revenue and frequency are read over the last this many months' }),
  bootstrapSamples: z.number().int().min(50, 'At least 50').max(2000, 'At most 2000'),
  forecastPeriod: z.enum(['month', 'quarter']),
});
export type EconomicsSettings = z.output<typeof settingsInput>;

/** Defaults a fitness chain's analyst would start from: 30% margin, 15% discount, lost after 180 days, 5 years. */
export const DEFAULT_SETTINGS: EconomicsSettings = {
  margin: 0.3,
  discountRate: 0.15,
  churnDays: 180,
  horizonYears: 5,
  windowMonths: 12,
  bootstrapSamples: 200,
  forecastPeriod: 'quarter',
};

export interface SettingsView extends EconomicsSettings {
  version: number;
  isDefault: boolean;
}

export async function getEconomicsSettings(ctx: Ctx): Promise<SettingsView> {
  const [row] = await ctx.db.select().from(economicsSettings).where(eq(economicsSettings.orgId, ctx.orgId));
  if (!row) return { ...DEFAULT_SETTINGS, version: 0, isDefault: true };
  return {
    margin: row.margin,
    discountRate: row.discountRate,
    churnDays: row.churnDays,
    horizonYears: row.horizonYears,
    windowMonths: row.windowMonths,
    bootstrapSamples: row.bootstrapSamples,
    forecastPeriod: row.forecastPeriod,
    version: row.version,
    isDefault: false,
  };
}

export async function putEconomicsSettings(ctx: Ctx, input: EconomicsSettings): Promise<SettingsView> {
  requireRole(ctx, 'owner', 'admin');
  const values = settingsInput.parse(input);
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const now = ctx.clock();
  await ctx.db
    .insert(economicsSettings)
    .values({ orgId: ctx.orgId, ...values, updatedAt: now, updatedBy: by })
    .onConflictDoUpdate({
      target: economicsSettings.orgId,
      set: { ...values, updatedAt: now, updatedBy: by, version: sql`${economicsSettings.version} + 1` },
    });
  return getEconomicsSettings(ctx);
}

export const programmeInput = z
  .object({
    name: z.string().trim().min(1, 'Required').max(200),
    from: segmentEnum,
    to: segmentEnum,
    costPerCustomerMinor: z
      .number()
      .int('Whole kopecks')
      .min(0, 'A cost is not negative')
      .max(1e12)
      .openapi({ description: 'What it costs per customer, minor units (kopecks)' }),
    assumedSuccessRate: z
      .number()
      .min(0, 'At least 0%')
      .max(1, 'At most 100%')
      .nullable()
      .optional()
      .openapi({ description: 'Expected share moved, 0–1, until cases naming the programme show it' }),
  })
  .refine((p) => rankOf(p.to) > rankOf(p.from), { path: ['to'], message: 'A programme moves customers up' });

const rankOf = (s: z.infer<typeof segmentEnum>) => ({ detractor: 0, passive: 1, promoter: 2 })[s];

export interface ProgrammeView {
  id: string;
  name: string;
  from: 'promoter' | 'passive' | 'detractor';
  to: 'promoter' | 'passive' | 'detractor';
  costPerCustomerMinor: number;
  assumedSuccessRate: number | null;
}

const viewOf = (r: typeof economicsProgrammes.$inferSelect): ProgrammeView => ({
  id: r.id,
  name: r.name,
  from: r.fromSegment,
  to: r.toSegment,
  costPerCustomerMinor: r.costPerCustomerMinor,
  assumedSuccessRate: r.assumedSuccessRate,
});

export async function listProgrammes(ctx: Ctx): Promise<ProgrammeView[]> {
  const rows = await ctx.db
    .select()
    .from(economicsProgrammes)
    .where(eq(economicsProgrammes.orgId, ctx.orgId))
    .orderBy(economicsProgrammes.name);
  return rows.map(viewOf);
}

const duplicate = () =>
  new AppError('conflict', 'A programme with this name exists', {
    errors: [{ path: 'name', message: 'Already used by another programme' }],
  });

export async function saveProgramme(
  ctx: Ctx,
  input: z.input<typeof programmeInput>,
  id?: string,
): Promise<ProgrammeView> {
  requireRole(ctx, 'owner', 'admin');
  const p = programmeInput.parse(input);
  const values = {
    name: p.name,
    fromSegment: p.from,
    toSegment: p.to,
    costPerCustomerMinor: p.costPerCustomerMinor,
    assumedSuccessRate: p.assumedSuccessRate ?? null,
  };
  try {
    if (id) {
      const [row] = await ctx.db
        .update(economicsProgrammes)
        .set(values)
        .where(and(eq(economicsProgrammes.orgId, ctx.orgId), eq(economicsProgrammes.id, id)))
        .returning();
      if (!row) throw notFound('Programme');
      return viewOf(row);
    }
    const [row] = await ctx.db
      .insert(economicsProgrammes)
      .values({ orgId: ctx.orgId, ...values })
      .returning();
    return viewOf(row!);
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

export async function deleteProgramme(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'owner', 'admin');
  const rows = await ctx.db
    .delete(economicsProgrammes)
    .where(and(eq(economicsProgrammes.orgId, ctx.orgId), eq(economicsProgrammes.id, id)))
    .returning({ id: economicsProgrammes.id });
  if (rows.length === 0) throw notFound('Programme');
}
