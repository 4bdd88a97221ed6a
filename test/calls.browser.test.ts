// The phone-interview console in real Chromium on a phone-width screen: an operator takes a call, reads the script,
// types the score on the keyboard, and the next customer appears.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { createUser } from '../src/modules/auth/index.js';
import { callsTick } from '../src/modules/calls/index.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let surveyId: string;
let server: ServerType;
let base: string;
let browser: Browser;
const operator = { email: 'operator@example.com', password: 'correct horse battery' };
const customers = [
  { name: 'Ирина Соколова', phone: '+79161234567' },
  { name: 'Павел Орлов', phone: '+79167654321' },
];

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  // 12:00 in Moscow: inside call hours.
  world = await startWorld({ webDir: defaultWebDir, start: new Date('2026-11-20T09:00:00Z') });
  org = await buildOrg(world, 'Клуб «Северный»');
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Северный', kind: 'branch' }), 201);
  surveyId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'Обзвон', audience: 'customer', kind: 'relationship' }),
      201,
    )
  ).id;
  const ids: string[] = [];
  for (const c of customers) {
    const created = await expectJson(
      org.api('POST', '/api/v1/customers', { ...c, homeUnitId: unit.id, locale: 'ru' }),
      201,
    );
    await expectJson(
      org.api('POST', '/api/v1/contacts', {
        customerId: created.id,
        unitId: unit.id,
        service: 'Бассейн',
        occurredAt: '2026-11-18T15:00:00Z',
      }),
      201,
    );
    ids.push(created.id);
  }
  await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { customerIds: ids, channel: 'phone' }),
    201,
  );
  // A customer who speaks English, invited a minute later: the last in the queue.
  world.advance(60_000);
  const english = await expectJson(
    org.api('POST', '/api/v1/customers', {
      name: 'John Smith',
      phone: '+447700900123',
      homeUnitId: unit.id,
      locale: 'en',
    }),
    201,
  );
  await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, {
      customerIds: [english.id],
      channel: 'phone',
    }),
    201,
  );
  await createUser(world.contextFor(org.orgId), {
    ...operator,
    name: 'Ольга',
    role: 'frontline',
    unitIds: [unit.id],
  });
  await callsTick(world.runtime.deps, world.now);
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

describe('the phone-interview console', () => {
  it('lets an operator on a phone take a call, type the score on the keyboard and move on', async () => {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'ru-RU',
    });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/calls`);
    await page.locator('input[type="email"]').fill(operator.email);
    await page.locator('input[type="password"]').fill(operator.password);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Следующий звонок' }).click();

    const name = page.getByTestId('call-customer');
    await name.waitFor({ timeout: 20_000 });
    const first = (await name.textContent())!;
    const firstCustomer = customers.find((c) => c.name === first)!;
    expect(firstCustomer).toBeDefined();
    expect(await page.getByTestId('call-phone').getAttribute('href')).toBe(`tel:${firstCustomer.phone}`);
    expect(await page.getByTestId('call-question').textContent()).toBe(
      'Насколько вероятно, что вы порекомендуете Клуб «Северный» друзьям и коллегам?',
    );
    const body = await page.textContent('body');
    expect(body).toContain(`Здравствуйте, ${first}! Меня зовут Ольга, это Клуб «Северный»`);
    expect(body).toContain('Бассейн');
    // Nothing overflows the phone's width.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await page.screenshot({ path: '/tmp/sarafan-calls-phone.png', fullPage: true });

    // "9", then "1" "0" for ten, then Enter.
    await page.keyboard.press('9');
    await expect.poll(() => page.getByTestId('score-9').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('1');
    await page.keyboard.press('0');
    await expect.poll(() => page.getByTestId('score-10').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('score-9').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.press('Enter');

    const second = customers.find((c) => c.name !== first)!.name;
    await expect.poll(() => name.textContent(), { timeout: 10_000 }).toBe(second);
    expect(await page.getByTestId('score-10').getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Ответ сохранён.');

    const answers = await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/responses`), 200);
    expect(answers.items).toEqual([expect.objectContaining({ channel: 'phone', score: 10 })]);
    await context.close();
  });

  it('shows an English-speaking customer the English script, with the interface in English', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/calls`);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Next call' }).click();
    const name = page.getByTestId('call-customer');
    await name.waitFor({ timeout: 20_000 });
    expect(await name.textContent()).toBe('John Smith');
    expect(await page.getByTestId('call-question').textContent()).toBe(
      'How likely are you to recommend Клуб «Северный» to friends and colleagues?',
    );
    // Reachable by keyboard alone: Tab to the score 7 button, Enter picks it.
    await page.getByTestId('score-6').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('score-7').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: '/tmp/sarafan-calls-desktop-en.png', fullPage: true });
    await context.close();
  });

  it('shows the owner the progress per operator, on a wide screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/calls`);
    await page.locator('input[type="email"]').fill(org.email);
    await page.locator('input[type="password"]').fill(org.password);
    await page.locator('button[type="submit"]').click();
    await page.getByRole('tab', { name: 'Итоги по операторам' }).click();
    const table = page.getByTestId('calls-operators');
    await table.waitFor({ timeout: 20_000 });
    expect(await table.textContent()).toContain('Ольга');
    expect(await page.getByTestId('calls-total-answered').textContent()).toBe('1');
    await page.screenshot({ path: '/tmp/sarafan-calls-progress.png', fullPage: true });
    await context.close();
  });
});
