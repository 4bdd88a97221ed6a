// The analyst reads reasons without names in any case form: the author's name declined ("Ивану", "Иваном") becomes
// the author's pseudonym, an employee's name ("Ирине") the employee's, as the owner still reads them as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pseudonymOf } from '../src/modules/privacy/index.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let analyst: TestUser;
let customerId = '';
let employeeId = '';
const reason =
  'Спасибо Ирине Соколовой! Ивану всё понравилось, с Иваном были вежливы. Ask for Mary Smith again';
const period = 'from=2026-11-01&to=2026-11-30';

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
  const post = async (path: string, body: unknown) =>
    (await expectJson(org.api('POST', path, body), 201)).id as string;
  const unitId = await post('/api/v1/units', { name: 'Клуб', kind: 'branch' });
  employeeId = await post('/api/v1/employees', { unitId, name: 'Ирина Соколова' });
  await post('/api/v1/employees', { unitId, name: 'Mary Smith' });
  customerId = await post('/api/v1/customers', { name: 'Иван Петров', email: 'ivan.p@example.net' });
  const surveyId = await post('/api/v1/surveys', {
    name: 'Визит',
    audience: 'customer',
    kind: 'transactional',
  });
  const contact = await post('/api/v1/contacts', {
    customerId,
    unitId,
    occurredAt: world.now.toISOString(),
  });
  const made = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { contactIds: [contact], channel: 'link' }),
    201,
  );
  expect((await submitForm(world, made.items[0].url, { score: '9', reason })).status).toBe(303);
  await world.runtime.worker.runDue(world.now);
  analyst = await buildUser(world, org, { role: 'analyst' });
}, 60_000);

afterAll(() => world?.close());

describe('names in reasons, for the analyst', () => {
  it('are pseudonyms in every case form, the customer’s and the employees’', async () => {
    const vault = world.runtime.deps.vault;
    const customer = pseudonymOf(vault, 'customer', customerId);
    const employee = pseudonymOf(vault, 'employee', employeeId);
    const page = await expectJson(analyst.api('GET', `/api/v1/analytics/customers/answers?${period}`), 200);
    expect(page.items).toHaveLength(1);
    const seen: string = page.items[0].reason;
    for (const word of ['Ирин', 'Соколов', 'Иван', 'Mary', 'Smith']) expect(seen).not.toContain(word);
    expect(seen).toContain(`Спасибо ${employee} ${employee}!`);
    expect(seen).toContain(`${customer} всё понравилось, с ${customer} были вежливы`);
    // The owner reads it as written.
    const own = await expectJson(org.api('GET', `/api/v1/analytics/customers/answers?${period}`), 200);
    expect(own.items[0].reason).toBe(reason);
  });
});
