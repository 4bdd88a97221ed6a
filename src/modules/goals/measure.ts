// The actual value of a goal's or a KPI's indicator over some days, for a part of the organisation, read from the
// analytics (NPS, detractors), distribution (response rate) and loop-metrics (cases) services as that part sees it.
import { type GoalMetric, type Measurement, MIN_GOAL_N, type Period } from '../../domain/goals.js';
import { shareOf } from '../../domain/loop-metrics.js';
import type { Tally } from '../../domain/nps.js';
import { customerTotal } from '../analytics/index.js';
import { responseRates } from '../distribution/index.js';
import type { Ctx, Role } from '../kernel/index.js';
import { caseLoopMetrics } from '../loop-metrics/index.js';
import { surveyIdsOf } from '../surveys/index.js';

/** No user has this id: a scope acting "as a unit" owns no cases of its own. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * Whose figures: a unit's subtree (`unitIds`), the whole organisation (null), or a person's view — a front-line
 * user's cases are the ones they own, a manager's those of their units.
 */
export interface MeasureScope {
  unitIds: string[] | null;
  person?: { userId: string; role: Role };
}

/** A context that sees exactly the scope. Callers check first that the acting user may see that much. */
export function scopedContext(ctx: Ctx, scope: MeasureScope): Ctx {
  if (scope.person) {
    return {
      ...ctx,
      actor: { kind: 'user', userId: scope.person.userId, role: scope.person.role, unitIds: scope.unitIds },
    };
  }
  if (scope.unitIds === null) return { ...ctx, actor: { kind: 'system' } };
  return { ...ctx, actor: { kind: 'user', userId: NOBODY, role: 'manager', unitIds: scope.unitIds } };
}

export type MeasurementView = Measurement & { smallSample: boolean };

/** An NPS tally and the measurements it gives (withheld when thin), for the change test of planned actions. */
export interface NpsFacts {
  tally: Tally;
  nps: MeasurementView;
  detractorShare: MeasurementView;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Thin data gives no number at all (see MIN_GOAL_N): the n stays, so the reader sees why. */
function withholdThin(m: MeasurementView): MeasurementView {
  return m.n < MIN_GOAL_N ? { value: null, ci95: null, n: m.n, smallSample: true } : m;
}

/** A Share of the loop metrics (fractions) in percent points. */
function percentOf(share: {
  n: number;
  share: number | null;
  ci95: [number, number] | null;
  smallSample: boolean;
}) {
  return {
    value: share.share === null ? null : round1(share.share * 100),
    ci95: share.ci95
      ? ([round1(share.ci95[0] * 100), round1(share.ci95[1] * 100)] as [number, number])
      : null,
    n: share.n,
    smallSample: share.smallSample,
  };
}

/**
 * A meter for one request: measures indicators and remembers what it read, so the KPI table of ten front-line
 * people of one branch reads the branch's NPS once.
 */
export function createMeter(ctx: Ctx) {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let hit = cache.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = read();
      cache.set(key, hit);
    }
    return hit;
  };
  const keyOf = (scope: MeasureScope, window: Period) =>
    `${scope.person ? `${scope.person.role}:${scope.person.userId}` : ''}|${scope.unitIds?.join(',') ?? '*'}|${window.from}|${window.to}`;
  let surveys: Promise<string[]> | undefined;

  const npsFacts = (scope: MeasureScope, window: Period): Promise<NpsFacts> =>
    // NPS does not depend on whose cases: only on the units.
    once(`nps|${keyOf({ unitIds: scope.unitIds }, window)}`, async () => {
      const t = await customerTotal(scopedContext(ctx, { unitIds: scope.unitIds }), window);
      return {
        tally: { promoters: t.promoters, passives: t.passives, detractors: t.detractors },
        nps: withholdThin({ value: t.nps, ci95: t.ci95, n: t.n, smallSample: t.smallSample }),
        detractorShare: withholdThin(percentOf(shareOf(t.detractors, t.n))),
      };
    });

  const responseRate = (scope: MeasureScope, window: Period): Promise<MeasurementView> =>
    once(`rr|${keyOf({ unitIds: scope.unitIds }, window)}`, async () => {
      surveys ??= surveyIdsOf(ctx, 'customer');
      const scoped = scopedContext(ctx, { unitIds: scope.unitIds });
      let sent = 0;
      let answered = 0;
      for (const surveyId of await surveys) {
        const { total } = await responseRates(scoped, surveyId, { ...window, groupBy: 'channel' });
        sent += total.sent;
        answered += total.answered;
      }
      return withholdThin(percentOf(shareOf(answered, sent)));
    });

  const loop = (scope: MeasureScope, window: Period) =>
    once(
      `loop|${keyOf(scope, window)}`,
      async () => (await caseLoopMetrics(scopedContext(ctx, scope), window)).total,
    );

  return {
    npsFacts,
    async measure(metric: GoalMetric, scope: MeasureScope, window: Period): Promise<MeasurementView> {
      switch (metric) {
        case 'nps':
          return (await npsFacts(scope, window)).nps;
        case 'detractorShare':
          return (await npsFacts(scope, window)).detractorShare;
        case 'responseRate':
          return responseRate(scope, window);
        case 'contactedWithin48h':
          return withholdThin(percentOf((await loop(scope, window)).contactedWithin48h));
        case 'resolutionRate':
          return withholdThin(percentOf((await loop(scope, window)).resolutionRate));
      }
    },
  };
}

export type Meter = ReturnType<typeof createMeter>;
