// The analytics test world: a company with a region, two branches (one with two departments), two employees, 160
// customer answers in September and October 2026 whose figures are counted by hand in test/analytics.test.ts, and
// three eNPS answers (too few to show). Shared by the API test and the browser test.
import { inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { tables } from '../src/db/index.js';
import { localDay } from '../src/domain/period.js';
import { writeBatch } from '../src/modules/answers/index.js';
import { buildOrg, expectJson, type TestOrg, type World } from './support/world.js';

export interface AnalyticsWorld {
  org: TestOrg;
  other: TestOrg;
  u: Record<'company' | 'north' | 'a' | 'a1' | 'a2' | 'b', string>;
  e: Record<'anna' | 'boris', string>;
  customerSurvey: string;
  employeeSurvey: string;
  otherUnit: string;
  /** Tverskaya's October invitations (answered 2026-10-20T10:00Z), for amending one. */
  octoberTver: { url: string }[];
}

/** Builds the world at its clock's September; leaves the clock at 2026-11-20T10:00Z. */
export async function seedAnalytics(world: World): Promise<AnalyticsWorld> {
  const u = {} as AnalyticsWorld['u'];
  const e = {} as AnalyticsWorld['e'];
  let customerSurvey = '';
  let employeeSurvey = '';
  let otherUnit = '';
  let octoberTver: { url: string }[] = [];
  const org = await buildOrg(world);
  const other = await buildOrg(world);
  const repeat = (score: number, times: number) => new Array<number>(times).fill(score);
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
  return { org, other, u, e, customerSurvey, employeeSurvey, otherUnit, octoberTver };
}
