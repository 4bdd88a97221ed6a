// The closed loop through the HTTP API with a controllable clock: answers open cases for the right people,
// deadlines escalate once, amendments and re-surveys land on the case, and every role sees only its own.
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { rowsOf } from '../src/db/index.js';
import { openRuntime } from '../src/http/runtime.js';
import { invitationToken } from '../src/modules/invitations/index.js';
import { LOOP_INBOX_INTERVAL_MS, runLoopSweep } from '../src/modules/loop/index.js';
import {
  bodyOf,
  buildOrg,
  expectJson,
  startWorld,
  submitForm,
  type TestOrg,
  type World,
} from './support/world.js';

const HOUR = 3_600_000;
let world: World;
let org: TestOrg;
let region: string;
let branchA: string;
let branchB: string;
let surveyId: string;
let enpsId: string;
let trainer: string;
const users: Record<string, { id: string; email: string; cookie: string; seenAt?: number }> = {};
let ownerId: string;

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the database answered
const query = async <T = any>(q: ReturnType<typeof sql>) =>
  rowsOf<T>(await world.runtime.database.db.execute(q));

async function createUser(name: string, role: string, unitIds: string[]) {
  const email = `${name}@fitpark.test`;
  const password = 'correct horse battery';
  const user = await expectJson(
    org.api('POST', '/api/v1/users', { email, password, name, role, unitIds }),
    201,
  );
  users[name] = { id: user.id, email, cookie: await signIn(email), seenAt: world.now.getTime() };
  return user.id as string;
}

async function signIn(email: string): Promise<string> {
  const login = await world.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
  });
  expect(login.status).toBe(200);
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/**
 * A request as a logged-in user (the dashboard's session cookie). The clock here jumps hours and days, past the
 * session's 30 idle minutes, so the person signs in again when their session has ended — as they would.
 */
async function as(name: string, method: string, path: string, body?: unknown) {
  const user = users[name]!;
  if (world.now.getTime() - (user.seenAt ?? 0) > 25 * 60_000) user.cookie = await signIn(user.email);
  user.seenAt = world.now.getTime();
  return world.app.request(path, {
    method,
    headers: {
      cookie: user.cookie,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let customerCounter = 0;
/** A customer with a visit to `unitId` and an e-mail invitation after it; returns the survey link. */
async function invitedCustomer(unitId: string, employeeId: string | null = null, amountMinor = 100_000) {
  const n = ++customerCounter;
  const customer = await expectJson(
    org.api('POST', '/api/v1/customers', {
      externalId: `cust-${n}`,
      name: `Клиент${n} Петров`,
      email: `client${n}@mail.test`,
      phone: '+7 916 123-45-67',
    }),
    201,
  );
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: customer.id,
      unitId,
      ...(employeeId ? { employeeId } : {}),
      service: 'Тренировка',
      amountMinor,
      occurredAt: new Date(world.now.getTime() - HOUR).toISOString(),
    }),
    201,
  );
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contact.id], channel: 'link' }),
    201,
  );
  return { customerId: customer.id as string, url: items[0].url as string };
}

async function answer(score: number, reason: string, unitId = branchA, employeeId: string | null = null) {
  const { url, customerId } = await invitedCustomer(unitId, employeeId);
  expect((await submitForm(world, url, { score: String(score), reason })).status).toBe(303);
  await tick();
  const [c] =
    await query(sql`select c.id from cases c join responses r on r.org_id = c.org_id and r.id = c.response_id
    where r.customer_id = ${customerId}`);
  return { url, customerId, caseId: (c?.id ?? null) as string | null };
}

/** Lets the loop's periodic tasks run: a few seconds on, then every due task and job. */
async function tick() {
  world.advance(LOOP_INBOX_INTERVAL_MS);
  await world.runtime.worker.runDue(world.now);
}

const eventsOf = (caseId: string) =>
  query<{ kind: string; recipients: string[]; payload: Record<string, unknown> }>(
    sql`select kind, recipients, payload from loop_events where case_id = ${caseId} order by seq`,
  );

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'ФитПарк');
  const company = await expectJson(
    org.api('POST', '/api/v1/units', { name: 'ФитПарк', kind: 'company' }),
    201,
  );
  region = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Москва', kind: 'region', parentId: company.id }),
      201,
    )
  ).id;
  branchA = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch', parentId: region }),
      201,
    )
  ).id;
  branchB = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch', parentId: region }),
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
  enpsId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'eNPS', audience: 'employee', kind: 'relationship' }),
      201,
    )
  ).id;
  trainer = (
    await expectJson(
      org.api('POST', '/api/v1/employees', { unitId: branchA, name: 'Ирина Тренер', position: 'тренер' }),
      201,
    )
  ).id;
  // A webhook endpoint that takes every event: the loop keeps only the events someone takes, and these tests read
  // them all. Port 9 refuses at once, so its deliveries fail quietly and wait for their retries.
  await expectJson(
    org.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/all', events: [], allowPrivate: true }),
    201,
  );
  await createUser('anna', 'frontline', [branchA]); // the front desk of Arbat
  await createUser('boris', 'frontline', [branchB]);
  await createUser('irina', 'frontline', []); // the trainer's own login
  await createUser('maria', 'manager', [branchA]); // Arbat's manager
  await createUser('roman', 'manager', [region]); // the regional manager
  await query(sql`update employees set user_id = ${users.irina!.id} where id = ${trainer}`);
  ownerId = (await query(sql`select id from users where org_id = ${org.orgId} and role = 'owner'`))[0].id;
});

afterAll(async () => {
  await world.close();
});

describe('opening cases', () => {
  it('opens a case for the front line of the unit, due in 48 hours, and tells its owner', async () => {
    const { caseId } = await answer(5, 'Долго ждал у стойки');
    expect(caseId).not.toBeNull();
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({
      status: 'new',
      level: 'frontline',
      urgent: false,
      score: 5,
      ruleId: 'detractor',
      owner: { id: users.anna!.id, name: 'anna' },
      unit: { id: branchA, name: 'Арбат' },
      overdue: false,
      escalationStep: 0,
    });
    expect(new Date(c.dueAt).getTime() - new Date(c.answeredAt).getTime()).toBe(48 * HOUR);
    expect(c.customer.email).toMatch(/@mail\.test$/);
    expect(c.answer).toMatchObject({ score: 5, reason: 'Долго ждал у стойки', surveyName: 'После визита' });
    expect(c.history.contacts[0]).toMatchObject({
      unitName: 'Арбат',
      service: 'Тренировка',
      amountMinor: 100_000,
    });
    expect(c.events.map((e: { kind: string }) => e.kind)).toEqual(['opened']);
    const events = await eventsOf(caseId!);
    expect(events.map((e) => e.kind)).toEqual(['case.opened', 'response.detractor']);
    expect(events[0]!.recipients).toEqual([users.anna!.id]);
    expect(events[0]!.payload).toMatchObject({ caseNumber: c.number, unitName: 'Арбат', score: 5 });
    expect(events[0]!.payload.customerName).toMatch(/^Клиент\d+ П\.$/);
    expect(events[1]!.recipients).toEqual([]);
  });

  it('gives the case to the employee’s own login when the answer names them', async () => {
    const { caseId } = await answer(6, 'Тренер опоздал', branchA, trainer);
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c.owner.id).toBe(users.irina!.id);
    expect(c.employee).toEqual({ id: trainer, name: 'Ирина Тренер' });
  });

  it('opens an urgent case on a 2 and alerts the unit’s nearest middle manager at once', async () => {
    const { caseId } = await answer(2, 'Ужасно');
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ urgent: true, ruleId: 'very-unhappy' });
    const urgent = (await eventsOf(caseId!)).find((e) => e.kind === 'case.urgent');
    expect(urgent?.recipients).toEqual([users.maria!.id]);
  });

  it('opens an urgent case for alarm words in any form', async () => {
    const { caseId } = await answer(6, 'Напишу жалобу в Роспотребнадзор');
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ urgent: true, ruleId: 'alert-words' });
  });

  it('opens nothing for an employee (eNPS) answer', async () => {
    const employee = await expectJson(
      org.api('POST', '/api/v1/employees', { unitId: branchA, name: 'Сотрудник' }),
      201,
    );
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${enpsId}/invitations`, { employeeIds: [employee.id] }),
      201,
    );
    const before = (await query(sql`select count(*)::int as n from cases`))[0].n;
    expect(
      (await submitForm(world, items[0].url, { score: '0', reason: 'Начальник — хамство' })).status,
    ).toBe(303);
    await tick();
    expect((await query(sql`select count(*)::int as n from cases`))[0].n).toBe(before);
  });

  it('sends promoters and passives the messages the playbook gives them', async () => {
    const current = await expectJson(org.api('GET', '/api/v1/playbook'), 200);
    expect(current).toMatchObject({ version: 0, isDefault: true });
    const playbook = structuredClone(current.playbook);
    for (const rule of playbook.rules)
      if (rule.id === 'promoter' || rule.id === 'passive') rule.enabled = true;
    playbook.rules.find((r: { id: string }) => r.id === 'promoter').actions[0].url =
      'https://fitpark.test/friend';
    const saved = await expectJson(org.api('PUT', '/api/v1/playbook', { playbook, version: 0 }), 200);
    expect(saved).toMatchObject({ version: 1, isDefault: false });

    const promoter = await answer(10, 'Лучший клуб');
    const passive = await answer(8, 'Нормально');
    expect(promoter.caseId).toBeNull();
    expect(passive.caseId).toBeNull();
    const sent = await query<{ kind: string; body_text: string; customer: string }>(
      sql`select kind, body_text from messages where kind like 'loop.%' order by created_at, kind`,
    );
    expect(sent.map((m) => m.kind)).toEqual(['loop.referral', 'loop.offer']);
    expect(sent[0]!.body_text).toContain('https://fitpark.test/friend');
    expect(sent[0]!.body_text).toContain('Приведите друга');
    const kinds = await query(
      sql`select kind from loop_events where kind like 'response.%' and case_id is null order by seq`,
    );
    expect(kinds.slice(-2).map((k) => k.kind)).toEqual(['response.promoter', 'response.passive']);
  });
});

describe('deadlines and escalation', () => {
  it('escalates an overdue case once to the middle manager, later to the top, never twice', async () => {
    const { caseId } = await answer(4, 'Грязно в раздевалке');
    world.advance(47 * HOUR);
    await tick();
    expect((await eventsOf(caseId!)).map((e) => e.kind)).not.toContain('case.overdue');

    world.advance(HOUR + 60_000); // past the 48 h deadline; toMiddleAfterHours = 0
    await tick();
    let c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({
      overdue: true,
      escalationStep: 1,
      level: 'middle',
      owner: { id: users.maria!.id },
    });
    let kinds = (await eventsOf(caseId!)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'case.overdue')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'case.escalated')).toHaveLength(1);
    const escalated = (await eventsOf(caseId!)).find((e) => e.kind === 'case.escalated');
    expect(escalated).toMatchObject({ recipients: [users.maria!.id], payload: { step: 1 } });

    world.advance(24 * HOUR); // toTopAfterHours = 24
    await tick();
    c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ escalationStep: 2, level: 'top', owner: { id: ownerId } });

    // The sweep again, and a "restarted" server on the same database: nothing more happens.
    await runLoopSweep(world.runtime.deps, world.now);
    const restarted = await openRuntime(readConfig({ DATA_DIR: '/tmp', PUBLIC_URL: 'http://sarafan.test' }), {
      database: world.runtime.database,
      log: pino({ level: 'silent' }),
      clock: () => world.now,
      webDir: null,
      startWorker: false,
    });
    await restarted.worker.runDue(world.now);
    await restarted.worker.stop();
    kinds = (await eventsOf(caseId!)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'case.overdue')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'case.escalated')).toHaveLength(2);
    const timeline = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(timeline.events.filter((e: { kind: string }) => e.kind === 'escalated')).toHaveLength(2);
  });

  it('gives the cases of a deleted owner to the next person up', async () => {
    const gone = await createUser('temp', 'frontline', [branchB]);
    // Boris and Temp both cover Sokol; Boris is older, so he gets it first — disable him, then delete Temp.
    await query(sql`update users set disabled_at = now() where id = ${users.boris!.id}`);
    const { caseId } = await answer(3, 'Сломан тренажёр', branchB);
    let c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c.owner.id).toBe(gone);
    await query(sql`delete from users where id = ${gone}`);
    world.advance(61_000);
    await tick();
    c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    // No front line left at Sokol: its nearest manager is the regional one.
    expect(c.owner.id).toBe(users.roman!.id);
    expect(c.events.map((e: { kind: string }) => e.kind)).toContain('assigned');

    // Already with the middle level: when overdue it does not go "up" to the same manager, then goes to the top.
    world.advance(48 * HOUR);
    await tick();
    c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ escalationStep: 1, owner: { id: users.roman!.id }, overdue: true });
    expect((await eventsOf(caseId!)).filter((e) => e.kind === 'case.escalated')).toEqual([]);
    world.advance(24 * HOUR);
    await tick();
    c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ escalationStep: 2, level: 'top', owner: { id: ownerId } });
    await query(sql`update users set disabled_at = null where id = ${users.boris!.id}`);
  });
});

describe('working a case', () => {
  it('logs attempts and moves forward only, with clear refusals', async () => {
    const { caseId } = await answer(5, 'Не перезвонили');
    const attempt = await expectJson(
      as('anna', 'POST', `/api/v1/cases/${caseId}/attempts`, {
        channel: 'phone',
        outcome: 'callback',
        callbackAt: new Date(world.now.getTime() + 2 * HOUR).toISOString(),
      }),
      201,
    );
    expect(attempt).toMatchObject({ status: 'in_progress', callbackAt: expect.any(String) });
    const today = await expectJson(as('anna', 'GET', '/api/v1/cases/today'), 200);
    expect(today.items.map((i: { id: string }) => i.id)).toContain(caseId);
    expect(today.items.find((i: { id: string }) => i.id === caseId).customer.phone).toBeTruthy();

    const reached = await expectJson(
      as('anna', 'POST', `/api/v1/cases/${caseId}/attempts`, {
        channel: 'phone',
        outcome: 'reached',
        note: 'Извинились',
      }),
      201,
    );
    expect(reached).toMatchObject({
      status: 'contacted',
      firstContactAt: world.now.toISOString(),
      callbackAt: null,
    });

    const back = await as('anna', 'PATCH', `/api/v1/cases/${caseId}`, { status: 'new' });
    expect(back.status).toBe(409);
    expect((await bodyOf(back)).detail).toMatch(/cannot go from contacted back to new/);
    const badCause = await as('anna', 'PATCH', `/api/v1/cases/${caseId}`, { rootCause: 'aliens' });
    expect(badCause.status).toBe(422);
    expect((await bodyOf(badCause)).errors[0].path).toBe('rootCause');
    expect(
      (
        await as('anna', 'POST', `/api/v1/cases/${caseId}/attempts`, {
          channel: 'phone',
          outcome: 'callback',
        })
      ).status,
    ).toBe(422);

    const resolved = await expectJson(
      as('anna', 'PATCH', `/api/v1/cases/${caseId}`, {
        status: 'resolved',
        rootCause: 'service',
        actionTaken: 'Бесплатная тренировка',
        actionCostMinor: 150_000,
        outcome: 'Клиент доволен',
      }),
      200,
    );
    expect(resolved).toMatchObject({
      status: 'resolved',
      closedAt: world.now.toISOString(),
      actionCostMinor: 150_000,
    });
    expect((await as('anna', 'PATCH', `/api/v1/cases/${caseId}`, { status: 'in_progress' })).status).toBe(
      403,
    );
    await expectJson(
      as('anna', 'POST', `/api/v1/cases/${caseId}/notes`, { text: 'Позвонить через неделю' }),
      201,
    );
    const kinds = (await eventsOf(caseId!)).map((e) => e.kind);
    expect(kinds).toContain('case.resolved');
  });

  it('keeps a case when its detractor amends to a 10, and opens one when a passive amends to a 2', async () => {
    const first = await answer(4, 'Плохо');
    world.advance(HOUR);
    expect(
      (await submitForm(world, first.url, { score: '10', reason: 'Перезвонили, всё решили' })).status,
    ).toBe(303);
    await tick();
    const c = await expectJson(org.api('GET', `/api/v1/cases/${first.caseId}`), 200);
    expect(c.status).toBe('new');
    const amended = c.events.find((e: { kind: string }) => e.kind === 'amended');
    expect(amended.data).toMatchObject({ score: 10, openedScore: 4, segment: 'promoter' });
    expect(amended.data.note).toMatch(/promoter/);

    const second = await answer(7, 'Так себе');
    expect(second.caseId).toBeNull();
    expect((await submitForm(world, second.url, { score: '2', reason: 'Передумал' })).status).toBe(303);
    await tick();
    const [opened] =
      await query(sql`select c.score, c.urgent from cases c join responses r on r.org_id = c.org_id
      and r.id = c.response_id where r.customer_id = ${second.customerId}`);
    expect(opened).toMatchObject({ score: 2, urgent: true });
  });

  it('asks the customer again after resolution and records the new score on the case', async () => {
    const { caseId } = await answer(3, 'Отменили тренировку');
    await expectJson(
      as('anna', 'PATCH', `/api/v1/cases/${caseId}`, { status: 'resolved', rootCause: 'schedule' }),
      200,
    );
    world.advance(7 * 24 * HOUR + 61_000);
    await tick();
    const [row] = await query(sql`select resurvey_invitation_id from cases where id = ${caseId}`);
    expect(row.resurvey_invitation_id).toBeTruthy();
    const [invitation] = await query(
      sql`select channel from invitations where id = ${row.resurvey_invitation_id}`,
    );
    expect(invitation.channel).toBe('email');
    const [message] = await query(
      sql`select kind from messages where invitation_id = ${row.resurvey_invitation_id}`,
    );
    expect(message.kind).toBe('invitation');

    const token = invitationToken(world.runtime.deps.vault, org.orgId, row.resurvey_invitation_id);
    expect(
      (await submitForm(world, `http://sarafan.test/s/${token}`, { score: '9', reason: 'Исправились' }))
        .status,
    ).toBe(303);
    await tick();
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(c).toMatchObject({ resurveyScore: 9, status: 'resolved' });
    expect(c.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['resurvey_sent', 'resurvey_answered']),
    );
    expect((await eventsOf(caseId!)).map((e) => e.kind)).toContain('resurvey.answered');
    // The re-survey answer opened no case of its own.
    expect(
      (
        await query(sql`select count(*)::int as n from cases where response_id in
      (select id from responses where invitation_id = ${row.resurvey_invitation_id})`)
      )[0].n,
    ).toBe(0);
    // Asking by hand again: refused, it was asked.
    expect((await as('maria', 'POST', `/api/v1/cases/${caseId}/resurvey`)).status).toBe(409);
  });
});

describe('asking again by hand', () => {
  it('sends the re-survey at once when a manager asks, and only for a resolved case', async () => {
    const { caseId } = await answer(1, 'Украли вещи из шкафчика');
    expect((await as('maria', 'POST', `/api/v1/cases/${caseId}/resurvey`)).status).toBe(409);
    await expectJson(as('maria', 'PATCH', `/api/v1/cases/${caseId}`, { status: 'resolved' }), 200);
    await expectJson(as('maria', 'POST', `/api/v1/cases/${caseId}/resurvey`), 201);
    const [row] = await query(sql`select resurvey_invitation_id from cases where id = ${caseId}`);
    const [message] = await query(
      sql`select kind, status from messages where invitation_id = ${row.resurvey_invitation_id}`,
    );
    expect(message).toMatchObject({ kind: 'invitation' });
    const c = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    const sent = c.events.find((e: { kind: string }) => e.kind === 'resurvey_sent');
    expect(sent).toMatchObject({ actor: { id: users.maria!.id }, data: { sent: true, channel: 'email' } });
  });
});

describe('who sees what', () => {
  it('shows front-line users only their own cases and managers their units', async () => {
    const mine = await expectJson(as('anna', 'GET', '/api/v1/cases?limit=1000'), 200);
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c: { owner: { id: string } }) => c.owner?.id === users.anna!.id)).toBe(true);
    const sokol = await expectJson(org.api('GET', `/api/v1/cases?unitId=${branchB}`), 200);
    const someone = sokol.items[0].id;
    expect((await as('anna', 'GET', `/api/v1/cases/${someone}`)).status).toBe(404);
    const managed = await expectJson(as('maria', 'GET', '/api/v1/cases?limit=1000'), 200);
    expect(managed.items.every((c: { unit: { id: string } }) => c.unit?.id === branchA)).toBe(true);
    const overdue = await expectJson(org.api('GET', '/api/v1/cases?overdue=true&status=open'), 200);
    expect(overdue.items.every((c: { overdue: boolean }) => c.overdue)).toBe(true);
  });

  it('answers 404 to another organisation’s key', async () => {
    const other = await buildOrg(world, 'Чужой клуб');
    const { items } = await expectJson(org.api('GET', '/api/v1/cases?limit=1'), 200);
    expect((await other.api('GET', `/api/v1/cases/${items[0].id}`)).status).toBe(404);
    expect((await other.api('PATCH', `/api/v1/cases/${items[0].id}`, { status: 'resolved' })).status).toBe(
      404,
    );
    expect((await expectJson(other.api('GET', '/api/v1/cases'), 200)).items).toEqual([]);
  });
});

describe('the playbook', () => {
  it('refuses playbooks that cannot work, naming each field, and stale versions', async () => {
    const { playbook, version } = await expectJson(org.api('GET', '/api/v1/playbook'), 200);
    const bad = structuredClone(playbook);
    bad.rules[0].match = { scoreMin: 7, scoreMax: 3 };
    bad.rules[1].match = { unitIds: ['00000000-0000-4000-8000-000000000000'], surveyIds: [enpsId] };
    bad.rules[2].actions = [];
    bad.calendar = { ...bad.calendar, enabled: true, workdays: [] };
    const r = await org.api('PUT', '/api/v1/playbook', { playbook: bad, version });
    expect(r.status).toBe(422);
    const paths = (await bodyOf(r)).errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'playbook.rules.0.match.scoreMin',
        'playbook.rules.2.actions',
        'playbook.calendar.workdays',
        'playbook.rules.1.match.surveyIds.0',
        'playbook.rules.1.match.unitIds.0',
      ]),
    );
    const negative = structuredClone(playbook);
    negative.rules[0].actions[0].dueHours = -5;
    const n = await org.api('PUT', '/api/v1/playbook', { playbook: negative, version });
    expect(n.status).toBe(422);
    expect((await bodyOf(n)).errors[0].path).toMatch(/^playbook\.rules\.0\.actions\.0/);
    expect((await org.api('PUT', '/api/v1/playbook', { playbook, version: version - 1 })).status).toBe(409);
    expect((await as('maria', 'PUT', '/api/v1/playbook', { playbook, version })).status).toBe(403);
  });

  it('tells who would own a case and when it would be due', async () => {
    const check = await expectJson(
      org.api('POST', '/api/v1/playbook/check', { score: 1, reason: 'хамство', unitId: branchA }),
      200,
    );
    expect(check.rules.map((r: { id: string }) => r.id)).toEqual([
      'very-unhappy',
      'alert-words',
      'detractor',
    ]);
    expect(check.case).toMatchObject({ level: 'frontline', urgent: true, owner: { id: users.anna!.id } });
    expect(new Date(check.case.dueAt).getTime()).toBe(world.now.getTime() + 48 * HOUR);
    expect(check.alerts).toEqual([{ level: 'middle', people: [{ id: users.maria!.id, name: 'maria' }] }]);
  });
});

describe('customer value', () => {
  it('treats a high-value passive as a case for the manager and a low-value one as nothing', async () => {
    const { playbook, version } = await expectJson(org.api('GET', '/api/v1/playbook'), 200);
    playbook.rules.unshift({
      id: 'vip',
      name: { ru: 'Ценный клиент недоволен', en: 'Valuable customer not happy' },
      enabled: true,
      match: { scoreMin: 0, scoreMax: 8, valueBands: ['high'] },
      actions: [{ kind: 'open_case', level: 'middle', dueHours: 4, urgent: true }],
    });
    await expectJson(org.api('PUT', '/api/v1/playbook', { playbook, version }), 200);
    // Every other customer here spent 1,000.00 in 12 months; this one 500,000.00 (high), that one 10.00 (low).
    const rich = await invitedCustomer(branchA, null, 50_000_000);
    const poor = await invitedCustomer(branchA, null, 1_000);
    for (const { url } of [rich, poor])
      expect((await submitForm(world, url, { score: '8' })).status).toBe(303);
    await tick();
    const [vip] = await query(sql`select c.rule_id, c.owner_user_id, c.due_at, r.answered_at from cases c
      join responses r on r.org_id = c.org_id and r.id = c.response_id where r.customer_id = ${rich.customerId}`);
    expect(vip).toMatchObject({ rule_id: 'vip', owner_user_id: users.maria!.id });
    expect(new Date(vip.due_at).getTime() - new Date(vip.answered_at).getTime()).toBe(4 * HOUR);
    const none = await query(sql`select c.id from cases c join responses r on r.org_id = c.org_id
      and r.id = c.response_id where r.customer_id = ${poor.customerId}`);
    expect(none).toEqual([]);
  });
});

describe('under load', () => {
  it('opens a case for every answer of a burst', async () => {
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { count: 250, unitId: branchA }),
      201,
    );
    const before = (await query(sql`select count(*)::int as n from cases`))[0].n;
    const statuses = await Promise.all(
      items.map((i: { url: string }, k: number) =>
        submitForm(world, i.url, { score: String(k % 7), reason: 'очередь' }),
      ),
    );
    expect(statuses.every((s) => s.status === 303)).toBe(true);
    // The loop's own sweep (what the worker runs every few seconds), without the alert e-mails it raises.
    const swept = await runLoopSweep(world.runtime.deps, world.now);
    expect(swept.inbox).toMatchObject({ answers: 250, opened: 250 });
    const after = (
      await query(sql`select count(*)::int as n, count(distinct number)::int as numbers from cases`)
    )[0];
    expect(after.n - before).toBe(250);
    expect(after.numbers).toBe(after.n);
    expect((await query(sql`select count(*)::int as n from loop_inbox`))[0].n).toBe(0);
  });
});
