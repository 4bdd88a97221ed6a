// The reports page in real Chromium: a report asked for through the form appears in the library, its bar moves to
// "ready" once the worker has made it, and the download is the file; the schedules editor is there for the owner.
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { type ReportWorld, seedReportWorld } from './reports-library-seed.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';

let w: ReportWorld;
let served: ServedBrowser;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  w = await seedReportWorld({ webDir: defaultWebDir });
  served = await serveWithBrowser(w.world);
  browser = served.browser;
}, 300_000);

afterAll(async () => {
  await served?.close();
  await w?.world.close();
});

describe('the reports page', () => {
  it('generates a workbook from the form and shows it ready in the library, with a download', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${served.base}/login?next=${encodeURIComponent('/reports')}`);
    await page.locator('input[type="email"]').fill(w.org.email);
    await page.locator('input[type="password"]').fill(w.org.password);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('heading', { name: 'Отчёты' }).waitFor({ timeout: 60_000 });
    await page.getByText('Отчётов пока нет').waitFor();

    await page.getByTestId('report-kind').click();
    await page.getByRole('option', { name: 'Книга данных (Excel)' }).click();
    await page.getByTestId('report-from').fill('2026-10-01');
    await page.getByTestId('report-to').fill('2026-10-31');
    await page.getByTestId('report-submit').click();
    await page.getByText('В очереди: отчёт появится в библиотеке').waitFor();
    const row = page.getByTestId('report-row').first();
    await expect(row.getAttribute('data-status')).resolves.toBe('queued');
    await expect(row.textContent()).resolves.toContain('Книга данных (Excel)');

    // The worker makes it; the library (polling while something is being made) turns it ready.
    await w.world.runtime.worker.runDue(w.world.now);
    await page.locator('[data-testid="report-row"][data-status="done"]').waitFor({ timeout: 30_000 });
    const link = page.getByTestId('report-download').first();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    await expect(row.textContent()).resolves.toContain('CSV (ZIP)');

    await page.getByTestId('schedule-new').click();
    await page.getByTestId('schedule-form').waitFor();
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/reports-page.png', fullPage: true });
    await context.close();
  }, 120_000);
});
