// The loyalty economics page in real Chromium: segment values with intervals and the money between them, baskets,
// the transition heatmap, a scenario refused at 150% and compared once fixed, the forecast with targets — in Russian
// and English — and an organisation without data told so instead of shown numbers.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { createSurvey, seedClub } from './economics-seed.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let empty: TestOrg;
let served: ServedBrowser;
let base: string;
let browser: Browser;
let englishEmail: string;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir, start: new Date() });
  org = await buildOrg(world, 'ФитПарк');
  empty = await buildOrg(world, 'Новый клуб');
  const arbat = (await expectJson(org.api('POST', '/api/v1/units', { name: 'Арбат', kind: 'branch' }), 201))
    .id;
  await seedClub(world, org, arbat, await createSurvey(org));
  englishEmail = (await buildUser(world, org, { role: 'analyst', locale: 'en' })).email;
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
});

afterAll(async () => {
  await served?.close();
  await world?.close();
});

async function login(page: Page, email: string, password: string, next: string) {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

describe('the economics page', () => {
  it('shows what each segment is worth, baskets, transitions, scenarios and the forecast (ru)', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await login(page, org.email, org.password, '/economics');
    const promoter = page.getByTestId('ltv-promoter');
    await promoter.waitFor({ timeout: 60_000 });
    expect(await promoter.textContent()).toMatch(/₽/);
    // When the figures were computed and the state of the full recomputation behind them
    const refresh = await page.getByTestId('economics-refresh').textContent();
    expect(refresh).toContain('Данные на');
    expect(refresh).toMatch(/Пересчитано по всем контактам .+ за [\d,]+ с/);
    expect(await page.getByTestId('value-detractor').textContent()).toContain('95% интервал');
    expect(await page.getByTestId('diff-pd').textContent()).toMatch(/₽/);
    expect(await page.textContent('body')).not.toMatch(/NaN|Infinity/);
    expect(await page.getByTestId('no-referrals').textContent()).toContain('рекомендациях');
    await page.screenshot({ path: '/tmp/sarafan-economics-value-ru.png', fullPage: true });

    await page.getByRole('tab', { name: 'Корзины' }).click();
    const baskets = page.getByTestId('baskets-table');
    await baskets.waitFor();
    expect(await baskets.textContent()).toContain('Персональная тренировка');
    expect(await baskets.textContent()).toContain('промоутеров');

    await page.getByRole('tab', { name: 'Переходы' }).click();
    await page.getByTestId('heatmap').waitFor();
    expect(await page.getByTestId('closed-loop-effect').textContent()).toMatch(/100\s?%/);
    await page.screenshot({ path: '/tmp/sarafan-economics-transitions-ru.png', fullPage: true });

    await page.getByRole('tab', { name: 'Сценарии' }).click();
    await page.getByTestId('move-costs').waitFor();
    const share = page.getByTestId('share-0-0');
    await share.fill('150');
    await page.getByTestId('evaluate').click();
    await page.getByText('At most 100% of the segment').first().waitFor();
    await share.fill('20');
    await page.getByTestId('evaluate').click();
    const results = page.getByTestId('scenario-results');
    await results.waitFor();
    expect(await results.textContent()).toContain('NPS');
    await page.screenshot({ path: '/tmp/sarafan-economics-scenarios-ru.png', fullPage: true });

    await page.getByRole('tab', { name: 'Прогноз и цели' }).click();
    await page.getByTestId('forecast-chart').waitFor({ timeout: 30_000 });
    const targets = page.getByTestId('targets');
    await targets.waitFor();
    expect(await targets.textContent()).toContain('Компания');
    expect(await targets.textContent()).toContain('прогноз');
    await page.screenshot({ path: '/tmp/sarafan-economics-forecast-ru.png', fullPage: true });
    await context.close();
  }, 180_000);

  it('speaks English to an English-speaking analyst', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await login(page, englishEmail, 'correct horse battery', '/economics');
    await page.getByTestId('ltv-promoter').waitFor({ timeout: 60_000 });
    expect(await page.textContent('body')).toContain('The money between segments');
    await page.screenshot({ path: '/tmp/sarafan-economics-value-en.png', fullPage: true });
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByTestId('setting-margin').isDisabled()).toBe(true);
    await context.close();
  }, 120_000);

  it('says the data is too thin instead of printing numbers', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await login(page, empty.email, empty.password, '/economics');
    await page.getByTestId('value-promoter').waitFor({ timeout: 60_000 });
    const card = await page.getByTestId('value-promoter').textContent();
    expect(card).toContain('Слишком мало клиентов');
    expect(card).not.toMatch(/₽|NaN/);
    await context.close();
  }, 120_000);
});
