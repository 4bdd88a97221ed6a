// The phone-interview console: the call queue, call hours by time zone, leases, outcomes, answers and statistics.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../src/db/index.js';
import { createApiKey, createUser } from '../src/modules/auth/index.js';
import { callsTick } from '../src/modules/calls/index.js';
import type { Role } from '../src/modules/kernel/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const HOUR = 3600_000;
/** 2026-11-20 08:30 in Yekaterinburg (UTC+5), 06:30 in Moscow (UTC+3): too early to call anyone. */
const EARLY = new Date('2026-11-20T03:30:00Z');
/** 10:05 in Yekaterinburg, 08:05 in Moscow: the Yekaterinburg customer may be called, the Moscow one not yet. */
const YEKAT_OPEN = new Date('2026-11-20T05:05:00Z');
/** 12:00 in Moscow, 14:00 in Yekaterinburg: both may be called. */
const MIDDAY = new Date('2026-11-20T09:00:00Z');

type Api = (method: string, path: string, body?: unknown) => Promise<Response>;

function apiWith(key: string): Api {
  return (method, path, body) =>
    Promise.resolve(
      world.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
}

interface Setup {
  org: TestOrg;
  surveyId: string;
  root: string;
  moscow: string;
  yekaterinburg: string;
  customers: { id: string; name: string; phone: string; unit: string }[];
  user(role: Role, name: string, unitIds?: string[]): Promise<{ id: string; api: Api }>;
  invite(customerIds: string[], channel?: string): Promise<string[]>;
}

let counter = 0;

/** An org with a Moscow branch (the org's zone) and a Yekaterinburg one (UTC+5), customers with visits. */
async function setup(customerCount = 4): Promise<Setup> {
  const org = await buildOrg(world, `Фитнес ${++counter}`);
  const unit = (body: object) => expectJson(org.api('POST', '/api/v1/units', body), 201);
  const root = (await unit({ name: 'Сеть', kind: 'company' })).id as string;
  const moscow = (await unit({ name: 'Москва, Тверская', kind: 'branch', parentId: root })).id as string;
  const yekaterinburg = (await unit({ name: 'Екатеринбург', kind: 'branch', parentId: root })).id as string;
  // The unit API does not set a time zone yet: set it as an import or admin would.
  await world.runtime.database.db
    .update(tables.units)
    .set({ timeZone: 'Asia/Yekaterinburg' })
    .where(eq(tables.units.id, yekaterinburg));
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'Обзвон', audience: 'customer', kind: 'relationship' }),
    201,
  );
  const customers: Setup['customers'] = [];
  for (let k = 0; k < customerCount; k++) {
    const unitId = k === 0 ? yekaterinburg : moscow;
    const name = `Клиент ${counter}-${k}`;
    const phone = `+7916${String(counter).padStart(3, '0')}${String(k).padStart(4, '0')}`;
    const c = await expectJson(
      org.api('POST', '/api/v1/customers', {
        name,
        phone,
        homeUnitId: unitId,
        locale: k === 3 ? 'en' : 'ru',
      }),
      201,
    );
    await expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId: c.id,
        unitId,
        service: 'Персональная тренировка',
        occurredAt: new Date(EARLY.getTime() - 3 * 86_400_000).toISOString(),
      }),
      201,
    );
    customers.push({ id: c.id, name, phone, unit: unitId });
  }
  const ctx = world.contextFor(org.orgId);
  return {
    org,
    surveyId: survey.id,
    root,
    moscow,
    yekaterinburg,
    customers,
    async user(role, name, unitIds = [root]) {
      const u = await createUser(ctx, {
        email: `${name.replace(/\W/g, '')}-${counter}-${Math.random().toString(36).slice(2, 7)}@example.com`,
        password: 'correct horse battery',
        name,
        role,
        unitIds: role === 'manager' || role === 'frontline' ? unitIds : [],
      });
      const { key } = await createApiKey(ctx, { userId: u.id, name: 'test' });
      return { id: u.id, api: apiWith(key) };
    },
    async invite(customerIds, channel = 'phone') {
      const { items } = await expectJson(
        org.api('POST', `/api/v1/surveys/${survey.id}/invitations`, { customerIds, channel }),
        201,
      );
      return items.map((i: { id: string }) => i.id);
    },
  };
}

async function tasksOf(orgId: string) {
  return world.runtime.database.db.select().from(tables.callTasks).where(eq(tables.callTasks.orgId, orgId));
}

const next = (api: Api) => expectJson(api('POST', '/api/v1/calls/next'), 200);
const outcome = (api: Api, taskId: string, body: object, status = 200) =>
  expectJson(api('POST', `/api/v1/calls/${taskId}/outcome`, body), status);
const tick = () => callsTick(world.runtime.deps, world.now);

describe('phone interviews', () => {
  it('turns pending phone invitations into call tasks once, with customer and unit', async () => {
    world.now = EARLY;
    const s = await setup(3);
    const phoneInvites = await s.invite([s.customers[0]!.id, s.customers[1]!.id]);
    await s.invite([s.customers[2]!.id], 'email');
    await tick();
    let tasks = await tasksOf(s.org.orgId);
    expect(tasks.map((t) => t.invitationId).sort()).toEqual([...phoneInvites].sort());
    const first = tasks.find((t) => t.invitationId === phoneInvites[0])!;
    expect(first.customerId).toBe(s.customers[0]!.id);
    expect(first.unitId).toBe(s.yekaterinburg);
    expect(first.status).toBe('queued');
    const again = await tick();
    expect(again.created).toBe(0);
    tasks = await tasksOf(s.org.orgId);
    expect(tasks).toHaveLength(2);
  });

  it('makes tasks in the background: the worker runs the sweep', async () => {
    world.now = new Date('2026-12-01T09:00:00Z');
    const s = await setup(1);
    const [invitation] = await s.invite([s.customers[0]!.id]);
    expect(world.runtime.worker.registered().tasks).toContain('calls.sweep');
    await world.runtime.worker.runDue(world.now);
    expect((await tasksOf(s.org.orgId)).map((t) => t.invitationId)).toEqual([invitation]);
  });

  it('calls only within call hours in the time zone of the customer’s unit', async () => {
    world.now = EARLY;
    const s = await setup(2);
    await s.invite([s.customers[0]!.id, s.customers[1]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    // 08:30 in Yekaterinburg, 06:30 in Moscow: no one.
    const early = await next(op.api);
    expect(early.task).toBeNull();
    expect(early.queue).toMatchObject({ waiting: 2, dueNow: 0 });
    // 10:05 in Yekaterinburg (08:05 in Moscow): only the Yekaterinburg customer.
    world.now = YEKAT_OPEN;
    const first = await next(op.api);
    expect(first.task.customer.id).toBe(s.customers[0]!.id);
    expect(first.task.unit).toMatchObject({
      name: 'Екатеринбург',
      timeZone: 'Asia/Yekaterinburg',
      localTime: '10:05',
    });
    const other = await s.user('frontline', 'Пётр');
    expect((await next(other.api)).task).toBeNull();
    await outcome(op.api, first.task.id, { outcome: 'refused' });
    world.now = MIDDAY;
    expect((await next(other.api)).task.customer.id).toBe(s.customers[1]!.id);
  });

  it('follows the call hours the organisation sets', async () => {
    world.now = EARLY; // 08:30 in Yekaterinburg
    const s = await setup(1);
    await s.invite([s.customers[0]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    expect((await next(op.api)).task).toBeNull();
    await expectJson(
      s.org.api('PUT', '/api/v1/settings/calls', { callHours: { start: '25:00', end: '21:00' } }),
      422,
    );
    await expectJson(
      op.api('PUT', '/api/v1/settings/calls', { callHours: { start: '08:00', end: '21:00' } }),
      403,
    );
    const saved = await expectJson(
      s.org.api('PUT', '/api/v1/settings/calls', { callHours: { start: '08:00', end: '21:00' } }),
      200,
    );
    expect(saved.callHours).toEqual({ start: '08:00', end: '21:00' });
    expect((await next(op.api)).task.customer.id).toBe(s.customers[0]!.id);
  });

  it('gives the operator what they need: name, phone, visits, unit, history and the script in ru and en', async () => {
    world.now = MIDDAY;
    const s = await setup(1);
    await s.invite([s.customers[0]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const { task } = await next(op.api);
    expect(task.customer).toMatchObject({ name: s.customers[0]!.name, phone: s.customers[0]!.phone });
    expect(task.visits).toEqual([
      expect.objectContaining({ unitName: 'Екатеринбург', service: 'Персональная тренировка' }),
    ]);
    expect(task.locale).toBe('ru');
    expect(task.script.ru.greeting).toContain(s.customers[0]!.name);
    expect(task.script.ru.greeting).toContain('Ольга');
    expect(task.script.ru.greeting).toContain(`Фитнес ${counter}`);
    expect(task.script.ru.question).toBe(
      `Насколько вероятно, что вы порекомендуете Фитнес ${counter} друзьям и коллегам?`,
    );
    expect(task.script.en.question).toContain(`recommend Фитнес ${counter}`);
    expect(task.script.en.closing).toMatch(/Thank you/);
    expect(task.history).toEqual([]);
    // Asking again while holding the customer gives the same one back.
    expect((await next(op.api)).task.id).toBe(task.id);
  });

  it('never gives two operators the same customer, even asking at the same moment', async () => {
    world.now = MIDDAY;
    const s = await setup(6);
    await s.invite(s.customers.map((c) => c.id));
    await tick();
    const ops = await Promise.all(
      ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З'].map((n) => s.user('frontline', n)),
    );
    const results = await Promise.all(ops.map((op) => next(op.api)));
    const taken = results.map((r) => r.task?.id).filter(Boolean);
    // Six customers, eight operators: six get a distinct customer, two get none.
    expect(taken).toHaveLength(6);
    expect(new Set(taken).size).toBe(6);
    const tasks = await tasksOf(s.org.orgId);
    expect(new Set(tasks.map((t) => t.operatorId)).size).toBe(6);
  });

  it('works through a queue with many operators at once, each customer called exactly once', async () => {
    world.now = MIDDAY;
    const s = await setup(24);
    await s.invite(s.customers.map((c) => c.id));
    await tick();
    const ops = await Promise.all(['А', 'Б', 'В', 'Г', 'Д', 'Е'].map((n) => s.user('frontline', n)));
    const called: string[] = [];
    await Promise.all(
      ops.map(async (op) => {
        for (;;) {
          const { task } = await next(op.api);
          if (!task) return;
          called.push(task.id);
          await outcome(op.api, task.id, { outcome: 'answered', score: 7 });
        }
      }),
    );
    expect(called).toHaveLength(24);
    expect(new Set(called).size).toBe(24);
    const attempts = await world.runtime.database.db
      .select()
      .from(tables.callAttempts)
      .where(eq(tables.callAttempts.orgId, s.org.orgId));
    expect(attempts).toHaveLength(24);
  });

  it('records an answered call as a phone answer counted in NPS, once, and moves on to the next customer', async () => {
    world.now = MIDDAY;
    const s = await setup(3);
    await s.invite(s.customers.map((c) => c.id));
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const first = (await next(op.api)).task;
    const done = await outcome(op.api, first.id, {
      outcome: 'answered',
      score: 9,
      reason: 'Хорошие тренеры',
    });
    expect(done.task).toMatchObject({ status: 'done', lastOutcome: 'answered', attempts: 1 });
    expect(done.answer).toEqual({ score: 9, reason: 'Хорошие тренеры' });
    const nps = await expectJson(
      s.org.api('GET', `/api/v1/surveys/${s.surveyId}/nps?from=2026-11-01&to=2026-11-30&groupBy=channel`),
      200,
    );
    expect(nps.rows).toEqual([expect.objectContaining({ key: 'phone', n: 1, promoters: 1 })]);
    const answers = await expectJson(s.org.api('GET', `/api/v1/surveys/${s.surveyId}/responses`), 200);
    expect(answers.items).toEqual([
      expect.objectContaining({
        channel: 'phone',
        score: 9,
        reason: 'Хорошие тренеры',
        customerId: first.customer.id,
      }),
    ]);
    // The same call cannot be answered twice.
    await outcome(op.api, first.id, { outcome: 'answered', score: 3 }, 409);
    const second = (await next(op.api)).task;
    expect(second.id).not.toBe(first.id);
  });

  it('does not call a customer who already answered by the link, and closes the task', async () => {
    world.now = MIDDAY;
    const s = await setup(1);
    const { items } = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.surveyId}/invitations`, {
        customerIds: [s.customers[0]!.id],
        channel: 'phone',
      }),
      201,
    );
    await tick();
    const answered = await submitForm(world, items[0].url, { score: '8' });
    expect(answered.status).toBeLessThan(400);
    const op = await s.user('frontline', 'Ольга');
    expect((await next(op.api)).task).toBeNull();
    expect((await tick()).closed).toBeGreaterThanOrEqual(1);
    expect((await tasksOf(s.org.orgId))[0]).toMatchObject({ status: 'done' });
  });

  it('refuses a bad score with 422 and stores nothing', async () => {
    world.now = MIDDAY;
    const s = await setup(1);
    await s.invite([s.customers[0]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const { task } = await next(op.api);
    for (const score of [11, -1, 7.5, '7.5', 'ten']) {
      const problem = await outcome(op.api, task.id, { outcome: 'answered', score }, 422);
      expect(problem.errors[0].path).toBe('score');
    }
    await outcome(op.api, task.id, { outcome: 'answered' }, 422);
    await outcome(op.api, task.id, { outcome: 'refused', score: 5 }, 422);
    const attempts = await world.runtime.database.db
      .select()
      .from(tables.callAttempts)
      .where(eq(tables.callAttempts.orgId, s.org.orgId));
    expect(attempts).toHaveLength(0);
    const answers = await expectJson(s.org.api('GET', `/api/v1/surveys/${s.surveyId}/responses`), 200);
    expect(answers.items).toHaveLength(0);
    expect((await tasksOf(s.org.orgId))[0]).toMatchObject({ status: 'calling', attempts: 0 });
  });

  it('calls again after no answer with a back-off, and closes after the maximum attempts', async () => {
    world.now = MIDDAY; // 12:00 Moscow
    const s = await setup(2);
    await s.invite([s.customers[1]!.id]); // a Moscow customer
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const t1 = (await next(op.api)).task;
    const r1 = await outcome(op.api, t1.id, { outcome: 'no_answer' });
    // 2 hours later: 14:00 Moscow.
    expect(r1.task).toMatchObject({ status: 'queued', attempts: 1, nextCallAt: '2026-11-20T11:00:00.000Z' });
    expect((await next(op.api)).task).toBeNull();
    world.advance(2 * HOUR);
    const t2 = (await next(op.api)).task;
    expect(t2.id).toBe(t1.id);
    expect(t2.history).toEqual([expect.objectContaining({ outcome: 'no_answer', operatorName: 'Ольга' })]);
    const r2 = await outcome(op.api, t2.id, { outcome: 'busy' });
    // The next day, same time (14:00 Moscow on the 21st).
    expect(r2.task).toMatchObject({ status: 'queued', attempts: 2, nextCallAt: '2026-11-21T11:00:00.000Z' });
    world.advance(24 * HOUR);
    const t3 = (await next(op.api)).task;
    const r3 = await outcome(op.api, t3.id, { outcome: 'no_answer' });
    expect(r3.task).toMatchObject({ status: 'done', attempts: 3 });
    world.advance(48 * HOUR);
    expect((await next(op.api)).task).toBeNull();
  });

  it('brings a call-back back at its time, moved into call hours, before older customers', async () => {
    world.now = MIDDAY;
    const s = await setup(3);
    await s.invite([s.customers[1]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const t = (await next(op.api)).task;
    await outcome(op.api, t.id, { outcome: 'call_back', callBackAt: '2026-11-20T08:00:00Z' }, 422); // in the past
    // 22:00 Moscow is outside call hours: moved to 10:00 Moscow the next day.
    const late = await outcome(op.api, t.id, {
      outcome: 'call_back',
      callBackAt: '2026-11-20T19:00:00Z',
      note: 'Просила вечером',
    });
    expect(late.attempt.callBackAt).toBe('2026-11-21T07:00:00.000Z');
    expect(late.task.status).toBe('call_back');
    // Another customer has waited since before the call-back was promised.
    await s.invite([s.customers[2]!.id]);
    await tick();
    world.now = new Date('2026-11-21T07:30:00Z');
    const first = (await next(op.api)).task;
    expect(first.id).toBe(t.id);
    expect(first.history[0]).toMatchObject({ outcome: 'call_back', note: 'Просила вечером' });
  });

  it('lets a lease expire so a customer is not blocked by an operator who left', async () => {
    world.now = MIDDAY;
    const s = await setup(1);
    await s.invite([s.customers[0]!.id]);
    await tick();
    const gone = await s.user('frontline', 'Ушедший');
    const stays = await s.user('frontline', 'Оставшийся');
    const held = (await next(gone.api)).task;
    expect((await next(stays.api)).task).toBeNull();
    await outcome(stays.api, held.id, { outcome: 'refused' }, 409);
    world.advance(16 * 60_000);
    const taken = (await next(stays.api)).task;
    expect(taken.id).toBe(held.id);
    // The operator who left comes back: the customer is someone else's now.
    await outcome(gone.api, held.id, { outcome: 'refused' }, 409);
    await outcome(stays.api, held.id, { outcome: 'answered', score: 10 });
    // The sweep also puts expired leases back in the queue.
    await s.invite([s.customers[0]!.id]);
    await tick();
    const again = (await next(gone.api)).task;
    world.advance(16 * 60_000);
    expect((await tick()).released).toBeGreaterThanOrEqual(1);
    const [row] = (await tasksOf(s.org.orgId)).filter((x) => x.id === again.id);
    expect(row).toMatchObject({ status: 'queued', operatorId: null });
  });

  it('counts per operator what a hand count gives, scoped for managers and without names for analysts', async () => {
    world.now = MIDDAY;
    const s = await setup(5);
    await s.invite(s.customers.map((c) => c.id));
    await tick();
    const anna = await s.user('frontline', 'Анна');
    const boris = await s.user('frontline', 'Борис');
    // Anna, 12:00–12:10: answered 10, answered 6, refused. Boris, 12:00 and 13:10: no answer, answered 8.
    const a1 = (await next(anna.api)).task;
    await outcome(anna.api, a1.id, { outcome: 'answered', score: 10 });
    world.advance(5 * 60_000);
    const a2 = (await next(anna.api)).task;
    await outcome(anna.api, a2.id, { outcome: 'answered', score: 6, reason: 'Дорого' });
    const b1 = (await next(boris.api)).task;
    await outcome(boris.api, b1.id, { outcome: 'no_answer' });
    world.advance(5 * 60_000);
    const a3 = (await next(anna.api)).task;
    await outcome(anna.api, a3.id, { outcome: 'refused' });
    world.advance(60 * 60_000); // 13:10 Moscow
    const b2 = (await next(boris.api)).task;
    await outcome(boris.api, b2.id, { outcome: 'answered', score: 8 });

    const stats = await expectJson(
      s.org.api('GET', '/api/v1/calls/stats?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z'),
      200,
    );
    const byName = Object.fromEntries(stats.operators.map((o: { name: string }) => [o.name, o]));
    expect(byName.Анна).toMatchObject({
      attempts: 3,
      reached: 3,
      answered: 2,
      refused: 1,
      averageScore: 8, // (10 + 6) / 2
      activeHours: 1,
      answersPerHour: 2,
    });
    expect(byName.Борис).toMatchObject({
      attempts: 2,
      reached: 1,
      answered: 1,
      refused: 0,
      averageScore: 8,
      activeHours: 2, // 12:xx and 13:xx
      answersPerHour: 0.5,
    });
    // Five customers: four finished (Anna's three, Boris's answer), Boris's unanswered one waits until 14:00.
    const tasks = await tasksOf(s.org.orgId);
    expect(stats.totals).toMatchObject({
      attempts: 5,
      answered: 3,
      queued: 1,
      dueNow: 0,
      calling: 0,
      done: 4,
    });
    expect(stats.recent[0]).toMatchObject({ outcome: 'answered', score: 8, operatorName: 'Борис' });
    expect(stats.recent.find((r: { score: number }) => r.score === 6)).toMatchObject({
      reason: 'Дорого',
      customerName: expect.stringContaining('Клиент'),
    });

    // An analyst: the same numbers, no names of customers or operators, no phones.
    const analyst = await s.user('analyst', 'Аналитик');
    const seen = await expectJson(
      analyst.api('GET', '/api/v1/calls/stats?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z'),
      200,
    );
    expect(seen.totals).toEqual(stats.totals);
    const text = JSON.stringify(seen);
    for (const c of s.customers) {
      expect(text).not.toContain(c.name);
      expect(text).not.toContain(c.phone);
    }
    expect(text).not.toContain('Анна');
    expect(seen.operators.every((o: { name: string | null }) => o.name === null)).toBe(true);
    // Nor on a task card, and an analyst cannot take calls.
    const card = await expectJson(analyst.api('GET', `/api/v1/calls/${a1.id}`), 200);
    expect(card.customer).toMatchObject({ name: null, phone: null });
    expect(JSON.stringify(card)).not.toContain(s.customers[0]!.phone);
    await expectJson(analyst.api('POST', '/api/v1/calls/next'), 403);

    // A manager of the Yekaterinburg branch sees only the work on its customers (customer 0).
    const manager = await s.user('manager', 'Руководитель', [s.yekaterinburg]);
    const scoped = await expectJson(
      manager.api('GET', '/api/v1/calls/stats?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z'),
      200,
    );
    const yekTasks = tasks.filter((t) => t.unitId === s.yekaterinburg).map((t) => t.id);
    const yekAttempts = stats.recent.filter((r: { taskId: string }) => yekTasks.includes(r.taskId)).length;
    expect(scoped.totals.attempts).toBe(yekAttempts);
    expect(scoped.recent.every((r: { taskId: string }) => yekTasks.includes(r.taskId))).toBe(true);
  });

  it('answers 404 for another organisation’s task', async () => {
    world.now = MIDDAY;
    const s = await setup(1);
    await s.invite([s.customers[0]!.id]);
    await tick();
    const op = await s.user('frontline', 'Ольга');
    const { task } = await next(op.api);
    const stranger = await setup(1);
    const theirs = await stranger.user('owner', 'Чужой');
    await expectJson(theirs.api('GET', `/api/v1/calls/${task.id}`), 404);
    await expectJson(theirs.api('POST', `/api/v1/calls/${task.id}/outcome`, { outcome: 'refused' }), 404);
    expect((await next(theirs.api)).task).toBeNull();
  });
});
