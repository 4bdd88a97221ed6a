// The world's app served on 127.0.0.1 and Debian's Chromium driving it, for the browser tests.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import type { World } from './world.js';

export interface ServedBrowser {
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function serveWithBrowser(world: World): Promise<ServedBrowser> {
  let server: ReturnType<typeof serve> | undefined;
  await new Promise<void>((resolve) => {
    server = serve({ fetch: world.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server?.close(resolve));
    },
  };
}
