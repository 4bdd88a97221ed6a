// Reading themes back: frequency, polarity, drivers and NPS impact, trends by week, unit and employee, emerging
// themes, verbatims, candidate themes, the wishes-and-complaints summary and the live preview of a taxonomy edit.
// Figures come from the theme_daily rollup; texts from the answers. eNPS themes obey the anonymity threshold.
import { type SQL, sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import { suppressParts } from '../../domain/anonymity.js';
import { addDays, localDay } from '../../domain/period.js';
import { compileTaxonomy, type Polarity, tagReason } from '../../domain/themes.js';
import {
  candidateThemes,
  type Driver,
  EMERGING,
  npsImpact,
  riseTest,
  themeDrivers,
} from '../../domain/themes-stats.js';
import { employeeGuard, minGroupSizeOf, shownBuckets } from '../anonymity/index.js';
import { employeeDirectory } from '../employees/index.js';
import { AppError, type Ctx, decodeCursor, encodeCursor, notFound } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { reasonMasker } from '../privacy/pseudonym.js';
import { surveyIdsOf } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import type { PreviewInput, SummaryQuery, ThemesQuery, VerbatimQuery } from './schemas.js';
import { ALL_ANSWERS, NIL, WITH_TEXT } from './tagging.js';
import { compiledTaxonomy, getTaxonomy, type ThemeView } from './taxonomy.js';

interface Scope {
  audience: 'customer' | 'employee';
  from: string;
  to: string;
  /** Units in scope (null = all, answers without a unit too). */
  units: Set<string> | null;
  employeeId: string | null;
  timeZone: string;
  /** The minimum group of employee answers (0 for customers). */
  minGroup: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The period (default: the last 90 days in the org's zone) and the units the actor may see, narrowed to `unitId`. */
async function scopeOf(ctx: Ctx, q: ThemesQuery): Promise<Scope> {
  const org = await getOrg(ctx);
  const to = q.to ?? localDay(ctx.clock(), org.timeZone);
  const from = q.from ?? addDays(to, -89);
  if (from > to)
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'After `to`' }],
    });
  let units = await visibleUnitIds(ctx);
  if (q.unitId) {
    if (units && !units.has(q.unitId)) throw notFound('Unit');
    const all = await unitsById(ctx);
    if (!all.has(q.unitId)) throw notFound('Unit');
    const subtree = new Set(
      [...all.values()].filter((u) => u.path.includes(`/${q.unitId}/`)).map((u) => u.id),
    );
    units = units ? new Set([...subtree].filter((id) => units!.has(id))) : subtree;
  }
  if (q.audience === 'employee' && q.employeeId) {
    throw new AppError('invalid_input', 'Employee survey answers are anonymous', {
      errors: [{ path: 'employeeId', message: 'Not available for employee answers' }],
    });
  }
  const minGroup = q.audience === 'employee' ? await minGroupSizeOf(ctx) : 0;
  return {
    audience: q.audience,
    from,
    to,
    units,
    employeeId: q.employeeId ?? null,
    timeZone: org.timeZone,
    minGroup,
  };
}

const idList = (ids: Iterable<string>) =>
  sql.join(
    [...ids].map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** The rollup's where clause for a scope (and a column prefix). */
function rollupWhere(ctx: Ctx, s: Scope, from = s.from, to = s.to): SQL {
  return sql`org_id = ${ctx.orgId} and audience = ${s.audience} and day >= ${from}::date and day <= ${to}::date${
    s.units ? (s.units.size ? sql` and unit_id in (${idList(s.units)})` : sql` and false`) : sql``
  }${s.employeeId ? sql` and employee_id = ${s.employeeId}::uuid` : sql``}`;
}

interface Sums {
  detractors: number;
  passives: number;
  promoters: number;
  complaints: number;
  praises: number;
  wishes: number;
}
const SUMS = sql`sum(detractors)::int as detractors, sum(passives)::int as passives, sum(promoters)::int as promoters,
  sum(complaints)::int as complaints, sum(praises)::int as praises, sum(wishes)::int as wishes`;
const sumsOf = (r: Record<string, unknown>): Sums => ({
  detractors: Number(r.detractors ?? 0),
  passives: Number(r.passives ?? 0),
  promoters: Number(r.promoters ?? 0),
  complaints: Number(r.complaints ?? 0),
  praises: Number(r.praises ?? 0),
  wishes: Number(r.wishes ?? 0),
});
const mentionsOf = (s: Sums) => s.detractors + s.passives + s.promoters;
const ZERO: Sums = { detractors: 0, passives: 0, promoters: 0, complaints: 0, praises: 0, wishes: 0 };

async function sumsByTheme(ctx: Ctx, s: Scope, from = s.from, to = s.to): Promise<Map<string, Sums>> {
  const rows = rowsOf<Record<string, unknown> & { theme_id: string }>(
    await ctx.db.execute(
      sql`select theme_id, ${SUMS} from theme_daily where ${rollupWhere(ctx, s, from, to)} group by theme_id`,
    ),
  );
  return new Map(rows.map((r) => [r.theme_id, sumsOf(r)]));
}

export interface ThemeRow {
  id: string;
  key: string;
  name: { ru: string; en: string };
  /** null where eNPS anonymity hides the figures (fewer than the minimum group). */
  mentions: number | null;
  /** Share of answers with a reason that name the theme. */
  share: number | null;
  complaints: number | null;
  praises: number | null;
  wishes: number | null;
  detractors: number | null;
  passives: number | null;
  promoters: number | null;
  driver: Driver | null;
  /** NPS points gained if the theme's detractors became passives. */
  impact: number | null;
  /** Mentions per week over the period (oldest first), for a sparkline. */
  trend: { week: string; mentions: number; share: number | null }[];
  emerging: { ratio: number; pValue: number } | null;
  hidden: boolean;
}

export interface ThemesOverview {
  audience: 'customer' | 'employee';
  from: string;
  to: string;
  answers: number;
  withText: number;
  themes: ThemeRow[];
  minGroupSize: number;
  /** eNPS answers too few to show anything. */
  hidden: boolean;
  retag: { running: boolean; done: number; total: number };
  methods: { drivers: string; emerging: string; impact: string };
}

export const METHODS = {
  drivers:
    'Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), detractors against promoters; |z| ≥ 1.96',
  emerging: `One-sided exact conditional binomial test of two Poisson rates (Przyborowski & Wilenski 1940): complaints in the last 7 days against the 8 weeks before, p < ${EMERGING.alpha}, ≥ ${EMERGING.minMentions} mentions, ≥ ${EMERGING.minRatio}× the rate`,
  impact:
    "NPS points gained if the theme's detractors became passives: 100 × detractors naming it ÷ all answers",
};

const hideSmall = (s: Scope, n: number) => s.audience === 'employee' && n < s.minGroup;

/**
 * Employee themes speak of one group (the scope's units and period, all employee surveys): shown only where the
 * anonymity guard shows that group's figures (src/modules/anonymity), and each cut (a theme, a week, a unit) only
 * with the minimum group or more.
 */
async function employeeGroupShown(ctx: Ctx, s: Scope): Promise<boolean> {
  if (s.audience !== 'employee') return true;
  const guard = await employeeGuard(ctx, {
    surveyIds: await surveyIdsOf(ctx, 'employee'),
    units: s.units,
    from: s.from,
    to: s.to,
  });
  return guard.shown;
}

/** Emerging complaints: the last 7 days of the period against the 8 weeks before (per theme). */
async function emergingOf(ctx: Ctx, s: Scope): Promise<Map<string, { ratio: number; pValue: number }>> {
  const recentFrom = addDays(s.to, -6);
  const baseFrom = addDays(recentFrom, -56);
  const baseTo = addDays(recentFrom, -1);
  const recent = await sumsByTheme(ctx, s, recentFrom, s.to);
  const base = await sumsByTheme(ctx, s, baseFrom, baseTo);
  const recentN = mentionsOf(recent.get(WITH_TEXT) ?? ZERO);
  const baseN = mentionsOf(base.get(WITH_TEXT) ?? ZERO);
  const out = new Map<string, { ratio: number; pValue: number }>();
  for (const [theme, r] of recent) {
    if (theme === WITH_TEXT || theme === ALL_ANSWERS) continue;
    const t = riseTest(r.complaints, recentN, base.get(theme)?.complaints ?? 0, baseN);
    if (t.emerging)
      out.set(theme, { ratio: Number.isFinite(t.ratio) ? round1(t.ratio) : 999, pValue: t.pValue });
  }
  return out;
}

async function retagState(ctx: Ctx) {
  const [row] = rowsOf<{
    version: number;
    retag_version: number | null;
    retag_done: number;
    retag_total: number;
    retag_finished_at: unknown;
  }>(
    await ctx.db.execute(sql`select version, retag_version, retag_done, retag_total, retag_finished_at
      from theme_settings where org_id = ${ctx.orgId}`),
  );
  if (!row) return { running: false, done: 0, total: 0 };
  const running = row.retag_version !== row.version || row.retag_finished_at === null;
  return { running, done: Number(row.retag_done), total: Number(row.retag_total) };
}

/** Every theme of the period with its frequency, polarity, driver, impact, weekly trend and emerging flag. */
export async function themesOverview(ctx: Ctx, q: ThemesQuery): Promise<ThemesOverview> {
  const taxonomy = await getTaxonomy(ctx);
  const s = await scopeOf(ctx, q);
  const sums = await sumsByTheme(ctx, s);
  const answers = mentionsOf(sums.get(ALL_ANSWERS) ?? ZERO);
  const withText = mentionsOf(sums.get(WITH_TEXT) ?? ZERO);
  const allHidden = hideSmall(s, withText) || !(await employeeGroupShown(ctx, s));
  const weekly = rowsOf<{ theme_id: string; week: string; n: number }>(
    await ctx.db.execute(sql`select theme_id, to_char(day, 'IYYY-"W"IW') as week,
        sum(detractors + passives + promoters)::int as n
      from theme_daily where ${rollupWhere(ctx, s)} group by 1, 2 order by 2`),
  );
  const weeks = [...new Set(weekly.map((w) => w.week))].sort();
  const weekText = new Map(weekly.filter((w) => w.theme_id === WITH_TEXT).map((w) => [w.week, Number(w.n)]));
  const emerging = s.audience === 'customer' ? await emergingOf(ctx, s) : new Map();
  const drivers = new Map(
    themeDrivers(taxonomy.themes.map((t) => ({ themeId: t.id, ...(sums.get(t.id) ?? ZERO) }))).map((d) => [
      d.themeId,
      d,
    ]),
  );
  const rows: ThemeRow[] = taxonomy.themes
    .filter((t) => t.enabled)
    .map((t) => {
      const x = sums.get(t.id) ?? ZERO;
      const mentions = mentionsOf(x);
      const hidden = allHidden || hideSmall(s, mentions);
      let trend = weeks.map((week) => {
        const n = Number(weekly.find((w) => w.theme_id === t.id && w.week === week)?.n ?? 0);
        const base = weekText.get(week) ?? 0;
        return { week, mentions: n, share: base ? n / base : null };
      });
      if (s.audience === 'employee') {
        // Employees: a week's mentions are a part of the theme's (src/domain/anonymity.ts), and no share (it would
        // give the week's number of comments away).
        const cut = suppressParts(
          { key: '#theme', size: mentions },
          trend.map((p) => ({ key: p.week, size: p.mentions })),
          s.minGroup,
        );
        trend = cut.has('#theme')
          ? []
          : trend.filter((p) => !cut.has(p.week)).map((p) => ({ ...p, share: null }));
      }
      return {
        id: t.id,
        key: t.key,
        name: t.name,
        mentions: hidden ? null : mentions,
        share: hidden || !withText ? null : mentions / withText,
        complaints: hidden ? null : x.complaints,
        praises: hidden ? null : x.praises,
        wishes: hidden ? null : x.wishes,
        detractors: hidden ? null : x.detractors,
        passives: hidden ? null : x.passives,
        promoters: hidden ? null : x.promoters,
        driver: hidden ? null : (drivers.get(t.id) ?? null),
        impact: hidden ? null : round1(npsImpact(x.detractors, answers)),
        trend: hidden ? [] : trend,
        emerging: emerging.get(t.id) ?? null,
        hidden,
      };
    })
    .sort((a, b) => (b.mentions ?? -1) - (a.mentions ?? -1));
  return {
    audience: s.audience,
    from: s.from,
    to: s.to,
    answers: allHidden ? 0 : answers,
    withText: allHidden ? 0 : withText,
    themes: rows,
    minGroupSize: s.minGroup || 5,
    hidden: allHidden,
    retag: await retagState(ctx),
    methods: METHODS,
  };
}

async function themeOf(ctx: Ctx, themeId: string): Promise<ThemeView> {
  const taxonomy = await getTaxonomy(ctx);
  const theme = taxonomy.themes.find((t) => t.id === themeId);
  if (!theme) throw notFound('Theme');
  return theme;
}

export interface BreakdownRow {
  key: string;
  label: string;
  answers: number;
  mentions: number;
  share: number | null;
  complaints: number;
  praises: number;
  wishes: number;
}

/** One theme: its weekly (or monthly) frequency, and per unit and per employee (customers only). */
export async function themeDetail(ctx: Ctx, themeId: string, q: ThemesQuery) {
  const theme = await themeOf(ctx, themeId);
  const s = await scopeOf(ctx, q);
  const by = async (column: 'unit_id' | 'employee_id' | 'week' | 'month') => {
    const expr =
      column === 'week'
        ? sql.raw(`to_char(day, 'IYYY-"W"IW')`)
        : column === 'month'
          ? sql.raw(`to_char(day, 'YYYY-MM')`)
          : sql.raw(`${column}::text`);
    return rowsOf<Record<string, unknown> & { key: string; theme_id: string }>(
      await ctx.db.execute(sql`select ${expr} as key, theme_id, ${SUMS} from theme_daily
        where ${rollupWhere(ctx, s)} and theme_id in (${themeId}::uuid, ${WITH_TEXT}::uuid) group by 1, 2 order by 1`),
    );
  };
  const fold = (
    rows: (Record<string, unknown> & { key: string; theme_id: string })[],
    label: (k: string) => string,
  ) => {
    const keys = [...new Set(rows.map((r) => r.key))];
    return keys
      .map((key): BreakdownRow => {
        const base = rows.find((r) => r.key === key && r.theme_id === WITH_TEXT);
        const mine = rows.find((r) => r.key === key && r.theme_id === themeId);
        const answers = base ? mentionsOf(sumsOf(base)) : 0;
        const x = mine ? sumsOf(mine) : ZERO;
        return {
          key,
          label: label(key),
          answers,
          mentions: mentionsOf(x),
          share: answers ? mentionsOf(x) / answers : null,
          complaints: x.complaints,
          praises: x.praises,
          wishes: x.wishes,
        };
      })
      .filter((r) => !hideSmall(s, r.answers));
  };
  const units = await unitsById(ctx);
  const groupShown = await employeeGroupShown(ctx, s);
  // Employees: a unit's row is its own answers (not its subtree's), shown where the guard shows that group.
  const guard =
    s.audience === 'employee'
      ? await employeeGuard(ctx, {
          surveyIds: await surveyIdsOf(ctx, 'employee'),
          units: null,
          from: s.from,
          to: s.to,
        })
      : null;
  const unitShown = (k: string) =>
    !guard || (groupShown && (k === NIL ? guard.noUnitShown : guard.ownShown(k)));
  const byUnit = fold(await by('unit_id'), (k) => (k === NIL ? '—' : (units.get(k)?.name ?? k)))
    .filter((r) => r.mentions > 0 && unitShown(r.key))
    .sort((a, b) => b.mentions - a.mentions);
  let byEmployee: BreakdownRow[] = [];
  if (s.audience === 'customer') {
    const directory = await employeeDirectory(ctx);
    byEmployee = fold(await by('employee_id'), (k) => directory.get(k)?.name ?? k)
      .filter((r) => r.key !== NIL && r.mentions > 0)
      .sort((a, b) => b.mentions - a.mentions);
  }
  const days = Math.round((Date.parse(s.to) - Date.parse(s.from)) / 86_400_000);
  // Employees by month at the finest: weeks would let two overlapping periods be subtracted (anonymity/service.ts).
  const grain = days > 180 || guard ? 'month' : 'week';
  let trend = fold(await by(grain), (k) => k);
  if (guard) {
    // Employees: the weeks (months) are parts of the period and groups of their own periods.
    const sizes = rowsOf<{ key: string; n: number }>(
      await ctx.db.execute(sql`select ${sql.raw(grain === 'week' ? `to_char(day, 'IYYY-"W"IW')` : `to_char(day, 'YYYY-MM')`)} as key,
          sum(detractors + passives + promoters)::int as n from theme_daily
        where ${rollupWhere(ctx, s)} and theme_id = ${ALL_ANSWERS}::uuid group by 1`),
    );
    const shown = groupShown
      ? await shownBuckets(
          ctx,
          { surveyIds: await surveyIdsOf(ctx, 'employee'), units: s.units, from: s.from, to: s.to },
          grain,
          sizes.map((r) => ({ key: r.key, size: Number(r.n) })),
        )
      : new Set<string>();
    trend = trend.filter((r) => shown.has(r.key));
  }
  return {
    theme,
    from: s.from,
    to: s.to,
    audience: s.audience,
    trend,
    byUnit,
    byEmployee,
    minGroupSize: s.minGroup || 5,
  };
}

export interface Verbatim {
  id: string;
  score: number;
  reason: string;
  polarity: Polarity;
  /** '' for employee comments: no time is shown with one. */
  day: string;
  channel: string | null;
  unitName: string | null;
}

/**
 * The answers naming a theme, newest first, filtered by unit, period, score, channel and polarity. Texts are
 * returned as stored; every page escapes them. eNPS answers: only when the filter leaves the minimum group or more.
 */
export async function themeVerbatims(ctx: Ctx, themeId: string, q: VerbatimQuery) {
  await themeOf(ctx, themeId);
  const s = await scopeOf(ctx, q);
  const cursor = decodeCursor(q.cursor);
  const where = sql`at.org_id = ${ctx.orgId} and at.theme_id = ${themeId}::uuid and t.audience = ${s.audience}
    and t.day >= ${s.from}::date and t.day <= ${s.to}::date${
      s.units ? (s.units.size ? sql` and t.unit_id in (${idList(s.units)})` : sql` and false`) : sql``
    }${s.employeeId ? sql` and t.employee_id = ${s.employeeId}::uuid` : sql``}${
      q.scoreMin !== undefined ? sql` and t.score >= ${q.scoreMin}` : sql``
    }${q.scoreMax !== undefined ? sql` and t.score <= ${q.scoreMax}` : sql``}${
      q.channel ? sql` and t.channel = ${q.channel}` : sql``
    }${q.polarity ? sql` and at.polarity = ${q.polarity}` : sql``}`;
  const [total] = rowsOf<{ n: number }>(
    await ctx.db.execute(sql`select count(*)::int as n from answer_themes at
      join answer_tags t on t.org_id = at.org_id and t.answer_id = at.answer_id where ${where}`),
  );
  const count = Number(total?.n ?? 0);
  // Employees: comments only from a group whose figures are shown, and not even their number otherwise.
  if (hideSmall(s, count) || !(await employeeGroupShown(ctx, s)))
    return { items: [] as Verbatim[], nextCursor: null, total: null, hidden: true };
  const employee = s.audience === 'employee';
  const source =
    s.audience === 'customer'
      ? sql`join responses r on r.org_id = t.org_id and r.id = t.answer_id`
      : sql`join employee_responses r on r.org_id = t.org_id and r.id = t.answer_id`;
  const rows = rowsOf<{
    id: string;
    score: number;
    reason: string | null;
    polarity: Polarity;
    day: string;
    channel: string;
    unit_id: string;
    customer_id: string | null;
  }>(
    await ctx.db.execute(sql`select t.answer_id as id, t.score, r.reason, at.polarity, t.day::text as day, t.channel, t.unit_id,
        ${employee ? sql`null` : sql`r.customer_id`} as customer_id
      from answer_themes at join answer_tags t on t.org_id = at.org_id and t.answer_id = at.answer_id ${source}
      where ${where}${
        employee
          ? cursor
            ? sql` and t.answer_id > ${cursor.id}::uuid`
            : sql``
          : cursor
            ? sql` and (t.day, t.answer_id) < (${cursor.at.slice(0, 10)}::date, ${cursor.id}::uuid)`
            : sql``
      }
      ${
        // Employees: in the order of the random ids, with no day or unit — nothing orders them in time.
        employee ? sql`order by t.answer_id` : sql`order by t.day desc, t.answer_id desc`
      } limit ${q.limit + 1}`),
  );
  const units = await unitsById(ctx);
  const reasonOf = await reasonMasker(
    ctx,
    rows.slice(0, q.limit).map((r) => r.customer_id),
  );
  const items = rows.slice(0, q.limit).map(
    (r): Verbatim => ({
      id: r.id,
      score: Number(r.score),
      reason: reasonOf(r.reason ?? '', r.customer_id) ?? '',
      polarity: r.polarity,
      day: employee ? '' : String(r.day).slice(0, 10),
      channel: s.audience === 'customer' ? r.channel : null,
      unitName: employee || r.unit_id === NIL ? null : (units.get(r.unit_id)?.name ?? null),
    }),
  );
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > q.limit && last ? encodeCursor(`${last.day || '1970-01-01'}T00:00:00Z`, last.id) : null,
    total: count,
    hidden: false,
  };
}

/** Reasons of the scope, newest first (for discovery and the preview), at most `limit`. */
async function recentReasons(ctx: Ctx, s: Scope, limit: number, onlyUnthemed: boolean) {
  const source =
    s.audience === 'customer'
      ? sql`join responses r on r.org_id = t.org_id and r.id = t.answer_id`
      : sql`join employee_responses r on r.org_id = t.org_id and r.id = t.answer_id`;
  return rowsOf<{ id: string; reason: string; score: number; customer_id: string | null }>(
    await ctx.db.execute(sql`select t.answer_id as id, r.reason, t.score,
        ${s.audience === 'customer' ? sql`r.customer_id` : sql`null`} as customer_id
      from answer_tags t ${source}
      where t.org_id = ${ctx.orgId} and t.audience = ${s.audience} and t.has_text
        and t.day >= ${s.from}::date and t.day <= ${s.to}::date${
          s.units ? (s.units.size ? sql` and t.unit_id in (${idList(s.units)})` : sql` and false`) : sql``
        }${onlyUnthemed ? sql` and not exists (select 1 from answer_themes at where at.org_id = t.org_id and at.answer_id = t.answer_id)` : sql``}
      order by t.day desc limit ${limit}`),
  );
}

/** Frequent words and two-word phrases of answers no theme covers, with example answers: candidate themes. */
export async function candidateThemesOf(ctx: Ctx, q: ThemesQuery) {
  const s = await scopeOf(ctx, q);
  const { compiled } = await compiledTaxonomy(ctx.db, ctx.orgId);
  const reasons = await recentReasons(ctx, s, 20_000, true);
  if (hideSmall(s, reasons.length) || !(await employeeGroupShown(ctx, s)))
    return { scanned: s.audience === 'employee' ? null : reasons.length, candidates: [], hidden: true };
  const byId = new Map(reasons.map((r) => [r.id, r]));
  const found = candidateThemes(reasons, compiled.keywordKeys, { limit: 20, minCount: 3 });
  const reasonOf = await reasonMasker(
    ctx,
    found.flatMap((c) => c.exampleIds.map((id) => byId.get(id)!.customer_id)),
  );
  const candidates = found.map((c) => ({
    term: c.term,
    count: c.count,
    examples: c.exampleIds.map((id) => ({
      id,
      score: byId.get(id)!.score,
      reason: reasonOf(byId.get(id)!.reason, byId.get(id)!.customer_id)!,
    })),
  }));
  return { scanned: reasons.length, candidates, hidden: false };
}

/** How many of the latest answers a preview reads: enough to judge an edit, fast enough to type against. */
export const PREVIEW_SAMPLE = 5_000;

/**
 * What a taxonomy edit would do, before it is saved: the latest answers with a reason tagged with the draft and
 * with the saved taxonomy; per theme, how many each finds and a few answers the draft adds or drops.
 */
export async function previewTaxonomy(ctx: Ctx, input: PreviewInput) {
  const saved = await compiledTaxonomy(ctx.db, ctx.orgId);
  const s = await scopeOf(ctx, { audience: 'customer' });
  s.from = '1900-01-01';
  const reasons = await recentReasons(ctx, s, PREVIEW_SAMPLE, false);
  const draftThemes = input.themes.map((t, i) => ({
    id: t.id ?? `new-${i}`,
    keywords: t.keywords,
    enabled: t.enabled,
  }));
  const draft = compileTaxonomy(draftThemes.filter((t) => t.enabled));
  const rows = new Map<
    string,
    {
      before: number;
      after: number;
      added: { id: string; reason: string }[];
      dropped: { id: string; reason: string }[];
    }
  >();
  for (const t of draftThemes) rows.set(t.id, { before: 0, after: 0, added: [], dropped: [] });
  for (const r of reasons) {
    const before = new Set(tagReason(saved.compiled, r.reason, r.score).map((h) => h.themeId));
    const after = new Set(tagReason(draft, r.reason, r.score).map((h) => h.themeId));
    for (const [id, row] of rows) {
      const b = before.has(id);
      const a = after.has(id);
      if (b) row.before++;
      if (a) row.after++;
      if (a && !b && row.added.length < 3) row.added.push({ id: r.id, reason: r.reason });
      if (b && !a && row.dropped.length < 3) row.dropped.push({ id: r.id, reason: r.reason });
    }
  }
  // The examples as the actor may read them (for analysts: contact details and the author's name masked).
  const authorOf = new Map(reasons.map((r) => [r.id, r.customer_id]));
  const examples = [...rows.values()].flatMap((row) => [...row.added, ...row.dropped]);
  const reasonOf = await reasonMasker(
    ctx,
    examples.map((e) => authorOf.get(e.id)),
  );
  for (const e of examples) e.reason = reasonOf(e.reason, authorOf.get(e.id))!;
  return {
    sample: reasons.length,
    themes: draftThemes.map((t, i) => ({
      index: i,
      id: t.id.startsWith('new-') ? null : t.id,
      ...rows.get(t.id)!,
    })),
  };
}

export interface SummaryItem {
  themeId: string;
  name: string;
  count: number;
  /** Share of answers with a reason. */
  share: number;
  example: string | null;
}

export interface WishesAndComplaints {
  from: string;
  to: string;
  lang: 'ru' | 'en';
  unitName: string | null;
  answers: number;
  withText: number;
  complaints: SummaryItem[];
  wishes: SummaryItem[];
  praises: SummaryItem[];
  emerging: { themeId: string; name: string; ratio: number; pValue: number }[];
  /** The summary as a paragraph for a digest or a report, in `lang`. */
  text: string;
  hidden: boolean;
}

const SUMMARY_TOP = 5;
const clip = (s: string, n = 200) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The regular delivery of customers' wishes and complaints for a unit (its subtree) and period, in the manager's
 * language: the themes most complained about, wished for and praised, with an example each, and the emerging ones.
 * For digests and reports.
 */
export async function wishesAndComplaints(ctx: Ctx, q: SummaryQuery): Promise<WishesAndComplaints> {
  const lang = q.lang ?? 'ru';
  const overview = await themesOverview(ctx, q);
  const units = q.unitId ? await unitsById(ctx) : null;
  const unitName = q.unitId ? (units?.get(q.unitId)?.name ?? null) : null;
  const visible = overview.themes.filter((t) => !t.hidden);
  const top = async (
    key: 'complaints' | 'wishes' | 'praises',
    polarity: Polarity,
  ): Promise<SummaryItem[]> => {
    const best = visible
      .filter((t) => (t[key] ?? 0) > 0)
      .sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0))
      .slice(0, SUMMARY_TOP);
    const out: SummaryItem[] = [];
    for (const t of best) {
      const page = await themeVerbatims(ctx, t.id, {
        ...q,
        from: overview.from,
        to: overview.to,
        polarity,
        limit: 1,
      });
      out.push({
        themeId: t.id,
        name: t.name[lang],
        count: t[key] ?? 0,
        share: overview.withText ? (t[key] ?? 0) / overview.withText : 0,
        example: page.items[0] ? clip(page.items[0].reason) : null,
      });
    }
    return out;
  };
  const complaints = await top('complaints', 'complaint');
  const wishes = await top('wishes', 'wish');
  const praises = await top('praises', 'praise');
  const emerging = visible
    .filter((t) => t.emerging)
    .map((t) => ({
      themeId: t.id,
      name: t.name[lang],
      ratio: t.emerging!.ratio,
      pValue: t.emerging!.pValue,
    }));
  const result = {
    from: overview.from,
    to: overview.to,
    lang,
    unitName,
    answers: overview.answers,
    withText: overview.withText,
    complaints,
    wishes,
    praises,
    emerging,
    hidden: overview.hidden,
  };
  return { ...result, text: summaryText(result) };
}

const list = (items: SummaryItem[], lang: 'ru' | 'en') =>
  items
    .map(
      (i) =>
        `${i.name} — ${i.count} (${new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(i.share)})`,
    )
    .join('; ');

/** The summary as sentences: what they complain about, wish for and praise, and what is rising. */
export function summaryText(s: Omit<WishesAndComplaints, 'text'>): string {
  const ru = s.lang === 'ru';
  const where = s.unitName ? ` — ${s.unitName}` : '';
  const head = ru
    ? `Пожелания и жалобы за ${s.from} — ${s.to}${where}: ответов с комментарием — ${s.withText} из ${s.answers}.`
    : `Wishes and complaints for ${s.from} – ${s.to}${where}: ${s.withText} answers with a comment out of ${s.answers}.`;
  if (s.hidden)
    return ru
      ? `${head} Слишком мало ответов, чтобы показать темы анонимно.`
      : `${head} Too few answers to show themes anonymously.`;
  const parts = [head];
  const say = (items: SummaryItem[], ruTitle: string, enTitle: string) => {
    if (!items.length) return;
    parts.push(`${ru ? ruTitle : enTitle}: ${list(items, s.lang)}.`);
    const quoted = items.find((i) => i.example);
    if (quoted) parts.push(`${ru ? 'Например' : 'For example'}: «${quoted.example}»`);
  };
  say(s.complaints, 'Жалуются на', 'Complaints');
  say(s.wishes, 'Пожелания', 'Wishes');
  say(s.praises, 'Хвалят', 'Praise');
  if (s.emerging.length)
    parts.push(
      `${ru ? 'Растут жалобы' : 'Rising complaints'}: ${s.emerging.map((e) => `${e.name} (×${e.ratio})`).join(', ')}.`,
    );
  if (!s.complaints.length && !s.wishes.length && !s.praises.length)
    parts.push(ru ? 'Темы в комментариях не найдены.' : 'No themes found in the comments.');
  return parts.join(' ');
}

export interface DigestThemes {
  complaints: { name: { ru: string; en: string }; count: number }[];
  wishes: { name: { ru: string; en: string }; count: number }[];
  emerging: { name: { ru: string; en: string }; ratio: number; pValue: number }[];
}

/**
 * What a digest says of themes for the days [from, to] in the person's units: the themes most complained about
 * and wished for, and the emerging ones (complaints of the last 7 days to `to` against the 8 weeks before).
 */
export async function digestThemes(ctx: Ctx, from: string, to: string): Promise<DigestThemes> {
  const o = await themesOverview(ctx, { audience: 'customer', from, to });
  const top = (key: 'complaints' | 'wishes') =>
    o.themes
      .filter((t) => (t[key] ?? 0) > 0)
      .sort((a, b) => (b[key] ?? 0) - (a[key] ?? 0))
      .slice(0, SUMMARY_TOP)
      .map((t) => ({ name: t.name, count: t[key] ?? 0 }));
  return {
    complaints: top('complaints'),
    wishes: top('wishes'),
    emerging: o.themes
      .filter((t) => t.emerging)
      .map((t) => ({ name: t.name, ratio: t.emerging!.ratio, pValue: t.emerging!.pValue })),
  };
}

const DIGEST_TEXTS = {
  ru: {
    emerging: 'Растущие жалобы (точный условный биномиальный тест, p < 0,01)',
    emergingLine: (name: string, ratio: number) => `${name} — в ${ratio} раза чаще, чем за 8 недель до этого`,
    complaints: 'Темы жалоб',
    wishes: 'Темы пожеланий',
  },
  en: {
    emerging: 'Rising complaints (exact conditional binomial test, p < 0.01)',
    emergingLine: (name: string, ratio: number) => `${name} — ${ratio}× as often as in the 8 weeks before`,
    complaints: 'Themes of complaints',
    wishes: 'Themes of wishes',
  },
};

/** The digest's theme blocks in the person's language; `withTop` adds the complaints and wishes (weekly). */
export function digestThemeBlocks(
  d: DigestThemes,
  lang: 'ru' | 'en',
  withTop: boolean,
): { title: string; lines: string[] }[] {
  const x = DIGEST_TEXTS[lang];
  const blocks: { title: string; lines: string[] }[] = [];
  if (d.emerging.length)
    blocks.push({ title: x.emerging, lines: d.emerging.map((e) => x.emergingLine(e.name[lang], e.ratio)) });
  if (withTop && d.complaints.length)
    blocks.push({ title: x.complaints, lines: d.complaints.map((c) => `${c.name[lang]} — ${c.count}`) });
  if (withTop && d.wishes.length)
    blocks.push({ title: x.wishes, lines: d.wishes.map((c) => `${c.name[lang]} — ${c.count}`) });
  return blocks;
}
