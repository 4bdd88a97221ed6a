// Value of each segment (revenue, churn, LTV with bootstrap intervals), the money between segments, word of mouth,
// and the per-customer facts behind them — read from the per-customer cache with set-based SQL.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import {
  EXACT_BOOTSTRAP_MAX,
  finiteOrNull,
  type MoneyDifference,
  moneyDifference,
  type ReferralValue,
  referralValue,
  SEGMENTS,
  type SegmentColumns,
  type SegmentMoments,
  type SegmentValue,
  type SegmentValueWithReplicates,
  segmentValue,
  segmentValueFromMoments,
  type ValueAssumptions,
  type ValueAtStake,
  valueAtStake,
} from '../../domain/economics.js';
import type { Segment } from '../../domain/nps.js';
import { type Ctx, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { customerPseudonym } from '../privacy/pseudonym.js';
import { type CacheState, ensureFresh, FULL_REFRESH_MS } from './refresh.js';
import { type Scope, scopeOf, scopeSql } from './scope.js';
import { type EconomicsSettings, getEconomicsSettings } from './settings.js';

export const LTV_FORMULA =
  'LTV = m·R·(1 − qᴴ)/(1 − q), q = r/(1 + d); R = Σ revenue / Σ customer-years in the window; r = e^(−λ), λ = lost / years observed';

export interface SegmentValueView extends SegmentValue {
  /** Customers of the segment not lost today. */
  active: number;
  /** Annual revenue of today's active customers of the segment (window revenue × 12 / window months). */
  activeRevenuePerYear: number;
}

export interface DataQuality {
  /** Customers with contacts in the cache (in scope). */
  customers: number;
  /** Of them, never answered a survey (no segment). */
  unanswered: number;
  oneVisit: number;
  withoutRevenue: number;
  /** Σ refunds in the window, minor units. */
  refundsMinor: number;
  /** Customers whose net window revenue is below zero (refunds above sales): counted as worth 0. */
  netNegative: number;
}

/** Where the per-customer cache stands, for the page: figures as of when, the last whole build, one running. */
export interface RefreshState {
  /** The figures are as of this instant (the last refresh, whole or incremental). */
  refreshedAt: string;
  /** The last whole build: when, how long it took, and when the worker rebuilds next (daily). */
  fullAt: string;
  lastFullMs: number | null;
  nextFullAt: string;
  lastKind: 'full' | 'incremental';
  /** A whole build in progress since then (the page shows the previous figures meanwhile), else null. */
  buildingSince: string | null;
  /** Why the last whole build failed, if it did (the worker tries again at its next round). */
  lastError: string | null;
}

export const refreshStateOf = (state: CacheState): RefreshState => ({
  refreshedAt: state.refreshedAt.toISOString(),
  fullAt: state.fullAt.toISOString(),
  lastFullMs: state.lastFullMs,
  nextFullAt: new Date(state.fullAt.getTime() + FULL_REFRESH_MS).toISOString(),
  lastKind: state.lastKind,
  buildingSince: state.buildingSince?.toISOString() ?? null,
  lastError: state.lastError,
});

export interface ValuesReport {
  asOf: string;
  refreshedAt: string;
  refresh: RefreshState;
  unitId: string | null;
  currency: string;
  assumptions: ValueAssumptions & { churnDays: number; windowMonths: number; bootstrapSamples: number };
  formula: string;
  segments: SegmentValueView[];
  differences: {
    promoterVsPassive: MoneyDifference;
    promoterVsDetractor: MoneyDifference;
    passiveVsDetractor: MoneyDifference;
  };
  atStake: ValueAtStake;
  dataQuality: DataQuality;
  referrals: {
    /** Whether any customer carries a referrer or a "who told you" answer (PUT /economics/customer-marks). */
    available: boolean;
    bySegment: ReferralValue[];
    sources: { source: string; customers: number; bySegment: Record<Segment, number> }[];
  };
}

export const assumptionsOf = (s: EconomicsSettings): ValueAssumptions => ({
  margin: s.margin,
  discountRate: s.discountRate,
  horizonYears: s.horizonYears,
});

interface ColumnsRow {
  segment: Segment;
  revenue: (number | string)[];
  exposure: (number | string)[];
  tenure: (number | string)[];
  lost: (number | string)[];
  has_revenue: (number | string)[];
}

/** Per-segment columns of per-customer facts, for the exact bootstrap (ordered by customer, so the seed draws the same). */
async function segmentColumns(
  ctx: Ctx,
  scope: Scope,
  segments: Segment[],
): Promise<Map<Segment, SegmentColumns>> {
  if (segments.length === 0) return new Map();
  const rows = rowsOf<ColumnsRow>(
    await ctx.db.execute(sql`
      select segment,
             array_agg(revenue_window_minor::float8 order by customer_id) as revenue,
             array_agg(exposure_years order by customer_id) as exposure,
             array_agg(tenure_years order by customer_id) as tenure,
             array_agg(lost::int order by customer_id) as lost,
             array_agg(has_revenue::int order by customer_id) as has_revenue
      from economics_customer_facts f
      where org_id = ${ctx.orgId} and segment = any(${`{${segments.join(',')}}`}::text[])
        and ${scopeSql(scope, sql`f.unit_id`)}
      group by segment`),
  );
  return new Map(
    rows.map((r) => [
      r.segment,
      {
        revenue: Float64Array.from(r.revenue, Number),
        exposure: Float64Array.from(r.exposure, Number),
        tenure: Float64Array.from(r.tenure, Number),
        lost: Uint8Array.from(r.lost, Number),
        hasRevenue: Uint8Array.from(r.has_revenue, Number),
      },
    ]),
  );
}

const VARS = ['r', 'e', 't', 'l'] as const;

/** n, Σx and Σxxᵀ of (revenue, exposure, tenure, lost) per segment: one pass over the cache, no rows to the app. */
async function segmentMoments(ctx: Ctx, scope: Scope): Promise<Map<Segment, SegmentMoments>> {
  const products = VARS.flatMap((a, i) => VARS.slice(i).map((b) => sql.raw(`sum(${a} * ${b}) as ${a}${b}`)));
  const rows = rowsOf<Record<string, number | string | null> & { segment: Segment }>(
    await ctx.db.execute(sql`
      select segment, count(*) as n, sum(has_revenue::int) as with_revenue,
             sum(r) as r, sum(e) as e, sum(t) as t, sum(l) as l, ${sql.join(products, sql`, `)}
      from (select segment, has_revenue, revenue_window_minor::float8 as r, exposure_years as e, tenure_years as t,
                   lost::int::float8 as l
            from economics_customer_facts f
            where org_id = ${ctx.orgId} and segment is not null and ${scopeSql(scope, sql`f.unit_id`)}) x
      group by segment`),
  );
  const out = new Map<Segment, SegmentMoments>();
  for (const r of rows) {
    const cross = VARS.map((a, i) =>
      VARS.map((b, j) => Number((i <= j ? r[`${a}${b}`] : r[`${b}${a}`]) ?? 0)),
    );
    out.set(r.segment, {
      n: Number(r.n),
      withRevenue: Number(r.with_revenue ?? 0),
      sum: [Number(r.r ?? 0), Number(r.e ?? 0), Number(r.t ?? 0), Number(r.l ?? 0)],
      cross,
    });
  }
  return out;
}

interface CountsRow {
  segment: Segment | null;
  customers: number | string;
  active: number | string;
  active_revenue: number | string | null;
  one_visit: number | string;
  without_revenue: number | string;
  refunds: number | string | null;
  net_negative: number | string;
}

/** Everything the value report needs, with the bootstrap replicates kept for scenarios and differences. */
export async function computeSegmentValues(
  ctx: Ctx,
  scope: Scope,
  settings: EconomicsSettings,
): Promise<{
  values: Record<Segment, SegmentValueWithReplicates>;
  active: Record<Segment, number>;
  activeRevenue: Record<Segment, number>;
  quality: DataQuality;
}> {
  const assumptions = assumptionsOf(settings);
  // Small segments resample their customers; large ones draw the resample sums from their moments (same result
  // within the interval's own noise, see segmentValueFromMoments), so a million customers never leave the database.
  const moments = await segmentMoments(ctx, scope);
  const small = SEGMENTS.filter((s) => (moments.get(s)?.n ?? 0) <= EXACT_BOOTSTRAP_MAX);
  const columns = await segmentColumns(ctx, scope, small);
  const seed = `${ctx.orgId}:${scope.unitId ?? 'all'}`;
  const options = { samples: settings.bootstrapSamples, seed };
  const none: SegmentColumns = {
    revenue: new Float64Array(0),
    exposure: new Float64Array(0),
    tenure: new Float64Array(0),
    lost: new Uint8Array(0),
    hasRevenue: new Uint8Array(0),
  };
  const values = Object.fromEntries(
    SEGMENTS.map((s) => {
      const m = moments.get(s);
      return [
        s,
        m && m.n > EXACT_BOOTSTRAP_MAX
          ? segmentValueFromMoments(s, m, assumptions, options)
          : segmentValue(s, columns.get(s) ?? none, assumptions, options),
      ];
    }),
  ) as Record<Segment, SegmentValueWithReplicates>;
  const counts = rowsOf<CountsRow>(
    await ctx.db.execute(sql`
      select segment, count(*) as customers, count(*) filter (where not lost) as active,
             sum(revenue_window_minor) filter (where not lost) as active_revenue,
             count(*) filter (where contacts_total = 1) as one_visit,
             count(*) filter (where not has_revenue) as without_revenue,
             sum(refunds_window_minor) as refunds,
             count(*) filter (where revenue_window_minor < 0) as net_negative
      from economics_customer_facts f
      where org_id = ${ctx.orgId} and ${scopeSql(scope, sql`f.unit_id`)}
      group by segment`),
  );
  const annualise = 12 / settings.windowMonths;
  const active = { promoter: 0, passive: 0, detractor: 0 };
  const activeRevenue = { promoter: 0, passive: 0, detractor: 0 };
  const quality: DataQuality = {
    customers: 0,
    unanswered: 0,
    oneVisit: 0,
    withoutRevenue: 0,
    refundsMinor: 0,
    netNegative: 0,
  };
  for (const r of counts) {
    quality.customers += Number(r.customers);
    quality.oneVisit += Number(r.one_visit);
    quality.withoutRevenue += Number(r.without_revenue);
    quality.refundsMinor += Number(r.refunds ?? 0);
    quality.netNegative += Number(r.net_negative);
    if (r.segment === null) {
      quality.unanswered += Number(r.customers);
      continue;
    }
    active[r.segment] = Number(r.active);
    activeRevenue[r.segment] = Math.max(0, Number(r.active_revenue ?? 0)) * annualise;
  }
  return { values, active, activeRevenue, quality };
}

const strip = (v: SegmentValueWithReplicates): SegmentValue => {
  const { replicates: _, ...rest } = v;
  return rest;
};

export async function segmentValuesReport(
  ctx: Ctx,
  query: { unitId?: string | null },
): Promise<ValuesReport> {
  const scope = await scopeOf(ctx, query.unitId);
  const state = await ensureFresh(ctx);
  const settings = await getEconomicsSettings(ctx);
  const org = await getOrg(ctx);
  const { values, active, activeRevenue, quality } = await computeSegmentValues(ctx, scope, settings);
  const referrals = await referralsOf(ctx, scope, values);
  return {
    asOf: ctx.clock().toISOString(),
    refreshedAt: state.refreshedAt.toISOString(),
    refresh: refreshStateOf(state),
    unitId: scope.unitId,
    currency: org.currency,
    assumptions: {
      ...assumptionsOf(settings),
      churnDays: settings.churnDays,
      windowMonths: settings.windowMonths,
      bootstrapSamples: settings.bootstrapSamples,
    },
    formula: LTV_FORMULA,
    segments: SEGMENTS.map((s) => ({
      ...strip(values[s]),
      active: active[s],
      activeRevenuePerYear: activeRevenue[s],
    })),
    differences: {
      promoterVsPassive: moneyDifference(values.promoter, values.passive),
      promoterVsDetractor: moneyDifference(values.promoter, values.detractor),
      passiveVsDetractor: moneyDifference(values.passive, values.detractor),
    },
    atStake: valueAtStake(values, active, activeRevenue.detractor),
    dataQuality: quality,
    referrals,
  };
}

async function referralsOf(
  ctx: Ctx,
  scope: Scope,
  values: Record<Segment, SegmentValue>,
): Promise<ValuesReport['referrals']> {
  const [marks] = rowsOf<{ n: number | string }>(
    await ctx.db.execute(sql`
      select count(*) as n from economics_customer_marks
      where org_id = ${ctx.orgId} and (referred_by_customer_id is not null or referral_source is not null)`),
  );
  if (Number(marks?.n ?? 0) === 0) return { available: false, bySegment: [], sources: [] };
  const inScope = scopeSql(scope, sql`r.unit_id`);
  // Referrals made by customers of each segment, and the segments of the customers they brought.
  const made = rowsOf<{ segment: Segment; referrals: number | string }>(
    await ctx.db.execute(sql`
      select r.segment, count(*) as referrals
      from economics_customer_facts n
      join economics_customer_facts r on r.org_id = n.org_id and r.customer_id = n.referred_by_customer_id
      where n.org_id = ${ctx.orgId} and r.segment is not null and ${inScope}
      group by r.segment`),
  );
  const referred = rowsOf<{ segment: Segment | null; n: number | string }>(
    await ctx.db.execute(sql`
      select n.segment, count(*) as n
      from economics_customer_facts n
      join economics_customer_facts r on r.org_id = n.org_id and r.customer_id = n.referred_by_customer_id
      where n.org_id = ${ctx.orgId} and ${inScope}
      group by n.segment`),
  );
  const customers = rowsOf<{ segment: Segment; n: number | string }>(
    await ctx.db.execute(sql`
      select segment, count(*) as n from economics_customer_facts r
      where org_id = ${ctx.orgId} and segment is not null and ${inScope} group by segment`),
  );
  // What a referred customer is worth: the LTV of the segments the referred customers are in, weighted by their
  // numbers (referred customers without an answer are valued at the average of those with one).
  let weight = 0;
  let sum = 0;
  for (const r of referred) {
    const ltv = r.segment ? values[r.segment].ltv?.value : undefined;
    if (ltv === undefined) continue;
    weight += Number(r.n);
    sum += Number(r.n) * ltv;
  }
  const referredLtv = weight > 0 ? sum / weight : null;
  const bySegment = SEGMENTS.map((s) =>
    referralValue(
      s,
      Number(customers.find((c) => c.segment === s)?.n ?? 0),
      Number(made.find((m) => m.segment === s)?.referrals ?? 0),
      finiteOrNull(referredLtv),
    ),
  );
  const sourceRows = rowsOf<{ source: string; segment: Segment | null; n: number | string }>(
    await ctx.db.execute(sql`
      select btrim(m.referral_source) as source, r.segment, count(*) as n
      from economics_customer_marks m
      join economics_customer_facts r on r.org_id = m.org_id and r.customer_id = m.customer_id
      where m.org_id = ${ctx.orgId} and m.referral_source is not null and btrim(m.referral_source) <> '' and ${inScope}
      group by 1, 2`),
  );
  const bySource = new Map<
    string,
    { source: string; customers: number; bySegment: Record<Segment, number> }
  >();
  for (const r of sourceRows) {
    const entry = bySource.get(r.source) ?? {
      source: r.source,
      customers: 0,
      bySegment: { promoter: 0, passive: 0, detractor: 0 },
    };
    entry.customers += Number(r.n);
    if (r.segment) entry.bySegment[r.segment] += Number(r.n);
    bySource.set(r.source, entry);
  }
  const sources = [...bySource.values()].sort((a, b) => b.customers - a.customers).slice(0, 20);
  return { available: true, bySegment, sources };
}

export interface CustomerValueRow {
  customerId: string;
  /** The customer's stable pseudonym (the same in every view and export). */
  pseudonym: string;
  /** The accounting system's id; null for analysts (pseudonymised access). */
  externalId: string | null;
  unitId: string | null;
  segment: Segment | null;
  score: number | null;
  answeredAt: string | null;
  revenueWindowMinor: number;
  contactsWindow: number;
  /** Contacts per year over the customer's time in the window. */
  visitsPerYear: number | null;
  tenureDays: number;
  firstContactAt: string;
  lastContactAt: string;
  lost: boolean;
}

/** Per-customer facts, highest window revenue first, paged by offset (an analyst's table, not an export). */
export async function customerValues(
  ctx: Ctx,
  query: { unitId?: string | null; segment?: Segment | null; limit: number; offset: number },
): Promise<{ total: number; items: CustomerValueRow[] }> {
  const scope = await scopeOf(ctx, query.unitId);
  await ensureFresh(ctx);
  const where = sql`f.org_id = ${ctx.orgId} and ${scopeSql(scope, sql`f.unit_id`)}
    and ${query.segment ? sql`f.segment = ${query.segment}` : sql`true`}`;
  const [count] = rowsOf<{ n: number | string }>(
    await ctx.db.execute(sql`select count(*) as n from economics_customer_facts f where ${where}`),
  );
  const rows = rowsOf<{
    customer_id: string;
    external_id: string | null;
    unit_id: string | null;
    segment: Segment | null;
    score: number | null;
    answered_at: string | Date | null;
    revenue_window_minor: number | string;
    contacts_window: number;
    exposure_years: number;
    first_contact_at: string | Date;
    last_contact_at: string | Date;
    lost: boolean;
  }>(
    await ctx.db.execute(sql`
      select f.customer_id, c.external_id, f.unit_id, f.segment, f.score, f.answered_at, f.revenue_window_minor,
             f.contacts_window, f.exposure_years, f.first_contact_at, f.last_contact_at, f.lost
      from economics_customer_facts f
      join customers c on c.org_id = f.org_id and c.id = f.customer_id
      where ${where}
      order by f.revenue_window_minor desc, f.customer_id
      limit ${query.limit} offset ${query.offset}`),
  );
  const now = ctx.clock().getTime();
  const personal = seesPersonalData(ctx);
  return {
    total: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      customerId: r.customer_id,
      pseudonym: customerPseudonym(ctx, r.customer_id),
      externalId: personal ? r.external_id : null,
      unitId: r.unit_id,
      segment: r.segment,
      score: r.score === null ? null : Number(r.score),
      answeredAt: r.answered_at === null ? null : new Date(r.answered_at).toISOString(),
      revenueWindowMinor: Number(r.revenue_window_minor),
      contactsWindow: Number(r.contacts_window),
      visitsPerYear:
        Number(r.exposure_years) > 0
          ? finiteOrNull(Number(r.contacts_window) / Number(r.exposure_years))
          : null,
      tenureDays: Math.max(0, Math.floor((now - new Date(r.first_contact_at).getTime()) / 86_400_000)),
      firstContactAt: new Date(r.first_contact_at).toISOString(),
      lastContactAt: new Date(r.last_contact_at).toISOString(),
      lost: Boolean(r.lost),
    })),
  };
}
