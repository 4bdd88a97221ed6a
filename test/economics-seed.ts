// A fitness club's base for the economics tests: customers with monthly visits, answers, repeat answers and closed
// cases, written with set-based SQL (what an import would leave), so every figure can be worked out by hand.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/index.js';
import { rebuildRollups } from '../src/modules/answers/index.js';
import { expectJson, type TestOrg, type World } from './support/world.js';

export const DAY = 86_400_000;

export interface Cohort {
  /** Customers' externalIds are `${prefix}-${i}`. */
  prefix: string;
  count: number;
  unitId: string;
  /** Latest answer (60 days ago). */
  score: number;
  /** An earlier answer 200 days ago, for the first `earlierCount` customers. */
  earlierScore?: number;
  earlierCount?: number;
  /** The earlier answer got a closed case re-surveyed with this score and this cost (minor units). */
  earlierCase?: { resurveyScore: number; costMinor: number; action?: string };
  /** A contact every 30 days from `lastDaysAgo` back while within `firstDaysAgo`, each `amountMinor` for `service`. */
  firstDaysAgo: number;
  lastDaysAgo: number;
  amountMinor: number | null;
  service: string;
}

let caseNumber = 5000;

/** Writes a cohort: customers, their contacts, answers and cases. Returns the customers' ids in order. */
export async function seedCohort(world: World, org: TestOrg, surveyId: string, c: Cohort): Promise<string[]> {
  const db = world.runtime.database.db;
  const now = world.now.getTime();
  const ids = rowsOf<{ id: string }>(
    await db.execute(sql`
      insert into customers (org_id, external_id, home_unit_id)
      select ${org.orgId}, ${c.prefix} || '-' || i, ${c.unitId} from generate_series(1, ${c.count}) as i
      returning id`),
  ).map((r) => r.id);
  const list = `{${ids.join(',')}}`;
  await db.execute(sql`
    insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
    select ${org.orgId}, id, ${c.unitId}, ${c.service}, ${c.amountMinor}::bigint,
           ${new Date(now).toISOString()}::timestamptz - make_interval(days => d)
    from unnest(${list}::uuid[]) as id, generate_series(${c.lastDaysAgo}, ${c.firstDaysAgo}, 30) as d`);
  await db.execute(sql`
    insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, answered_at)
    select ${org.orgId}, ${surveyId}, id, ${c.unitId}, 'email', 'ru', ${c.score},
           ${new Date(now - 60 * DAY).toISOString()}::timestamptz
    from unnest(${list}::uuid[]) as id`);
  const earlier = ids.slice(0, c.earlierCount ?? 0);
  if (c.earlierScore !== undefined && earlier.length > 0) {
    const at = new Date(now - 200 * DAY).toISOString();
    const responses = rowsOf<{ id: string }>(
      await db.execute(sql`
        insert into responses (org_id, survey_id, customer_id, unit_id, channel, locale, score, answered_at)
        select ${org.orgId}, ${surveyId}, id, ${c.unitId}, 'email', 'ru', ${c.earlierScore}, ${at}::timestamptz
        from unnest(${`{${earlier.join(',')}}`}::uuid[]) as id
        returning id`),
    );
    if (c.earlierCase) {
      for (const [i, r] of responses.entries()) {
        await db.execute(sql`
          insert into cases (org_id, number, response_id, survey_id, customer_id, unit_id, rule_id, score, status,
                             due_at, closed_at, action_taken, action_cost_minor, resurvey_score, resurvey_at, created_at)
          values (${org.orgId}, ${caseNumber++}, ${r.id}, ${surveyId}, ${earlier[i]}, ${c.unitId}, 'detractor',
                  ${c.earlierScore}, 'resolved', ${at}::timestamptz + interval '2 days', ${at}::timestamptz + interval '1 day',
                  ${c.earlierCase.action ?? null}, ${c.earlierCase.costMinor}, ${c.earlierCase.resurveyScore},
                  ${at}::timestamptz + interval '8 days', ${at}::timestamptz)`);
      }
    }
  }
  return ids;
}

export async function createSurvey(org: TestOrg): Promise<string> {
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'Отношение', audience: 'customer', kind: 'relationship' }),
    201,
  );
  return survey.id as string;
}

/**
 * The standard club of the tests, in one branch (Арбат), as of the world's clock:
 * - 40 promoters (9): a visit every 30 days from 10 to 700 days ago, 2,000 ₽ each, personal training; 20 of them
 *   answered 8 (passive) 200 days ago;
 * - 40 passives (8), 1,500 ₽ memberships; 20 answered 2 two hundred days ago, got a closed case costing 500 ₽ with a
 *   re-survey of 8; 10 answered 5 with no case;
 * - 20 active detractors (3), 1,000 ₽ memberships; 10 of them answered 4 before (no case);
 * - 20 lost detractors (2): visits from 300 to 720 days ago, 1,000 ₽, "Заморозка" (a frozen membership).
 */
export async function seedClub(world: World, org: TestOrg, unitId: string, surveyId: string) {
  const promoters = await seedCohort(world, org, surveyId, {
    prefix: 'p',
    count: 40,
    unitId,
    score: 9,
    earlierScore: 8,
    earlierCount: 20,
    firstDaysAgo: 720,
    lastDaysAgo: 10,
    amountMinor: 200_000,
    service: 'Персональная тренировка',
  });
  const passivesHelped = await seedCohort(world, org, surveyId, {
    prefix: 'a',
    count: 20,
    unitId,
    score: 8,
    earlierScore: 2,
    earlierCount: 20,
    earlierCase: { resurveyScore: 8, costMinor: 50_000, action: 'Звонок управляющего' },
    firstDaysAgo: 720,
    lastDaysAgo: 10,
    amountMinor: 150_000,
    service: 'Абонемент',
  });
  const passivesOther = await seedCohort(world, org, surveyId, {
    prefix: 'b',
    count: 20,
    unitId,
    score: 8,
    earlierScore: 5,
    earlierCount: 10,
    firstDaysAgo: 720,
    lastDaysAgo: 10,
    amountMinor: 150_000,
    service: 'Абонемент',
  });
  const detractorsActive = await seedCohort(world, org, surveyId, {
    prefix: 'd',
    count: 20,
    unitId,
    score: 3,
    earlierScore: 4,
    earlierCount: 10,
    firstDaysAgo: 720,
    lastDaysAgo: 10,
    amountMinor: 100_000,
    service: 'Абонемент',
  });
  const detractorsLost = await seedCohort(world, org, surveyId, {
    prefix: 'l',
    count: 20,
    unitId,
    score: 2,
    firstDaysAgo: 720,
    lastDaysAgo: 300,
    amountMinor: 100_000,
    service: 'Заморозка',
  });
  // The answers were written straight into the table: count them into the rollups as the answer writer would.
  await rebuildRollups(world.runtime.database.db, org.orgId);
  return { promoters, passivesHelped, passivesOther, detractorsActive, detractorsLost };
}
