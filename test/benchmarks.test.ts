// Benchmarks over HTTP: the built-in industries, the org's choice, its own rows, and its NPS with its interval
// beside the industry's average and leader, with the source and year a chart prints under it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAnswers } from './benchmarks-answers.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
let manager: TestUser;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
  other = await buildOrg(world, 'Другая');
  manager = await buildUser(world, org, { role: 'manager' });
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  // 50 answers on 2026-11-10: 30 promoters, 10 passives, 10 detractors → NPS 40.
  await recordAnswers(world, org.orgId, survey.id, { unitId: null, day: '2026-11-10', p: 30, a: 10, d: 10 });
});
afterAll(() => world.close());

describe('benchmark sets', () => {
  it('lists the built-in industries of the three sets with their source and year', async () => {
    const { sets } = await expectJson(org.api('GET', '/api/v1/benchmarks/sets'), 200);
    expect(sets.map((s: { id: string }) => s.id)).toEqual([
      'us-satmetrix-chart',
      'ru-banks-nafi-2016',
      'reichheld-2001',
    ]);
    const us = sets[0];
    expect(us.rows).toHaveLength(7);
    expect(us.year).toBeNull();
    expect(us.rows[2]).toEqual({
      key: 'us-satmetrix-chart/banks',
      setId: 'us-satmetrix-chart',
      industry: { en: 'Banks', ru: 'Банки' },
      average: 18,
      leader: { name: 'USAA', nps: 87 },
    });
    expect(sets[1].rows.map((r: { average: number }) => r.average)).toEqual([44, 30]);
    expect(sets[1]).toMatchObject({ year: 2016, region: 'RU' });
    expect(sets[1].rows[0].leader).toBeNull();
    expect(sets[2].rows[0]).toMatchObject({ key: 'reichheld-2001/all-industries-average', average: 16 });
  });
});

describe('the org’s benchmarks', () => {
  it('shows the NPS of the last 12 months with its interval, and no industry until one is chosen', async () => {
    const view = await expectJson(org.api('GET', '/api/v1/benchmarks'), 200);
    // 2026-11-20: the 12 months from December 2025.
    expect(view).toMatchObject({ industry: null, selected: null, from: '2025-12-01', to: '2026-11-20' });
    expect(view.reference).toEqual({ industry: null, average: null, leader: null });
    // NPS 40 of 50 answers; Wald: Var = (.6 + .2 − .4²)/50 = .64/50 = .0128, half-width 1.96·√.0128·100 = 22.2.
    expect(view.company).toMatchObject({ n: 50, nps: 40, ci95: [17.8, 62.2], moe: 22.2 });
  });

  it('takes the industry an admin chooses, and prints its average, leader, source and year', async () => {
    await expectJson(
      manager.api('PUT', '/api/v1/benchmarks/industry', { industry: 'us-satmetrix-chart/banks' }),
      403,
    );
    const unknown = await expectJson(
      org.api('PUT', '/api/v1/benchmarks/industry', { industry: 'fitness' }),
      422,
    );
    expect(unknown.errors[0].path).toBe('industry');
    const ref = await expectJson(
      org.api('PUT', '/api/v1/benchmarks/industry', { industry: 'reichheld-2001/all-industries-average' }),
      200,
    );
    expect(ref).toEqual({
      industry: { en: 'All industries (average)', ru: 'Среднее по отраслям' },
      average: {
        value: 16,
        name: { en: 'All industries (average)', ru: 'Среднее по отраслям' },
        source: {
          en: 'F. Reichheld, study of 400+ US companies',
          ru: 'Ф. Райхельд, исследование 400+ компаний США',
        },
        year: 2001,
        origin: 'builtin',
      },
      leader: expect.objectContaining({
        value: 75,
        name: { en: 'eBay, Amazon', ru: 'eBay, Amazon' },
        year: 2001,
      }),
    });
    const view = await expectJson(org.api('GET', '/api/v1/benchmarks?from=2026-11-01&to=2026-11-30'), 200);
    expect(view.industry).toBe('reichheld-2001/all-industries-average');
    expect(view.selected).toMatchObject({ average: 16, year: 2001 });
    expect(view.company.n).toBe(50);
    // A manager reads the same industry, beside the NPS of their own units only (none here: the answers have no unit).
    const theirView = await expectJson(manager.api('GET', '/api/v1/benchmarks'), 200);
    expect(theirView).toMatchObject({ industry: 'reichheld-2001/all-industries-average', company: { n: 0 } });
    // Another organisation chose nothing and sees none of this one's answers.
    const theirs = await expectJson(other.api('GET', '/api/v1/benchmarks'), 200);
    expect(theirs).toMatchObject({ industry: null, company: { n: 0, nps: null } });
  });

  it('lets admins add, change and delete their own rows, which stand in when no industry is chosen', async () => {
    const row = await expectJson(
      org.api('POST', '/api/v1/benchmarks/rows', {
        name: 'Фитнес-клубы Москвы',
        kind: 'average',
        value: 31,
        source: 'Ассоциация фитнес-индустрии',
        year: 2025,
      }),
      201,
    );
    expect(row).toMatchObject({ name: 'Фитнес-клубы Москвы', kind: 'average', value: 31, year: 2025 });
    world.advance(1000);
    await expectJson(
      org.api('POST', '/api/v1/benchmarks/rows', { name: 'Без года', value: 12, source: 'Опрос' }),
      201,
    );
    await expectJson(
      manager.api('POST', '/api/v1/benchmarks/rows', { name: 'x', value: 1, source: 'y' }),
      403,
    );
    const bad = await expectJson(
      org.api('POST', '/api/v1/benchmarks/rows', { name: '', value: 101.5, source: 'y', year: 1800 }),
      422,
    );
    expect(bad.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'value', 'year']);
    const changed = await expectJson(
      org.api('PATCH', `/api/v1/benchmarks/rows/${row.id}`, { value: 33 }),
      200,
    );
    // Only the value changes: the kind and the year stay.
    expect(changed).toMatchObject({ value: 33, kind: 'average', year: 2025 });
    await expectJson(other.api('PATCH', `/api/v1/benchmarks/rows/${row.id}`, { value: 1 }), 404);
    await expectJson(other.api('DELETE', `/api/v1/benchmarks/rows/${row.id}`), 404);

    await expectJson(org.api('PUT', '/api/v1/benchmarks/industry', { industry: null }), 200);
    const ref = await expectJson(org.api('GET', '/api/v1/benchmarks/reference'), 200);
    expect(ref).toEqual({
      industry: null,
      average: {
        value: 33,
        name: { en: 'Фитнес-клубы Москвы', ru: 'Фитнес-клубы Москвы' },
        source: { en: 'Ассоциация фитнес-индустрии', ru: 'Ассоциация фитнес-индустрии' },
        year: 2025,
        origin: 'custom',
        id: row.id,
      },
      leader: null,
    });
    const view = await expectJson(org.api('GET', '/api/v1/benchmarks'), 200);
    expect(view.rows.map((r: { name: string }) => r.name)).toEqual(['Фитнес-клубы Москвы', 'Без года']);
    expect((await expectJson(other.api('GET', '/api/v1/benchmarks/rows'), 200)).items).toEqual([]);

    const r = await org.api('DELETE', `/api/v1/benchmarks/rows/${row.id}`);
    expect(r.status).toBe(204);
    await expectJson(org.api('DELETE', `/api/v1/benchmarks/rows/${row.id}`), 404);
  });

  it('refuses a period that ends before it starts', async () => {
    const bad = await expectJson(org.api('GET', '/api/v1/benchmarks?from=2026-11-30&to=2026-11-01'), 422);
    expect(bad.errors[0].path).toBe('from');
    const notADay = await expectJson(org.api('GET', '/api/v1/benchmarks?from=2026-13-01'), 422);
    expect(notADay.errors[0].path).toBe('from');
  });
});
