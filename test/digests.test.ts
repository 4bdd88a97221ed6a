// Digests end to end: answers and cases over five weeks, then the daily digest for a middle manager and the weekly
// one for top management arrive at a real SMTP server at each person's local time, once per period.
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { rowsOf } from '../src/db/index.js';
import { npsChange } from '../src/domain/nps-change.js';
import { openRuntime } from '../src/http/runtime.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let smtp: SMTPServer;
let smtpUrl: string;
const received: { mail: ParsedMail; rcpt: string[] }[] = [];
let unitId: string;
let otherUnitId: string;
let surveyId: string;
let manager: TestUser;
let admin: TestUser;
let frontline: TestUser;
let earlyBird: TestUser;
let muted: TestUser;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let n = 0;
/** A customer with a visit (revenue) answers the survey now, through the survey link. */
async function answer(score: number, reason: string, unit = unitId, amountMinor = 100_000) {
  const customer = await expectJson(
    org.api('POST', '/api/v1/customers', { externalId: `dg-${++n}`, name: `Клиент ${n}` }),
    201,
  );
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: customer.id,
      unitId: unit,
      amountMinor,
      occurredAt: new Date(world.now.getTime() - HOUR).toISOString(),
    }),
    201,
  );
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contact.id] }),
    201,
  );
  const r = await submitForm(world, items[0].url, { score: String(score), reason });
  expect(r.status).toBeLessThan(400);
  return customer.id as string;
}

/** Cases as the loop core opens them (idempotent by response), so the digest has new and overdue cases. */
async function openCasesForDetractors(dueInMs: number) {
  await world.runtime.database.db.execute(sql`
    insert into cases (org_id, number, response_id, survey_id, customer_id, unit_id, rule_id, score, status, level, due_at, created_at)
    select r.org_id, 1000 + row_number() over (order by r.answered_at) + (select count(*) from cases c where c.org_id = r.org_id),
           r.id, r.survey_id, r.customer_id, r.unit_id, 'detractor', r.score, 'new', 'frontline',
           r.answered_at + ${`${dueInMs} milliseconds`}::interval, r.answered_at
      from responses r
     where r.org_id = ${org.orgId} and r.score <= 6
       and not exists (select 1 from cases c where c.org_id = r.org_id and c.response_id = r.id)`);
}

const digestsTo = (u: { email: string }) =>
  received.filter(
    (r) => r.rcpt.includes(u.email) && /сводка|digest|итоги недели|the week/.test(r.mail.subject ?? ''),
  );

async function runAt(iso: string) {
  world.now = new Date(iso);
  await world.runtime.worker.runDue(world.now);
}

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
  // Monday 26 October 2026, 10:00 in Moscow (the org's zone, UTC+3).
  world = await startWorld({ start: new Date('2026-10-26T07:00:00Z') });
  world.runtime.delivery.configureSmtp(smtpUrl);
  org = await buildOrg(world, 'ФитПарк');
  unitId = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201)).id;
  otherUnitId = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201))
    .id;
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
  manager = await buildUser(world, org, { role: 'manager', locale: 'ru', unitIds: [unitId] });
  admin = await buildUser(world, org, { role: 'admin', locale: 'en' });
  frontline = await buildUser(world, org, { role: 'frontline', locale: 'ru', unitIds: [unitId] });
  earlyBird = await buildUser(world, org, { role: 'manager', locale: 'en', unitIds: [unitId] });
  muted = await buildUser(world, org, { role: 'manager', locale: 'ru', unitIds: [unitId] });
  await expectJson(
    earlyBird.api('PUT', '/api/v1/me/notification-prefs', {
      digest: { at: '07:30', timeZone: 'Asia/Yekaterinburg' },
    }),
    200,
  );
  await expectJson(muted.api('PUT', '/api/v1/me/notification-prefs', { muted: true }), 200);

  // The baseline, 26 Oct – 22 Nov: 10 promoters, 6 passives, 4 detractors (NPS 30), one answer a day or so.
  const baseline = [...Array(10).fill(10), ...Array(6).fill(8), ...Array(4).fill(5)] as number[];
  for (const score of baseline) {
    await answer(
      score,
      score >= 9 ? 'Отличные тренеры' : score >= 7 ? 'Хотелось бы больше тренажёров' : 'Грязная раздевалка',
    );
    world.advance(DAY + HOUR);
  }
  // Last week, 23–29 Nov: 4 promoters, 4 passives, 12 detractors (NPS −40); one detractor in the other branch.
  world.now = new Date('2026-11-23T08:00:00Z');
  const week: [number, string][] = [
    ...Array.from({ length: 4 }, () => [10, 'Отличный зал'] as [number, string]),
    ...Array.from(
      { length: 4 },
      () => [7, 'Хотелось бы больше тренажёров и длиннее часы работы'] as [number, string],
    ),
    ...Array.from({ length: 6 }, () => [2, 'Грязная раздевалка, душ не работает'] as [number, string]),
    ...Array.from({ length: 5 }, () => [4, 'Грубый администратор, грязно в раздевалке'] as [number, string]),
  ];
  for (const [score, reason] of week) {
    await answer(score, reason);
    world.advance(8 * HOUR);
  }
  await answer(0, 'Хамство на ресепшен', otherUnitId, 500_000);
  // Sunday 29 Nov: one more detractor (a new case yesterday for Monday's daily digest).
  world.now = new Date('2026-11-29T12:00:00Z');
  await answer(3, 'Сломан тренажёр');
  await openCasesForDetractors(2 * DAY);
}, 300_000);

afterAll(async () => {
  await world.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('digests', () => {
  it('sends nothing before the person’s local time', async () => {
    // Monday 30 Nov, 08:59 in Moscow.
    await runAt('2026-11-30T05:59:00Z');
    expect(digestsTo(manager)).toHaveLength(0);
    expect(digestsTo(admin)).toHaveLength(0);
  });

  it('sends the daily digest to a middle manager at 09:00 local, in Russian, about their units only', async () => {
    await runAt('2026-11-30T06:00:30Z');
    const [daily] = digestsTo(manager);
    expect(daily).toBeDefined();
    expect(daily!.mail.subject).toBe('ФитПарк: сводка за 2026-11-29');
    const text = daily!.mail.text ?? '';
    const [counts] = rowsOf<{ fresh: number; overdue: number }>(
      await world.runtime.database.db.execute(sql`
        select count(*) filter (where created_at >= '2026-11-28T21:00:00Z' and created_at < '2026-11-29T21:00:00Z')::int as fresh,
               count(*) filter (where status in ('new','in_progress','contacted') and due_at < ${world.now.toISOString()}::timestamptz)::int as overdue
          from cases where org_id = ${org.orgId} and unit_id = ${unitId}`),
    );
    expect(counts!.fresh).toBeGreaterThan(0);
    expect(text).toContain(`Новые обращения за вчера: ${counts!.fresh}`);
    expect(text).toContain(`Просроченные обращения: ${counts!.overdue}`);
    expect(text).toMatch(/№\d+: оценка 3(, срочно)?, Арбат/);
    expect(text).toMatch(/NPS вчера: -100 \(±\d+, \d+ ответ(а|ов)?, мало ответов\)/);
    expect(text).toMatch(/NPS за 7 дней \(2026-11-23 — 2026-11-29\): -4\d/);
    expect(text).toContain('«Сломан тренажёр»');
    // The other branch is not theirs.
    expect(text).not.toContain('Сокол');
    expect(text).not.toContain('Хамство на ресепшен');
    expect(String(daily!.mail.html)).toContain('<h1');
    // Not for front-line staff (no digest by default), nor for a muted manager.
    expect(digestsTo(frontline)).toHaveLength(0);
    expect(digestsTo(muted)).toHaveLength(0);
  });

  it('sends the weekly digest to top management on Monday: NPS against the 4 weeks before, significance, money at risk, complaints and wishes', async () => {
    const [weekly] = digestsTo(admin);
    expect(weekly).toBeDefined();
    expect(weekly!.mail.subject).toBe('ФитПарк: the week 2026-11-23 – 2026-11-29');
    const text = weekly!.mail.text ?? '';
    // The whole org: 21 answers last week (4 P, 4 passives, 13 D) → NPS −43; baseline 20 (10, 6, 4) → 30.
    const change = npsChange(
      { promoters: 4, passives: 4, detractors: 13 },
      { promoters: 10, passives: 6, detractors: 4 },
    )!;
    expect(change.significant).toBe(true);
    expect(text).toMatch(/NPS for the week 2026-11-23 – 2026-11-29: -43 \(±\d+, 21 answers, small sample\)/);
    expect(text).toMatch(/the 4 weeks before \(2026-10-26 – 2026-11-22\): 30 \(±\d+, 20 answers/);
    expect(text).toContain(
      `Change: -73 — statistically significant (p < 0.05) (z = ${change.z.toFixed(2)}, p = ${change.pValue.toFixed(3)})`,
    );
    // 12 detractors at 1,000 RUB and one at 5,000 RUB over the last 12 months.
    expect(text).toMatch(/Money at risk\n\s+• RUB\s17,000 — 13 customers/);
    expect(text).toMatch(/Overdue cases by unit: \d+/);
    expect(text).toMatch(/Арбат — \d+/);
    expect(text).toMatch(
      /Most frequent in complaints \(scores 0–6\)\n\s+• грязная — 11\n\s+• раздевалка — 11\n\s+• душ — 6/,
    );
    expect(text).toMatch(/Most frequent in wishes \(scores 7–8\)\n(\s+• .+\n)*\s+• тренажеров — 4/);
    // The owner (Russian) gets it too; the manager does not.
    expect(
      received.filter((r) => r.rcpt.includes(org.email) && r.mail.subject?.includes('итоги недели')),
    ).toHaveLength(1);
    expect(digestsTo(manager)).toHaveLength(1);
  });

  it('sends each digest once per period, even after a restart on the same database', async () => {
    await runAt('2026-11-30T09:00:00Z');
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
    world.advance(2 * HOUR);
    await again.worker.runDue(world.now);
    await again.worker.stop();
    again.delivery.close();
    expect(digestsTo(manager)).toHaveLength(1);
    expect(digestsTo(admin)).toHaveLength(1);
    // The next day's goes out at the next 09:00; the weekly one waits for next Monday.
    await runAt('2026-12-01T06:00:30Z');
    expect(digestsTo(manager)).toHaveLength(2);
    expect(digestsTo(manager)[1]!.mail.subject).toBe('ФитПарк: сводка за 2026-11-30');
    expect(digestsTo(admin)).toHaveLength(1);
  });

  it('follows the person’s own time and zone, and sends nothing once a digest is turned off', async () => {
    // 07:30 in Yekaterinburg (UTC+5) is 02:30 UTC: the early bird's daily comes then, already sent on Monday.
    const before = digestsTo(earlyBird).length;
    expect(before).toBe(2);
    await runAt('2026-12-02T02:29:00Z');
    expect(digestsTo(earlyBird)).toHaveLength(before);
    await runAt('2026-12-02T02:30:30Z');
    expect(digestsTo(earlyBird)).toHaveLength(before + 1);
    expect(digestsTo(earlyBird).at(-1)!.mail.subject).toBe('ФитПарк: digest for 2026-12-01');

    await expectJson(admin.api('PUT', '/api/v1/me/notification-prefs', { digest: { weekly: false } }), 200);
    await runAt('2026-12-07T07:00:00Z');
    expect(digestsTo(admin)).toHaveLength(1);
    expect(digestsTo(muted)).toHaveLength(0);
  });

  it('previews the signed-in person’s digest as HTML', async () => {
    const r = await admin.api('GET', '/api/v1/digests/preview?kind=weekly');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    const html = await r.text();
    expect(html).toContain('<h1');
    expect(html).toContain('NPS for the week');
    const ru = await (await manager.api('GET', '/api/v1/digests/preview?kind=daily')).text();
    expect(ru).toContain('Просроченные обращения');
    const bad = await expectJson(manager.api('GET', '/api/v1/digests/preview?kind=monthly'), 422);
    expect(bad.errors[0].path).toBe('kind');
  });
});
