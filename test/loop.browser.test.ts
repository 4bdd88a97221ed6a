// The closed loop in real Chromium: a front-line user on a phone opens their call-backs, opens a detractor's case,
// logs the call, resolves it with a root cause and an action; the manager then sees it counted on the metrics page.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { createUser } from '../src/modules/auth/index.js';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

const HOUR = 3_600_000;
const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'sarafan-loop-shots');
let world: World;
let org: TestOrg;
let server: ServerType;
let base: string;
let browser: Browser;
let caseId: string;
const password = 'correct horse battery';
const olga = { email: 'olga@example.com', name: 'Ольга Смирнова' };
const marina = { email: 'marina@example.com', name: 'Марина Козлова' };
const customer = { name: 'Ирина Соколова', phone: '+79161234567' };
const reason = 'Грязно в раздевалке, никто не убирает';

async function logIn(page: Page, email: string, next?: string) {
  await page.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
}

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  mkdirSync(SHOTS, { recursive: true });
  // 12:00 in Moscow.
  world = await startWorld({ webDir: defaultWebDir, start: new Date('2026-11-20T09:00:00Z') });
  org = await buildOrg(world, 'Клуб «Северный»');
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Северный', kind: 'branch' }), 201);
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  const ctx = world.contextFor(org.orgId);
  await createUser(ctx, { ...olga, password, role: 'frontline', unitIds: [unit.id] });
  await createUser(ctx, { ...marina, password, role: 'manager', unitIds: [unit.id] });
  const created = await expectJson(
    org.api('POST', '/api/v1/customers', { ...customer, homeUnitId: unit.id, locale: 'ru' }),
    201,
  );
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: created.id,
      unitId: unit.id,
      service: 'Бассейн',
      amountMinor: 350_000,
      occurredAt: '2026-11-20T07:00:00Z',
    }),
    201,
  );
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${survey.id}/invitations`, {
      contactIds: [contact.id],
      channel: 'email',
    }),
    201,
  );
  expect((await submitForm(world, items[0].url, { score: '2', reason })).status).toBeLessThan(400);
  await runLoopSweep(world.runtime.deps, world.now);
  const cases = await expectJson(org.api('GET', '/api/v1/cases'), 200);
  expect(cases.items).toHaveLength(1);
  caseId = cases.items[0].id;
  expect(cases.items[0]).toMatchObject({ status: 'new', urgent: true, owner: { name: olga.name } });
  // The next day's small hours: the case (due 48 hours after the answer) is due today.
  world.advance(40 * HOUR);
  await runLoopSweep(world.runtime.deps, world.now);

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

describe('closing the loop in the browser', () => {
  it('lets a front-line user on a phone call a detractor back, log the call and resolve the case', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    // A front-line user lands on their call-backs.
    await logIn(page, olga.email);
    await page.waitForURL(/\/today$/, { timeout: 20_000 });
    const card = page.getByTestId('today-case');
    await card.waitFor({ timeout: 20_000 });
    expect(await card.count()).toBe(1);
    expect(await page.getByTestId('today-name').textContent()).toBe(customer.name);
    expect(await page.getByTestId('today-call').getAttribute('href')).toBe(`tel:${customer.phone}`);
    expect(await card.textContent()).toContain(reason);
    expect(await card.textContent()).toContain('Срочно');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'today-phone.png'), fullPage: true });

    await page
      .getByRole('button', { name: `Открыть обращение: ${customer.name}` })
      .first()
      .click();
    await page.getByTestId('case-view').waitFor();
    expect(await page.getByTestId('case-reason').textContent()).toBe(reason);
    expect(await page.getByTestId('case-phone').getAttribute('href')).toBe(`tel:${customer.phone}`);
    expect(await page.getByTestId('case-status').textContent()).toBe('Новое');
    await page.screenshot({ path: join(SHOTS, 'case-phone.png'), fullPage: true });

    // The call: reached (the default outcome), with a note.
    await page.getByLabel('Заметка (необязательно)').fill('Извинились, пригласили на бесплатную тренировку');
    await page.getByTestId('attempt-submit').click();
    await expect
      .poll(() => page.getByTestId('case-status').textContent(), { timeout: 10_000 })
      .toBe('Связались');

    // Resolving needs a root cause: the form says so beside the field.
    await page.getByTestId('resolve-action').fill('Генеральная уборка, график уборки каждые 2 часа');
    await page.getByTestId('resolve-submit').click();
    await page.getByText('Выберите причину, чтобы закрыть обращение').waitFor();
    await page.getByTestId('resolve-cause').selectOption('cleanliness');
    await page.getByTestId('resolve-cost').fill('1500');
    await page.getByTestId('resolve-submit').click();
    await expect
      .poll(() => page.getByTestId('case-status').textContent(), { timeout: 10_000 })
      .toBe('Решено');
    await page.getByTestId('case-closed').waitFor();
    const timeline = await page.getByTestId('case-timeline').textContent();
    expect(timeline).toContain('Попытка связаться');
    expect(timeline).toContain('Звонок: Дозвонились');
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'case-resolved-phone.png'), fullPage: true });

    // Back to the list: nobody left to call.
    await page.getByRole('button', { name: 'Назад' }).click();
    await page.getByTestId('today-empty').waitFor();

    const stored = await expectJson(org.api('GET', `/api/v1/cases/${caseId}`), 200);
    expect(stored).toMatchObject({
      status: 'resolved',
      rootCause: 'cleanliness',
      actionTaken: 'Генеральная уборка, график уборки каждые 2 часа',
      actionCostMinor: 150_000,
      firstContactAt: world.now.toISOString(),
    });
    await context.close();
  });

  it('shows the manager the case counted on the loop metrics page', async () => {
    // Past the 48 hours, so the contact can be judged.
    world.advance(10 * HOUR);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await logIn(page, marina.email, '/loop-metrics');
    await page.waitForURL(/\/loop-metrics$/, { timeout: 20_000 });
    await page.getByTestId('metric-contacted').waitFor({ timeout: 20_000 });
    const text = (id: string) => page.getByTestId(`${id}-value`).textContent();
    // Contacted after 40 hours: within 48, 1 of 1; resolved 1 of 1 closed; none overdue.
    expect((await text('metric-contacted'))?.replace(/\s/g, '')).toBe('100%');
    expect((await text('metric-resolved'))?.replace(/\s/g, '')).toBe('100%');
    expect(await text('metric-overdue')).toBe('0');
    expect(await text('metric-first-contact')).toBe('40 ч');
    expect(await page.getByTestId('metric-contacted').textContent()).toContain('n = 1');
    const perUnit = await page.getByTestId('loop-group-table').first().textContent();
    expect(perUnit).toContain('Северный');
    await page.getByRole('tab', { name: 'По ответственным' }).click();
    await expect.poll(() => page.getByTestId('loop-group-table').last().textContent()).toContain(olga.name);
    await page.getByTestId('loop-trend').waitFor();
    await page.screenshot({ path: join(SHOTS, 'loop-metrics-desktop.png'), fullPage: true });

    // The same case in the manager's list and on its own page.
    await page.goto(`${base}/cases?status=all`);
    await page.getByTestId('case-row').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'cases-desktop.png'), fullPage: true });
    await page.getByTestId('case-row').first().getByRole('link').click();
    await page.getByTestId('case-view').waitFor();
    expect(await page.getByTestId('case-status').textContent()).toBe('Решено');
    await page.screenshot({ path: join(SHOTS, 'case-desktop.png'), fullPage: true });
    await page.goto(`${base}/playbook`);
    await page.getByTestId('playbook-rule').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'playbook-desktop.png'), fullPage: true });
    await context.close();
  });

  it('lets the owner try an answer on the playbook, save it, and tells them when someone else saved first', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await logIn(page, org.email, '/playbook');
    await page.getByTestId('playbook-rule').first().waitFor({ timeout: 20_000 });

    // "What would happen" to a 2 with a reason: the urgent rule, a case for Ольга.
    await page.getByTestId('playbook-check').click();
    const result = page.getByTestId('playbook-check-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Очень недовольный клиент (0–3)');

    // A rule that can never match is refused, and the message stands beside its field.
    const scoreFrom = page.getByLabel('Оценка от').first();
    await scoreFrom.fill('5');
    await page.getByTestId('playbook-save').click();
    await page.getByText('The score range 5–3 is empty: this rule can never match').first().waitFor();
    await scoreFrom.fill('0');
    await page.getByTestId('playbook-save').click();
    await page.getByText('Сохранено: версия 1').waitFor();
    await page.screenshot({ path: join(SHOTS, 'playbook-owner-desktop.png'), fullPage: false });

    // Someone else saves version 2 meanwhile: this editor still holds version 1.
    const current = await expectJson(org.api('GET', '/api/v1/playbook'), 200);
    await expectJson(org.api('PUT', '/api/v1/playbook', { playbook: current.playbook, version: 1 }), 200);
    await page.getByTestId('playbook-save').click();
    await page.getByTestId('playbook-conflict').waitFor();
    await context.close();
  });

  it('fits the cases list and the metrics on a phone', async () => {
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    await logIn(page, marina.email, '/cases?status=all');
    await page.getByTestId('case-row').first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(SHOTS, 'cases-phone.png'), fullPage: true });
    await page.goto(`${base}/loop-metrics`);
    await page.getByTestId('loop-trend').waitFor({ timeout: 20_000 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'loop-metrics-phone.png'), fullPage: true });
    await page.goto(`${base}/playbook`);
    await page.getByTestId('playbook-rule').first().waitFor({ timeout: 20_000 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.screenshot({ path: join(SHOTS, 'playbook-phone.png'), fullPage: false });
    await context.close();
  });
});
