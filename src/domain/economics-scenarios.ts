/** @module Cost of moving customers between segments, what-if scenarios (moves, retention, budget → NPS, revenue, LTV, ROI), proposed targets. */
import { lifetimeValue, SEGMENTS, type ValueAssumptions } from './economics.js';
import type { Segment } from './nps.js';
import { wilsonInterval } from './proportion-interval.js';

const RANK: Record<Segment, number> = { detractor: 0, passive: 1, promoter: 2 };

/** Whether a customer now in `reached` counts as moved from `from` to `to` (at least as far as `to`). */
export const reaches = (from: Segment, to: Segment, reached: Segment): boolean =>
  RANK[to] > RANK[from] && RANK[reached] >= RANK[to];

/**
 * Closed cases as the cost model sees them, aggregated (one row per opening segment, re-survey segment and action):
 * how many, how many had a recorded cost, and the sum of those costs.
 */
export interface CaseOutcome {
  from: Segment;
  /** Segment of the re-survey answer; null when the customer was not re-surveyed (or did not answer). */
  resurveyed: Segment | null;
  /** The action recorded on the cases (matched to programmes by name); null when none. */
  action: string | null;
  cases: number;
  costedCases: number;
  /** Σ recorded costs of the costed cases, minor units. */
  costMinor: number;
}

export interface Programme {
  id: string;
  name: string;
  from: Segment;
  to: Segment;
  costPerCustomerMinor: number;
  /** The org's own expectation (0–1), used until enough cases name the programme. */
  assumedSuccessRate: number | null;
}

/** Observed success of a programme needs this many re-surveyed cases naming it; below, the assumed rate is used. */
export const MIN_OBSERVED_ATTEMPTS = 10;

export interface MoveCost {
  from: Segment;
  to: Segment;
  /** Re-surveyed cases opened on `from` answers. */
  attempts: number;
  successes: number;
  successRate: { value: number; ci95: [number, number] } | null;
  /** Mean recorded cost per case (cases with a cost), minor units. */
  costPerAttempt: number | null;
  casesWithCost: number;
  /** Σ recorded cost / successes: what one moved customer cost. */
  costPerMoved: number | null;
}

export interface ProgrammeCost extends Programme {
  observed: { attempts: number; successes: number };
  /** The rate used: observed when attempts ≥ MIN_OBSERVED_ATTEMPTS, else assumed; null when neither is known. */
  successRate: number | null;
  rateSource: 'observed' | 'assumed' | null;
  /** cost per customer / success rate. */
  costPerMoved: number | null;
}

/**
 * The cost of moving one customer from → to from the loop's own record: of the re-surveyed cases opened on a
 * `from` answer, the share whose re-survey reached `to` (Wilson 95% interval), and Σ recorded costs / successes.
 */
export function moveCostsFromCases(cases: readonly CaseOutcome[]): MoveCost[] {
  const out: MoveCost[] = [];
  const sum = (rows: readonly CaseOutcome[], f: (c: CaseOutcome) => number) =>
    rows.reduce((a, c) => a + f(c), 0);
  for (const from of SEGMENTS) {
    const opened = cases.filter((c) => c.from === from);
    const tried = opened.filter((c) => c.resurveyed !== null);
    for (const to of SEGMENTS) {
      if (RANK[to] <= RANK[from]) continue;
      const won = tried.filter((c) => reaches(from, to, c.resurveyed as Segment));
      const attempts = sum(tried, (c) => c.cases);
      const successes = sum(won, (c) => c.cases);
      const costed = sum(opened, (c) => c.costedCases);
      // Cost per moved customer: what the re-surveyed cases with a cost spent, over how many of those moved.
      const spentTried = sum(tried, (c) => c.costMinor);
      const costedTried = sum(tried, (c) => c.costedCases);
      const costedSuccesses = sum(won, (c) => c.costedCases);
      const w = attempts > 0 ? wilsonInterval(successes, attempts) : null;
      out.push({
        from,
        to,
        attempts,
        successes,
        successRate: w ? { value: successes / attempts, ci95: [w.low, w.high] } : null,
        costPerAttempt: costed > 0 ? sum(opened, (c) => c.costMinor) / costed : null,
        casesWithCost: costed,
        costPerMoved: costedTried > 0 && costedSuccesses > 0 ? spentTried / costedSuccesses : null,
      });
    }
  }
  return out;
}

const normalName = (s: string) => s.trim().toLocaleLowerCase('ru');

/** Each programme's cost per moved customer: its price over its success rate (observed on cases naming it, else assumed). */
export function programmeCosts(
  programmes: readonly Programme[],
  cases: readonly CaseOutcome[],
): ProgrammeCost[] {
  return programmes.map((p) => {
    const named = cases.filter(
      (c) =>
        c.action !== null && normalName(c.action) === normalName(p.name) && c.from === p.from && c.resurveyed,
    );
    const attempts = named.reduce((a, c) => a + c.cases, 0);
    const successes = named
      .filter((c) => reaches(p.from, p.to, c.resurveyed as Segment))
      .reduce((a, c) => a + c.cases, 0);
    const observed = attempts >= MIN_OBSERVED_ATTEMPTS;
    const rate = observed ? successes / attempts : p.assumedSuccessRate;
    return {
      ...p,
      observed: { attempts, successes },
      successRate: rate,
      rateSource: observed ? 'observed' : rate === null ? null : 'assumed',
      costPerMoved: rate !== null && rate > 0 ? p.costPerCustomerMinor / rate : null,
    };
  });
}

/** The cheapest known way to move one customer from → to: a programme, else the loop's cases. */
export function cheapestMove(
  from: Segment,
  to: Segment,
  cases: readonly MoveCost[],
  programmes: readonly ProgrammeCost[],
): { costPerMoved: number; source: 'programme' | 'cases'; programmeId?: string } | null {
  const options = [
    ...programmes
      .filter((p) => p.from === from && p.to === to && p.costPerMoved !== null)
      .map((p) => ({
        costPerMoved: p.costPerMoved as number,
        source: 'programme' as const,
        programmeId: p.id,
      })),
    ...cases
      .filter((c) => c.from === from && c.to === to && c.costPerMoved !== null)
      .map((c) => ({ costPerMoved: c.costPerMoved as number, source: 'cases' as const })),
  ];
  options.sort((a, b) => a.costPerMoved - b.costPerMoved);
  return options[0] ?? null;
}

export type Counts = Record<Segment, number>;

/** What a scenario starts from: customers per segment (org-wide and per unit subtree) and each segment's economics. */
export interface ScenarioBase {
  customers: Counts;
  units: Record<string, Counts>;
  /** Revenue per customer-year (minor units) and annual retention per segment; null when not estimable. */
  revenuePerYear: Record<Segment, number | null>;
  retention: Record<Segment, number | null>;
  assumptions: ValueAssumptions;
  /** Cost of moving one customer, per "from>to", when known. */
  moveCost: Partial<Record<`${Segment}>${Segment}`, number>>;
}

export interface ScenarioMove {
  from: Segment;
  to: Segment;
  /** Share of the segment's customers moved, 0–1. */
  share: number;
  /** A unit whose subtree's customers move; absent = the whole base. */
  unitId?: string | null;
  /** Cost per customer the user expects; absent = the cheapest known move cost (per customer moved). */
  costPerCustomerMinor?: number | null;
}

export interface RetentionChange {
  segment: Segment;
  /** Percentage points added to the annual retention, −100…100. */
  points: number;
  /** What the retention programme costs in all, minor units. */
  costMinor?: number | null;
}

export interface ScenarioInput {
  name: string;
  budgetMinor?: number | null;
  moves: ScenarioMove[];
  retention: RetentionChange[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** Cross-field checks the schema cannot make: shares that add up over 100%, retention leaving [0, 1], unknown units. */
export function checkScenario(input: ScenarioInput, base: ScenarioBase, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const outOf = new Map<string, number>();
  input.moves.forEach((m, i) => {
    const at = `${prefix}moves.${i}`;
    if (!(m.share >= 0 && m.share <= 1)) problems.push({ path: `${at}.share`, message: 'A share is 0–100%' });
    if (m.from === m.to) problems.push({ path: `${at}.to`, message: 'Moves to another segment' });
    if (m.unitId && !base.units[m.unitId])
      problems.push({ path: `${at}.unitId`, message: 'No such unit in your scope' });
    const key = `${m.unitId ?? '*'}:${m.from}`;
    const total = (outOf.get(key) ?? 0) + m.share;
    outOf.set(key, total);
    if (total > 1 + 1e-9) {
      problems.push({ path: `${at}.share`, message: `Moves out of ${m.from} add up to more than 100%` });
    }
  });
  input.retention.forEach((r, i) => {
    const at = `${prefix}retention.${i}.points`;
    const now = base.retention[r.segment];
    if (now === null) {
      problems.push({
        path: at,
        message: `The retention of ${r.segment}s is not known yet (too little data)`,
      });
    } else if (now + r.points / 100 > 1 + 1e-9 || now + r.points / 100 < -1e-9) {
      problems.push({
        path: at,
        message: `Retention would leave 0–100% (now ${(now * 100).toFixed(1)}%)`,
      });
    }
  });
  return problems;
}

export interface ScenarioState {
  customers: Counts;
  shares: Counts | null;
  nps: number | null;
  /** Expected revenue of the base over the next year: Σ n_s · R_s · r_s. */
  revenueNextYear: number | null;
  /** Σ n_s · LTV_s. */
  totalLtv: number | null;
}

export interface ScenarioResult {
  name: string;
  before: ScenarioState;
  after: ScenarioState;
  moved: number;
  revenueChange: number | null;
  ltvChange: number | null;
  /** Σ moved × cost per customer + retention costs; null when a move's cost is unknown. */
  cost: number | null;
  unknownCosts: string[];
  budgetMinor: number | null;
  withinBudget: boolean | null;
  /** (ΔLTV − cost) / cost. */
  roi: number | null;
}

function stateOf(
  customers: Counts,
  revenue: ScenarioBase['revenuePerYear'],
  retention: Record<Segment, number | null>,
  a: ValueAssumptions,
): ScenarioState {
  const n = customers.promoter + customers.passive + customers.detractor;
  const known = SEGMENTS.every((s) => customers[s] === 0 || (revenue[s] !== null && retention[s] !== null));
  const sum = (f: (s: Segment) => number) =>
    SEGMENTS.reduce((acc, s) => acc + (customers[s] === 0 ? 0 : f(s)), 0);
  return {
    customers,
    shares:
      n > 0
        ? {
            promoter: customers.promoter / n,
            passive: customers.passive / n,
            detractor: customers.detractor / n,
          }
        : null,
    nps: n > 0 ? (100 * (customers.promoter - customers.detractor)) / n : null,
    revenueNextYear: known
      ? sum((s) => customers[s] * Math.max(0, revenue[s] as number) * (retention[s] as number))
      : null,
    totalLtv: known
      ? sum((s) => customers[s] * lifetimeValue(revenue[s] as number, retention[s] as number, a))
      : null,
  };
}

/**
 * A what-if on the base: move shares of segments (org-wide or a unit's subtree) and change retention; a moved
 * customer takes the revenue and retention of the segment reached (a deterministic expected-value model). Costs:
 * the user's per-customer cost, else the cheapest known move (programmes, cases). ROI = (ΔLTV − cost) / cost.
 * Call checkScenario first: this assumes valid input.
 */
export function evaluateScenario(input: ScenarioInput, base: ScenarioBase): ScenarioResult {
  const after: Counts = { ...base.customers };
  let moved = 0;
  let cost = 0;
  const unknownCosts: string[] = [];
  for (const m of input.moves) {
    const pool = m.unitId ? (base.units[m.unitId]?.[m.from] ?? 0) : base.customers[m.from];
    const count = Math.min(after[m.from], pool * m.share);
    after[m.from] -= count;
    after[m.to] += count;
    moved += count;
    const unit = m.costPerCustomerMinor ?? base.moveCost[`${m.from}>${m.to}`] ?? null;
    if (unit === null) {
      if (count > 0) unknownCosts.push(`${m.from}>${m.to}`);
    } else cost += count * unit;
  }
  const retention = { ...base.retention };
  for (const r of input.retention) {
    const now = retention[r.segment];
    if (now !== null) retention[r.segment] = Math.min(1, Math.max(0, now + r.points / 100));
    cost += r.costMinor ?? 0;
  }
  const before = stateOf(base.customers, base.revenuePerYear, base.retention, base.assumptions);
  const then = stateOf(after, base.revenuePerYear, retention, base.assumptions);
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const ltvChange = diff(then.totalLtv, before.totalLtv);
  const knownCost = unknownCosts.length === 0 ? cost : null;
  const budget = input.budgetMinor ?? null;
  return {
    name: input.name,
    before,
    after: then,
    moved,
    revenueChange: diff(then.revenueNextYear, before.revenueNextYear),
    ltvChange,
    cost: knownCost,
    unknownCosts: [...new Set(unknownCosts)],
    budgetMinor: budget,
    withinBudget: budget === null || knownCost === null ? null : knownCost <= budget,
    roi:
      knownCost !== null && knownCost > 0 && ltvChange !== null ? (ltvChange - knownCost) / knownCost : null,
  };
}

export type TargetReason =
  | { code: 'current'; nps: number; n: number }
  | { code: 'forecast'; nps: number; ci95: [number, number]; steps: number }
  | { code: 'trend'; slopePerPeriod: number }
  | { code: 'loopUplift'; points: number }
  | { code: 'bestUnit'; nps: number; unitName: string }
  | { code: 'industryLeader'; nps: number; industry: string }
  | { code: 'upperBand'; nps: number }
  | { code: 'insufficient'; reason: string };

export interface ProposedTarget {
  current: number | null;
  reachable: number | null;
  ambitious: number | null;
  reasoning: TargetReason[];
}

const clampNps = (x: number) => Math.max(-100, Math.min(100, x));
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Proposed NPS targets. Reachable = the Markov forecast at the horizon + the uplift of closing the loop on the
 * detractors not reached yet (the scenario the loop's own record supports). Ambitious = the better of the best
 * unit today and the industry leader; where the unit already beats both, the forecast's upper 95% band. It is never
 * below the reachable target.
 */
export function proposeTarget(input: {
  current: { nps: number; n: number } | null;
  forecast: { nps: number; ci95: [number, number]; steps: number } | null;
  loopUplift: number | null;
  bestUnit: { nps: number; unitName: string } | null;
  industryLeader: { nps: number; industry: string } | null;
}): ProposedTarget {
  const reasoning: TargetReason[] = [];
  if (input.current) reasoning.push({ code: 'current', nps: round1(input.current.nps), n: input.current.n });
  if (!input.forecast) {
    reasoning.push({ code: 'insufficient', reason: 'too_few_transitions' });
    return {
      current: input.current ? round1(input.current.nps) : null,
      reachable: null,
      ambitious: null,
      reasoning,
    };
  }
  reasoning.push({
    code: 'forecast',
    nps: round1(input.forecast.nps),
    ci95: [round1(input.forecast.ci95[0]), round1(input.forecast.ci95[1])],
    steps: input.forecast.steps,
  });
  const uplift = Math.max(0, input.loopUplift ?? 0);
  if (uplift > 0) reasoning.push({ code: 'loopUplift', points: round1(uplift) });
  const reachable = round1(clampNps(input.forecast.nps + uplift));
  const candidates: number[] = [reachable];
  if (input.bestUnit) {
    reasoning.push({ code: 'bestUnit', nps: round1(input.bestUnit.nps), unitName: input.bestUnit.unitName });
    candidates.push(round1(input.bestUnit.nps));
  }
  if (input.industryLeader) {
    reasoning.push({
      code: 'industryLeader',
      nps: round1(input.industryLeader.nps),
      industry: input.industryLeader.industry,
    });
    candidates.push(round1(input.industryLeader.nps));
  }
  // Already the best unit and above the leader: the stretch is the forecast's upper band.
  if (Math.max(...candidates) === reachable) {
    const upper = round1(clampNps(input.forecast.ci95[1] + uplift));
    reasoning.push({ code: 'upperBand', nps: upper });
    candidates.push(upper);
  }
  return {
    current: input.current ? round1(input.current.nps) : null,
    reachable,
    ambitious: Math.max(...candidates),
    reasoning,
  };
}
