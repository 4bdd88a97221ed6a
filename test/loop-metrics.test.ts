// Loop metrics through the HTTP API: hand-worked figures over real cases, per unit, per manager, by month, each
// actor's scope, tenant isolation and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../src/db/index.js';
import { createUser } from '../src/modules/auth/index.js';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

const H = 3_600_000;
let world: World;
let org: TestOrg;
let other: TestOrg;
let branchA: string;
let branchB: string;
const users: Record<'olga' | 'petr' | 'manager' | 'analyst', { id: string; cookie: string }> = {} as never;

async function login(email: string, password: string): Promise<string> {
  const r = await world.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(r.status).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0] as string;
}

const as = (who: keyof typeof users, path: string) =>
  world.app.request(path, { headers: { cookie: users[who].cookie } });

/** Answers through the survey page (real responses), then the cases those answers opened, at chosen times. */
async function seedCases(
  o: TestOrg,
  specs: {
    unitId: string;
    owner: string | null;
    score: number;
    openedHoursAgo: number;
    contactAfter?: number;
    closedAfter?: number;
    status: 'new' | 'in_progress' | 'contacted' | 'resolved' | 'unresolved';
    escalationStep?: number;
    resurveyScore?: number;
  }[],
) {
  const survey = await expectJson(
    o.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  const { items } = await expectJson(
    o.api('POST', `/api/v1/surveys/${survey.id}/invitations`, { count: specs.length }),
    201,
  );
  for (const [i, spec] of specs.entries()) {
    expect((await submitForm(world, items[i].url, { score: String(spec.score) })).status).toBeLessThan(400);
  }
  const responses = await world.runtime.database.db
    .select({ id: tables.responses.id, invitationId: tables.responses.invitationId })
    .from(tables.responses);
  const now = world.now.getTime();
  await world.runtime.database.db.insert(tables.cases).values(
    specs.map((spec, i) => {
      const openedAt = now - spec.openedHoursAgo * H;
      const response = responses.find((r) => r.invitationId === items[i].id);
      if (!response) throw new Error('the answer was not stored');
      return {
        orgId: o.orgId,
        number: 1000 + i,
        responseId: response.id,
        surveyId: survey.id,
        unitId: spec.unitId,
        ownerUserId: spec.owner,
        ruleId: 'detractor',
        score: spec.score,
        status: spec.status,
        dueAt: new Date(openedAt + 48 * H),
        escalationStep: spec.escalationStep ?? 0,
        firstContactAt: spec.contactAfter === undefined ? null : new Date(openedAt + spec.contactAfter * H),
        closedAt: spec.closedAfter === undefined ? null : new Date(openedAt + spec.closedAfter * H),
        resurveyScore: spec.resurveyScore ?? null,
        createdAt: new Date(openedAt),
      };
    }),
  );
}

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-11-20T10:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  other = await buildOrg(world, 'Чужой клуб');
  branchA = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201)).id;
  branchB = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201)).id;
  const people = {
    olga: { name: 'Ольга', role: 'frontline', unitIds: [branchA] },
    petr: { name: 'Пётр', role: 'frontline', unitIds: [branchB] },
    manager: { name: 'Марина', role: 'manager', unitIds: [branchA] },
    analyst: { name: 'Анна', role: 'analyst', unitIds: [] },
  } as const;
  for (const [key, p] of Object.entries(people)) {
    const email = `${key}@example.com`;
    const password = 'correct horse battery';
    const user = await createUser(world.contextFor(org.orgId), {
      email,
      password,
      ...p,
      unitIds: [...p.unitIds],
    });
    users[key as keyof typeof users] = { id: user.id, cookie: await login(email, password) };
  }
  await seedCases(org, [
    // 1: contacted after 10 h, resolved after 30 h, re-surveyed 2 → 9
    {
      unitId: branchA,
      owner: users.olga.id,
      score: 2,
      openedHoursAgo: 100,
      contactAfter: 10,
      closedAfter: 30,
      status: 'resolved',
      resurveyScore: 9,
    },
    // 2: contacted after 60 h, still open and past due (due 32 h ago), escalated once
    {
      unitId: branchA,
      owner: users.olga.id,
      score: 5,
      openedHoursAgo: 80,
      contactAfter: 60,
      status: 'contacted',
      escalationStep: 1,
    },
    // 3: 10 hours old: neither judged on the 48 hours nor overdue
    { unitId: branchA, owner: users.olga.id, score: 6, openedHoursAgo: 10, status: 'new' },
    // 4: never contacted, closed as could not resolve after 100 h, escalated to the top
    {
      unitId: branchB,
      owner: users.petr.id,
      score: 0,
      openedHoursAgo: 200,
      closedAfter: 100,
      status: 'unresolved',
      escalationStep: 2,
    },
    // 5: contacted after 5 h, resolved after 20 h, re-surveyed 4 → 6
    {
      unitId: branchB,
      owner: users.petr.id,
      score: 4,
      openedHoursAgo: 50,
      contactAfter: 5,
      closedAfter: 20,
      status: 'resolved',
      resurveyScore: 6,
    },
    // 6: opened 200 days ago, before the default 90-day period, and still open: only in overdueNow
    { unitId: branchB, owner: users.petr.id, score: 1, openedHoursAgo: 200 * 24, status: 'new' },
  ]);
});

afterAll(async () => {
  await world?.close();
});

describe('loop metrics', () => {
  it('computes the whole organisation’s figures over the last 90 days by default', async () => {
    const report = await expectJson(org.api('GET', '/api/v1/loop/metrics'), 200);
    expect(report).toMatchObject({
      from: '2026-08-23',
      to: '2026-11-20',
      timeZone: 'Europe/Moscow',
      groupBy: null,
    });
    const t = report.total;
    expect(t).toMatchObject({ cases: 5, open: 2, resolved: 2, unresolved: 1, overdue: 1 });
    // judged (48 h passed): cases 1, 2, 4, 5; within 48 h: 1 (10 h) and 5 (5 h) → 2 of 4
    expect(t.contactedWithin48h).toMatchObject({ n: 4, count: 2, share: 0.5, smallSample: true });
    // first contacts 5, 10, 60 h: median 10; p90 at h = 2 × 0.9 = 1.8 → 10 + 0.8 × 50 = 50
    expect(t.timeToFirstContact).toEqual({ n: 3, medianHours: 10, p90Hours: 50, smallSample: true });
    // resolved after 20 and 30 h: median 25; p90 at h = 0.9 → 20 + 0.9 × 10 = 29
    expect(t.timeToResolution).toEqual({ n: 2, medianHours: 25, p90Hours: 29, smallSample: true });
    // closed 3 of 5; resolved 2 of the 3 closed; escalated 2 of 5
    expect(t.closedRate).toMatchObject({ count: 3, n: 5, share: 0.6 });
    expect(t.resolutionRate).toMatchObject({ count: 2, n: 3, share: 0.6667 });
    expect(t.escalationRate).toMatchObject({ count: 2, n: 5, share: 0.4 });
    // re-surveys: 2 → 9 (+7, now a promoter), 4 → 6 (+2): mean 4.5
    expect(t.resurvey).toEqual({
      n: 2,
      meanChange: 4.5,
      becamePromoters: 0.5,
      becamePassives: 0,
      smallSample: true,
    });
    // case 2 and the old case 6
    expect(report.overdueNow).toBe(2);
    expect(report.rows).toEqual([]);
  });

  it('takes the period as a number of days ending today', async () => {
    const week = await expectJson(org.api('GET', '/api/v1/loop/metrics?days=7'), 200);
    // 2026-11-14 … 2026-11-20: cases 2 (80 h ago), 3 (10 h) and 5 (50 h); 1 (100 h ≈ 4 days) too
    expect(week).toMatchObject({ from: '2026-11-14', to: '2026-11-20' });
    expect(week.total.cases).toBe(4);
  });

  it('splits per unit and per manager, the most cases first', async () => {
    const byUnit = await expectJson(org.api('GET', '/api/v1/loop/metrics?groupBy=unit'), 200);
    expect(byUnit.rows.map((r: { label: string; cases: number }) => [r.label, r.cases])).toEqual([
      ['Арбат', 3],
      ['Сокол', 2],
    ]);
    const byManager = await expectJson(org.api('GET', '/api/v1/loop/metrics?groupBy=manager'), 200);
    const olga = byManager.rows[0];
    expect(olga).toMatchObject({ key: users.olga.id, label: 'Ольга', cases: 3, overdue: 1 });
    // Ольга's judged cases: 1 (hit) and 2 (miss)
    expect(olga.contactedWithin48h).toMatchObject({ n: 2, count: 1 });
    expect(byManager.rows[1]).toMatchObject({ key: users.petr.id, label: 'Пётр', cases: 2 });
  });

  it('gives a monthly and a weekly trend with every period of the range, empty ones included', async () => {
    const monthly = await expectJson(
      org.api('GET', '/api/v1/loop/metrics?groupBy=month&from=2026-09-01&to=2026-11-30'),
      200,
    );
    expect(monthly.rows.map((r: { key: string; cases: number }) => [r.key, r.cases])).toEqual([
      ['2026-09', 0],
      ['2026-10', 0],
      ['2026-11', 5],
    ]);
    const weekly = await expectJson(
      org.api('GET', '/api/v1/loop/metrics?groupBy=week&from=2026-11-01&to=2026-11-20'),
      200,
    );
    // 2026-11-01 is a Sunday (W44); the 20th a Friday (W47)
    expect(weekly.rows.map((r: { key: string }) => r.key)).toEqual([
      '2026-W44',
      '2026-W45',
      '2026-W46',
      '2026-W47',
    ]);
    expect(weekly.rows.reduce((n: number, r: { cases: number }) => n + r.cases, 0)).toBe(5);
  });

  it('shows a manager their units, a front-line user their own cases, an analyst no names', async () => {
    const manager = await expectJson(as('manager', '/api/v1/loop/metrics'), 200);
    expect(manager.total.cases).toBe(3);
    expect(manager.overdueNow).toBe(1);
    const petr = await expectJson(as('petr', '/api/v1/loop/metrics'), 200);
    expect(petr.total).toMatchObject({ cases: 2, resolved: 1, unresolved: 1 });
    expect(petr.overdueNow).toBe(1);
    const analyst = await expectJson(as('analyst', '/api/v1/loop/metrics?groupBy=manager'), 200);
    expect(analyst.rows.map((r: { label: string | null; cases: number }) => [r.label, r.cases])).toEqual([
      [null, 3],
      [null, 2],
    ]);
  });

  it('shows another organisation none of these cases', async () => {
    const report = await expectJson(other.api('GET', '/api/v1/loop/metrics?groupBy=unit'), 200);
    expect(report.total.cases).toBe(0);
    expect(report.overdueNow).toBe(0);
    expect(report.total.contactedWithin48h).toMatchObject({ n: 0, share: null });
  });

  it('answers bad input with problem+json naming the field', async () => {
    for (const [query, field] of [
      ['from=2026-11-20&to=2026-11-01', 'from'],
      ['groupBy=year', 'groupBy'],
      ['from=2026-13-01', 'from'],
      ['from=2010-01-01&to=2026-11-20', 'from'],
      ['days=0', 'days'],
    ] as const) {
      const r = await org.api('GET', `/api/v1/loop/metrics?${query}`);
      expect(r.status, query).toBe(422);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      const body = (await r.json()) as { errors: { path: string }[] };
      expect(
        body.errors.map((e: { path: string }) => e.path),
        query,
      ).toContain(field);
    }
  });
});

// Last, because it moves the clock: a case the loop core opens and a front-line user works, counted as it goes.
describe('loop metrics of a case worked through the API', () => {
  it('counts the first contact, the resolution and, once 48 hours have passed, the contact on time', async () => {
    const live = await buildOrg(world, 'Живой цикл');
    const unit = await expectJson(live.api('POST', '/api/v1/units', { name: 'Центр', kind: 'branch' }), 201);
    const survey = await expectJson(
      live.api('POST', '/api/v1/surveys', {
        name: 'После визита',
        audience: 'customer',
        kind: 'transactional',
      }),
      201,
    );
    const user = await createUser(world.contextFor(live.orgId), {
      email: 'vera@example.com',
      password: 'correct horse battery',
      name: 'Вера',
      role: 'frontline',
      unitIds: [unit.id],
    });
    // Hours pass between her calls, past a session's 30 idle minutes: she signs in each time.
    const vera = async (method: string, path: string, body?: unknown) =>
      world.app.request(path, {
        method,
        headers: {
          cookie: await login('vera@example.com', 'correct horse battery'),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    const customer = await expectJson(
      live.api('POST', '/api/v1/customers', { name: 'Олег Ветров', phone: '+79160000001' }),
      201,
    );
    const contact = await expectJson(
      live.api('POST', '/api/v1/contacts', {
        customerId: customer.id,
        unitId: unit.id,
        occurredAt: new Date(world.now.getTime() - H).toISOString(),
      }),
      201,
    );
    const { items } = await expectJson(
      live.api('POST', `/api/v1/surveys/${survey.id}/invitations`, {
        contactIds: [contact.id],
        channel: 'email',
      }),
      201,
    );
    await submitForm(world, items[0].url, { score: '4', reason: 'Долго ждал' });
    await runLoopSweep(world.runtime.deps, world.now);
    const [opened] = (await expectJson(vera('GET', '/api/v1/cases'), 200)).items;
    expect(opened).toMatchObject({ status: 'new', owner: { id: user.id } });

    world.advance(5 * H);
    await expectJson(
      vera('POST', `/api/v1/cases/${opened.id}/attempts`, { channel: 'phone', outcome: 'reached' }),
      201,
    );
    world.advance(3 * H);
    await expectJson(
      vera('PATCH', `/api/v1/cases/${opened.id}`, {
        status: 'resolved',
        rootCause: 'service',
        actionCostMinor: 50_000,
      }),
      200,
    );
    const soon = await expectJson(vera('GET', '/api/v1/loop/metrics'), 200);
    expect(soon.total).toMatchObject({ cases: 1, resolved: 1, open: 0 });
    expect(soon.total.timeToFirstContact).toMatchObject({ n: 1, medianHours: 5 });
    expect(soon.total.timeToResolution).toMatchObject({ n: 1, medianHours: 8 });
    // 8 hours in: the 48-hour window has not run out, so the case is not judged yet.
    expect(soon.total.contactedWithin48h).toMatchObject({ n: 0, share: null });

    world.advance(48 * H);
    const later = await expectJson(live.api('GET', '/api/v1/loop/metrics?groupBy=manager'), 200);
    expect(later.total.contactedWithin48h).toMatchObject({ n: 1, count: 1, share: 1 });
    expect(later.rows).toEqual([expect.objectContaining({ key: user.id, label: 'Вера', cases: 1 })]);
  });
});
