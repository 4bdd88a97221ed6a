// The 1 MB body limit over a real socket: judged by Content-Length when there is one, counted as it arrives when the
// body is chunked — and a body under the limit still reaches the route (an answer recorded).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvitations } from '../src/modules/invitations/index.js';
import { createSurvey } from '../src/modules/surveys/index.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let server: ReturnType<typeof serve> | undefined;
let port = 0;

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server!.address() as AddressInfo).port;
});
afterAll(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  await world.close();
});

/** POSTs `body` as JSON, with a Content-Length or chunked; resolves with the status and the body's text. */
function post(
  path: string,
  body: string,
  chunked: boolean,
  key?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    if (!chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (error) => {
      // The server may answer 413 and close before the whole body is sent.
      if (
        (error as NodeJS.ErrnoException).code === 'EPIPE' ||
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      )
        return;
      reject(error);
    });
    if (chunked) {
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
      req.end();
    } else req.end(body);
  });
}

describe('the body limit', () => {
  const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 ** 2), kind: 'branch' });

  it('refuses a 2 MB body with a Content-Length, as problem+json, and stores nothing', async () => {
    const r = await post('/api/v1/units', big, false, org.key);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text).code ?? JSON.parse(r.text).type).toBeTruthy();
    const units = await (await org.api('GET', '/api/v1/units')).json();
    expect(JSON.stringify(units)).not.toContain('xxxxxxxx');
  });

  it('refuses a 2 MB chunked body', async () => {
    const r = await post('/api/v1/units', big, true, org.key);
    expect(r.status).toBe(413);
  });

  it('lets a small body through to the route, with a Content-Length and chunked', async () => {
    const ctx = world.contextFor(org.orgId);
    const survey = await createSurvey(ctx, { name: 'Limit', audience: 'customer' });
    const [a, b] = await createInvitations(ctx, survey.id, { count: 2 }, 'http://sarafan.test');
    const tokenOf = (url: string) => url.split('/s/')[1]!;
    const body = JSON.stringify({ score: 9, reason: 'Всё хорошо' });
    expect((await post(`/s/${tokenOf(a!.url)}`, body, false)).status).toBe(201);
    expect((await post(`/s/${tokenOf(b!.url)}`, body, true)).status).toBe(201);
  });
});
