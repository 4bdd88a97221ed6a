// The analyst's pseudonymised view in real Chromium: the cases list and a case show the customer's pseudonym and
// masked reason, every page carries the "pseudonymised view" note; the owner sees the real name and no note.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { createUser } from '../src/modules/auth/index.js';
import { runLoopSweep } from '../src/modules/loop/index.js';
import { pseudonymOf } from '../src/modules/privacy/index.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildOrg, expectJson, startWorld, submitForm, type TestOrg, type World } from './support/world.js';

const SHOTS = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'sarafan-pseudonym-shots');
const password = 'correct horse battery';
const customer = { name: 'Ирина Соколова', email: 'irina.sokolova@example.ru', phone: '+79161234567' };
const reason = 'Грязно в раздевалке. Перезвоните мне: 8 (916) 123-45-67 или irina.sokolova@example.ru';
let world: World;
let org: TestOrg;
let served: ServedBrowser;
let pseudonym: string;
let caseId: string;

/** Logs in; the dashboard speaks the user's own locale. */
async function logIn(page: Page, email: string) {
  await page.goto(`${served.base}/login`);
  await page.locator('input[type="email"]').fill(email);
  await page.locator('input[type="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  world = await startWorld({ webDir: defaultWebDir });
  org = await buildOrg(world, 'Клуб «Северный»');
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Северный', kind: 'branch' }), 201);
  const survey = await expectJson(
    org.api('POST', '/api/v1/surveys', { name: 'После визита', audience: 'customer', kind: 'transactional' }),
    201,
  );
  const ctx = world.contextFor(org.orgId);
  await createUser(ctx, { email: 'anna@example.com', name: 'Анна', password, role: 'analyst', locale: 'ru' });
  await createUser(ctx, { email: 'ann@example.com', name: 'Ann', password, role: 'analyst', locale: 'en' });
  const created = await expectJson(
    org.api('POST', '/api/v1/customers', { ...customer, homeUnitId: unit.id, locale: 'ru' }),
    201,
  );
  pseudonym = pseudonymOf(world.runtime.deps.vault, 'customer', created.id);
  const contact = await expectJson(
    org.api('POST', '/api/v1/contacts', {
      customerId: created.id,
      unitId: unit.id,
      occurredAt: new Date(world.now.getTime() - 3_600_000).toISOString(),
    }),
    201,
  );
  const invited = await expectJson(
    org.api('POST', `/api/v1/surveys/${survey.id}/invitations`, {
      contactIds: [contact.id],
      channel: 'link',
    }),
    201,
  );
  expect((await submitForm(world, invited.items[0].url, { score: '2', reason })).status).toBe(303);
  await runLoopSweep(world.runtime.deps, world.now);
  // The worker sends the alerts about the new case: the outbox has messages that name the customer.
  await world.runtime.worker.runDue(world.now);
  caseId = (await expectJson(org.api('GET', '/api/v1/cases'), 200)).items[0].id;
  served = await serveWithBrowser(world);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await world?.close();
});

describe('the dashboard of an analyst', () => {
  it('shows the customer as a pseudonym with the reason masked, and says the view is pseudonymised', async () => {
    const page = await served.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'anna@example.com');
    await page.goto(`${served.base}/cases?status=all`);
    await expect.poll(() => page.getByText(pseudonym).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('pseudonymised-note').textContent())
      .toContain('Псевдонимизированный вид');
    await page.screenshot({ path: join(SHOTS, 'cases-analyst-ru.png'), fullPage: true });
    await page.goto(`${served.base}/cases/${caseId}`);
    await expect
      .poll(() => page.getByText('Перезвоните мне: [phone] или [e-mail]').count(), { timeout: 15_000 })
      .toBe(1);
    await page.screenshot({ path: join(SHOTS, 'case-analyst-ru.png'), fullPage: true });
    const html = await page.content();
    for (const secret of [customer.name, 'Ирина', customer.email, '123-45-67'])
      expect(html).not.toContain(secret);
    // The outbox: what was sent to whom and when, not the content (it greets the customer by name).
    await page.goto(`${served.base}/outbox`);
    await page.getByRole('button', { name: 'Открыть' }).first().click();
    await expect
      .poll(() => page.getByText('В псевдонимизированном виде текст не показывается').count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await page.screenshot({ path: join(SHOTS, 'outbox-analyst-ru.png') });
    await page.close();
  }, 60_000);

  it('says it in English to an English-speaking analyst', async () => {
    const page = await served.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, 'ann@example.com');
    await page.goto(`${served.base}/cases?status=all`);
    await expect
      .poll(() => page.getByTestId('pseudonymised-note').textContent(), { timeout: 15_000 })
      .toContain('Pseudonymised view (analyst role)');
    await page.screenshot({ path: join(SHOTS, 'cases-analyst-en.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('shows the owner the real name and no note', async () => {
    const page = await served.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, org.email);
    await page.goto(`${served.base}/cases?status=all`);
    await expect.poll(() => page.getByText(customer.name).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('pseudonymised-note').count()).toBe(0);
    await page.close();
  }, 60_000);
});
