// Anonymous employee surveys through the real API and survey pages: what an answer leaves in the database, and an
// attacker with every figure the API returns who tries to work out a small group by subtraction (a department
// from its branch and siblings, a month from the period, a survey from all surveys) — and fails.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, tables } from '../src/db/index.js';
import { queueInvitationMessages } from '../src/modules/delivery/index.js';
import { surveyText } from '../src/survey/survey-text.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
const u = {} as Record<'company' | 'north' | 'sales' | 'support' | 'legal' | 'south', string>;
let survey = '';
let pulse = '';
/** Legal's two links, for the storage checks. */
let legalLinks: { id: string; url: string }[] = [];

const get = (path: string) => expectJson(org.api('GET', path), 200);
const at = (iso: string) => {
  world.now = new Date(iso);
};

/** Employees of a unit, invited to a survey, who answer through the survey page (the real path). */
async function answerFrom(
  unitId: string,
  surveyId: string,
  scores: number[],
  channel: 'link' | 'email' = 'link',
) {
  const employees: string[] = [];
  for (let i = 0; i < scores.length; i++) {
    const e = await expectJson(
      org.api('POST', '/api/v1/employees', {
        name: `Сотрудник ${Math.random().toString(36).slice(2, 8)}`,
        unitId,
        email: `e${Math.random().toString(36).slice(2, 10)}@example.com`,
      }),
      201,
    );
    employees.push(e.id);
  }
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { employeeIds: employees, channel }),
    201,
  );
  if (channel === 'email') {
    await queueInvitationMessages(
      world.contextFor(org.orgId),
      items.map((i: { id: string }) => i.id),
      'invitation',
    );
  }
  for (let i = 0; i < scores.length; i++) {
    const r = await submitForm(world, items[i].url, { score: String(scores[i]), reason: `Комментарий ${i}` });
    expect(r.status, await r.clone().text()).toBeLessThan(400);
  }
  return items as { id: string; url: string }[];
}

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-08-12T09:00:00Z') });
  org = await buildOrg(world);
  const unit = async (name: string, kind: string, parentId?: string) =>
    (await expectJson(org.api('POST', '/api/v1/units', { name, kind, parentId }), 201)).id as string;
  u.company = await unit('Компания', 'company');
  u.north = await unit('Север', 'branch', u.company);
  u.sales = await unit('Продажи', 'department', u.north);
  u.support = await unit('Поддержка', 'department', u.north);
  u.legal = await unit('Юристы', 'department', u.north);
  u.south = await unit('Юг', 'branch', u.company);
  const newSurvey = async (name: string) =>
    (
      await expectJson(
        org.api('POST', '/api/v1/surveys', { name, audience: 'employee', kind: 'relationship' }),
        201,
      )
    ).id as string;
  survey = await newSurvey('eNPS');
  pulse = await newSurvey('Pulse');
  // August: 3 answers in South (a small month).
  await answerFrom(u.south, survey, [9, 6, 10]);
  // September: sales 10, support 8, legal 2 (by e-mail), south 10.
  at('2026-09-15T09:00:00Z');
  await answerFrom(u.sales, survey, [9, 9, 10, 8, 7, 9, 10, 6, 9, 3]);
  await answerFrom(u.support, survey, [5, 6, 9, 10, 8, 7, 3, 9]);
  legalLinks = await answerFrom(u.legal, survey, [0, 4], 'email');
  await answerFrom(u.south, survey, [9, 9, 8, 10, 9, 7, 9, 10, 6, 9]);
  // October: south 15.
  at('2026-10-14T09:00:00Z');
  await answerFrom(u.south, survey, new Array(15).fill(9));
  // November: eNPS 7 in South, and a second survey with 2 answers in Sales.
  at('2026-11-10T09:00:00Z');
  await answerFrom(u.south, survey, [9, 9, 10, 7, 8, 9, 10]);
  await answerFrom(u.sales, pulse, [2, 10]);
  at('2026-11-20T09:00:00Z');
}, 240_000);

afterAll(() => world?.close());

const sep = 'from=2026-09-01&to=2026-09-30';

describe('what an employee answer leaves in the database', () => {
  it('keeps survey, unit, score, reason, language and day only — no person, token, address or instant', async () => {
    const db = world.runtime.database.db;
    const columns = rowsOf<{ column_name: string; data_type: string }>(
      await db.execute(sql`select column_name, data_type from information_schema.columns
        where table_name = 'employee_responses' order by column_name`),
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'answered_on',
      'id',
      'locale',
      'org_id',
      'reason',
      'score',
      'survey_id',
      'unit_id',
    ]);
    expect(columns.find((c) => c.column_name === 'answered_on')?.data_type).toBe('date');
    const stored = await db
      .select()
      .from(tables.employeeResponses)
      .where(eq(tables.employeeResponses.unitId, u.legal));
    expect(stored.map((r) => r.answeredOn)).toEqual(['2026-09-15', '2026-09-15']);
    // Nothing of an employee survey is kept with the customers' answers (instants, persons, invitations).
    const [mixed] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from responses where survey_id in (${survey}::uuid, ${pulse}::uuid)`,
      ),
    );
    expect(mixed!.n).toBe(0);
  });

  it('forgets whom a used link was sent to: the invitation and the e-mail that carried it', async () => {
    const db = world.runtime.database.db;
    for (const link of legalLinks) {
      const [inv] = await db.select().from(tables.invitations).where(eq(tables.invitations.id, link.id));
      expect(inv).toMatchObject({ status: 'answered', employeeId: null, openedAt: null });
      const token = new URL(link.url).pathname.split('/').at(-1)!;
      const carried = rowsOf<{ dedupe_key: string; body_text: string; invitation_id: string | null }>(
        await db.execute(sql`select dedupe_key, body_text, invitation_id from messages
          where org_id = ${org.orgId}::uuid and (invitation_id = ${link.id}::uuid or dedupe_key like ${`%${link.id}%`}
            or body_text like ${`%${token}%`})`),
      );
      expect(carried).toEqual([]);
    }
    // The e-mails are still in the outbox, tied to no invitation.
    const [left] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from messages
        where org_id = ${org.orgId}::uuid and dedupe_key like 'used-employee-link:%' and invitation_id is null`),
    );
    expect(left!.n).toBe(2);
    // The used link stays used.
    const again = await submitForm(world, legalLinks[0]!.url, { score: '10' });
    expect(again.status).toBe(410);
  });
});

describe('an attacker with every figure the API returns', () => {
  it('cannot work a small department out of its branch and its siblings', async () => {
    const top = await get(`/api/v1/analytics/employees/breakdown?${sep}&by=unit`);
    const north = top.rows.find((r: { key: string }) => r.key === u.north);
    expect(north).toMatchObject({ hidden: false, n: 20 });
    const drill = await get(`/api/v1/analytics/employees/breakdown?${sep}&by=unit&parentId=${u.north}`);
    const row = (id: string) => drill.rows.find((r: { key: string }) => r.key === id);
    // Legal (2) is withheld, and Support (8, the next smallest) with it; a withheld row shows no n at all.
    expect(row(u.legal)).toMatchObject({ hidden: true, n: 0, nps: null, promoters: 0, shares: null });
    expect(row(u.support)).toMatchObject({ hidden: true, n: 0, nps: null });
    expect(row(u.sales)).toMatchObject({ hidden: false, n: 10 });
    // North − visible children = 10 answers spread over two withheld departments: neither follows.
    const shown = drill.rows.filter((r: { hidden: boolean }) => !r.hidden);
    const left = north.n - shown.reduce((s: number, r: { n: number }) => s + r.n, 0);
    const hidden = drill.rows.filter((r: { hidden: boolean }) => r.hidden);
    expect(left).toBe(10);
    expect(hidden.length).toBeGreaterThanOrEqual(2);
    // Asking for the department itself, its answers or its comments gives nothing either.
    for (const id of [u.legal, u.support]) {
      const s = await get(`/api/v1/analytics/employees/summary?${sep}&unitId=${id}`);
      expect(s.total).toMatchObject({ hidden: true, n: 0, nps: null });
      expect(s.distribution).toBeNull();
      expect(s.responseRate).toMatchObject({ sent: null, answered: null });
      expect(s.empty.reason).toBe('suppressed');
      const answers = await get(`/api/v1/analytics/employees/answers?${sep}&unitId=${id}`);
      expect(answers.items).toEqual([]);
      const themes = await get(`/api/v1/themes?audience=employee&${sep}&unitId=${id}`);
      expect(themes.hidden).toBe(true);
    }
    // The ranking lists them apart, without a count.
    const ranking = await get(
      `/api/v1/analytics/employees/ranking?${sep}&of=unit&level=department&minAnswers=5`,
    );
    expect(ranking.rows.map((r: { key: string }) => r.key)).toEqual([u.sales]);
    expect(ranking.tooFew).toEqual(
      expect.arrayContaining([
        { key: u.legal, label: 'Юристы', n: null },
        { key: u.support, label: 'Поддержка', n: null },
      ]),
    );
    // How many answered in a unit is its number of answers: withheld too (Legal 2 and, as complement, Support 8).
    const rates = await get(`/api/v1/surveys/${survey}/response-rates?groupBy=unit`);
    const rate = (id: string) => rates.rows.find((r: { key: string }) => r.key === id);
    expect(rate(u.legal)).toMatchObject({ answered: 0, rate: null });
    expect(rate(u.support)).toMatchObject({ answered: 0, rate: null });
    expect(rate(u.sales)).toMatchObject({ answered: 10, rate: 1 });
    // The legacy per-survey figures by unit say no more.
    const { rows } = await get(`/api/v1/surveys/${survey}/nps?${sep}&groupBy=unit`);
    expect(rows.map((r: { key: string }) => r.key).sort()).toEqual([u.sales, u.south].sort());
  });

  it('cannot work a small month out of the period, nor out of two periods asked apart', async () => {
    // Figures are built from whole months, each month a cell of its own: a period is shown only when every month
    // of it is. August (3) is withheld, so August–October is withheld whole — else August–October minus
    // September–October (asked apart, both months pass) would be August.
    const period = 'from=2026-08-01&to=2026-10-31';
    const total = await get(`/api/v1/analytics/employees/summary?${period}`);
    expect(total.total).toMatchObject({ hidden: true, n: 0, nps: null });
    const later = await get('/api/v1/analytics/employees/summary?from=2026-09-01&to=2026-10-31');
    expect(later.total).toMatchObject({ hidden: false, n: 30 + 15 });
    const trend = await get(`/api/v1/analytics/employees/trend?${period}&grain=month`);
    const month = (key: string) => trend.buckets.find((b: { key: string }) => b.key === key);
    expect(month('2026-08')).toMatchObject({ hidden: true, n: 0, nps: null });
    expect(month('2026-09')).toMatchObject({ hidden: false, n: 30 });
    expect(month('2026-10')).toMatchObject({ hidden: false, n: 15 });
    // No change is shown against a withheld month, nor against a year ago.
    for (const b of trend.buckets) expect(b.vsYearAgo).toBeNull();
    expect(month('2026-09').vsPrevious).toBeNull();
    // The overview withholds its trend with its total; September–October shows both months.
    const overview = await get(`/api/v1/overview?audience=employee&from=2026-08-01&to=2026-10-31`);
    expect(overview.trend).toEqual([]);
    const overviewLater = await get(`/api/v1/overview?audience=employee&from=2026-09-01&to=2026-10-31`);
    expect(overviewLater.trend.map((r: { key: string }) => r.key)).toEqual(['2026-09', '2026-10']);
    // A period that cuts a month is shown only when it cuts off none of the group's answers (it is then the sum
    // of whole months): September's answers came on the 15th.
    const cutting = await get('/api/v1/analytics/employees/summary?from=2026-09-16&to=2026-10-31');
    expect(cutting.total).toMatchObject({ hidden: true, n: 0 });
    const whole = await get('/api/v1/analytics/employees/summary?from=2026-09-01&to=2026-10-20');
    expect(whole.total).toMatchObject({ hidden: false, n: 45, nps: later.total.nps });
    // By week, an employee trend shows nothing: weeks are finer than the months figures are built from.
    const weeks = await get(`/api/v1/analytics/employees/trend?${period}&grain=week`);
    expect(weeks.buckets.every((b: { hidden: boolean; n: number }) => b.n === 0)).toBe(true);
  });

  it('cannot narrow a group by a filter to what the filter leaves out', async () => {
    const nov = 'from=2026-11-01&to=2026-11-30';
    // November: 7 eNPS answers in South and 2 Pulse answers in Sales. All surveys together: 9 answers, shown.
    const all = await get(`/api/v1/analytics/employees/summary?${nov}`);
    expect(all.total).toMatchObject({ hidden: false, n: 9 });
    // The eNPS survey alone would give Pulse's 2 answers away as 9 − 7: both cuts are withheld.
    for (const id of [survey, pulse]) {
      const cut = await get(`/api/v1/analytics/employees/summary?${nov}&surveyId=${id}`);
      expect(cut.total).toMatchObject({ hidden: true, n: 0 });
    }
    const bySurvey = await get(`/api/v1/analytics/employees/breakdown?${nov}&by=survey`);
    expect(bySurvey.rows.every((r: { hidden: boolean; n: number }) => r.hidden && r.n === 0)).toBe(true);
    // Channel and employee filters do not exist for employees; grouping by channel is the group itself.
    await expectJson(org.api('GET', `/api/v1/analytics/employees/summary?${nov}&channel=email`), 400);
    await expectJson(org.api('GET', `/api/v1/analytics/employees/breakdown?${nov}&by=channel`), 400);
    const { rows } = await get(`/api/v1/surveys/${survey}/nps?${sep}&groupBy=channel`);
    expect(rows).toEqual([expect.objectContaining({ key: 'link', n: 30 })]);
  });
});

describe('comments and settings', () => {
  it('shows comments of a passing group without unit or time, and in no time order', async () => {
    const overview = await get(`/api/v1/overview?audience=employee&${sep}`);
    expect(overview.latestReasons.length).toBeGreaterThan(0);
    for (const r of overview.latestReasons) expect(r).toMatchObject({ unitName: null, answeredAt: null });
    const ids = overview.latestReasons.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...ids].sort());
    const answers = await get(`/api/v1/analytics/employees/answers?${sep}&limit=100`);
    expect(answers.items).toHaveLength(30);
    for (const a of answers.items) {
      expect(Object.keys(a).sort()).toEqual(['id', 'reason', 'score', 'segment']);
    }
    const listed = await get(`/api/v1/surveys/${survey}/responses?limit=100`);
    for (const r of listed.items) expect(r).toMatchObject({ unitId: null, answeredAt: null });
  });

  it('says the guarantees in plain words on the employee survey page, in Russian and English', async () => {
    const e = await expectJson(
      org.api('POST', '/api/v1/employees', { name: 'Новичок', unitId: u.south }),
      201,
    );
    for (const locale of ['ru', 'en'] as const) {
      const { items } = await expectJson(
        org.api('POST', `/api/v1/surveys/${survey}/invitations`, { employeeIds: [e.id], locale }),
        201,
      );
      const page = await world.app.request(new URL(items[0].url).pathname);
      const html = await page.text();
      const t = surveyText(locale);
      expect(html).toContain(t.anonymityHow);
      expect(html).toContain(t.anonymityNoPerson);
      expect(html).toContain(t.anonymityGroups.replaceAll('{k}', '5'));
      expect(html).toContain(t.anonymityComments);
    }
  });

  it('lets the owner raise the minimum group, never below 3', async () => {
    expect(await get('/api/v1/settings/anonymity')).toEqual({
      minGroupSize: 5,
      defaultMinGroupSize: 5,
      floor: 3,
    });
    const low = await expectJson(org.api('PUT', '/api/v1/settings/anonymity', { minGroupSize: 2 }), 422);
    expect(low.errors[0].path).toBe('minGroupSize');
    await expectJson(org.api('PUT', '/api/v1/settings/anonymity', { minGroupSize: 11 }), 200);
    // Sales (10) is now too small as well: North's three departments are all withheld.
    const drill = await get(`/api/v1/analytics/employees/breakdown?${sep}&by=unit&parentId=${u.north}`);
    expect(drill.rows.every((r: { hidden: boolean }) => r.hidden)).toBe(true);
    expect(drill.minGroupSize).toBe(11);
    await expectJson(org.api('PUT', '/api/v1/settings/anonymity', { minGroupSize: 5 }), 200);
  });
});
