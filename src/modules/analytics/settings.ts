// The organisation's bands for analysis: revenue (quantiles of 12 months' spend, or fixed bounds), visit frequency
// and tenure. Changing them re-cuts every stored answer (the facet rollup is rebuilt).
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  DEFAULT_TENURE_BOUNDS_MONTHS,
  DEFAULT_VISIT_BOUNDS,
  rebuildRollups,
  revenueQuantileBoundsSql,
} from '../answers/index.js';
import { AppError, type Ctx, canWrite, requireRole } from '../kernel/index.js';

const { analyticsSettings } = tables;

const rising = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

export const bandsInput = z
  .object({
    revenue: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('quantiles'), quantiles: z.number().int().min(2).max(10).default(4) }),
      z.object({
        mode: z.literal('fixed'),
        boundsMinor: z
          .array(z.number().int().positive())
          .min(1)
          .max(9)
          .refine(rising, 'Bounds must rise strictly')
          .openapi({ description: 'Lower bounds (minor units) of the bands after the first, rising' }),
      }),
    ]),
    visitBounds: z
      .array(z.number().int().min(1).max(1000))
      .min(1)
      .max(9)
      .refine(rising, 'Bounds must rise strictly')
      .openapi({
        description: 'Lower bounds of the visit-frequency bands after “0 visits”, e.g. [1, 2, 4, 12]',
      }),
    tenureBoundsMonths: z
      .array(z.number().int().min(1).max(600))
      .min(1)
      .max(9)
      .refine(rising, 'Bounds must rise strictly')
      .openapi({
        description: 'Lower bounds (months) of the tenure bands after the first, e.g. [6, 12, 24, 60]',
      }),
  })
  .partial();

export interface Bands {
  revenue: {
    mode: 'quantiles' | 'fixed';
    quantiles: number;
    /** Lower bounds (minor units) of bands 1…k−1; band 0 starts at 0. */
    bounds: number[];
    boundsAt: string | null;
    /** False when no contact has an amount: there are no revenue bands to show. */
    hasRevenue: boolean;
    currency: string;
  };
  visits: { bounds: number[] };
  tenure: { bounds: number[] };
}

/** The organisation's bands; the defaults (quartiles of revenue computed now) the first time. */
export async function bandsOf(ctx: Ctx): Promise<Bands> {
  let [row] = await ctx.db.select().from(analyticsSettings).where(eq(analyticsSettings.orgId, ctx.orgId));
  if (!row) {
    await ctx.db.execute(sql`
      insert into analytics_settings (org_id, revenue_bounds_minor, revenue_bounds_at)
      values (${ctx.orgId}::uuid, ${revenueQuantileBoundsSql(sql`${ctx.orgId}::uuid`, sql`4`)}, now())
      on conflict (org_id) do nothing`);
    [row] = await ctx.db.select().from(analyticsSettings).where(eq(analyticsSettings.orgId, ctx.orgId));
  }
  const [org] = await ctx.db
    .select({ currency: tables.orgs.currency })
    .from(tables.orgs)
    .where(eq(tables.orgs.id, ctx.orgId));
  const r = row!;
  return {
    revenue: {
      mode: r.revenueMode,
      quantiles: r.revenueQuantiles,
      bounds: r.revenueBoundsMinor.map(Number),
      boundsAt: r.revenueBoundsAt?.toISOString() ?? null,
      hasRevenue: r.revenueMode === 'fixed' || r.revenueBoundsMinor.length > 0,
      currency: org?.currency ?? 'RUB',
    },
    visits: { bounds: r.visitBounds ?? DEFAULT_VISIT_BOUNDS },
    tenure: { bounds: r.tenureBoundsMonths ?? DEFAULT_TENURE_BOUNDS_MONTHS },
  };
}

/**
 * Saves the bands and re-cuts the stored answers by them (the organisation's rollups are rebuilt in the same call:
 * about a second per 100,000 answers on PostgreSQL). Quantile bounds are recomputed from the last 12 months.
 */
export async function updateBands(ctx: Ctx, input: z.input<typeof bandsInput>): Promise<Bands> {
  requireRole(ctx, ...canWrite);
  const q = bandsInput.parse(input);
  if (Object.keys(q).length === 0) {
    throw new AppError('bad_request', 'Nothing to change', {
      errors: [{ path: '(body)', message: 'Give revenue, visitBounds or tenureBoundsMonths' }],
    });
  }
  await bandsOf(ctx);
  await ctx.db
    .update(analyticsSettings)
    .set({
      ...(q.revenue && {
        revenueMode: q.revenue.mode,
        ...(q.revenue.mode === 'quantiles'
          ? { revenueQuantiles: q.revenue.quantiles }
          : { revenueBoundsMinor: q.revenue.boundsMinor, revenueBoundsAt: ctx.clock() }),
      }),
      ...(q.visitBounds && { visitBounds: q.visitBounds }),
      ...(q.tenureBoundsMonths && { tenureBoundsMonths: q.tenureBoundsMonths }),
      updatedAt: ctx.clock(),
    })
    .where(eq(analyticsSettings.orgId, ctx.orgId));
  await rebuildRollups(ctx.db, ctx.orgId);
  return bandsOf(ctx);
}
