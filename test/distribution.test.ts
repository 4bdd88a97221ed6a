// Survey distribution through the API and the periodic sweep: triggers after each contact, contact limits,
// opt-outs and suppressions, channel choice, blitz campaigns with samples, reminders and response rates.
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../src/db/index.js';
import { wilsonInterval } from '../src/domain/proportion-interval.js';
import { createApiKey, createUser } from '../src/modules/auth/index.js';
import { distributionTick, selectionDigest } from '../src/modules/distribution/index.js';
import { invitationToken } from '../src/modules/invitations/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.close());

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Api = TestOrg['api'];
const apiWith =
  (key: string): Api =>
  (method, path, body) =>
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

const db = () => world.runtime.database.db;
const tick = () => distributionTick(world.runtime.deps, world.now);

interface CustomerSpec {
  name?: string;
  email?: string;
  phone?: string;
  homeUnitId?: string;
  locale?: 'ru' | 'en';
}

async function setUp(kind: 'transactional' | 'relationship') {
  const org = await buildOrg(world);
  const unit = (name: string, parentId?: string) =>
    expectJson(
      org.api('POST', '/api/v1/units', { name, kind: parentId ? 'branch' : 'company', parentId }),
      201,
    );
  const company = await unit('Фитпарк');
  const north = await unit('Север', company.id);
  const south = await unit('Юг', company.id);
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: `NPS ${kind}`, audience: 'customer', kind }),
    201,
  );
  let n = 0;
  const customers = async (specs: CustomerSpec[]): Promise<string[]> => {
    const ids: string[] = [];
    for (let k = 0; k < specs.length; k += 1000) {
      const items = specs.slice(k, k + 1000).map((s) => ({ externalId: `c${++n}`, ...s }));
      const r = await expectJson(org.api('POST', '/api/v1/customers/batch', { items }), 200);
      ids.push(...r.items.map((c: { id: string }) => c.id));
    }
    return ids;
  };
  const contact = (customerId: string, unitId: string, occurredAt: Date, employeeId?: string) =>
    expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId,
        unitId,
        employeeId,
        occurredAt: occurredAt.toISOString(),
      }),
      201,
    );
  const invitationsOf = (surveyId = survey.id) =>
    db()
      .select()
      .from(tables.invitations)
      .where(and(eq(tables.invitations.orgId, org.orgId), eq(tables.invitations.surveyId, surveyId)));
  return { org, company, north, south, survey, customers, contact, invitationsOf };
}

const setTrigger = (org: TestOrg, surveyId: string, trigger: object, reminder?: object) =>
  expectJson(org.api('PUT', `/api/v1/surveys/${surveyId}/distribution`, { trigger, reminder }), 200);

describe('transactional surveys after each contact', () => {
  it('invites once per contact after the delay, tied to its unit and employee; a second sweep adds nothing', async () => {
    const s = await setUp('transactional');
    await setTrigger(s.org, s.survey.id, { delayMinutes: 120, channels: ['email', 'sms'] });
    const employee = await expectJson(
      s.org.api('POST', '/api/v1/employees', { unitId: s.north.id, name: 'Анна Иванова' }),
      201,
    );
    const [customer] = await s.customers([
      { email: 'ivan@example.com', phone: '+79161234567', locale: 'en' },
    ]);
    const occurredAt = new Date(world.now.getTime() - 5 * MINUTE);
    const visit = await s.contact(customer!, s.north.id, occurredAt, employee.id);

    world.advance(2 * MINUTE);
    await tick();
    const invited = await s.invitationsOf();
    expect(invited).toHaveLength(1);
    expect(invited[0]).toMatchObject({
      customerId: customer,
      contactId: visit.id,
      unitId: s.north.id,
      employeeId: employee.id,
      channel: 'email',
      locale: 'en',
      status: 'pending',
      sentAt: null,
    });
    // Delivery sends nothing before send_after: the visit's time plus the delay.
    expect(invited[0]!.sendAfter?.toISOString()).toBe(
      new Date(occurredAt.getTime() + 120 * MINUTE).toISOString(),
    );

    world.advance(5 * MINUTE);
    await tick();
    expect(await s.invitationsOf()).toHaveLength(1);
  });

  it('gives no survey for a contact that arrives later than maxAgeHours after it happened', async () => {
    const s = await setUp('transactional');
    await setTrigger(s.org, s.survey.id, { delayMinutes: 60, channels: ['email'], maxAgeHours: 72 });
    const [late, recent] = await s.customers([
      { email: 'late@example.com' },
      { email: 'recent@example.com' },
    ]);
    await s.contact(late!, s.north.id, new Date(world.now.getTime() - 80 * HOUR));
    await s.contact(recent!, s.north.id, new Date(world.now.getTime() - 70 * HOUR));
    world.advance(2 * MINUTE);
    await tick();
    const invited = await s.invitationsOf();
    expect(invited.map((i) => i.customerId)).toEqual([recent]);
  });

  it('surveys only contacts in the trigger’s units', async () => {
    const s = await setUp('transactional');
    await setTrigger(s.org, s.survey.id, { delayMinutes: 0, channels: ['email'], unitIds: [s.north.id] });
    const [a, b] = await s.customers([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    await s.contact(a!, s.north.id, world.now);
    await s.contact(b!, s.south.id, world.now);
    world.advance(2 * MINUTE);
    await tick();
    expect((await s.invitationsOf()).map((i) => i.customerId)).toEqual([a]);
  });

  it('does not ask a customer invited 10 days ago under a 30-day limit, but does after 31 days', async () => {
    const s = await setUp('transactional');
    await expectJson(
      s.org.api('PUT', '/api/v1/settings/contact-policy', { relationshipDays: 90, transactionalDays: 30 }),
      200,
    );
    const other = await expectJson(
      s.org.api('POST', '/api/v1/surveys', {
        name: 'После звонка',
        audience: 'customer',
        kind: 'transactional',
      }),
      201,
    );
    await setTrigger(s.org, s.survey.id, { delayMinutes: 30, channels: ['email'] });
    const [customer] = await s.customers([{ email: 'often@example.com' }]);
    // Asked by another transactional survey today.
    await expectJson(
      s.org.api('POST', `/api/v1/surveys/${other.id}/invitations`, {
        customerIds: [customer],
        channel: 'email',
      }),
      201,
    );

    world.advance(10 * DAY);
    await s.contact(customer!, s.north.id, world.now);
    world.advance(2 * MINUTE);
    await tick();
    expect(await s.invitationsOf()).toHaveLength(0);

    world.advance(21 * DAY);
    await s.contact(customer!, s.north.id, world.now);
    world.advance(2 * MINUTE);
    await tick();
    expect(await s.invitationsOf()).toHaveLength(1);

    // And within the same sweep, two visits a day apart give one invitation, not two.
    const [twice] = await s.customers([{ email: 'twice@example.com' }]);
    await s.contact(twice!, s.north.id, world.now);
    await s.contact(twice!, s.south.id, new Date(world.now.getTime() + DAY));
    world.advance(2 * MINUTE);
    await tick();
    expect((await s.invitationsOf()).filter((i) => i.customerId === twice)).toHaveLength(1);
  });

  it('skips opted-out customers and suppressed addresses', async () => {
    const s = await setUp('transactional');
    await setTrigger(s.org, s.survey.id, { delayMinutes: 0, channels: ['email'] });
    const [out, suppressed, fine] = await s.customers([
      { email: 'out@example.com' },
      { email: 'bounced@example.com' },
      { email: 'fine@example.com' },
    ]);
    await db()
      .update(tables.customers)
      .set({ optedOutAt: world.now })
      .where(and(eq(tables.customers.orgId, s.org.orgId), eq(tables.customers.id, out!)));
    await expectJson(
      s.org.api('POST', '/api/v1/suppressions', {
        channel: 'email',
        address: 'Bounced@Example.com',
        reason: 'hard_bounce',
      }),
      201,
    );
    for (const c of [out!, suppressed!, fine!]) await s.contact(c, s.north.id, world.now);
    world.advance(2 * MINUTE);
    await tick();
    expect((await s.invitationsOf()).map((i) => i.customerId)).toEqual([fine]);
  });

  it('refuses a trigger on a relationship survey and an unknown unit, naming the field', async () => {
    const rel = await setUp('relationship');
    const r1 = await rel.org.api('PUT', `/api/v1/surveys/${rel.survey.id}/distribution`, {
      trigger: { delayMinutes: 10, channels: ['email'] },
    });
    expect((await expectJson(r1, 422)).errors[0].path).toBe('trigger');
    const tx = await setUp('transactional');
    const r2 = await tx.org.api('PUT', `/api/v1/surveys/${tx.survey.id}/distribution`, {
      trigger: { delayMinutes: 10, channels: ['email', 'email'] },
    });
    expect(r2.status).toBe(422);
    const r3 = await tx.org.api('PUT', `/api/v1/surveys/${tx.survey.id}/distribution`, {
      trigger: { delayMinutes: 10, channels: ['email'], unitIds: [rel.north.id] },
    });
    expect((await expectJson(r3, 422)).errors[0].path).toBe('trigger.unitIds.0');
    const saved = await setTrigger(
      tx.org,
      tx.survey.id,
      { delayMinutes: 10, channels: ['sms'] },
      { afterDays: 3 },
    );
    expect(saved).toMatchObject({
      trigger: { delayMinutes: 10, channels: ['sms'], maxAgeHours: 72 },
      reminder: { afterDays: 3 },
    });
    expect(await expectJson(tx.org.api('GET', `/api/v1/surveys/${tx.survey.id}/distribution`), 200)).toEqual(
      saved,
    );
  });
});

describe('relationship campaigns', () => {
  it('counts in the dry run who is excluded and why, and who gets which channel', async () => {
    const s = await setUp('relationship');
    const [ok, out, suppressed, nothing, smsInstead, recent] = await s.customers([
      { email: 'ok@example.com' },
      { email: 'out@example.com' },
      { email: 'gone@example.com' },
      {},
      { email: 'gone2@example.com', phone: '8 (916) 123-45-67' },
      { email: 'recent@example.com' },
    ]);
    await db()
      .update(tables.customers)
      .set({ optedOutAt: world.now })
      .where(and(eq(tables.customers.orgId, s.org.orgId), eq(tables.customers.id, out!)));
    for (const address of ['gone@example.com', 'gone2@example.com'])
      await expectJson(s.org.api('POST', '/api/v1/suppressions', { channel: 'email', address }), 201);
    await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/invitations`, {
        customerIds: [recent],
        channel: 'email',
      }),
      201,
    );
    world.advance(DAY);
    const plan = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, {
        channels: ['email', 'sms'],
        dryRun: true,
      }),
      200,
    );
    expect(plan).toMatchObject({
      base: 6,
      eligible: 2,
      selected: 2,
      excluded: { opted_out: 1, suppressed: 1, no_channel: 1, asked_recently: 1 },
      byChannel: { email: 1, sms: 1, phone: 0 },
    });
    expect(plan.selectionDigest).toBe(selectionDigest([ok!, smsInstead!]));
    void nothing;
    void suppressed;
    // A dry run creates nothing.
    expect(await s.invitationsOf()).toHaveLength(1);
    const { items } = await expectJson(s.org.api('GET', `/api/v1/surveys/${s.survey.id}/campaigns`), 200);
    expect(items).toHaveLength(0);
  });

  it('chooses each customer’s channel by the preference order and the contacts they have', async () => {
    const s = await setUp('relationship');
    const [both, emailOnly, landline, landlineAndEmail] = await s.customers([
      { email: 'both@example.com', phone: '+7 916 000-00-01' },
      { email: 'mail@example.com' },
      { phone: '+7 495 123-45-67' },
      { email: 'office@example.com', phone: '+7 495 123-45-68' },
    ]);
    const run = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, { channels: ['sms', 'phone', 'email'] }),
      201,
    );
    expect(run.campaign).toMatchObject({ status: 'done', invited: 4 });
    const channelOf = new Map((await s.invitationsOf()).map((i) => [i.customerId, i.channel]));
    expect(channelOf.get(both!)).toBe('sms');
    expect(channelOf.get(emailOnly!)).toBe('email');
    expect(channelOf.get(landline!)).toBe('phone'); // a landline takes no SMS but can be called
    expect(channelOf.get(landlineAndEmail!)).toBe('phone');
  });

  it('invites a sample of 100 out of 300, the same ones the preview showed, and not again within 90 days', async () => {
    const s = await setUp('relationship');
    const ids = await s.customers(
      Array.from({ length: 300 }, (_, k) => ({
        email: `member${k}@example.com`,
        homeUnitId: k % 3 === 0 ? s.south.id : s.north.id,
      })),
    );
    const body = { channels: ['email'], sample: 100, seed: 'winter-2026' };
    const preview = (extra = {}) =>
      expectJson(
        s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, { ...body, ...extra, dryRun: true }),
        200,
      );
    const first = await preview();
    expect(await preview()).toEqual(first);
    expect(first).toMatchObject({ base: 300, eligible: 300, selected: 100, byChannel: { email: 100 } });
    expect((await preview({ seed: 'another' })).selectionDigest).not.toBe(first.selectionDigest);

    const run = await expectJson(s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, body), 201);
    const invited = await s.invitationsOf();
    expect(invited).toHaveLength(100);
    expect(new Set(invited.map((i) => i.customerId)).size).toBe(100);
    expect(invited.every((i) => i.campaignId === run.campaign.id && ids.includes(i.customerId!))).toBe(true);
    expect(selectionDigest(invited.map((i) => i.customerId!))).toBe(first.selectionDigest);
    expect(run.campaign.counts).toMatchObject({ selected: 100, created: 100 });

    // A run interrupted and resumed (status left 'running', as after a crash) adds no one twice.
    await db()
      .update(tables.campaigns)
      .set({ status: 'running', createdAt: new Date(world.now.getTime() - HOUR) })
      .where(eq(tables.campaigns.id, run.campaign.id));
    await tick();
    expect(await s.invitationsOf()).toHaveLength(100);

    // The same survey again a month later: the 100 are held back by the 90-day limit.
    world.advance(30 * DAY);
    const again = await preview();
    expect(again).toMatchObject({ eligible: 200, excluded: { asked_recently: 100 } });

    const list = await expectJson(s.org.api('GET', `/api/v1/surveys/${s.survey.id}/campaigns`), 200);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      id: run.campaign.id,
      invited: 100,
      sent: 0,
      answered: 0,
      status: 'done',
    });
  });

  it('stratifies a share of the base by unit, and filters the audience by unit, activity and visits', async () => {
    const s = await setUp('relationship');
    const ids = await s.customers(
      Array.from({ length: 40 }, (_, k) => ({
        email: `m${k}@example.com`,
        homeUnitId: k < 30 ? s.north.id : s.south.id,
      })),
    );
    const plan = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, {
        channels: ['email'],
        sample: { share: 0.5 },
        stratifyByUnit: true,
        dryRun: true,
      }),
      200,
    );
    expect(plan.selected).toBe(20);
    await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, {
        channels: ['email'],
        sample: { share: 0.5 },
        stratifyByUnit: true,
        seed: plan.seed,
      }),
      201,
    );
    const byUnit = new Map<string, number>();
    for (const i of await s.invitationsOf()) byUnit.set(i.unitId!, (byUnit.get(i.unitId!) ?? 0) + 1);
    expect(Object.fromEntries(byUnit)).toEqual({ [s.north.id]: 15, [s.south.id]: 5 });

    // Audience: two visits in the last 30 days, in the south.
    const t = await setUp('relationship');
    const [regular, once, old, elsewhere] = await t.customers([
      { email: 'r@example.com' },
      { email: 'o@example.com' },
      { email: 'x@example.com' },
      { email: 'e@example.com' },
    ]);
    const ago = (days: number) => new Date(world.now.getTime() - days * DAY);
    await t.contact(regular!, t.south.id, ago(20));
    await t.contact(regular!, t.south.id, ago(2));
    await t.contact(once!, t.south.id, ago(3));
    await t.contact(old!, t.south.id, ago(200));
    await t.contact(old!, t.south.id, ago(100));
    await t.contact(elsewhere!, t.north.id, ago(5));
    await t.contact(elsewhere!, t.north.id, ago(1));
    const filtered = await expectJson(
      t.org.api('POST', `/api/v1/surveys/${t.survey.id}/campaigns`, {
        channels: ['email'],
        audience: { unitIds: [t.company.id], activeWithinDays: 30, minVisits: 2 },
        dryRun: true,
      }),
      200,
    );
    expect(filtered.base).toBe(2);
    const south = await expectJson(
      t.org.api('POST', `/api/v1/surveys/${t.survey.id}/campaigns`, {
        channels: ['email'],
        audience: { unitIds: [t.south.id], activeWithinDays: 30, minVisits: 2 },
      }),
      201,
    );
    expect(south.campaign.counts.base).toBe(1);
    expect((await t.invitationsOf()).map((i) => [i.customerId, i.unitId])).toEqual([[regular, t.south.id]]);
    void ids;
  });

  it('holds a scheduled campaign until its time, then the sweep runs it', async () => {
    const s = await setUp('relationship');
    await s.customers([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
    const sendAt = new Date(world.now.getTime() + 2 * DAY);
    const r = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, {
        channels: ['email'],
        sendAt: sendAt.toISOString(),
      }),
      201,
    );
    expect(r.campaign.status).toBe('scheduled');
    await tick();
    expect(await s.invitationsOf()).toHaveLength(0);
    world.advance(2 * DAY);
    await tick();
    const invited = await s.invitationsOf();
    expect(invited).toHaveLength(2);
    expect(invited.every((i) => i.sendAfter?.toISOString() === sendAt.toISOString())).toBe(true);
    const list = await expectJson(s.org.api('GET', `/api/v1/surveys/${s.survey.id}/campaigns`), 200);
    expect(list.items[0]).toMatchObject({ status: 'done', invited: 2 });
  });
});

describe('reminders and response rates', () => {
  it('reminds only those who did not answer, once; the rates match a hand count', async () => {
    const s = await setUp('relationship');
    await expectJson(s.org.api('PUT', '/api/v1/settings/delivery', { sms: { provider: 'test' } }), 200);
    await expectJson(
      s.org.api('PUT', `/api/v1/surveys/${s.survey.id}/distribution`, { reminder: { afterDays: 3 } }),
      200,
    );
    const phones = ['+79160000001', '+79160000002', '+79160000003', '+79160000004'];
    const ids = await s.customers(
      phones.map((phone, k) => ({ name: `Клиент ${k}`, phone, homeUnitId: k < 2 ? s.north.id : s.south.id })),
    );
    const run = await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, { channels: ['sms'], name: 'Зима' }),
      201,
    );
    expect(run.campaign.name).toBe('Зима');
    // Two printed single-use links in the north, no one's in particular.
    await expectJson(
      s.org.api('POST', `/api/v1/surveys/${s.survey.id}/invitations`, { count: 2, unitId: s.north.id }),
      201,
    );
    await world.runtime.worker.runDue(world.now);
    const sms = (await s.invitationsOf()).filter((i) => i.channel === 'sms');
    expect(sms.every((i) => i.sentAt !== null)).toBe(true);

    const answer = (invitationId: string, score: string) =>
      submitForm(
        world,
        `http://sarafan.test/s/${invitationToken(world.runtime.deps.vault, s.org.orgId, invitationId)}`,
        {
          score,
        },
      );
    const byCustomer = new Map(sms.map((i) => [i.customerId!, i]));
    await answer(byCustomer.get(ids[0]!)!.id, '9');
    const links = (await s.invitationsOf()).filter((i) => i.channel === 'link');
    await answer(links[0]!.id, '10');

    world.advance(2 * DAY);
    await tick();
    await world.runtime.worker.runDue(world.now);
    expect((await s.invitationsOf()).filter((i) => i.remindedAt)).toHaveLength(0); // not yet: 3 days

    world.advance(DAY + HOUR);
    await tick();
    await world.runtime.worker.runDue(world.now);
    const reminded = await db()
      .select({ customerId: tables.invitations.customerId })
      .from(tables.invitations)
      .where(and(eq(tables.invitations.orgId, s.org.orgId), isNotNull(tables.invitations.remindedAt)));
    expect(reminded.map((r) => r.customerId).sort()).toEqual([ids[1], ids[2], ids[3]].sort());

    world.advance(DAY);
    await tick();
    await world.runtime.worker.runDue(world.now);
    const reminders = await db()
      .select()
      .from(tables.messages)
      .where(and(eq(tables.messages.orgId, s.org.orgId), eq(tables.messages.kind, 'reminder')));
    expect(reminders).toHaveLength(3);

    // Hand count: sms 4 invited, 4 sent, 1 answered; link 2 invited, 1 answered (so it reached someone).
    const rates = await expectJson(
      s.org.api('GET', `/api/v1/surveys/${s.survey.id}/response-rates?groupBy=channel`),
      200,
    );
    const w = wilsonInterval(1, 4);
    expect(rates.rows).toEqual([
      { key: 'link', label: 'link', invited: 2, sent: 1, answered: 1, rate: 1, ci95: [0.2065, 1] },
      {
        key: 'sms',
        label: 'sms',
        invited: 4,
        sent: 4,
        answered: 1,
        rate: 0.25,
        ci95: [Math.round(w.low * 1e4) / 1e4, Math.round(w.high * 1e4) / 1e4],
      },
    ]);
    expect(rates.total).toMatchObject({ invited: 6, sent: 5, answered: 2, rate: 0.4 });

    const byUnit = await expectJson(
      s.org.api('GET', `/api/v1/surveys/${s.survey.id}/response-rates?groupBy=unit`),
      200,
    );
    const unitCounts = Object.fromEntries(
      byUnit.rows.map((r: { label: string; invited: number; answered: number }) => [
        r.label,
        [r.invited, r.answered],
      ]),
    );
    expect(unitCounts).toEqual({ Север: [4, 2], Юг: [2, 0] });
    const byCampaign = await expectJson(
      s.org.api('GET', `/api/v1/surveys/${s.survey.id}/response-rates?groupBy=campaign`),
      200,
    );
    const campaignRow = byCampaign.rows.find((r: { key: string }) => r.key === run.campaign.id);
    expect(campaignRow).toMatchObject({ label: 'Зима', invited: 4, answered: 1 });

    // A period before anything happened is empty.
    const empty = await expectJson(
      s.org.api('GET', `/api/v1/surveys/${s.survey.id}/response-rates?from=2020-01-01&to=2020-01-31`),
      200,
    );
    expect(empty.rows).toEqual([]);

    // A manager of the south sees the south only.
    const ctx = world.contextFor(s.org.orgId);
    const user = await createUser(ctx, {
      email: `south-${Math.random().toString(36).slice(2, 8)}@example.com`,
      password: 'correct horse battery',
      name: 'Руководитель Юга',
      role: 'manager',
      unitIds: [s.south.id],
    });
    const { key } = await createApiKey(ctx, { userId: user.id, name: 'test' });
    const manager = apiWith(key);
    const scoped = await expectJson(
      manager('GET', `/api/v1/surveys/${s.survey.id}/response-rates?groupBy=unit`),
      200,
    );
    expect(scoped.rows.map((r: { key: string }) => r.key)).toEqual([s.south.id]);
    expect(scoped.total).toMatchObject({ invited: 2, answered: 0 });
    // Managers may read but not start campaigns or change limits.
    expect(
      (await manager('POST', `/api/v1/surveys/${s.survey.id}/campaigns`, { channels: ['sms'], dryRun: true }))
        .status,
    ).toBe(403);
    expect(
      (await manager('PUT', '/api/v1/settings/contact-policy', { relationshipDays: 1, transactionalDays: 1 }))
        .status,
    ).toBe(403);
  });
});

describe('organisations', () => {
  it('answers 404 for another organisation’s survey', async () => {
    const mine = await setUp('relationship');
    const theirs = await buildOrg(world);
    const id = mine.survey.id;
    for (const [method, path, body] of [
      ['GET', `/api/v1/surveys/${id}/distribution`],
      ['PUT', `/api/v1/surveys/${id}/distribution`, { reminder: { afterDays: 2 } }],
      ['GET', `/api/v1/surveys/${id}/campaigns`],
      ['POST', `/api/v1/surveys/${id}/campaigns`, { channels: ['email'], dryRun: true }],
      ['POST', `/api/v1/surveys/${id}/campaigns`, { channels: ['email'] }],
      ['GET', `/api/v1/surveys/${id}/response-rates`],
    ] as const) {
      const r = await theirs.api(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    // Each org has its own contact policy.
    await expectJson(
      mine.org.api('PUT', '/api/v1/settings/contact-policy', { relationshipDays: 60, transactionalDays: 14 }),
      200,
    );
    expect(await expectJson(theirs.api('GET', '/api/v1/settings/contact-policy'), 200)).toEqual({
      relationshipDays: 90,
      transactionalDays: 30,
    });
    expect(await expectJson(mine.org.api('GET', '/api/v1/settings/contact-policy'), 200)).toEqual({
      relationshipDays: 60,
      transactionalDays: 14,
    });
  });
});
