// Every route of the OpenAPI document, called by people who must not see org A's branch 1: another organisation's
// owner, a manager of another branch, a front-line colleague, an analyst. Each gets only what they may — a refusal
// (403/404/422, never a 500) for what is not theirs, and never a byte of it in any answer — and org A's data is
// the same afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScopeFixture, type ScopeFixture, SECRET, snapshotOf } from './security-fixture.js';
import type { TestUser } from './support/people.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let fx: ScopeFixture;
let routes: { method: string; template: string }[];

beforeAll(async () => {
  world = await startWorld();
  fx = await buildScopeFixture(world);
  const doc = (await (await fx.a.api('GET', '/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.keys(ops).map((method) => ({ method: method.toUpperCase(), template })),
  );
}, 120_000);

afterAll(async () => {
  await world?.close();
});

const RANDOM = '00000000-0000-4000-8000-000000000000';

/** Org A's resource for a path parameter, by the area it is in; unknown ones get a well-formed random id. */
function fill(template: string): string {
  const i = fx.ids;
  const byArea: Record<string, string | null> = {
    units: i.branch1,
    employees: i.employee,
    customers: i.customer,
    contacts: i.contact,
    surveys: i.survey,
    invitations: i.invitation,
    links: i.link,
    cases: i.caseId,
    webhooks: i.webhook,
    'import-mappings': i.mapping,
    suppressions: i.suppression,
    'api-keys': i.apiKey,
  };
  const area = template.replace('/api/v1/', '').split('/')[0]!;
  return template
    .replace('{channel}', 'email')
    .replace('/webhooks/deliveries/{id}', `/webhooks/deliveries/${RANDOM}`)
    .replace(/\{[a-zA-Z]+\}/g, (name) => (name === '{id}' ? (byArea[area] ?? RANDOM) : RANDOM));
}

/** Plausible bodies, so a refusal comes from the scope check and not from validation; they name org A's things. */
function bodyFor(method: string, template: string): unknown {
  const i = fx.ids;
  const bodies: Record<string, unknown> = {
    'PATCH /api/v1/units/{id}': { name: 'hijacked' },
    'PATCH /api/v1/employees/{id}': { name: 'hijacked' },
    'PATCH /api/v1/customers/{id}': { name: 'hijacked' },
    'PATCH /api/v1/surveys/{id}': { name: 'hijacked' },
    'PATCH /api/v1/links/{id}': { name: 'hijacked' },
    'PATCH /api/v1/cases/{id}': { status: 'in_progress' },
    'POST /api/v1/cases/{id}/notes': { text: 'hijacked' },
    'POST /api/v1/cases/{id}/attempts': { channel: 'phone', outcome: 'reached' },
    'PATCH /api/v1/webhooks/{id}': { description: 'hijacked' },
    'PUT /api/v1/import-mappings/{id}': { kind: 'customers', name: 'x', mapping: { customerName: 'N' } },
    'POST /api/v1/surveys/{id}/invitations': { contactIds: [i.contact], channel: 'link' },
    'POST /api/v1/contacts': {
      customerId: i.customer,
      unitId: i.branch1,
      occurredAt: '2026-11-19T10:00:00Z',
    },
    'POST /api/v1/employees': { name: 'x', unitId: i.branch1 },
    'POST /api/v1/units': { name: 'x', kind: 'branch', parentId: i.region },
    'POST /api/v1/links': { surveyId: i.survey, unitId: i.branch1, name: 'x' },
    'POST /api/v1/users': {
      email: `intruder${Math.random()}@example.com`,
      password: 'correct horse battery',
      role: 'manager',
      unitIds: [i.branch1],
    },
    'POST /api/v1/customers': { name: 'x', homeUnitId: i.branch1 },
  };
  return bodies[`${method} ${template}`] ?? (method === 'GET' || method === 'DELETE' ? undefined : {});
}

/** Query parameters naming org A's things, on every GET: filters must not reach across. */
const hostileQuery = () =>
  `unitId=${fx.ids.branch1}&surveyId=${fx.ids.survey}&customerId=${fx.ids.customer}&employeeId=${fx.ids.employee}`;

/** Routes where a person changes only their own things: preferences, the bell, their session, the next call. */
const selfService = /^\/api\/v1\/(me|notifications|auth)\/|^\/api\/v1\/calls\/next$/;

type Caller = (method: string, path: string, body?: unknown) => Promise<Response>;

interface Finding {
  route: string;
  status: number;
  problem: string;
}

/** Calls every route as `caller` and lists what went wrong: a 5xx, a success on org A's thing, or a leak. */
async function sweep(
  caller: Caller,
  o: {
    secrets: string[];
    refuseIdRoutes: (template: string, method: string) => boolean;
    /** 'all'; 'others' = not the caller's own settings, bell and call queue (theirs to change); 'none'. */
    writes: 'all' | 'others' | 'none';
  },
): Promise<{ findings: Finding[]; calls: number }> {
  const findings: Finding[] = [];
  let calls = 0;
  for (const { method, template } of routes) {
    if (template === '/api/v1/auth/login' || template.startsWith('/api/v1/auth/logout')) continue;
    if (method !== 'GET' && o.writes === 'none') continue;
    if (method !== 'GET' && o.writes === 'others' && selfService.test(template)) continue;
    const path = fill(template);
    const url = method === 'GET' ? `${path}${path.includes('?') ? '&' : '?'}${hostileQuery()}` : path;
    const response = await caller(method, url, bodyFor(method, template));
    calls++;
    const text = response.headers.get('content-type')?.includes('json') ? await response.text() : '';
    const route = `${method} ${template}`;
    if (response.status >= 500)
      findings.push({ route, status: response.status, problem: text.slice(0, 200) });
    const hasOwnId = template.includes('{') && path !== template.replace(/\{[a-zA-Z]+\}/g, RANDOM);
    if (hasOwnId && o.refuseIdRoutes(template, method) && response.ok)
      findings.push({ route, status: response.status, problem: 'answered 2xx on a thing it may not touch' });
    const leaked = o.secrets.filter((s) => text.includes(s));
    if (leaked.length)
      findings.push({ route, status: response.status, problem: `leaked ${leaked.join(', ')}` });
  }
  return { findings, calls };
}

const userCaller = (u: TestUser): Caller => u.api;

/**
 * Reads every GET route once as `caller`, answers unchecked: some reads set things up the first time (a default
 * theme list, a first economics state, a job), which must not count as a change made by the sweep after it.
 */
async function warmUp(caller: Caller): Promise<void> {
  for (const { method, template } of routes) if (method === 'GET') await caller('GET', fill(template));
}

describe('organisation and unit scope on every route of the OpenAPI document', () => {
  it('enumerates the document: every module is in it', () => {
    expect(routes.length).toBeGreaterThan(100);
    for (const area of ['units', 'customers', 'cases', 'webhooks', 'api-keys', 'imports', 'links'])
      expect(routes.some((r) => r.template.startsWith(`/api/v1/${area}`))).toBe(true);
  });

  it("gives another organisation's owner key nothing of org A, reads or writes, and changes nothing there", async () => {
    await warmUp(fx.a.api);
    await warmUp(fx.b.api);
    const before = await snapshotOf(world, fx.a.orgId);
    const i = fx.ids;
    const idsOfA = [i.branch1, i.customer, i.contact, i.employee, i.survey, i.link, i.webhook, i.mapping];
    const { findings, calls } = await sweep(fx.b.api, {
      // Org A's ids may come back only inside a refusal that echoes the request; never in a success.
      secrets: [...Object.values(SECRET)],
      refuseIdRoutes: () => true,
      writes: 'all',
    });
    expect(findings).toEqual([]);
    expect(calls).toBeGreaterThan(100);
    expect(await snapshotOf(world, fx.a.orgId)).toEqual(before);
    // And nothing of A was linked into B by a write that named A's ids.
    const bData = JSON.stringify(await snapshotOf(world, fx.b.orgId));
    for (const id of idsOfA) expect(bData).not.toContain(id);
  }, 120_000);

  it('shows a manager of another branch nothing of branch 1, and lets them change none of it', async () => {
    await warmUp(fx.people.manager2.api);
    const before = await snapshotOf(world, fx.a.orgId);
    const { findings } = await sweep(userCaller(fx.people.manager2), {
      secrets: [
        SECRET.customerName,
        SECRET.customerEmail,
        SECRET.reason,
        SECRET.unitName,
        SECRET.employeeName,
      ],
      // Branch 1's own things; the organisation-wide ones (a survey, a playbook) may be theirs to read.
      refuseIdRoutes: (t, m) =>
        /^\/api\/v1\/(units|employees|customers|contacts|cases|links|webhooks|import-mappings|api-keys)\//.test(
          t,
        ) ||
        (m !== 'GET' && /^\/api\/v1\/(surveys|suppressions)\//.test(t)),
      writes: 'others',
    });
    expect(findings).toEqual([]);
    expect(await snapshotOf(world, fx.a.orgId)).toEqual(before);
  }, 120_000);

  it("shows a front-line user neither a colleague's case nor admin data, and lets them change none of it", async () => {
    await warmUp(fx.people.front2.api);
    const before = await snapshotOf(world, fx.a.orgId);
    const { findings } = await sweep(userCaller(fx.people.front2), {
      // Branch 1's customers and links are this user's branch's: theirs to see (they call customers back).
      secrets: [fx.ids.caseId ?? 'no case'],
      refuseIdRoutes: (t, m) =>
        /^\/api\/v1\/(cases|webhooks|import-mappings|api-keys)\//.test(t) ||
        (m !== 'GET' && !selfService.test(t)),
      writes: 'others',
    });
    expect(findings).toEqual([]);
    expect(await snapshotOf(world, fx.a.orgId)).toEqual(before);
  }, 120_000);

  it('shows an analyst no name, e-mail or phone of a customer anywhere', async () => {
    const { findings } = await sweep(userCaller(fx.people.analyst), {
      secrets: [SECRET.customerName, SECRET.customerEmail, SECRET.customerPhone],
      refuseIdRoutes: () => false,
      writes: 'none',
    });
    expect(findings).toEqual([]);
  }, 120_000);

  it('still lets the front-line owner of the case see and work it (the sweep refuses for the right reason)', async () => {
    const caseId = fx.ids.caseId!;
    expect((await fx.people.front1.api('GET', `/api/v1/cases/${caseId}`)).status).toBe(200);
    expect((await fx.people.front2.api('GET', `/api/v1/cases/${caseId}`)).status).toBe(404);
    expect((await fx.b.api('GET', `/api/v1/units/${fx.ids.branch1}`)).status).toBe(404);
    // Fixed here: customers were the organisation's for everyone; now a branch's people see their branch's.
    expect((await fx.people.manager2.api('GET', `/api/v1/customers/${fx.ids.customer}`)).status).toBe(404);
    expect((await fx.people.front1.api('GET', `/api/v1/customers/${fx.ids.customer}`)).status).toBe(200);
    expect((await fx.a.api('GET', `/api/v1/units/${fx.ids.branch1}`)).status).toBe(200);
  });
});
