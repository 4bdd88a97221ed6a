// What a key rotation must not break: a reminder for an invitation made before it carries the link the person
// already has, an analyst's pseudonyms stay the same, and an address suppressed nowhere else stays suppressed —
// across one rotation and the next.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../src/db/index.js';
import { distributionTick } from '../src/modules/distribution/index.js';
import {
  createVault,
  customerPseudonym,
  loadKeyring,
  pseudonymOf,
  rotateKeys,
} from '../src/modules/privacy/index.js';
import { buildUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let world: World;
let org: TestOrg;
let keyFile: string;
let unitId: string;
let surveyId: string;
const db = () => world.runtime.database.db;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The running server reads the keyring file again at most once a second. */
const serverFollowsKeyFile = () => sleep(1100);

const post = async (path: string, body: unknown) =>
  (await expectJson(org.api('POST', path, body), 201)).id as string;

async function customer(fields: { name: string; email?: string; phone?: string }): Promise<string> {
  return post('/api/v1/customers', fields);
}

/** A visit of the customer and an invitation by `channel` for it; returns the invitation's id and link. */
async function invite(customerId: string, channel: 'email' | 'sms'): Promise<{ id: string; url: string }> {
  const contact = await post('/api/v1/contacts', {
    customerId,
    unitId,
    occurredAt: world.now.toISOString(),
  });
  const made = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contact], channel }),
    201,
  );
  return { id: made.items[0].id, url: made.items[0].url };
}

async function messagesOf(invitationId: string) {
  return db()
    .select()
    .from(tables.messages)
    .where(and(eq(tables.messages.orgId, org.orgId), eq(tables.messages.invitationId, invitationId)));
}

beforeAll(async () => {
  world = await startWorld();
  keyFile = `${world.runtime.deps.dataDir}/secret.key`;
  org = await buildOrg(world, 'Continuity Org');
  unitId = await post('/api/v1/units', { name: 'Club', kind: 'branch' });
  surveyId = await post('/api/v1/surveys', { name: 'Visit', audience: 'customer', kind: 'transactional' });
  await expectJson(org.api('PUT', '/api/v1/settings/delivery', { sms: { provider: 'test' } }), 200);
  await expectJson(
    org.api('PUT', `/api/v1/surveys/${surveyId}/distribution`, { reminder: { afterDays: 3 } }),
    200,
  );
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('a key rotation keeps what was made before it working', () => {
  it('a reminder after the rotation goes out with the link the person already has, and it opens the survey', async () => {
    const anna = await customer({ name: 'Анна Петрова', phone: '+79160001001' });
    const boris = await customer({ name: 'Boris Smith', phone: '+79160001002' });
    const first = await invite(anna, 'sms');
    await world.runtime.worker.runDue(world.now);
    const [sent] = await messagesOf(first.id);
    expect(sent).toMatchObject({ kind: 'invitation', status: 'sent' });
    expect(sent!.bodyText).toContain(first.url);

    const rotation = await rotateKeys(db(), { keyFile, batchSize: 3, now: world.now });
    expect(rotation.finished).toBe(true);
    expect(loadKeyring(keyFile)).toHaveLength(1);
    await serverFollowsKeyFile();

    // An invitation made after the rotation, sent the same way.
    const second = await invite(boris, 'sms');
    world.advance(3 * DAY + HOUR);
    await distributionTick(world.runtime.deps, world.now);
    await world.runtime.worker.runDue(world.now);
    const reminder = (await messagesOf(first.id)).find((m) => m.kind === 'reminder');
    expect(reminder?.lastError ?? null).toBeNull();
    expect(reminder).toMatchObject({ status: 'sent' });
    expect(reminder!.bodyText).toContain(first.url);
    const page = await world.app.request(new URL(first.url).pathname);
    expect(page.status).toBe(200);

    // A second rotation: the token carried over by the first is sealed again and still found.
    const again = await rotateKeys(db(), { keyFile, batchSize: 3, now: world.now });
    expect(again.finished).toBe(true);
    await serverFollowsKeyFile();
    world.advance(3 * DAY + HOUR);
    await distributionTick(world.runtime.deps, world.now);
    await world.runtime.worker.runDue(world.now);
    const later = (await messagesOf(second.id)).find((m) => m.kind === 'reminder');
    expect(later).toMatchObject({ status: 'sent' });
    expect(later!.bodyText).toContain(second.url);
    const [row] = await db()
      .select({ tokenEnc: tables.invitations.tokenEnc })
      .from(tables.invitations)
      .where(and(eq(tables.invitations.orgId, org.orgId), eq(tables.invitations.id, first.id)));
    expect(row!.tokenEnc).toMatch(new RegExp(`^v2\\.${again.newKeyId}\\.`));
  }, 60_000);

  it("a customer's pseudonym is the same before and after each rotation, for the server and the CLI", async () => {
    const id = await customer({ name: 'Иван Сидоров', email: 'ivan.sidorov@example.net' });
    const before = customerPseudonym(world.runtime.deps, id);
    expect(before).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
    for (let round = 0; round < 2; round++) {
      const rotation = await rotateKeys(db(), { keyFile, now: world.now });
      expect(rotation.finished).toBe(true);
      await serverFollowsKeyFile();
      expect(customerPseudonym(world.runtime.deps, id)).toBe(before);
      expect(pseudonymOf(createVault(loadKeyring(keyFile)), 'customer', id)).toBe(before);
    }
    // Still a keyed code: the key in use alone (without the stable index key) gives another.
    expect(pseudonymOf(createVault(loadKeyring(keyFile)[0]!), 'customer', id)).not.toBe(before);
    // And the analyst reads the same code through the API.
    const analyst = await buildUser(world, org, { role: 'analyst' });
    expect(await expectJson(analyst.api('GET', `/api/v1/customers/${id}`), 200)).toMatchObject({
      name: before,
      email: null,
    });
  }, 60_000);

  it('an address suppressed nowhere else (by hand, or of an erased customer) stays suppressed', async () => {
    const byHand = 'zz.unsub.only@example.net';
    await expectJson(org.api('POST', '/api/v1/suppressions', { channel: 'email', address: byHand }), 201);
    const erased = { name: 'Zzerased Person', email: 'zz.erased@example.net', phone: '+79160009999' };
    const gone = await customer(erased);
    await expectJson(org.api('POST', '/api/v1/privacy/erase', { customerId: gone }), 200);

    for (let round = 0; round < 2; round++) {
      const rotation = await rotateKeys(db(), { keyFile, now: world.now });
      expect(rotation.finished).toBe(true);
      expect(rotation.unresolvedSuppressions).toBe(0);
    }
    await serverFollowsKeyFile();

    // The same people come back (imported again): nothing is sent to them.
    const attempts: [string, 'email' | 'sms'][] = [
      [await customer({ name: 'Again One', email: byHand.toUpperCase() }), 'email'],
      [await customer({ name: 'Again Two', email: erased.email }), 'email'],
      [await customer({ name: 'Again Three', phone: '8 (916) 000-99-99' }), 'sms'],
    ];
    for (const [id, channel] of attempts) {
      const invitation = await invite(id, channel);
      world.advance(HOUR);
      await world.runtime.worker.runDue(world.now);
      const [message] = await messagesOf(invitation.id);
      expect(message, channel).toMatchObject({ status: 'suppressed' });
      expect(message!.lastError).toMatch(/suppressed/);
    }
    // A control: an address never suppressed still goes.
    const control = await invite(await customer({ name: 'Fresh', phone: '+79160007777' }), 'sms');
    world.advance(HOUR);
    await world.runtime.worker.runDue(world.now);
    expect((await messagesOf(control.id))[0]).toMatchObject({ status: 'sent' });
  }, 60_000);
});
