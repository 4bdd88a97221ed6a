// The web widget in real Chromium, embedded in a page of another origin whose CSS is hostile: it keeps its looks,
// works by keyboard alone in Russian and English, and its answers are counted.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let surveyId: string;
let slug: string;
let sarafan: ServerType;
let sarafanBase: string;
let site: Server;
let siteBase: string;
let browser: Browser;

/** A shop's page on another origin: global CSS that would wreck any widget not isolated from it. */
function hostPage(lang: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title>
<style>* { color: red !important; font-size: 40px } button { background: yellow !important; border: 9px dotted lime }
.w, .q, .s { display: inline; padding: 50px; font-weight: 100 }</style></head>
<body><a href="/catalogue">Catalogue</a><p class="q" id="own">The shop's own paragraph</p>
<script src="${sarafanBase}/w/${slug}.js" data-lang="${lang}" async></script></body></html>`;
}

beforeAll(async () => {
  world = await startWorld({ start: new Date() });
  org = await buildOrg(world, 'Магазин «Ёлка»');
  const unit = await expectJson(org.api('POST', '/api/v1/units', { name: 'Онлайн', kind: 'branch' }), 201);
  surveyId = (
    await expectJson(
      org.api('POST', '/api/v1/surveys', { name: 'Сайт', audience: 'customer', kind: 'transactional' }),
      201,
    )
  ).id;
  await new Promise<void>((resolve) => {
    sarafan = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  sarafanBase = `http://127.0.0.1:${(sarafan.address() as AddressInfo).port}`;
  site = createServer((request, response) => {
    const lang = new URL(request.url ?? '/', 'http://x').searchParams.get('lang') ?? 'ru';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(lang));
  });
  site.listen(0, '127.0.0.1');
  await once(site, 'listening');
  // "localhost" rather than 127.0.0.1: another site, not only another port.
  siteBase = `http://localhost:${(site.address() as AddressInfo).port}`;
  slug = (
    await expectJson(
      org.api('POST', '/api/v1/links', {
        surveyId,
        unitId: unit.id,
        kind: 'widget',
        name: 'Сайт',
        origins: [siteBase],
      }),
      201,
    )
  ).slug;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  site?.close();
  await new Promise((resolve) => sarafan?.close(resolve));
  await world?.close();
});

/** The little of the DOM these callbacks use (this program is type-checked without the DOM library). */
interface Dom {
  document: { activeElement: El | null };
  getComputedStyle(element: unknown): Record<string, string>;
}
interface El {
  tagName: string;
  textContent: string | null;
  shadowRoot: { activeElement: El | null } | null;
}

/** Computed styles of the element, by property name (run in the page). */
const styleOf = (element: unknown, names: string[]) => {
  const style = (globalThis as unknown as Dom).getComputedStyle(element);
  return Object.fromEntries(names.map((name) => [name, style[name]]));
};

/** The focused element, looking through the widget's shadow root. */
const focused = (page: Page) =>
  page.evaluate(() => {
    let active = (globalThis as unknown as Dom).document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { tag: active?.tagName.toLowerCase() ?? '', text: active?.textContent ?? '' };
  });

async function widgetCount(): Promise<number> {
  const rows = (await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/nps?groupBy=channel`), 200))
    .rows as { key: string; n: number }[];
  return rows.find((r) => r.key === 'widget')?.n ?? 0;
}

async function openHost(lang: 'ru' | 'en') {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.goto(`${siteBase}/?lang=${lang}`);
  await page.locator('.w').waitFor();
  return { context, page, problems };
}

/** Keyboard only: Tab to the score, Enter, type the reason, Tab to send, Enter. */
async function answerByKeyboard(page: Page, score: number, reason: string) {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (now.tag === 'button' && now.text === String(score)) break;
  }
  expect(await focused(page)).toEqual({ tag: 'button', text: String(score) });
  await page.keyboard.press('Enter');
  expect((await focused(page)).tag).toBe('textarea');
  await page.keyboard.type(reason);
  await page.keyboard.press('Tab');
  expect((await focused(page)).tag).toBe('button');
  await page.keyboard.press('Enter');
}

describe('the widget on a hostile page of another site', () => {
  it('keeps its own looks inside the shadow root and leaks none of them to the page', async () => {
    const { context, page, problems } = await openHost('ru');
    try {
      const button = page.locator('.s button').first();
      const look = await button.evaluate(styleOf, ['color', 'fontSize', 'backgroundColor', 'borderTopStyle']);
      expect(look).toEqual({
        color: 'rgb(29, 35, 48)',
        fontSize: '14px',
        backgroundColor: 'rgb(255, 255, 255)',
        borderTopStyle: 'solid',
      });
      const question = await page.locator('.w .q').evaluate(styleOf, ['fontSize', 'fontWeight']);
      expect(question).toEqual({ fontSize: '16px', fontWeight: '700' });
      expect(await page.locator('.s').evaluate(styleOf, ['display'])).toEqual({ display: 'grid' });
      // The page's own element with the same class is styled by the page only.
      const own = await page.locator('#own').evaluate(styleOf, ['color', 'fontSize', 'paddingRight']);
      expect(own).toEqual({ color: 'rgb(255, 0, 0)', fontSize: '40px', paddingRight: '50px' });
      expect(await page.locator('.s button').count()).toBe(11);
      await page.screenshot({ path: '/tmp/widget-hostile.png' });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is answered in Russian by keyboard alone, thanks through aria-live, and the answer is counted', async () => {
    const before = await widgetCount();
    const { context, page, problems } = await openHost('ru');
    try {
      expect(await page.locator('.w .q').textContent()).toContain(
        'Насколько вероятно, что вы порекомендуете',
      );
      await answerByKeyboard(page, 9, 'Быстрая доставка');
      const live = page.locator('.w [aria-live="polite"]');
      await expect.poll(() => live.textContent()).toBe('Спасибо! Ваш ответ получен.');
      expect(await widgetCount()).toBe(before + 1);
      const { items } = await expectJson(org.api('GET', `/api/v1/surveys/${surveyId}/responses`), 200);
      expect(items[0]).toMatchObject({
        score: 9,
        reason: 'Быстрая доставка',
        channel: 'widget',
        locale: 'ru',
      });
      // Answered: it stays away on the next page.
      await page.reload();
      await page.waitForTimeout(300);
      expect(await page.locator('.w').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('is answered in English by keyboard alone', async () => {
    const before = await widgetCount();
    const { context, page, problems } = await openHost('en');
    try {
      expect(await page.locator('.w .q').textContent()).toContain('How likely are you to recommend');
      expect(await page.locator('.s button').nth(7).getAttribute('aria-label')).toBe('7 out of 10');
      await answerByKeyboard(page, 4, 'Slow site');
      await expect
        .poll(() => page.locator('.w [aria-live="polite"]').textContent())
        .toBe('Thank you! We have received your answer.');
      expect(await widgetCount()).toBe(before + 1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('closes with Esc and stays closed on the next page', async () => {
    const { context, page } = await openHost('en');
    try {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect((await focused(page)).tag).toBe('button');
      await page.keyboard.press('Escape');
      expect(await page.locator('.w').count()).toBe(0);
      await page.reload();
      await page.waitForTimeout(300);
      expect(await page.locator('.w').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
