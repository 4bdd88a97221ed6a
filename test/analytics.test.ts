// Analytics through the HTTP API on a real database: hand-counted figures by period, unit, employee and band, the
// rollups against a rebuild, the answers behind a number, bad input, and one organisation never seeing another's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../src/modules/answers/index.js';
import { type AnalyticsWorld, seedAnalytics } from './analytics-seed.js';
import { bodyOf, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
let u: AnalyticsWorld['u'];
let e: AnalyticsWorld['e'];
let customerSurvey: string;
let otherUnit: string;
let octoberTver: { url: string }[];

const at = (iso: string) => {
  world.now = new Date(iso);
};
const get = (path: string, who: TestOrg = org) => who.api('GET', path);

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-09-10T10:00:00Z') });
  ({ org, other, u, e, customerSurvey, otherUnit, octoberTver } = await seedAnalytics(world));
}, 240_000);

afterAll(() => world?.close());

const period = 'from=2026-09-01&to=2026-10-31';

describe('customer analytics', () => {
  it('sums the period: n, NPS with its interval, distribution, shares and the change tests', async () => {
    // 160 answers: promoters 30 + 10 + 20 + 20 = 80, detractors 20 + 10 = 30 → NPS 100·50/160 = 31.25.
    const s = await expectJson(get(`/api/v1/analytics/customers/summary?${period}`), 200);
    expect(s.total.n).toBe(160);
    expect(s.total.nps).toBe(31.3);
    expect(s.total.ci95[0]).toBeLessThan(31.25);
    expect(s.distribution[10]).toBe(50);
    expect(s.shares).toEqual({ promoters: 50, passives: 31.3, detractors: 18.8 });
    expect(s.test.name).toMatch(/z-test/);
    expect(s.previous.n).toBe(0);
    expect(s.changeFromPrevious).toBeNull();
    expect(s.responseRate).toMatchObject({ sent: 160, answered: 160, rate: 100 });
    expect(s.empty).toBeNull();
  });

  it('counts the same answers whether a period is read from whole months, days, or both', async () => {
    // The answers fall on 10 September and 20 October. 15 Aug–15 Nov reads days, two whole months, then days again.
    for (const range of ['from=2026-09-05&to=2026-10-25', 'from=2026-08-15&to=2026-11-15', period]) {
      const s = await expectJson(get(`/api/v1/analytics/customers/summary?${range}`), 200);
      expect([s.total.n, s.total.nps], range).toEqual([160, 31.3]);
    }
    const narrow = await expectJson(
      get('/api/v1/analytics/customers/summary?from=2026-09-11&to=2026-10-19'),
      200,
    );
    expect(narrow.total.n).toBe(0);
  });

  it('cuts the trend by month with the change from the month before, tested', async () => {
    // September: P 40, D 20 of 80 → +25. October: P 40, D 10 of 80 → +37.5.
    const t = await expectJson(get(`/api/v1/analytics/customers/trend?${period}&grain=month`), 200);
    expect(t.buckets.map((b: { key: string; nps: number; n: number }) => [b.key, b.nps, b.n])).toEqual([
      ['2026-09', 25, 80],
      ['2026-10', 37.5, 80],
    ]);
    expect(t.buckets[1].vsPrevious.diff).toBe(12.5);
    expect(typeof t.buckets[1].vsPrevious.significant).toBe('boolean');
    expect(t.buckets[0].vsPrevious).toBeNull(); // August had no answers
    const q = await expectJson(get(`/api/v1/analytics/customers/trend?${period}&grain=quarter`), 200);
    expect(
      q.buckets.map((b: { key: string; n: number; partial: boolean }) => [b.key, b.n, b.partial]),
    ).toEqual([
      ['2026-Q3', 80, true],
      ['2026-Q4', 80, true],
    ]);
  });

  it('drills down the unit tree with breadcrumbs and marks against the rest of the company', async () => {
    const top = await expectJson(get(`/api/v1/analytics/customers/breakdown?${period}&by=unit`), 200);
    expect(top.rows.map((r: { label: string; n: number }) => [r.label, r.n])).toEqual([['Север', 160]]);
    expect(top.rows[0].drillable).toBe(true);
    // Arbat: P 50, D 10 of 80 → +50; Tverskaya: P 30, D 20 of 80 → +12.5.
    const north = await expectJson(
      get(`/api/v1/analytics/customers/breakdown?${period}&by=unit&parentId=${u.north}`),
      200,
    );
    expect(north.breadcrumbs.map((b: { name: string }) => b.name)).toEqual(['Компания', 'Север']);
    expect(
      north.rows.map((r: { label: string; nps: number; mark: string }) => [r.label, r.nps, r.mark]),
    ).toEqual([
      ['Арбат', 50, 'above'],
      ['Тверская', 12.5, 'below'],
    ]);
    expect(north.markTest.name).toMatch(/Benjamini/);
  });

  it('breaks down by employee, service and the revenue and visit bands', async () => {
    const by = async (dim: string) =>
      (await expectJson(get(`/api/v1/analytics/customers/breakdown?${period}&by=${dim}`), 200)).rows.map(
        (r: { key: string; label: string; nps: number; n: number }) => [r.label, r.nps, r.n],
      );
    expect(await by('employee')).toEqual([
      ['Анна', 50, 80],
      ['Борис', 12.5, 80],
    ]);
    expect(await by('service')).toEqual([
      ['Фитнес', 50, 80],
      ['Бассейн', 12.5, 80],
    ]);
    // Arbat's customers spent 2,000 ₽ then 4,000 ₽ (band 1), Tverskaya's 100 ₽ then 200 ₽ (band 0).
    expect(await by('revenue')).toEqual([
      ['0–500 RUB', 12.5, 80],
      ['500–10000 RUB', 50, 80],
    ]);
    // One visit in September (band 1: "1 visits"), two by October (band 2).
    expect(await by('visits')).toEqual([
      ['1 visits', 25, 80],
      ['2–3 visits', 37.5, 80],
    ]);
  });

  it('combines filters no rollup holds by reading the answers', async () => {
    // Arbat's October answers: 20×10, 10×8, 10×5 → +25.
    const s = await expectJson(get(`/api/v1/analytics/customers/summary?${period}&revenue=1&visits=2`), 200);
    expect(s.source).toBe('answers');
    expect([s.total.n, s.total.nps]).toEqual([40, 25]);
    expect(s.responseRate.rate).toBeNull();
    const f = await expectJson(get(`/api/v1/analytics/customers/summary?${period}&revenue=1`), 200);
    expect(f.source).toBe('facet rollup');
    expect([f.total.n, f.total.nps]).toEqual([80, 50]);
    // One employee's answers by channel or unit: the employee rollup has neither column, so the answers are read.
    for (const by of ['channel', 'unit', 'survey']) {
      const b = await expectJson(
        get(`/api/v1/analytics/customers/breakdown?${period}&employeeId=${e.boris}&by=${by}`),
        200,
      );
      expect(b.total.n, by).toBe(80);
    }
    const c = await expectJson(
      get(`/api/v1/analytics/customers/summary?${period}&employeeId=${e.boris}&channel=link`),
      200,
    );
    expect([c.source, c.total.n, c.total.nps]).toEqual(['answers', 80, 12.5]);
  });

  it('ranks employees and branches by the shrunk score, with the raw one and the interval', async () => {
    await expectJson(get(`/api/v1/analytics/customers/ranking?${period}&of=branch`), 422);
    const branches = await expectJson(
      get(`/api/v1/analytics/customers/ranking?${period}&of=unit&level=branch`),
      200,
    );
    expect(branches.rows.map((x: { label: string; rank: number }) => [x.rank, x.label])).toEqual([
      [1, 'Арбат'],
      [2, 'Тверская'],
    ]);
    const first = branches.rows[0];
    expect(first.nps).toBe(50);
    expect(first.shrunk).toBeLessThanOrEqual(50);
    expect(first.shrunk).toBeGreaterThan(12.5);
    expect(first.ci95).toHaveLength(2);
    const people = await expectJson(
      get(`/api/v1/analytics/customers/ranking?${period}&of=employee&minAnswers=100`),
      200,
    );
    expect(people.rows).toEqual([]);
    expect(people.tooFew.map((x: { n: number }) => x.n)).toEqual([80, 80]);
  });

  it('lists the answers behind a row, page by page, with their reasons and bands', async () => {
    const q = `${period}&groupBy=unit&groupKey=${u.b}&segment=detractor&limit=15`;
    const page1 = await expectJson(get(`/api/v1/analytics/customers/answers?${q}`), 200);
    expect(page1.items).toHaveLength(15);
    expect(page1.items[0]).toMatchObject({
      score: 3,
      unitName: 'Тверская',
      employeeName: 'Борис',
      service: 'Бассейн',
      revenueBand: 0,
    });
    const page2 = await expectJson(
      get(`/api/v1/analytics/customers/answers?${q}&cursor=${page1.nextCursor}`),
      200,
    );
    expect(page2.items).toHaveLength(5);
    expect(page2.nextCursor).toBeNull();
    const oct = await expectJson(
      get(`/api/v1/analytics/customers/answers?${period}&bucket=2026-10&score=5`),
      200,
    );
    expect(oct.items).toHaveLength(10);
  });

  it('keeps the rollups equal to a rebuild from the answers, after an answer is amended', async () => {
    // A Tverskaya customer changes an October 7 to a 10 two hours later, through the survey page.
    at('2026-10-20T12:00:00Z');
    const last = octoberTver.at(-1)!;
    expect((await submitForm(world, last.url, { score: '10' })).status).toBeLessThan(400);
    at('2026-11-20T10:00:00Z');
    const read = async () =>
      Promise.all(
        [`unit&parentId=${u.north}`, 'revenue', 'visits', 'service', 'employee'].map(
          async (dim) =>
            (await expectJson(get(`/api/v1/analytics/customers/breakdown?${period}&by=${dim}`), 200)).rows,
        ),
      );
    const before = await read();
    await rebuildRollups(world.runtime.database.db, org.orgId);
    expect(await read()).toEqual(before);
  });

  it('shows an empty group as empty, with the reason', async () => {
    const s = await expectJson(get(`/api/v1/analytics/customers/summary?${period}&unitId=${u.a2}`), 200);
    expect(s.total).toMatchObject({ n: 0, nps: null });
    expect(s.empty.reason).toBe('no_answers');
  });
});

describe('employee analytics', () => {
  it('withholds a group of fewer than 5 answers and says why', async () => {
    const s = await expectJson(get('/api/v1/analytics/employees/summary?from=2026-09-01&to=2026-11-20'), 200);
    expect(s.total.nps).toBeNull();
    expect(s.distribution).toBeNull();
    expect(s.empty.reason).toBe('suppressed');
    const answers = await expectJson(
      get('/api/v1/analytics/employees/answers?from=2026-09-01&to=2026-11-20'),
      200,
    );
    expect(answers.items).toEqual([]);
  });

  it('never mixes in customers and refuses customer-only filters', async () => {
    const s = await expectJson(get(`/api/v1/analytics/employees/summary?${period}`), 200);
    expect(s.total.n).toBeLessThan(5);
    await expectJson(get(`/api/v1/analytics/employees/summary?${period}&channel=email`), 400);
    await expectJson(get(`/api/v1/analytics/employees/breakdown?${period}&by=employee`), 400);
    await expectJson(get(`/api/v1/analytics/employees/summary?surveyId=${customerSurvey}`), 400);
  });
});

describe('bad input', () => {
  it('answers problems, never a 500', async () => {
    const problem = async (path: string, status: number) => {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      expect(r.headers.get('content-type')).toMatch(/problem\+json/);
      return bodyOf(r);
    };
    expect(
      (await problem('/api/v1/analytics/customers/summary?from=2026-10-01&to=2026-09-01', 400)).errors[0]
        .path,
    ).toBe('from');
    await problem('/api/v1/analytics/customers/summary?from=1900-01-01&to=2026-01-01', 400);
    await problem('/api/v1/analytics/customers/trend?from=2006-01-01&to=2026-01-01&grain=week', 400);
    await problem(`/api/v1/analytics/customers/summary?unitId=${otherUnit}`, 404);
    await problem(
      '/api/v1/analytics/customers/breakdown?by=unit&parentId=00000000-0000-4000-8000-000000000000',
      404,
    );
    await problem('/api/v1/analytics/customers/summary?revenue=7', 400);
    await problem('/api/v1/analytics/customers/summary?service=Йога', 400);
    await problem('/api/v1/analytics/customers/trend?grain=year', 422);
    await problem('/api/v1/analytics/customers/answers?bucket=2026-13', 400);
    await problem('/api/v1/analytics/customers/summary?from=2026-02-30', 422);
  });

  it('describes every analysis route in the OpenAPI document, one set per audience', async () => {
    const doc = await expectJson(world.app.request('/api/openapi.json'), 200);
    for (const audience of ['customers', 'employees']) {
      for (const what of ['summary', 'trend', 'breakdown', 'ranking', 'answers']) {
        expect(Object.keys(doc.paths)).toContain(`/api/v1/analytics/${audience}/${what}`);
      }
    }
  });

  it('keeps one organisation’s numbers from another', async () => {
    const s = await expectJson(get(`/api/v1/analytics/customers/summary?${period}`, other), 200);
    expect(s.total.n).toBe(0);
    expect(s.empty.reason).toBe('no_surveys');
    await expectJson(get(`/api/v1/analytics/customers/summary?surveyId=${customerSurvey}`, other), 404);
    await expectJson(get(`/api/v1/analytics/customers/breakdown?by=unit&parentId=${u.north}`, other), 404);
  });
});
