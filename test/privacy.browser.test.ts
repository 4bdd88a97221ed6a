// The personal-data page in real Chromium under the strict CSP: the owner (in Russian) exports a person's data,
// sees the export in the access log, sets retention periods and erases the person; an admin (in English) has the
// requests and retention but no access log.
import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildUser, type TestUser } from './support/people.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let admin: TestUser;
let served: ServedBrowser;
let base: string;
let browser: Browser;
let customerId: string;
const shots = process.env.SCREENSHOT_DIR;

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir });
  org = await buildOrg(world, 'Клуб «Приватность»');
  admin = await buildUser(world, org, { role: 'admin', locale: 'en', name: 'Ada Admin' });
  customerId = (
    await expectJson(
      org.api('POST', '/api/v1/customers', {
        name: 'Ольга Заявительница',
        email: 'olga.request@example.org',
        phone: '+7 916 700-11-22',
      }),
      201,
    )
  ).id;
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
  if (shots) mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await served?.close();
  await world?.close();
});

function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 60_000 });
}

describe('the personal-data page', () => {
  it('lets the owner export, read the access log, set retention and erase, in Russian', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 1000 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'ru')");
    const page = await context.newPage();
    const violations = watchViolations(page);
    await signIn(page, org.email, org.password);
    await page.goto(`${base}/privacy`);
    await page.getByRole('heading', { name: 'Персональные данные' }).first().waitFor({ timeout: 60_000 });

    const exportForm = page.getByRole('form', { name: 'Запрос доступа: всё, что хранится о человеке' });
    await exportForm.getByLabel(/Значение/).fill('olga.request@example.org');
    const download = page.waitForEvent('download');
    await exportForm.getByRole('button', { name: 'Выгрузить в JSON' }).click();
    await (await download).cancel();
    await expect.poll(() => page.getByTestId('export-done').textContent()).toContain('Выгружено записей: 1');
    if (shots) await page.screenshot({ path: `${shots}/privacy-requests-ru.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Журнал доступа' }).click();
    const log = page.getByRole('table', { name: 'Журнал доступа' });
    await log.waitFor();
    await expect.poll(() => log.textContent()).toContain('privacy.export');
    expect(await log.textContent()).toContain(customerId);
    expect(await log.textContent()).toContain(org.email);
    expect(await log.textContent()).not.toContain('olga.request@example.org');
    if (shots) await page.screenshot({ path: `${shots}/privacy-log-ru.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Сроки хранения' }).click();
    await page.getByLabel('Тексты причин в ответах (месяцев)').fill('24');
    await page.getByLabel('Записи журнала доступа (месяцев, не меньше 6)').fill('36');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Сохранено').waitFor();
    expect(await expectJson(org.api('GET', '/api/v1/privacy/retention'), 200)).toEqual({
      inactiveCustomerMonths: null,
      reasonMonths: 24,
      messageBodyDays: null,
      accessLogMonths: 36,
    });
    if (shots) await page.screenshot({ path: `${shots}/privacy-retention-ru.png`, fullPage: true });

    await page.getByRole('tab', { name: 'Запросы' }).click();
    const eraseForm = page.getByRole('form', { name: 'Запрос на удаление' });
    await eraseForm.locator('label', { hasText: /^Телефон$/ }).click();
    await eraseForm.getByLabel(/Значение/).fill('8 (916) 700-11-22');
    const erase = eraseForm.getByRole('button', { name: 'Удалить персональные данные' });
    expect(await erase.isDisabled()).toBe(true);
    await eraseForm.getByLabel('Я понимаю, что это нельзя отменить').check();
    await erase.click();
    await expect.poll(() => page.getByTestId('erase-done').textContent()).toContain('Удалено записей: 1');
    const after = await expectJson(org.api('GET', `/api/v1/customers/${customerId}`), 200);
    expect(after).toMatchObject({ name: null, email: null, phone: null });
    expect(violations).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows an admin the requests and retention, in English, but not the access log', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await signIn(page, admin.email, 'correct horse battery');
    await page.goto(`${base}/privacy`);
    await page.getByRole('heading', { name: 'Personal data' }).first().waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Requests' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Retention' }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'Access log' }).count()).toBe(0);
    await page.getByRole('form', { name: 'Erasure request' }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/privacy-admin-en.png`, fullPage: true });
    await context.close();
  }, 120_000);
});
