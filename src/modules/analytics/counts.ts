// Score counts (0–10) per group for a scope, from the cheapest source that can answer: the monthly and daily
// rollups by unit and channel or by employee, the facet rollup, or — for combinations no rollup holds — the answers.
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import type { Facet } from '../../db/schema/analytics.js';
import { addDays, daysBetween, type Grain, startOfLocalDay } from '../../domain/period.js';
import { answerFacetsSql, boundsOf, NO_UNIT } from '../answers/index.js';
import { employeeDirectory } from '../employees/index.js';
import type { Ctx } from '../kernel/index.js';
import type { Scope } from './scope.js';

export type GroupKey =
  | { kind: 'all' }
  | { kind: 'bucket'; grain: Grain }
  | { kind: 'unit' }
  | { kind: 'employee' }
  | { kind: 'channel' }
  | { kind: 'survey' }
  | { kind: 'facet'; facet: Facet };

export type Source = 'monthly+daily rollups' | 'daily rollup' | 'facet rollup' | 'answers';

export interface Counted {
  counts: Map<string, number[]>;
  source: Source;
}

const COUNTS = Array.from({ length: 11 }, (_, s) => `c${s}`);
const sumCounts = sql.raw(COUNTS.map((c) => `coalesce(sum(${c}), 0)::int as ${c}`).join(', '));
const negatedSums = sql.raw(COUNTS.map((c) => `-coalesce(sum(${c}), 0)::int as ${c}`).join(', '));
const sumScores = sql.raw(
  COUNTS.map((c, s) => `count(*) filter (where score = ${s})::int as ${c}`).join(', '),
);
const countsOf = (r: Record<string, unknown>) => COUNTS.map((c) => Number(r[c] ?? 0));

const bucketExpr = (column: string, grain: Grain) =>
  sql.raw(
    grain === 'week'
      ? `to_char(${column}, 'IYYY-"W"IW')`
      : grain === 'month'
        ? `to_char(${column}, 'YYYY-MM')`
        : `to_char(${column}, 'YYYY-"Q"Q')`,
  );

const idList = (ids: Iterable<string>) =>
  sql.join(
    [...ids].map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** Which source can answer this scope and grouping; see the module comment. */
export function sourceFor(scope: Scope, key: GroupKey): 'unit' | 'employee' | 'facet' | 'answers' {
  const facetFilters = Object.keys(scope.facets) as Facet[];
  if (scope.audience === 'employee') return 'unit';
  const byFacet = key.kind === 'facet' ? key.facet : null;
  const onFacets = new Set([...facetFilters, ...(byFacet ? [byFacet] : [])]);
  if (onFacets.size > 0) {
    const simple = onFacets.size === 1 && !scope.employeeId && !scope.channel;
    const keyOk = ['all', 'bucket', 'unit', 'survey', 'facet'].includes(key.kind);
    return simple && keyOk ? 'facet' : 'answers';
  }
  // The employee rollups have no unit or channel column: one employee's answers by unit or channel come from the answers.
  if (scope.employeeId || key.kind === 'employee')
    return scope.channel || key.kind === 'unit' || key.kind === 'channel' ? 'answers' : 'employee';
  return 'unit';
}

/** Score counts per group of the scope over [from, to] (the scope's period unless given). */
export async function countBy(
  ctx: Ctx,
  scope: Scope,
  key: GroupKey,
  period: { from: string; to: string } = scope,
): Promise<Counted> {
  const [counted] = await countMany(ctx, scope, [{ key, period }]);
  return counted!;
}

export interface CountRequest {
  key: GroupKey;
  period: { from: string; to: string };
}

/**
 * Several groupings and periods of one scope, counted in one statement (a UNION ALL of each request's reads, tagged
 * with the request's index): a dashboard view costs one round trip, not one per number.
 */
export async function countMany(ctx: Ctx, scope: Scope, requests: CountRequest[]): Promise<Counted[]> {
  const results: Counted[] = [];
  const parts: SQL[] = [];
  for (const [i, req] of requests.entries()) {
    const read = await readFor(ctx, scope, req.key, req.period);
    results.push({ counts: new Map(), source: read.source });
    parts.push(
      ...read.parts.map(
        (part) => sql`select ${i}::int as tag, * from (${part}) p${sql.raw(String(parts.length))}`,
      ),
    );
  }
  if (parts.length === 0) return results;
  const rows = rowsOf<Record<string, unknown>>(await ctx.db.execute(sql.join(parts, sql` union all `)));
  for (const r of rows) addInto(results[Number(r.tag)]!.counts, String(r.key), countsOf(r));
  // A group whose answers all fell on the days taken away from a month has nothing left: it is not a group here.
  for (const result of results) {
    for (const [k, c] of result.counts) if (c.every((x) => x === 0)) result.counts.delete(k);
  }
  return results;
}

/** The SELECTs (key, c0…c10) that count one request, and which source they read. */
async function readFor(
  ctx: Ctx,
  scope: Scope,
  key: GroupKey,
  period: { from: string; to: string },
): Promise<{ parts: SQL[]; source: Source }> {
  const source = sourceFor(scope, key);
  if (scope.surveyIds.length === 0 || (scope.units && scope.units.size === 0) || period.from > period.to) {
    return { parts: [], source: source === 'answers' ? 'answers' : 'daily rollup' };
  }
  if (source === 'answers') return { parts: [answersPart(ctx, scope, key, period)], source: 'answers' };
  if (source === 'facet') return { parts: [facetPart(ctx, scope, key, period)], source: 'facet rollup' };

  // Unit and employee rollups have a monthly twin: whole months inside the period are read from it.
  const employee = source === 'employee';
  const table = employee ? 'employee' : 'unit';
  const where: SQL[] = [sql`org_id = ${ctx.orgId}::uuid`, sql`survey_id in (${idList(scope.surveyIds)})`];
  if (employee) {
    const ids = await employeeIdsIn(ctx, scope);
    if (ids !== null) {
      if (ids.length === 0) return { parts: [], source: 'daily rollup' };
      where.push(sql`employee_id in (${idList(ids)})`);
    }
  } else {
    if (scope.units) where.push(sql`unit_id in (${idList(scope.units)})`);
    if (scope.channel) where.push(sql`channel = ${scope.channel}`);
  }
  const weekly = key.kind === 'bucket' && key.grain === 'week';
  const pieces: Piece[] = weekly
    ? [{ monthly: false, ...period, sign: 1 }]
    : joinWholeMonths(splitByMonths(period.from, period.to));
  const parts = pieces.map((piece) => {
    const column = piece.monthly ? 'month' : 'day';
    return sql`
      select ${keySql(key, column)} as key, ${piece.sign === 1 ? sumCounts : negatedSums}
      from ${sql.raw(`nps_${piece.monthly ? 'monthly' : 'daily'}_${table}`)}
      where ${sql.join(where, sql` and `)}
        and ${sql.raw(column)} between ${piece.from}::date and ${piece.to}::date
      group by 1`;
  });
  return { parts, source: pieces.some((p) => p.monthly) ? 'monthly+daily rollups' : 'daily rollup' };
}

function keySql(key: GroupKey, column: string): SQL {
  switch (key.kind) {
    case 'all':
      return sql`'all'`;
    case 'bucket':
      return bucketExpr(column, key.grain);
    case 'unit':
      return sql`unit_id::text`;
    case 'employee':
      return sql`employee_id::text`;
    case 'channel':
      return sql`channel`;
    case 'survey':
      return sql`survey_id::text`;
    case 'facet':
      return sql`value`;
  }
}

/** Employees whose answers count: the one asked for, or those in the unit filter (null = all). */
async function employeeIdsIn(ctx: Ctx, scope: Scope): Promise<string[] | null> {
  if (scope.employeeId) {
    if (!scope.units) return [scope.employeeId];
    const e = (await employeeDirectory(ctx)).get(scope.employeeId);
    return e && scope.units.has(e.unitId) ? [scope.employeeId] : [];
  }
  if (!scope.units) return null;
  return [...(await employeeDirectory(ctx)).entries()]
    .filter(([, e]) => scope.units!.has(e.unitId))
    .map(([id]) => id);
}

function facetPart(ctx: Ctx, scope: Scope, key: GroupKey, period: { from: string; to: string }): SQL {
  const [filtered] = Object.entries(scope.facets) as [Facet, string][];
  const facet = key.kind === 'facet' ? key.facet : filtered![0];
  const where: SQL[] = [
    sql`org_id = ${ctx.orgId}::uuid`,
    sql`survey_id in (${idList(scope.surveyIds)})`,
    sql`facet = ${facet}`,
    sql`day between ${period.from}::date and ${period.to}::date`,
  ];
  if (filtered) where.push(sql`value = ${filtered[1]}`);
  if (scope.units) where.push(sql`unit_id in (${idList(scope.units)})`);
  return sql`
    select ${keySql(key, 'day')} as key, ${sumCounts} from nps_daily_facet
    where ${sql.join(where, sql` and `)} group by 1`;
}

/**
 * The customer answers of the scope with their facets (the same definition the facet rollup is built from), as a
 * SQL relation with columns id, survey_id, day, unit_id, channel, employee_id, customer_id, score, reason,
 * answered_at, service, revenue, visits, tenure.
 */
export function scopedAnswersSql(ctx: Ctx, scope: Scope, period: { from: string; to: string }): SQL {
  const start = startOfLocalDay(period.from, scope.timeZone);
  const end = startOfLocalDay(addDays(period.to, 1), scope.timeZone);
  const where: SQL[] = [
    sql`r.org_id = ${ctx.orgId}::uuid`,
    sql`r.survey_id in (${idList(scope.surveyIds)})`,
    sql`r.answered_at >= ${start.toISOString()}::timestamptz`,
    sql`r.answered_at < ${end.toISOString()}::timestamptz`,
  ];
  if (scope.units) where.push(sql`r.unit_id in (${idList(scope.units)})`);
  if (scope.channel) where.push(sql`r.channel = ${scope.channel}`);
  if (scope.employeeId) where.push(sql`r.employee_id = ${scope.employeeId}::uuid`);
  const source = sql`
    select r.org_id, r.survey_id, (r.answered_at at time zone ${scope.timeZone})::date as day,
      coalesce(r.unit_id, ${NO_UNIT}::uuid) as unit_id, r.customer_id, r.contact_id, r.channel, r.employee_id,
      r.score::int as score, 1 as sign, r.id, r.reason, r.answered_at
    from responses r where ${sql.join(where, sql` and `)}`;
  const facetWhere = (Object.entries(scope.facets) as [Facet, string][]).map(
    ([facet, value]) => sql`a.${sql.identifier(facet)} = ${value}`,
  );
  return sql`
    select * from (${answerFacetsSql(source, boundsOf(sql`select ${ctx.orgId}::uuid`))}) a
    ${facetWhere.length ? sql`where ${sql.join(facetWhere, sql` and `)}` : sql``}`;
}

function answersPart(ctx: Ctx, scope: Scope, key: GroupKey, period: { from: string; to: string }): SQL {
  const keyExpr = key.kind === 'facet' ? sql`a.${sql.identifier(key.facet)}` : keySql(key, 'day');
  return sql`select ${keyExpr} as key, ${sumScores} from (${scopedAnswersSql(ctx, scope, period)}) a group by 1`;
}

export interface Piece {
  monthly: boolean;
  from: string;
  to: string;
  /** −1: counts to take away (the days of a month outside the period, when reading the month whole is cheaper). */
  sign: 1 | -1;
}

const monthStart = (day: string) => `${day.slice(0, 8)}01`;
const monthEnd = (day: string) => addDays(`${addDays(monthStart(day), 40).slice(0, 8)}01`, -1);

/**
 * [from, to] cut into whole months (the monthly rollup) and days (the daily rollup). A partial month that covers
 * more than half its days is read as the whole month minus the days outside the period, so no period reads more
 * than about half a month of days at either end.
 */
export function splitByMonths(from: string, to: string): Piece[] {
  const pieces: Piece[] = [];
  let cursor = from;
  while (cursor <= to) {
    const start = monthStart(cursor);
    const end = monthEnd(cursor);
    const last = end < to ? end : to;
    const days = daysBetween(cursor, last) + 1;
    const length = daysBetween(start, end) + 1;
    if (days === length) pieces.push({ monthly: true, from: start, to: end, sign: 1 });
    else if (days * 2 > length) {
      pieces.push({ monthly: true, from: start, to: end, sign: 1 });
      if (cursor > start) pieces.push({ monthly: false, from: start, to: addDays(cursor, -1), sign: -1 });
      if (last < end) pieces.push({ monthly: false, from: addDays(last, 1), to: end, sign: -1 });
    } else pieces.push({ monthly: false, from: cursor, to: last, sign: 1 });
    cursor = addDays(end, 1);
  }
  return pieces;
}

/**
 * Adjacent whole months read as one range of the monthly rollup: a period of years is a few SELECTs, not one per
 * month (an "all time" view from 2000 would otherwise send hundreds of them in one statement).
 */
export function joinWholeMonths(pieces: Piece[]): Piece[] {
  const joined: Piece[] = [];
  for (const piece of pieces) {
    const last = joined.at(-1);
    if (
      last?.monthly &&
      piece.monthly &&
      last.sign === 1 &&
      piece.sign === 1 &&
      addDays(last.to, 1) === piece.from
    ) {
      joined[joined.length - 1] = { ...last, to: piece.to };
    } else joined.push(piece);
  }
  return joined;
}

export function addInto(map: Map<string, number[]>, key: string, counts: readonly number[]) {
  const entry = map.get(key);
  if (!entry) map.set(key, [...counts]);
  else
    counts.forEach((c, s) => {
      entry[s]! += c;
    });
}

export const zeroCounts = () => new Array<number>(11).fill(0);
