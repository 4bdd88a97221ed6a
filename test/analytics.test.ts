// Analytics through the HTTP API on a real database: hand-counted figures by period, unit, employee and band, the
// rollups against a rebuild, the answers behind a number, bad input, and one organisation never seeing another's.

import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../src/db/index.js';
import { localDay } from '../src/domain/period.js';
import { rebuildRollups, writeBatch } from '../src/modules/answers/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
const u: Record<'company' | 'north' | 'a' | 'a1' | 'a2' | 'b', string> = {} as never;
const e: Record<'anna' | 'boris', string> = {} as never;
let customerSurvey: string;
let employeeSurvey: string;
let otherUnit: string;

const at = (iso: string) => {
  world.now = new Date(iso);
};

/** Visits (one per customer) and the answers to the invitations about them, at the world's time. */
async function visitAndAnswer(
  customers: string[],
  visit: { unitId: string; employeeId: string; service: string; amountMinor: number },
  scores: number[],
) {
  const { items: contacts } = await expectJson(
    org.api('POST', '/api/v1/contacts/batch', {
      items: customers.map((customerId) => ({
        customerId,
        ...visit,
        occurredAt: new Date(world.now.getTime() - 3_600_000).toISOString(),
      })),
    }),
    200,
  );
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${customerSurvey}/invitations`, {
      contactIds: contacts.map((c: { id: string }) => c.id),
    }),
    201,
  );
  await answer(customerSurvey, items, scores, 'customer');
  return items as { url: string }[];
}

/** Answers invitations through the answers' group-commit batch (the survey page's own path, without its rate limit). */
async function answer(
  surveyId: string,
  invitations: { id: string }[],
  scores: number[],
  audience: 'customer' | 'employee',
) {
  const db = world.runtime.database.db;
  const rows = await db
    .select()
    .from(tables.invitations)
    .where(
      inArray(
        tables.invitations.id,
        invitations.map((i) => i.id),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const recorded = await writeBatch(
    db,
    invitations.map((inv, i) => {
      const r = byId.get(inv.id)!;
      return {
        audience,
        orgId: org.orgId,
        surveyId,
        invitationId: r.id,
        customerId: r.customerId,
        contactId: r.contactId,
        unitId: r.unitId,
        employeeId: r.employeeId,
        channel: r.channel,
        locale: r.locale,
        score: scores[i]!,
        reason: `причина ${scores[i]}`,
        answeredAt: world.now,
        day: localDay(world.now, 'Europe/Moscow'),
      };
    }),
    { toLoop: false },
  );
  expect(recorded.every(Boolean)).toBe(true);
}

const get = (path: string, who: TestOrg = org) => who.api('GET', path);
const repeat = (score: number, times: number) => new Array<number>(times).fill(score);
let octoberTver: { url: string }[];

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-09-10T10:00:00Z') });
  org = await buildOrg(world);
  other = await buildOrg(world);
  const unit = async (name: string, kind: string, parentId?: string) =>
    (await expectJson(org.api('POST', '/api/v1/units', { name, kind, parentId }), 201)).id as string;
  u.company = await unit('Компания', 'company');
  u.north = await unit('Север', 'region', u.company);
  u.a = await unit('Арбат', 'branch', u.north);
  u.a1 = await unit('Арбат — зал', 'department', u.a);
  u.a2 = await unit('Арбат — бассейн', 'department', u.a);
  u.b = await unit('Тверская', 'branch', u.north);
  otherUnit = (await expectJson(other.api('POST', '/api/v1/units', { name: 'Чужой', kind: 'branch' }), 201))
    .id;
  e.anna = (await expectJson(org.api('POST', '/api/v1/employees', { name: 'Анна', unitId: u.a1 }), 201)).id;
  e.boris = (await expectJson(org.api('POST', '/api/v1/employees', { name: 'Борис', unitId: u.b }), 201)).id;
  customerSurvey = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', {
        name: 'После визита',
        audience: 'customer',
        kind: 'transactional',
      }),
      201,
    )
  ).id;
  employeeSurvey = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'eNPS', audience: 'employee', kind: 'relationship' }),
      201,
    )
  ).id;
  const batch = async (prefix: string) =>
    (
      await expectJson(
        org.api('POST', '/api/v1/customers/batch', {
          items: Array.from({ length: 40 }, (_, i) => ({ externalId: `${prefix}${i}` })),
        }),
        200,
      )
    ).items.map((c: { id: string }) => c.id) as string[];
  const arbat = await batch('a');
  const tver = await batch('b');
  // Revenue bands fixed before any answer: under 500 ₽ | 500–10,000 ₽ | 10,000 ₽ and more.
  await expectJson(
    org.api('PUT', '/api/v1/analytics/settings', {
      revenue: { mode: 'fixed', boundsMinor: [50_000, 1_000_000] },
    }),
    200,
  );

  // September: Arbat 30×10, 10×7 (NPS +75); Tverskaya 10×9, 10×8, 20×3 (NPS −25). One visit each.
  await visitAndAnswer(arbat, { unitId: u.a1, employeeId: e.anna, service: 'Фитнес', amountMinor: 200_000 }, [
    ...repeat(10, 30),
    ...repeat(7, 10),
  ]);
  await visitAndAnswer(tver, { unitId: u.b, employeeId: e.boris, service: 'Бассейн', amountMinor: 10_000 }, [
    ...repeat(9, 10),
    ...repeat(8, 10),
    ...repeat(3, 20),
  ]);
  // October: Arbat 20×10, 10×8, 10×5 (+25); Tverskaya 20×9, 20×7 (+50). A second visit each.
  at('2026-10-20T10:00:00Z');
  await visitAndAnswer(arbat, { unitId: u.a1, employeeId: e.anna, service: 'Фитнес', amountMinor: 200_000 }, [
    ...repeat(10, 20),
    ...repeat(8, 10),
    ...repeat(5, 10),
  ]);
  octoberTver = await visitAndAnswer(
    tver,
    { unitId: u.b, employeeId: e.boris, service: 'Бассейн', amountMinor: 10_000 },
    [...repeat(9, 20), ...repeat(7, 20)],
  );
  // Three employees answer the eNPS survey: too few to show.
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${employeeSurvey}/invitations`, { count: 3, unitId: u.a1 }),
    201,
  );
  await answer(employeeSurvey, items, [9, 9, 9], 'employee');
  at('2026-11-20T10:00:00Z');
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
        ['unit&parentId=' + u.north, 'revenue', 'visits', 'service', 'employee'].map(
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
      return r.json();
    };
    expect(
      (await problem('/api/v1/analytics/customers/summary?from=2026-10-01&to=2026-09-01', 400)).errors[0]
        .path,
    ).toBe('from');
    await problem('/api/v1/analytics/customers/trend?from=2000-01-01&to=2026-01-01', 400);
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

  it('keeps one organisation’s numbers from another', async () => {
    const s = await expectJson(get(`/api/v1/analytics/customers/summary?${period}`, other), 200);
    expect(s.total.n).toBe(0);
    expect(s.empty.reason).toBe('no_surveys');
    await expectJson(get(`/api/v1/analytics/customers/summary?surveyId=${customerSurvey}`, other), 404);
    await expectJson(get(`/api/v1/analytics/customers/breakdown?by=unit&parentId=${u.north}`, other), 404);
  });
});
