// What the analytical report is made of: the same service calls the dashboard's API makes, for the report's period,
// audience and unit subtree — so every number in the file is the number on the screen. A section whose module has
// nothing to say (no answers, no economics, no goals) carries the reason instead of data.
import { maskVerbatim, officeText } from '../../../domain/report-masking.js';
import { breakdown, ranking, summary, trend } from '../../analytics/analysis.js';
import { getBenchmarks } from '../../benchmarks/index.js';
import {
  basketsReport,
  compareScenarios,
  forecastReport,
  moveCostsReport,
  proposedTargets,
  segmentValuesReport,
  transitionsReport,
} from '../../economics/index.js';
import { listScenarios } from '../../economics/scenarios.js';
import { listGoals } from '../../goals/index.js';
import { AppError, type Ctx } from '../../kernel/index.js';
import { caseLoopMetrics } from '../../loop-metrics/index.js';
import { getOrg } from '../../orgs/index.js';
import { findSurvey, surveyIdsOf } from '../../surveys/index.js';
import { themesOverview, themeVerbatims } from '../../themes/index.js';
import { unitsById } from '../../units/index.js';
import type { Progress, ReportOptions } from '../kinds.js';

/** A section's data, or why there is none (an English reason code and the service's own message). */
export type Part<T> = { ok: true; data: T } | { ok: false; reason: MissingReason; detail: string };
export type MissingReason = 'error' | 'forbidden' | 'not_applicable';

type Awaited2<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;
export type Summary = Awaited2<typeof summary>;
export type Trend = Awaited2<typeof trend>;
export type Breakdown = Awaited2<typeof breakdown>;
export type Ranking = Awaited2<typeof ranking>;
export type Themes = Awaited2<typeof themesOverview>;
export type Benchmarks = Awaited2<typeof getBenchmarks>;
export type LoopReport = Awaited2<typeof caseLoopMetrics>;
export type Values = Awaited2<typeof segmentValuesReport>;
export type Baskets = Awaited2<typeof basketsReport>;
export type Transitions = Awaited2<typeof transitionsReport>;
export type MoveCosts = Awaited2<typeof moveCostsReport>;
export type Scenarios = Awaited2<typeof compareScenarios>;
export type Forecast = Awaited2<typeof forecastReport>;
export type Targets = Awaited2<typeof proposedTargets>;
export type Goals = Awaited2<typeof listGoals>;

export interface Verbatim {
  themeId: string;
  score: number;
  text: string;
  day: string;
}

export interface SurveyFacts {
  name: string;
  question: string;
  kind: string;
}

/** One audience's analysis over the report's filters. */
export interface AudienceFacts {
  audience: 'customer' | 'employee';
  summary: Part<Summary>;
  trend: Part<Trend>;
  units: Part<Breakdown>;
  revenue: Part<Breakdown>;
  visits: Part<Breakdown>;
  /** Customers: the answers per channel (the methodology's channels). */
  channels: Part<Breakdown>;
  ranking: Part<Ranking>;
  themes: Part<Themes>;
  verbatims: Verbatim[];
  surveys: SurveyFacts[];
}

export interface ReportFacts {
  options: ReportOptions;
  org: { name: string; timeZone: string; currency: string };
  unit: { id: string; name: string } | null;
  generatedAt: Date;
  /** The audience the report is about, and the other one (shown on its own, briefly). */
  main: AudienceFacts;
  other: { audience: 'customer' | 'employee'; summary: Part<Summary>; units: Part<Breakdown> };
  /** The ids of the report's unit subtree; null for the whole organisation. */
  subtree: Set<string> | null;
  /** Customer-only sections (the closed loop, benchmarks and the economics concern customers). */
  benchmarks: Part<Benchmarks>;
  loop: Part<LoopReport>;
  loopByUnit: Part<LoopReport>;
  values: Part<Values>;
  baskets: Part<Baskets>;
  transitions: Part<Transitions>;
  moveCosts: Part<MoveCosts>;
  scenarios: Part<Scenarios>;
  forecast: Part<Forecast>;
  targets: Part<Targets>;
  goals: Part<Goals>;
}

/** Minimum answers for a group to be marked or ranked: the dashboard's default. */
export const MIN_ANSWERS = 30;
const VERBATIMS_PER_THEME = 2;
const THEMES_QUOTED = 4;

async function part<T>(work: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (e) {
    if (e instanceof AppError) {
      return { ok: false, reason: e.code === 'forbidden' ? 'forbidden' : 'error', detail: e.message };
    }
    throw e;
  }
}

const notApplicable = <T>(detail: string): Part<T> => ({ ok: false, reason: 'not_applicable', detail });

/** The grain of the trend: weeks up to a quarter, months up to three years, quarters beyond. */
export function grainOf(from: string, to: string): 'week' | 'month' | 'quarter' {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  return days <= 92 ? 'week' : days <= 3 * 366 ? 'month' : 'quarter';
}

/** The level to rank units at: branches when the subtree has any, else the most common level under the top. */
async function rankingLevel(ctx: Ctx, unitId: string | null) {
  const units = await unitsById(ctx);
  const root = unitId ? units.get(unitId) : undefined;
  const inside = [...units.values()].filter((u) => !root || u.path.startsWith(root.path));
  const kinds = new Map<string, number>();
  for (const u of inside)
    if (u.kind !== 'company' && u.id !== root?.id) kinds.set(u.kind, (kinds.get(u.kind) ?? 0) + 1);
  if (kinds.has('branch')) return 'branch' as const;
  const top = [...kinds].sort((a, b) => b[1] - a[1])[0]?.[0];
  return (top ?? 'branch') as 'branch';
}

async function audienceFacts(
  ctx: Ctx,
  o: ReportOptions,
  audience: 'customer' | 'employee',
  step: () => void,
): Promise<AudienceFacts> {
  const filters = { from: o.from, to: o.to, ...(o.unitId ? { unitId: o.unitId } : {}) };
  const customer = audience === 'customer';
  const done = <T>(p: Promise<T>) => p.finally(step);
  const customersOnly = notApplicable<Breakdown>('customers only');
  const level = await rankingLevel(ctx, o.unitId);
  // The reads do not depend on each other: on PostgreSQL they go out together (PGlite queues them).
  const [s, t, units, revenue, visits, channels, r, themes, surveys] = await Promise.all([
    done(part(() => summary(ctx, audience, filters))),
    done(part(() => trend(ctx, audience, { ...filters, grain: grainOf(o.from, o.to) }))),
    done(
      part(() =>
        breakdown(ctx, audience, {
          ...filters,
          by: 'unit',
          ...(o.unitId ? { parentId: o.unitId } : {}),
          minAnswers: MIN_ANSWERS,
        }),
      ),
    ),
    customer
      ? part(() => breakdown(ctx, audience, { ...filters, by: 'revenue', minAnswers: MIN_ANSWERS }))
      : customersOnly,
    customer
      ? part(() => breakdown(ctx, audience, { ...filters, by: 'visits', minAnswers: MIN_ANSWERS }))
      : customersOnly,
    customer
      ? part(() => breakdown(ctx, audience, { ...filters, by: 'channel', minAnswers: MIN_ANSWERS }))
      : customersOnly,
    done(part(() => ranking(ctx, audience, { ...filters, of: 'unit', level, minAnswers: MIN_ANSWERS }))),
    done(part(() => themesOverview(ctx, { audience, ...filters }))),
    surveysOf(ctx, o, audience),
  ]);
  const verbatims: Verbatim[] = [];
  if (themes.ok && !themes.data.hidden) {
    // Quote the themes that weigh most: the strongest drivers of detraction first (their detractors' words), then
    // the most mentioned.
    const quoted = [...themes.data.themes]
      .filter((x) => !x.hidden && (x.mentions ?? 0) > 0)
      .sort((a, b) => (b.impact ?? 0) - (a.impact ?? 0) || (b.mentions ?? 0) - (a.mentions ?? 0))
      .slice(0, THEMES_QUOTED);
    const pages = await Promise.all(
      quoted.map((theme) =>
        part(() =>
          themeVerbatims(ctx, theme.id, {
            audience,
            ...filters,
            limit: VERBATIMS_PER_THEME,
            ...(theme.driver?.leaning === 'detractors' && { scoreMax: 6 }),
          }),
        ),
      ),
    );
    const quotedIds = new Set<string>();
    quoted.forEach((theme, i) => {
      const page = pages[i]!;
      for (const v of page.ok ? page.data.items : []) {
        // An answer naming two themes is quoted once.
        if (quotedIds.has(v.id)) continue;
        quotedIds.add(v.id);
        const text = maskVerbatim(v.reason ?? '');
        if (text) verbatims.push({ themeId: theme.id, score: v.score, text, day: v.day });
      }
    });
  }
  step();
  return {
    audience,
    summary: s,
    trend: t,
    units,
    revenue,
    visits,
    channels,
    ranking: r,
    themes,
    verbatims,
    surveys,
  };
}

async function surveysOf(
  ctx: Ctx,
  o: ReportOptions,
  audience: 'customer' | 'employee',
): Promise<SurveyFacts[]> {
  const surveys: SurveyFacts[] = [];
  for (const id of await surveyIdsOf(ctx, audience)) {
    const sv = await findSurvey(ctx, id);
    const texts = sv.texts[o.locale] ?? sv.texts[sv.defaultLocale];
    surveys.push({ name: officeText(sv.name), question: officeText(texts?.question ?? ''), kind: sv.kind });
  }
  return surveys;
}

/** The saved scenarios (at most 6) evaluated on today's base, as the Economics page compares them. */
async function savedScenarios(ctx: Ctx, unitId: string | null): Promise<Part<Scenarios>> {
  const saved = await part(() => listScenarios(ctx));
  if (!saved.ok) return saved;
  if (saved.data.length === 0) return notApplicable<Scenarios>('no saved scenarios');
  return part(() =>
    compareScenarios(ctx, {
      unitId,
      scenarios: saved.data.slice(0, 6).map((x) => ({ ...x.input, name: x.name })),
    }),
  );
}

/** Everything the report shows, read through the dashboard's own services; `progress` moves to 0.8. */
export async function reportFacts(ctx: Ctx, o: ReportOptions, progress: Progress): Promise<ReportFacts> {
  const steps = 18;
  let finished = 0;
  const step = () => progress(Math.min(0.8, (0.8 * ++finished) / steps));
  const org = await getOrg(ctx);
  const units = await unitsById(ctx);
  const unit = o.unitId ? units.get(o.unitId) : undefined;
  const otherAudience = o.audience === 'customer' ? 'employee' : 'customer';
  const filters = { from: o.from, to: o.to, ...(o.unitId ? { unitId: o.unitId } : {}) };
  const customer = o.audience === 'customer';
  const skip = <T>() => Promise.resolve(notApplicable<T>('customer report only'));
  const unitQuery = { unitId: o.unitId };
  const done = <T>(p: Promise<T>) => p.finally(step);
  // The economics reads build on its cache: the values make sure it is fresh, the rest then read it together.
  const economics = async () => {
    const values = await done(part(() => segmentValuesReport(ctx, unitQuery)));
    const forecastP = done(part(() => forecastReport(ctx, unitQuery)));
    const [forecast, transitions, moveCosts, scenarios, targets] = await Promise.all([
      forecastP,
      done(part(() => transitionsReport(ctx, unitQuery))),
      done(part(() => moveCostsReport(ctx, unitQuery))),
      done(savedScenarios(ctx, o.unitId)),
      done(part(() => proposedTargets(ctx, unitQuery))),
    ]);
    const baskets = await done(
      part(() =>
        basketsReport(ctx, { unitId: o.unitId, shares: null }, async () =>
          forecast.ok ? (forecast.data.markov.at(-1)?.shares ?? null) : null,
        ),
      ),
    );
    return { values, forecast, transitions, moveCosts, scenarios, targets, baskets };
  };
  const [main, otherSummary, otherUnits, benchmarks, loop, loopByUnit, goals, money] = await Promise.all([
    audienceFacts(ctx, o, o.audience, step),
    done(part(() => summary(ctx, otherAudience, filters))),
    done(
      part(() =>
        breakdown(ctx, otherAudience, {
          ...filters,
          by: 'unit',
          ...(o.unitId ? { parentId: o.unitId } : {}),
          minAnswers: MIN_ANSWERS,
        }),
      ),
    ),
    customer ? done(part(() => getBenchmarks(ctx, { from: o.from, to: o.to }))) : skip<Benchmarks>(),
    customer ? done(part(() => caseLoopMetrics(ctx, { from: o.from, to: o.to }))) : skip<LoopReport>(),
    customer
      ? done(part(() => caseLoopMetrics(ctx, { from: o.from, to: o.to, groupBy: 'unit' })))
      : skip<LoopReport>(),
    done(
      part(async () => {
        const all = await listGoals(ctx, o.unitId ? { unitId: o.unitId } : {});
        return all.filter((g) => g.period.to >= o.from && g.period.from <= o.to);
      }),
    ),
    customer ? economics() : null,
  ]);
  const none = notApplicable<never>('customer report only');
  const { values, forecast, transitions, moveCosts, scenarios, targets, baskets } = money ?? {
    values: none,
    forecast: none,
    transitions: none,
    moveCosts: none,
    scenarios: none,
    targets: none,
    baskets: none,
  };
  return {
    options: o,
    org: { name: officeText(org.name), timeZone: org.timeZone, currency: org.currency },
    unit: unit ? { id: unit.id, name: officeText(unit.name) } : null,
    generatedAt: ctx.clock(),
    main,
    other: { audience: otherAudience, summary: otherSummary, units: otherUnits },
    subtree: unit
      ? new Set([...units.values()].filter((u) => u.path.startsWith(unit.path)).map((u) => u.id))
      : null,
    benchmarks,
    loop,
    loopByUnit,
    values,
    baskets,
    transitions,
    moveCosts,
    scenarios,
    forecast,
    targets,
    goals,
  };
}
