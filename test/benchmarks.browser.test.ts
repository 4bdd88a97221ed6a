// The benchmarks page in real Chromium: the customer NPS with its interval beside the chosen industry, with the
// source and year under the chart; an own row added; the comparison exported as CSV; a drop check run from the
// page; and the benchmark note on the customer overview. Screenshots in Russian and English.
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { recordAnswers } from './benchmarks-answers.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let served: ServedBrowser;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir, start: new Date('2026-10-01T07:00:00Z') });
  org = await buildOrg(world, 'ФитПарк');
  const unit = async (name: string) =>
    (await expectJson(org.api('POST', '/api/v1/units', { name, kind: 'branch' }), 201)).id as string;
  const arbat = await unit('Арбат');
  const tverskaya = await unit('Тверская');
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  const answers = (unitId: string, day: string, p: number, a: number, d: number) =>
    recordAnswers(world, org.orgId, survey.id, { unitId, day, p, a, d });
  await answers(arbat, '2026-10-10', 60, 20, 20);
  await answers(tverskaya, '2026-10-12', 50, 30, 20);
  await answers(arbat, '2026-11-10', 30, 30, 40);
  await answers(tverskaya, '2026-11-12', 55, 25, 20);
  world.now = new Date('2026-12-02T10:00:00Z');
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await world?.close();
});

async function signIn(page: Page, next: string) {
  await page.goto(`${base}/login?next=${next}`);
  await page.locator('input[type="email"]').fill(org.email);
  await page.locator('input[type="password"]').fill(org.password);
  await page.locator('button[type="submit"]').click();
}

describe('the benchmarks page', () => {
  it('shows the NPS with its interval beside the chosen industry, and exports it', async () => {
    const context = await browser.newContext({
      locale: 'ru-RU',
      acceptDownloads: true,
      viewport: { width: 1280, height: 1600 },
    });
    const page = await context.newPage();
    await signIn(page, '/benchmarks');
    const yours = page.getByTestId('benchmark-yours');
    await yours.waitFor({ timeout: 60_000 });
    // Oct + Nov: 195 P, 105 passives, 100 D of 400 → NPS 23.75, shown with one decimal.
    expect(await yours.textContent()).toMatch(
      /^Ваш NPS 23,8 \(95% интервал 1\d,\d … 3\d,\d, ответов: 400\)$/,
    );
    await expect.poll(() => page.getByText('Выберите отрасль ниже').count()).toBe(1);

    await page.getByPlaceholder('Не выбрана').click();
    await page.getByRole('option', { name: 'Банки', exact: true }).click();
    await page.getByText('Сохранено').first().waitFor();
    await page.getByText('Лидер: USAA 87: выше вашего интервала — вы действительно отстаёте').waitFor();
    await page.getByText('Среднее по отрасли 18: внутри вашего интервала').waitFor();
    expect(await page.getByTestId('benchmark-source').first().textContent()).toBe(
      'Источник: Satmetrix, американские компании, год не указан',
    );
    await page.getByTestId('benchmark-chart').locator('.recharts-bar-rectangle').first().waitFor();

    await page.getByLabel('Название').fill('Фитнес-клубы Москвы');
    await page.getByLabel('NPS', { exact: true }).fill('31');
    await page.getByLabel('Источник').fill('Ассоциация фитнес-индустрии');
    await page.getByLabel('Год').fill('2025');
    await page.getByRole('button', { name: 'Добавить' }).click();
    await page.getByRole('cell', { name: 'Фитнес-клубы Москвы', exact: true }).first().waitFor();
    await page.getByText('Фитнес-клубы Москвы 31: внутри вашего интервала').waitFor();

    await page.getByRole('button', { name: 'Выгрузить: NPS и бенчмарки' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: /CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('NPS и бенчмарки 2026-12-02.csv');
    const rows: string[][] = parse(readFileSync((await download.path())!), { bom: true });
    expect(rows[0]).toEqual(['Показатель', 'NPS', 'Интервал от', 'Интервал до', 'Источник']);
    expect(rows.map((r) => r[0])).toEqual([
      'Показатель',
      'Ваш NPS',
      'Среднее по отрасли',
      'Лидер: USAA',
      'Фитнес-клубы Москвы',
    ]);
    expect(rows[1]![1]).toBe('23.8');

    await page.getByRole('button', { name: 'Проверить сейчас' }).click();
    await page.getByText('Проверен период 2026-11: предупреждений 2').waitFor();
    await page.getByRole('table', { name: 'Последние падения' }).getByText('Арбат').waitFor();
    await page.screenshot({ path: '/tmp/sarafan-benchmarks-ru.png', fullPage: true });

    // The note under the customer score, on the overview.
    await page.goto(`${base}/customers`);
    const note = page.getByTestId('benchmark-note');
    await note.waitFor({ timeout: 30_000 });
    expect(await note.textContent()).toBe(
      'Среднее по отрасли 18, лидер USAA 87 — Satmetrix, американские компании, год не указан',
    );
    await context.close();
  }, 180_000);

  it('reads in English on a phone', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 390, height: 844 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await signIn(page, '/benchmarks');
    await page.getByTestId('benchmark-yours').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('benchmark-yours').textContent()).toMatch(/^Your NPS 23\.8 \(95% interval/);
    await page.getByText('Leader: USAA 87: above your interval').waitFor();
    await page.screenshot({ path: '/tmp/sarafan-benchmarks-en-phone.png', fullPage: true });
    await context.close();
  }, 120_000);
});
