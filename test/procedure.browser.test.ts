// The playbook page's procedure card in real Chromium: choose English, press download, and get a Word file of the
// org's closed-loop procedure in English.
import { existsSync, readFileSync } from 'node:fs';
import JSZip from 'jszip';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
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
  org = await buildOrg(world, 'Клиника «Здоровье»');
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
});

afterAll(async () => {
  await served?.close();
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
