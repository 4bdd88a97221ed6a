// Log-in and account security through the HTTP API: argon2id with re-hash, lockout, session expiry and log-out
// everywhere, two-step verification with recovery codes, API key scopes and expiry, security headers, the inbound
// webhook's limits and the outgoing webhook's refusal to follow redirects.
import { randomBytes, scryptSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS, totpCodeAt } from '../src/modules/auth/index.js';
import { signHook } from '../src/modules/imports/index.js';
import { postWebhook } from '../src/modules/webhooks/post.js';
import { bodyOf, buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;

beforeAll(async () => {
  world = await startWorld({ env: { TRUST_PROXY: '1' } });
  org = await buildOrg(world, 'Secure Org');
});

afterAll(async () => {
  await world?.close();
});

const q = async <T>(query: ReturnType<typeof sql>) =>
  rowsOf<T>(await world.runtime.database.db.execute(query));

async function login(email: string, password: string, extra: Record<string, string> = {}) {
  return world.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.50' },
    body: JSON.stringify({ email, password, ...extra }),
  });
}
const cookieOf = (r: Response) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;
const withCookie = (cookie: string, path: string, method = 'GET', body?: unknown) =>
  world.app.request(path, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function newUser(role = 'admin') {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'a long enough password';
  const user = await expectJson(org.api('POST', '/api/v1/users', { email, password, role }), 201);
  return { id: user.id as string, email, password };
}

describe('passwords', () => {
  it('stores argon2id, and re-hashes an old scrypt hash at the next log-in', async () => {
    const u = await newUser();
    const [stored] = await q<{ password_hash: string }>(
      sql`select password_hash from users where id = ${u.id}`,
    );
    expect(stored!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // The format of before: scrypt$N$r$p$salt$hash with N = 2^15, r = 8, p = 1.
    const salt = randomBytes(16);
    const key = scryptSync(u.password.normalize('NFKC'), salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 << 20,
    });
    const legacy = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    await q(sql`update users set password_hash = ${legacy} where id = ${u.id}`);
    expect((await login(u.email, u.password)).status).toBe(200);
    const [after] = await q<{ password_hash: string }>(
      sql`select password_hash from users where id = ${u.id}`,
    );
    expect(after!.password_hash).toMatch(/^\$argon2id\$/);
    expect((await login(u.email, u.password)).status).toBe(200);
  });

  it('locks an account after 5 failures with 429, Retry-After and problem+json, leaving others alone', async () => {
    const u = await newUser('manager');
    const other = await newUser('manager');
    for (let n = 0; n < 5; n++) expect((await login(u.email, `wrong-${n}`)).status).toBe(401);
    const locked = await login(u.email, u.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await bodyOf(locked)).detail).toMatch(/Too many failed log-ins for this account/);
    expect((await login(other.email, other.password)).status).toBe(200);
  });

  it('changes a password only with the current one, and ends the other sessions', async () => {
    const u = await newUser('frontline');
    const phone = cookieOf(await login(u.email, u.password));
    const laptop = cookieOf(await login(u.email, u.password));
    const wrong = await withCookie(laptop, '/api/v1/auth/password', 'POST', {
      currentPassword: 'nope',
      newPassword: 'another long password',
    });
    expect(wrong.status).toBe(422);
    const changed = await expectJson(
      withCookie(laptop, '/api/v1/auth/password', 'POST', {
        currentPassword: u.password,
        newPassword: 'another long password',
      }),
      200,
    );
    expect(changed.sessionsEnded).toBe(1);
    expect((await withCookie(phone, '/api/v1/auth/me')).status).toBe(401);
    expect((await withCookie(laptop, '/api/v1/auth/me')).status).toBe(200);
    expect((await login(u.email, 'another long password')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('ends after 30 idle minutes, and after 12 hours however busy', async () => {
    const u = await newUser('manager');
    const idle = cookieOf(await login(u.email, u.password));
    world.advance(SESSION_IDLE_MS + 60_000);
    expect((await withCookie(idle, '/api/v1/auth/me')).status).toBe(401);

    const busy = cookieOf(await login(u.email, u.password));
    for (let t = 0; t < SESSION_MAX_MS - 20 * 60_000; t += 20 * 60_000) {
      world.advance(20 * 60_000);
      expect((await withCookie(busy, '/api/v1/auth/me')).status).toBe(200);
    }
    world.advance(20 * 60_000);
    expect((await withCookie(busy, '/api/v1/auth/me')).status).toBe(401);
  });

  it('lists your sessions and logs you out everywhere', async () => {
    const u = await newUser('analyst');
    const a = cookieOf(await login(u.email, u.password));
    const b = cookieOf(await login(u.email, u.password));
    const list = await expectJson(withCookie(a, '/api/v1/auth/sessions'), 200);
    expect(list.items).toHaveLength(2);
    expect(list.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = list.items.find((s: { current: boolean }) => !s.current);
    expect((await withCookie(a, `/api/v1/auth/sessions/${other.id}`, 'DELETE')).status).toBe(204);
    expect((await withCookie(b, '/api/v1/auth/me')).status).toBe(401);
    const c = cookieOf(await login(u.email, u.password));
    expect((await expectJson(withCookie(a, '/api/v1/auth/logout-all', 'POST'), 200)).sessionsEnded).toBe(2);
    expect((await withCookie(a, '/api/v1/auth/me')).status).toBe(401);
    expect((await withCookie(c, '/api/v1/auth/me')).status).toBe(401);
  });

  it('sets the cookie HttpOnly, SameSite=Lax, and Secure behind a TLS proxy', async () => {
    const u = await newUser('manager');
    const plain = await login(u.email, u.password);
    expect(plain.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i);
    const tls = await login(u.email, u.password, {});
    expect(tls.status).toBe(200);
    const behindProxy = await world.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ email: u.email, password: u.password }),
    });
    expect(behindProxy.headers.get('set-cookie')).toMatch(/Secure/);
    expect(behindProxy.headers.get('set-cookie')).toMatch(/SameSite=Lax/);
  });
});

describe('two-step verification (TOTP)', () => {
  it('turns on with a QR code and a first code, then asks for a code at log-in, each code once', async () => {
    const u = await newUser('admin');
    const cookie = cookieOf(await login(u.email, u.password));
    const setup = await expectJson(withCookie(cookie, '/api/v1/auth/totp/setup', 'POST'), 200);
    expect(setup.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(setup.qrSvgDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const [row] = await q<{ totp_secret_enc: string }>(
      sql`select totp_secret_enc from users where id = ${u.id}`,
    );
    expect(row!.totp_secret_enc).not.toContain(setup.secret); // sealed by the vault
    const wrong = await withCookie(cookie, '/api/v1/auth/totp/enable', 'POST', { code: '000000' });
    expect(wrong.status).toBe(422);
    const on = await expectJson(
      withCookie(cookie, '/api/v1/auth/totp/enable', 'POST', { code: totpCodeAt(setup.secret, world.now) }),
      200,
    );
    expect(on.recoveryCodes).toHaveLength(10);

    const noCode = await login(u.email, u.password);
    expect(noCode.status).toBe(401);
    expect((await bodyOf(noCode)).errors[0].path).toBe('code');
    world.advance(30_000);
    const code = totpCodeAt(setup.secret, world.now);
    expect((await login(u.email, u.password, { code })).status).toBe(200);
    // The same code again inside its 30 seconds: refused (RFC 6238 §5.2).
    expect((await login(u.email, u.password, { code })).status).toBe(401);
    // A recovery code works once.
    expect((await login(u.email, u.password, { code: on.recoveryCodes[0] })).status).toBe(200);
    expect((await login(u.email, u.password, { code: on.recoveryCodes[0] })).status).toBe(401);
    expect((await expectJson(withCookie(cookie, '/api/v1/auth/second-factor'), 200)).recoveryCodesLeft).toBe(
      9,
    );

    world.advance(30_000);
    const off = await withCookie(cookie, '/api/v1/auth/totp/disable', 'POST', {
      password: u.password,
      code: totpCodeAt(setup.secret, world.now),
    });
    expect(off.status).toBe(204);
    expect((await login(u.email, u.password)).status).toBe(200);
  });
});

describe('API keys', () => {
  it('carry scopes and an expiry (90 days unless said), and stop working when they expire', async () => {
    const made = await expectJson(
      org.api('POST', '/api/v1/api-keys', { name: 'BI', scopes: ['read:cases'] }),
      201,
    );
    expect(made.scopes).toEqual(['read:cases']);
    expect(new Date(made.expiresAt).getTime() - world.now.getTime()).toBe(90 * 86_400_000);
    const use = (path: string) =>
      world.app.request(path, { headers: { authorization: `Bearer ${made.key}` } });
    expect((await use('/api/v1/cases')).status).toBe(200);
    expect((await use('/api/v1/units')).status).toBe(403);
    const listed = (await expectJson(org.api('GET', '/api/v1/api-keys'), 200)).items.find(
      (k: { id: string }) => k.id === made.id,
    );
    expect(listed).toMatchObject({ scopes: ['read:cases'], expired: false });
    expect(JSON.stringify(listed)).not.toContain(made.key);
    world.advance(91 * 86_400_000);
    const late = await use('/api/v1/cases');
    expect(late.status).toBe(401);
    expect((await bodyOf(late)).detail).toMatch(/expired/);
  });

  it('refuses unknown scopes, naming the field', async () => {
    const r = await org.api('POST', '/api/v1/api-keys', { name: 'x', scopes: ['root'] });
    expect(r.status).toBe(422);
    expect((await bodyOf(r)).errors[0].path).toBe('scopes.0');
  });
});

describe('security headers', () => {
  it('sends a CSP without inline script, no framing, nosniff and a referrer policy on the API', async () => {
    const r = await org.api('GET', '/api/v1/auth/me');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(r.headers.get('strict-transport-security')).toBeNull();
  });

  it('adds HSTS only when a trusted proxy says the request came over TLS', async () => {
    const r = await world.app.request('/api/openapi.json', { headers: { 'x-forwarded-proto': 'https' } });
    expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('serves the API docs without inline script', async () => {
    const html = await (await world.app.request('/api/docs')).text();
    expect(html).not.toMatch(/<script>(?!<\/script>)[^<]/);
    expect(html).toContain('/api/docs/assets/init.js');
  });
});

describe('public endpoints', () => {
  it('gives survey links 192 random bits and keeps only their SHA-256', async () => {
    const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Tokens', kind: 'branch' }), 201);
    const survey = await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'T', audience: 'customer', kind: 'transactional' }),
      201,
    );
    const tokens: string[] = [];
    for (let n = 0; n < 5; n++) {
      const c = await expectJson(org.api('POST', '/api/v1/customers', { name: `T${n}` }), 201);
      const v = await expectJson(
        org.api('POST', '/api/v1/contacts', {
          customerId: c.id,
          unitId: unit.id,
          occurredAt: '2026-11-19T10:00:00Z',
        }),
        201,
      );
      const inv = await expectJson(
        org.api('POST', `/api/v1/surveys/${survey.id}/invitations`, { contactIds: [v.id], channel: 'link' }),
        201,
      );
      tokens.push(new URL(inv.items[0].url).pathname.split('/')[2]!);
    }
    for (const token of tokens) {
      // 32 base64url characters = 24 bytes = 192 bits (≥ 128 asked).
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const stored = await q(
        sql`select 1 from invitations where token_hash = ${token} or id::text = ${token}`,
      );
      expect(stored).toEqual([]);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('blocks an address that keeps sending bad webhook signatures, even when it then signs right', async () => {
    const { secret } = await expectJson(org.api('POST', '/api/v1/hooks/secret'), 200);
    const send = (signature: (id: string, at: number, body: string) => string) => {
      const body = JSON.stringify({ occurredAt: '2026-11-20T09:00:00Z', unitName: 'nowhere' });
      const at = Math.floor(world.now.getTime() / 1000);
      const id = `msg_${randomBytes(6).toString('hex')}`;
      return world.app.request(`/api/v1/hooks/contacts/${org.orgId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': '192.0.2.77',
          'webhook-id': id,
          'webhook-timestamp': String(at),
          'webhook-signature': signature(id, at, body),
        },
        body,
      });
    };
    for (let n = 0; n < 20; n++) expect((await send(() => 'v1,AAAA')).status).toBe(401);
    const blocked = await send((id, at, body) => signHook(secret, id, at, body));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('outgoing webhooks', () => {
  let target: Server;
  let bait: Server;
  let baitHits = 0;
  beforeAll(async () => {
    bait = createServer((_req, res) => {
      baitHits++;
      res.end('secret');
    });
    await new Promise<void>((r) => bait.listen(0, '127.0.0.1', r));
    const baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/latest/meta-data`;
    target = createServer((_req, res) => {
      res.writeHead(302, { location: baitUrl });
      res.end();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await new Promise((r) => target.close(r));
    await new Promise((r) => bait.close(r));
  });

  it('never follows a redirect (to an internal address or anywhere)', async () => {
    const result = await postWebhook({
      url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`,
      body: '{}',
      headers: {},
      timeoutMs: 5_000,
      allowPrivate: true,
    });
    expect(result).toMatchObject({ ok: false, status: 302 });
    expect(result.error).toMatch(/redirects are not followed/);
    expect(baitHits).toBe(0);
  });

  it('refuses a private target after DNS resolution unless allowed', async () => {
    const result = await postWebhook({
      url: `http://localhost:${(target.address() as AddressInfo).port}/hook`,
      body: '{}',
      headers: {},
      timeoutMs: 5_000,
      allowPrivate: false,
    });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/refused/);
  });
});
