// The playbook page's procedure card in real Chromium: choose English, press download, and get a Word file of the
// org's closed-loop procedure in English.
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import JSZip from 'jszip';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let server: ServerType;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir });
  org = await buildOrg(world, 'Клиника «Здоровье»');
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
  await new Promise((resolve) => server?.close(resolve));
  await world?.close();
});

describe('the procedure card', () => {
  it('downloads the closed-loop procedure in the language chosen', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/playbook`);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    const card = page.getByTestId('procedure-card');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain('Положение о замкнутом цикле');
    await page.screenshot({ path: '/tmp/sarafan-procedure-card.png' });
    await card.getByText('English').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('procedure-download').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^closed-loop-procedure-\d{4}-\d{2}-\d{2}\.docx$/);
    const zip = await JSZip.loadAsync(readFileSync((await download.path())!));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).toContain('Front-line staff');
    expect(xml).toContain('Клиника «Здоровье»');
    await context.close();
  }, 120_000);
});
