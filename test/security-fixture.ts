// Two organisations for the security tests: "A" full of data that carries sentinel strings (so a leak is seen in
// any answer), with a manager of another branch, two front-line users and an analyst; "B", the outsider.
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, submitForm, type TestOrg, type World } from './support/world.js';

/** Text that must never reach anyone who may not see org A's branch 1. */
export const SECRET = {
  customerName: 'Zzsentinel Customername',
  customerEmail: 'zzsentinel.customer@example.org',
  customerPhone: '+79161112233',
  reason: 'Zzsentinel reason of branch one',
  unitName: 'Zzsentinel Branch One',
  employeeName: 'Zzsentinel Trainer',
} as const;

export interface ScopeFixture {
  a: TestOrg;
  b: TestOrg;
  ids: {
    region: string;
    branch1: string;
    branch2: string;
    employee: string;
    customer: string;
    contact: string;
    survey: string;
    invitation: string;
    invitationUrl: string;
    caseId: string | null;
    link: string;
    webhook: string;
    mapping: string;
    suppression: string;
    apiKey: string;
  };
  /** A manager of branch 2 (not branch 1), front-line users of branch 1, an analyst: API keys acting as them. */
  people: { manager2: TestUser; front1: TestUser; front2: TestUser; analyst: TestUser };
}

export async function buildScopeFixture(world: World): Promise<ScopeFixture> {
  const a = await buildOrg(world, 'Org A');
  const b = await buildOrg(world, 'Org B');
  const post = async (path: string, body: unknown) =>
    (await expectJson(a.api('POST', path, body), 201)).id as string;
  const company = await post('/api/v1/units', { name: 'A company', kind: 'company' });
  const region = await post('/api/v1/units', { name: 'A region', kind: 'region', parentId: company });
  const branch1 = await post('/api/v1/units', { name: SECRET.unitName, kind: 'branch', parentId: region });
  const branch2 = await post('/api/v1/units', { name: 'A branch two', kind: 'branch', parentId: region });
  const employee = await post('/api/v1/employees', { name: SECRET.employeeName, unitId: branch1 });
  const customer = await post('/api/v1/customers', {
    externalId: 'a-1',
    name: SECRET.customerName,
    email: SECRET.customerEmail,
    phone: SECRET.customerPhone,
  });
  const contact = await post('/api/v1/contacts', {
    customerId: customer,
    unitId: branch1,
    employeeId: employee,
    occurredAt: new Date(world.now.getTime() - 3_600_000).toISOString(),
  });
  const survey = await post('/api/v1/surveys', {
    name: 'A survey',
    audience: 'customer',
    kind: 'transactional',
  });
  const front1 = await buildUser(world, a, { role: 'frontline', unitIds: [branch1], name: 'Front One' });
  const front2 = await buildUser(world, a, { role: 'frontline', unitIds: [branch1], name: 'Front Two' });
  const manager2 = await buildUser(world, a, { role: 'manager', unitIds: [branch2], name: 'Manager Two' });
  const analyst = await buildUser(world, a, { role: 'analyst', name: 'Analyst' });
  const invited = await expectJson(
    a.api('POST', `/api/v1/surveys/${survey}/invitations`, { contactIds: [contact], channel: 'link' }),
    201,
  );
  const invitationUrl = invited.items[0].url as string;
  expect((await submitForm(world, invitationUrl, { score: '2', reason: SECRET.reason })).status).toBe(303);
  await runLoopSweep(world.runtime.deps, world.now);
  const [found] = rowsOf<{ id: string }>(
    await world.runtime.database.db.execute(sql`select id from cases where org_id = ${a.orgId} limit 1`),
  );
  const caseId = found?.id ?? null;
  // The case goes to Front One, so Front Two (same branch) is the colleague who must not see it.
  if (caseId) await expectJson(a.api('PATCH', `/api/v1/cases/${caseId}`, { ownerUserId: front1.id }), 200);
  const link = await post('/api/v1/links', { surveyId: survey, unitId: branch1, name: 'A link' });
  const webhook = await post('/api/v1/webhooks', {
    url: 'http://127.0.0.1:9/a-hook',
    events: [],
    allowPrivate: true,
  });
  const mapping = await post('/api/v1/import-mappings', {
    kind: 'customers',
    name: 'A mapping',
    mapping: { customerName: 'Name' },
  });
  const suppression = (
    await expectJson(
      a.api('POST', '/api/v1/suppressions', { channel: 'email', address: 'zzsentinel.stop@example.org' }),
      201,
    )
  ).id as string;
  const keys = await expectJson(a.api('GET', '/api/v1/api-keys'), 200);
  return {
    a,
    b,
    ids: {
      region,
      branch1,
      branch2,
      employee,
      customer,
      contact,
      survey,
      invitation: invited.items[0].id,
      invitationUrl,
      caseId,
      link,
      webhook,
      mapping,
      suppression,
      apiKey: keys.items[0].id,
    },
    people: { manager2, front1, front2, analyst },
  };
}

/**
 * Every org-scoped table's row count and a digest of its rows for one organisation, to compare before and after
 * hostile requests. Tables that change on every authenticated request (a key's last use, sessions, the access log)
 * are left out.
 */
export async function snapshotOf(world: World, orgId: string): Promise<Record<string, string>> {
  const db = world.runtime.database.db;
  const tables = rowsOf<{ table_name: string }>(
    await db.execute(sql`select table_name from information_schema.columns
      where column_name = 'org_id' and table_schema = 'public' order by table_name`),
  )
    .map((r) => r.table_name)
    // The access log records reads of personal data by design: a refused or allowed read may add a line there.
    .filter((t) => !['api_keys', 'sessions', 'hook_receipts', 'access_log'].includes(t));
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = rowsOf<{ n: string; digest: string | null }>(
      await db.execute(
        sql.raw(
          `select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
           from "${table}" t where org_id = '${orgId}'`,
        ),
      ),
    );
    out[table] = `${row!.n}:${row!.digest}`;
  }
  return out;
}
