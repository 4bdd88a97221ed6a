// One customer however their phone is written: the E.164 blind index across the customers API, the contacts
// webhook, suppressions and the readiness audit.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexPhones } from '../src/modules/customers/index.js';
import { signHook } from '../src/modules/imports/index.js';
import { buildOrg, expectJson, startWorld, type World } from './support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('a phone number written three ways', () => {
  it('finds, matches, suppresses and counts 8 (916) 123-45-67, 9161234567 and +7 916 123-45-67 as one customer', async () => {
    const org = await buildOrg(world);
    const anna = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'k-1', name: 'Анна', phone: '8 (916) 123-45-67' }),
      201,
    );

    for (const written of ['9161234567', '+7 916 123-45-67', '8 (916) 123-45-67']) {
      const found = await expectJson(
        org.api('GET', `/api/v1/customers?phone=${encodeURIComponent(written)}`),
        200,
      );
      expect(found.items.map((c: { id: string }) => c.id)).toEqual([anna.id]);
    }

    // The accounting system pushes a visit naming the customer only by a bare national number.
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Клуб', kind: 'branch', externalId: 'club-1' }),
      201,
    );
    const { secret } = await expectJson(org.api('POST', '/api/v1/hooks/secret'), 200);
    const at = Math.floor(world.now.getTime() / 1000);
    const body = JSON.stringify({
      externalId: 'sale-1',
      occurredAt: '2026-11-20T12:00:00+03:00',
      customerPhone: '9161234567',
      unitExternalId: 'club-1',
      amountMinor: 150000,
    });
    const pushed = await world.app.request(`/api/v1/hooks/contacts/${org.orgId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(at),
        'webhook-signature': signHook(secret, 'msg_1', at, body),
      },
      body,
    });
    expect(pushed.status).toBe(200);
    const everyone = await expectJson(org.api('GET', '/api/v1/customers'), 200);
    expect(everyone.items.map((c: { id: string }) => c.id)).toEqual([anna.id]);

    // An SMS unsubscribe written in international form stops the number stored in the Russian form.
    const suppressed = await expectJson(
      org.api('POST', '/api/v1/suppressions', {
        channel: 'sms',
        address: '+7 916 123-45-67',
        reason: 'unsubscribed',
      }),
      201,
    );
    const again = await expectJson(
      org.api('POST', '/api/v1/suppressions', {
        channel: 'sms',
        address: '9161234567',
        reason: 'unsubscribed',
      }),
      201,
    );
    expect(again.id).toBe(suppressed.id);

    // A second customer with the same number written differently is a duplicate in the audit.
    await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'k-2', name: 'Анна К.', phone: '+7 916 123-45-67' }),
      201,
    );
    const audit = await expectJson(org.api('GET', '/api/v1/audit'), 200);
    expect(audit.phone.present.count).toBe(2);
    expect(audit.phone.duplicate.count).toBe(2);
    expect(audit.phone.suppressed.count).toBe(2);
    expect(audit.phone.smsReachable).toBe(0);
  });
});

describe('reindexPhones', () => {
  it('moves a customer stored with the former index of a bare national number to the E.164 one, once', async () => {
    const org = await buildOrg(world);
    const { db } = world.runtime.database;
    const vault = world.runtime.deps.vault;
    // What the former normalisation (digits only) stored for '9161234567': an index no other spelling reaches.
    await db.execute(sql`insert into customers (org_id, external_id, phone_enc, phone_bidx)
      values (${org.orgId}, 'old-1', ${vault.encrypt('9161234567')}, 'former-index-of-9161234567')`);
    await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'new-1', phone: '+7 903 111-22-33' }),
      201,
    );
    const find = async () =>
      (
        await expectJson(
          org.api('GET', `/api/v1/customers?phone=${encodeURIComponent('8 (916) 123-45-67')}`),
          200,
        )
      ).items as { externalId: string }[];
    expect(await find()).toEqual([]);

    const ctx = world.contextFor(org.orgId);
    expect(await reindexPhones(ctx, { batch: 1 })).toEqual({ checked: 2, changed: 1 });
    expect((await find()).map((c) => c.externalId)).toEqual(['old-1']);
    expect(await reindexPhones(ctx)).toEqual({ checked: 2, changed: 0 });
  });
});
