// E-mail and SMS delivery end to end, against a real SMTP server and a real HTTP gateway in this process.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { queueInvitationMessage } from '../src/modules/delivery/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

interface Received {
  mail: ParsedMail;
  rcpt: string[];
}

let world: World;
let org: TestOrg;
let surveyId: string;
let smtp: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];
const rejectRcpt = new Set<string>();

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (rejectRcpt.has(address.address)) {
        const error = new Error('5.1.1 No such user') as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  smtpUrl = `smtp://127.0.0.1:${port}?ignoreTLS=true`;

  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
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
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Moves the clock past the delivery sweep's interval (30 s) and runs the worker once. */
function runWorker() {
  world.advance(31_000);
  return world.runtime.worker.runDue(world.now);
}
/** Moves the clock further, then runs the worker. */
async function later(ms = 60_000) {
  world.advance(ms);
  return runWorker();
}

let n = 0;
async function customer(fields: Record<string, unknown>) {
  return expectJson(org.api('POST', '/api/v1/customers', { externalId: `d-${++n}`, ...fields }), 201);
}
async function invite(
  customerId: string,
  channel: 'email' | 'sms' = 'email',
  to: TestOrg = org,
  survey = surveyId,
) {
  const [inv] = await expectJson(
    to.api('POST', `/api/v1/surveys/${survey}/invitations`, { customerIds: [customerId], channel }),
    201,
  ).then((b) => b.items ?? b);
  return inv as { id: string; url: string };
}
async function messageOf(invitationId: string, kind = 'invitation') {
  const rows = rowsOf<{ id: string; status: string; last_error: string | null }>(
    await world.runtime.database.db.execute(
      sql`select id, status, last_error from messages where invitation_id = ${invitationId} and kind = ${kind}`,
    ),
  );
  return rows[0];
}
const mailsTo = (address: string) => received.filter((r) => r.rcpt.includes(address));
const headerLine = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((h) => h.key === key.toLowerCase())?.line ?? null;

describe('e-mail', () => {
  it('keeps mail in the outbox as held without SMTP, and sends it once SMTP is configured', async () => {
    const c = await customer({ name: 'Пётр', email: 'petr@example.com' });
    const inv = await invite(c.id);
    await runWorker();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'held' });
    const list = await expectJson(org.api('GET', '/api/v1/outbox?status=held'), 200);
    expect(list.items.map((m: { invitationId: string }) => m.invitationId)).toContain(inv.id);
    expect(list.items[0].to).toBe('petr@example.com');
    expect(mailsTo('petr@example.com')).toHaveLength(0);

    world.runtime.delivery.configureSmtp(smtpUrl);
    await later();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'sent' });
    expect(mailsTo('petr@example.com')).toHaveLength(1);
  });

  it('sends an invitation: subject, 11 score links, text part, unsubscribe headers; the link records an answer', async () => {
    const c = await customer({ name: 'Анна Смирнова', email: 'anna@example.com' });
    const inv = await invite(c.id);
    await runWorker();
    const [got] = mailsTo('anna@example.com');
    expect(got).toBeDefined();
    const mail = got!.mail;
    expect(mail.subject).toBe('ФитПарк: оцените нас по шкале от 0 до 10');
    expect(mail.from?.value[0]?.name).toBe('ФитПарк');
    const html = String(mail.html);
    expect(html).toContain('Здравствуйте, Анна!');
    expect(html).toContain('Насколько вероятно, что вы порекомендуете ФитПарк');
    const links = [...html.matchAll(/href="(http:\/\/sarafan\.test\/s\/[A-Za-z0-9_-]+)\?score=(\d+)"/g)];
    expect(links.map((l) => Number(l[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const surveyLink = links[0]![1]!;
    expect(new Set(links.map((l) => l[1])).size).toBe(1);
    expect(mail.text).toContain(`${surveyLink}?score=10`);
    expect(mail.text).toContain('Отписаться');
    const listUnsub = headerLine(mail, 'list-unsubscribe');
    expect(listUnsub).toMatch(/<http:\/\/sarafan\.test\/u\/[A-Za-z0-9_-]+>/);
    expect(listUnsub).toMatch(/<mailto:[^>]+>/);
    expect(headerLine(mail, 'list-unsubscribe-post')).toMatch(/List-Unsubscribe=One-Click/);

    // The invitation knows it went out.
    const invitation = await expectJson(org.api('GET', `/api/v1/invitations/${inv.id}`), 200).catch(
      () => null,
    );
    const sentAt = rowsOf<{ sent_at: Date | null }>(
      await world.runtime.database.db.execute(sql`select sent_at from invitations where id = ${inv.id}`),
    )[0]?.sent_at;
    expect(sentAt).not.toBeNull();
    void invitation;

    // Follow the "9" button as a person would: the page pre-selects, the POST records.
    const nine = `${surveyLink}?score=9`;
    const page = await world.app.request(new URL(nine).pathname + new URL(nine).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/value="9"[^>]*checked|checked[^>]*value="9"/);
    const posted = await submitForm(world, surveyLink, { score: '9', reason: 'Чисто и удобно' });
    expect(posted.status).toBe(303);
    const nps = await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps`), 200);
    expect(nps.rows[0]).toMatchObject({ n: 1, promoters: 1 });
  });

  it('writes to an English-speaking customer in English', async () => {
    const c = await customer({ name: 'John Smith', email: 'john@example.com', locale: 'en' });
    await invite(c.id);
    await runWorker();
    const [got] = mailsTo('john@example.com');
    expect(got?.mail.subject).toBe('ФитПарк: how likely are you to recommend us?');
    expect(String(got?.mail.html)).toContain('Hello John,');
    expect(got?.mail.text).toContain('Unsubscribe from surveys');
  });

  it('running the worker again sends nothing twice', async () => {
    const before = received.length;
    await later();
    await later();
    expect(received.length).toBe(before);
    const dup = rowsOf<{ n: number }>(
      await world.runtime.database.db.execute(
        sql`select count(*)::int as n from messages group by org_id, dedupe_key having count(*) > 1`,
      ),
    );
    expect(dup).toHaveLength(0);
  });

  it('a 550 from the SMTP server suppresses the address: no further mail', async () => {
    rejectRcpt.add('gone@example.com');
    const c = await customer({ email: 'gone@example.com' });
    const first = await invite(c.id);
    await runWorker();
    expect(await messageOf(first.id)).toMatchObject({ status: 'bounced' });
    const supp = await expectJson(org.api('GET', '/api/v1/suppressions'), 200);
    expect(supp.items.some((s: { reason: string }) => s.reason === 'hard_bounce')).toBe(true);
    rejectRcpt.delete('gone@example.com');
    const second = await invite(c.id);
    await later();
    expect(await messageOf(second.id)).toMatchObject({ status: 'suppressed' });
    expect(mailsTo('gone@example.com')).toHaveLength(0);
  });

  it('a bounce reported by the provider through the API suppresses the address', async () => {
    await expectJson(
      org.api('POST', '/api/v1/delivery/events', { type: 'complaint', email: 'Spam-Hater@example.com' }),
      200,
    );
    const c = await customer({ email: 'spam-hater@example.com' });
    const inv = await invite(c.id);
    await later();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'suppressed' });
    expect(mailsTo('spam-hater@example.com')).toHaveLength(0);
    const bad = await org.api('POST', '/api/v1/delivery/events', { type: 'bounce' });
    expect(bad.status).toBe(422);
  });

  it('one-click unsubscribe (RFC 8058) stops further mail, reminders included', async () => {
    const c = await customer({ email: 'bye@example.com' });
    const inv = await invite(c.id);
    await runWorker();
    const [got] = mailsTo('bye@example.com');
    const unsubUrl = /<(http:\/\/sarafan\.test\/u\/[^>]+)>/.exec(
      headerLine(got!.mail, 'list-unsubscribe') ?? '',
    )?.[1];
    expect(unsubUrl).toBeDefined();
    const path = new URL(unsubUrl!).pathname;
    // Opening the page (a mail scanner does) changes nothing.
    const confirm = await world.app.request(path);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Отписаться');
    expect((await expectJson(org.api('GET', '/api/v1/suppressions'), 200)).items).toHaveLength(2);
    const oneClick = await world.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    const reminder = await queueInvitationMessage(world.contextFor(org.orgId), inv.id, 'reminder');
    expect(reminder).toMatchObject({ queued: false, reason: 'suppressed' });
    await invite(c.id);
    await later();
    expect(mailsTo('bye@example.com')).toHaveLength(1);
  });

  it('the unsubscribe page can opt the customer out of all surveys', async () => {
    const c = await customer({ email: 'never@example.com', phone: '+7 916 000-11-22' });
    const inv = await invite(c.id);
    await runWorker();
    const url = /<(http:\/\/sarafan\.test\/u\/[^>]+)>/.exec(
      headerLine(mailsTo('never@example.com')[0]!.mail, 'list-unsubscribe') ?? '',
    )?.[1];
    const done = await submitForm(world, url!, { everything: '1' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('вы отписаны');
    const sms = await invite(c.id, 'sms');
    await later();
    expect(await messageOf(sms.id)).toMatchObject({
      status: 'suppressed',
      last_error: 'The customer asked not to be surveyed',
    });
    void inv;
  });

  it('a crash between "sending" and "sent" leaves the message uncertain, never re-sent by itself', async () => {
    const c = await customer({ email: 'crash@example.com' });
    const inv = await invite(c.id);
    let crashes = 0;
    world.runtime.delivery.hooks.afterSending = () => {
      crashes++;
      throw new Error('simulated crash');
    };
    await runWorker();
    world.runtime.delivery.hooks.afterSending = undefined;
    expect(crashes).toBe(1);
    expect(await messageOf(inv.id)).toMatchObject({ status: 'sending' });
    // The job comes back after its back-off (or the lease) and finds the message in `sending`.
    await later(3_600_000);
    const msg = await messageOf(inv.id);
    expect(msg).toMatchObject({ status: 'uncertain' });
    await later();
    expect(mailsTo('crash@example.com')).toHaveLength(0);
    // A human decides to send it again.
    const retried = await expectJson(org.api('POST', `/api/v1/outbox/${msg!.id}/retry`), 200);
    expect(retried.status).toBe('queued');
    await runWorker();
    await later();
    expect(mailsTo('crash@example.com')).toHaveLength(1);
    expect(await messageOf(inv.id)).toMatchObject({ status: 'sent' });
    const again = await org.api('POST', `/api/v1/outbox/${msg!.id}/retry`);
    expect(again.status).toBe(409);
  });

  it('a name with CR/LF cannot add a header', async () => {
    const c = await customer({ name: 'Анна\r\nBcc: x@evil.example', email: 'inject@example.com' });
    await invite(c.id);
    await runWorker();
    const [got] = mailsTo('inject@example.com');
    expect(got?.rcpt).toEqual(['inject@example.com']);
    expect(got?.mail.headerLines.some((h) => h.key === 'bcc')).toBe(false);
    expect(received.some((r) => r.rcpt.includes('x@evil.example'))).toBe(false);
    expect(got?.mail.to && 'value' in got.mail.to ? got.mail.to.value[0]?.address : null).toBe(
      'inject@example.com',
    );
  });

  it('shows the rendered message, and hides another org’s outbox (404)', async () => {
    const list = await expectJson(org.api('GET', '/api/v1/outbox?channel=email&status=sent&limit=2'), 200);
    expect(list.items).toHaveLength(2);
    expect(list.nextCursor).not.toBeNull();
    expect(list.counts.sent).toBeGreaterThan(2);
    const one = await expectJson(org.api('GET', `/api/v1/outbox/${list.items[0].id}`), 200);
    expect(one.bodyHtml).toContain('?score=10');
    expect(one.bodyText).toContain('?score=0');
    const other = await buildOrg(world, 'Чужая');
    expect((await other.api('GET', `/api/v1/outbox/${list.items[0].id}`)).status).toBe(404);
    expect((await other.api('POST', `/api/v1/outbox/${list.items[0].id}/retry`)).status).toBe(404);
    expect((await expectJson(other.api('GET', '/api/v1/outbox'), 200)).items).toHaveLength(0);
  });
});

describe('SMS', () => {
  it('holds SMS without a gateway, then sends through the test provider once it is set', async () => {
    const c = await customer({ phone: '8 (916) 123-45-67' });
    const inv = await invite(c.id, 'sms');
    await runWorker();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'held' });
    await expectJson(
      org.api('PUT', '/api/v1/settings/delivery', { sms: { provider: 'test', sender: 'FitPark' } }),
      200,
    );
    await later();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'sent' });
    const sent = world.runtime.delivery.testSms.sent.filter((s) => s.to === '+79161234567');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.sender).toBe('FitPark');
    // Rendered when it was queued (before the sender name was set): the org's name, the short link.
    expect(sent[0]!.text).toMatch(
      /^ФитПарк: оцените нас от 0 до 10 http:\/\/sarafan\.test\/s\/[A-Za-z0-9_-]{32}$/,
    );
    const item = (await expectJson(org.api('GET', '/api/v1/outbox?channel=sms&status=sent'), 200)).items[0];
    expect(item.smsParts).toBe(2);
  });

  it('does not send to an invalid phone number and records why', async () => {
    const c = await customer({ phone: '123-45-67' });
    const inv = await invite(c.id, 'sms');
    await runWorker();
    expect(await messageOf(inv.id)).toMatchObject({
      status: 'failed',
      last_error: 'The phone number is not valid (E.164)',
    });
  });

  it('sends through a configurable HTTP gateway with encrypted headers', async () => {
    const requests: { url: string; headers: IncomingMessage['headers']; body: string }[] = [];
    const gateway: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        requests.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('msg-42');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const { port } = gateway.address() as AddressInfo;
    try {
      const saved = await expectJson(
        org.api('PUT', '/api/v1/settings/delivery', {
          sms: {
            provider: 'http',
            sender: 'FitPark',
            url: `http://127.0.0.1:${port}/send?to={to}&from={sender}`,
            method: 'POST',
            bodyTemplate: '{"message":"{text}"}',
            headers: { 'X-Api-Key': 'top-secret' },
          },
        }),
        200,
      );
      expect(saved.sms.headerNames).toEqual(['X-Api-Key']);
      expect(JSON.stringify(saved)).not.toContain('top-secret');
      const stored = rowsOf<{ settings: unknown }>(
        await world.runtime.database.db.execute(sql`select settings from orgs where id = ${org.orgId}`),
      )[0];
      expect(JSON.stringify(stored)).not.toContain('top-secret');

      const c = await customer({ phone: '+7 916 765-43-21', locale: 'en' });
      const inv = await invite(c.id, 'sms');
      await runWorker();
      expect(requests).toHaveLength(1);
      const r = requests[0]!;
      expect(r.url).toBe('/send?to=%2B79167654321&from=FitPark');
      expect(r.headers['x-api-key']).toBe('top-secret');
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body).message).toMatch(/^FitPark: rate us 0-10 http:\/\/sarafan\.test\/s\//);
      expect(await messageOf(inv.id)).toMatchObject({ status: 'sent' });
    } finally {
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
    }
  });

  it('rejects invalid settings field by field', async () => {
    const r = await org.api('PUT', '/api/v1/settings/delivery', {
      quietHours: { start: '25:00', end: '09:00' },
      sms: { provider: 'http', url: 'not a url' },
    });
    expect(r.status).toBe(422);
    const body = (await r.json()) as { errors: { path: string }[] };
    const paths = body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('quietHours.start');
    expect(paths).toContain('sms.url');
  });
});

describe('who sees the outbox', () => {
  async function loginAs(role: string, unitIds: string[] = []) {
    const email = `${role}-${++n}@example.com`;
    const password = 'a long enough password';
    await expectJson(org.api('POST', '/api/v1/users', { email, password, role, unitIds }), 201);
    const login = await world.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    return (path: string, method = 'GET') => world.app.request(path, { method, headers: { cookie } });
  }

  it('analysts see masked recipients and no personal links; managers only their units; frontline nothing', async () => {
    const unitA = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201))
      .id;
    const unitB = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201))
      .id;
    const a = await customer({ email: 'arbat@example.com', homeUnitId: unitA });
    const b = await customer({ email: 'sokol@example.com', homeUnitId: unitB });
    const invA = await invite(a.id);
    await invite(b.id);
    await runWorker();

    const analyst = await loginAs('analyst');
    const list = await expectJson(analyst('/api/v1/outbox?limit=200'), 200);
    const row = list.items.find((m: { invitationId: string }) => m.invitationId === invA.id);
    expect(row.to).toBe('a***@example.com');
    expect(JSON.stringify(list)).not.toContain('arbat@example.com');
    const content = await expectJson(analyst(`/api/v1/outbox/${row.id}`), 200);
    // No content: it greets the customer by name and holds their personal link.
    expect([content.bodyText, content.bodyHtml]).toEqual(['', null]);
    expect((await analyst(`/api/v1/outbox/${row.id}/retry`, 'POST')).status).toBe(403);

    const manager = await loginAs('manager', [unitA]);
    const mine = await expectJson(manager('/api/v1/outbox?limit=200'), 200);
    expect(mine.items.map((m: { to: string }) => m.to)).toEqual(['arbat@example.com']);
    const other = list.items.find((m: { to: string }) => m.to === 's***@example.com');
    expect((await manager(`/api/v1/outbox/${other.id}`)).status).toBe(404);

    const frontline = await loginAs('frontline');
    expect((await frontline('/api/v1/outbox')).status).toBe(403);
  });
});

describe('quiet hours', () => {
  it('delays a message invited at night to the end of quiet hours', async () => {
    // 22:30 in Moscow.
    world.now = new Date('2026-11-22T19:30:00Z');
    const c = await customer({ email: 'night@example.com' });
    const inv = await invite(c.id);
    await runWorker();
    expect(await messageOf(inv.id)).toMatchObject({ status: 'queued' });
    const item = (await expectJson(org.api('GET', '/api/v1/outbox?status=queued'), 200)).items[0];
    expect(item.sendAfter).toBe('2026-11-23T06:00:00.000Z');
    world.now = new Date('2026-11-23T05:59:00Z');
    await runWorker();
    expect(mailsTo('night@example.com')).toHaveLength(0);
    world.now = new Date('2026-11-23T06:00:00Z');
    await runWorker();
    expect(mailsTo('night@example.com')).toHaveLength(1);
  });
});
