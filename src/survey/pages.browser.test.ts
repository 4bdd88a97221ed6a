/** @module The survey page in Debian's Chromium at 360 px: the script's reveal, and a real POST with JavaScript off. */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderSurveyPage, renderThanksPage, surveyPageContentSecurityPolicy } from './index.js';

const viewport = { width: 360, height: 740 };

/** What the test server received by POST, in order. */
let posts: URLSearchParams[] = [];
let server: Server;
let baseUrl: string;
let browser: Browser;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Plays the caller's part: GET renders the page, POST records the answer and redirects with 303. */
async function answerRequest(
  request: IncomingMessage,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const html = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': surveyPageContentSecurityPolicy,
  };
  if (url.pathname === '/s/abc123' && request.method === 'POST') {
    posts.push(new URLSearchParams(await readBody(request)));
    return { status: 303, headers: { location: '/s/abc123/thanks' }, body: '' };
  }
  if (url.pathname === '/s/abc123') {
    const score = url.searchParams.get('score');
    const body = renderSurveyPage({
      locale: 'ru',
      orgName: 'Кофейня «Ромашка»',
      question: '',
      reasonPrompt: '',
      actionUrl: '/s/abc123',
      preselectedScore: score === null ? null : Number(score),
      existing: null,
      error: null,
      anonymous: false,
    });
    return { status: 200, headers: html, body };
  }
  if (url.pathname === '/s/abc123/thanks') {
    const body = renderThanksPage({
      locale: 'ru',
      orgName: 'Кофейня «Ромашка»',
      canAmend: true,
      amendUrl: '/s/abc123',
    });
    return { status: 200, headers: html, body };
  }
  return { status: 404, headers: {}, body: '' };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    answerRequest(request).then(
      ({ status, headers, body }) => response.writeHead(status, headers).end(body),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

beforeEach(() => {
  posts = [];
});

/** Opens a page in a fresh context and fails the test on any CSP violation or script error. */
async function openPage(
  javaScriptEnabled: boolean,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

const scoreButton = (page: Page, score: number) => page.locator('.scale label').nth(score);

describe('survey page in Chromium at 360×740', () => {
  it('with JavaScript on, hides the reason until a score is picked, then reveals and focuses it', async () => {
    const { context, page, problems } = await openPage(true);
    try {
      await page.goto(`${baseUrl}/s/abc123`);
      await expect.poll(() => page.locator('#why').isVisible()).toBe(false);
      expect(await page.locator('button[type=submit]').isDisabled()).toBe(true);

      await scoreButton(page, 7).click();

      expect(await page.locator('#why').isVisible()).toBe(true);
      expect(await page.evaluate('document.activeElement.id')).toBe('reason');
      expect(await page.locator('button[type=submit]').isEnabled()).toBe(true);
      expect(await page.locator('input[name=score]:checked').getAttribute('value')).toBe('7');
      expect(page.url()).toBe(`${baseUrl}/s/abc123`);
      expect(posts).toHaveLength(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('with JavaScript on and a score from the e-mail link, shows it checked and submits nothing', async () => {
    const { context, page, problems } = await openPage(true);
    try {
      await page.goto(`${baseUrl}/s/abc123?score=9`);
      expect(await page.locator('input[name=score]:checked').getAttribute('value')).toBe('9');
      expect(await page.locator('#why').isVisible()).toBe(true);
      expect(await page.locator('button[type=submit]').isEnabled()).toBe(true);
      expect(page.url()).toBe(`${baseUrl}/s/abc123?score=9`);
      expect(posts).toHaveLength(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('fits 360 px without sideways scrolling, with score buttons of at least 40×40 px', async () => {
    const { context, page } = await openPage(true);
    try {
      await page.goto(`${baseUrl}/s/abc123?score=9`);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      const boxes = await page
        .locator('.scale span')
        .evaluateAll((spans) =>
          spans.map((span) => span.getBoundingClientRect()).map(({ width, height }) => ({ width, height })),
        );
      expect(boxes).toHaveLength(11);
      for (const box of boxes) {
        expect(box.width).toBeGreaterThanOrEqual(40);
        expect(box.height).toBeGreaterThanOrEqual(40);
      }
      await page.locator('#reason').fill('Вкусный кофе и быстро обслуживают.');
      await page.screenshot({ path: '/tmp/survey-ru.png', fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('with JavaScript off, shows question and reason and POSTs score and reason', async () => {
    const { context, page } = await openPage(false);
    try {
      await page.goto(`${baseUrl}/s/abc123`);
      expect(await page.locator('legend').textContent()).toContain('Кофейня «Ромашка»');
      expect(await page.locator('#why').isVisible()).toBe(true);
      expect(await page.locator('button[type=submit]').isEnabled()).toBe(true);

      await scoreButton(page, 9).click();
      await page.locator('#reason').fill('Вкусный кофе & <быстро>');
      await Promise.all([
        page.waitForURL(`${baseUrl}/s/abc123/thanks`),
        page.locator('button[type=submit]').click(),
      ]);

      expect(posts).toHaveLength(1);
      expect(posts[0]!.get('score')).toBe('9');
      expect(posts[0]!.get('reason')).toBe('Вкусный кофе & <быстро>');
      expect(await page.locator('h1').textContent()).toBe('Спасибо за ответ!');
    } finally {
      await context.close();
    }
  });

  it('with JavaScript off, will not submit without a score', async () => {
    const { context, page } = await openPage(false);
    try {
      await page.goto(`${baseUrl}/s/abc123`);
      await page.locator('#reason').fill('Без оценки');
      await page.locator('button[type=submit]').click();
      expect(await page.evaluate("document.querySelector('input[name=score]').validity.valueMissing")).toBe(
        true,
      );
      expect(page.url()).toBe(`${baseUrl}/s/abc123`);
      expect(posts).toHaveLength(0);
    } finally {
      await context.close();
    }
  });
});
