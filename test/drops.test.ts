// Drop alerts end to end: two months of answers in a unit tree; at the start of December the November NPS of a
// branch, its region and the company has fallen significantly against October, so the branch's manager, the
// region's manager and top management each hear of their own drop — once, however often the check runs — and it
// is the first line of their digest.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { recordAnswers } from './benchmarks-answers.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let surveyId: string;
const unit: Record<string, string> = {};
let branchManager: TestUser;
let regionManager: TestUser;
let quietManager: TestUser;
let admin: TestUser;

/** Customer answers on `day` in a unit: `p` promoters, `a` passives, `d` detractors. */
const answers = (unitId: string, day: string, p: number, a: number, d: number) =>
  recordAnswers(world, org.orgId, surveyId, { unitId, day, p, a, d });

const notificationsOf = async (u: TestUser, lang = 'ru') =>
  (await expectJson(u.api('GET', `/api/v1/notifications?lang=${lang}`), 200)).items.filter(
    (n: { kind: string }) => n.kind === 'nps_drop',
  );

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-10-01T07:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  const make = async (name: string, kind: string, parentId?: string) =>
    (await expectJson(org.api('POST', '/api/v1/units', { name, kind, parentId }), 201)).id as string;
  unit.company = await make('ФитПарк', 'company');
  unit.moscow = await make('Москва', 'region', unit.company);
  unit.arbat = await make('Арбат', 'branch', unit.moscow);
  unit.tverskaya = await make('Тверская', 'branch', unit.moscow);
  unit.sokol = await make('Сокол', 'branch', unit.moscow);
  branchManager = await buildUser(world, org, { role: 'manager', unitIds: [unit.arbat], locale: 'ru' });
  regionManager = await buildUser(world, org, { role: 'manager', unitIds: [unit.moscow], locale: 'en' });
  quietManager = await buildUser(world, org, { role: 'manager', unitIds: [unit.tverskaya] });
  admin = await buildUser(world, org, { role: 'admin' });
  surveyId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', {
        name: 'После визита',
        audience: 'customer',
        kind: 'transactional',
      }),
      201,
    )
  ).id;
  // October: Арбат and Тверская both at NPS 40 (60 P, 20 passives, 20 D of 100).
  await answers(unit.arbat, '2026-10-10', 60, 20, 20);
  await answers(unit.tverskaya, '2026-10-12', 60, 20, 20);
  // November: Арбат falls to −10 (30 P, 30 passives, 40 D); Тверская holds at 40.
  await answers(unit.arbat, '2026-11-10', 30, 30, 40);
  await answers(unit.tverskaya, '2026-11-12', 60, 20, 20);
  // Сокол goes from 10 promoters to 10 detractors: a fall of 200 points, but 10 answers a month judge nothing.
  await answers(unit.sokol, '2026-10-15', 10, 0, 0);
  await answers(unit.sokol, '2026-11-15', 0, 0, 10);
  // 2026-12-02 13:00 in Moscow: November is the latest complete month.
  world.now = new Date('2026-12-02T10:00:00Z');
}, 60_000);
afterAll(() => world.close());

describe('the drop check', () => {
  it('judges November against October once, and alerts the responsible managers of each fall', async () => {
    await world.runtime.worker.runDue(world.now);
    world.advance(10_000);
    await world.runtime.worker.runDue(world.now);

    const mine = await notificationsOf(branchManager);
    expect(mine).toHaveLength(1);
    // Арбат: −10 from 40 (a fall of 50 points on 100 answers each).
    expect(mine[0].title).toBe('NPS упал до -10 (было 40) за 2026-11 — Арбат');
    expect(mine[0].url).toBe('http://sarafan.test/customers?period=custom&from=2026-11-01&to=2026-11-30');
    // The region (Арбат + Тверская + Сокол): October 130 P, 40 D of 210 = 42.9; November 90 P, 70 D of 210 = 9.5.
    // Its nearest manager is the regional one (the branch's manager hears of the branch only).
    const region = await notificationsOf(regionManager, 'en');
    expect(region.map((n: { title: string }) => n.title)).toEqual([
      'NPS fell to 10 (from 43) in 2026-11 — Москва',
    ]);
    // The company: top management (the owner and the admin), with no unit name.
    const top = await notificationsOf(admin);
    expect(top.map((n: { title: string }) => n.title)).toEqual(['NPS упал до 10 (было 43) за 2026-11']);
    expect(await notificationsOf(quietManager)).toEqual([]);
    // And by e-mail (a drop is mailed by default): one to each of the two managers, the owner and the admin.
    const mails = rowsOf<{ subject: string; body_text: string }>(
      await world.runtime.database.db.execute(
        sql`select subject, body_text from messages where org_id = ${org.orgId} and kind = 'alert' order by subject`,
      ),
    );
    expect(mails.map((m) => m.subject)).toEqual([
      'ФитПарк: NPS fell to 10 (from 43) in 2026-11 — Москва',
      'ФитПарк: NPS упал до -10 (было 40) за 2026-11 — Арбат',
      'ФитПарк: NPS упал до 10 (было 43) за 2026-11',
      'ФитПарк: NPS упал до 10 (было 43) за 2026-11',
    ]);
    expect(mails[1]!.body_text).toContain('Период: 2026-11: NPS -10 (100 ответов)');
    expect(mails[1]!.body_text).toContain('Изменение: -50 — статистически значимо, p = 0.000');
    expect(mails[1]!.body_text).not.toContain('Причина');
  });

  it('writes every scope it judged, with the test, and shows each person only theirs', async () => {
    const all = await expectJson(org.api('GET', '/api/v1/drops'), 200);
    const byScope = Object.fromEntries(
      all.latest.map((d: { unitName: string | null }) => [d.unitName ?? 'company', d]),
    );
    expect(Object.keys(byScope).sort()).toEqual(['company', 'Арбат', 'Москва', 'Сокол', 'Тверская']);
    expect(byScope.Арбат).toMatchObject({
      period: 'month',
      periodKey: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
      n: 100,
      nps: -10,
      previousN: 100,
      previousNps: 40,
      diff: -50,
      significantDrop: true,
      alerted: true,
    });
    expect(byScope.Арбат.pValue).toBeLessThan(0.001);
    expect(byScope.Тверская).toMatchObject({ diff: 0, alerted: false });
    // Сокол: 10 answers a month, fewer than 30: not judged, whatever its point estimate.
    expect(byScope.Сокол).toMatchObject({ n: 10, diff: null, pValue: null, alerted: false });
    expect(all.alerts.map((d: { unitName: string | null }) => d.unitName ?? 'company').sort()).toEqual([
      'company',
      'Арбат',
      'Москва',
    ]);
    const branch = await expectJson(branchManager.api('GET', '/api/v1/drops'), 200);
    expect(branch.alerts.map((d: { unitName: string }) => d.unitName)).toEqual(['Арбат']);
    expect(branch.latest.map((d: { unitName: string }) => d.unitName)).toEqual(['Арбат']);
  });

  it('never alerts twice for the same drop, however often it runs', async () => {
    for (let i = 0; i < 3; i++) {
      world.advance(11 * 60_000);
      await world.runtime.worker.runDue(world.now);
    }
    const again = await expectJson(org.api('POST', '/api/v1/drops/check'), 200);
    expect(again).toMatchObject({ status: 'done_before', alerts: 0, current: { key: '2026-11' } });
    expect(again.checks).toHaveLength(5);
    await world.runtime.worker.runDue(world.now);
    expect(await notificationsOf(branchManager)).toHaveLength(1);
    expect(await notificationsOf(admin)).toHaveLength(1);
  });

  it('puts the drop first in the manager’s digest the next morning', async () => {
    world.now = new Date('2026-12-03T06:30:00Z');
    const html = await (await branchManager.api('GET', '/api/v1/digests/preview?kind=daily')).text();
    expect(html).toContain('Падение NPS: 1');
    expect(html).toContain('Арбат: NPS -10 за 2026-11 (было 40, -50; 100 ответов)');
    expect(html.indexOf('Падение NPS')).toBeLessThan(html.indexOf('Новые обращения'));
    const quiet = await (await quietManager.api('GET', '/api/v1/digests/preview?kind=daily')).text();
    expect(quiet).not.toContain('Падение NPS');
  });
});

describe('the drop rule', () => {
  it('has defaults, and only owners and admins change it', async () => {
    expect(await expectJson(org.api('GET', '/api/v1/settings/drops'), 200)).toEqual({
      enabled: true,
      period: 'month',
      minDrop: 5,
      floor: null,
      minAnswers: 30,
    });
    const rule = { enabled: true, period: 'week', minDrop: 10, floor: 20, minAnswers: 50 };
    await expectJson(branchManager.api('PUT', '/api/v1/settings/drops', rule), 403);
    expect(await expectJson(admin.api('PUT', '/api/v1/settings/drops', rule), 200)).toEqual(rule);
  });

  it('refuses a rule it cannot apply, naming the field', async () => {
    const bad = await expectJson(
      org.api('PUT', '/api/v1/settings/drops', {
        enabled: true,
        period: 'quarter',
        minDrop: -1,
        floor: 150,
        minAnswers: 0,
      }),
      422,
    );
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'floor',
      'minAnswers',
      'minDrop',
      'period',
    ]);
  });

  it('judges weeks when asked, and nothing when turned off', async () => {
    // 2026-12-03 (Thursday): the last whole week is Nov 23–29 (W48), against Nov 16–22 (W47): no answers there.
    const week = await expectJson(org.api('POST', '/api/v1/drops/check'), 200);
    expect(week).toMatchObject({
      status: 'checked',
      period: 'week',
      current: { key: '2026-W48', from: '2026-11-23', to: '2026-11-29' },
      previous: { key: '2026-W47' },
      alerts: 0,
    });
    expect(week.checks).toEqual([expect.objectContaining({ scope: 'company', n: 0, alerted: false })]);
    await expectJson(
      org.api('PUT', '/api/v1/settings/drops', {
        enabled: false,
        period: 'month',
        minDrop: 5,
        floor: null,
        minAnswers: 30,
      }),
      200,
    );
    expect(await expectJson(org.api('POST', '/api/v1/drops/check'), 200)).toMatchObject({
      status: 'disabled',
      checks: [],
    });
    await expectJson(branchManager.api('POST', '/api/v1/drops/check'), 403);
  });
});
