// The readiness audit through the HTTP API: a base with known good, bad and duplicate contacts, measured number by number.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/modules/auth/index.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let company: string;
let branchA: string;
let branchB: string;

// Local times in Europe/Moscow (UTC+3), the organisation's zone; the world's clock reads 2026-11-20 13:00 there.
const NOW = new Date('2026-11-20T10:00:00Z');

/** A user of `org` with this role, and an API key acting as them. */
async function userWith(role: 'manager' | 'analyst', unitIds: string[] = []) {
  const user = await expectJson(
    org.api('POST', '/api/v1/users', {
      email: `${role}-${Math.random().toString(36).slice(2, 8)}@fitpark.ru`,
      password: 'correct horse battery',
      role,
      unitIds,
    }),
    201,
  );
  const { key } = await createApiKey(world.contextFor(org.orgId), { userId: user.id, name: role });
  return (path: string) =>
    Promise.resolve(world.app.request(path, { headers: { authorization: `Bearer ${key}` } }));
}

beforeAll(async () => {
  world = await startWorld({ start: NOW });
  org = await buildOrg(world, 'ФитПарк');
  const unit = async (name: string, kind: string, parentId?: string) =>
    (await expectJson(org.api('POST', '/api/v1/units', { name, kind, parentId }), 201)).id as string;
  company = await unit('ФитПарк', 'company');
  const region = await unit('Москва', 'region', company);
  branchA = await unit('Арбат', 'branch', region);
  branchB = await unit('Сокол', 'branch', region);
  const employee = async (unitId: string, name: string) =>
    (await expectJson(org.api('POST', '/api/v1/employees', { unitId, name }), 201)).id as string;
  const irina = await employee(branchA, 'Ирина Петрова');
  const oleg = await employee(branchB, 'Олег Смирнов');

  await expectJson(
    org.api('POST', '/api/v1/customers/batch', {
      items: [
        { externalId: 'c1', email: 'anna@mail.ru', phone: '8 (916) 123-45-67', homeUnitId: branchA },
        // the same address as c1 (blind indexes fold case); a Moscow landline
        { externalId: 'c2', email: 'ANNA@mail.ru', phone: '+7 495 123-45-67', homeUnitId: branchA },
        { externalId: 'c3', email: 'info@fitpark.ru', homeUnitId: branchA }, // role mailbox
        { externalId: 'c4', email: 'boris@gmial.com', phone: '+7 903 111-22-33', homeUnitId: branchB }, // typo
        { externalId: 'c5', email: 'vera@mailinator.com', phone: '+7 926 555-44-33', homeUnitId: branchB },
        { externalId: 'c6', phone: '+7 (926) 555-44-33', homeUnitId: branchB }, // c5's number again
        { externalId: 'c7', homeUnitId: branchB }, // no channel at all
        { externalId: 'c8', email: 'gleb@yandex.ru', phone: '+7 000 000 00 00' }, // no such number; no home
        { externalId: 'c9', email: 'olga@ya.ru', phone: '+7 915 000 11 22', homeUnitId: branchA }, // opts out
        { externalId: 'c10', email: 'petr@bk.ru', homeUnitId: branchA }, // address unsubscribed
        { email: 'mila@inbox.ru', homeUnitId: branchB }, // no customer code
      ],
    }),
    200,
  );
  // What an older system may hold and the API would refuse: an address that cannot be valid.
  const { db } = world.runtime.database;
  const vault = world.runtime.deps.vault;
  await db.execute(sql`insert into customers (org_id, external_id, email_enc, email_bidx, home_unit_id)
    values (${org.orgId}, 'c11', ${vault.encrypt('ivan@@mail.ru')}, ${vault.blindIndex('email', 'ivan@@mail.ru')}, ${branchA})`);
  await db.execute(sql`update customers set opted_out_at = ${NOW.toISOString()}::timestamptz
    where org_id = ${org.orgId} and external_id = 'c9'`);
  await db.execute(sql`insert into suppressions (org_id, channel, address_bidx, reason) values
    (${org.orgId}, 'email', ${vault.blindIndex('email', 'petr@bk.ru')}, 'unsubscribed'),
    (${org.orgId}, 'sms', ${vault.blindIndex('phone', '+7 903 111-22-33')}, 'unsubscribed')`);

  await expectJson(
    org.api('POST', '/api/v1/contacts/batch', {
      items: [
        // 18:30 local, with everything filled
        {
          externalId: 'k1',
          customerExternalId: 'c1',
          unitId: branchA,
          employeeId: irina,
          service: 'Йога',
          amountMinor: 150_000,
          occurredAt: '2026-11-18T15:30:00Z',
        },
        // c1's first visit, 13 months earlier: no employee, service or amount
        { externalId: 'k2', customerExternalId: 'c1', unitId: branchA, occurredAt: '2025-10-01T09:00:00Z' },
        // exactly local midnight: an export of dates only
        {
          externalId: 'k3',
          customerExternalId: 'c2',
          unitId: branchA,
          employeeId: irina,
          service: 'Бассейн',
          amountMinor: 90_000,
          occurredAt: '2026-09-01T21:00:00Z',
        },
        {
          externalId: 'k4',
          customerExternalId: 'c4',
          unitId: branchB,
          service: 'Йога',
          amountMinor: 0,
          occurredAt: '2026-11-01T12:00:00Z',
        },
        {
          externalId: 'k5',
          customerExternalId: 'c6',
          unitId: branchB,
          employeeId: oleg,
          amountMinor: 50_000,
          occurredAt: '2026-06-01T12:00:00Z',
        },
        // no visit numbers from here on
        { customerExternalId: 'c8', unitId: branchB, service: 'Сауна', occurredAt: '2026-11-19T08:00:00Z' },
        // booked to the company as a whole, not to a branch
        {
          customerExternalId: 'c3',
          unitId: company,
          service: 'Абонемент',
          occurredAt: '2026-08-01T12:00:00Z',
        },
      ],
    }),
    200,
  );

  // Another organisation with the same people: none of it may be counted, nor make duplicates.
  const other = await buildOrg(world, 'Другая сеть');
  await expectJson(
    other.api('POST', '/api/v1/customers/batch', {
      items: [
        { externalId: 'x1', email: 'anna@mail.ru', phone: '+7 926 555-44-33' },
        { externalId: 'x2', email: 'gleb@yandex.ru', phone: '8 916 123 45 67' },
      ],
    }),
    200,
  );
});

afterAll(async () => {
  await world.close();
});

const share = (count: number, total: number) => ({ count, total, share: count / total });

describe('GET /api/v1/audit', () => {
  it('measures every e-mail, phone and customer figure of the base', async () => {
    const a = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    expect(a.customers).toEqual({
      total: 12,
      optedOut: share(1, 12),
      withExternalId: share(11, 12),
      withContacts: share(6, 12),
      duplicates: share(4, 12), // c1 + c2 (e-mail), c5 + c6 (phone)
      neitherChannel: share(2, 12), // c7 (nothing) and c11 (a broken address)
    });
    expect(a.email).toEqual({
      present: share(10, 12),
      valid: share(8, 12), // c1 c2 c3 c4 c8 c9 c10 mila: a role box and a typo are warnings, not invalid
      invalid: share(1, 12),
      disposable: share(1, 12),
      role: share(1, 12),
      typo: share(1, 12),
      duplicate: share(2, 12),
      suppressed: share(1, 12),
      reachable: 3, // anna once, gleb, mila
    });
    expect(a.phone).toEqual({
      present: share(7, 12),
      valid: share(6, 12),
      mobile: share(5, 12),
      landline: share(1, 12),
      invalid: share(1, 12),
      duplicate: share(2, 12),
      suppressed: share(1, 12),
      smsReachable: 2, // c1 and c5 (c4 unsubscribed from SMS, c6 is c5's number, c9 opted out)
      callReachable: 4, // c1, c2's landline, c4 (an SMS unsubscribe does not stop a call), c5
    });
  });

  it('measures fill rates, history depth, recency and frequency of the contacts', async () => {
    const a = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    expect(a.contacts).toEqual({
      total: 7,
      withBranch: share(6, 7),
      withEmployee: share(3, 7),
      withService: share(5, 7),
      withAmount: share(4, 7), // an amount of 0 is an amount
      withTime: share(6, 7),
      withExternalId: share(5, 7),
    });
    expect(a.history).toMatchObject({
      firstContactAt: '2025-10-01T09:00:00.000Z',
      lastContactAt: '2026-11-19T08:00:00.000Z',
      months: 13,
      daysSinceLastContact: 1,
      span12Months: share(1, 6), // c1 only
      recent30: share(3, 12), // since 2026-10-22 local: c1, c4, c8
      recent90: share(4, 12), // since 2026-08-23: + c2 (its visit is 2026-09-02 local)
      recent365: share(6, 12),
    });
    expect(a.history.frequency.map((b: { bucket: string; count: number }) => [b.bucket, b.count])).toEqual([
      ['0', 6],
      ['1', 6],
      ['2-4', 0],
      ['5-12', 0],
      ['13-52', 0],
      ['53+', 0],
    ]);
  });

  it('recommends a method from what it measured and lists the requirements', async () => {
    const a = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    const plan = (m: string) => a.recommendation.plans.find((p: { method: string }) => p.method === m);
    expect(plan('email').reach).toBe(3);
    expect(plan('sms').reach).toBe(2);
    expect(plan('phone').reach).toBe(4);
    // The mix: e-mail to 3 addresses, SMS to mobiles without a usable e-mail, a call to the rest. c1 and c2 share
    // an address, reached through the first of them in the audit's order (by id): if that is c1, c2 gets a call
    // on its landline and c5 the only SMS; if c2, c1 gets an SMS too and only c4 a call.
    const ids = await expectJson(org.api('GET', '/api/v1/customers?limit=100'), 200);
    const idOf = (ext: string) =>
      ids.items.find((c: { externalId: string }) => c.externalId === ext).id as string;
    const c1First = idOf('c1') < idOf('c2');
    expect(plan('mix').parts.map((p: { method: string; reach: number }) => [p.method, p.reach])).toEqual([
      ['email', 3],
      ['sms', c1First ? 1 : 2],
      ['phone', c1First ? 2 : 1],
    ]);
    expect(a.recommendation.reliable).toBe(false);
    expect(a.recommendation.answersNeeded.target).toBe(235);
    expect(a.assumptions.responseRates.email).toEqual({ low: 0.1, high: 0.15 });
    // Most severe first; within a severity, customers' fields before visits' fields.
    expect(a.requirements.map((r: { key: string; severity: string }) => `${r.severity}:${r.key}`)).toEqual([
      'important:customer_phone', // 5 of 12 mobile = 42% < 50%
      'important:customer_external_id', // 11 of 12 = 92% < 95%
      'important:duplicates', // 4 of 12
      'important:contact_branch', // 6 of 7 = 86% < 90%
      'important:contact_employee', // 3 of 7 = 43% < 50%
      'nice:customer_email', // 8 of 12 = 67% < 80%
      'nice:contact_service', // 5 of 7 = 71%
      'nice:contact_amount', // 4 of 7 = 57%
      'nice:contact_time', // 6 of 7 = 86%
      'nice:contact_external_id', // 5 of 7 = 71%
    ]);
    const employee = a.requirements.find((r: { key: string }) => r.key === 'contact_employee');
    expect(employee.text.ru).toMatch(/^Сотрудник указан в 42,9% визитов \(3 из 7\)/);
    expect(employee.measured).toEqual({ kind: 'share', ...share(3, 7) });
  });

  it("counts nothing of another organisation's, not even as a duplicate", async () => {
    const a = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    // The other organisation holds anna@mail.ru, c5's number and gleb@yandex.ru too.
    expect(a.customers.total).toBe(12);
    expect(a.email.duplicate.count).toBe(2);
    expect(a.phone.duplicate.count).toBe(2);
    expect(a.orgId).toBe(org.orgId);
  });

  it("shows a manager only their branch's customers and visits", async () => {
    const asManager = await userWith('manager', [branchB]);
    const a = await expectJson(asManager('/api/v1/audit'), 200);
    // Home in Сокол: c4 c5 c6 c7 mila; with a visit there: c8.
    expect(a.customers.total).toBe(6);
    expect(a.contacts.total).toBe(3);
    expect(a.email.valid).toEqual(share(3, 6)); // c4 (typo), c8, mila; c5's domain is disposable
    expect(a.phone.duplicate).toEqual(share(2, 6)); // c5 and c6
    expect(a.customers.duplicates).toEqual(share(2, 6)); // c1 and c2 are in Арбат
    expect(await expectJson(asManager(`/api/v1/audit?unitId=${branchB}`), 200)).toMatchObject({
      unitId: branchB,
      customers: { total: 6 },
    });
    const outside = await asManager(`/api/v1/audit?unitId=${branchA}`);
    expect(outside.status).toBe(404);
  });

  it('audits one subtree on request', async () => {
    const a = await expectJson(org.api('GET', `/api/v1/audit?unitId=${branchA}`), 200);
    // Home in Арбат: c1 c2 c3 c9 c10 c11; c3's only visit was booked to the company, so 2 visits.
    expect(a.customers.total).toBe(6);
    expect(a.contacts.total).toBe(3);
    expect(a.email.duplicate.count).toBe(2);
  });

  it('gives an analyst counts only, never an address or a number, and the owner examples to fix', async () => {
    const asAnalyst = await userWith('analyst');
    const response = await asAnalyst('/api/v1/audit');
    const text = await response.text();
    expect(response.status).toBe(200);
    const body = JSON.parse(text);
    expect(body.customers.total).toBe(12);
    expect(body.examples).toBeUndefined();
    expect(text).not.toMatch(/@(mail|gmial|fitpark|mailinator|yandex|ya|bk|inbox)\./);
    expect(text).not.toMatch(
      /\+7[\s(]*\d{3}|123-45-67|1234567|555-44-33|5554433|111-22-33|000 11 22|000 000 00/,
    );

    const owner = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    expect(owner.examples).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'email_typo',
          value: 'boris@gmial.com',
          suggestion: 'boris@gmail.com',
        }),
        expect.objectContaining({ kind: 'email_invalid', value: 'ivan@@mail.ru' }),
        expect.objectContaining({ kind: 'phone_landline', value: '+7 495 123-45-67' }),
      ]),
    );
  });

  it('refuses front-line users and bad unit ids', async () => {
    const user = await expectJson(
      org.api('POST', '/api/v1/users', {
        email: 'desk@fitpark.ru',
        password: 'correct horse battery',
        role: 'frontline',
        unitIds: [branchA],
      }),
      201,
    );
    const { key } = await createApiKey(world.contextFor(org.orgId), { userId: user.id, name: 'desk' });
    const r = await world.app.request('/api/v1/audit', { headers: { authorization: `Bearer ${key}` } });
    expect(r.status).toBe(403);
    const bad = await org.api('GET', '/api/v1/audit?unitId=branch-a');
    expect(bad.status).toBe(422);
  });
});
