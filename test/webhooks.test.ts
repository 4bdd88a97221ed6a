// Webhooks end to end: a real HTTP server in this process receives signed events (Standard Webhooks), answers
// 500 or hangs; retries with back-off, the SSRF guard at creation and at send time, the delivery log.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { dispatchLoopEvents } from '../src/modules/alerts/index.js';
import { sweepInbox } from '../src/modules/loop/index.js';
import { buildUser, insertLoopEvent, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

interface Hit {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let world: World;
let org: TestOrg;
let admin: TestUser;
let manager: TestUser;
let server: Server;
let base: string;
const hits: Hit[] = [];
/** Per path: how to answer the next requests (status codes in order; 'hang' keeps the request open). */
const plans = new Map<string, (number | 'hang')[]>();
const held: ServerResponse[] = [];
let onHold: (() => void) | null = null;
/** Resolves when the server holds one more hanging request. */
const nextHold = () => new Promise<void>((resolve) => (onHold = resolve));

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, headers: req.headers, body });
      const plan = plans.get(path) ?? [];
      const next = plan.length > 1 ? plan.shift()! : (plan[0] ?? 200);
      if (next === 'hang') {
        held.push(res);
        onHold?.();
        return;
      }
      res.writeHead(next, { 'content-type': 'text/plain' }).end(next >= 300 ? 'upstream broke' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  world = await startWorld();
  world.runtime.webhooks.random = () => 0.5;
  org = await buildOrg(world, 'ФитПарк');
  admin = await buildUser(world, org, { role: 'admin' });
  manager = await buildUser(world, org, { role: 'manager' });
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await world.runtime.webhooks.idle();
  await world.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const hitsOf = (path: string) => hits.filter((h) => h.path === path);

/** Advances the clock, runs the worker (dispatch, then webhook sends) and waits for the sends to be recorded. */
async function run(ms = 6_000) {
  world.advance(ms);
  await world.runtime.worker.runDue(world.now);
  await world.runtime.webhooks.idle();
}

async function endpoint(path: string, events: string[] = []) {
  return expectJson(
    admin.api('POST', '/api/v1/webhooks', { url: `${base}${path}`, events, allowPrivate: true }),
    201,
  );
}

async function deliveriesOf(id: string) {
  return (await expectJson(org.api('GET', `/api/v1/webhooks/${id}/deliveries`), 200)).items;
}

const casePayload = (n: number) => ({
  caseId: crypto.randomUUID(),
  caseNumber: n,
  score: 3,
  reason: 'Долго ждал тренера',
  unitName: 'Арбат',
  url: 'http://sarafan.test/cases/x',
});

describe('the SSRF guard', () => {
  it('refuses loopback, private, link-local and metadata addresses without allowPrivate, with the reason', async () => {
    for (const url of [
      `${base}/ok`,
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]:8080/hook',
      'http://localhost/hook',
    ]) {
      const problem = await expectJson(admin.api('POST', '/api/v1/webhooks', { url }), 422);
      expect(problem.errors[0].path).toBe('url');
      expect(problem.detail).toMatch(/private|loopback|link-local|reserved/);
      expect(problem.detail).toMatch(/allowPrivate/);
    }
    const ftp = await expectJson(admin.api('POST', '/api/v1/webhooks', { url: 'ftp://example.com/x' }), 422);
    expect(ftp.detail).toMatch(/http/);
  });

  it('accepts them with allowPrivate from an admin only', async () => {
    for (const url of [
      `${base}/ok`,
      'http://10.0.0.1/hook',
      'http://169.254.169.254/x',
      'http://[::1]:8080/hook',
    ]) {
      const created = await expectJson(
        admin.api('POST', '/api/v1/webhooks', { url, allowPrivate: true }),
        201,
      );
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      expect(created.allowPrivate).toBe(true);
      await expectJson(admin.api('DELETE', `/api/v1/webhooks/${created.id}`), 204);
    }
    await expectJson(manager.api('POST', '/api/v1/webhooks', { url: `${base}/ok`, allowPrivate: true }), 403);
    await expectJson(manager.api('GET', '/api/v1/webhooks'), 403);
  });

  it('checks again at send time: an endpoint whose host turned private is refused, nothing reaches it', async () => {
    const e = await endpoint('/rebound', ['case.opened']);
    // As if the DNS answer changed after the check: the flag is gone and the host is 'localhost' (127.0.0.1).
    await world.runtime.database.db.execute(
      sql`update webhook_endpoints set allow_private = false, url = ${`${base.replace('127.0.0.1', 'localhost')}/rebound`} where id = ${e.id}`,
    );
    await insertLoopEvent(world, org.orgId, { kind: 'case.opened', payload: casePayload(1) });
    await run();
    expect(hitsOf('/rebound')).toHaveLength(0);
    const [d] = await deliveriesOf(e.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 1, lastStatusCode: null });
    expect(d.lastError).toMatch(/localhost resolves to 127\.0\.0\.1.*refused/);
    await expectJson(admin.api('DELETE', `/api/v1/webhooks/${e.id}`), 204);
  });
});

describe('sending', () => {
  it('posts each subscribed event once, signed with the endpoint’s secret (Standard Webhooks)', async () => {
    const e = await endpoint('/ok', ['case.opened']);
    expect((await expectJson(admin.api('GET', `/api/v1/webhooks/${e.id}`), 200)).secret).toBeUndefined();
    await insertLoopEvent(world, org.orgId, { kind: 'case.opened', payload: casePayload(7) });
    await insertLoopEvent(world, org.orgId, { kind: 'response.promoter', payload: { score: 10 } });
    await run();
    await run(60_000);
    const got = hitsOf('/ok');
    expect(got).toHaveLength(1);
    const hit = got[0]!;
    const [d] = await deliveriesOf(e.id);
    expect(d).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 200,
      eventKind: 'case.opened',
    });
    expect(typeof d.lastDurationMs).toBe('number');
    expect(hit.headers['webhook-id']).toBe(d.id);
    const ts = Number(hit.headers['webhook-timestamp']);
    // Signed when sent, by the server's clock (the first run, a minute before now).
    expect(ts).toBe(Math.floor(world.now.getTime() / 1000) - 60);
    // The receiver's check: HMAC-SHA256 of "id.timestamp.body" with the secret, as the standardwebhooks library signs.
    const expected = new Webhook(e.secret).sign(d.id, new Date(ts * 1000), hit.body);
    expect(hit.headers['webhook-signature']).toBe(expected);
    expect(
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).sign(
        d.id,
        new Date(ts * 1000),
        hit.body,
      ),
    ).not.toBe(expected);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({
      type: 'case.opened',
      data: { caseNumber: 7, score: 3, reason: 'Долго ждал тренера' },
    });
  });

  it('posts an answer’s response event to an endpoint that wants it; with none, the event is not kept', async () => {
    const other = await buildOrg(world, 'Сокол');
    const owner = await buildUser(world, other, { role: 'admin' });
    const survey = await expectJson(
      other.api('POST', '/api/v1/surveys', { name: 'Клуб', audience: 'customer' }),
      201,
    );
    const links = async () =>
      (await expectJson(other.api('POST', `/api/v1/surveys/${survey.id}/invitations`, { count: 1 }), 201))
        .items[0].url as string;
    const pending = async () =>
      rowsOf<{ kind: string; waiting: boolean }>(
        await world.runtime.database.db.execute(
          sql`select kind, dispatched_at is null as waiting from loop_events where org_id = ${other.orgId} order by seq`,
        ),
      );
    // No endpoint: the promoter's event is not stored, so the dispatcher has nothing to read for it.
    expect((await submitForm(world, await links(), { score: '10' })).status).toBeLessThan(400);
    expect((await sweepInbox(world.runtime.deps, world.now)).answers).toBe(1);
    expect(await pending()).toEqual([]);
    expect((await dispatchLoopEvents(world.runtime.deps, world.now)).events).toBe(0);
    // An endpoint that wants promoters gets the next one, once; one that wants only cases gets nothing.
    const wants = await expectJson(
      owner.api('POST', '/api/v1/webhooks', {
        url: `${base}/promoters`,
        events: ['response.promoter'],
        allowPrivate: true,
      }),
      201,
    );
    await expectJson(
      owner.api('POST', '/api/v1/webhooks', {
        url: `${base}/cases-only`,
        events: ['case.opened'],
        allowPrivate: true,
      }),
      201,
    );
    expect((await submitForm(world, await links(), { score: '9', reason: 'Чисто' })).status).toBeLessThan(
      400,
    );
    await run();
    await run(60_000);
    expect(hitsOf('/cases-only')).toHaveLength(0);
    const got = hitsOf('/promoters');
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body)).toMatchObject({
      type: 'response.promoter',
      data: { score: 9, reason: 'Чисто' },
    });
    const { items } = await expectJson(other.api('GET', `/api/v1/webhooks/${wants.id}/deliveries`), 200);
    expect(items.map((d: { status: string }) => d.status)).toEqual(['delivered']);
    expect(await pending()).toEqual([{ kind: 'response.promoter', waiting: false }]);
  });

  it('retries an endpoint answering 500 with back-off, then delivers it once and never again', async () => {
    plans.set('/flaky', [500, 500, 200]);
    const e = await endpoint('/flaky');
    await insertLoopEvent(world, org.orgId, { kind: 'case.urgent', payload: casePayload(8) });
    await run();
    expect(hitsOf('/flaky')).toHaveLength(1);
    let [d] = await deliveriesOf(e.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 1, lastStatusCode: 500 });
    expect(d.lastError).toContain('HTTP 500');
    // The first wait is 30 s (± 20%): not yet after 6 s.
    expect(Date.parse(d.nextAttemptAt) - world.now.getTime()).toBe(30_000);
    await run(6_000);
    expect(hitsOf('/flaky')).toHaveLength(1);
    await run(30_000);
    expect(hitsOf('/flaky')).toHaveLength(2);
    [d] = await deliveriesOf(e.id);
    expect(d).toMatchObject({ status: 'retrying', attempts: 2 });
    expect(Date.parse(d.nextAttemptAt) - world.now.getTime()).toBe(120_000);
    await run(125_000);
    [d] = await deliveriesOf(e.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
    for (let i = 0; i < 5; i++) await run(3_600_000);
    expect(hitsOf('/flaky')).toHaveLength(3);
    // Every attempt carried the same webhook-id, so a receiver can tell a retry from a new event.
    expect(new Set(hitsOf('/flaky').map((h) => h.headers['webhook-id']))).toEqual(new Set([d.id]));
  });

  it('does not wait for a hanging endpoint: the round ends, other endpoints get theirs, it times out and is retried', async () => {
    world.runtime.webhooks.timeoutMs = 60_000;
    plans.set('/hang', ['hang', 'hang', 200]);
    const slow = await endpoint('/hang', ['case.escalated']);
    const fast = await endpoint('/fast', ['case.escalated']);
    await insertLoopEvent(world, org.orgId, { kind: 'case.escalated', payload: casePayload(9) });
    const holding = nextHold();
    world.advance(6_000);
    await world.runtime.worker.runDue(world.now);
    await holding;
    // The worker's round is over while the request is still open: the delivery is claimed, not yet answered.
    let [s] = await deliveriesOf(slow.id);
    expect(s).toMatchObject({ status: 'pending', attempts: 1 });
    held.shift()!.destroy();
    await world.runtime.webhooks.idle();
    expect((await deliveriesOf(fast.id))[0].status).toBe('delivered');
    [s] = await deliveriesOf(slow.id);
    expect(s).toMatchObject({ status: 'retrying', attempts: 1, lastStatusCode: null });

    // Next time it hangs past the deadline: timed out, retried later.
    world.runtime.webhooks.timeoutMs = 300;
    await run(40_000);
    [s] = await deliveriesOf(slow.id);
    expect(s).toMatchObject({ status: 'retrying', attempts: 2, lastStatusCode: null });
    expect(s.lastError).toMatch(/timed out/);
    await run(150_000);
    [s] = await deliveriesOf(slow.id);
    expect(s).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(hitsOf('/fast')).toHaveLength(1);
    world.runtime.webhooks.timeoutMs = 10_000;
  });

  it('switches an endpoint off after deliveries keep failing, and redelivers once it is fixed', async () => {
    plans.set('/down', [503]);
    const e = await endpoint('/down', ['case.overdue']);
    for (let i = 0; i < 5; i++)
      await insertLoopEvent(world, org.orgId, { kind: 'case.overdue', payload: casePayload(20 + i) });
    await run();
    for (let round = 0; round < 8; round++) await run(9 * 3_600_000);
    const items = await deliveriesOf(e.id);
    expect(items).toHaveLength(5);
    for (const d of items) expect(d).toMatchObject({ status: 'failed', attempts: 8, lastStatusCode: 503 });
    expect(hitsOf('/down')).toHaveLength(40);
    const off = await expectJson(admin.api('GET', `/api/v1/webhooks/${e.id}`), 200);
    expect(off.enabled).toBe(false);
    expect(off.disabledReason).toMatch(/5 deliveries in a row failed/);
    // While off, new events queue nothing for it.
    await insertLoopEvent(world, org.orgId, { kind: 'case.overdue', payload: casePayload(30) });
    await run();
    expect(await deliveriesOf(e.id)).toHaveLength(5);

    plans.set('/down', [200]);
    await expectJson(admin.api('PATCH', `/api/v1/webhooks/${e.id}`, { enabled: true }), 200);
    const again = await expectJson(
      admin.api('POST', `/api/v1/webhooks/deliveries/${items[0].id}/redeliver`),
      200,
    );
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    await expectJson(admin.api('POST', `/api/v1/webhooks/deliveries/${items[0].id}/redeliver`), 409);
    await run();
    expect((await deliveriesOf(e.id)).find((d: { id: string }) => d.id === items[0].id)).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
  });

  it('sends a test event on demand and answers with the outcome', async () => {
    const e = await endpoint('/test-me', ['case.resolved']);
    const d = await expectJson(admin.api('POST', `/api/v1/webhooks/${e.id}/test`), 200);
    expect(d).toMatchObject({ status: 'delivered', eventKind: 'webhook.test', lastStatusCode: 200 });
    expect(JSON.parse(hitsOf('/test-me')[0]!.body).type).toBe('webhook.test');
  });

  it('keeps endpoints to their organisation and checks changes of URL', async () => {
    const e = await endpoint('/mine');
    const other = await buildOrg(world, 'Другая');
    await expectJson(other.api('GET', `/api/v1/webhooks/${e.id}`), 404);
    await expectJson(other.api('GET', `/api/v1/webhooks/${e.id}/deliveries`), 404);
    await expectJson(other.api('DELETE', `/api/v1/webhooks/${e.id}`), 404);
    const problem = await expectJson(
      admin.api('PATCH', `/api/v1/webhooks/${e.id}`, { allowPrivate: false }),
      422,
    );
    expect(problem.errors[0].path).toBe('url');
    const bad = await expectJson(
      admin.api('POST', '/api/v1/webhooks', { url: `${base}/x`, events: ['case.nope'] }),
      422,
    );
    expect(bad.errors[0].path).toMatch(/^events/);
  });
});
