// The goals page in real Chromium: the list with statuses, a goal's checkpoint chart and table (with "not enough
// answers" where thin), the KPI matrix with its weights checked, and a goal set through the editor — in Russian and
// in English.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { answersAt, buildCustomerSurvey, buildUnit } from './goals-world.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let served: ServedBrowser;
let base: string;
let browser: Browser;
let goalId: string;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir, start: new Date('2026-01-10T09:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  const arbat = await buildUnit(org, 'Арбат', 'branch');
  const surveyId = await buildCustomerSurvey(org);
  await answersAt(world, org, surveyId, '2026-01-15T09:00:00Z', arbat, [15, 9, 6]);
  await answersAt(world, org, surveyId, '2026-02-12T09:00:00Z', arbat, [2, 6, 12]);
  await answersAt(world, org, surveyId, '2026-03-10T09:00:00Z', arbat, [3, 1, 1]);
  world.now = new Date('2026-03-15T09:00:00Z');
  const goal = await expectJson(
    org.api('POST', '/api/v1/goals', {
      name: 'NPS Арбата 40 к концу квартала',
      unitId: arbat,
      metric: 'nps',
      period: { kind: 'quarter', from: '2026-01-01' },
      baseline: 10,
      target: 40,
    }),
    201,
  );
  goalId = goal.id;
  await expectJson(
    org.api('POST', `/api/v1/goals/${goalId}/actions`, { title: 'Новый график уборки', day: '2026-02-01' }),
    201,
  );
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
}, 180_000);

afterAll(async () => {
  await served?.close();
  await world?.close();
});

async function signIn(locale: 'ru-RU' | 'en-US', next: string): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[type="email"]').fill(org.email);
  await page.locator('input[type="password"]').fill(org.password);
  await page.locator('button[type="submit"]').click();
  // The dashboard speaks the user's language (the owner's is Russian); the header switches it.
  if (locale === 'en-US') {
    await page
      .getByRole('heading', { name: 'Цели и KPI' })
      .or(page.getByTestId('goal-editor'))
      .first()
      .waitFor({ timeout: 60_000 });
    await page.locator('header').getByText('EN', { exact: true }).first().click();
    await page.getByText('Goals & KPI').first().waitFor();
  }
  return page;
}

describe('the goals page', () => {
  it('lists goals with their status and shows a goal’s checkpoints against their targets', async () => {
    const page = await signIn('ru-RU', '/goals');
    const row = page.getByTestId('goal-row').first();
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getAttribute('data-status')).toBe('off_track');
    expect(await row.textContent()).toContain('Отстаёт');
    await page.screenshot({ path: '/tmp/sarafan-goals-list-ru.png', fullPage: true });
    await row.getByRole('link').click();
    await page.getByTestId('checkpoint-chart').locator('svg').first().waitFor({ timeout: 30_000 });
    const table = page.getByTestId('checkpoint-table');
    const march = table.locator('tr[data-day="2026-03-31"]');
    expect(await march.textContent()).toContain('мало ответов (n = 5)');
    expect(await table.locator('tr[data-day="2026-01-31"]').textContent()).toContain('В графике');
    const significance = page.getByTestId('action-significance');
    expect(await significance.textContent()).toBe('значимо');
    await page.screenshot({ path: '/tmp/sarafan-goal-detail-ru.png', fullPage: true });
    await page.context().close();
  }, 120_000);

  it('shows the KPI matrix and refuses weights that do not sum to 100 before saving them', async () => {
    const page = await signIn('en-US', '/goals?tab=kpi');
    await page.getByTestId('kpi-level-middle').waitFor({ timeout: 60_000 });
    const top = page.getByTestId('kpi-table-top');
    expect(await top.textContent()).toContain('NPS');
    expect(await top.getByTestId('kpi-row').count()).toBe(1);
    await page.screenshot({ path: '/tmp/sarafan-goals-kpi-en.png', fullPage: true });
    const level = page.getByTestId('kpi-level-top');
    await level.getByTestId('matrix-edit').click();
    await level.getByLabel('Weight, % nps').fill('40');
    expect(await level.getByTestId('weights-error').textContent()).toContain(
      'The weights sum to 90%, not 100%',
    );
    await level.getByTestId('matrix-save').click();
    await expect.poll(() => level.getByTestId('weights-error').textContent()).toContain('not 100%');
    await level.getByLabel('Weight, % nps').fill('50');
    await level.getByLabel('Target nps').fill('20');
    await level.getByTestId('matrix-save').click();
    await level.getByTestId('kpi-table-top').waitFor();
    expect(await level.textContent()).toContain('the organisation’s');
    const matrices = await expectJson(org.api('GET', '/api/v1/kpi/matrices'), 200);
    expect(matrices.items[2].items[0]).toEqual({ metric: 'nps', weight: 50, target: 20 });
    await page.context().close();
  }, 120_000);

  it('sets a goal through the editor and names a bad field', async () => {
    const page = await signIn('en-US', '/goals/new');
    await page.getByTestId('goal-editor').waitFor({ timeout: 60_000 });
    await page.getByTestId('goal-name').fill('Company NPS 35 this quarter');
    // The economics analysis has no repeat answers to forecast from here: it says so instead of a number.
    await page.getByText('Show the targets the economics analysis proposes').click();
    await page
      .getByText(/No proposal|Proposed for/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('goal-editor').textContent()).not.toMatch(/NaN|Infinity/);
    await page.getByTestId('goal-target').fill('135');
    await page.getByTestId('goal-save').click();
    await page.getByText('From -100 to 100 (points) for nps').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: '/tmp/sarafan-goal-editor-en.png', fullPage: true });
    await page.getByTestId('goal-target').fill('35');
    await page.getByTestId('goal-save').click();
    await page.getByTestId('goal-detail').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('goal-target-value').textContent()).toBe('35');
    await page.getByTestId('checkpoint-chart').locator('svg').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: '/tmp/sarafan-goal-detail-en.png', fullPage: true });
    await page.context().close();
  }, 120_000);
});
