// The answer writer's batch: one answer per invitation whatever arrives together, the closed loop and the rollups
// fed in the same transaction, and text stored as typed (on PGlite through a prepared statement).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { localDay } from '../src/domain/period.js';
import { type PendingAnswer, writeBatch } from '../src/modules/answers/writer.js';
import { createInvitations } from '../src/modules/invitations/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

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
