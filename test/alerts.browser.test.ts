// The bell, the notifications page and the webhooks page in real Chromium: an alert shows as unread, is read; an
// admin adds a webhook endpoint (refused for a loopback address until allowed) and sees its secret once.
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { defaultWebDir } from '../src/http/app.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { insertLoopEvent } from './support/people.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let served: ServedBrowser;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir });
  org = await buildOrg(world, 'ФитПарк');
  const [owner] = rowsOf<{ id: string }>(
    await world.runtime.database.db.execute(sql`select id from users where org_id = ${org.orgId}`),
  );
  await insertLoopEvent(world, org.orgId, {
    kind: 'case.urgent',
    recipients: [owner!.id],
    payload: { caseNumber: 7, score: 1, reason: 'Rude staff at the front desk', unitName: 'Arbat' },
  });
  world.advance(6_000);
  await world.runtime.worker.runDue(world.now);
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
});

afterAll(async () => {
  await served?.close();
  await world?.close();
});

describe('notifications and webhooks in the dashboard', () => {
  it('shows the unread alert on the bell and reads it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/customers`);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    const bell = page.getByRole('link', { name: '1 unread notification' }).first();
    await bell.waitFor({ timeout: 20_000 });
    await bell.click();
    await page.getByText('Urgent: a very unhappy customer (1 of 10) — Arbat').waitFor({ timeout: 10_000 });
    expect(await page.textContent('body')).toContain('«Rude staff at the front desk»');
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    // The sidebar's "Notifications" link is always there: wait for the bell's unread label to go instead.
    await page
      .getByRole('link', { name: '1 unread notification' })
      .first()
      .waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByRole('link', { name: '1 unread notification' }).count()).toBe(0);
    await page.screenshot({ path: '/tmp/sarafan-notifications.png', fullPage: true });
    await context.close();
  });

  it('adds a webhook endpoint: a loopback address needs allowPrivate, and the secret is shown once', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/webhooks`);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Добавить адрес' }).click();
    await page.getByLabel('URL').fill('http://127.0.0.1:9/hooks');
    await page.getByRole('button', { name: 'Добавить', exact: true }).click();
    await page
      .getByText(/127\.0\.0\.1 is a private, loopback/)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.getByLabel('Разрешить внутренний или локальный адрес').check();
    await page.getByRole('button', { name: 'Добавить', exact: true }).click();
    const secret = page.getByText(/^whsec_/);
    await secret.waitFor({ timeout: 10_000 });
    expect(await page.textContent('body')).toContain('он показывается только один раз');
    await page.getByRole('button', { name: 'Готово' }).click();
    await page.getByText('http://127.0.0.1:9/hooks').waitFor();
    expect(await page.getByText(/^whsec_/).count()).toBe(0);
    await page.screenshot({ path: '/tmp/sarafan-webhooks.png', fullPage: true });
    await context.close();
  });
});
