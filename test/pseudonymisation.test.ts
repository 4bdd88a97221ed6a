// The analyst works on pseudonymised data: every GET route of the OpenAPI document, every export and file, called
// as an analyst over customers whose names, e-mails and phones are known and whose reasons carry an e-mail, a phone
// and a card number — none of it may appear in any answer, and each customer keeps one pseudonym everywhere.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { pseudonymOf } from '../src/modules/privacy/index.js';
import { buildScopeFixture, type ScopeFixture, SECRET } from './security-fixture.js';
import { expectJson, startWorld, submitForm, type World } from './support/world.js';

let world: World;
let fx: ScopeFixture;
let routes: string[];

/** Customers with known personal data, and what their reasons say (an e-mail, a phone and a card in each). */
const PEOPLE = [
  {
    externalId: 'pii-ext-000111',
    name: 'Анастасия Приватова',
    email: 'anastasia.privatova@example.net',
    phone: '+7 916 555-12-34',
    phoneForms: ['+79165551234', '9165551234', '555-12-34'],
    reason:
      'Тренер не перезвонил. Пишите на anastasia.privatova@example.net или 8 (916) 555-12-34, карта 4276 3800 1234 5679 списана дважды. С уважением, Анастасия Приватова',
    reasonSecrets: ['4276 3800 1234 5679', '4276380012345679', '8 (916) 555-12-34'],
    score: 1,
  },
  {
    externalId: 'pii-ext-000222',
    name: 'Piiter Johnsonworth',
    email: 'piiter.johnsonworth@example.com',
    phone: '+44 20 7946 0958',
    phoneForms: ['+442079460958', '2079460958', '7946 0958'],
    reason:
      'Call me on +44 20 7946 0958 or write to piiter.j@example.org; card 5500-0000-0000-0004 was charged twice. Regards, Piiter',
    reasonSecrets: ['piiter.j@example.org', '5500-0000-0000-0004', '5500000000000004'],
    score: 3,
  },
  {
    externalId: 'pii-ext-000333',
    name: 'Борис Промоутеров',
    email: 'boris.promo@example.ru',
    phone: '8 (903) 777-88-99',
    phoneForms: ['+79037778899', '9037778899', '777-88-99'],
    reason: 'Всё отлично, 10 из 10! Мой номер 89037778899, почта boris.promo@example.ru',
    reasonSecrets: ['89037778899'],
    score: 10,
  },
];

const customerIds: string[] = [];

/** Every string that must never reach the analyst. */
function secrets(): string[] {
  return [
    SECRET.customerName,
    SECRET.customerEmail,
    SECRET.customerPhone,
    ...PEOPLE.flatMap((p) => [
      p.name,
      ...p.name.split(' '),
      p.email,
      p.phone,
      p.externalId,
      ...p.phoneForms,
      ...p.reasonSecrets,
    ]),
  ];
}

const RANDOM = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  world = await startWorld();
  fx = await buildScopeFixture(world);
  const a = fx.a;
  for (const p of PEOPLE) {
    const customer = await expectJson(
      a.api('POST', '/api/v1/customers', {
        externalId: p.externalId,
        name: p.name,
        email: p.email,
        phone: p.phone,
        homeUnitId: fx.ids.branch1,
      }),
      201,
    );
    customerIds.push(customer.id);
    const contact = await expectJson(
      a.api('POST', '/api/v1/contacts', {
        customerId: customer.id,
        unitId: fx.ids.branch1,
        employeeId: fx.ids.employee,
        service: 'Персональная тренировка',
        amountMinor: 250_000,
        occurredAt: new Date(world.now.getTime() - 7_200_000).toISOString(),
      }),
      201,
    );
    const invited = await expectJson(
      a.api('POST', `/api/v1/surveys/${fx.ids.survey}/invitations`, {
        contactIds: [contact.id],
        channel: 'link',
      }),
      201,
    );
    const url = invited.items[0].url as string;
    expect((await submitForm(world, url, { score: String(p.score), reason: p.reason })).status).toBe(303);
  }
  await runLoopSweep(world.runtime.deps, world.now);
  // The background jobs (theme tagging, rollups, the economics cache) run as the worker would.
  await world.runtime.worker.runDue(world.now);
  const doc = (await (await a.api('GET', '/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(doc.paths)
    .filter(([, ops]) => 'get' in ops)
    .map(([template]) => template);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

/** The ids of a list as the owner sees it (`items`, `themes` or a bare array). */
async function idsIn(path: string): Promise<string[]> {
  const r = await fx.a.api('GET', path);
  if (!r.ok) return [];
  const body = (await r.json()) as { items?: { id: string }[]; themes?: { id: string }[] } | { id: string }[];
  return (Array.isArray(body) ? body : (body.items ?? body.themes ?? [])).map((x) => x.id);
}

/** Org A's resource for each path parameter, by the area the route is in. */
async function idsByArea(): Promise<Record<string, string | null>> {
  const i = fx.ids;
  const first = async (path: string) => {
    return (await idsIn(path))[0] ?? null;
  };
  return {
    units: i.branch1,
    employees: i.employee,
    customers: customerIds[0]!,
    contacts: i.contact,
    surveys: i.survey,
    invitations: i.invitation,
    links: i.link,
    cases: (await first('/api/v1/cases')) ?? i.caseId,
    webhooks: i.webhook,
    'import-mappings': i.mapping,
    suppressions: i.suppression,
    'api-keys': i.apiKey,
    themes: await first('/api/v1/themes'),
    outbox: await first('/api/v1/outbox'),
    goals: await first('/api/v1/goals'),
    calls: null,
    imports: null,
  };
}

function fill(template: string, byArea: Record<string, string | null>): string {
  const area = template.replace('/api/v1/', '').split('/')[0]!;
  return template
    .replace('{channel}', 'email')
    .replace(/\{[a-zA-Z]+\}/g, (name) => (name === '{id}' ? (byArea[area] ?? RANDOM) : RANDOM));
}

/** The readable text of an answer: JSON, HTML, CSV as they are; the XML parts of DOCX, XLSX and PPTX files. */
async function textOf(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (type.startsWith('image/png')) return '';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const zip = await JSZip.loadAsync(bytes);
    const parts = await Promise.all(
      Object.values(zip.files)
        .filter((f) => !f.dir && /\.(xml|rels|txt|csv)$/.test(f.name))
        .map((f) => f.async('string')),
    );
    return parts.join('\n');
  }
  return new TextDecoder().decode(bytes);
}

const PSEUDONYM = /\bC-[0-9A-HJKMNP-TV-Z]{6,}\b/g;

interface Seen {
  route: string;
  status: number;
  text: string;
}

async function walk(caller: (m: string, p: string, b?: unknown) => Promise<Response>): Promise<Seen[]> {
  const byArea = await idsByArea();
  const seen: Seen[] = [];
  for (const template of routes) {
    const path = fill(template, byArea);
    const response = await caller('GET', path);
    seen.push({ route: `GET ${template}`, status: response.status, text: await textOf(response) });
  }
  // Every case and every theme's verbatims (the walk above reads one of each), and the lists with filters.
  const themes = await idsIn('/api/v1/themes');
  const cases = await idsIn('/api/v1/cases');
  expect(cases.length).toBeGreaterThanOrEqual(3);
  expect(themes.length).toBeGreaterThan(5);
  for (const path of [
    ...cases.map((id) => `/api/v1/cases/${id}`),
    ...themes.map((id) => `/api/v1/themes/${id}/answers`),
    `/api/v1/contacts?customerId=${customerIds[0]}`,
    `/api/v1/analytics/customers/answers?limit=100`,
    `/api/v1/surveys/${fx.ids.survey}/responses?limit=100`,
    `/api/v1/economics/customers?limit=100`,
  ]) {
    const response = await caller('GET', path);
    seen.push({ route: `GET ${path}`, status: response.status, text: await textOf(response) });
  }
  return seen;
}

/** A table export as the dashboard sends it: the rows it shows, with what the API gave it. */
function exportBody(format: 'csv' | 'xlsx', rows: Record<string, string | number | null>[]) {
  return {
    title: 'Ответы клиентов',
    format,
    columns: [
      { key: 'customer', label: 'Клиент' },
      { key: 'score', label: 'Оценка', type: 'integer' },
      { key: 'reason', label: 'Причина' },
    ],
    rows,
    readme: ['Период: ноябрь 2026'],
  };
}

describe('the analyst’s pseudonymised view', () => {
  it('shows no name, e-mail, phone, external id or card number of a customer on any GET route', async () => {
    const seen = await walk(fx.people.analyst.api);
    expect(seen.length).toBeGreaterThan(80);
    const leaks = seen.flatMap((s) =>
      secrets()
        .filter((secret) => s.text.includes(secret))
        .map((secret) => `${s.route} (${s.status}): ${secret}`),
    );
    expect(leaks).toEqual([]);
    expect(seen.filter((s) => s.status >= 500).map((s) => `${s.route}: ${s.text.slice(0, 200)}`)).toEqual([]);
    // The analyst did see the customers' answers, masked — the walk was not a series of refusals.
    const answers = seen.find((s) => s.route.startsWith('GET /api/v1/analytics/customers/answers?'))!;
    expect(answers.status).toBe(200);
    expect(answers.text).toContain('Тренер не перезвонил. Пишите на [e-mail] или [phone], карта [card]');
    expect(answers.text).toContain('Call me on [phone] or write to [e-mail]; card [card] was charged twice');
    expect(answers.text).toContain('10 из 10');
    // The author's own name in their reason is their pseudonym.
    const code = pseudonymOf(world.runtime.deps.vault, 'customer', customerIds[0]!);
    expect(answers.text).toContain(`списана дважды. С уважением, ${code}`);
    // …and in the other places a reason is quoted: overview, cases, theme verbatims, the raw responses.
    const masked = (route: RegExp) =>
      seen.filter((s) => route.test(s.route) && s.text.includes('[card]')).length;
    expect(masked(/^GET \/api\/v1\/overview$/)).toBe(1);
    expect(masked(/^GET \/api\/v1\/cases\/[0-9a-f-]{36}$/)).toBeGreaterThanOrEqual(2);
    expect(masked(/^GET \/api\/v1\/themes\/[0-9a-f-]{36}\/answers$/)).toBeGreaterThanOrEqual(1);
    expect(masked(/^GET \/api\/v1\/surveys\/\{id\}\/responses$/)).toBe(1);
  }, 180_000);

  it('names each customer by one pseudonym on every route that shows them', async () => {
    const seen = await walk(fx.people.analyst.api);
    const vault = world.runtime.deps.vault;
    const expected = new Map(customerIds.map((id) => [pseudonymOf(vault, 'customer', id), id] as const));
    const allIds = [fx.ids.customer, ...customerIds];
    const known = new Set(allIds.map((id) => pseudonymOf(vault, 'customer', id)));
    const routesByPseudonym = new Map<string, Set<string>>();
    for (const s of seen)
      for (const p of s.text.match(PSEUDONYM) ?? []) {
        // Every pseudonym shown is one of org A's customers', computed the one way.
        expect(known.has(p), `${s.route} shows ${p}`).toBe(true);
        if (!routesByPseudonym.has(p)) routesByPseudonym.set(p, new Set());
        routesByPseudonym.get(p)!.add(s.route.split('?')[0]!);
      }
    for (const [pseudonym] of expected) {
      const where = [...(routesByPseudonym.get(pseudonym) ?? [])];
      expect(where).toEqual(
        expect.arrayContaining([
          'GET /api/v1/customers',
          'GET /api/v1/analytics/customers/answers',
          'GET /api/v1/economics/customers',
        ]),
      );
    }
    const one = await expectJson(fx.people.analyst.api('GET', `/api/v1/customers/${customerIds[0]}`), 200);
    expect(one).toMatchObject({
      name: pseudonymOf(vault, 'customer', customerIds[0]!),
      email: null,
      phone: null,
      externalId: null,
    });
  }, 180_000);

  it('masks what an analyst exports, in CSV and XLSX, even when the rows sent carry personal data', async () => {
    const rows = PEOPLE.map((p) => ({
      customer: `${p.name} <${p.email}>`,
      score: p.score,
      reason: p.reason,
    }));
    const csv = await fx.people.analyst.api('POST', '/api/v1/exports/table', exportBody('csv', rows));
    expect(csv.status).toBe(200);
    const csvText = await csv.text();
    const xlsx = await fx.people.analyst.api('POST', '/api/v1/exports/table', exportBody('xlsx', rows));
    expect(xlsx.status).toBe(200);
    const xlsxText = await textOf(xlsx);
    for (const text of [csvText, xlsxText]) {
      for (const p of PEOPLE) {
        expect(text).not.toContain(p.email);
        for (const s of p.reasonSecrets) expect(text).not.toContain(s);
      }
      expect(text).toContain('[e-mail]');
      expect(text).toContain('[card]');
      expect(text).toContain('10 из 10');
    }
    // The XLSX is still a workbook with the numbers typed.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(
      (await (
        await fx.people.analyst.api('POST', '/api/v1/exports/table', exportBody('xlsx', rows))
      ).arrayBuffer()) as ArrayBuffer,
    );
    expect(book.worksheets[0]!.getCell('B2').value).toBe(1);
  });

  it('masks the example answers of a taxonomy preview an analyst asks for', async () => {
    const preview = await fx.people.analyst.api('POST', '/api/v1/themes/taxonomy/preview', {
      themes: [
        { name: { ru: 'Двойное списание', en: 'Charged twice' }, keywords: ['дважды', 'twice', 'отлично'] },
      ],
    });
    expect(preview.status).toBe(200);
    const text = await preview.text();
    expect(secrets().filter((secret) => text.includes(secret))).toEqual([]);
    const code = pseudonymOf(world.runtime.deps.vault, 'customer', customerIds[1]!);
    expect(text).toContain(`card [card] was charged twice. Regards, ${code}`);
  });

  it('pseudonymises every kind of report an analyst asks for, with the same codes as the API', async () => {
    const kinds = (await expectJson(fx.people.analyst.api('GET', '/api/v1/reports/kinds'), 200)) as
      | { items: { kind: string }[] }
      | { kind: string }[];
    const list = (Array.isArray(kinds) ? kinds : kinds.items).map((k) => k.kind);
    expect(list.length).toBeGreaterThanOrEqual(3);
    const vault = world.runtime.deps.vault;
    const known = new Set([fx.ids.customer, ...customerIds].map((id) => pseudonymOf(vault, 'customer', id)));
    const month = new Date(world.now).toISOString().slice(0, 7);
    const options = {
      locale: 'ru',
      audience: 'customer',
      from: `${month}-01`,
      to: `${month}-28`,
      unitId: null,
    };
    const files: { kind: string; text: string }[] = [];
    for (const kind of list) {
      const queued = await expectJson(
        fx.people.analyst.api('POST', '/api/v1/reports', { kind, options }),
        202,
      );
      await world.runtime.worker.runDue(world.now);
      const made = await expectJson(fx.people.analyst.api('GET', `/api/v1/reports/${queued.id}`), 200);
      expect(made, kind).toMatchObject({ status: 'done', error: null });
      files.push({
        kind,
        text: await textOf(await fx.people.analyst.api('GET', `/api/v1/reports/${queued.id}/file`)),
      });
    }
    for (const { kind, text } of files) {
      expect(
        secrets().filter((secret) => text.includes(secret)),
        kind,
      ).toEqual([]);
      for (const code of text.match(PSEUDONYM) ?? [])
        expect(known.has(code), `${kind} shows ${code}`).toBe(true);
    }
    // The workbook lists the answers, so the customers' codes are in it: the same codes the API gives.
    const workbook = files.find((f) => f.kind === 'workbook-xlsx')!;
    for (const id of customerIds) expect(workbook.text).toContain(pseudonymOf(vault, 'customer', id));
  }, 180_000);

  it('still shows an owner the real names, contacts and reasons', async () => {
    const one = await expectJson(fx.a.api('GET', `/api/v1/customers/${customerIds[0]}`), 200);
    expect(one).toMatchObject({
      name: PEOPLE[0]!.name,
      email: PEOPLE[0]!.email,
      externalId: PEOPLE[0]!.externalId,
    });
    const answers = await fx.a.api('GET', '/api/v1/analytics/customers/answers?limit=100');
    expect(await answers.text()).toContain(PEOPLE[0]!.reason);
    const csv = await fx.a.api(
      'POST',
      '/api/v1/exports/table',
      exportBody('csv', [{ customer: PEOPLE[0]!.name }]),
    );
    expect(await csv.text()).toContain(PEOPLE[0]!.name);
  });

  it('refuses an analyst a search by e-mail or phone (it would tell whether a person is a customer)', async () => {
    for (const q of [
      `email=${encodeURIComponent(PEOPLE[0]!.email)}`,
      `phone=${encodeURIComponent(PEOPLE[0]!.phone)}`,
    ]) {
      const r = await fx.people.analyst.api('GET', `/api/v1/customers?${q}`);
      expect(r.status).toBe(403);
    }
  });
});
