// Forecast of segment shares and NPS (Markov chain over the observed transitions, and the NPS trend), and proposed
// targets for the company and each unit — the service the goals module reads.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import { SEGMENTS } from '../../domain/economics.js';
import { type ProposedTarget, proposeTarget } from '../../domain/economics-scenarios.js';
import {
  type ForecastStep,
  MIN_ROW_TRANSITIONS,
  markovForecast,
  npsOfShares,
  npsTrend,
  type Shares,
  stationaryShares,
  type TransitionCounts,
  type TrendForecast,
} from '../../domain/economics-transitions.js';
import type { Segment } from '../../domain/nps.js';
import { industryReference } from '../benchmarks/index.js';
import type { Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { unitsById } from '../units/index.js';
import { ensureFresh } from './refresh.js';
import { type Scope, scopeOf, scopeSql } from './scope.js';
import { getEconomicsSettings } from './settings.js';
import { countsFor, MIN_UNIT_TRANSITIONS, type TransitionData, transitionData } from './transitions.js';

/** Segment shares are forecast only from a base of at least this many active customers with a segment. */
export const MIN_BASE = 30;
const FORECAST_SAMPLES = 400;

type Counts = Record<Segment, number>;
const zero = (): Counts => ({ promoter: 0, passive: 0, detractor: 0 });
const nOf = (c: Counts) => c.promoter + c.passive + c.detractor;
const sharesOf = (c: Counts): Shares => {
  const n = nOf(c);
  return { promoter: c.promoter / n, passive: c.passive / n, detractor: c.detractor / n };
};

/** Active customers per unit and segment (their latest answer), from the per-customer cache. */
export async function baseByUnit(ctx: Ctx, scope: Scope): Promise<Map<string, Counts>> {
  const rows = rowsOf<{ unit_id: string | null; segment: Segment; n: number | string }>(
    await ctx.db.execute(sql`
      select unit_id, segment, count(*) as n from economics_customer_facts f
      where org_id = ${ctx.orgId} and segment is not null and not lost and ${scopeSql(scope, sql`f.unit_id`)}
      group by 1, 2`),
  );
  const out = new Map<string, Counts>();
  for (const r of rows) {
    const key = r.unit_id ?? 'none';
    const c = out.get(key) ?? zero();
    c[r.segment] += Number(r.n);
    out.set(key, c);
  }
  return out;
}

/** Sums the per-unit base over a set of units (a subtree), or everything when null. */
export function baseOf(byUnit: Map<string, Counts>, unitIds: string[] | null): Counts {
  const sum = zero();
  const keys = unitIds ?? [...byUnit.keys()];
  for (const id of keys) {
    const c = byUnit.get(id);
    if (!c) continue;
    for (const s of SEGMENTS) sum[s] += c[s];
  }
  return sum;
}

/** Customer NPS per period (org zone) from the daily rollups, oldest first, empty periods as null. */
async function npsHistory(ctx: Ctx, scope: Scope, period: 'month' | 'quarter', count: number) {
  const org = await getOrg(ctx);
  const format = period === 'month' ? 'YYYY-MM' : 'YYYY-"Q"Q';
  const rows = rowsOf<{ period: string; p: number | string; d: number | string; n: number | string }>(
    await ctx.db.execute(sql`
      select to_char(d.day, ${format}) as period, sum(c9 + c10) as p, sum(c0 + c1 + c2 + c3 + c4 + c5 + c6) as d,
             sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10) as n
      from nps_daily_unit d
      join surveys s on s.org_id = d.org_id and s.id = d.survey_id and s.audience = 'customer'
      where d.org_id = ${ctx.orgId} and ${scopeSql(scope, sql`d.unit_id`)}
      group by 1 order by 1`),
  );
  // The last `count` periods up to today's, empty ones included, so the trend's x is calendar time.
  const keys: string[] = [];
  const now = new Date(ctx.clock().toLocaleString('en-US', { timeZone: org.timeZone }));
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(now.getFullYear(), now.getMonth() - (period === 'month' ? i : 3 * i), 1);
    keys.push(
      period === 'month'
        ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`
        : `${d.getFullYear()}-Q${Math.floor(d.getMonth() / 3) + 1}`,
    );
  }
  const byKey = new Map(rows.map((r) => [r.period, r]));
  return keys.map((key) => {
    const r = byKey.get(key);
    const n = Number(r?.n ?? 0);
    return { period: key, n, nps: n > 0 ? (100 * (Number(r?.p) - Number(r?.d))) / n : null };
  });
}

export interface ForecastReport {
  unitId: string | null;
  period: 'month' | 'quarter';
  /** Mean days between a customer's consecutive answers: the length of one Markov step. */
  stepDays: number | null;
  base: { customers: number; shares: Shares | null; nps: number | null };
  insufficient: 'too_few_customers' | 'too_few_transitions' | null;
  /** Rows of the matrix estimated from fewer than MIN_ROW_TRANSITIONS transitions (their uncertainty is wide). */
  thinRows: Segment[];
  markov: ForecastStep[];
  longRun: Shares | null;
  history: { period: string; n: number; nps: number | null }[];
  trend: TrendForecast | null;
  /** The same forecast started from a scenario's shares (what-if), when one was given. */
  whatIf: { name: string; start: Shares; markov: ForecastStep[] } | null;
}

const HISTORY_PERIODS = { month: 18, quarter: 8 } as const;

export async function forecastReport(
  ctx: Ctx,
  query: { unitId?: string | null; periods?: number; whatIf?: { name: string; shares: Shares } | null },
): Promise<ForecastReport> {
  const scope = await scopeOf(ctx, query.unitId);
  await ensureFresh(ctx);
  const settings = await getEconomicsSettings(ctx);
  const periods = query.periods ?? 4;
  const data = await transitionData(ctx, scope);
  const base = baseOf(await baseByUnit(ctx, scope), null);
  const history = await npsHistory(
    ctx,
    scope,
    settings.forecastPeriod,
    HISTORY_PERIODS[settings.forecastPeriod],
  );
  const trend = npsTrend(
    history.map((h) => (h.n > 0 ? h.nps : null)),
    periods,
  );
  const n = nOf(base);
  const thinRows = SEGMENTS.filter(
    (s) => SEGMENTS.reduce((a, t) => a + data.total[s][t], 0) < MIN_ROW_TRANSITIONS,
  );
  const insufficient =
    n < MIN_BASE ? 'too_few_customers' : thinRows.length === 3 ? 'too_few_transitions' : null;
  const seed = `${ctx.orgId}:${scope.unitId ?? 'all'}`;
  const run = (start: Shares) =>
    markovForecast(start, data.total, periods, { samples: FORECAST_SAMPLES, seed: `${seed}:markov` });
  return {
    unitId: scope.unitId,
    period: settings.forecastPeriod,
    stepDays: data.meanDaysBetween,
    base: {
      customers: n,
      shares: n > 0 ? sharesOf(base) : null,
      nps: n > 0 ? npsOfShares(sharesOf(base)) : null,
    },
    insufficient,
    thinRows,
    markov: insufficient ? [] : run(sharesOf(base)),
    longRun: insufficient ? null : stationaryShares(data.total),
    history,
    trend,
    whatIf:
      insufficient || !query.whatIf
        ? null
        : { name: query.whatIf.name, start: query.whatIf.shares, markov: run(query.whatIf.shares) },
  };
}

export interface TargetRow extends ProposedTarget {
  unitId: string | null;
  name: string | null;
  customers: number;
}

export interface ProposedTargets {
  period: 'month' | 'quarter';
  periods: number;
  company: TargetRow;
  units: TargetRow[];
}

/** The uplift in NPS points if the detractors not reached by the loop were reached with its observed effect. */
function loopUpliftOf(data: TransitionData, shares: Shares): number | null {
  const reached = data.detractorWithCase;
  const missed = data.detractorWithoutCase;
  const nWith = nOf(reached);
  const nWithout = nOf(missed);
  if (nWith < MIN_ROW_TRANSITIONS || nWithout < MIN_ROW_TRANSITIONS) return null;
  const effect = (reached.promoter + reached.passive) / nWith - (missed.promoter + missed.passive) / nWithout;
  if (!(effect > 0)) return 0;
  const coverage = nWith / (nWith + nWithout);
  // Each detractor moved up at least to passive raises the NPS by 100/n points.
  return 100 * shares.detractor * (1 - coverage) * effect;
}

function forecastAt(start: Counts, counts: TransitionCounts, periods: number, seed: string) {
  if (nOf(start) < MIN_BASE) return null;
  // Thin rows stay in the chain (a row with none keeps its customers) and widen the band through the posterior.
  const transitions = SEGMENTS.reduce((a, f) => a + SEGMENTS.reduce((b, t) => b + counts[f][t], 0), 0);
  if (transitions < MIN_UNIT_TRANSITIONS) return null;
  const steps = markovForecast(sharesOf(start), counts, periods, { samples: 200, seed });
  const last = steps[steps.length - 1] as ForecastStep;
  return { nps: last.nps, ci95: last.npsCi95, steps: periods };
}

/**
 * Proposed NPS targets for the company and each unit the actor sees: reachable from the Markov forecast plus the
 * closed loop's observed uplift, ambitious from the best unit of the same kind and the industry leader (benchmarks
 * module). A unit uses its own transitions when every row has enough of them, else the company's. Used by goals.
 */
export async function proposedTargets(
  ctx: Ctx,
  query: { periods?: number; unitId?: string | null } = {},
): Promise<ProposedTargets> {
  const scope = await scopeOf(ctx, query.unitId);
  await ensureFresh(ctx);
  const settings = await getEconomicsSettings(ctx);
  const periods = query.periods ?? 4;
  const data = await transitionData(ctx, scope);
  const byUnit = await baseByUnit(ctx, scope);
  const units = await unitsById(ctx);
  const reference = await industryReference(ctx).catch(() => null);
  const leader =
    reference?.leader && reference.industry
      ? { nps: reference.leader.value, industry: reference.industry.en }
      : reference?.leader
        ? { nps: reference.leader.value, industry: reference.leader.name.en }
        : null;

  const visible = scope.unitIds === null ? [...units.keys()] : scope.unitIds;
  const subtreeOf = (id: string) => {
    const path = units.get(id)?.path ?? '';
    return [...units.values()].filter((u) => u.path.startsWith(path)).map((u) => u.id);
  };
  const rows = visible
    .map((id) => {
      const subtree = subtreeOf(id);
      return { id, subtree, base: baseOf(byUnit, subtree), kind: units.get(id)?.kind ?? 'branch' };
    })
    .filter((u) => nOf(u.base) > 0);
  const currentOf = (c: Counts) => (nOf(c) >= MIN_BASE ? { nps: npsOfShares(sharesOf(c)), n: nOf(c) } : null);
  const bestOfKind = (kind: string, except: string | null) => {
    const peers = rows
      .filter((r) => r.kind === kind && r.id !== except && nOf(r.base) >= MIN_BASE)
      .map((r) => ({ nps: npsOfShares(sharesOf(r.base)), unitName: units.get(r.id)?.name ?? '' }))
      .sort((a, b) => b.nps - a.nps);
    return peers[0] ?? null;
  };
  const targetFor = (
    id: string | null,
    start: Counts,
    counts: TransitionCounts,
    best: ReturnType<typeof bestOfKind>,
  ) =>
    proposeTarget({
      current: currentOf(start),
      forecast: forecastAt(start, counts, periods, `${ctx.orgId}:${id ?? 'all'}:target`),
      loopUplift: nOf(start) > 0 ? loopUpliftOf(data, sharesOf(start)) : null,
      bestUnit: best,
      industryLeader: leader,
    });

  const companyBase = scope.unitId ? baseOf(byUnit, scope.unitIds) : baseOf(byUnit, null);
  const companyName = scope.unitId ? (units.get(scope.unitId)?.name ?? null) : null;
  const company: TargetRow = {
    unitId: scope.unitId,
    name: companyName,
    customers: nOf(companyBase),
    ...targetFor(scope.unitId, companyBase, data.total, bestOfKind('branch', null)),
  };
  const unitRows: TargetRow[] = rows
    .filter((r) => r.id !== scope.unitId && r.kind !== 'company')
    .map((r) => {
      const own = countsFor(data, r.subtree);
      const ownEnough = SEGMENTS.every(
        (s) => SEGMENTS.reduce((a, t) => a + own[s][t], 0) >= MIN_ROW_TRANSITIONS,
      );
      return {
        unitId: r.id,
        name: units.get(r.id)?.name ?? null,
        customers: nOf(r.base),
        ...targetFor(r.id, r.base, ownEnough ? own : data.total, bestOfKind(r.kind, r.id)),
      };
    })
    .sort((a, b) => b.customers - a.customers);
  return { period: settings.forecastPeriod, periods, company, units: unitRows };
}
