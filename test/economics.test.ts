// Loyalty economics over HTTP on a real database: segment values worked by hand, baskets, transitions and the closed
// loop's effect, move costs, scenarios, forecast and targets, incremental refresh, scopes, tenants and bad input.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifetimeValue } from '../src/domain/economics.js';
import { proposedTargets } from '../src/modules/economics/index.js';
import { FULL_REFRESH_MS } from '../src/modules/economics/refresh.js';
import { createSurvey, DAY, seedClub, seedCohort } from './economics-seed.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
let arbat: string;
let sokol: string;
let surveyId: string;
let manager: TestUser;
let club: Awaited<ReturnType<typeof seedClub>>;

const YEAR_DAYS = 365.25;
// Defaults: margin 0.3, discount 0.15, 5 years.
const assumptions = { margin: 0.3, discountRate: 0.15, horizonYears: 5 };

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-11-20T10:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  other = await buildOrg(world, 'Чужой клуб');
  arbat = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201)).id;
  sokol = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201)).id;
  surveyId = await createSurvey(org);
  club = await seedClub(world, org, arbat, surveyId);
  manager = await buildUser(world, org, { role: 'manager', unitIds: [sokol] });
});

afterAll(async () => {
  await world?.close();
});

const get = (o: { api: TestOrg['api'] }, path: string, status = 200) =>
  expectJson(o.api('GET', path), status);

describe('segment values', () => {
  it('works out revenue, retention and LTV of promoters and detractors by hand', async () => {
    const v = await get(org, '/api/v1/economics/values');
    expect(JSON.stringify(v)).not.toMatch(/NaN|Infinity/);
    const seg = Object.fromEntries(v.segments.map((s: { segment: string }) => [s.segment, s]));
    // Promoters: 12 visits × 200,000 in the 365-day window; a year of 365/365.25; nobody lost → r = 1
    const rP = 2_400_000 / (365 / YEAR_DAYS);
    expect(seg.promoter.customers).toBe(40);
    expect(seg.promoter.revenuePerYear.value).toBeCloseTo(rP, 3);
    expect(seg.promoter.retention.value).toBe(1);
    expect(seg.promoter.expectedLifetimeYears).toBeNull();
    expect(seg.promoter.ltv.value).toBeCloseTo(lifetimeValue(rP, 1, assumptions), 3);
    // Detractors: 20 active (1,200,000 over 365 days; observed from the first visit 700 days ago to the churn cut
    // 180 days ago = 520 days) and 20 lost (visits 720…300 days ago: 3 = 300,000 in the window, over the 95 days
    // from its start to a month after the last visit; observed 420 days):
    // R = 30,000,000 / (9,200/365.25) = 1,191,033; λ = 20 / (18,800/365.25) = 0.3886, r = e^(−λ) = 0.6780
    const rD = 30_000_000 / (9200 / YEAR_DAYS);
    const lambda = 20 / (18_800 / YEAR_DAYS);
    expect(seg.detractor.lost).toBe(20);
    expect(seg.detractor.active).toBe(20);
    expect(seg.detractor.revenuePerYear.value).toBeCloseTo(rD, 3);
    expect(seg.detractor.retention.value).toBeCloseTo(Math.exp(-lambda), 10);
    expect(seg.detractor.expectedLifetimeYears).toBeCloseTo(1 / lambda, 10);
    expect(seg.detractor.ltv.value).toBeCloseTo(lifetimeValue(rD, Math.exp(-lambda), assumptions), 3);
    for (const s of v.segments) {
      expect(s.ltv.ci95[0]).toBeLessThanOrEqual(s.ltv.value);
      expect(s.ltv.ci95[1]).toBeGreaterThanOrEqual(s.ltv.value);
    }
    // The money between them, and what is at stake
    expect(v.differences.promoterVsDetractor.perCustomer.value).toBeCloseTo(
      seg.promoter.ltv.value - seg.detractor.ltv.value,
      3,
    );
    // Detractors' revenue at risk: 20 active × 1,200,000 a year = 24,000,000
    expect(v.atStake.detractorRevenueAtRisk).toBe(24_000_000);
    expect(v.atStake.detractorExpectedLoss).toBeCloseTo(24_000_000 * (1 - Math.exp(-lambda)), 3);
    expect(v.dataQuality).toMatchObject({ customers: 120, unanswered: 0, oneVisit: 0, netNegative: 0 });
    expect(v.referrals.available).toBe(false);
    expect(v.formula).toContain('LTV');
  });

  it('lists customers with their window revenue, visits per year, tenure and latest segment', async () => {
    const list = await get(org, '/api/v1/economics/customers?segment=promoter&limit=5');
    expect(list.total).toBe(40);
    expect(list.items).toHaveLength(5);
    const first = list.items[0];
    expect(first).toMatchObject({
      segment: 'promoter',
      score: 9,
      revenueWindowMinor: 2_400_000,
      contactsWindow: 12,
      lost: false,
    });
    expect(first.visitsPerYear).toBeCloseTo(12 / (365 / YEAR_DAYS), 6);
    // first visit 700 days ago (every 30 days from 10)
    expect(first.tenureDays).toBe(700);
  });

  it('says the data is too thin instead of printing a number, for an organisation without customers', async () => {
    const v = await get(other, '/api/v1/economics/values');
    for (const s of v.segments) {
      expect(s.ltv).toBeNull();
      expect(s.insufficient).toBe('too_few_customers');
    }
    expect(v.differences.promoterVsDetractor.perCustomer).toBeNull();
    expect(JSON.stringify(v)).not.toMatch(/NaN|Infinity/);
    const f = await get(other, '/api/v1/economics/forecast');
    expect(f.insufficient).toBe('too_few_customers');
    expect(f.markov).toEqual([]);
    const t = await get(other, '/api/v1/economics/transitions');
    expect(t.transitions).toBe(0);
    expect(t.insufficient).toBe('too_few_transitions');
  });
});

describe('baskets', () => {
  it('finds what is typical of promoters and of detractors', async () => {
    const b = await get(org, '/api/v1/economics/baskets');
    expect(b.customers).toEqual({ promoter: 40, passive: 40, detractor: 40 });
    const by = Object.fromEntries(b.services.map((s: { service: string }) => [s.service, s]));
    expect(by['Персональная тренировка'].typicalOf).toBe('promoter');
    expect(by['Персональная тренировка'].bySegment.promoter).toMatchObject({
      buyers: 40,
      share: 1,
      visitsPerBuyer: 12,
    });
    expect(by.Заморозка.typicalOf).toBe('detractor');
    expect(by.Заморозка.bySegment.detractor.share).toBe(0.5);
    expect(b.test).toContain('Benjamini');
  });

  it('forecasts the basket for given shares and refuses shares that do not add up', async () => {
    const b = await get(org, '/api/v1/economics/baskets?promoter=1&passive=0&detractor=0');
    expect(b.forecast.source).toBe('given');
    const pt = b.forecast.rows.find((r: { service: string }) => r.service === 'Персональная тренировка');
    // Everyone a promoter: every customer buys personal training
    expect(pt.buyersShareThen).toBeCloseTo(1, 12);
    const bad = await expectJson(
      org.api('GET', '/api/v1/economics/baskets?promoter=0.7&passive=0.7&detractor=0'),
      422,
    );
    expect(bad.errors[0].path).toBe('promoter');
  });
});

describe('transitions and the cost of moving', () => {
  it('counts consecutive answers and the closed loop’s effect on detractors', async () => {
    const t = await get(org, '/api/v1/economics/transitions');
    // 20 passive→promoter, 20 detractor→passive with a closed case, 10 detractor→passive and 10 detractor→detractor without
    expect(t.transitions).toBe(60);
    const d = t.matrix.find((r: { from: string }) => r.from === 'detractor');
    expect(d.n).toBe(40);
    expect(d.to.passive.p).toBeCloseTo(0.75, 12);
    expect(t.matrix.find((r: { from: string }) => r.from === 'promoter').insufficient).toBe(true);
    expect(t.closedLoop.withCase).toEqual({ n: 20, improved: 20, share: 1 });
    expect(t.closedLoop.withoutCase).toEqual({ n: 20, improved: 10, share: 0.5 });
    expect(t.closedLoop.difference).toBeCloseTo(0.5, 12);
    expect(t.byUnit[0]).toMatchObject({ unitId: arbat, name: 'Арбат', transitions: 60 });
    expect(t.byPeriod.length).toBeGreaterThan(0);
  });

  it('prices a move from the cases’ costs and a programme’s', async () => {
    await expectJson(
      org.api('POST', '/api/v1/economics/programmes', {
        name: 'Бесплатная персональная тренировка',
        from: 'passive',
        to: 'promoter',
        costPerCustomerMinor: 150_000,
        assumedSuccessRate: 0.3,
      }),
      201,
    );
    const costs = await get(org, '/api/v1/economics/move-costs');
    const dp = costs.fromCases.find(
      (c: { from: string; to: string }) => c.from === 'detractor' && c.to === 'passive',
    );
    // 20 re-surveyed cases × 50,000, all moved to passive: 1,000,000 / 20 = 50,000 per moved customer
    expect(dp).toMatchObject({ attempts: 20, successes: 20, costPerMoved: 50_000, costPerAttempt: 50_000 });
    const prog = costs.programmes[0];
    // 150,000 / 0.3 = 500,000 per promoter made
    expect(prog).toMatchObject({ rateSource: 'assumed', costPerMoved: 500_000 });
    expect(costs.cheapest).toContainEqual(
      expect.objectContaining({ from: 'passive', to: 'promoter', costPerMoved: 500_000 }),
    );
  });

  it('refuses a programme that moves customers down, and a second with the same name', async () => {
    const down = await expectJson(
      org.api('POST', '/api/v1/economics/programmes', {
        name: 'X',
        from: 'promoter',
        to: 'detractor',
        costPerCustomerMinor: 1,
      }),
      422,
    );
    expect(down.errors[0].path).toBe('to');
    const twice = await expectJson(
      org.api('POST', '/api/v1/economics/programmes', {
        name: 'Бесплатная персональная тренировка',
        from: 'detractor',
        to: 'passive',
        costPerCustomerMinor: 1,
      }),
      409,
    );
    expect(twice.errors[0].path).toBe('name');
  });
});

describe('scenarios', () => {
  it('evaluates moves side by side with cost and ROI', async () => {
    const r = await expectJson(
      org.api('POST', '/api/v1/economics/scenarios/evaluate', {
        scenarios: [
          {
            name: '20% детракторов Арбата → пассивы',
            budgetMinor: 150_000,
            moves: [{ from: 'detractor', to: 'passive', share: 0.2, unitId: arbat }],
            retention: [],
          },
          {
            name: 'Удержание детракторов +5 п.',
            moves: [],
            retention: [{ segment: 'detractor', points: 5, costMinor: 100_000 }],
          },
        ],
      }),
      200,
    );
    const [a, b] = r.results;
    // Active base 40 / 40 / 20: NPS (40 − 20)/100 = 20; 20% of 20 detractors = 4 moved → NPS (40 − 16)/100 = 24
    expect(a.before.nps).toBeCloseTo(20, 10);
    expect(a.moved).toBeCloseTo(4, 10);
    expect(a.after.nps).toBeCloseTo(24, 10);
    // 4 × 50,000 (the cases' cost per moved customer) = 200,000 > the budget of 150,000
    expect(a.cost).toBe(200_000);
    expect(a.withinBudget).toBe(false);
    expect(a.ltvChange).toBeGreaterThan(0);
    expect(b.ltvChange).toBeGreaterThan(0);
    expect(b.cost).toBe(100_000);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it('refuses absurd input with a message per field', async () => {
    const moved150 = await expectJson(
      org.api('POST', '/api/v1/economics/scenarios/evaluate', {
        scenarios: [{ name: 'X', moves: [{ from: 'detractor', to: 'passive', share: 1.5 }], retention: [] }],
      }),
      422,
    );
    expect(moved150.errors).toContainEqual({
      path: 'scenarios.0.moves.0.share',
      message: 'At most 100% of the segment',
    });
    const over = await expectJson(
      org.api('POST', '/api/v1/economics/scenarios/evaluate', {
        scenarios: [
          {
            name: 'Y',
            moves: [
              { from: 'detractor', to: 'passive', share: 0.8 },
              { from: 'detractor', to: 'promoter', share: 0.4 },
            ],
            retention: [{ segment: 'promoter', points: 10 }],
          },
        ],
      }),
      422,
    );
    const paths = over.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('scenarios.0.moves.1.share');
    // promoters' retention is already 100%
    expect(paths).toContain('scenarios.0.retention.0.points');
    // Another organisation's unit is not in this one's scope
    const foreignUnit = await expectJson(
      other.api('POST', '/api/v1/economics/scenarios/evaluate', {
        scenarios: [
          {
            name: 'Z',
            moves: [{ from: 'detractor', to: 'passive', share: 0.1, unitId: arbat }],
            retention: [],
          },
        ],
      }),
      422,
    );
    expect(foreignUnit.errors).toEqual([
      { path: 'scenarios.0.moves.0.unitId', message: 'No such unit in your scope' },
    ]);
  });

  it('saves a scenario and forecasts from it', async () => {
    const saved = await expectJson(
      org.api('POST', '/api/v1/economics/scenarios', {
        name: 'Половина детракторов → пассивы',
        moves: [{ from: 'detractor', to: 'passive', share: 0.5 }],
        retention: [],
      }),
      201,
    );
    const list = await get(org, '/api/v1/economics/scenarios');
    expect(list.items.map((s: { id: string }) => s.id)).toContain(saved.id);
    expect((await get(other, '/api/v1/economics/scenarios')).items).toEqual([]);
    await expectJson(other.api('DELETE', `/api/v1/economics/scenarios/${saved.id}`), 404);
    const f = await get(org, `/api/v1/economics/forecast?periods=3&scenarioId=${saved.id}`);
    expect(f.markov).toHaveLength(3);
    for (const s of f.markov) {
      expect(s.shares.promoter + s.shares.passive + s.shares.detractor).toBeCloseTo(1, 9);
      expect(s.npsCi95[0]).toBeLessThanOrEqual(s.nps);
      expect(s.npsCi95[1]).toBeGreaterThanOrEqual(s.nps);
    }
    // The what-if starts from 40 / 50 / 10
    expect(f.whatIf.start.detractor).toBeCloseTo(0.1, 12);
    expect(f.whatIf.markov[0].nps).toBeGreaterThan(f.markov[0].nps);
    expect(f.thinRows).toEqual(['promoter']);
  });
});

describe('proposed targets (the service goals read)', () => {
  it('proposes reachable and ambitious targets with the reasoning', async () => {
    const t = await proposedTargets(world.contextFor(org.orgId), { periods: 4 });
    expect(t.company.current).toBeCloseTo(20, 10);
    expect(t.company.reachable).not.toBeNull();
    expect(t.company.ambitious).toBeGreaterThanOrEqual(t.company.reachable as number);
    expect(t.company.reasoning.map((r) => r.code)).toContain('forecast');
    // The closed loop reached half the detractors with a +50-point effect: uplift 100 × 0.2 × 0.5 × 0.5 = 5 points
    expect(t.company.reasoning).toContainEqual({ code: 'loopUplift', points: 5 });
    expect(t.units.map((u) => u.unitId)).toContain(arbat);
    const viaHttp = await get(org, '/api/v1/economics/targets?periods=2');
    expect(viaHttp.periods).toBe(2);
  });
});

describe('the cache', () => {
  it('refreshes only the customers with new contacts or answers', async () => {
    await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    const db = world.runtime.database.db;
    await db.execute(sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      values (${org.orgId}, ${club.promoters[0]}, ${arbat}, 'Персональная тренировка', -200000, ${new Date(world.now.getTime() - DAY).toISOString()}::timestamptz)`);
    world.advance(61_000);
    const r = await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    expect(r).toMatchObject({ kind: 'incremental', customers: 1 });
    const list = await get(org, '/api/v1/economics/customers?segment=promoter&limit=500');
    const refunded = list.items.find((c: { customerId: string }) => c.customerId === club.promoters[0]);
    // A refund of 2,000 ₽ nets the window to 2,200,000 and counts as a 13th contact
    expect(refunded).toMatchObject({ revenueWindowMinor: 2_200_000, contactsWindow: 13 });
    const again = await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    expect(again.kind).toBe('none');
    const full = await expectJson(org.api('POST', '/api/v1/economics/refresh?full=true'), 200);
    expect(full).toMatchObject({ kind: 'full', customers: 120 });
  });

  it('rebuilds with new settings, and refuses impossible ones per field', async () => {
    const bad = await expectJson(
      org.api('PUT', '/api/v1/economics/settings', {
        margin: 1.5,
        discountRate: -0.1,
        churnDays: 5,
        horizonYears: 5,
        windowMonths: 12,
        bootstrapSamples: 200,
        forecastPeriod: 'quarter',
      }),
      422,
    );
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(['margin', 'discountRate', 'churnDays']);
    const saved = await expectJson(
      org.api('PUT', '/api/v1/economics/settings', {
        margin: 0.5,
        discountRate: 0.1,
        churnDays: 365,
        horizonYears: 3,
        windowMonths: 12,
        bootstrapSamples: 100,
        forecastPeriod: 'month',
      }),
      200,
    );
    expect(saved).toMatchObject({ margin: 0.5, isDefault: false, version: 1 });
    const v = await get(org, '/api/v1/economics/values');
    // Lost after 365 days: the detractors last seen 300 days ago are not lost any more
    expect(v.segments.find((s: { segment: string }) => s.segment === 'detractor').lost).toBe(0);
  });
});

describe('referrals and churn flags from the accounting system', () => {
  it('values word of mouth per segment', async () => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      externalId: `a-${i + 1}`,
      referredByExternalId: `p-${i + 1}`,
      referralSource: 'Друг',
    }));
    await expectJson(org.api('PUT', '/api/v1/economics/customer-marks', { items }), 200);
    world.advance(61_000);
    const v = await get(org, '/api/v1/economics/values');
    expect(v.referrals.available).toBe(true);
    const p = v.referrals.bySegment.find((r: { segment: string }) => r.segment === 'promoter');
    // 5 referrals by 40 promoters = 0.125 each; the referred are passives, worth the passives' LTV
    const passiveLtv = v.segments.find((s: { segment: string }) => s.segment === 'passive').ltv.value;
    expect(p.referralsPerCustomer).toBe(0.125);
    expect(p.valuePerCustomer).toBeCloseTo(0.125 * passiveLtv, 3);
    expect(v.referrals.sources[0]).toMatchObject({ source: 'Друг', customers: 5, bySegment: { passive: 5 } });
  });

  it('refuses unknown customers naming the item', async () => {
    const bad = await expectJson(
      org.api('PUT', '/api/v1/economics/customer-marks', {
        items: [{ externalId: 'nobody', churnedAt: '2026-01-01T00:00:00Z' }],
      }),
      422,
    );
    expect(bad.errors).toEqual([{ path: 'items.0.externalId', message: 'No customer with this externalId' }]);
    await expectJson(
      other.api('PUT', '/api/v1/economics/customer-marks', {
        items: [{ externalId: 'p-1', referralSource: 'x' }],
      }),
      422,
    );
  });
});

describe('scopes', () => {
  it('shows a manager only their units’ customers', async () => {
    await seedCohort(world, org, surveyId, {
      prefix: 's',
      count: 3,
      unitId: sokol,
      score: 10,
      firstDaysAgo: 100,
      lastDaysAgo: 10,
      amountMinor: 0,
      service: 'Бассейн',
    });
    world.advance(61_000);
    const v = await get(manager, '/api/v1/economics/values');
    expect(v.dataQuality.customers).toBe(3);
    expect(v.segments.find((s: { segment: string }) => s.segment === 'promoter').insufficient).toBe(
      'too_few_customers',
    );
    await expectJson(manager.api('GET', `/api/v1/economics/values?unitId=${arbat}`), 404);
    const list = await get(manager, '/api/v1/economics/customers');
    expect(list.total).toBe(3);
  });

  it('keeps front-line staff out and checks query parameters', async () => {
    const frontline = await buildUser(world, org, { role: 'frontline', unitIds: [arbat] });
    await expectJson(frontline.api('GET', '/api/v1/economics/values'), 403);
    const bad = await expectJson(org.api('GET', '/api/v1/economics/forecast?periods=50&unitId=nope'), 422);
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['periods', 'unitId']);
  });
});

describe('the whole rebuild off the request path', () => {
  it('keeps the baskets exact through incremental refreshes, and leaves the daily rebuild to the worker', async () => {
    const db = world.runtime.database.db;
    world.advance(61_000);
    await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    // Two detractors try the pool, and a passive answers again as a promoter (their basket changes segment)
    const day = new Date(world.now.getTime() - DAY).toISOString();
    await db.execute(sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      select ${org.orgId}, id, ${arbat}, ' Бассейн ', 80000, ${day}::timestamptz
      from unnest(${`{${club.detractorsActive.slice(0, 2).join(',')}}`}::uuid[]) as id`);
    await db.execute(sql`
      insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, answered_at)
      values (${org.orgId}, ${surveyId}, ${club.passivesOther[0]}, ${arbat}, 'email', 'ru', 10, ${day}::timestamptz)`);
    world.advance(61_000);
    const step = await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    expect(step).toMatchObject({ kind: 'incremental', customers: 3 });
    const incremental = await get(org, '/api/v1/economics/baskets');
    const pool = incremental.services.find((s: { service: string }) => s.service === 'Бассейн');
    expect(pool.bySegment.detractor).toMatchObject({ buyers: 2, visitsPerBuyer: 1, spendPerBuyer: 80_000 });
    await expectJson(org.api('POST', '/api/v1/economics/refresh?full=true'), 200);
    const whole = await get(org, '/api/v1/economics/baskets');
    expect(incremental.customers).toEqual(whole.customers);
    expect(incremental.services).toEqual(whole.services);

    // A day later a page takes in new data but does not rebuild whole on the request: the worker does
    const before = await get(org, '/api/v1/economics/values');
    expect(before.refresh).toMatchObject({ lastKind: 'full', buildingSince: null, lastError: null });
    world.advance(FULL_REFRESH_MS + 61_000);
    const read = await get(org, '/api/v1/economics/values');
    expect(read.refresh.fullAt).toBe(before.refresh.fullAt);
    await world.runtime.worker.runDue(world.now);
    const after = await get(org, '/api/v1/economics/values');
    expect(after.refresh).toMatchObject({
      fullAt: world.now.toISOString(),
      refreshedAt: world.now.toISOString(),
      nextFullAt: new Date(world.now.getTime() + FULL_REFRESH_MS).toISOString(),
      lastKind: 'full',
      buildingSince: null,
      lastError: null,
    });
    expect(after.refresh.lastFullMs).toBeGreaterThanOrEqual(0);
  });
});
