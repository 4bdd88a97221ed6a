// Anonymous links end to end through HTTP: managing them, answering by /l/{slug}, ballot-stuffing limits, QR
// codes, the printable card and the widget's script and CORS endpoint.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let branch: string;
let surveyId: string;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world, 'Кофейня «Ромашка»');
  const company = await expectJson(
    org.api('POST', '/api/v1/units', { name: 'Ромашка', kind: 'company' }),
    201,
  );
  branch = (
    await expectJson(
      org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch', parentId: company.id }),
      201,
    )
  ).id;
  surveyId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'На кассе', audience: 'customer', kind: 'transactional' }),
      201,
    )
  ).id;
});

afterAll(async () => {
  await world.close();
});

let ipCounter = 0;
/** A visitor: one IP address and the cookies its browser keeps. */
function visitor(ip = `198.51.100.${++ipCounter}`) {
  const cookies = new Map<string, string>();
  const request = async (method: string, path: string, init: { form?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await world.app.request(
      path,
      { method, headers, body: init.form ? new URLSearchParams(init.form).toString() : undefined },
      { incoming: { socket: { remoteAddress: ip } } },
    );
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      cookies.set(name!, value!);
    }
    return response;
  };
  return { ip, cookies, request };
}

async function newLink(body: Record<string, unknown> = {}) {
  return expectJson(
    org.api('POST', '/api/v1/links', { surveyId, unitId: branch, kind: 'qr', name: 'Стойка', ...body }),
    201,
  );
}

async function npsBy(groupBy: 'unit' | 'channel') {
  return (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=${groupBy}`), 200))
    .rows as { key: string; n: number; promoters: number; detractors: number }[];
}

const countOf = (rows: { key: string; n: number }[], key: string) => rows.find((r) => r.key === key)?.n ?? 0;

describe('managing links', () => {
  it('creates a per-unit link with a short random slug and its public URL, and lists, reads, renames it', async () => {
    const link = await newLink({ name: 'Ресепшн' });
    expect(link.slug).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(link.url).toBe(`http://sarafan.test/l/${link.slug}`);
    expect(link.snippet).toBe(`<script src="http://sarafan.test/w/${link.slug}.js" async></script>`);
    expect(link).toMatchObject({ unitId: branch, kind: 'qr', active: true, answers: 0 });
    const other = await newLink();
    expect(other.slug).not.toBe(link.slug);

    const list = await expectJson(org.api('GET', '/api/v1/links?limit=1'), 200);
    expect(list.items).toHaveLength(1);
    expect(list.nextCursor).toEqual(expect.any(String));
    const next = await expectJson(org.api('GET', `/api/v1/links?limit=1&cursor=${list.nextCursor}`), 200);
    expect(next.items[0].id).not.toBe(list.items[0].id);

    const renamed = await expectJson(org.api('PATCH', `/api/v1/links/${link.id}`, { name: 'Касса 1' }), 200);
    expect(renamed.name).toBe('Касса 1');
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).name).toBe('Касса 1');
  });

  it('refuses an employee survey, a unit of another org and a bad origin, naming the field', async () => {
    const enps = await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'eNPS', audience: 'employee', kind: 'relationship' }),
      201,
    );
    const problem = await expectJson(
      org.api('POST', '/api/v1/links', { surveyId: enps.id, kind: 'link', name: 'x' }),
      422,
    );
    expect(problem.errors[0].path).toBe('surveyId');
    const stranger = await buildOrg(world);
    const foreignUnit = await expectJson(
      stranger.api('POST', '/api/v1/units', { name: 'Чужой', kind: 'company' }),
      201,
    );
    const unitProblem = await expectJson(
      org.api('POST', '/api/v1/links', { surveyId, unitId: foreignUnit.id, kind: 'link', name: 'x' }),
      422,
    );
    expect(unitProblem.errors[0].path).toBe('unitId');
    const originProblem = await expectJson(
      org.api('POST', '/api/v1/links', {
        surveyId,
        kind: 'widget',
        name: 'x',
        origins: ['https://a.ru/path'],
      }),
      422,
    );
    expect(originProblem.errors[0].path).toBe('origins.0');
  });

  it('hides a link from another organisation: it can neither see, edit nor delete it', async () => {
    const link = await newLink();
    const stranger = await buildOrg(world);
    await expectJson(stranger.api('GET', `/api/v1/links/${link.id}`), 404);
    await expectJson(stranger.api('PATCH', `/api/v1/links/${link.id}`, { active: false }), 404);
    await expectJson(stranger.api('DELETE', `/api/v1/links/${link.id}`), 404);
    await expectJson(stranger.api('GET', `/api/v1/links/${link.id}/qr.png`), 404);
    await expectJson(stranger.api('GET', `/api/v1/links/${link.id}/card`), 404);
    expect((await expectJson(stranger.api('GET', '/api/v1/links'), 200)).items).toEqual([]);
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).active).toBe(true);
  });
});

describe('answering through /l/{slug}', () => {
  it('shows the survey page, records a POSTed answer under the link unit and channel "link", without a customer', async () => {
    const link = await newLink();
    const before = await npsBy('unit');
    const beforeChannel = await npsBy('channel');
    const guest = visitor();
    const page = await guest.request('GET', `/l/${link.slug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain(`action="/l/${link.slug}"`);
    expect(html).toContain('Кофейня «Ромашка»');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith('sarafan_device='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=31536000/);

    const sent = await guest.request('POST', `/l/${link.slug}`, { form: { score: '9', reason: 'Вкусно' } });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/l/${link.slug}/thanks`);
    const thanks = await guest.request('GET', `/l/${link.slug}/thanks`);
    expect(await thanks.text()).toContain('Спасибо за ответ!');

    expect(countOf(await npsBy('unit'), branch)).toBe(countOf(before, branch) + 1);
    expect(countOf(await npsBy('channel'), 'link')).toBe(countOf(beforeChannel, 'link') + 1);
    const [row] = rowsOf<Record<string, unknown>>(
      await world.runtime.database.db.execute(
        sql`select * from responses where org_id = ${org.orgId} and link_id = ${link.id}`,
      ),
    );
    const deviceId = guest.cookies.get('sarafan_device')!;
    expect(row).toMatchObject({ unit_id: branch, channel: 'link', customer_id: null, invitation_id: null });
    expect(row!.score).toBe(9);
    expect(row!.device_key).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain(deviceId);
    expect(JSON.stringify(row)).not.toContain(guest.ip);
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(1);
  });

  it('speaks English with ?lang=en and keeps it through the form', async () => {
    const link = await newLink();
    const guest = visitor();
    const html = await (await guest.request('GET', `/l/${link.slug}?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('How likely are you to recommend');
    expect(html).toContain(`action="/l/${link.slug}?lang=en"`);
    const sent = await guest.request('POST', `/l/${link.slug}?lang=en`, { form: { score: '10' } });
    expect(sent.headers.get('location')).toBe(`/l/${link.slug}/thanks?lang=en`);
    expect(await (await guest.request('GET', sent.headers.get('location')!)).text()).toContain(
      'Thank you for your answer!',
    );
  });

  it('lets one device answer once a day: a second answer the same day replaces the first, a new day adds one', async () => {
    const link = await newLink();
    const guest = visitor();
    await guest.request('GET', `/l/${link.slug}`);
    const before = await npsBy('unit');
    const branchRow = () => before.find((r) => r.key === branch);
    const base = { n: branchRow()?.n ?? 0, detractors: branchRow()?.detractors ?? 0 };

    expect((await guest.request('POST', `/l/${link.slug}`, { form: { score: '10' } })).status).toBe(303);
    expect((await guest.request('POST', `/l/${link.slug}`, { form: { score: '2' } })).status).toBe(303);
    let row = (await npsBy('unit')).find((r) => r.key === branch)!;
    expect(row.n).toBe(base.n + 1);
    expect(row.detractors).toBe(base.detractors + 1);
    // The page now says there is an answer that can still be changed, with it prefilled.
    const again = await (await guest.request('GET', `/l/${link.slug}`)).text();
    expect(again).toContain('Вы уже ответили');
    expect(again).toMatch(/value="2" checked=""/);
    // Another device on the same network is another answer.
    const neighbour = visitor(guest.ip);
    await neighbour.request('POST', `/l/${link.slug}`, { form: { score: '8' } });
    expect((await npsBy('unit')).find((r) => r.key === branch)!.n).toBe(base.n + 2);

    world.advance(24 * 3600_000);
    await guest.request('POST', `/l/${link.slug}`, { form: { score: '7' } });
    row = (await npsBy('unit')).find((r) => r.key === branch)!;
    expect(row.n).toBe(base.n + 3);
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(3);
  });

  it('answers 429 with a friendly page after 10 answers from one IP through one link in an hour', async () => {
    const link = await newLink();
    const ip = '203.0.113.77';
    for (let i = 0; i < 10; i++) {
      const fresh = visitor(ip);
      expect((await fresh.request('POST', `/l/${link.slug}`, { form: { score: '10' } })).status).toBe(303);
    }
    const eleventh = await visitor(ip).request('POST', `/l/${link.slug}`, { form: { score: '10' } });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThan(0);
    const html = await eleventh.text();
    expect(html).toContain('Слишком много ответов');
    expect(html).toContain('попробуйте ещё раз позже');
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(10);
    // Other addresses and other links are not affected.
    expect((await visitor().request('POST', `/l/${link.slug}`, { form: { score: '9' } })).status).toBe(303);
    const second = await newLink();
    expect((await visitor(ip).request('POST', `/l/${second.slug}`, { form: { score: '9' } })).status).toBe(
      303,
    );
  });

  it('shows a friendly 410 page for a deactivated link and takes no answer, and 404 for an unknown one', async () => {
    const link = await newLink();
    await expectJson(org.api('PATCH', `/api/v1/links/${link.id}`, { active: false }), 200);
    const guest = visitor();
    const page = await guest.request('GET', `/l/${link.slug}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('Опрос завершён');
    const post = await guest.request('POST', `/l/${link.slug}`, { form: { score: '10' } });
    expect(post.status).toBe(410);
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(0);
    const unknown = await guest.request('GET', '/l/AAAAAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Ссылка не найдена');
  });

  it('refuses a POST without a score with the form and a message, recording nothing', async () => {
    const link = await newLink();
    const r = await visitor().request('POST', `/l/${link.slug}`, { form: { reason: 'Без оценки' } });
    expect(r.status).toBe(422);
    expect(await r.text()).toContain('Пожалуйста, выберите оценку');
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(0);
  });
});

describe('QR code and card', () => {
  it('gives a PNG of the asked size whose modules are the QR code of the link URL', async () => {
    const link = await newLink();
    const r = await org.api('GET', `/api/v1/links/${link.id}/qr.png?size=400`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await r.arrayBuffer());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // pngjs comes with qrcode; it has no types of its own.
    const { PNG } = createRequire(import.meta.url)('pngjs');
    const image = PNG.sync.read(png) as { width: number; height: number; data: Buffer };
    expect(image.width).toBe(400);
    expect(image.height).toBe(400);
    // Sample the centre of every module and compare with the QR code of the URL.
    const qr = QRCode.create(link.url, { errorCorrectionLevel: 'M' });
    const count = qr.modules.size;
    const margin = 2;
    const scale = image.width / (count + 2 * margin);
    let differences = 0;
    for (let y = 0; y < count; y++) {
      for (let x = 0; x < count; x++) {
        const px = Math.floor((x + margin + 0.5) * scale);
        const py = Math.floor((y + margin + 0.5) * scale);
        const dark = image.data[(py * image.width + px) * 4]! < 128;
        if (dark !== Boolean(qr.modules.get(y, x))) differences++;
      }
    }
    expect(differences).toBe(0);
  });

  it('gives an SVG that is well-formed XML with the code drawn as a path', async () => {
    const link = await newLink();
    const r = await org.api('GET', `/api/v1/links/${link.id}/qr.svg`);
    expect(r.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await r.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).toMatch(/<path [^>]*d="M[^"]+"/);
    // Well-formed: every element opened is closed in order.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else if (!selfClosing) stack.push(name!);
    }
    expect(stack).toEqual([]);
  });

  it('renders a printable card with the QR code, the question in Russian and English, org and unit', async () => {
    const link = await newLink();
    const r = await org.api('GET', `/api/v1/links/${link.id}/card?format=a4`);
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain('Кофейня «Ромашка»');
    expect(html).toContain('Арбат');
    expect(html).toContain('Насколько вероятно, что вы порекомендуете Кофейня «Ромашка»');
    expect(html).toContain('How likely are you to recommend Кофейня «Ромашка»');
    expect(html).toContain('<svg');
    expect(html).toContain('@page{size:A4 portrait');
    expect(html).toContain(link.url);
  });
});

describe('the widget', () => {
  it('serves a script under 10 KB gzipped that other sites may load', async () => {
    const link = await newLink({ kind: 'widget' });
    const r = await world.app.request(`/w/${link.slug}.js`, { headers: { origin: 'https://shop.example' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('javascript');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('content-security-policy')).toBeNull();
    const script = await r.text();
    expect(script).toContain(`/w/${link.slug}/answers`);
    expect(script).toContain('attachShadow');
    const gzipped = gzipSync(script).length;
    expect(gzipped).toBeLessThanOrEqual(10 * 1024);
    expect((await world.app.request('/w/AAAAAAAAAAAA.js')).status).toBe(404);
  });

  it('answers the CORS preflight and takes a JSON answer with channel "widget", one per device and day', async () => {
    const link = await newLink({ kind: 'widget' });
    const beforeChannel = await npsBy('channel');
    const preflight = await world.app.request(`/w/${link.slug}/answers`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const post = (body: unknown, origin = 'https://shop.example') =>
      world.app.request(
        `/w/${link.slug}/answers`,
        {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
        { incoming: { socket: { remoteAddress: '192.0.2.10' } } },
      );
    const device = 'a'.repeat(32);
    const first = await post({ score: 6, reason: 'Долго ждал', device, lang: 'ru' });
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect((await post({ score: 9, device })).status).toBe(200);
    expect(countOf(await npsBy('channel'), 'widget')).toBe(countOf(beforeChannel, 'widget') + 1);
    expect((await expectJson(org.api('GET', `/api/v1/links/${link.id}`), 200)).answers).toBe(1);
    const bad = await post({ score: 11, device: 'not-hex' });
    expect(bad.status).toBe(422);
  });

  it('takes answers only from the sites a link names when it names any', async () => {
    const link = await newLink({ kind: 'widget', origins: ['https://shop.example'] });
    const post = (origin: string) =>
      world.app.request(`/w/${link.slug}/answers`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ score: 10, device: 'b'.repeat(32) }),
      });
    const refused = await post('https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await world.app.request(`/w/${link.slug}/answers`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(preflight.status).toBe(403);
    expect((await post('https://shop.example')).status).toBe(201);
  });
});
