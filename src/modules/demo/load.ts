// Loads the generated demo organisation through the same services the API uses, so the demo is real data.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { localDay } from '../../domain/period.js';
import { type PendingAnswer, writeBatch } from '../answers/index.js';
import { createApiKey, createUser } from '../auth/index.js';
import { recordContacts } from '../contacts/index.js';
import { upsertCustomers } from '../customers/index.js';
import { createEmployee } from '../employees/index.js';
import { createInvitations } from '../invitations/index.js';
import type { Ctx } from '../kernel/index.js';
import { createOrg } from '../orgs/index.js';
import { createSurvey } from '../surveys/index.js';
import { createUnit } from '../units/index.js';
import { type DemoData, DIPPING_BRANCH, generateDemo } from './generate.js';
import { loadDemoGoals } from './goals.js';
import { loadDemoLoop } from './loop.js';

export interface DemoOptions {
  customers: number;
  seed: number;
  email: string;
  password?: string;
  now: Date;
  onProgress?: (step: string) => void;
  /** Public URL for the invitations' links (they are not shown; only their hashes are kept). */
  publicUrl?: string;
}

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function loadDemo(contextFor: (orgId: string) => Ctx, db: Db, options: DemoOptions) {
  const say = options.onProgress ?? (() => {});
  const data: DemoData = generateDemo({ seed: options.seed, now: options.now, customers: options.customers });
  const org = await createOrg(db, {
    name: data.org.name,
    timeZone: data.org.timeZone,
    locale: data.org.locale,
  });
  const base = contextFor(org.id);
  const at = (when: Date): Ctx => ({ ...base, clock: () => when });

  const password = options.password ?? randomBytes(9).toString('base64url');
  const owner = await createUser(base, { email: options.email, password, role: 'owner', locale: 'ru' });
  const { key } = await createApiKey(base, { userId: owner.id, name: 'demo owner' });

  say('structure');
  const unitIds = new Map<string, string>();
  for (const u of data.units) {
    const created = await createUnit(base, {
      name: u.name,
      kind: u.kind,
      parentId: u.parentRef ? unitIds.get(u.parentRef)! : null,
      externalId: u.ref,
    });
    unitIds.set(u.ref, created.id);
  }
  const employeeIds = new Map<string, string>();
  for (const e of data.employees) {
    const created = await createEmployee(base, {
      unitId: unitIds.get(e.unitRef)!,
      name: e.name,
      email: e.email,
      position: e.position,
      externalId: e.ref,
    });
    employeeIds.set(e.ref, created.id);
  }

  say(`${data.customers.length} customers`);
  const customerIds = new Map<string, string>();
  for (const part of chunks(data.customers)) {
    const done = await upsertCustomers(
      base,
      part.map((c) => ({
        externalId: c.ref,
        name: c.name,
        email: c.email,
        phone: c.phone,
        locale: c.locale,
        homeUnitId: unitIds.get(c.homeUnitRef)!,
      })),
    );
    for (const c of done.items) customerIds.set(c.externalId!, c.id);
  }

  say(`${data.contacts.length} visits`);
  const contactIds = new Map<string, string>();
  for (const part of chunks(data.contacts)) {
    const done = await recordContacts(
      base,
      part.map((c) => ({
        externalId: c.ref,
        customerId: customerIds.get(c.customerRef)!,
        unitId: unitIds.get(c.unitRef)!,
        employeeId: c.employeeRef ? employeeIds.get(c.employeeRef)! : null,
        service: c.service,
        amountMinor: c.amountMinor,
        occurredAt: c.occurredAt.toISOString(),
      })),
    );
    for (const c of done.items) contactIds.set(c.externalId!, c.id);
  }

  const surveyIds = new Map<string, { id: string; audience: 'customer' | 'employee' }>();
  for (const s of data.surveys) {
    const created = await createSurvey(base, {
      name: s.name,
      audience: s.audience,
      kind: s.kind,
    });
    surveyIds.set(s.ref, { id: created.id, audience: s.audience });
  }

  say(`${data.answers.length} customer answers`);
  const publicUrl = options.publicUrl ?? 'http://localhost:3000';
  let answers = 0;
  // Invitations are created in the month of their answers, so the history reads as it would have happened.
  for (const part of chunks(
    [...data.answers].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime()),
    500,
  )) {
    const first = part[0]!;
    const bySurvey = new Map<string, typeof part>();
    for (const a of part) bySurvey.set(a.surveyRef, [...(bySurvey.get(a.surveyRef) ?? []), a]);
    const pending: PendingAnswer[] = [];
    for (const [surveyRef, list] of bySurvey) {
      const survey = surveyIds.get(surveyRef)!;
      const withContact = list.filter((a) => a.contactRef);
      const withoutContact = list.filter((a) => !a.contactRef);
      const invited = await createInvitations(
        at(new Date(first.answeredAt.getTime() - 86_400_000)),
        survey.id,
        {
          contactIds: withContact.map((a) => contactIds.get(a.contactRef!)!),
          customerIds: withoutContact.map((a) => customerIds.get(a.customerRef)!),
          expiresInDays: 60,
        },
        publicUrl,
      );
      // createInvitations answers customers first, then contacts, each in the order given.
      const ordered = [...withoutContact, ...withContact];
      ordered.forEach((a, k) => {
        const inv = invited[k]!;
        pending.push({
          audience: 'customer',
          orgId: org.id,
          surveyId: survey.id,
          invitationId: inv.id,
          customerId: inv.customerId,
          contactId: inv.contactId,
          unitId: unitIds.get(a.unitRef)!,
          employeeId: a.employeeRef ? employeeIds.get(a.employeeRef)! : null,
          channel: a.channel,
          locale: a.locale,
          score: a.score,
          reason: a.reason,
          answeredAt: a.answeredAt,
          day: localDay(a.answeredAt, org.timeZone),
        });
      });
    }
    // Historic answers: the closed loop starts with the org, it does not open cases on 18 months of the past.
    answers += (await writeBatch(db, pending, { toLoop: false })).filter(Boolean).length;
  }

  say(`${data.employeeAnswers.length} employee answers`);
  let employeeAnswers = 0;
  for (const a of data.employeeAnswers) {
    const survey = surveyIds.get(a.surveyRef)!;
    const unitId = unitIds.get(a.unitRef)!;
    const when = new Date(`${a.answeredOn}T09:00:00Z`);
    const [inv] = await createInvitations(
      at(new Date(when.getTime() - 86_400_000)),
      survey.id,
      { count: 1, unitId },
      publicUrl,
    );
    const recorded = await writeBatch(db, [
      {
        audience: 'employee',
        orgId: org.id,
        surveyId: survey.id,
        invitationId: inv!.id,
        customerId: null,
        contactId: null,
        unitId,
        employeeId: null,
        channel: 'link',
        locale: 'ru',
        score: a.score,
        reason: a.reason,
        answeredAt: when,
        day: a.answeredOn,
      },
    ]);
    if (recorded[0]) employeeAnswers++;
  }

  say('closed loop: managers, front-line logins and cases of the last 45 days');
  const logins = await loadDemoLoop(base, db, {
    seed: options.seed,
    now: options.now,
    password,
    ownerId: owner.id,
  });
  const cases = logins.length ? await countCases(db, org.id) : 0;

  say('goals for the half-year');
  const dippingUnitId = unitIds.get(DIPPING_BRANCH) ?? null;
  const goals = await loadDemoGoals(at(options.now), {
    timeZone: data.org.timeZone,
    dippingUnitId,
    dippingName: data.units.find((u) => u.ref === DIPPING_BRANCH)?.name ?? null,
  });

  return {
    orgId: org.id,
    orgName: org.name,
    email: options.email,
    password,
    key,
    counts: {
      units: data.units.length,
      employees: data.employees.length,
      customers: customerIds.size,
      contacts: contactIds.size,
      answers,
      employeeAnswers,
      cases,
      goals,
    },
    /** Managers and front-line staff who can log in with the owner's password. */
    logins,
  };
}

async function countCases(db: Db, orgId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from cases where org_id = ${orgId}`),
  );
  return Number(row?.n ?? 0);
}
