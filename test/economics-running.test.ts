// The customers' running contact sums (drizzle/0017) against the contacts themselves, counted here in plain
// TypeScript, through inserts (also as imports write them, with row triggers off), updates, deletes and the window's
// slide; and the cache refreshed incrementally from them against a whole rebuild.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { createSurvey, DAY, seedClub } from './economics-seed.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let other: TestOrg;
let arbat: string;
let otherUnit: string;
let club: Awaited<ReturnType<typeof seedClub>>;
let newcomer: string;

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-11-20T10:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  other = await buildOrg(world, 'Соседи');
  arbat = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201)).id;
  otherUnit = (
    await expectJson(other.api('POST', '/api/v1/units', { name: 'Тверская', kind: 'branch' }), 201)
  ).id;
  club = await seedClub(world, org, arbat, await createSurvey(org));
  await seedClub(world, other, otherUnit, await createSurvey(other));
});

afterAll(async () => {
  await world?.close();
});

const db = () => world.runtime.database.db;
const ago = (days: number) => new Date(world.now.getTime() - days * DAY).toISOString();

interface Contact {
  customer_id: string;
  service: string | null;
  amount_minor: string | null;
  currency: string;
  occurred_at: string;
}

/** What the running table must hold for `o`, counted from its contacts one by one. */
async function expected(o: TestOrg) {
  const [state] = rowsOf<{ window_start: string }>(
    await db().execute(
      sql`select to_json(window_start)#>>'{}' as window_start from economics_running_state where org_id = ${o.orgId}`,
    ),
  );
  const ws = new Date(state!.window_start).getTime();
  const contacts = rowsOf<Contact>(
    await db().execute(sql`
      select customer_id, service, amount_minor::text, currency, to_json(occurred_at)#>>'{}' as occurred_at
      from contacts where org_id = ${o.orgId}`),
  );
  const byCustomer = new Map<string, ReturnType<typeof empty>>();
  function empty() {
    return {
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
      total: 0,
      window: 0,
      revenue: 0,
      refunds: 0,
      withAmount: 0,
      services: new Map<string, { visits: number; spend: number }>(),
    };
  }
  for (const c of contacts) {
    const at = new Date(c.occurred_at).getTime();
    const r = byCustomer.get(c.customer_id) ?? empty();
    byCustomer.set(c.customer_id, r);
    r.first = Math.min(r.first, at);
    r.last = Math.max(r.last, at);
    r.total += 1;
    if (at < ws) continue;
    r.window += 1;
    const amount = c.amount_minor !== null && c.currency === 'RUB' ? Number(c.amount_minor) : null;
    if (amount !== null) {
      r.withAmount += 1;
      r.revenue += amount;
      if (amount < 0) r.refunds -= amount;
    }
    const name = c.service?.trim();
    if (!name) continue;
    const s = r.services.get(name) ?? { visits: 0, spend: 0 };
    r.services.set(name, { visits: s.visits + 1, spend: s.spend + (amount ?? 0) });
  }
  return [...byCustomer.entries()]
    .map(([id, r]) => {
      const names = [...r.services.keys()].sort((x, y) => x.localeCompare(y));
      return {
        customer_id: id,
        first: new Date(r.first).toISOString(),
        last: new Date(r.last).toISOString(),
        total: r.total,
        window: r.window,
        revenue: r.revenue,
        refunds: r.refunds,
        with_amount: r.withAmount,
        services: names.map((n) => [n, r.services.get(n)!.visits, r.services.get(n)!.spend]),
      };
    })
    .sort((a, b) => a.customer_id.localeCompare(b.customer_id));
}

async function running(o: TestOrg) {
  const rows = rowsOf<{
    customer_id: string;
    first: string;
    last: string;
    total: number;
    window: number;
    revenue: string;
    refunds: string;
    with_amount: number;
    services: string[];
    service_visits: number[];
    service_spend: (string | number)[];
  }>(
    await db().execute(sql`
      select customer_id, to_json(first_contact_at)#>>'{}' as first, to_json(last_contact_at)#>>'{}' as last,
             contacts_total as total, contacts_window as window, revenue_window_minor::text as revenue,
             refunds_window_minor::text as refunds, revenue_contacts as with_amount, services, service_visits,
             service_spend
      from economics_customer_running where org_id = ${o.orgId}`),
  );
  return rows
    .map((r) => ({
      customer_id: r.customer_id,
      first: new Date(r.first).toISOString(),
      last: new Date(r.last).toISOString(),
      total: r.total,
      window: r.window,
      revenue: Number(r.revenue),
      refunds: Number(r.refunds),
      with_amount: r.with_amount,
      services: r.services
        .map((s, i) => [s, r.service_visits[i], Number(r.service_spend[i])])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    }))
    .sort((a, b) => a.customer_id.localeCompare(b.customer_id));
}

async function expectRunningExact() {
  for (const o of [org, other]) expect(await running(o)).toEqual(await expected(o));
}

/** The cache's facts of the customers computed at `at`, and whether its baskets are the sums of all its facts. */
async function cache(at: Date) {
  const facts = rowsOf<Record<string, unknown>>(
    await db().execute(sql`
      select customer_id, unit_id, first_contact_at::text, last_contact_at::text, contacts_total, contacts_window,
             revenue_window_minor::text, refunds_window_minor::text, has_revenue, round(exposure_years::numeric, 9)::text as e,
             round(tenure_years::numeric, 9)::text as t, lost, score, segment, answered_at::text, services,
             service_visits, service_spend::text[]
      from economics_customer_facts
      where org_id = ${org.orgId} and computed_at = ${at.toISOString()}::timestamptz order by customer_id`),
  );
  const [check] = rowsOf<{ off: number }>(
    await db().execute(sql`
      with kept as (
        select segment, unit_id, service, sum(buyers) as buyers, sum(visits) as visits, sum(spend_minor) as spend
        from economics_baskets where org_id = ${org.orgId} group by 1, 2, 3 having sum(buyers) <> 0),
      summed as (
        select f.segment, f.unit_id, b.service, count(*)::numeric as buyers, sum(b.visits)::numeric as visits,
               sum(b.spend)::numeric as spend
        from economics_customer_facts f, unnest(f.services, f.service_visits, f.service_spend) as b(service, visits, spend)
        where f.org_id = ${org.orgId} and f.segment is not null group by 1, 2, 3)
      select count(*)::int as off from ((table kept except table summed) union all (table summed except table kept)) x`),
  );
  expect(check!.off).toBe(0);
  return facts;
}

/**
 * An incremental refresh computes its customers as a whole rebuild at the same moment would, and keeps the baskets
 * the sums of the facts.
 */
async function expectIncrementalEqualsWhole(kind: 'incremental' | 'full', customers?: number) {
  world.advance(61_000);
  const step = await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
  expect(step.kind).toBe(kind);
  if (customers !== undefined) expect(step.customers).toBe(customers);
  const incremental = await cache(world.now);
  expect(incremental.length).toBeGreaterThan(0);
  await expectJson(org.api('POST', '/api/v1/economics/refresh?full=true'), 200);
  const ids = new Set(incremental.map((f) => f.customer_id));
  expect(incremental).toEqual((await cache(world.now)).filter((f) => ids.has(f.customer_id)));
}

describe('the running contact sums', () => {
  it('are counted from contacts at the first build, for each organisation apart', async () => {
    expect(
      rowsOf(await db().execute(sql`select 1 from economics_customer_running where org_id = ${org.orgId}`)),
    ).toHaveLength(0);
    await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    await expectJson(other.api('POST', '/api/v1/economics/refresh'), 200);
    expect(await running(org)).toHaveLength(120);
    await expectRunningExact();
  });

  it('take in new contacts: in and out of the window, other currencies, refunds, no amount, no service', async () => {
    const [p0, p1] = club.promoters;
    newcomer = rowsOf<{ id: string }>(
      await db().execute(sql`
        insert into customers (org_id, external_id, home_unit_id) values (${org.orgId}, 'new-1', ${arbat}) returning id`),
    )[0]!.id;
    // One statement: two pool visits of one customer, a refund, a visit in dollars, one without an amount, one with a
    // blank service, one long before the window, a newcomer, and a visit a few hours inside the window's start.
    await db().execute(sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, currency, occurred_at)
      values (${org.orgId}, ${p0}, ${arbat}, ' Бассейн ', 80000, 'RUB', ${ago(2)}::timestamptz),
             (${org.orgId}, ${p0}, ${arbat}, 'Бассейн', 80000, 'RUB', ${ago(1)}::timestamptz),
             (${org.orgId}, ${p0}, ${arbat}, 'Персональная тренировка', -200000, 'RUB', ${ago(1)}::timestamptz),
             (${org.orgId}, ${p1}, ${arbat}, 'Бассейн', 5000, 'USD', ${ago(3)}::timestamptz),
             (${org.orgId}, ${p1}, ${arbat}, 'Сауна', null, 'RUB', ${ago(3)}::timestamptz),
             (${org.orgId}, ${p1}, ${arbat}, '  ', 30000, 'RUB', ${ago(4)}::timestamptz),
             (${org.orgId}, ${p1}, ${arbat}, 'Сауна', 30000, 'RUB', ${ago(900)}::timestamptz),
             (${org.orgId}, ${newcomer}, ${arbat}, 'Йога', 50000, 'RUB', ${ago(5)}::timestamptz),
             (${org.orgId}, ${club.passivesOther[0]}, ${arbat}, 'Йога', 70000, 'RUB',
              ${new Date(world.now.getTime() - 365 * DAY + 3_600_000 * 5).toISOString()}::timestamptz)`);
    await expectRunningExact();
    // Imports write a batch with the foreign keys' row triggers off: the sums are kept all the same.
    await db().transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
        select ${org.orgId}, id, ${arbat}, 'Массаж', 120000, ${ago(6)}::timestamptz
        from unnest(${`{${club.detractorsActive.join(',')}}`}::uuid[]) as id`);
    });
    await expectRunningExact();
    // One more visit of a service the customer has (added in place), and of one they have not (appended)
    await db().execute(sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      select ${org.orgId}, id, ${arbat}, case when n % 2 = 0 then 'Персональная тренировка' else 'Бокс' end, 150000,
             ${ago(7)}::timestamptz
      from unnest(${`{${club.promoters.slice(5, 11).join(',')}}`}::uuid[]) with ordinality as p(id, n)`);
    await expectRunningExact();
    await expectIncrementalEqualsWhole('incremental', 30);
  });

  it('count the customers of changed and deleted contacts again', async () => {
    const [p2, p3] = club.promoters.slice(2);
    // A corrected visit (amount and service), one moved to another customer, one moved out of the window
    await db().execute(sql`
      update contacts set amount_minor = 10000, service = 'Сауна'
      where id = (select id from contacts where org_id = ${org.orgId} and customer_id = ${p2} order by occurred_at desc limit 1)`);
    await db().execute(sql`
      update contacts set customer_id = ${p3}
      where id = (select id from contacts where org_id = ${org.orgId} and customer_id = ${p2} order by occurred_at limit 1)`);
    await db().execute(sql`
      update contacts set occurred_at = occurred_at - interval '500 days'
      where org_id = ${org.orgId} and customer_id = ${club.passivesHelped[0]} and occurred_at > ${ago(50)}::timestamptz`);
    await expectRunningExact();
    // A deleted visit, a customer's whole history (an import rolled back), and a customer erased with their contacts
    await db().execute(sql`
      delete from contacts where id = (select id from contacts where org_id = ${org.orgId} and customer_id = ${p3}
                                       order by occurred_at desc limit 1)`);
    await db().execute(
      sql`delete from contacts where org_id = ${org.orgId} and customer_id = ${club.passivesHelped[1]}`,
    );
    await db().execute(sql`delete from customers where org_id = ${org.orgId} and id = ${newcomer}`);
    await expectRunningExact();
    const kept = (await running(org)).map((r) => r.customer_id);
    expect(kept).not.toContain(club.passivesHelped[1]);
    expect(kept).not.toContain(newcomer);
    // Fewer contacts than the cache saw: the refresh rebuilds whole (from the running sums)
    await expectIncrementalEqualsWhole('full');
  });

  it('slide with the window, hours and days later, and count a visit dated after as-of only up to as-of', async () => {
    const passive = club.passivesOther[0]!;
    const before = (await running(org)).find((r) => r.customer_id === passive)!;
    // Ten hours on, the visit five hours inside the window's start has left it; the same customer has a visit dated
    // tomorrow (a clock ahead in the accounting system): in the sums, not in today's facts
    world.advance(10 * 3_600_000);
    await db().execute(sql`
      insert into contacts (org_id, customer_id, unit_id, service, amount_minor, occurred_at)
      values (${org.orgId}, ${passive}, ${arbat}, 'Йога', 70000, ${new Date(world.now.getTime() + DAY).toISOString()}::timestamptz)`);
    await expectIncrementalEqualsWhole('incremental', 1);
    await expectRunningExact();
    const after = (await running(org)).find((r) => r.customer_id === passive)!;
    expect(after).toMatchObject({ total: before.total + 1, window: before.window, revenue: before.revenue });
    const [fact] = rowsOf<{ contacts_total: number; contacts_window: number; revenue_window_minor: string }>(
      await db().execute(sql`
        select contacts_total, contacts_window, revenue_window_minor::text
        from economics_customer_facts where org_id = ${org.orgId} and customer_id = ${passive}`),
    );
    expect(fact).toEqual({
      contacts_total: before.total,
      contacts_window: before.window - 1,
      revenue_window_minor: String(before.revenue - 70_000),
    });
    // Forty days on, the daily whole rebuild slides the window past a month of visits
    world.advance(40 * DAY);
    await expectIncrementalEqualsWhole('full');
    await expectRunningExact();
    const [state] = rowsOf<{ window_start: string }>(
      await db().execute(
        sql`select to_json(window_start)#>>'{}' as window_start from economics_running_state where org_id = ${org.orgId}`,
      ),
    );
    expect(new Date(state!.window_start).getTime()).toBeGreaterThan(world.now.getTime() - 366 * DAY);
  });

  it('are counted again for a new window length', async () => {
    const settings = await expectJson(org.api('GET', '/api/v1/economics/settings'), 200);
    await expectJson(org.api('PUT', '/api/v1/economics/settings', { ...settings, windowMonths: 6 }), 200);
    await expectJson(org.api('POST', '/api/v1/economics/refresh'), 200);
    await expectRunningExact();
    const [state] = rowsOf<{ window_months: number }>(
      await db().execute(sql`select window_months from economics_running_state where org_id = ${org.orgId}`),
    );
    expect(state!.window_months).toBe(6);
  });
});
