// Alerts end to end: loop events become bell notifications and alert e-mails (received by a real SMTP server in
// this process), by each person's language and preferences, exactly once even across a restart.
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { rowsOf } from '../src/db/index.js';
import { openRuntime } from '../src/http/runtime.js';
import { dispatchLoopEvents } from '../src/modules/alerts/index.js';
import { buildUser, insertLoopEvent, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let smtp: SMTPServer;
let smtpUrl: string;
const received: { mail: ParsedMail; rcpt: string[] }[] = [];
let unitId: string;
let frontline: TestUser;
let manager: TestUser;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
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
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?ignoreTLS=true`;
  world = await startWorld();
  world.runtime.delivery.configureSmtp(smtpUrl);
  org = await buildOrg(world, 'ФитПарк');
  unitId = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201)).id;
  frontline = await buildUser(world, org, { role: 'frontline', locale: 'en', unitIds: [unitId] });
  manager = await buildUser(world, org, { role: 'manager', locale: 'ru', unitIds: [unitId] });
});

afterAll(async () => {
  await world.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const mailsTo = (address: string) => received.filter((r) => r.rcpt.includes(address));

/** Moves the clock past the dispatch interval and runs the worker: dispatch, then the outbox sends. */
async function run() {
  world.advance(31_000);
  await world.runtime.worker.runDue(world.now);
}

function casePayload(extra: Record<string, unknown> = {}) {
  return {
    caseId: crypto.randomUUID(),
    caseNumber: 1042,
    score: 2,
    reason: 'Хамство администратора на ресепшен',
    unitId,
    unitName: 'Арбат',
    customerName: 'Анна С.',
    dueAt: '2026-11-22T10:00:00.000Z',
    level: 'frontline',
    url: 'http://sarafan.test/cases/abc',
    ...extra,
  };
}

async function notificationCount(userId: string) {
  const [row] = rowsOf<{ n: number }>(
    await world.runtime.database.db.execute(
      sql`select count(*)::int as n from notifications where user_id = ${userId}`,
    ),
  );
  return Number(row?.n ?? 0);
}

describe('dispatch', () => {
  it('e-mails the owner of a new case in English and the manager of an urgent one in Russian, and rings both bells', async () => {
    const p = casePayload();
    await insertLoopEvent(world, org.orgId, {
      kind: 'case.opened',
      recipients: [frontline.id],
      payload: p,
      caseId: p.caseId,
    });
    await insertLoopEvent(world, org.orgId, {
      kind: 'case.urgent',
      recipients: [manager.id],
      payload: p,
      caseId: p.caseId,
    });
    await run();

    const [en] = mailsTo(frontline.email);
    expect(en).toBeDefined();
    expect(en!.mail.subject).toBe('ФитПарк: New case #1042: a customer scored 2 — Арбат');
    const text = en!.mail.text ?? '';
    expect(text).toContain('Score: 2 / 10');
    expect(text).toContain('Reason: Хамство администратора на ресепшен');
    expect(text).toContain('Unit: Арбат');
    // 10:00 UTC is 13:00 in Moscow, the org's zone.
    expect(text).toMatch(/Due: 22 Nov 2026, 13:00/);
    expect(text).toContain('Open the case: http://sarafan.test/cases/abc');
    expect(String(en!.mail.html)).toContain('href="http://sarafan.test/cases/abc"');

    const [ru] = mailsTo(manager.email);
    expect(ru).toBeDefined();
    expect(ru!.mail.subject).toBe('ФитПарк: Срочно: очень недовольный клиент (2 из 10) — Арбат');
    expect(ru!.mail.text).toContain('Оценка: 2 / 10');
    expect(ru!.mail.text).toContain('Причина: Хамство администратора на ресепшен');
    expect(ru!.mail.text).toContain('Срок: 22 нояб. 2026 г., 13:00');
    expect(ru!.mail.text).toContain('Открыть обращение: http://sarafan.test/cases/abc');

    const bell = await expectJson(frontline.api('GET', '/api/v1/notifications?unread=true'), 200);
    expect(bell.unread).toBe(1);
    expect(bell.items[0]).toMatchObject({
      kind: 'case.opened',
      caseNumber: 1042,
      score: 2,
      unitName: 'Арбат',
    });
    expect(bell.items[0].title).toBe('New case #1042: a customer scored 2 — Арбат');
    const managerBell = await expectJson(manager.api('GET', '/api/v1/notifications'), 200);
    expect(managerBell.items[0].title).toMatch(/^Срочно/);
    // In the dashboard's language when it asks.
    const inEnglish = await expectJson(manager.api('GET', '/api/v1/notifications?lang=en'), 200);
    expect(inEnglish.items[0].title).toMatch(/^Urgent: a very unhappy customer/);
  });

  it('rings the bell only for an overdue case unless the person asked for e-mail too', async () => {
    const before = mailsTo(manager.email).length;
    await insertLoopEvent(world, org.orgId, {
      kind: 'case.overdue',
      recipients: [manager.id],
      payload: casePayload(),
    });
    await run();
    expect(mailsTo(manager.email)).toHaveLength(before);
    expect(await notificationCount(manager.id)).toBe(2);

    await expectJson(
      manager.api('PUT', '/api/v1/me/notification-prefs', { events: { 'case.overdue': { email: true } } }),
      200,
    );
    await insertLoopEvent(world, org.orgId, {
      kind: 'case.overdue',
      recipients: [manager.id],
      payload: casePayload(),
    });
    await run();
    expect(mailsTo(manager.email)).toHaveLength(before + 1);
    expect(mailsTo(manager.email).at(-1)!.mail.subject).toContain('Просрочено обращение №1042');
  });

  it('gives a muted person the bell only, and a disabled or deleted one nothing', async () => {
    const muted = await buildUser(world, org, { role: 'manager', unitIds: [unitId] });
    const disabled = await buildUser(world, org, { role: 'manager', unitIds: [unitId] });
    await expectJson(muted.api('PUT', '/api/v1/me/notification-prefs', { muted: true }), 200);
    await world.runtime.database.db.execute(
      sql`update users set disabled_at = ${world.now.toISOString()}::timestamptz where id = ${disabled.id}`,
    );
    const gone = crypto.randomUUID();
    await insertLoopEvent(world, org.orgId, {
      kind: 'case.urgent',
      recipients: [muted.id, disabled.id, gone],
      payload: casePayload(),
    });
    await run();
    expect(await notificationCount(muted.id)).toBe(1);
    expect(mailsTo(muted.email)).toHaveLength(0);
    expect(await notificationCount(disabled.id)).toBe(0);
    expect(mailsTo(disabled.email)).toHaveLength(0);
  });

  it('sends nothing twice: dispatched again, or after a restart on the same database', async () => {
    const owner = await buildUser(world, org, { role: 'frontline', locale: 'en', unitIds: [unitId] });
    const eventId = await insertLoopEvent(world, org.orgId, {
      kind: 'case.assigned',
      recipients: [owner.id],
      payload: casePayload(),
    });
    await dispatchLoopEvents(world.runtime.deps, world.now);
    // As if a second server had dispatched it too before seeing it marked.
    await world.runtime.database.db.execute(
      sql`update loop_events set dispatched_at = null where id = ${eventId}`,
    );
    await dispatchLoopEvents(world.runtime.deps, world.now);
    await run();
    expect(mailsTo(owner.email)).toHaveLength(1);
    expect(await notificationCount(owner.id)).toBe(1);

    // A second runtime on the same database (the server restarted): nothing goes out again.
    await world.runtime.database.db.execute(
      sql`update loop_events set dispatched_at = null where id = ${eventId}`,
    );
    const again = await openRuntime(
      readConfig({ DATA_DIR: world.runtime.deps.dataDir, PUBLIC_URL: 'http://sarafan.test' }),
      {
        database: world.runtime.database,
        log: pino({ level: 'silent' }),
        clock: () => world.now,
        webDir: null,
        startWorker: false,
      },
    );
    again.delivery.configureSmtp(smtpUrl);
    world.advance(60_000);
    await again.worker.runDue(world.now);
    await again.worker.stop();
    again.delivery.close();
    expect(mailsTo(owner.email)).toHaveLength(1);
    expect(await notificationCount(owner.id)).toBe(1);
    const [message] = rowsOf<{ n: number }>(
      await world.runtime.database.db.execute(
        sql`select count(*)::int as n from messages where dedupe_key = ${`alert:${eventId}:${owner.id}`}`,
      ),
    );
    expect(Number(message?.n)).toBe(1);
  });
});

describe('with the loop core', () => {
  it('alerts the front line and the unit’s manager when a very unhappy answer opens a case', async () => {
    const branch = (
      await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201)
    ).id;
    const owner = await buildUser(world, org, { role: 'frontline', locale: 'en', unitIds: [branch] });
    const boss = await buildUser(world, org, { role: 'manager', locale: 'ru', unitIds: [branch] });
    const surveyId = (
      await expectJson(
        org.api('POST', '/api/v1/surveys', {
          name: 'После визита',
          audience: 'customer',
          kind: 'transactional',
        }),
        201,
      )
    ).id;
    const customer = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: 'al-1', name: 'Ольга Смирнова' }),
      201,
    );
    const contact = await expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId: customer.id,
        unitId: branch,
        occurredAt: new Date(world.now.getTime() - 3_600_000).toISOString(),
      }),
      201,
    );
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contact.id] }),
      201,
    );
    const answered = await submitForm(world, items[0].url, {
      score: '1',
      reason: 'Тренер нахамил, больше не приду',
    });
    expect(answered.status).toBeLessThan(400);
    // The loop sweep opens the case and raises its events; dispatch sends them; the outbox delivers.
    await run();
    await run();
    const [opened] = mailsTo(owner.email);
    expect(opened?.mail.subject).toMatch(/^ФитПарк: New case #\d+: a customer scored 1 — Сокол$/);
    expect(opened?.mail.text).toContain('Reason: Тренер нахамил, больше не приду');
    expect(opened?.mail.text).toMatch(/Open the case: http:\/\/sarafan\.test\/.*cases\/[0-9a-f-]{36}/);
    const urgent = mailsTo(boss.email).find((m) => m.mail.subject?.includes('Срочно'));
    expect(urgent?.mail.subject).toBe('ФитПарк: Срочно: очень недовольный клиент (1 из 10) — Сокол');
    const bell = await expectJson(boss.api('GET', '/api/v1/notifications?unread=true'), 200);
    expect(bell.items.map((n: { kind: string }) => n.kind)).toContain('case.urgent');
    expect(bell.items[0].caseId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('notifications API', () => {
  it('reads one, then all, and never another person’s', async () => {
    const list = await expectJson(frontline.api('GET', '/api/v1/notifications'), 200);
    const id = list.items[0].id;
    await expectJson(manager.api('POST', `/api/v1/notifications/${id}/read`), 404);
    expect((await expectJson(frontline.api('POST', `/api/v1/notifications/${id}/read`), 200)).unread).toBe(0);
    const mine = await expectJson(manager.api('GET', '/api/v1/notifications?unread=true'), 200);
    expect(mine.unread).toBeGreaterThan(0);
    const all = await expectJson(manager.api('POST', '/api/v1/notifications/read-all'), 200);
    expect(all.unread).toBe(0);
    expect(
      (await expectJson(manager.api('GET', '/api/v1/notifications?unread=true'), 200)).items,
    ).toHaveLength(0);
  });

  it('keeps preferences and refuses a bad time, weekday or time zone with the field named', async () => {
    const saved = await expectJson(
      manager.api('PUT', '/api/v1/me/notification-prefs', {
        digest: { daily: false, at: '07:30', timeZone: 'Asia/Yekaterinburg' },
      }),
      200,
    );
    expect(saved.digest).toMatchObject({
      daily: false,
      weekly: false,
      at: '07:30',
      weekday: 1,
      timeZone: 'Asia/Yekaterinburg',
    });
    expect((await expectJson(manager.api('GET', '/api/v1/me/notification-prefs'), 200)).digest.at).toBe(
      '07:30',
    );
    for (const [body, path] of [
      [{ digest: { at: '25:00' } }, 'digest.at'],
      [{ digest: { weekday: 8 } }, 'digest.weekday'],
      [{ digest: { timeZone: 'Mars/Olympus' } }, 'digest.timeZone'],
      [{ events: { 'case.nonsense': { email: true } } }, 'events'],
    ] as const) {
      const problem = await expectJson(manager.api('PUT', '/api/v1/me/notification-prefs', body), 422);
      expect(problem.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    }
  });
});
