// Themes through the HTTP API on a real database: history tagged by the job, new and amended answers by the sweep,
// hand-counted frequencies, drivers and NPS impact, an emerging theme, verbatims with filters, candidates, a
// taxonomy edit with its preview and re-tag, the summary, eNPS anonymity, a manager's scope and org isolation.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { buildUser, type TestUser } from './support/people.js';
import {
  bodyOf,
  buildOrg,
  expectJson,
  startWorld,
  submitForm,
  type TestOrg,
  type World,
} from './support/world.js';

const DAY = 86_400_000;
let world: World;
let org: TestOrg;
let other: TestOrg;
let north: string;
let south: string;
let trainer: string;
let surveyId: string;
let employeeSurveyId: string;
let manager: TestUser;

interface Seed {
  daysAgo: number;
  score: number;
  reason: string | null;
  unit?: string;
  employee?: string | null;
  channel?: string;
}

/** Stored answers as the writer stores them, at chosen past days (history the re-tag job reads). */
async function seed(rows: Seed[]) {
  const db = world.runtime.database.db;
  for (const r of rows) {
    await db.execute(sql`insert into responses (org_id, survey_id, unit_id, employee_id, channel, locale, score, reason, answered_at)
      values (${org.orgId}, ${surveyId}, ${r.unit ?? north}, ${r.employee ?? null}, ${r.channel ?? 'email'}, 'ru', ${r.score},
              ${r.reason}, ${new Date(world.now.getTime() - r.daysAgo * DAY).toISOString()}::timestamptz)`);
  }
}

const today = () => world.now.toISOString().slice(0, 10);
const daysBack = (n: number) => new Date(world.now.getTime() - n * DAY).toISOString().slice(0, 10);
// biome-ignore lint/suspicious/noExplicitAny: the API's JSON
const themeByKey = (overview: any, key: string) =>
  overview.themes.find((t: { key: string }) => t.key === key);

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-11-20T09:00:00Z') });
  org = await buildOrg(world, 'Фитнес Тем');
  other = await buildOrg(world, 'Чужой клуб');
  north = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Север', kind: 'branch' }), 201)).id;
  south = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Юг', kind: 'branch' }), 201)).id;
  trainer = (
    await expectJson(
      org.api('POST', '/api/v1/employees', { unitId: north, name: 'Ирина Петрова', position: 'тренер' }),
      201,
    )
  ).id;
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
  employeeSurveyId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', {
        name: 'Пульс команды',
        audience: 'employee',
        kind: 'relationship',
      }),
      201,
    )
  ).id;
  manager = await buildUser(world, org, { role: 'manager', unitIds: [south] });
  // 8 weeks of quiet history: parking named once a fortnight; the last week, six complaints about it.
  const history: Seed[] = [];
  for (let d = 10; d <= 60; d++) history.push({ daysAgo: d, score: 9, reason: 'Отличные тренеры' });
  for (const d of [14, 28, 42, 56]) history.push({ daysAgo: d, score: 6, reason: 'Нет парковки' });
  await seed(history);
  await seed([
    { daysAgo: 1, score: 2, reason: 'Грязно в раздевалке, парковки нет', unit: south },
    { daysAgo: 1, score: 3, reason: 'Парковка забита, негде встать', unit: south, channel: 'sms' },
    { daysAgo: 2, score: 5, reason: 'Нет парковки рядом', unit: south },
    { daysAgo: 2, score: 6, reason: 'Парковка платная', unit: north },
    { daysAgo: 3, score: 4, reason: 'Опять нет парковки!', unit: north, employee: trainer },
    { daysAgo: 3, score: 1, reason: 'Парковка — беда', unit: south },
    {
      daysAgo: 4,
      score: 10,
      reason: 'В раздевалке чисто, тренер Ирина супер',
      unit: north,
      employee: trainer,
    },
    { daysAgo: 4, score: 8, reason: 'Хотелось бы детскую комнату', unit: north },
    { daysAgo: 5, score: 7, reason: 'Нужна детская комната', unit: north },
    { daysAgo: 5, score: 9, reason: 'Детская комната была бы кстати', unit: south },
    { daysAgo: 5, score: 6, reason: 'Без детской комнаты неудобно', unit: south },
    { daysAgo: 5, score: 9, reason: null, unit: south },
    { daysAgo: 6, score: 10, reason: '😀😀😀', unit: south },
  ]);
  await world.runtime.worker.runDue(world.now);
});

/** The sweep runs every 5 seconds of the world's clock. */
async function sweep() {
  world.advance(5_000);
  await world.runtime.worker.runDue(world.now);
}

afterAll(async () => {
  await world?.close();
});

describe('themes of the reasons', () => {
  it('tags the history in the background and counts each theme by hand', async () => {
    const o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    // Last 7 days: 13 seeded answers, 12 with a reason (one null).
    expect(o.answers).toBe(13);
    expect(o.withText).toBe(12);
    const parking = themeByKey(o, 'location');
    // Six parking reasons, scores 2, 3, 5, 6, 4, 1: all detractors, all complaints.
    expect(parking).toMatchObject({ mentions: 6, complaints: 6, detractors: 6, promoters: 0 });
    expect(parking.share).toBeCloseTo(6 / 12, 5);
    // NPS impact: 100 × 6 detractors ÷ 13 answers = 46.2 points.
    expect(parking.impact).toBe(46.2);
    const clean = themeByKey(o, 'cleanliness');
    // 'Грязно в раздевалке' (2) a complaint, 'В раздевалке чисто' (10) praise.
    expect(clean).toMatchObject({ mentions: 2, complaints: 1, praises: 1 });
    expect(o.retag.running).toBe(false);
    expect(o.methods.drivers).toMatch(/Monroe, Colaresi & Quinn/);
  });

  it('calls parking an emerging theme against its own eight weeks, and names the test', async () => {
    const o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(62)}&to=${today()}`), 200);
    const parking = themeByKey(o, 'location');
    expect(parking.emerging).not.toBeNull();
    expect(parking.emerging.pValue).toBeLessThan(0.01);
    expect(themeByKey(o, 'trainers').emerging).toBeNull();
    // Over the 9 weeks: parking is named by 10 detractors and no promoter, trainers by 52 promoters.
    expect(parking.driver.leaning).toBe('detractors');
    expect(themeByKey(o, 'trainers').driver.leaning).toBe('promoters');
    expect(o.methods.emerging).toMatch(/exact conditional binomial/);
  });

  it('lists the verbatims of a theme, filtered by unit, score and channel', async () => {
    const o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    const id = themeByKey(o, 'location').id;
    const all = await expectJson(
      org.api('GET', `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}`),
      200,
    );
    expect(all.total).toBe(6);
    const southOnly = await expectJson(
      org.api('GET', `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}&unitId=${south}`),
      200,
    );
    expect(southOnly.items.map((v: { unitName: string }) => v.unitName)).toEqual(['Юг', 'Юг', 'Юг', 'Юг']);
    const low = await expectJson(
      org.api('GET', `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}&scoreMax=2`),
      200,
    );
    expect(low.items.map((v: { score: number }) => v.score).sort()).toEqual([1, 2]);
    const sms = await expectJson(
      org.api('GET', `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}&channel=sms`),
      200,
    );
    expect(sms.items).toHaveLength(1);
    expect(sms.items[0].reason).toBe('Парковка забита, негде встать');
    const page = await expectJson(
      org.api('GET', `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}&limit=4`),
      200,
    );
    const next = await expectJson(
      org.api(
        'GET',
        `/api/v1/themes/${id}/answers?from=${daysBack(6)}&to=${today()}&limit=4&cursor=${page.nextCursor}`,
      ),
      200,
    );
    expect(new Set([...page.items, ...next.items].map((v: { id: string }) => v.id)).size).toBe(6);
  });

  it('shows a theme per unit and per employee', async () => {
    const o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    const d = await expectJson(
      org.api('GET', `/api/v1/themes/${themeByKey(o, 'location').id}?from=${daysBack(6)}&to=${today()}`),
      200,
    );
    expect(d.byUnit.map((u: { label: string; mentions: number }) => [u.label, u.mentions])).toEqual([
      ['Юг', 4],
      ['Север', 2],
    ]);
    expect(d.byEmployee).toEqual([expect.objectContaining({ label: 'Ирина Петрова', mentions: 1 })]);
  });

  it('offers the words no theme covers as candidate themes, with examples', async () => {
    const c = await expectJson(
      org.api('GET', `/api/v1/themes/candidates?from=${daysBack(6)}&to=${today()}`),
      200,
    );
    const child = c.candidates.find((x: { term: string }) => x.term.startsWith('детск'));
    expect(child).toBeDefined();
    expect(child.count).toBe(4);
    expect(child.examples.length).toBeGreaterThan(0);
  });

  it('previews an edit, saves it, re-tags the past in a job and refuses a stale save', async () => {
    const taxonomy = await expectJson(org.api('GET', '/api/v1/themes/taxonomy'), 200);
    const draft = [
      ...taxonomy.themes.map((t: { id: string; name: unknown; keywords: string[]; enabled: boolean }) => ({
        id: t.id,
        name: t.name,
        keywords: t.keywords,
        enabled: t.enabled,
      })),
      {
        name: { ru: 'Детская комната', en: 'Kids room' },
        keywords: ['детская комната', 'kids room'],
        enabled: true,
      },
    ];
    const preview = await expectJson(
      org.api('POST', '/api/v1/themes/taxonomy/preview', { themes: draft }),
      200,
    );
    const kids = preview.themes.at(-1);
    expect(kids).toMatchObject({ id: null, before: 0, after: 4 });
    expect(kids.added.length).toBe(3);
    const saved = await expectJson(
      org.api('PUT', '/api/v1/themes/taxonomy', { version: taxonomy.version, themes: draft }),
      200,
    );
    expect(saved.version).toBe(taxonomy.version + 1);
    expect(saved.themes.at(-1)).toMatchObject({ key: 'kids-room', builtin: false });
    const stale = await org.api('PUT', '/api/v1/themes/taxonomy', {
      version: taxonomy.version,
      themes: draft,
    });
    expect(stale.status).toBe(409);
    let o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    expect(o.retag.running).toBe(true);
    await sweep();
    o = await expectJson(org.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    expect(o.retag).toMatchObject({ running: false, done: o.retag.total });
    expect(themeByKey(o, 'kids-room')).toMatchObject({ mentions: 4 });
    // Other themes kept their counts: the re-tag moved only what changed.
    expect(themeByKey(o, 'location').mentions).toBe(6);
  });

  it('tags a new answer and an amended one within a sweep, keeping markup as text', async () => {
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { count: 1, unitId: north }),
      201,
    );
    const markup = '<script>alert(1)</script><b>Душ</b> не работает &amp; грязно';
    expect((await submitForm(world, items[0].url, { score: '3', reason: markup })).status).toBeLessThan(400);
    await sweep();
    let o = await expectJson(org.api('GET', `/api/v1/themes?from=${today()}&to=${today()}`), 200);
    expect(themeByKey(o, 'lockers')).toMatchObject({ mentions: 1, complaints: 1 });
    const v = await expectJson(
      org.api('GET', `/api/v1/themes/${themeByKey(o, 'lockers').id}/answers?from=${today()}&to=${today()}`),
      200,
    );
    expect(v.items[0].reason).toBe(markup);
    world.advance(60_000);
    expect(
      (await submitForm(world, items[0].url, { score: '9', reason: 'Тренер отличный' })).status,
    ).toBeLessThan(400);
    await sweep();
    o = await expectJson(org.api('GET', `/api/v1/themes?from=${today()}&to=${today()}`), 200);
    expect(themeByKey(o, 'lockers').mentions).toBe(0);
    expect(themeByKey(o, 'trainers')).toMatchObject({ mentions: 1, praises: 1, promoters: 1 });
  });

  it('writes the wishes-and-complaints summary in Russian and in English', async () => {
    const ru = await expectJson(
      org.api('GET', `/api/v1/themes/summary?from=${daysBack(6)}&to=${daysBack(1)}&lang=ru`),
      200,
    );
    expect(ru.complaints[0]).toMatchObject({ name: 'Парковка и расположение', count: 6 });
    expect(ru.text).toMatch(/Жалуются на: Парковка и расположение — 6/);
    const en = await expectJson(
      org.api('GET', `/api/v1/themes/summary?from=${daysBack(6)}&to=${daysBack(1)}&lang=en&unitId=${south}`),
      200,
    );
    expect(en.unitName).toBe('Юг');
    expect(en.text).toMatch(/^Wishes and complaints for .* — Юг/);
    expect(en.complaints[0]).toMatchObject({ name: 'Parking and location', count: 4 });
  });

  it('raises the emerging theme in the managers’ daily digest, and themes of complaints in the weekly one', async () => {
    const daily = await (await org.api('GET', '/api/v1/digests/preview?kind=daily')).text();
    expect(daily).toContain('Растущие жалобы');
    expect(daily).toMatch(/Парковка и расположение — в [\d.]+ раза чаще/);
    const weekly = await (await org.api('GET', '/api/v1/digests/preview?kind=weekly')).text();
    expect(weekly).toContain('Темы жалоб');
  });

  it('keeps a manager to their units', async () => {
    const o = await expectJson(manager.api('GET', `/api/v1/themes?from=${daysBack(6)}&to=${today()}`), 200);
    expect(themeByKey(o, 'location').mentions).toBe(4);
    const r = await manager.api('GET', `/api/v1/themes?unitId=${north}`);
    expect(r.status).toBe(404);
    const put = await manager.api('PUT', '/api/v1/themes/taxonomy', { version: 1, themes: [] });
    expect(put.status).toBe(403);
  });

  it('shows employee comments only on their own and only from the minimum group', async () => {
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${employeeSurveyId}/invitations`, { count: 5, unitId: north }),
      201,
    );
    const reasons = [
      'Зарплата маленькая',
      'Руководитель хамит',
      'График неудобный',
      'Хороший коллектив',
      'Нет душа',
    ];
    for (const [i, item] of items.slice(0, 4).entries())
      await submitForm(world, item.url, { score: String(3 + i), reason: reasons[i]! });
    await sweep();
    let e = await expectJson(
      org.api('GET', `/api/v1/themes?audience=employee&from=${today()}&to=${today()}`),
      200,
    );
    expect(e.hidden).toBe(true);
    expect(e.themes.every((t: { mentions: unknown }) => t.mentions === null)).toBe(true);
    await submitForm(world, items[4].url, { score: '8', reason: reasons[4]! });
    await sweep();
    e = await expectJson(
      org.api('GET', `/api/v1/themes?audience=employee&from=${today()}&to=${today()}`),
      200,
    );
    expect(e.withText).toBe(5);
    // One employee named the schedule: a group of one stays hidden.
    expect(themeByKey(e, 'schedule')).toMatchObject({ mentions: null, hidden: true });
    // Customers' figures never include them.
    const c = await expectJson(org.api('GET', `/api/v1/themes?from=${today()}&to=${today()}`), 200);
    expect(c.withText).toBe(1);
    const bad = await org.api('GET', `/api/v1/themes?audience=employee&employeeId=${trainer}`);
    expect(bad.status).toBe(422);
  });

  it('refuses bad input with the field named, and keeps organisations apart', async () => {
    const bad = await org.api('GET', '/api/v1/themes?from=2026-13-40');
    expect(bad.status).toBe(422);
    expect((await bodyOf(bad)).errors[0].path).toBe('from');
    const inverted = await org.api('GET', '/api/v1/themes?from=2026-11-10&to=2026-11-01');
    expect(inverted.status).toBe(422);
    const emptyKeywords = await org.api('PUT', '/api/v1/themes/taxonomy', {
      version: 2,
      themes: [{ name: { ru: 'Х', en: 'X' }, keywords: [] }],
    });
    expect(emptyKeywords.status).toBe(422);
    const mine = await expectJson(org.api('GET', '/api/v1/themes'), 200);
    const theirs = await other.api('GET', `/api/v1/themes/${mine.themes[0].id}/answers`);
    expect(theirs.status).toBe(404);
    const o = await expectJson(other.api('GET', '/api/v1/themes'), 200);
    expect(o.answers).toBe(0);
    const leaked = rowsOf<{ n: number }>(
      await world.runtime.database.db.execute(
        sql`select count(*)::int as n from answer_themes where org_id = ${other.orgId}`,
      ),
    );
    expect(leaked[0]!.n).toBe(0);
  });
});
