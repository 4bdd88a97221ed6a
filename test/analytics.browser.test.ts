// The Analysis page in real Chromium: the summary, the dynamics chart, a drill-down along the unit tree with its
// breadcrumbs, the forest plot, the answers behind a row, the filters kept in the address — on a phone and a projector.
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { type AnalyticsWorld, seedAnalytics } from './analytics-seed.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let seeded: AnalyticsWorld;
let served: ServedBrowser;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir, start: new Date('2026-09-10T10:00:00Z') });
  seeded = await seedAnalytics(world);
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
}, 240_000);

afterAll(async () => {
  await served?.close();
  await world?.close();
});

async function logIn(page: Page, next: string) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[type="email"]').fill(seeded.org.email);
  await page.locator('input[type="password"]').fill(seeded.org.password);
  await page.locator('button[type="submit"]').click();
}

const period = 'period=custom&from=2026-09-01&to=2026-10-31';

describe('the Analysis page', () => {
  it('drills down from the region to its branches, keeps it in the address and shows the answers behind a row', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await logIn(page, `/analysis?${period}`);
    await expect.poll(() => page.getByTestId('summary-nps').textContent(), { timeout: 60_000 }).toBe('31,3');
    await page.getByTestId('dynamics-chart').waitFor();
    const table = page.getByTestId('breakdown-table');
    await table.getByText('Север').click();
    await expect.poll(() => table.textContent()).toContain('Тверская');
    expect(page.url()).toContain(`parent=${seeded.u.north}`);
    expect(await page.getByTestId('breadcrumbs').textContent()).toContain('Север');
    expect(await table.textContent()).toMatch(/выше/);
    await page.getByTestId('forest-plot').waitFor();
    await page.screenshot({ path: '/tmp/sarafan-analysis-ru-1920.png', fullPage: true });

    // The drill-down as the screen shows it, in a CSV an analyst opens in Excel.
    await page.getByRole('button', { name: /^Выгрузить: Детализация/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /CSV/ }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toContain('Группа');
    expect(csv).toMatch(/Тверская/);
    expect(csv).toMatch(/Итого/);

    await table.getByRole('button', { name: 'Ответы: Тверская' }).click();
    const drawer = page.getByTestId('answers-drawer');
    await expect.poll(() => drawer.getByText('причина 9').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await context.close();
  }, 180_000);

  it('reads on a phone, in English, from a shared link with a filter', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await logIn(page, `/analysis?${period}&unit=${seeded.u.b}&by=employee`);
    await expect.poll(() => page.getByTestId('summary-nps').textContent(), { timeout: 60_000 }).toBe('12.5');
    expect(await page.getByTestId('active-filters').textContent()).toContain('Unit');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: '/tmp/sarafan-analysis-en-390.png', fullPage: true });
    await context.close();
  }, 180_000);

  it('shows employees apart, withholding a group of fewer than 5', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await logIn(page, '/analysis/employees?period=allTime');
    await page.getByTestId('empty-state').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('empty-state').first().textContent()).toContain('withheld');
    await context.close();
  }, 180_000);
});
