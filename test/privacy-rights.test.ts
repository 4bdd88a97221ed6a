// A person's rights through the API: export of everything held, erasure that keeps answers anonymous and counts
// unchanged, the owner-only access log, and retention periods applied by the worker under a fixed clock.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { maskPerson } from '../src/modules/privacy/index.js';
import { buildScopeFixture, type ScopeFixture, SECRET } from './security-fixture.js';
import { buildUser, type TestUser } from './support/people.js';
import { bodyOf, expectJson, startWorld, type World } from './support/world.js';

let world: World;
let fx: ScopeFixture;
let admin: TestUser;

beforeAll(async () => {
  world = await startWorld();
  fx = await buildScopeFixture(world);
  admin = await buildUser(world, fx.a, { role: 'admin', name: 'Admin' });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const db = () => world.runtime.database.db;

async function logOf(query = '') {
  return (await expectJson(fx.a.api('GET', `/api/v1/privacy/access-log?limit=200${query}`), 200)).items as {
    action: string;
    target: string | null;
    userId: string | null;
    actor: string;
    details: Record<string, unknown>;
  }[];
}

describe('access to personal data on request', () => {
  it('exports everything held about a person, found by e-mail, and writes it to the access log', async () => {
    const out = await expectJson(
      fx.a.api('POST', '/api/v1/privacy/export', { email: SECRET.customerEmail }),
      200,
    );
    expect(out.customers).toHaveLength(1);
    const person = out.customers[0];
    expect(person.customer).toMatchObject({
      id: fx.ids.customer,
      externalId: 'a-1',
      name: SECRET.customerName,
      email: SECRET.customerEmail,
      phone: SECRET.customerPhone,
    });
    expect(person.contacts.map((c: { id: string }) => c.id)).toEqual([fx.ids.contact]);
    expect(person.invitations.map((i: { id: string }) => i.id)).toEqual([fx.ids.invitation]);
    expect(person.answers).toEqual([expect.objectContaining({ score: 2, reason: SECRET.reason })]);
    expect(person.cases).toHaveLength(fx.ids.caseId ? 1 : 0);
    expect(person.consents).toEqual({ optedOutAt: null, suppressions: [] });
    expect(person.erasure).toBeNull();

    const lines = await logOf('&action=privacy.export');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ action: 'privacy.export', target: fx.ids.customer, actor: 'user' });
    // The log says who and whose, never what: no name, e-mail or phone in it.
    const text = JSON.stringify(lines);
    for (const secret of [SECRET.customerName, SECRET.customerEmail, SECRET.customerPhone])
      expect(text).not.toContain(secret);
  });

  it('answers 404 for a person it does not know and 422 for a request naming no one', async () => {
    const none = await fx.a.api('POST', '/api/v1/privacy/export', { email: 'nobody@example.org' });
    expect(none.status).toBe(404);
    const bad = await fx.a.api('POST', '/api/v1/privacy/export', {
      email: SECRET.customerEmail,
      phone: '123456',
    });
    expect(bad.status).toBe(422);
    expect((await bodyOf(bad)).errors[0].path).toBe('customerId');
  });

  it('logs who saw a customer with personal data, and not an analyst who saw none', async () => {
    await expectJson(fx.a.api('GET', `/api/v1/customers/${fx.ids.customer}`), 200);
    await expectJson(fx.people.analyst.api('GET', `/api/v1/customers/${fx.ids.customer}`), 200);
    const views = await logOf('&action=customer.view');
    expect(views).toHaveLength(1);
    expect(views[0]!.target).toBe(fx.ids.customer);
    // A case shows its customer too.
    if (fx.ids.caseId) {
      await expectJson(fx.a.api('GET', `/api/v1/cases/${fx.ids.caseId}`), 200);
      expect((await logOf('&action=case.view')).map((l) => l.target)).toEqual([fx.ids.caseId]);
    }
  });

  it('logs every admin write, with the route and its target but not the body', async () => {
    await expectJson(admin.api('PATCH', `/api/v1/units/${fx.ids.branch2}`, { name: 'Renamed branch' }), 200);
    const lines = await logOf(`&action=${encodeURIComponent('PATCH /units')}`);
    expect(lines[0]).toMatchObject({ action: 'PATCH /units/{id}', target: fx.ids.branch2, userId: admin.id });
    expect(JSON.stringify(lines)).not.toContain('Renamed branch');
  });

  it('shows the access log to the owner only', async () => {
    for (const who of [admin, fx.people.manager2, fx.people.front1, fx.people.analyst])
      expect((await who.api('GET', '/api/v1/privacy/access-log')).status).toBe(403);
    // And export and erasure are for owners and admins.
    for (const who of [fx.people.manager2, fx.people.front1, fx.people.analyst]) {
      expect((await who.api('POST', '/api/v1/privacy/export', { customerId: fx.ids.customer })).status).toBe(
        403,
      );
      expect((await who.api('POST', '/api/v1/privacy/erase', { customerId: fx.ids.customer })).status).toBe(
        403,
      );
    }
    // Another organisation's owner finds no such customer.
    expect((await fx.b.api('POST', '/api/v1/privacy/export', { customerId: fx.ids.customer })).status).toBe(
      404,
    );
  });

  it('pages the log newest first with a cursor', async () => {
    const first = await expectJson(fx.a.api('GET', '/api/v1/privacy/access-log?limit=2'), 200);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await expectJson(
      fx.a.api('GET', `/api/v1/privacy/access-log?limit=2&cursor=${first.nextCursor}`),
      200,
    );
    const all = await logOf();
    expect([...first.items, ...second.items].map((l: { id: string }) => l.id)).toEqual(
      all.slice(0, 4).map((l) => (l as unknown as { id: string }).id),
    );
  });
});

describe('erasure on request', () => {
  it("deletes the person's personal data, keeps the answer anonymous and the counts unchanged", async () => {
    const nps = () => expectJson(fx.a.api('GET', `/api/v1/surveys/${fx.ids.survey}/nps`), 200);
    const before = await nps();
    expect(before.rows[0].responses ?? before.rows[0].n ?? before.rows[0]).toBeTruthy();

    const done = await expectJson(
      fx.a.api('POST', '/api/v1/privacy/erase', { customerId: fx.ids.customer }),
      200,
    );
    expect(done.erased).toEqual([
      expect.objectContaining({ customerId: fx.ids.customer, answersUnlinked: 1, reasonsMasked: 1 }),
    ]);
    expect(await nps()).toEqual(before);

    // The customer record is empty and opted out; no look-up finds it by its e-mail any more.
    const customer = await expectJson(fx.a.api('GET', `/api/v1/customers/${fx.ids.customer}`), 200);
    expect(customer).toMatchObject({ name: null, email: null, phone: null, externalId: null });
    expect((await fx.a.api('POST', '/api/v1/privacy/export', { email: SECRET.customerEmail })).status).toBe(
      404,
    );

    // The answer stays with its score, linked to no customer, visit or invitation; the name in it is masked.
    const [answer] = rowsOf<Record<string, unknown>>(
      await db().execute(sql`select score, reason, customer_id, contact_id, invitation_id from responses
        where org_id = ${fx.a.orgId}`),
    );
    expect(answer).toEqual({
      score: 2,
      reason: '[name] reason of branch one',
      customer_id: null,
      contact_id: null,
      invitation_id: null,
    });
    // No further surveys: the record is opted out and the e-mail and phone are suppressed.
    const [c] = rowsOf<{ opted_out_at: Date | null }>(
      await db().execute(
        sql`select opted_out_at from customers where org_id = ${fx.a.orgId} and id = ${fx.ids.customer}`,
      ),
    );
    expect(c!.opted_out_at).not.toBeNull();
    const vault = world.runtime.deps.vault;
    const suppressed = rowsOf<{ channel: string }>(
      await db().execute(sql`select channel from suppressions where org_id = ${fx.a.orgId}
        and address_bidx in (${vault.blindIndex('email', SECRET.customerEmail)}, ${vault.blindIndex('phone', SECRET.customerPhone)})
        order by channel`),
    );
    expect(suppressed.map((s) => s.channel)).toEqual(['email', 'sms']);
    const invited = await fx.a.api('POST', `/api/v1/surveys/${fx.ids.survey}/invitations`, {
      contactIds: [fx.ids.contact],
      channel: 'email',
    });
    const body = await invited.json();
    expect(JSON.stringify(body)).not.toContain(SECRET.customerEmail);

    // Nowhere in the organisation's tables, encrypted or not, does the person's e-mail index remain on a customer.
    const [left] = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from customers where org_id = ${fx.a.orgId}
        and (email_bidx = ${vault.blindIndex('email', SECRET.customerEmail)} or name_enc is not null and id = ${fx.ids.customer})`),
    );
    expect(left!.n).toBe(0);
    const lines = await logOf('&action=privacy.erase');
    expect(lines[0]).toMatchObject({
      target: fx.ids.customer,
      details: expect.objectContaining({ answersUnlinked: 1 }),
    });
  });

  it('masks e-mails, phones and the words of the name in free text', () => {
    expect(maskPerson('Анна Петрова: звоните +7 916 123-45-67 или anna@mail.ru, Анна', 'Петрова Анна')).toBe(
      '[name] [name]: звоните [phone] или [e-mail], [name]',
    );
    // Short words and words inside other words stay.
    expect(maskPerson('Ли и Лиана', 'Ли')).toBe('Ли и Лиана');
    expect(maskPerson('Annabel came', 'Anna')).toBe('Annabel came');
  });
});

describe('retention periods', () => {
  it('are kept per organisation, validated, and for owners and admins', async () => {
    expect(await expectJson(fx.a.api('GET', '/api/v1/privacy/retention'), 200)).toEqual({
      inactiveCustomerMonths: null,
      reasonMonths: null,
      messageBodyDays: null,
      accessLogMonths: null,
    });
    const bad = await fx.a.api('PUT', '/api/v1/privacy/retention', { accessLogMonths: 2, reasonMonths: 0 });
    expect(bad.status).toBe(422);
    const paths = (await bodyOf(bad)).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['accessLogMonths', 'reasonMonths']);
    expect((await fx.people.manager2.api('GET', '/api/v1/privacy/retention')).status).toBe(403);
  });

  it('are applied by the worker as the clock moves: reasons, message bodies, inactive customers, old log lines', async () => {
    const org = fx.a;
    const post = async (path: string, body: unknown) =>
      (await expectJson(org.api('POST', path, body), 201)).id as string;
    const kept = await post('/api/v1/customers', { name: 'Vera Keptova', email: 'vera.kept@example.org' });
    const idle = await post('/api/v1/customers', { name: 'Ivan Idleov', email: 'ivan.idle@example.org' });
    await post('/api/v1/contacts', {
      customerId: kept,
      unitId: fx.ids.branch1,
      occurredAt: world.now.toISOString(),
    });
    const visit = await post('/api/v1/contacts', {
      customerId: idle,
      unitId: fx.ids.branch1,
      occurredAt: world.now.toISOString(),
    });
    const invited = await expectJson(
      org.api('POST', `/api/v1/surveys/${fx.ids.survey}/invitations`, {
        contactIds: [visit],
        channel: 'email',
      }),
      201,
    );
    expect(invited.items).toHaveLength(1);
    await world.runtime.worker.runDue(world.now);
    // As if the mail had gone out (no SMTP server in tests): the body is what retention removes.
    await db().execute(
      sql`update messages set status = 'sent', sent_at = created_at where org_id = ${org.orgId}`,
    );
    const messagesWithBody = async () =>
      Number(
        rowsOf<{ n: number }>(
          await db().execute(
            sql`select count(*)::int as n from messages where org_id = ${org.orgId} and status = 'sent' and body_text <> ''`,
          ),
        )[0]!.n,
      );
    expect(await messagesWithBody()).toBeGreaterThan(0);
    await expectJson(
      org.api('PUT', '/api/v1/privacy/retention', {
        inactiveCustomerMonths: 24,
        reasonMonths: 12,
        messageBodyDays: 30,
        accessLogMonths: 6,
      }),
      200,
    );
    const reasons = async () =>
      Number(
        rowsOf<{ n: number }>(
          await db().execute(
            sql`select count(*)::int as n from responses where org_id = ${org.orgId} and reason is not null`,
          ),
        )[0]!.n,
      );
    const named = async (id: string) =>
      rowsOf<{ name_enc: string | null }>(
        await db().execute(sql`select name_enc from customers where org_id = ${org.orgId} and id = ${id}`),
      )[0]!.name_enc !== null;
    expect(await reasons()).toBe(1);
    const logBefore = (await logOf()).length;

    // 31 days on: the message bodies go; nothing else is old enough.
    world.advance(31 * 86_400_000);
    await world.runtime.worker.runDue(world.now);
    expect(await messagesWithBody()).toBe(0);
    expect(await reasons()).toBe(1);
    expect(await named(idle)).toBe(true);

    // 13 months on: reasons go, and log lines older than 6 months; both customers visited within 24 months.
    world.advance(395 * 86_400_000);
    await world.runtime.worker.runDue(world.now);
    expect(await reasons()).toBe(0);
    const lines = await logOf();
    expect(lines.length).toBeLessThan(logBefore);
    expect(
      lines.every(
        (l) =>
          (l as unknown as { at: string }).at >=
          new Date(world.now.getTime() - 184 * 86_400_000).toISOString(),
      ),
    ).toBe(true);
    expect(await named(idle)).toBe(true);

    // The kept customer visits again; 25 months after the first visits the idle one is erased, the kept one not.
    await post('/api/v1/contacts', {
      customerId: kept,
      unitId: fx.ids.branch1,
      occurredAt: world.now.toISOString(),
    });
    world.advance(365 * 86_400_000);
    await world.runtime.worker.runDue(world.now);
    expect(await named(idle)).toBe(false);
    expect(await named(kept)).toBe(true);
    const [erasure] = rowsOf<{ cause: string }>(
      await db().execute(
        sql`select cause from erasures where org_id = ${org.orgId} and customer_id = ${idle}`,
      ),
    );
    expect(erasure).toEqual({ cause: 'retention' });
    const applied = await logOf('&action=privacy.retention.applied');
    // The idle customer, and any other record with no visit in 24 months (the first test's customer, if erased
    // already, holds nothing more to erase).
    const [retained] = rowsOf<{ n: number }>(
      await db().execute(
        sql`select count(*)::int as n from erasures where org_id = ${org.orgId} and cause = 'retention'`,
      ),
    );
    expect(applied[0]).toMatchObject({
      actor: 'system',
      userId: null,
      details: expect.objectContaining({ customersErased: retained!.n }),
    });
  }, 60_000);
});
