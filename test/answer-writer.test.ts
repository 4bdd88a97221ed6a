// The answer writer's batch: one answer per invitation whatever arrives together, the closed loop and the rollups
// fed in the same transaction, and text stored as typed (on PGlite through a prepared statement).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { localDay } from '../src/domain/period.js';
import { rebuildRollups } from '../src/modules/answers/index.js';
import {
  answerLinks,
  DEFER_ROLLUPS_AT,
  type PendingAnswer,
  writeBatch,
} from '../src/modules/answers/writer.js';
import { createInvitations } from '../src/modules/invitations/index.js';
import { sweepInbox } from '../src/modules/loop/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let surveyId: string;
let invitationIds: string[];

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
  const ctx = world.contextFor(org.orgId);
  surveyId = (await createSurvey(ctx, { name: 'Visits', audience: 'customer' })).id;
  const made = await createInvitations(ctx, surveyId, { count: 6 }, 'http://sarafan.test');
  invitationIds = made.map((i) => i.id);
});
afterAll(() => world.close());

function answer(invitation: number, score: number, reason: string | null = null): PendingAnswer {
  return {
    audience: 'customer',
    orgId: org.orgId,
    surveyId,
    invitationId: invitationIds[invitation]!,
    customerId: null,
    contactId: null,
    unitId: null,
    employeeId: null,
    channel: 'link',
    locale: 'ru',
    score,
    reason,
    answeredAt: world.now,
    day: localDay(world.now, 'Europe/Moscow'),
  };
}

const count = async (query: ReturnType<typeof sql>) =>
  rowsOf<{ n: number }>(await world.runtime.database.db.execute(query))[0]!.n;

describe('a batch of answers', () => {
  it('records the first answer of an invitation and refuses a second in the same batch or later', async () => {
    const hostile = `'); delete from responses; -- "O'Brien" \\ $1`;
    const recorded = await writeBatch(world.runtime.database.db, [
      answer(0, 10, hostile),
      answer(0, 0),
      answer(1, 3, 'Долго ждал'),
    ]);
    expect(recorded).toEqual([true, false, true]);
    expect(await writeBatch(world.runtime.database.db, [answer(0, 5), answer(1, 5)])).toEqual([false, false]);

    const stored = rowsOf<{ score: number; reason: string | null }>(
      await world.runtime.database.db.execute(
        sql`select score, reason from responses where org_id = ${org.orgId} order by score`,
      ),
    );
    expect(stored).toEqual([
      { score: 3, reason: 'Долго ждал' },
      { score: 10, reason: hostile },
    ]);
    // Both went to the closed loop, both are counted once in the rollups, both invitations are used up.
    expect(await count(sql`select count(*)::int as n from loop_inbox where org_id = ${org.orgId}`)).toBe(2);
    expect(
      await count(
        sql`select coalesce(sum(c3 + c10), 0)::int as n from nps_daily_unit where org_id = ${org.orgId}`,
      ),
    ).toBe(2);
    expect(
      await count(
        sql`select count(*)::int as n from invitations where org_id = ${org.orgId} and status = 'answered'`,
      ),
    ).toBe(2);
  });

  it('keeps historic answers out of the closed loop when asked', async () => {
    const before = await count(sql`select count(*)::int as n from loop_inbox where org_id = ${org.orgId}`);
    expect(await writeBatch(world.runtime.database.db, [answer(2, 2)], { toLoop: false })).toEqual([true]);
    expect(await count(sql`select count(*)::int as n from loop_inbox where org_id = ${org.orgId}`)).toBe(
      before,
    );
    expect(await count(sql`select count(*)::int as n from responses where org_id = ${org.orgId}`)).toBe(3);
  });

  it('writes nothing of a batch that fails', async () => {
    // An answer to a survey that does not exist breaks a foreign key: the whole transaction fails, so the good answer
    // beside it is not stored and its invitation stays open (the writer's callers retry it on the slow path).
    const bad = { ...answer(4, 9), surveyId: '00000000-0000-0000-0000-000000000001' };
    await expect(writeBatch(world.runtime.database.db, [answer(3, 9), bad])).rejects.toThrow();
    expect(
      await count(
        sql`select count(*)::int as n from invitations where org_id = ${org.orgId} and status = 'pending'`,
      ),
    ).toBe(3);
    expect(await writeBatch(world.runtime.database.db, [answer(3, 9)])).toEqual([true]);
  });
});

/** A branch of `org`, a customer and their visit there (with the employee who served them, if named), through the API. */
async function customerWithVisit(
  org: TestOrg,
  v: {
    unit: string;
    employee?: string;
    customer: string;
    email: string;
    service: string;
    occurredAt: string;
  },
) {
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: v.unit, kind: 'branch' }), 201);
  const employee = v.employee
    ? await expectJson(org.api('POST', '/api/v1/employees', { name: v.employee, unitId: unit.id }), 201)
    : null;
  const customer = await expectJson(
    org.api('POST', '/api/v1/customers', { name: v.customer, email: v.email }),
    201,
  );
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: customer.id,
      unitId: unit.id,
      employeeId: employee?.id,
      service: v.service,
      amount: 2500,
      occurredAt: v.occurredAt,
    }),
    201,
  );
  return { unit, employee, customer, contact };
}

describe('a batch of link submissions', () => {
  const rollups = async (orgId: string) =>
    rowsOf<Record<string, unknown>>(
      await world.runtime.database.db.execute(sql`
        select 'unit' as t, survey_id, day::text, unit_id, channel as k, c0, c4, c9, c10 from nps_daily_unit where org_id = ${orgId}
        union all select 'month', survey_id, month::text, unit_id, channel, c0, c4, c9, c10 from nps_monthly_unit where org_id = ${orgId}
        union all select 'employee', survey_id, day::text, employee_id, '', c0, c4, c9, c10 from nps_daily_employee where org_id = ${orgId}
        union all select facet, survey_id, day::text, unit_id, value, c0, c4, c9, c10 from nps_daily_facet where org_id = ${orgId}
        order by 1, 2, 3, 4, 5`),
    );

  it('records open customer links once, in the organisation’s day, and leaves every other link as it was', async () => {
    const other = await buildOrg(world);
    const ctx = world.contextFor(other.orgId);
    const { unit, employee, customer, contact } = await customerWithVisit(other, {
      unit: 'Тверская',
      employee: 'Анна Смирнова',
      customer: 'Олег Ветров',
      email: 'oleg@example.com',
      service: 'Персональная тренировка',
      occurredAt: '2026-11-20T15:00:00Z',
    });
    const visits = (await createSurvey(ctx, { name: 'Visits', audience: 'customer' })).id;
    const staff = (await createSurvey(ctx, { name: 'Staff', audience: 'employee' })).id;
    const closed = (await createSurvey(ctx, { name: 'Old', audience: 'customer' })).id;
    const tokenOf = (url: string) => url.split('/s/')[1]!;
    const [afterVisit] = await createInvitations(ctx, visits, { contactIds: [contact.id] }, 'http://x');
    const [anonymous, expiring] = await createInvitations(ctx, visits, { count: 2 }, 'http://x');
    const [staffLink] = await createInvitations(ctx, staff, { employeeIds: [employee.id] }, 'http://x');
    const [closedLink] = await createInvitations(ctx, closed, { count: 1 }, 'http://x');
    await expectJson(other.api('PATCH', `/api/v1/surveys/${closed}`, { status: 'closed' }), 200);
    await world.runtime.database.db.execute(
      sql`update invitations set expires_at = '2026-11-20T00:00:00Z' where id = ${expiring!.id}`,
    );

    // 22:30 UTC is already the next day in Moscow, the organisation's time zone.
    const at = new Date('2026-11-20T22:30:00Z');
    const sub = (url: string, score: number, reason: string | null = null) => ({
      token: tokenOf(url),
      score,
      reason,
      at,
    });
    const recorded = await answerLinks(world.runtime.database.db, [
      sub(afterVisit!.url, 4, `Долго ждал'); drop table responses; --`),
      sub(afterVisit!.url, 10),
      sub(staffLink!.url, 9),
      sub(expiring!.url, 9),
      sub(closedLink!.url, 9),
      { token: 'x'.repeat(40), score: 9, reason: null, at },
      { token: 'not a token', score: 9, reason: null, at },
      sub(anonymous!.url, 9, 'Отлично'),
    ]);
    expect(recorded).toEqual([true, false, false, false, false, false, false, true]);

    const stored = rowsOf<Record<string, unknown>>(
      await world.runtime.database.db.execute(sql`
        select r.score, r.reason, r.unit_id, r.employee_id, r.customer_id, r.contact_id, r.channel, r.locale
        from responses r where r.org_id = ${other.orgId} order by r.score`),
    );
    expect(stored).toEqual([
      {
        score: 4,
        reason: `Долго ждал'); drop table responses; --`,
        unit_id: unit.id,
        employee_id: employee.id,
        customer_id: customer.id,
        contact_id: contact.id,
        channel: 'link',
        locale: 'ru',
      },
      {
        score: 9,
        reason: 'Отлично',
        unit_id: null,
        employee_id: null,
        customer_id: null,
        contact_id: null,
        channel: 'link',
        locale: 'ru',
      },
    ]);
    const statuses = rowsOf<{ id: string; status: string }>(
      await world.runtime.database.db.execute(
        sql`select id, status from invitations where org_id = ${other.orgId}`,
      ),
    );
    const statusOf = (id: string) => statuses.find((s) => s.id === id)?.status;
    expect([afterVisit, anonymous, expiring, staffLink, closedLink].map((i) => statusOf(i!.id))).toEqual([
      'answered',
      'answered',
      'pending',
      'pending',
      'pending',
    ]);
    expect(await count(sql`select count(*)::int as n from loop_inbox where org_id = ${other.orgId}`)).toBe(2);

    // The live rollups are what a rebuild from the stored answers makes: the same day (21 November in Moscow), the
    // unit, the employee and the facets of the visit.
    const live = await rollups(other.orgId);
    expect(live.filter((r) => r.t === 'unit').map((r) => r.day)).toEqual(['2026-11-21', '2026-11-21']);
    expect(live.find((r) => r.t === 'service' && r.unit_id === unit.id)).toMatchObject({
      k: 'Персональная тренировка',
      c4: 1,
    });
    expect(live.filter((r) => r.t === 'employee')).toEqual([
      expect.objectContaining({ unit_id: employee.id, c4: 1 }),
    ]);
    await rebuildRollups(world.runtime.database.db, other.orgId);
    expect(await rollups(other.orgId)).toEqual(live);
  });

  it('leaves a burst’s additions to the loop sweep, which adds each once, amended or rebuilt meanwhile', async () => {
    const other = await buildOrg(world);
    const ctx = world.contextFor(other.orgId);
    const db = world.runtime.database.db;
    const { contact } = await customerWithVisit(other, {
      unit: 'Арбат',
      customer: 'Ирина Лебедева',
      email: 'irina@example.com',
      service: 'Бассейн',
      occurredAt: '2026-11-19T15:00:00Z',
    });
    const survey = (await createSurvey(ctx, { name: 'Burst', audience: 'customer' })).id;
    const [visit] = await createInvitations(ctx, survey, { contactIds: [contact.id] }, 'http://x');
    const links = [
      visit!,
      ...(await createInvitations(ctx, survey, { count: 2 * DEFER_ROLLUPS_AT }, 'http://x')),
    ];
    const tokenOf = (url: string) => url.split('/s/')[1]!;
    const burst = (from: number, to: number) =>
      answerLinks(
        db,
        links
          .slice(from, to)
          .map((l, i) => ({ token: tokenOf(l.url), score: (from + i) % 11, reason: null, at: world.now })),
      );
    const counted = async () =>
      count(sql`select coalesce(sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10), 0)::int as n
        from nps_daily_unit where org_id = ${other.orgId}`);
    const facetRows = async () =>
      rowsOf<Record<string, unknown>>(
        await db.execute(sql`select facet, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 from nps_daily_facet
          where org_id = ${other.orgId} order by facet, value`),
      );

    // A batch as big as a burst's: recorded and handed to the loop, its scores waiting in the inbox, nothing counted.
    expect(await burst(0, DEFER_ROLLUPS_AT)).toEqual(links.slice(0, DEFER_ROLLUPS_AT).map(() => true));
    expect(await counted()).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from loop_inbox where org_id = ${other.orgId} and rollup_score is not null`,
      ),
    ).toBe(DEFER_ROLLUPS_AT);

    // The visit's customer changes a 0 to a 9 through the page before the sweep: the score waiting is replaced, and
    // no rollup row ever shows the 0 taken away before it was added.
    expect((await submitForm(world, visit!.url, { score: '9' })).status).toBeLessThan(400);
    expect(await counted()).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from nps_daily_facet where org_id = ${other.orgId}`),
    ).toBe(0);
    await sweepInbox(world.runtime.deps, world.now);
    expect(await counted()).toBe(DEFER_ROLLUPS_AT);
    expect(await count(sql`select count(*)::int as n from loop_inbox where org_id = ${other.orgId}`)).toBe(0);
    const live = await facetRows();
    expect(live.find((r) => r.facet === 'service' && r.value === 'Бассейн')).toMatchObject({ c0: 0, c9: 1 });

    // A second burst, then a rebuild before the sweep: the rebuild counts those answers, and the sweep adds nothing.
    expect((await burst(DEFER_ROLLUPS_AT, 2 * DEFER_ROLLUPS_AT + 1)).every(Boolean)).toBe(true);
    await rebuildRollups(db, other.orgId);
    const rebuilt = await facetRows();
    expect(await counted()).toBe(2 * DEFER_ROLLUPS_AT + 1);
    await sweepInbox(world.runtime.deps, world.now);
    expect(await counted()).toBe(2 * DEFER_ROLLUPS_AT + 1);
    expect(await facetRows()).toEqual(rebuilt);
    // And what the live path made is what a rebuild makes.
    await rebuildRollups(db, other.orgId);
    expect(await facetRows()).toEqual(rebuilt);
  });
});
