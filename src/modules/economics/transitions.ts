// Moving between segments as observed: consecutive answers of the same customer (one window function over answers),
// per period and per unit, the closed loop's effect on the detractor row, and the cost of moving a customer.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import { SEGMENTS } from '../../domain/economics.js';
import {
  type CaseOutcome,
  cheapestMove,
  type MoveCost,
  moveCostsFromCases,
  type ProgrammeCost,
  programmeCosts,
} from '../../domain/economics-scenarios.js';
import {
  addCounts,
  type ClosedLoopEffect,
  closedLoopEffect,
  emptyCounts,
  type MatrixRow,
  MIN_ROW_TRANSITIONS,
  type TransitionCounts,
  transitionMatrix,
} from '../../domain/economics-transitions.js';
import type { Segment } from '../../domain/nps.js';
import type { Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { unitsById } from '../units/index.js';
import { type Scope, scopeOf, scopeSql } from './scope.js';
import { getEconomicsSettings, listProgrammes } from './settings.js';

/** A unit gets its own matrix from this many transitions (every row still needs MIN_ROW_TRANSITIONS). */
export const MIN_UNIT_TRANSITIONS = 30;

const segmentSql = (column: string) =>
  sql.raw(`case when ${column} >= 9 then 'promoter' when ${column} >= 7 then 'passive' else 'detractor' end`);

interface PairRow {
  from_segment: Segment;
  to_segment: Segment;
  period: string;
  unit_id: string | null;
  closed_case: boolean;
  n: number | string;
  gap_days: number | string | null;
}

export interface TransitionData {
  total: TransitionCounts;
  /** Transitions out of a detractor answer whose case was closed before the next answer, and the rest. */
  detractorWithCase: Record<Segment, number>;
  detractorWithoutCase: Record<Segment, number>;
  byPeriod: Map<string, TransitionCounts>;
  byUnit: Map<string, TransitionCounts>;
  transitions: number;
  meanDaysBetween: number | null;
}

/**
 * Every pair of consecutive answers of a customer (ordered by time) as (segment before → segment after), counted
 * per period of the later answer (in the org's zone) and per its unit. An answer whose case was closed (resolved or
 * not) is the "with the closed loop" side of the detractor row.
 */
export async function transitionData(ctx: Ctx, scope: Scope): Promise<TransitionData> {
  const settings = await getEconomicsSettings(ctx);
  const org = await getOrg(ctx);
  const format = settings.forecastPeriod === 'month' ? 'YYYY-MM' : 'YYYY-"Q"Q';
  const rows = rowsOf<PairRow>(
    await ctx.db.execute(sql`
      with r as (
        select id, score, answered_at, unit_id,
               lag(score) over w as prev_score, lag(id) over w as prev_id, lag(answered_at) over w as prev_at
        from responses
        where org_id = ${ctx.orgId} and customer_id is not null
        window w as (partition by customer_id order by answered_at, id)
      )
      select ${segmentSql('r.prev_score')} as from_segment, ${segmentSql('r.score')} as to_segment,
             to_char(r.answered_at at time zone ${org.timeZone}, ${format}) as period, r.unit_id,
             (c.status is not null and c.status in ('resolved', 'unresolved') and c.closed_at <= r.answered_at) as closed_case,
             count(*) as n, avg(extract(epoch from r.answered_at - r.prev_at)) / 86400 as gap_days
      from r
      left join cases c on c.org_id = ${ctx.orgId} and c.response_id = r.prev_id
      where r.prev_score is not null and ${scopeSql(scope, sql`r.unit_id`)}
      group by 1, 2, 3, 4, 5`),
  );
  const data: TransitionData = {
    total: emptyCounts(),
    detractorWithCase: { promoter: 0, passive: 0, detractor: 0 },
    detractorWithoutCase: { promoter: 0, passive: 0, detractor: 0 },
    byPeriod: new Map(),
    byUnit: new Map(),
    transitions: 0,
    meanDaysBetween: null,
  };
  let gapSum = 0;
  for (const r of rows) {
    const n = Number(r.n);
    data.total[r.from_segment][r.to_segment] += n;
    data.transitions += n;
    gapSum += n * Number(r.gap_days ?? 0);
    if (r.from_segment === 'detractor') {
      (r.closed_case ? data.detractorWithCase : data.detractorWithoutCase)[r.to_segment] += n;
    }
    const period = data.byPeriod.get(r.period) ?? emptyCounts();
    period[r.from_segment][r.to_segment] += n;
    data.byPeriod.set(r.period, period);
    const key = r.unit_id ?? 'none';
    const unit = data.byUnit.get(key) ?? emptyCounts();
    unit[r.from_segment][r.to_segment] += n;
    data.byUnit.set(key, unit);
  }
  data.meanDaysBetween = data.transitions > 0 ? gapSum / data.transitions : null;
  return data;
}

const totalOf = (c: TransitionCounts) =>
  SEGMENTS.reduce((s, f) => s + SEGMENTS.reduce((t, to) => t + c[f][to], 0), 0);

export interface TransitionsReport {
  unitId: string | null;
  transitions: number;
  meanDaysBetween: number | null;
  minRowTransitions: number;
  matrix: MatrixRow[];
  insufficient: 'too_few_transitions' | null;
  byPeriod: { period: string; transitions: number; matrix: MatrixRow[] }[];
  byUnit: { unitId: string | null; name: string | null; transitions: number; matrix: MatrixRow[] | null }[];
  closedLoop: ClosedLoopEffect & { detractorRowWithCase: MatrixRow; detractorRowWithoutCase: MatrixRow };
}

export async function transitionsReport(
  ctx: Ctx,
  query: { unitId?: string | null },
): Promise<TransitionsReport> {
  const scope = await scopeOf(ctx, query.unitId);
  const data = await transitionData(ctx, scope);
  const units = await unitsById(ctx);
  const detractorRow = (counts: Record<Segment, number>) =>
    transitionMatrix({ ...emptyCounts(), detractor: counts })[2] as MatrixRow;
  const effect = closedLoopEffect(data.detractorWithCase, data.detractorWithoutCase);
  return {
    unitId: scope.unitId,
    transitions: data.transitions,
    meanDaysBetween: data.meanDaysBetween,
    minRowTransitions: MIN_ROW_TRANSITIONS,
    matrix: transitionMatrix(data.total),
    insufficient: data.transitions < MIN_ROW_TRANSITIONS ? 'too_few_transitions' : null,
    byPeriod: [...data.byPeriod.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([period, counts]) => ({
        period,
        transitions: totalOf(counts),
        matrix: transitionMatrix(counts),
      })),
    byUnit: [...data.byUnit.entries()]
      .map(([id, counts]) => {
        const n = totalOf(counts);
        return {
          unitId: id === 'none' ? null : id,
          name: id === 'none' ? null : (units.get(id)?.name ?? null),
          transitions: n,
          // Where n does not allow, no matrix: the UI says so instead of printing shaky shares.
          matrix: n >= MIN_UNIT_TRANSITIONS ? transitionMatrix(counts) : null,
        };
      })
      .sort((a, b) => b.transitions - a.transitions),
    closedLoop: {
      ...effect,
      detractorRowWithCase: detractorRow(data.detractorWithCase),
      detractorRowWithoutCase: detractorRow(data.detractorWithoutCase),
    },
  };
}

/** Matrix counts for a forecast: the unit's own when every row has enough transitions, else the scope's. */
export function countsFor(data: TransitionData, unitIds: string[] | null): TransitionCounts {
  if (unitIds === null) return data.total;
  let sum = emptyCounts();
  for (const id of unitIds) {
    const c = data.byUnit.get(id);
    if (c) sum = addCounts(sum, c);
  }
  return sum;
}

export interface MoveCostsReport {
  currency: string;
  fromCases: MoveCost[];
  programmes: ProgrammeCost[];
  /** The cheapest known cost of moving one customer, per from → to. */
  cheapest: {
    from: Segment;
    to: Segment;
    costPerMoved: number;
    source: 'programme' | 'cases';
    programmeId?: string;
  }[];
}

/** Closed cases grouped by opening segment, re-survey segment and action, with their recorded costs (one GROUP BY). */
async function caseOutcomes(ctx: Ctx, scope: Scope): Promise<CaseOutcome[]> {
  const rows = rowsOf<{
    from_segment: Segment;
    resurveyed: Segment | null;
    action: string | null;
    cases: number | string;
    costed: number | string;
    cost: number | string | null;
  }>(
    await ctx.db.execute(sql`
      select ${segmentSql('c.score')} as from_segment,
             case when c.resurvey_score is null then null else ${segmentSql('c.resurvey_score')} end as resurveyed,
             nullif(btrim(c.action_taken), '') as action,
             count(*) as cases,
             count(*) filter (where c.action_cost_minor >= 0) as costed,
             sum(c.action_cost_minor) filter (where c.action_cost_minor >= 0) as cost
      from cases c
      where c.org_id = ${ctx.orgId} and c.status in ('resolved', 'unresolved') and ${scopeSql(scope, sql`c.unit_id`)}
      group by 1, 2, 3`),
  );
  return rows.map((r) => ({
    from: r.from_segment,
    resurveyed: r.resurveyed,
    action: r.action,
    cases: Number(r.cases),
    costedCases: Number(r.costed),
    costMinor: Number(r.cost ?? 0),
  }));
}

export async function moveCosts(ctx: Ctx, scope: Scope): Promise<MoveCostsReport> {
  const org = await getOrg(ctx);
  const outcomes = await caseOutcomes(ctx, scope);
  const fromCases = moveCostsFromCases(outcomes);
  const programmes = programmeCosts(await listProgrammes(ctx), outcomes);
  const cheapest: MoveCostsReport['cheapest'] = [];
  for (const from of SEGMENTS) {
    for (const to of SEGMENTS) {
      const best = cheapestMove(from, to, fromCases, programmes);
      if (best) cheapest.push({ from, to, ...best });
    }
  }
  return { currency: org.currency, fromCases, programmes, cheapest };
}

export async function moveCostsReport(ctx: Ctx, query: { unitId?: string | null }): Promise<MoveCostsReport> {
  return moveCosts(ctx, await scopeOf(ctx, query.unitId));
}
