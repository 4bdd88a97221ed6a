// Goals and the KPI matrix through the HTTP API on a real database: checkpoints interpolated from a measured
// baseline, actuals and status per checkpoint from real answers, the effect of a planned action, who sees and edits
// what, bad input named field by field, and the goals line of a manager's digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersAt, buildCustomerSurvey, buildUnit } from './goals-world.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
let region: string;
let arbat: string;
let sokol: string;
let surveyId: string;
let manager: TestUser;
let frontline: TestUser;
let analyst: TestUser;

beforeAll(async () => {
  world = await startWorld({ start: new Date('2025-11-01T09:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  other = await buildOrg(world, 'Чужой клуб');
  region = await buildUnit(org, 'Москва', 'region');
  arbat = await buildUnit(org, 'Арбат', 'branch', region);
  sokol = await buildUnit(org, 'Сокол', 'branch', region);
  surveyId = await buildCustomerSurvey(org);
  manager = await buildUser(world, org, { role: 'manager', unitIds: [arbat], name: 'Марина' });
  frontline = await buildUser(world, org, { role: 'frontline', unitIds: [arbat], name: 'Ольга' });
  analyst = await buildUser(world, org, { role: 'analyst', name: 'Анна' });
  // Q4 2025 (the baseline of a Q1 2026 goal): 8 − 6 of 20 → NPS 10.
  await answersAt(world, org, surveyId, '2025-11-10T09:00:00Z', arbat, [8, 6, 6]);
  // January 2026: 15 − 6 of 30 → NPS 30.
  await answersAt(world, org, surveyId, '2026-01-15T09:00:00Z', arbat, [15, 9, 6]);
  // February: 2 − 12 of 20 → NPS −50.
  await answersAt(world, org, surveyId, '2026-02-12T09:00:00Z', arbat, [2, 6, 12]);
  // March so far: 5 answers, too few to judge.
  await answersAt(world, org, surveyId, '2026-03-10T09:00:00Z', arbat, [3, 1, 1]);
  // Sokol, for scope: 10 promoters in January.
  await answersAt(world, org, surveyId, '2026-01-20T09:00:00Z', sokol, [10, 0, 0]);
  world.now = new Date('2026-03-15T09:00:00Z');
}, 180_000);

afterAll(async () => {
  await world?.close();
});

const arbatGoal = {
  name: 'NPS Арбата 40 к концу квартала',
  unitId: '',
  metric: 'nps',
  period: { kind: 'quarter', from: '2026-02-10' },
  cadence: 'month',
  target: 40,
};

describe('a goal with monthly checkpoints', () => {
  let goal: { id: string; version: number };

  it('measures the baseline over the quarter before and interpolates the checkpoint targets', async () => {
    const created = await expectJson(
      org.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: arbat, ownerIds: [manager.id] }),
      201,
    );
    goal = created;
    expect(created.period).toEqual({ kind: 'quarter', from: '2026-01-01', to: '2026-03-31' });
    // Baseline: Q4 2025, NPS 10 from 20 answers.
    expect(created.baseline).toBe(10);
    expect(created.baselineSource).toBe('measured');
    // Q1 has 90 days; 10 → 40 is ⅓ point a day: 31 Jan 10 + 30·31/90 = 20.3; 28 Feb 10 + 30·59/90 = 29.7; 31 Mar 40.
    expect(created.checkpoints.map((c: { day: string; target: number }) => [c.day, c.target])).toEqual([
      ['2026-01-31', 20.3],
      ['2026-02-28', 29.7],
      ['2026-03-31', 40],
    ]);
    expect(created.owners).toEqual([{ userId: manager.id, name: 'Марина', role: 'manager' }]);
  });

  it('judges each checkpoint against its target with the interval, and the goal by the last one ended', async () => {
    const g = await expectJson(org.api('GET', `/api/v1/goals/${goal.id}`), 200);
    const [jan, feb, mar] = g.checkpoints;
    // January: NPS 30 from 30 answers ≥ 20.3 → on track.
    expect(jan.actual).toMatchObject({ value: 30, n: 30 });
    expect(jan.status).toBe('on_track');
    // February: NPS −50 from 20 answers, adjusted Wald (2.75 − 12.75 of 23): centre −43.5, se √(.4849/23) = 14.5,
    // upper bound −43.5 + 1.96·14.5 = −15.0; the target 29.7 lies above the interval → off track.
    expect(feb.actual.value).toBe(-50);
    expect(feb.actual.ci95[1]).toBeCloseTo(-15, 0);
    expect(feb.status).toBe('off_track');
    // March so far: 5 answers — no number, no status.
    expect(mar).toMatchObject({ partial: true, status: 'not_enough_data' });
    expect(mar.actual).toEqual({ value: null, ci95: null, n: 5, smallSample: true });
    expect(g.status).toBe('off_track');
    expect(g.statusDay).toBe('2026-02-28');
    const list = await expectJson(org.api('GET', '/api/v1/goals'), 200);
    expect(list.items.find((x: { id: string }) => x.id === goal.id)).toMatchObject({
      status: 'off_track',
      current: { day: '2026-03-31', partial: true },
      judged: { day: '2026-02-28' },
    });
  });

  it('keeps a target set by hand on a checkpoint, and refuses an edit over someone else’s', async () => {
    const edited = await expectJson(
      org.api('PATCH', `/api/v1/goals/${goal.id}`, {
        version: goal.version,
        checkpoints: [{ day: '2026-02-28', target: -20 }],
      }),
      200,
    );
    expect(edited.version).toBe(goal.version + 1);
    expect(edited.checkpoints[1]).toMatchObject({ day: '2026-02-28', target: -20, edited: true });
    expect(edited.checkpoints[0]).toMatchObject({ target: 20.3, edited: false });
    // −20 lies inside February's interval (up to −15) but above −50: at risk.
    expect(edited.checkpoints[1].status).toBe('at_risk');
    // A new target moves the interpolated checkpoints, not the one set by hand.
    const retargeted = await expectJson(
      org.api('PATCH', `/api/v1/goals/${goal.id}`, { version: edited.version, target: 31 }),
      200,
    );
    // 10 + 21·31/90 = 17.2.
    expect(retargeted.checkpoints.map((c: { target: number }) => c.target)).toEqual([17.2, -20, 31]);
    const stale = await org.api('PATCH', `/api/v1/goals/${goal.id}`, { version: edited.version, target: 35 });
    expect(stale.status).toBe(409);
    goal = retargeted;
  });

  it('shows the NPS and detractors before and after a planned action, with the change test', async () => {
    const g = await expectJson(
      org.api('POST', `/api/v1/goals/${goal.id}/actions`, {
        title: 'Новый график уборки раздевалок',
        day: '2026-02-01',
        windowDays: 30,
      }),
      201,
    );
    const [action] = g.actions;
    expect(action.before).toMatchObject({ from: '2026-01-02', to: '2026-01-31', nps: { value: 30, n: 30 } });
    expect(action.after).toMatchObject({ from: '2026-02-01', to: '2026-03-02', nps: { value: -50, n: 20 } });
    // Detractors 6 of 30 = 20% → 12 of 20 = 60%.
    expect(action.before.detractorShare.value).toBe(20);
    expect(action.after.detractorShare.value).toBe(60);
    // z = (−43.5 − 30)/√(.02033 + .02108)/100 = −73.5/20.3 = −3.6: significant, down.
    expect(action.change).toMatchObject({ diff: -80, significant: true, direction: 'down' });
    expect(action.complete).toBe(true);
    // An action whose days after have too few answers gets no verdict.
    const thin = await expectJson(
      org.api('POST', `/api/v1/goals/${goal.id}/actions`, { title: 'Опрос тренеров', day: '2026-03-05' }),
      201,
    );
    const late = thin.actions.find((a: { title: string }) => a.title === 'Опрос тренеров');
    expect(late.change).toBeNull();
    expect(late.after.nps).toMatchObject({ value: null, n: 5 });
    expect(late.complete).toBe(false);
  });
});

describe('who sees and edits which goals', () => {
  let sokolGoal: string;
  let companyGoal: string;

  beforeAll(async () => {
    sokolGoal = (
      await expectJson(org.api('POST', '/api/v1/goals', { ...arbatGoal, name: 'Сокол', unitId: sokol }), 201)
    ).id;
    companyGoal = (
      await expectJson(
        org.api('POST', '/api/v1/goals', {
          ...arbatGoal,
          name: 'Компания: отклик 25%',
          unitId: null,
          metric: 'responseRate',
          target: 25,
          period: { kind: 'year', from: '2026-01-01' },
          cadence: 'quarter',
        }),
        201,
      )
    ).id;
  });

  it('a manager sees, sets and edits goals of their subtree only', async () => {
    const list = await expectJson(manager.api('GET', '/api/v1/goals'), 200);
    const names = list.items.map((g: { name: string }) => g.name);
    expect(names).toContain(arbatGoal.name);
    expect(names).not.toContain('Сокол');
    expect(names).not.toContain('Компания: отклик 25%');
    expect((await manager.api('GET', `/api/v1/goals/${sokolGoal}`)).status).toBe(404);
    expect((await manager.api('GET', `/api/v1/goals/${companyGoal}`)).status).toBe(404);
    expect(
      (await manager.api('PATCH', `/api/v1/goals/${sokolGoal}`, { version: 1, target: 10 })).status,
    ).toBe(404);
    expect((await manager.api('DELETE', `/api/v1/goals/${sokolGoal}`)).status).toBe(404);
    const refused = await expectJson(
      manager.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: sokol }),
      422,
    );
    expect(refused.errors).toEqual([
      { path: 'unitId', message: 'No such unit in your part of the organisation' },
    ]);
    const company = await expectJson(
      manager.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: null }),
      422,
    );
    expect(company.errors[0].path).toBe('unitId');
    const own = await expectJson(
      manager.api('POST', '/api/v1/goals', { ...arbatGoal, name: 'Мой', unitId: arbat }),
      201,
    );
    expect(own.canEdit).toBe(true);
    expect((await manager.api('DELETE', `/api/v1/goals/${own.id}`)).status).toBe(204);
  });

  it('front-line staff read their unit’s goals and cannot change them; analysts read all', async () => {
    const list = await expectJson(frontline.api('GET', '/api/v1/goals'), 200);
    expect(list.items.map((g: { name: string }) => g.name)).toEqual([arbatGoal.name]);
    expect(list.items[0].canEdit).toBe(false);
    expect((await frontline.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: arbat })).status).toBe(403);
    const all = await expectJson(analyst.api('GET', '/api/v1/goals'), 200);
    expect(all.items).toHaveLength(3);
    // Analysts work without personal data: owners without names.
    const withOwner = all.items.find((g: { name: string }) => g.name === arbatGoal.name);
    expect(withOwner.owners[0].name).toBeNull();
  });

  it('another organisation sees nothing', async () => {
    expect((await other.api('GET', `/api/v1/goals/${sokolGoal}`)).status).toBe(404);
    expect((await expectJson(other.api('GET', '/api/v1/goals'), 200)).items).toEqual([]);
  });

  it('an owner must be responsible for the unit', async () => {
    const r = await expectJson(
      org.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: sokol, ownerIds: [manager.id] }),
      422,
    );
    expect(r.errors[0].path).toBe('ownerIds.0');
    const candidates = await expectJson(
      manager.api('GET', `/api/v1/goals/owner-candidates?unitId=${arbat}`),
      200,
    );
    expect(candidates.items.map((p: { userId: string }) => p.userId)).toEqual(
      expect.arrayContaining([manager.id, frontline.id]),
    );
  });
});

describe('bad input is named field by field', () => {
  const post = (body: object) =>
    expectJson(org.api('POST', '/api/v1/goals', { ...arbatGoal, unitId: arbat, ...body }), 422);

  it('refuses a target off the scale, a reversed period and a checkpoint outside the period', async () => {
    expect((await post({ target: 150 })).errors).toEqual([
      { path: 'target', message: 'From -100 to 100 (points) for nps' },
    ]);
    expect((await post({ metric: 'responseRate', target: -5 })).errors[0].path).toBe('target');
    expect((await post({ period: { kind: 'custom', from: '2026-03-01', to: '2026-01-31' } })).errors).toEqual(
      [{ path: 'period.to', message: 'Before the first day of the period' }],
    );
    expect((await post({ period: { kind: 'custom', from: '2026-01-01' } })).errors[0].path).toBe('period.to');
    const outside = await post({ cadence: 'custom', checkpoints: [{ day: '2026-05-01', target: 20 }] });
    expect(outside.errors).toEqual([
      { path: 'checkpoints.0.day', message: 'Outside the period 2026-01-01…2026-03-31' },
    ]);
    const offCadence = await post({ checkpoints: [{ day: '2026-01-15', target: 20 }] });
    expect(offCadence.errors[0].path).toBe('checkpoints.0.day');
    const lastOne = await post({ checkpoints: [{ day: '2026-03-31', target: 20 }] });
    expect(lastOne.errors[0].path).toBe('checkpoints.0.target');
    expect((await post({ metric: 'happiness' })).errors[0].path).toBe('metric');
    expect((await post({ target: 'forty' })).errors[0].path).toBe('target');
    // Several at once.
    const many = await post({
      target: 500,
      baseline: -300,
      ownerIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(many.errors.map((e: { path: string }) => e.path)).toEqual(['target', 'baseline', 'ownerIds.0']);
  });

  it('a custom cadence takes the checkpoint days given, the period end always among them', async () => {
    const g = await expectJson(
      org.api('POST', '/api/v1/goals', {
        ...arbatGoal,
        name: 'Своя частота',
        unitId: arbat,
        cadence: 'custom',
        baseline: null,
        checkpoints: [{ day: '2026-02-15' }],
      }),
      201,
    );
    expect(g.baselineSource).toBe('none');
    // No baseline: every checkpoint carries the target.
    expect(g.checkpoints.map((c: { day: string; target: number }) => [c.day, c.target])).toEqual([
      ['2026-02-15', 40],
      ['2026-03-31', 40],
    ]);
    // Measured over its own window, 1 Jan – 15 Feb: January's 30 and February's 20 answers.
    expect(g.checkpoints[0].actual.n).toBe(50);
    expect((await org.api('DELETE', `/api/v1/goals/${g.id}`)).status).toBe(204);
  });
});

describe('the KPI matrix', () => {
  it('has a default matrix per level, weights summing to 100', async () => {
    const { items } = await expectJson(org.api('GET', '/api/v1/kpi/matrices'), 200);
    expect(items.map((m: { level: string }) => m.level)).toEqual(['frontline', 'middle', 'top']);
    for (const m of items) {
      expect(m.isDefault).toBe(true);
      expect(m.items.reduce((s: number, i: { weight: number }) => s + i.weight, 0)).toBe(100);
    }
  });

  it('refuses weights that do not sum to 100, a target off the scale and a repeated indicator', async () => {
    const r = await expectJson(
      org.api('PUT', '/api/v1/kpi/matrices/middle', {
        items: [
          { metric: 'nps', weight: 50, target: 130 },
          { metric: 'nps', weight: 40, target: 30 },
        ],
      }),
      422,
    );
    expect(r.errors).toEqual([
      { path: 'items.0.target', message: 'From -100 to 100 for nps' },
      { path: 'items.1.metric', message: 'This indicator is already in the matrix' },
      { path: 'items', message: 'The weights sum to 90%, not 100%' },
    ]);
    expect(
      (
        await expectJson(
          org.api('PUT', '/api/v1/kpi/matrices/middle', { items: [{ metric: 'nps', weight: 0, target: 1 }] }),
          422,
        )
      ).errors[0].path,
    ).toBe('items.0.weight');
    expect(
      (
        await manager.api('PUT', '/api/v1/kpi/matrices/middle', {
          items: [{ metric: 'nps', weight: 100, target: 1 }],
        })
      ).status,
    ).toBe(403);
  });

  it('scores each person against their level’s matrix as the org edited it', async () => {
    const saved = await expectJson(
      org.api('PUT', '/api/v1/kpi/matrices/middle', {
        version: 0,
        items: [
          { metric: 'nps', weight: 60, target: 0 },
          { metric: 'responseRate', weight: 30, target: 50 },
          { metric: 'contactedWithin48h', weight: 10, target: 90 },
        ],
      }),
      200,
    );
    expect(saved).toMatchObject({ version: 1, isDefault: false });
    const scores = await expectJson(org.api('GET', '/api/v1/kpi/scores?from=2026-01-01&to=2026-03-14'), 200);
    const middle = scores.levels.find((l: { level: string }) => l.level === 'middle');
    const marina = middle.rows.find((r: { userId: string }) => r.userId === manager.id);
    // Arbat 1 Jan – 14 Mar: 20 + 2 + 3 = 20 promoters, 9 + 6 + 1 = 16 passives, 6 + 12 + 1 = 19 detractors of 55
    // → NPS (20 − 19)/55 = 1.8 ≥ 0: on track. Every invitation was answered: 100% ≥ 50: on track.
    // No cases: contacted within 48 h has no data and weighs nothing. Score (60 + 30)/90 = 100.
    expect(marina.kpis.map((k: { metric: string; status: string }) => [k.metric, k.status])).toEqual([
      ['nps', 'on_track'],
      ['responseRate', 'on_track'],
      ['contactedWithin48h', 'not_enough_data'],
    ]);
    expect(marina.kpis[0].actual).toMatchObject({ value: 1.8, n: 55 });
    expect(marina).toMatchObject({ score: 100, judgedWeight: 90, status: 'on_track', units: ['Арбат'] });
    const top = scores.levels.find((l: { level: string }) => l.level === 'top');
    expect(top.rows).toHaveLength(1);
    expect(top.rows[0].kpis[0].actual.n).toBe(65);
  });

  it('a manager sees their subtree’s people, a front-line user only themselves', async () => {
    const seen = await expectJson(manager.api('GET', '/api/v1/kpi/scores?days=120'), 200);
    const ids = seen.levels.flatMap((l: { rows: { userId: string }[] }) => l.rows.map((r) => r.userId));
    expect(ids.sort()).toEqual([manager.id, frontline.id].sort());
    const own = await expectJson(frontline.api('GET', '/api/v1/kpi/scores'), 200);
    expect(own.levels.flatMap((l: { rows: { userId: string }[] }) => l.rows.map((r) => r.userId))).toEqual([
      frontline.id,
    ]);
    const bad = await expectJson(org.api('GET', '/api/v1/kpi/scores?from=2026-03-01&to=2026-01-01'), 422);
    expect(bad.errors[0].path).toBe('from');
  });
});

describe('the manager’s digest', () => {
  it('has a goals line with the status and where the goal stands', async () => {
    const r = await manager.api('GET', '/api/v1/digests/preview?kind=daily');
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Цели');
    // The Arbat goal, judged at 28 February where the hand-set target is −20 and the NPS −50.
    expect(html).toMatch(/NPS Арбата 40 к концу квартала: под угрозой \(-50 при цели -20 на 2026-02-28\)/);
  });
});

describe('the API document', () => {
  it('describes the goals and KPI routes', async () => {
    const doc = await expectJson(world.app.request('/api/openapi.json'), 200);
    for (const path of [
      '/api/v1/goals',
      '/api/v1/goals/{id}',
      '/api/v1/goals/{id}/actions',
      '/api/v1/kpi/scores',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.Goal.properties.status.enum).toContain('off_track');
  });
});
