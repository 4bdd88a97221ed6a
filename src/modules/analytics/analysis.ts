// The analyses of one audience (customers or employees): summary, dynamics with significance, drill-down, fair
// rankings, and the answers behind any number — all over the same filters.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/index.js';
import { facets as facetNames } from '../../db/schema/analytics.js';
import { unitKinds } from '../../db/schema/orgs.js';
import { type Tally, tallyFromCounts } from '../../domain/nps.js';
import { CHANGE_TEST, MARK_TEST, type Mark, markGroups, testChange } from '../../domain/nps-significance.js';
import {
  addDays,
  bucketEnd,
  bucketKey,
  bucketStart,
  daysBetween,
  type Grain,
  previousPeriod,
  shiftBucket,
  startOfLocalDay,
  yearAgoBucket,
} from '../../domain/period.js';
import { wilsonInterval } from '../../domain/proportion-interval.js';
import { shrinkNps } from '../../domain/shrinkage.js';
import { employeeGuard, shownBuckets } from '../anonymity/index.js';
import { NO_UNIT } from '../answers/index.js';
import { employeeDirectory } from '../employees/index.js';
import { AppError, type Ctx, decodeCursor, encodeCursor, notFound, pageQuery } from '../kernel/index.js';
import { customerPseudonym, reasonMasker, textFor } from '../privacy/pseudonym.js';
import { findSurvey } from '../surveys/index.js';
import { addInto, type Counted, countMany, type GroupKey, scopedAnswersSql, zeroCounts } from './counts.js';
import { type AnalysisFilters, type Audience, resolveScope, type Scope } from './scope.js';
import { type NpsRow, rowOf } from './service.js';
import { type Bands, bandsOf } from './settings.js';

const round1 = (x: number) => Math.round(x * 10) / 10;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export interface Change {
  diff: number;
  pValue: number;
  significant: boolean;
}
const changeOf = (current: Tally, baseline: Tally): Change | null => {
  const c = testChange(current, baseline);
  return c && { diff: round1(c.diff), pValue: round3(c.pValue), significant: c.significant };
};

export interface EmptyState {
  reason: 'no_surveys' | 'no_units_visible' | 'no_answers' | 'suppressed';
  message: string;
}

function emptyState(scope: Scope, n: number, hidden: boolean, k: number | null = null): EmptyState | null {
  if (scope.surveyIds.length === 0) {
    return { reason: 'no_surveys', message: `This organisation has no ${scope.audience} survey yet` };
  }
  if (scope.units && scope.units.size === 0) {
    return { reason: 'no_units_visible', message: 'No unit in this filter is visible to you' };
  }
  if (hidden) {
    return {
      reason: 'suppressed',
      message: `Withheld: no group of fewer than ${k ?? 5} employees' answers is shown, nor one that could be worked out from what is shown`,
    };
  }
  if (n === 0) {
    return {
      reason: 'no_answers',
      message: `No answer matches these filters between ${scope.from} and ${scope.to}`,
    };
  }
  return null;
}

/**
 * A row with the anonymity rule applied: an employee group the guard withholds (src/domain/anonymity.ts) shows no
 * figure at all, not even its number of answers. Customers' rows are always shown.
 */
function shownRow(
  scope: Scope,
  key: string,
  label: string,
  counts: number[],
  shown = true,
): NpsRow & { hidden: boolean } {
  const row = rowOf(key, label, tallyFromCounts(counts));
  if (scope.audience === 'employee' && !shown && row.n > 0) return { ...hideRow(row), hidden: true };
  return { ...row, hidden: false };
}

function hideRow(r: NpsRow): NpsRow {
  return {
    ...r,
    n: 0,
    promoters: 0,
    passives: 0,
    detractors: 0,
    nps: null,
    ci95: null,
    moe: null,
    smallSample: true,
  };
}

const shares = (r: NpsRow) =>
  r.n === 0 || r.nps === null
    ? null
    : {
        promoters: round1((100 * r.promoters) / r.n),
        passives: round1((100 * r.passives) / r.n),
        detractors: round1((100 * r.detractors) / r.n),
      };

/** Same calendar dates a year earlier (29 February → 28 February). */
function yearBefore(day: string): string {
  const y = String(Number(day.slice(0, 4)) - 1).padStart(4, '0');
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${y}-${md}`;
}

// ————— summary —————

export async function summary(ctx: Ctx, audience: Audience, filters: AnalysisFilters) {
  const scope = await resolveScope(ctx, audience, filters);
  const prevRange = previousPeriod(scope.from, scope.to);
  const yearRange = { from: yearBefore(scope.from), to: yearBefore(scope.to) };
  const all = { kind: 'all' } as const;
  const [total, prevCounted, yearCounted] = await countMany(ctx, scope, [
    { key: all, period: scope },
    { key: all, period: prevRange },
    { key: all, period: yearRange },
  ]);
  const counts = total!.counts.get('all') ?? zeroCounts();
  // Employees: each period's figure is shown only where that period's guard lets it.
  const guards =
    audience === 'employee'
      ? await Promise.all(
          [scope, { ...scope, ...prevRange }, { ...scope, ...yearRange }].map((g) => employeeGuard(ctx, g)),
        )
      : null;
  const row = shownRow(scope, 'all', 'all', counts, guards?.[0]?.shown);
  const prevCounts = prevCounted!.counts.get('all') ?? zeroCounts();
  const yearCounts = yearCounted!.counts.get('all') ?? zeroCounts();
  const previous = shownRow(
    scope,
    'previous',
    `${prevRange.from}…${prevRange.to}`,
    prevCounts,
    guards?.[1]?.shown,
  );
  const yearAgo = shownRow(
    scope,
    'yearAgo',
    `${yearRange.from}…${yearRange.to}`,
    yearCounts,
    guards?.[2]?.shown,
  );
  const realN = sum(counts);
  const comparable = (r: { hidden: boolean; n: number }) => !r.hidden && r.n > 0 && !row.hidden && row.n > 0;
  return {
    audience,
    from: scope.from,
    to: scope.to,
    timeZone: scope.timeZone,
    source: total!.source,
    total: row,
    shares: row.hidden ? null : shares(row),
    distribution: row.hidden ? null : counts,
    previous: { ...previous, from: prevRange.from, to: prevRange.to },
    changeFromPrevious: comparable(previous)
      ? changeOf(tallyFromCounts(counts), tallyFromCounts(prevCounts))
      : null,
    yearAgo: { ...yearAgo, from: yearRange.from, to: yearRange.to },
    changeFromYearAgo: comparable(yearAgo)
      ? changeOf(tallyFromCounts(counts), tallyFromCounts(yearCounts))
      : null,
    test: CHANGE_TEST,
    // A withheld group's response rate would give its number of answers away.
    responseRate: row.hidden ? withheldRate : await responseRate(ctx, scope),
    minGroupSize: guards ? guards[0]!.k : null,
    empty: emptyState(scope, realN, row.hidden, guards?.[0]?.k),
  };
}

const withheldRate = {
  sent: null,
  answered: null,
  rate: null,
  ci95: null,
  note: 'Withheld with the group: it would tell how many answered',
};

/** Answers over invitations sent in the period (personal links, e-mail and SMS sent, phone calls queued). */
async function responseRate(ctx: Ctx, scope: Scope) {
  const facetFiltered = Object.keys(scope.facets).length > 0;
  if (facetFiltered || scope.surveyIds.length === 0 || (scope.units && scope.units.size === 0)) {
    return {
      sent: null,
      answered: null,
      rate: null,
      ci95: null,
      note: facetFiltered
        ? 'Invitations are not cut by service or band: no response rate under these filters'
        : null,
    };
  }
  const start = startOfLocalDay(scope.from, scope.timeZone).toISOString();
  const end = startOfLocalDay(addDays(scope.to, 1), scope.timeZone).toISOString();
  const ids = (xs: Iterable<string>) =>
    sql.join(
      [...xs].map((x) => sql`${x}::uuid`),
      sql`, `,
    );
  const [row] = rowsOf<{ sent: number; answered: number }>(
    await ctx.db.execute(sql`
      select count(*)::int as sent, count(*) filter (where status = 'answered')::int as answered
      from invitations
      where org_id = ${ctx.orgId}::uuid and survey_id in (${ids(scope.surveyIds)})
        and created_at >= ${start}::timestamptz and created_at < ${end}::timestamptz
        and (sent_at is not null or channel in ('link', 'phone'))
        ${scope.units ? sql`and unit_id in (${ids(scope.units)})` : sql``}
        ${scope.channel ? sql`and channel = ${scope.channel}` : sql``}
        ${scope.employeeId ? sql`and employee_id = ${scope.employeeId}::uuid` : sql``}`),
  );
  const sent = row?.sent ?? 0;
  const answered = row?.answered ?? 0;
  if (sent === 0)
    return { sent, answered, rate: null, ci95: null, note: 'No invitation was sent in this period' };
  const ci = wilsonInterval(answered, sent);
  return {
    sent,
    answered,
    rate: round1((100 * answered) / sent),
    ci95: [round1(100 * ci.low), round1(100 * ci.high)] as [number, number],
    note: null,
  };
}

// ————— dynamics —————

/** The most buckets one trend may have (ten years of weeks). */
const MAX_BUCKETS = 530;

export const trendQuery = z.object({ grain: z.enum(['week', 'month', 'quarter']).default('month') });

export async function trend(ctx: Ctx, audience: Audience, filters: AnalysisFilters & { grain: Grain }) {
  const scope = await resolveScope(ctx, audience, filters);
  const grain = filters.grain;
  const first = bucketStart(scope.from, grain);
  const last = bucketStart(scope.to, grain);
  const count =
    grain === 'week'
      ? Math.ceil((daysBetween(first, last) + 1) / 7)
      : daysBetween(first, last) / (grain === 'month' ? 30.4 : 91.3);
  if (count > MAX_BUCKETS) {
    throw new AppError(
      'bad_request',
      `${Math.round(count)} ${grain}s is more than a chart can show (${MAX_BUCKETS}): choose a longer grain or a shorter period`,
      {
        errors: [{ path: 'grain', message: `At most ${MAX_BUCKETS} buckets` }],
      },
    );
  }
  // Read from the bucket a year before the first one, so every bucket has its previous and its year-ago neighbour.
  const readFrom =
    yearAgoBucket(first, grain) < shiftBucket(first, grain, -1)
      ? yearAgoBucket(first, grain)
      : shiftBucket(first, grain, -1);
  // The first and last buckets count only the days inside the period: what falls outside is read apart and taken off.
  const bucket = { kind: 'bucket', grain } as const;
  const [counted, before, after] = await countMany(ctx, scope, [
    { key: bucket, period: { from: readFrom, to: scope.to } },
    { key: bucket, period: { from: first, to: addDays(scope.from, -1) } },
    { key: bucket, period: { from: addDays(scope.to, 1), to: bucketEnd(last, grain) } },
  ]);
  const edges = new Map<string, number[]>();
  for (const [k, c] of [...before!.counts, ...after!.counts]) addInto(edges, k, c);
  const inPeriod = (start: string) => {
    const c = counted!.counts.get(bucketKey(start, grain)) ?? zeroCounts();
    const e = edges.get(bucketKey(start, grain));
    return e ? c.map((x, i) => x - e[i]!) : c;
  };
  const whole = (start: string) => counted!.counts.get(bucketKey(start, grain)) ?? zeroCounts();
  // Employees: the buckets are parts of the period and groups of their own periods (see shownBuckets).
  const starts: string[] = [];
  for (let start = first; start <= last; start = shiftBucket(start, grain, 1)) starts.push(start);
  const shownKeys =
    audience === 'employee'
      ? await shownBuckets(
          ctx,
          scope,
          grain,
          starts.map((start) => ({ key: bucketKey(start, grain), size: sum(inPeriod(start)) })),
        )
      : null;
  const bucketShown = (start: string) => !shownKeys || shownKeys.has(bucketKey(start, grain));
  const buckets = [];
  for (let start = first; start <= last; start = shiftBucket(start, grain, 1)) {
    const counts = inPeriod(start);
    const key = bucketKey(start, grain);
    const row = shownRow(scope, key, key, counts, bucketShown(start));
    const prevStart = shiftBucket(start, grain, -1);
    const prev = start === first ? whole(prevStart) : inPeriod(prevStart);
    const yearAgo = whole(yearAgoBucket(start, grain));
    // Employees: a change only against the bucket shown just before it in this trend (a change against a withheld
    // or unseen bucket would give that bucket's score away), and none against a year ago.
    const customer = audience === 'customer';
    const previousShown = customer || (!row.hidden && start !== first && bucketShown(prevStart));
    buckets.push({
      ...row,
      from: start < scope.from ? scope.from : start,
      to: bucketEnd(start, grain) > scope.to ? scope.to : bucketEnd(start, grain),
      partial: start < scope.from || bucketEnd(start, grain) > scope.to,
      vsPrevious: previousShown ? changeOf(tallyFromCounts(counts), tallyFromCounts(prev)) : null,
      vsYearAgo: customer
        ? {
            key: bucketKey(yearAgoBucket(start, grain), grain),
            ...changeOf(tallyFromCounts(counts), tallyFromCounts(yearAgo)),
          }
        : null,
    });
  }
  const n = starts.reduce((a, start) => a + sum(inPeriod(start)), 0);
  return {
    audience,
    grain,
    from: scope.from,
    to: scope.to,
    timeZone: scope.timeZone,
    source: counted!.source,
    test: CHANGE_TEST,
    buckets: buckets.map((b) =>
      b.vsYearAgo && b.vsYearAgo.diff === undefined ? { ...b, vsYearAgo: null } : b,
    ),
    empty: emptyState(scope, n, false),
  };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

// ————— drill-down —————

export const dimensions = ['unit', 'employee', 'channel', 'survey', ...facetNames] as const;
export type Dimension = (typeof dimensions)[number];
export const breakdownQuery = z.object({
  by: z.enum(dimensions).default('unit'),
  parentId: z
    .uuid()
    .optional()
    .openapi({ description: 'by=unit: the unit whose children to show (default: the top)' }),
  minAnswers: z.coerce.number().int().min(1).max(10_000).default(30),
});

export interface GroupRow extends NpsRow {
  hidden: boolean;
  shares: { promoters: number; passives: number; detractors: number } | null;
  mark: Mark;
  pValue: number | null;
  qValue: number | null;
  /** by=unit: the unit has units under it to drill into. */
  drillable?: boolean;
  kind?: string;
}

/** NPS of each group of one dimension, marked against the rest of the company; by unit, the children of a unit. */
export async function breakdown(
  ctx: Ctx,
  audience: Audience,
  filters: AnalysisFilters & z.output<typeof breakdownQuery>,
) {
  const scope = await resolveScope(ctx, audience, filters);
  if (audience === 'employee' && !['unit', 'survey'].includes(filters.by)) {
    throw new AppError(
      'bad_request',
      `Employee answers can be broken down by unit or survey only, not by ${filters.by}`,
      {
        errors: [{ path: 'by', message: 'unit or survey for employees' }],
      },
    );
  }
  const bands = facetNames.includes(filters.by as never) ? await bandsOf(ctx) : null;
  if (filters.by === 'revenue' && bands && !bands.revenue.hasRevenue) {
    throw new AppError(
      'bad_request',
      'This organisation has no revenue in its contacts: there are no revenue bands',
      {
        errors: [{ path: 'by', message: 'No revenue data' }],
      },
    );
  }
  const key: GroupKey =
    filters.by === 'unit' || filters.by === 'employee' || filters.by === 'channel' || filters.by === 'survey'
      ? { kind: filters.by }
      : { kind: 'facet', facet: filters.by };
  const [totalCounted, counted] = (await countMany(ctx, scope, [
    { key: { kind: 'all' }, period: scope },
    { key, period: scope },
  ])) as [Counted, Counted];
  const totalCounts = totalCounted.counts.get('all') ?? zeroCounts();
  let groups: { key: string; label: string; counts: number[]; drillable?: boolean; kind?: string }[];
  let breadcrumbs: { id: string; name: string; kind: string }[] = [];
  if (filters.by === 'unit') {
    const drill = unitChildren(scope, filters.parentId ?? null, counted.counts);
    groups = drill.groups;
    breadcrumbs = drill.breadcrumbs;
  } else {
    const label = await labeller(ctx, filters.by, bands, [...counted.counts.keys()]);
    groups = [...counted.counts.entries()].map(([k, counts]) => ({ key: k, label: label(k), counts }));
    if (filters.by === 'employee' && scope.units) {
      const directory = await employeeDirectory(ctx);
      groups = groups.filter((g) => scope.units!.has(directory.get(g.key)?.unitId ?? ''));
    }
  }
  const guard = audience === 'employee' ? await employeeGuard(ctx, scope) : null;
  const groupShown = (key: string) => {
    if (!guard) return true;
    if (filters.by === 'survey') return guard.surveyShown(key);
    if (key === NO_UNIT) return guard.noUnitShown;
    // The parent's own answers (a row of the drill-down keyed by the parent) or a unit with everything under it.
    return breadcrumbs.at(-1)?.id === key ? guard.ownShown(key) : guard.unitShown(key);
  };
  const rows = rowsWithMarks(scope, groups, totalCounts, filters.minAnswers, groupShown);
  const order = facetOrder(filters.by);
  rows.sort(order ?? ((a, b) => (b.nps ?? -999) - (a.nps ?? -999) || b.n - a.n));
  const total = shownRow(scope, 'all', 'all', totalCounts, guard?.shown);
  return {
    audience,
    by: filters.by,
    from: scope.from,
    to: scope.to,
    source: counted.source,
    breadcrumbs,
    total: { ...total, shares: total.hidden ? null : shares(total) },
    rows,
    markTest: MARK_TEST,
    minAnswers: filters.minAnswers,
    bands:
      bands && filters.by !== 'service'
        ? bandDescriptions(bands, filters.by as 'revenue' | 'visits' | 'tenure')
        : null,
    ...(guard && { minGroupSize: guard.k }),
    empty: emptyState(scope, sum(totalCounts), total.hidden, guard?.k),
  };
}

function facetOrder(by: Dimension) {
  if (by === 'revenue' || by === 'visits' || by === 'tenure') {
    return (a: GroupRow, b: GroupRow) =>
      a.key === '' ? 1 : b.key === '' ? -1 : Number(a.key) - Number(b.key);
  }
  return null;
}

function rowsWithMarks(
  scope: Scope,
  groups: { key: string; label: string; counts: number[]; drillable?: boolean; kind?: string }[],
  totalCounts: number[],
  minAnswers: number,
  groupShown: (key: string) => boolean = () => true,
): GroupRow[] {
  const tallies = groups.map((g) => tallyFromCounts(g.counts));
  const marks = markGroups(tallies, tallyFromCounts(totalCounts), minAnswers);
  return groups.map((g, i) => {
    const row = shownRow(scope, g.key, g.label, g.counts, groupShown(g.key));
    const m = row.hidden ? { mark: 'too_few' as const, pValue: null, qValue: null } : marks[i]!;
    return {
      ...row,
      shares: row.hidden ? null : shares(row),
      mark: m.mark,
      pValue: m.pValue === null ? null : round3(m.pValue),
      qValue: m.qValue === null ? null : round3(m.qValue),
      ...(g.drillable !== undefined && { drillable: g.drillable }),
      ...(g.kind !== undefined && { kind: g.kind }),
    };
  });
}

/** The children of `parentId` (or the top of the tree), each with its whole subtree's answers. */
function unitChildren(scope: Scope, parentId: string | null, byUnit: Map<string, number[]>) {
  const units = scope.unitsById;
  const all = [...units.values()];
  let parent = parentId ? units.get(parentId) : undefined;
  if (
    parentId &&
    (!parent || (scope.units && !scope.units.has(parentId) && !isAncestorOfVisible(scope, parentId)))
  ) {
    throw notFound('Unit');
  }
  const roots = all.filter((u) => !u.parentId);
  // One company at the top: start from its children.
  if (!parent && roots.length === 1) parent = roots[0];
  const children = parent ? all.filter((u) => u.parentId === parent!.id) : roots;
  const groups: { key: string; label: string; counts: number[]; kind: string; drillable: boolean }[] =
    children
      .map((child) => {
        const counts = subtreeCounts(scope, child.path, byUnit);
        return {
          key: child.id,
          label: child.name,
          counts,
          kind: child.kind,
          drillable: all.some((u) => u.parentId === child.id),
        };
      })
      .filter((g) => sum(g.counts) > 0 || !scope.units || scope.units.has(g.key));
  // Answers given about the parent itself (not one of its children), and answers about no unit at the top.
  const own = parent ? byUnit.get(parent.id) : undefined;
  if (own && sum(own) > 0)
    groups.push({ key: parent!.id, label: parent!.name, counts: own, kind: parent!.kind, drillable: false });
  const none = !parent || roots.length === 1 ? byUnit.get(NO_UNIT) : undefined;
  if (none && sum(none) > 0)
    groups.push({ key: NO_UNIT, label: '—', counts: none, kind: 'none', drillable: false });
  const breadcrumbs = parent
    ? parent.path
        .split('/')
        .filter(Boolean)
        .map((id) => units.get(id))
        .filter((u) => u !== undefined)
        .map((u) => ({ id: u.id, name: u.name, kind: u.kind }))
    : [];
  return { groups, breadcrumbs };
}

/** The answers of every unit under (and at) the unit with this path. */
function subtreeCounts(scope: Scope, path: string, byUnit: Map<string, number[]>): number[] {
  const counts = zeroCounts();
  for (const [unitId, c] of byUnit) {
    if (!scope.unitsById.get(unitId)?.path.startsWith(path)) continue;
    for (let score = 0; score < 11; score++) counts[score]! += c[score]!;
  }
  return counts;
}

function isAncestorOfVisible(scope: Scope, unitId: string): boolean {
  const u = scope.unitsById.get(unitId);
  return !!u && [...(scope.units ?? [])].some((id) => scope.unitsById.get(id)?.path.startsWith(u.path));
}

async function labeller(
  ctx: Ctx,
  by: Dimension,
  bands: Bands | null,
  keys: string[],
): Promise<(key: string) => string> {
  if (by === 'employee') {
    const directory = await employeeDirectory(ctx);
    return (k) => directory.get(k)?.name ?? k;
  }
  if (by === 'survey') {
    const names = new Map<string, string>();
    for (const id of keys) names.set(id, (await findSurvey(ctx, id)).name);
    return (k) => names.get(k) ?? k;
  }
  if (bands && (by === 'revenue' || by === 'visits' || by === 'tenure')) {
    const described = bandDescriptions(bands, by);
    return (k) => described.find((b) => String(b.index) === k)?.label ?? (k === '' ? '—' : k);
  }
  return (k) => (k === '' ? '—' : k);
}

/** Each band's range, for labels: band i covers [bounds[i−1], bounds[i]) with band 0 from 0. */
export function bandDescriptions(bands: Bands, facet: 'revenue' | 'visits' | 'tenure') {
  const bounds = bands[facet].bounds;
  const unit = facet === 'revenue' ? bands.revenue.currency : facet === 'visits' ? 'visits' : 'months';
  return Array.from({ length: bounds.length + 1 }, (_, i) => {
    const from = i === 0 ? 0 : bounds[i - 1]!;
    const below = i < bounds.length ? bounds[i]! : null;
    const show = (x: number) => (facet === 'revenue' ? String(x / 100) : String(x));
    const label =
      below === null
        ? `${show(from)}+ ${unit}`
        : facet === 'revenue'
          ? `${show(from)}–${show(below)} ${unit}`
          : from === below - 1
            ? `${from} ${unit}`
            : `${from}–${below - 1} ${unit}`;
    return { index: i, from, below, unit, label };
  });
}

// ————— rankings —————

export const rankingQuery = z.object({
  of: z.enum(['unit', 'employee']).default('unit'),
  level: z
    .enum(unitKinds)
    .exclude(['company'])
    .default('branch')
    .openapi({ description: 'of=unit: which level of the tree' }),
  minAnswers: z.coerce.number().int().min(1).max(10_000).default(30),
});

/**
 * Units of one level (or employees), ordered by their empirical-Bayes estimate, with the raw score beside it, the
 * interval, and the mark against the rest of the company. Groups with fewer than `minAnswers` answers are listed
 * apart, unranked.
 */
export async function ranking(
  ctx: Ctx,
  audience: Audience,
  filters: AnalysisFilters & z.output<typeof rankingQuery>,
) {
  const scope = await resolveScope(ctx, audience, filters);
  if (audience === 'employee' && filters.of === 'employee') {
    throw new AppError('bad_request', 'Employee answers are anonymous: they cannot be ranked by employee', {
      errors: [{ path: 'of', message: 'unit for employees' }],
    });
  }
  const guard = audience === 'employee' ? await employeeGuard(ctx, scope) : null;
  const minAnswers = guard ? Math.max(filters.minAnswers, guard.k) : filters.minAnswers;
  // Names are decrypted while the database counts.
  const [[totalCounted, counted], directory] = (await Promise.all([
    countMany(ctx, scope, [
      { key: { kind: 'all' }, period: scope },
      { key: { kind: filters.of }, period: scope },
    ]),
    filters.of === 'employee' ? employeeDirectory(ctx) : Promise.resolve(null),
  ])) as [[Counted, Counted], Awaited<ReturnType<typeof employeeDirectory>> | null];
  const totalCounts = totalCounted.counts.get('all') ?? zeroCounts();
  let groups: { key: string; label: string; counts: number[]; unitName?: string }[] = [];
  if (filters.of === 'unit') {
    const level = [...scope.unitsById.values()].filter(
      (u) => u.kind === filters.level && (!scope.units || scope.units.has(u.id)),
    );
    groups = level.map((u) => {
      return { key: u.id, label: u.name, counts: subtreeCounts(scope, u.path, counted.counts) };
    });
  } else if (directory) {
    groups = [...counted.counts.entries()]
      .filter(([id]) => !scope.units || scope.units.has(directory.get(id)?.unitId ?? ''))
      .map(([id, counts]) => ({
        key: id,
        label: directory.get(id)?.name ?? id,
        counts,
        unitName: scope.unitsById.get(directory.get(id)?.unitId ?? '')?.name,
      }));
  }
  groups = groups.filter((g) => sum(g.counts) > 0);
  // Employees: a unit the guard withholds is listed apart, without its count, however many answers it has.
  const rankable = (g: { key: string; counts: number[] }) =>
    sum(g.counts) >= minAnswers && (!guard || guard.unitShown(g.key));
  const ranked = groups.filter(rankable);
  const tooFew = groups.filter((g) => !rankable(g));
  const tallies = ranked.map((g) => tallyFromCounts(g.counts));
  const shrunk = shrinkNps(tallies);
  const marks = markGroups(tallies, tallyFromCounts(totalCounts), minAnswers);
  const rows = ranked
    .map((g, i) => {
      const raw = rowOf(g.key, g.label, tallies[i]!);
      const s = shrunk.groups[i]!;
      return {
        ...raw,
        ...(g.unitName !== undefined && { unitName: g.unitName }),
        shrunk: s.shrunk === null ? null : round1(s.shrunk),
        shrunkCi95: s.ci95 ? ([round1(s.ci95[0]), round1(s.ci95[1])] as [number, number]) : null,
        pull: s.pull === null ? null : round3(s.pull),
        mark: marks[i]!.mark,
        pValue: marks[i]!.pValue === null ? null : round3(marks[i]!.pValue!),
        qValue: marks[i]!.qValue === null ? null : round3(marks[i]!.qValue!),
      };
    })
    .sort((a, b) => (b.shrunk ?? -999) - (a.shrunk ?? -999))
    .map((r, i) => ({ rank: i + 1, ...r }));
  const company = shownRow(scope, 'all', 'all', totalCounts, guard?.shown);
  return {
    audience,
    of: filters.of,
    level: filters.of === 'unit' ? filters.level : null,
    from: scope.from,
    to: scope.to,
    source: counted.source,
    company,
    mean: shrunk.mean === null ? null : round1(shrunk.mean),
    betweenSd: round1(Math.sqrt(shrunk.between)),
    minAnswers,
    method:
      'Order by the empirical-Bayes estimate (normal–normal model, DerSimonian–Laird between-group variance; Morris 1983)',
    markTest: MARK_TEST,
    rows,
    // Employees' small units are not even named with their count: that would tell who answered.
    tooFew: tooFew.map((g) =>
      audience === 'employee'
        ? { key: g.key, label: g.label, n: null }
        : { key: g.key, label: g.label, n: sum(g.counts) },
    ),
    empty: emptyState(scope, sum(totalCounts), company.hidden, guard?.k),
  };
}

// ————— the answers behind a number —————

export const answersQuery = pageQuery.extend({
  segment: z.enum(['promoter', 'passive', 'detractor']).optional(),
  score: z.coerce.number().int().min(0).max(10).optional(),
  withReason: z.enum(['true', 'false']).optional(),
  bucket: z
    .string()
    .max(10)
    .optional()
    .openapi({ description: 'Only one week/month/quarter key of the trend' }),
  groupBy: z
    .enum(dimensions)
    .optional()
    .openapi({ description: 'With groupKey: only the answers of one row' }),
  groupKey: z.string().max(200).optional(),
});

const segmentScores = { promoter: [9, 10], passive: [7, 8], detractor: [0, 1, 2, 3, 4, 5, 6] } as const;

/** The answers that make up a number, newest first, with their reasons; the filters are the analysis's own. */
export async function answersBehind(
  ctx: Ctx,
  audience: Audience,
  filters: AnalysisFilters & z.output<typeof answersQuery>,
) {
  let f: AnalysisFilters = filters;
  // A row of a breakdown is a filter too: narrow by it.
  if (filters.groupBy && filters.groupKey !== undefined) {
    const k = filters.groupKey;
    if (filters.groupBy === 'unit') f = { ...f, unitId: k === NO_UNIT ? f.unitId : k };
    else if (filters.groupBy === 'employee') f = { ...f, employeeId: k };
    else if (filters.groupBy === 'channel') f = { ...f, channel: k as never };
    else if (filters.groupBy === 'survey') f = { ...f, surveyId: k };
    else if (filters.groupBy === 'service') f = { ...f, service: k };
    else f = { ...f, [filters.groupBy]: Number(k) };
    if (audience === 'customer') {
      const parsed = z.uuid().safeParse(k);
      if (['unit', 'employee', 'survey'].includes(filters.groupBy) && !parsed.success) {
        throw new AppError('bad_request', `groupKey is not a ${filters.groupBy} id`, {
          errors: [{ path: 'groupKey', message: 'An id from the breakdown' }],
        });
      }
    }
  }
  let scope = await resolveScope(ctx, audience, f);
  if (filters.bucket) {
    const match = /^(\d{4})-(W\d{2}|Q[1-4]|\d{2})$/.exec(filters.bucket);
    if (!match) {
      throw new AppError('bad_request', 'bucket is a week (2026-W05), month (2026-02) or quarter (2026-Q1)', {
        errors: [{ path: 'bucket', message: 'YYYY-Www, YYYY-MM or YYYY-Qn' }],
      });
    }
    const range = bucketRange(filters.bucket);
    scope = {
      ...scope,
      from: range.from > scope.from ? range.from : scope.from,
      to: range.to < scope.to ? range.to : scope.to,
    };
  }
  const scores =
    filters.score !== undefined
      ? [filters.score]
      : filters.segment
        ? [...segmentScores[filters.segment]]
        : null;
  const cursor = decodeCursor(filters.cursor);
  const limit = filters.limit;
  if (scope.surveyIds.length === 0 || (scope.units && scope.units.size === 0) || scope.from > scope.to) {
    return { items: [], nextCursor: null, n: 0, empty: emptyState(scope, 0, false) };
  }
  if (audience === 'employee') return employeeAnswers(ctx, scope, scores, withReason(filters), cursor, limit);

  const directory = await employeeDirectory(ctx);
  const rows = rowsOf<{
    id: string;
    score: number;
    reason: string | null;
    answered_at: string | Date;
    unit_id: string;
    employee_id: string | null;
    customer_id: string | null;
    channel: string;
    survey_id: string;
    service: string;
    revenue: string;
    visits: string;
    tenure: string;
  }>(
    await ctx.db.execute(sql`
      select a.id, a.score, a.reason, a.answered_at, a.unit_id, a.employee_id, a.customer_id, a.channel, a.survey_id,
        a.service, a.revenue, a.visits, a.tenure
      from (${scopedAnswersSql(ctx, scope, scope)}) a
      where true
        ${
          scores
            ? sql`and a.score in (${sql.join(
                scores.map((s) => sql`${s}`),
                sql`, `,
              )})`
            : sql``
        }
        ${withReason(filters) ? sql`and a.reason is not null and a.reason <> ''` : sql``}
        ${cursor ? sql`and (a.answered_at, a.id) < (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : sql``}
      order by a.answered_at desc, a.id desc
      limit ${limit + 1}`),
  );
  const reasonOf = await reasonMasker(
    ctx,
    rows.slice(0, limit).map((r) => r.customer_id),
  );
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    score: Number(r.score),
    segment: Number(r.score) >= 9 ? 'promoter' : Number(r.score) >= 7 ? 'passive' : 'detractor',
    reason: reasonOf(r.reason, r.customer_id),
    /** The customer's stable pseudonym: follow one customer's answers without knowing who they are. */
    customer: r.customer_id ? customerPseudonym(ctx, r.customer_id) : null,
    answeredAt: new Date(r.answered_at).toISOString(),
    unitId: r.unit_id === NO_UNIT ? null : r.unit_id,
    unitName: scope.unitsById.get(r.unit_id)?.name ?? null,
    employeeName: r.employee_id ? (directory.get(r.employee_id)?.name ?? null) : null,
    channel: r.channel,
    surveyId: r.survey_id,
    service: r.service || null,
    revenueBand: r.revenue === '' ? null : Number(r.revenue),
    visitsBand: r.visits === '' ? null : Number(r.visits),
    tenureBand: r.tenure === '' ? null : Number(r.tenure),
  }));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    nextCursor: last ? encodeCursor(new Date(last.answered_at), last.id) : null,
    empty: items.length === 0 && !cursor ? emptyState(scope, 0, false) : null,
  };
}

const withReason = (f: { withReason?: 'true' | 'false' }) => f.withReason === 'true';

async function employeeAnswers(
  ctx: Ctx,
  scope: Scope,
  scores: number[] | null,
  reasonOnly: boolean,
  cursor: { at: string; id: string } | null,
  limit: number,
) {
  const ids = (xs: Iterable<string>) =>
    sql.join(
      [...xs].map((x) => sql`${x}::uuid`),
      sql`, `,
    );
  const where = sql`org_id = ${ctx.orgId}::uuid and survey_id in (${ids(scope.surveyIds)})
    and answered_on between ${scope.from}::date and ${scope.to}::date
    ${scope.units ? sql`and unit_id in (${ids(scope.units)})` : sql``}`;
  // The group behind the list must be one whose figures are shown (the same guard as every other employee figure).
  const guard = await employeeGuard(ctx, scope);
  if (!guard.shown) {
    const [group] = rowsOf<{ n: number }>(
      await ctx.db.execute(sql`select count(*)::int as n from employee_responses where ${where}`),
    );
    return {
      items: [],
      nextCursor: null,
      empty: emptyState(scope, group?.n ?? 0, (group?.n ?? 0) > 0, guard.k),
    };
  }
  // No time, no unit: each answer alone says only its score and words. The order is the ids' (random v4), which
  // follows neither time nor unit.
  const rows = rowsOf<{ id: string; score: number; reason: string | null }>(
    await ctx.db.execute(sql`
      select id, score, reason from employee_responses
      where ${where}
        ${
          scores
            ? sql`and score in (${sql.join(
                scores.map((s) => sql`${s}`),
                sql`, `,
              )})`
            : sql``
        }
        ${reasonOnly ? sql`and reason is not null and reason <> ''` : sql``}
        ${cursor ? sql`and id > ${cursor.id}::uuid` : sql``}
      order by id
      limit ${limit + 1}`),
  );
  const items = rows.slice(0, limit).map((r) => ({
    id: r.id,
    score: Number(r.score),
    segment: Number(r.score) >= 9 ? 'promoter' : Number(r.score) >= 7 ? 'passive' : 'detractor',
    reason: textFor(ctx, r.reason),
  }));
  const last = rows.length > limit ? rows[limit - 1] : undefined;
  return {
    items,
    nextCursor: last ? encodeCursor('1970-01-01T00:00:00.000Z', last.id) : null,
    empty: null,
  };
}

function bucketRange(key: string): { from: string; to: string } {
  const year = key.slice(0, 4);
  const rest = key.slice(5);
  let grain: Grain;
  let start: string;
  if (rest.startsWith('W')) {
    grain = 'week';
    // The Monday of ISO week 1 is the Monday of the week holding 4 January.
    start = addDays(bucketStart(`${year}-01-04`, 'week'), 7 * (Number(rest.slice(1)) - 1));
  } else if (rest.startsWith('Q')) {
    grain = 'quarter';
    start = `${year}-${String((Number(rest.slice(1)) - 1) * 3 + 1).padStart(2, '0')}-01`;
  } else {
    grain = 'month';
    start = `${year}-${rest}-01`;
  }
  try {
    return { from: start, to: bucketEnd(start, grain) };
  } catch {
    throw new AppError('bad_request', `No such period: ${key}`, {
      errors: [{ path: 'bucket', message: 'Not a calendar period' }],
    });
  }
}
