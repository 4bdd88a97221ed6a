// A small organisation for the report tests: two branches, customers with names, e-mails and phones, a month of
// answers whose reasons quote contact details (and one written as a spreadsheet formula), a goal with an action.
import { expect } from 'vitest';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The customer whose personal data must never reach an analyst. */
export const KNOWN = {
  name: 'Анна Петрова',
  email: 'anna.petrova@mail.ru',
  phone: '+7 916 123-45-67',
  phoneE164: '+79161234567',
};
export const FORMULA_REASON = '=HYPERLINK("http://evil.example/x","Нажмите")';
export const GOAL_NAME = 'Поднять NPS Арбата до 40';

export interface ReportWorld {
  world: World;
  org: TestOrg;
  arbat: string;
  sokol: string;
  surveyId: string;
  admin: TestUser;
  manager: TestUser;
  analyst: TestUser;
}

export async function seedReportWorld(
  options: { smtpUrl?: string; webDir?: string } = {},
): Promise<ReportWorld> {
  // Monday 5 October 2026, 10:00 in Moscow.
  const world = await startWorld({ start: new Date('2026-10-05T07:00:00Z'), webDir: options.webDir ?? null });
  if (options.smtpUrl) world.runtime.delivery.configureSmtp(options.smtpUrl);
  const org = await buildOrg(world, 'ФитПарк');
  const arbat = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201))
    .id;
  const sokol = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Сокол', kind: 'branch' }), 201))
    .id;
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
  const admin = await buildUser(world, org, { role: 'admin', locale: 'en' });
  const manager = await buildUser(world, org, { role: 'manager', locale: 'ru', unitIds: [arbat] });
  const analyst = await buildUser(world, org, { role: 'analyst', locale: 'ru' });

  let n = 0;
  const answer = async (
    score: number,
    reason: string,
    unitId: string,
    person: { name: string; email?: string; phone?: string } = { name: `Клиент ${n + 1}` },
  ) => {
    const customer = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: `rp-${++n}`, ...person }),
      201,
    );
    const contact = await expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId: customer.id,
        unitId,
        amountMinor: 250_000,
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
  };

  await answer(
    3,
    `Грязная раздевалка. Пишите ${KNOWN.email} или звоните ${KNOWN.phone}, ${KNOWN.name}`,
    arbat,
    {
      name: KNOWN.name,
      email: KNOWN.email,
      phone: KNOWN.phone,
    },
  );
  await answer(5, FORMULA_REASON, arbat);
  const scores = [10, 9, 10, 8, 7, 4, 2, 10, 9, 6, 10, 3, 9, 8, 10, 5];
  for (const [i, score] of scores.entries()) {
    world.advance(DAY + HOUR);
    await answer(
      score,
      score >= 9
        ? 'Отличные тренеры'
        : score >= 7
          ? 'Хотелось бы больше тренажёров'
          : 'Грязная раздевалка, душ не работает',
      i % 3 === 0 ? sokol : arbat,
    );
  }
  await expectJson(
    org.api('POST', '/api/v1/goals', {
      name: GOAL_NAME,
      unitId: arbat,
      metric: 'nps',
      period: { kind: 'quarter', from: '2026-10-01' },
      target: 40,
      baseline: 10,
      ownerIds: [manager.id],
    }),
    201,
  );
  // Let the themes sweep tag the reasons (it reads answers a little after their commit).
  world.advance(HOUR);
  await world.runtime.worker.runDue(world.now);
  return { world, org, arbat, sokol, surveyId, admin, manager, analyst };
}
