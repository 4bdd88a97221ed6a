// TRUST_PROXY: behind a reverse proxy every respondent of an anonymous link keeps their own rate-limit budget,
// and without it X-Forwarded-For is the client's text, which buys no extra answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let behindProxy: World;
let direct: World;

beforeAll(async () => {
  behindProxy = await startWorld({ env: { TRUST_PROXY: '1' } });
  direct = await startWorld();
});
afterAll(async () => {
  await behindProxy?.close();
  await direct?.close();
});

async function linkIn(world: World): Promise<{ org: TestOrg; slug: string }> {
  const org = await buildOrg(world);
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201);
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'На кассе', audience: 'customer', kind: 'transactional' }),
    201,
  );
  const link = await expectJson(
    org.api('POST', '/api/v1/links', { surveyId: survey.id, unitId: unit.id, kind: 'qr', name: 'Стойка' }),
    201,
  );
  return { org, slug: link.slug };
}

/** An answer as it reaches Sarafan through nginx on the same machine: the socket peer is 127.0.0.1. */
function answerVia(world: World, slug: string, forwardedFor: string, proto = 'http') {
  return world.app.request(
    `/l/${slug}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': forwardedFor,
        'x-forwarded-proto': proto,
      },
      body: 'score=9',
    },
    { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
  );
}

describe('TRUST_PROXY', () => {
  it('gives each respondent behind the proxy their own budget, and the 11th answer from one of them a 429', async () => {
    const { slug } = await linkIn(behindProxy);
    for (let i = 1; i <= 12; i++) {
      expect((await answerVia(behindProxy, slug, `203.0.113.${i}`)).status).toBe(303);
    }
    for (let i = 0; i < 10; i++)
      expect((await answerVia(behindProxy, slug, '198.51.100.1')).status).toBe(303);
    // The client prepends a made-up address: the proxy's right-most entry still names it.
    expect((await answerVia(behindProxy, slug, '1.2.3.4, 198.51.100.1')).status).toBe(429);
  });

  it('makes the device cookie Secure when the proxy says the visitor came over HTTPS', async () => {
    const { slug } = await linkIn(behindProxy);
    const secure = await answerVia(behindProxy, slug, '203.0.113.200', 'https');
    expect(secure.headers.get('set-cookie')).toMatch(/Secure/);
    const plain = await answerVia(behindProxy, slug, '203.0.113.201', 'http');
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('is off by default: X-Forwarded-For is ignored, so made-up addresses share the peer’s budget', async () => {
    const { slug } = await linkIn(direct);
    for (let i = 1; i <= 10; i++) expect((await answerVia(direct, slug, `203.0.113.${i}`)).status).toBe(303);
    expect((await answerVia(direct, slug, '203.0.113.11')).status).toBe(429);
    const secure = await answerVia(direct, slug, '203.0.113.12', 'https');
    expect(secure.headers.get('set-cookie') ?? '').not.toMatch(/Secure/);
  });
});
