// The security page in real Chromium under the dashboard's strict Content-Security-Policy: no violation anywhere
// (no inline script; Mantine's styles carry the response's nonce), two-step verification turned on with the
// code an authenticator would show, an API key made with a read scope, and a log-in that asks for the code.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebDir } from '../src/http/app.js';
import { totpCodeAt } from '../src/modules/auth/index.js';
import { type ServedBrowser, serveWithBrowser } from './support/browser.js';
import { buildOrg, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let served: ServedBrowser;
let base: string;
let browser: Browser;
/** The TOTP secret the first test enrols, as the phone would keep it. */
let totpSecret = '';

beforeAll(async () => {
  if (!existsSync(`${defaultWebDir}/index.html`))
    throw new Error('Build the dashboard first: npm run build:web');
  world = await startWorld({ webDir: defaultWebDir });
  org = await buildOrg(world, 'Банк «Надёжный»');
  served = await serveWithBrowser(world);
  ({ base, browser } = served);
});

afterAll(async () => {
  await served?.close();
  await world?.close();
});

/** Every CSP violation the page reports (Chromium logs them as console errors). */
function watchViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function signIn(page: Page, code?: () => string) {
  await page.goto(`${base}/login`);
  await page.locator('input[type="email"]').fill(org.email);
  await page.locator('input[type="password"]').fill(org.password);
  await page.locator('button[type="submit"]').click();
  if (code) {
    const field = page.locator('input[autocomplete="one-time-code"]');
    await field.waitFor({ timeout: 30_000 });
    await field.fill(code());
    await page.locator('button[type="submit"]').click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 60_000 });
}

describe('the security page', () => {
  it('works under the strict CSP: two-step verification on, an API key made, the code asked at log-in', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 1000 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'en')");
    const page = await context.newPage();
    const violations = watchViolations(page);
    await signIn(page);
    await page.getByRole('heading', { name: 'Customer NPS' }).waitFor({ timeout: 60_000 });
    await page.goto(`${base}/security`);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Turn on' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    totpSecret = secret;
    await page.getByLabel('6-digit code from the app').fill(totpCodeAt(secret, world.now));
    await page.getByRole('button', { name: 'Confirm and turn on' }).click();
    const codes = page.getByTestId('recovery-codes');
    await codes.waitFor();
    expect((await codes.textContent())!.match(/[a-z2-7]{5}-[a-z2-7]{5}/g)).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved them' }).click();

    await page.getByLabel(/^Name/).fill('BI export');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = page.getByTestId('new-api-key');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/^srf_/);
    await page.screenshot({ path: '/tmp/sarafan-security-en.png', fullPage: true });
    expect(violations).toEqual([]);

    // Signing in again now asks for the code from the app.
    world.advance(30_000);
    await page
      .getByRole('button', { name: 'Log out' })
      .click()
      .catch(() => undefined);
    // Logging out ends with the app's own navigation to /login: wait for it, or it aborts the next page.goto.
    await page.waitForURL('**/login', { timeout: 10_000 }).catch(() => undefined);
    await context.clearCookies();
    await signIn(page, () => totpCodeAt(secret, world.now));
    await page.getByRole('heading', { name: 'Customer NPS' }).waitFor({ timeout: 60_000 });
    expect(violations).toEqual([]);
    await context.close();
  }, 180_000);

  it('reads in Russian, with the sessions and the password form', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 390, height: 900 } });
    await context.addInitScript("localStorage.setItem('sarafan.locale', 'ru')");
    const page = await context.newPage();
    const violations = watchViolations(page);
    world.advance(30_000);
    await signIn(page, () => totpCodeAt(totpSecret, world.now));
    await page.goto(`${base}/security`);
    await page.getByRole('heading', { name: 'Ваши сеансы' }).waitFor({ timeout: 30_000 });
    await page.getByText('Это устройство').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: '/tmp/sarafan-security-ru.png', fullPage: true });
    expect(violations).toEqual([]);
    await context.close();
  }, 180_000);
});
