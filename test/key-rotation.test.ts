// Key rotation end to end: a database dump holds no personal data in clear; `keys rotate` seals every field and
// recomputes every blind index under a new key in batches, survives a crash midway and resumes; afterwards the old
// key alone opens nothing, and look-ups by e-mail and phone, log-in and suppressions still work.
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { createVault, loadKeyring, rotateKeys, valuesUnderOldKeys } from '../src/modules/privacy/index.js';
import { buildUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let keyFile: string;
const N = 23;
const person = (i: number) => ({
  externalId: `rot-${i}`,
  name: `Zzrotname${i} Familiova`,
  email: `zzrot${i}@example.net`,
  phone: `+7916555${String(i).padStart(4, '0')}`,
});
const people = Array.from({ length: N }, (_, i) => person(i));

beforeAll(async () => {
  world = await startWorld();
  keyFile = `${world.runtime.deps.dataDir}/secret.key`;
  org = await buildOrg(world, 'Rotation Org');
  const post = async (path: string, body: unknown) =>
    (await expectJson(org.api('POST', path, body), 201)).id as string;
  const unit = await post('/api/v1/units', { name: 'Club', kind: 'branch' });
  await post('/api/v1/employees', {
    name: 'Zzrottrainer Coach',
    email: 'zzrot.trainer@example.net',
    unitId: unit,
  });
  const batch = await expectJson(org.api('POST', '/api/v1/customers/batch', { items: people }), 200);
  const ids = batch.items.map((c: { id: string }) => c.id) as string[];
  const survey = await post('/api/v1/surveys', {
    name: 'Visit',
    audience: 'customer',
    kind: 'transactional',
  });
  const contacts: string[] = [];
  for (const id of ids.slice(0, 6))
    contacts.push(
      await post('/api/v1/contacts', { customerId: id, unitId: unit, occurredAt: world.now.toISOString() }),
    );
  // E-mail invitations: messages with sealed addresses and rendered bodies.
  await expectJson(
    org.api('POST', `/api/v1/surveys/${survey}/invitations`, {
      contactIds: contacts.slice(0, 4),
      channel: 'email',
    }),
    201,
  );
  // A link answer whose reason names nobody, and the case it opens.
  const link = await expectJson(
    org.api('POST', `/api/v1/surveys/${survey}/invitations`, { contactIds: [contacts[5]], channel: 'link' }),
    201,
  );
  expect(
    (await submitForm(world, link.items[0].url, { score: '3', reason: 'The shower was cold' })).status,
  ).toBe(303);
  await world.runtime.worker.runDue(world.now);
  await runLoopSweep(world.runtime.deps, world.now);
  await expectJson(
    org.api('POST', '/api/v1/suppressions', { channel: 'email', address: people[1]!.email }),
    201,
  );
  await expectJson(
    org.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/h', events: [], allowPrivate: true }),
    201,
  );
  await expectJson(org.api('POST', '/api/v1/hooks/secret'), 200);
  await buildUser(world, org, { role: 'manager', unitIds: [unit], name: 'Zzrotmanager Boss' });
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const db = () => world.runtime.database.db;

/** Every text and JSON value of every table, as a dump would hold it. */
async function dump(): Promise<string> {
  const columns = rowsOf<{ table_name: string; column_name: string }>(
    await db().execute(sql`select table_name, column_name from information_schema.columns
      where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
      order by table_name, column_name`),
  );
  const parts: string[] = [];
  for (const c of columns) {
    const rows = rowsOf<{ v: string | null }>(
      await db().execute(sql.raw(`select "${c.column_name}"::text as v from "${c.table_name}"`)),
    );
    for (const r of rows) if (r.v) parts.push(r.v);
  }
  return parts.join('\n');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function findByEmail(email: string) {
  return (await expectJson(org.api('GET', `/api/v1/customers?email=${encodeURIComponent(email)}`), 200))
    .items;
}

describe('personal data at rest', () => {
  it('a dump of every text column of every table holds no name, e-mail or phone in clear', async () => {
    const text = await dump();
    expect(text.length).toBeGreaterThan(1000);
    // Rendered messages are in it (their bodies greet people by name), a case and an answer's reason too.
    const [counts] = rowsOf<{ messages: number; cases: number }>(
      await db().execute(sql`select (select count(*)::int from messages where body_text <> '') as messages,
        (select count(*)::int from cases) as cases`),
    );
    expect(counts!.messages).toBeGreaterThanOrEqual(4);
    expect(counts!.cases).toBe(1);
    expect(text).toContain('The shower was cold');
    const leaks = people
      .flatMap((p) => [p.name, p.email, p.phone, p.phone.slice(2)])
      .concat(['Zzrottrainer', 'zzrot.trainer@example.net', 'Zzrotmanager', org.email])
      .filter((s) => text.toLowerCase().includes(s.toLowerCase()));
    expect(leaks).toEqual([]);
  });
});

describe('sarafan keys rotate', () => {
  it('stops midway as a crash would, serves both keys meanwhile, resumes and finishes', async () => {
    const oldKey = loadKeyring(keyFile)[0]!;
    const oldVault = createVault(oldKey);
    const first = await rotateKeys(db(), { keyFile, batchSize: 4, stopAfterBatches: 5 });
    expect(first.finished).toBe(false);
    expect(first.batches).toBe(6);
    const ring = loadKeyring(keyFile);
    expect(ring).toHaveLength(2);
    expect(ring[1]!.equals(oldKey)).toBe(true);
    const left = await valuesUnderOldKeys(db(), first.newKeyId);
    expect(left).toBeGreaterThan(0);

    // The server follows the keyring file: it now reads both keys, and finds people by either index.
    await sleep(1100);
    for (const p of [people[0]!, people[N - 1]!]) expect((await findByEmail(p.email))[0]?.name).toBe(p.name);
    const created = await expectJson(
      org.api('POST', '/api/v1/customers', { name: 'Zzmid Rotation', email: 'zzmid@example.net' }),
      201,
    );
    expect(created.email).toBe('zzmid@example.net');

    const second = await rotateKeys(db(), { keyFile, batchSize: 4 });
    expect(second.finished).toBe(true);
    expect(second.newKeyId).toBe(first.newKeyId);
    expect(second.unresolvedSuppressions).toBe(0);
    expect(await valuesUnderOldKeys(db(), second.newKeyId)).toBe(0);
    const after = loadKeyring(keyFile);
    expect(after).toHaveLength(1);
    expect(after[0]!.equals(oldKey)).toBe(false);
    expect(second.retiredKeyFiles).toHaveLength(1);
    expect(readFileSync(second.retiredKeyFiles[0]!, 'utf8').trim()).toBe(oldKey.toString('base64'));
    const progress = rowsOf<{ target: string; done: boolean }>(
      await db().execute(sql`select target, done_at is not null as done from key_rotation_progress
        where org_id = ${org.orgId} and key_id = ${second.newKeyId} order by target`),
    );
    expect(progress.every((p) => p.done)).toBe(true);
    expect(progress.map((p) => p.target)).toEqual(
      expect.arrayContaining(['customers', 'employees', 'messages', 'org_settings', 'suppressions', 'users']),
    );

    // The old key alone opens nothing any more; the new keyring opens everything.
    const newVault = createVault(after);
    const sealed = rowsOf<{ name_enc: string; email_enc: string }>(
      await db().execute(
        sql`select name_enc, email_enc from customers where org_id = ${org.orgId} order by external_id`,
      ),
    );
    expect(sealed.length).toBe(N + 1);
    for (const s of sealed) {
      expect(() => oldVault.decrypt(s.name_enc)).toThrow();
      expect(() => oldVault.decrypt(s.email_enc)).toThrow();
    }
    expect(sealed.map((s) => newVault.decrypt(s.name_enc)).sort()).toEqual(
      [...people.map((p) => p.name), 'Zzmid Rotation'].sort(),
    );
    const [hook] = rowsOf<{ s: string }>(
      await db().execute(sql`select settings->>'hookSecretEnc' as s from orgs where id = ${org.orgId}`),
    );
    expect(newVault.decrypt(hook!.s)).toMatch(/^whsec_/);
    expect(() => oldVault.decrypt(hook!.s)).toThrow();
  }, 60_000);

  it('still finds customers by e-mail and phone, logs people in, and keeps suppressions', async () => {
    await sleep(1100);
    for (const p of people)
      expect((await findByEmail(p.email)).map((c: { name: string }) => c.name)).toEqual([p.name]);
    const national = `8 (${people[7]!.phone.slice(2, 5)}) ${people[7]!.phone.slice(5)}`;
    const byPhone = await expectJson(
      org.api('GET', `/api/v1/customers?phone=${encodeURIComponent(national)}`),
      200,
    );
    expect(byPhone.items.map((c: { name: string }) => c.name)).toEqual([people[7]!.name]);
    expect(
      (
        await world.app.request('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: org.email, password: org.password }),
        })
      ).status,
    ).toBe(200);
    const vault = world.runtime.deps.vault;
    const [suppressed] = rowsOf<{ n: number }>(
      await db().execute(sql`select count(*)::int as n from suppressions where org_id = ${org.orgId}
        and channel = 'email' and address_bidx = ${vault.blindIndex('email', people[1]!.email)}`),
    );
    expect(suppressed!.n).toBe(1);
    // And a second rotation starts from the first one's key.
    expect(existsSync(keyFile)).toBe(true);
  });
});
