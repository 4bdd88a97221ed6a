// The whole NPS loop through the HTTP API: structure, customers, a survey, a link answered, the score with its interval.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import {
  bodyOf,
  buildOrg,
  expectJson,
  startWorld,
  submitForm,
  type TestOrg,
  type World,
} from './support/world.js';

let world: World;
let org: TestOrg;
let branchA: string;
let branchB: string;
let deptA: string;
let trainer: string;
let surveyId: string;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
  const company = await expectJson(
    org.api('POST', '/api/v1/units', { name: 'ФитПарк', kind: 'company' }),
    201,
  );
  const region = await expectJson(
    org.api('POST', '/api/v1/units', { name: 'Москва', kind: 'region', parentId: company.id }),
    201,
  );
  branchA = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch', parentId: region.id }),
      201,
    )
  ).id;
  branchB = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch', parentId: region.id }),
      201,
    )
  ).id;
  deptA = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Бассейн', kind: 'department', parentId: branchA }),
      201,
    )
  ).id;
  trainer = (
    await expectJson(
      org.api('POST', '/api/v1/employees', { unitId: deptA, name: 'Ирина Петрова', position: 'тренер' }),
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
});

afterAll(async () => {
  await world.close();
});

async function customerWithVisit(externalId: string, unitId: string, employeeId: string | null = null) {
  const customer = await expectJson(
    org.api('POST', '/api/v1/customers', {
      externalId,
      name: `Клиент ${externalId}`,
      email: `${externalId}@mail.ru`,
    }),
    201,
  );
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: customer.id,
      unitId,
      employeeId,
      service: 'Персональная тренировка',
      amountMinor: 250_000,
      occurredAt: new Date(world.now.getTime() - 3_600_000).toISOString(),
    }),
    201,
  );
  return { customer, contact };
}

async function inviteAfter(contactId: string): Promise<string> {
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contactId], channel: 'email' }),
    201,
  );
  return items[0].url as string;
}

describe('the loop', () => {
  it('builds a unit tree and returns it in tree order', async () => {
    const { items } = await expectJson(org.api('GET', '/api/v1/units'), 200);
    expect(items.map((u: { name: string }) => u.name)).toEqual([
      'ФитПарк',
      'Москва',
      'Арбат',
      'Бассейн',
      'Сокол',
    ]);
  });

  it('upserts a customer by externalId instead of duplicating', async () => {
    const first = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'c-up', name: 'Анна' }),
      201,
    );
    const again = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'c-up', phone: '8 (916) 123-45-67' }),
      200,
    );
    expect(again.id).toBe(first.id);
    expect(again.name).toBe('Анна');
    expect(again.phone).toBe('8 (916) 123-45-67');
    const found = await expectJson(org.api('GET', '/api/v1/customers?phone=%2B79161234567'), 200);
    expect(found.items.map((c: { id: string }) => c.id)).toEqual([first.id]);
  });

  it('upserts a batch of customers and reports created and updated', async () => {
    const items = Array.from({ length: 300 }, (_, i) => ({ externalId: `b-${i}`, name: `Batch ${i}` }));
    const first = await expectJson(org.api('POST', '/api/v1/customers/batch', { items }), 200);
    expect([first.created, first.updated]).toEqual([300, 0]);
    const second = await expectJson(
      org.api('POST', '/api/v1/customers/batch', { items: items.slice(0, 10) }),
      200,
    );
    expect([second.created, second.updated]).toEqual([0, 10]);
  });

  it('takes an answer from a link, counts it, and lets the customer amend it within 24 hours', async () => {
    const { contact } = await customerWithVisit('loop-1', deptA, trainer);
    const url = await inviteAfter(contact.id);
    expect(url).toMatch(/^http:\/\/sarafan\.test\/s\/[A-Za-z0-9_-]{32}$/);

    const page = await world.app.request(new URL(url).pathname);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Насколько вероятно, что вы порекомендуете ФитПарк');

    const posted = await submitForm(world, url, { score: '9', reason: 'Отличный тренер' });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${new URL(url).pathname}/thanks`);

    let rows = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps`), 200)).rows;
    expect(rows[0]).toMatchObject({ key: 'all', n: 1, promoters: 1, nps: 100 });

    world.advance(3_600_000);
    await submitForm(world, url, { score: '3', reason: 'Передумал: душ сломан' });
    rows = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps`), 200)).rows;
    expect(rows[0]).toMatchObject({ n: 1, promoters: 0, detractors: 1, nps: -100 });

    const { items } = await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/responses`), 200);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      score: 3,
      reason: 'Передумал: душ сломан',
      unitId: deptA,
      employeeId: trainer,
    });

    world.advance(24 * 3_600_000);
    const late = await submitForm(world, url, { score: '10' });
    expect(late.status).toBe(410);
    expect(
      (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/responses`), 200)).items,
    ).toHaveLength(1);
  });

  it('records a burst of answers once each, even when the same link is submitted twice in one batch', async () => {
    const survey = (
      await expectJson(org.api('POST', '/api/v1/surveys', { name: 'Burst', audience: 'customer' }), 201)
    ).id;
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${survey}/invitations`, { count: 30 }),
      201,
    );
    const paths = items.map((i: { url: string }) => new URL(i.url).pathname);
    const post = (path: string, score: number) =>
      world.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ score, reason: null }),
      });
    // All at once, so they share batches: every link once, link 0 three times, and an unknown link.
    const answers = await Promise.all([
      ...paths.map((p: string, i: number) => post(p, i % 11)),
      post(paths[0], 10),
      post(paths[0], 9),
      post('/s/unknownunknownunknownunknown', 5),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(30);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2); // the two repeats amend link 0's answer
    expect(statuses.at(-1)).toBe(404);

    const stored = await expectJson(org.api('GET', `/api/v1/surveys/${survey}/responses?limit=100`), 200);
    expect(stored.items).toHaveLength(30);
    // A batch that big leaves its rollups to the loop sweep (answers/writer.ts DEFER_ROLLUPS_AT): counted once it ran.
    await world.runtime.worker.runDue(world.now);
    const rows = (await expectJson(org.api('GET', `/api/v1/surveys/${survey}/nps`), 200)).rows;
    expect(rows[0].n).toBe(30);
    expect(rows[0].promoters + rows[0].passives + rows[0].detractors).toBe(30);
  });

  it('pre-selects ?score=N from an e-mail link but records nothing until a POST', async () => {
    const { contact } = await customerWithVisit('loop-2', branchB);
    const url = await inviteAfter(contact.id);
    const before = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps`), 200)).rows[0].n;
    const page = await world.app.request(`${new URL(url).pathname}?score=7`);
    const html = await page.text();
    expect(html).toMatch(/value="7"[^>]*checked|checked[^>]*value="7"/);
    const after = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps`), 200)).rows[0].n;
    expect(after).toBe(before);
  });

  it('groups NPS by month, week, unit, employee and channel, each row with its interval', async () => {
    for (const [i, score] of [10, 9, 9, 8, 6, 2].entries()) {
      const { contact } = await customerWithVisit(
        `grp-${i}`,
        i < 3 ? deptA : branchB,
        i < 3 ? trainer : null,
      );
      await submitForm(world, await inviteAfter(contact.id), { score: String(score) });
    }
    const month = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=month`), 200))
      .rows;
    expect(month.map((r: { key: string }) => r.key)).toEqual(['2026-11']);
    const byUnit = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=unit`), 200))
      .rows;
    const pool = byUnit.find((r: { key: string }) => r.key === deptA);
    // Pool: the amended 3, then 10, 9, 9 → 3 promoters, 1 detractor of 4 → NPS = 50.
    expect(pool).toMatchObject({
      label: 'Бассейн',
      n: 4,
      promoters: 3,
      detractors: 1,
      nps: 50,
      smallSample: true,
    });
    expect(pool.ci95[0]).toBeLessThan(50);
    expect(pool.ci95[1]).toBeGreaterThan(50);
    const byEmployee = (
      await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=employee`), 200)
    ).rows;
    expect(byEmployee).toEqual([expect.objectContaining({ key: trainer, label: 'Ирина Петрова', n: 4 })]);
    const byChannel = (
      await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=channel`), 200)
    ).rows;
    expect(byChannel.map((r: { key: string }) => r.key)).toEqual(['email']);
    const week = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=week`), 200)).rows;
    expect(week[0].key).toMatch(/^2026-W\d\d$/);
    const none = (
      await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?from=2025-01-01&to=2025-12-31`), 200)
    ).rows;
    expect(none[0]).toMatchObject({ n: 0, nps: null, ci95: null });
  });

  it('shows the overview the dashboard needs, with NPS by branch rolled up from departments', async () => {
    const o = await expectJson(
      org.api('GET', '/api/v1/overview?audience=customer&from=2026-11-01&to=2026-11-30'),
      200,
    );
    expect(o.total.n).toBe(o.distribution.reduce((a: number, b: number) => a + b, 0));
    const arbat = o.byBranch.find((r: { key: string }) => r.key === branchA);
    expect(arbat).toMatchObject({ label: 'Арбат', n: 4 });
    expect(o.trend.map((r: { key: string }) => r.key)).toEqual(['2026-11']);
    expect(o.latestReasons[0]).toMatchObject({ reason: 'Передумал: душ сломан', unitName: 'Бассейн' });
  });
});

describe('bad input', () => {
  let url: string;
  beforeAll(async () => {
    const { contact } = await customerWithVisit('bad-1', branchB);
    url = await inviteAfter(contact.id);
  });

  async function storedFor(): Promise<number> {
    const r = await world.runtime.database.db.execute(sql`select count(*)::int as n from responses`);
    return rowsOf<{ n: number }>(r)[0]!.n;
  }

  it.each([['11'], ['-1'], ['7.5'], ['abc'], [''], ['1e1']])(
    'refuses the score %j and stores nothing',
    async (score) => {
      const before = await storedFor();
      const r = await submitForm(world, url, { score, reason: 'x' });
      expect(r.status).toBe(422);
      expect(await r.text()).toContain('role="alert"');
      expect(await storedFor()).toBe(before);
    },
  );

  it('refuses a form without a score and a JSON answer of 11, with the field named', async () => {
    const before = await storedFor();
    expect((await submitForm(world, url, { reason: 'no score' })).status).toBe(422);
    const r = await world.app.request(new URL(url).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ score: 11 }),
    });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect((await bodyOf(r)).errors[0].path).toBe('score');
    expect(await storedFor()).toBe(before);
  });

  it('answers 400 to malformed JSON and 413 to a body over 1 MB', async () => {
    const malformed = await world.app.request('/api/v1/units', {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    const huge = await world.app.request('/api/v1/units', {
      method: 'POST',
      headers: { authorization: `Bearer ${org.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1_100_000), kind: 'branch' }),
    });
    expect(huge.status).toBe(413);
  });

  it('names the failing field in a problem+json answer', async () => {
    const r = await org.api('POST', '/api/v1/units', { name: '', kind: 'planet' });
    expect(r.status).toBe(422);
    const problem = await bodyOf(r);
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(['kind', 'name']);
    const contact = await org.api('POST', '/api/v1/contacts', {
      customerExternalId: 'nobody',
      unitId: branchA,
      occurredAt: 'yesterday',
    });
    expect(contact.status).toBe(422);
    expect((await bodyOf(contact)).errors[0].path).toBe('occurredAt');
  });

  it('shows a friendly 404 page for an unknown link', async () => {
    const r = await world.app.request('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('text/html');
  });

  it('stores text with <script>, quotes and SQL as typed and shows it escaped', async () => {
    const { contact } = await customerWithVisit('xss-1', branchB);
    const link = await inviteAfter(contact.id);
    const nasty = `<script>alert("x")</script> O'Brien; DROP TABLE responses; --`;
    await submitForm(world, link, { score: '5', reason: nasty });
    const { items } = await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/responses`), 200);
    expect(items.map((i: { reason: string }) => i.reason)).toContain(nasty);
    const page = await (await world.app.request(new URL(link).pathname)).text();
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert');
  });
});

describe('tenants and roles', () => {
  it('gives another organisation 404 for everything of this one', async () => {
    const other = await buildOrg(world, 'Other');
    for (const path of [
      `/api/v1/surveys/${surveyId}`,
      `/api/v1/units/${branchA}`,
      `/api/v1/employees/${trainer}`,
      `/api/v1/surveys/${surveyId}/nps`,
    ]) {
      expect((await other.api('GET', path)).status, path).toBe(404);
    }
    expect((await other.api('PATCH', `/api/v1/units/${branchA}`, { name: 'hijack' })).status).toBe(404);
    expect((await expectJson(other.api('GET', '/api/v1/customers'), 200)).items).toEqual([]);
    expect((await other.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { count: 1 })).status).toBe(
      404,
    );
  });

  it('refuses a request without a key, and a revoked key', async () => {
    expect((await world.app.request('/api/v1/units')).status).toBe(401);
    const created = await expectJson(org.api('POST', '/api/v1/api-keys', { name: 'temp' }), 201);
    const use = () =>
      world.app.request('/api/v1/units', { headers: { authorization: `Bearer ${created.key}` } });
    expect((await use()).status).toBe(200);
    expect((await org.api('DELETE', `/api/v1/api-keys/${created.id}`)).status).toBe(204);
    expect((await use()).status).toBe(401);
  });

  it('lets a manager see only the subtree of their units', async () => {
    await expectJson(
      org.api('POST', '/api/v1/users', {
        email: 'sokol@example.com',
        password: 'manager-password',
        role: 'manager',
        unitIds: [branchB],
      }),
      201,
    );
    const login = await world.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'sokol@example.com', password: 'manager-password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = cookie.split(';')[0]!;
    const get = (path: string) => world.app.request(path, { headers: { cookie: session } });
    const units = await expectJson(get('/api/v1/units'), 200);
    expect(units.items.map((u: { name: string }) => u.name)).toEqual(['Сокол']);
    const byUnit = (await expectJson(get(`/api/v1/surveys/${surveyId}/nps?groupBy=unit`), 200)).rows;
    expect(byUnit.every((r: { key: string }) => r.key === branchB)).toBe(true);
    expect((await get(`/api/v1/units/${branchA}`)).status).toBe(404);
    expect(
      (
        await world.app.request('/api/v1/units', {
          method: 'POST',
          headers: { cookie: session, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', kind: 'branch' }),
        })
      ).status,
    ).toBe(403);
  });

  it('refuses a wrong password with the same answer as an unknown e-mail', async () => {
    const attempt = (email: string) =>
      world.app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'wrong-password' }),
      });
    const wrong = await attempt(org.email);
    const unknown = await attempt('nobody@example.com');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect((await bodyOf(wrong)).detail).toBe((await bodyOf(unknown)).detail);
  });

  it('shows analysts no personal data', async () => {
    await expectJson(
      org.api('POST', '/api/v1/users', {
        email: 'analyst@example.com',
        password: 'analyst-password',
        role: 'analyst',
      }),
      201,
    );
    const login = await world.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@example.com', password: 'analyst-password' }),
    });
    const session = login.headers.get('set-cookie')!.split(';')[0]!;
    const { items } = await expectJson(
      world.app.request('/api/v1/customers?limit=5', { headers: { cookie: session } }),
      200,
    );
    expect(items.length).toBeGreaterThan(0);
    // The pseudonym stands in for the name; no contact details, no accounting id.
    for (const c of items) {
      expect(c.name).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(c.name).toBe(c.pseudonym);
      expect([c.email, c.phone, c.externalId]).toEqual([null, null, null]);
    }
  });
});

describe('privacy at rest', () => {
  it('keeps names, e-mails and phones encrypted in the database', async () => {
    await expectJson(
      org.api('POST', '/api/v1/customers', {
        externalId: 'enc-1',
        name: 'Секретов Иван',
        email: 'ivan.secret@mail.ru',
        phone: '+7 999 000-11-22',
      }),
      201,
    );
    const raw = rowsOf<Record<string, unknown>>(
      await world.runtime.database.db.execute(sql`select * from customers where external_id = 'enc-1'`),
    )[0]!;
    const dump = JSON.stringify(raw);
    expect(dump).not.toContain('Секретов');
    expect(dump).not.toContain('ivan.secret');
    expect(dump).not.toContain('000-11-22');
    const users = JSON.stringify(rowsOf(await world.runtime.database.db.execute(sql`select * from users`)));
    expect(users).not.toContain(org.email);
    expect(users).not.toContain(org.password);
  });
});

describe('the API document', () => {
  it('serves OpenAPI 3.1 with every route and interactive docs', async () => {
    const doc = await expectJson(world.app.request('/api/openapi.json'), 200);
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/units',
      '/employees',
      '/customers',
      '/customers/batch',
      '/contacts',
      '/surveys',
      '/surveys/{id}/invitations',
      '/surveys/{id}/nps',
    ]) {
      expect(Object.keys(doc.paths)).toContain(`/api/v1${path}`);
    }
    const docs = await world.app.request('/api/docs');
    expect(await docs.text()).toContain('swagger-ui-bundle.js');
    expect((await world.app.request('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
