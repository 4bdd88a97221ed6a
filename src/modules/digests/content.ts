// What a digest says, read as the person sees it (their units): the daily one for middle managers (new and overdue
// cases, their units' NPS yesterday and over 7 days, the latest reasons) and the weekly one for top management
// (NPS of last week against the 4 before with its significance, money at risk, overdue cases by unit, the most
// frequent complaints and wishes). NPS comes from the rollups (analytics), cases from the `cases` table.
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import { type DigestKind, dailyRange, weeklyRange } from '../../domain/digest-schedule.js';
import { type NpsChange, npsChange } from '../../domain/nps-change.js';
import { addDays, startOfLocalDay } from '../../domain/period.js';
import { type ReasonTerm, reasonTerms } from '../../domain/reason-terms.js';
import { type NpsRow, overview } from '../analytics/index.js';
import { type DropView, dropsAlertedBetween } from '../drops/index.js';
import { type GoalDigestLine, goalDigestLines } from '../goals/index.js';
import type { Ctx } from '../kernel/index.js';
import { type DigestThemes, digestThemes } from '../themes/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';

export interface DigestCase {
  id: string;
  number: number;
  score: number;
  urgent: boolean;
  status: string;
  unitName: string | null;
  dueAt: string;
}

export interface DailyDigest {
  kind: 'daily';
  day: string;
  newCases: { count: number; items: DigestCase[] };
  overdue: { count: number; items: DigestCase[] };
  yesterday: NpsRow;
  week: NpsRow & { from: string; to: string };
  reasons: { score: number; reason: string; unitName: string | null }[];
  /** The person's running goals: status and where each stands (src/modules/goals). */
  goals: GoalDigestLine[];
  /** NPS drops alerted yesterday in the person's units (the company's for top management). */
  drops: DropView[];
  /** Emerging themes of the last 7 days in the person's units (src/modules/themes). */
  themes: DigestThemes;
}

export interface WeeklyDigest {
  kind: 'weekly';
  from: string;
  to: string;
  current: NpsRow;
  baseline: NpsRow & { from: string; to: string };
  change: NpsChange | null;
  moneyAtRisk: { currency: string; amountMinor: number; customers: number }[];
  overdueByUnit: { unitName: string; count: number }[];
  overdueTotal: number;
  complaints: ReasonTerm[];
  wishes: ReasonTerm[];
  /** NPS drops alerted during the week. */
  drops: DropView[];
  /** The week's themes of complaints and wishes, and the emerging ones (src/modules/themes). */
  themes: DigestThemes;
}

export type Digest = DailyDigest | WeeklyDigest;

const OPEN = sql`status in ('new', 'in_progress', 'contacted')`;
const LIST = 10;

/** `and unit_id in (…)` for a person who sees part of the tree; nothing for the whole organisation. */
function unitFilter(column: SQL, visible: Set<string> | null): SQL {
  if (visible === null) return sql``;
  if (visible.size === 0) return sql` and false`;
  return sql` and ${column} in (${sql.join(
    [...visible].map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
}

async function caseList(ctx: Ctx, where: SQL, order: SQL, names: Map<string, { name: string }>) {
  const [count] = rowsOf<{ n: number }>(
    await ctx.db.execute(sql`select count(*)::int as n from cases where org_id = ${ctx.orgId} and ${where}`),
  );
  const rows = rowsOf<{
    id: string;
    number: number;
    score: number;
    urgent: boolean;
    status: string;
    unit_id: string | null;
    due_at: Date | string;
  }>(
    await ctx.db.execute(sql`
      select id, number, score, urgent, status, unit_id, due_at from cases
       where org_id = ${ctx.orgId} and ${where} order by ${order} limit ${LIST}`),
  );
  return {
    count: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      number: r.number,
      score: r.score,
      urgent: r.urgent,
      status: r.status,
      unitName: r.unit_id ? (names.get(r.unit_id)?.name ?? null) : null,
      dueAt: new Date(r.due_at).toISOString(),
    })),
  };
}

export async function dailyDigest(ctx: Ctx, today: string, timeZone: string): Promise<DailyDigest> {
  const range = dailyRange(today);
  const visible = await visibleUnitIds(ctx);
  const names = await unitsById(ctx);
  const dayStart = startOfLocalDay(range.from, timeZone).toISOString();
  const dayEnd = startOfLocalDay(today, timeZone).toISOString();
  const now = ctx.clock().toISOString();
  const scope = unitFilter(sql`unit_id`, visible);
  const newCases = await caseList(
    ctx,
    sql`created_at >= ${dayStart}::timestamptz and created_at < ${dayEnd}::timestamptz${scope}`,
    sql`urgent desc, score, created_at`,
    names,
  );
  const overdue = await caseList(
    ctx,
    sql`${OPEN} and due_at < ${now}::timestamptz${scope}`,
    sql`due_at`,
    names,
  );
  const yesterday = await overview(ctx, { from: range.from, to: range.to });
  const week = await overview(ctx, { from: range.weekFrom, to: range.to });
  return {
    kind: 'daily',
    day: range.from,
    newCases,
    overdue,
    yesterday: yesterday.total,
    week: { ...week.total, from: range.weekFrom, to: range.to },
    reasons: week.latestReasons
      .slice(0, 5)
      .map((r) => ({ score: r.score, reason: r.reason, unitName: r.unitName })),
    goals: await goalDigestLines(ctx, today),
    drops: await dropsAlertedBetween(ctx, new Date(dayStart), new Date(dayEnd)),
    themes: await digestThemes(ctx, range.weekFrom, range.to),
  };
}

export async function weeklyDigest(ctx: Ctx, today: string, timeZone: string): Promise<WeeklyDigest> {
  const range = weeklyRange(today);
  const visible = await visibleUnitIds(ctx);
  const names = await unitsById(ctx);
  const current = await overview(ctx, { from: range.from, to: range.to });
  const baseline = await overview(ctx, { from: range.baselineFrom, to: range.baselineTo });
  const tally = (r: NpsRow) => ({ promoters: r.promoters, passives: r.passives, detractors: r.detractors });
  const from = startOfLocalDay(range.from, timeZone).toISOString();
  const to = startOfLocalDay(addDays(range.to, 1), timeZone).toISOString();
  const yearBefore = startOfLocalDay(addDays(range.to, -364), timeZone).toISOString();
  const responseScope = unitFilter(sql`r.unit_id`, visible);

  // Money at risk: the last 12 months' revenue of the customers who were detractors in the week.
  const money = rowsOf<{ currency: string; amount: string | number; customers: number }>(
    await ctx.db.execute(sql`
      with detractors as (
        select distinct r.customer_id from responses r
          join surveys s on s.org_id = r.org_id and s.id = r.survey_id and s.audience = 'customer'
         where r.org_id = ${ctx.orgId} and r.score <= 6 and r.customer_id is not null
           and r.answered_at >= ${from}::timestamptz and r.answered_at < ${to}::timestamptz${responseScope})
      select k.currency, sum(k.amount_minor)::bigint as amount, count(distinct k.customer_id)::int as customers
        from contacts k join detractors d on k.customer_id = d.customer_id
       where k.org_id = ${ctx.orgId} and k.amount_minor is not null
         and k.occurred_at >= ${yearBefore}::timestamptz and k.occurred_at < ${to}::timestamptz
       group by k.currency order by 2 desc`),
  );

  const now = ctx.clock().toISOString();
  const overdue = rowsOf<{ unit_id: string | null; n: number }>(
    await ctx.db.execute(sql`
      select unit_id, count(*)::int as n from cases
       where org_id = ${ctx.orgId} and ${OPEN} and due_at < ${now}::timestamptz${unitFilter(sql`unit_id`, visible)}
       group by unit_id order by 2 desc`),
  );

  const reasons = rowsOf<{ score: number; reason: string }>(
    await ctx.db.execute(sql`
      select r.score, r.reason from responses r
        join surveys s on s.org_id = r.org_id and s.id = r.survey_id and s.audience = 'customer'
       where r.org_id = ${ctx.orgId} and r.score <= 8 and r.reason is not null
         and r.answered_at >= ${from}::timestamptz and r.answered_at < ${to}::timestamptz${responseScope}
       order by r.answered_at desc limit 5000`),
  );

  return {
    kind: 'weekly',
    from: range.from,
    to: range.to,
    current: current.total,
    baseline: { ...baseline.total, from: range.baselineFrom, to: range.baselineTo },
    change: npsChange(tally(current.total), tally(baseline.total)),
    moneyAtRisk: money.map((m) => ({
      currency: m.currency,
      amountMinor: Number(m.amount),
      customers: Number(m.customers),
    })),
    overdueByUnit: overdue.map((o) => ({
      unitName: o.unit_id ? (names.get(o.unit_id)?.name ?? '—') : '—',
      count: Number(o.n),
    })),
    overdueTotal: overdue.reduce((s, o) => s + Number(o.n), 0),
    complaints: reasonTerms(
      reasons.filter((r) => r.score <= 6).map((r) => r.reason),
      8,
    ),
    wishes: reasonTerms(
      reasons.filter((r) => r.score >= 7).map((r) => r.reason),
      8,
    ),
    drops: await dropsAlertedBetween(ctx, new Date(from), new Date(to)),
    themes: await digestThemes(ctx, range.from, range.to),
  };
}

export async function buildDigest(
  ctx: Ctx,
  kind: DigestKind,
  today: string,
  timeZone: string,
): Promise<Digest> {
  return kind === 'daily' ? dailyDigest(ctx, today, timeZone) : weeklyDigest(ctx, today, timeZone);
}

/** Whether a digest has nothing to say (nothing is sent then). */
export function isEmpty(d: Digest): boolean {
  if (d.drops.length > 0) return false;
  if (d.kind === 'daily') return d.newCases.count === 0 && d.overdue.count === 0 && d.week.n === 0;
  return d.current.n === 0 && d.baseline.n === 0 && d.overdueTotal === 0;
}
