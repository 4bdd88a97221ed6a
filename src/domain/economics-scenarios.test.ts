import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CaseOutcome,
  cheapestMove,
  checkScenario,
  evaluateScenario,
  moveCostsFromCases,
  programmeCosts,
  proposeTarget,
  type ScenarioBase,
} from './economics-scenarios.js';

// H = 1 year, no discount: LTV = margin × revenue = 0.5·10,000 = 5,000 (P), 4,000 (Pa), 2,500 (D)
const base: ScenarioBase = {
  customers: { promoter: 100, passive: 100, detractor: 100 },
  units: { branch: { promoter: 50, passive: 50, detractor: 40 } },
  revenuePerYear: { promoter: 10_000, passive: 8000, detractor: 5000 },
  retention: { promoter: 0.9, passive: 0.8, detractor: 0.6 },
  assumptions: { margin: 0.5, discountRate: 0, horizonYears: 1 },
  moveCost: { 'detractor>passive': 1000 },
};

describe('evaluateScenario', () => {
  it('moves 20% of detractors to passive, by hand', () => {
    const r = evaluateScenario(
      {
        name: 'A',
        budgetMinor: 25_000,
        moves: [{ from: 'detractor', to: 'passive', share: 0.2 }],
        retention: [],
      },
      base,
    );
    // 20 moved: D 80, Pa 120; NPS 0 → (100 − 80)/300 = 6.67
    expect(r.moved).toBe(20);
    expect(r.after.nps).toBeCloseTo(20 / 3, 10);
    expect(r.after.shares?.passive).toBeCloseTo(0.4, 12);
    // ΔLTV = 20 × (4,000 − 2,500) = 30,000; cost = 20 × 1,000 = 20,000; ROI = (30,000 − 20,000)/20,000 = 0.5
    expect(r.ltvChange).toBeCloseTo(30_000, 6);
    expect(r.cost).toBe(20_000);
    expect(r.roi).toBeCloseTo(0.5, 12);
    expect(r.withinBudget).toBe(true);
    // revenue next year: 20 × (8,000·0.8 − 5,000·0.6) = 20 × 3,400 = 68,000
    expect(r.revenueChange).toBeCloseTo(68_000, 6);
  });

  it('moves within a unit, raises retention, and leaves ROI unknown when a cost is unknown', () => {
    const r = evaluateScenario(
      {
        name: 'B',
        moves: [{ from: 'passive', to: 'promoter', share: 0.5, unitId: 'branch' }],
        retention: [{ segment: 'passive', points: 5 }],
      },
      base,
    );
    // half of the branch's 50 passives = 25
    expect(r.moved).toBe(25);
    expect(r.cost).toBeNull();
    expect(r.unknownCosts).toEqual(['passive>promoter']);
    expect(r.roi).toBeNull();
  });

  it('keeps shares summing to 1 and never lowers LTV when only retention rises', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (share, points) => {
          const r = evaluateScenario(
            {
              name: 'P',
              moves: [{ from: 'detractor', to: 'promoter', share, costPerCustomerMinor: 10 }],
              retention: [{ segment: 'promoter', points }],
            },
            base,
          );
          const s = r.after.shares!;
          expect(s.promoter + s.passive + s.detractor).toBeCloseTo(1, 12);
          const onlyRetention = evaluateScenario(
            { name: 'R', moves: [], retention: [{ segment: 'promoter', points }] },
            base,
          );
          expect(onlyRetention.ltvChange).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('checkScenario', () => {
  it('refuses absurd input naming the field', () => {
    const problems = checkScenario(
      {
        name: 'X',
        moves: [
          { from: 'detractor', to: 'passive', share: 1.5 },
          { from: 'passive', to: 'passive', share: 0.1 },
          { from: 'passive', to: 'promoter', share: 0.1, unitId: 'nowhere' },
        ],
        retention: [{ segment: 'promoter', points: 30 }],
      },
      base,
    );
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('moves.0.share');
    expect(paths).toContain('moves.1.to');
    expect(paths).toContain('moves.2.unitId');
    // 0.9 + 0.30 = 1.2 > 1
    expect(paths).toContain('retention.0.points');
  });

  it('refuses moves out of one segment that add up to more than 100%', () => {
    const problems = checkScenario(
      {
        name: 'Y',
        moves: [
          { from: 'detractor', to: 'passive', share: 0.7 },
          { from: 'detractor', to: 'promoter', share: 0.5 },
        ],
        retention: [],
      },
      base,
    );
    expect(problems).toEqual([
      { path: 'moves.1.share', message: 'Moves out of detractor add up to more than 100%' },
    ]);
  });
});

describe('the cost of moving a customer', () => {
  // 10 re-surveyed detractor cases, each costing 500: 4 became passives, 2 promoters, 4 stayed
  const cases: CaseOutcome[] = [
    {
      from: 'detractor',
      resurveyed: 'passive',
      action: 'Звонок управляющего',
      cases: 4,
      costedCases: 4,
      costMinor: 2000,
    },
    { from: 'detractor', resurveyed: 'promoter', action: null, cases: 2, costedCases: 2, costMinor: 1000 },
    { from: 'detractor', resurveyed: 'detractor', action: null, cases: 4, costedCases: 4, costMinor: 2000 },
    { from: 'detractor', resurveyed: null, action: null, cases: 5, costedCases: 0, costMinor: 0 },
  ];

  it('divides what the cases cost by the customers they moved, by hand', () => {
    const costs = moveCostsFromCases(cases);
    const toPassive = costs.find((c) => c.from === 'detractor' && c.to === 'passive')!;
    // reached passive or better: 4 + 2 = 6 of 10; 5,000 / 6 = 833.33 per moved customer
    expect(toPassive.attempts).toBe(10);
    expect(toPassive.successes).toBe(6);
    expect(toPassive.successRate?.value).toBeCloseTo(0.6, 12);
    expect(toPassive.costPerMoved).toBeCloseTo(5000 / 6, 9);
    expect(toPassive.costPerAttempt).toBe(500);
    const toPromoter = costs.find((c) => c.from === 'detractor' && c.to === 'promoter')!;
    // 2 of 10 → 5,000 / 2 = 2,500
    expect(toPromoter.costPerMoved).toBe(2500);
  });

  it('prices a programme by its assumed rate until enough cases name it, and picks the cheapest', () => {
    const [p] = programmeCosts(
      [
        {
          id: 'p1',
          name: 'Звонок управляющего',
          from: 'detractor',
          to: 'passive',
          costPerCustomerMinor: 300,
          assumedSuccessRate: 0.5,
        },
      ],
      cases,
    );
    // 4 cases name it (< 10): assumed 0.5 → 300 / 0.5 = 600
    expect(p?.rateSource).toBe('assumed');
    expect(p?.observed).toEqual({ attempts: 4, successes: 4 });
    expect(p?.costPerMoved).toBe(600);
    expect(cheapestMove('detractor', 'passive', moveCostsFromCases(cases), [p!])).toEqual({
      costPerMoved: 600,
      source: 'programme',
      programmeId: 'p1',
    });
  });
});

describe('proposeTarget', () => {
  it('reaches for the forecast plus the loop, and for the best unit or the leader as ambition', () => {
    const t = proposeTarget({
      current: { nps: 30, n: 400 },
      forecast: { nps: 33.04, ci95: [28, 38], steps: 4 },
      loopUplift: 2,
      bestUnit: { nps: 45, unitName: 'Арбат' },
      industryLeader: { nps: 60, industry: 'Fitness' },
    });
    // reachable 33.04 + 2 = 35.0; ambitious max(45, 60) = 60
    expect(t.reachable).toBe(35);
    expect(t.ambitious).toBe(60);
    expect(t.reasoning.map((r) => r.code)).toEqual([
      'current',
      'forecast',
      'loopUplift',
      'bestUnit',
      'industryLeader',
    ]);
  });

  it('stretches to the upper band when the unit already leads, and says when it cannot forecast', () => {
    const t = proposeTarget({
      current: { nps: 70, n: 100 },
      forecast: { nps: 71, ci95: [65, 77], steps: 4 },
      loopUplift: null,
      bestUnit: { nps: 50, unitName: 'Сокол' },
      industryLeader: null,
    });
    expect(t.ambitious).toBe(77);
    const none = proposeTarget({
      current: null,
      forecast: null,
      loopUplift: null,
      bestUnit: null,
      industryLeader: null,
    });
    expect(none.reachable).toBeNull();
    expect(none.reasoning).toEqual([{ code: 'insufficient', reason: 'too_few_transitions' }]);
  });
});
