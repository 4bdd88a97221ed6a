// End to end in real Chromium: a customer answers on a phone (JavaScript off, then on), the owner logs in and sees it.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let server: ServerType;
let base: string;
let browser: Browser;
const links: string[] = [];

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir, start: new Date() });
  org = await buildOrg(world, 'Клуб «Северный»');
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Северный', kind: 'branch' }), 201);
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  for (const ref of ['e2e-1', 'e2e-2']) {
    const customer = await expectJson(
      org.api('POST', '/api/v1/customers', { externalId: ref, name: ref }),
      201,
    );
    const contact = await expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId: customer.id,
        unitId: unit.id,
        occurredAt: new Date().toISOString(),
      }),
      201,
    );
    const { items } = await expectJson(
      org.api('POST', `/api/v1/surveys/${survey.id}/invitations`, { contactIds: [contact.id] }),
      201,
    );
    links.push(new URL(items[0].url).pathname);
  }
  await new Promise<void>((resolve) => {
    server = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  await world?.close();
});

const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

describe('in a real browser', () => {
  it('takes an answer on a phone with JavaScript off', async () => {
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}${links[0]}`);
    await expect(page.locator('textarea[name="reason"]').isVisible()).resolves.toBe(true);
    await page.check('input[name="score"][value="10"]', { force: true });
    await page.fill('textarea[name="reason"]', 'Лучший бассейн в районе');
    await Promise.all([page.waitForURL(/\/thanks$/), page.locator('form button[type="submit"]').click()]);
    expect(await page.textContent('body')).toMatch(/Спасибо/);
    await context.close();
  });

  it('takes an answer on a phone with JavaScript on, revealing the reason after a score', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.goto(`${base}${links[1]}`);
    await expect(page.locator('textarea[name="reason"]').isVisible()).resolves.toBe(false);
    await page.locator('label:has(input[name="score"][value="9"])').click();
    await page.locator('textarea[name="reason"]').waitFor({ state: 'visible' });
    await page.fill('textarea[name="reason"]', 'Хорошие тренеры');
    await Promise.all([page.waitForURL(/\/thanks$/), page.locator('form button[type="submit"]').click()]);
    await context.close();
  });

  it('shows both answers counted on the dashboard after logging in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    const nps = page.getByTestId('nps-value');
    await nps.waitFor({ timeout: 20_000 });
    // Two promoters (10 and 9) of two answers: NPS = 100.
    await expect
      .poll(async () => (await nps.textContent())?.replace(/\s/g, ''), { timeout: 10_000 })
      .toBe('100');
    expect(await page.textContent('body')).toContain('Хорошие тренеры');
    await page.screenshot({ path: '/tmp/sarafan-e2e-dashboard.png', fullPage: true });
    await context.close();
  });
});
