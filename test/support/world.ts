// A running Sarafan for tests: a fresh database, a controllable clock, the app, and factories through the API.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { initOrganisation } from '../../src/cli/init.js';
import { readConfig } from '../../src/config.js';
import { openRuntime, type Runtime } from '../../src/http/runtime.js';
import type { Ctx } from '../../src/modules/kernel/index.js';
import { freshDatabase } from './database.js';

export interface World {
  runtime: Runtime;
  app: Runtime['app'];
  /** The clock every request sees; move it with `advance`. */
  now: Date;
  advance(ms: number): void;
  contextFor(orgId: string): Ctx;
  close(): Promise<void>;
}

export async function startWorld(
  options: { webDir?: string | null; start?: Date; env?: Record<string, string> } = {},
): Promise<World> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sarafan-test-'));
  const config = readConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://sarafan.test', ...options.env });
  const database = await freshDatabase();
  const world = {
    now: options.start ?? new Date('2026-11-20T10:00:00Z'),
  } as World;
  const runtime = await openRuntime(config, {
    database,
    log: pino({ level: 'silent' }),
    clock: () => world.now,
    webDir: options.webDir ?? null,
    // Tests run the worker themselves, with the world's clock: `world.runtime.worker.runDue(world.now)`.
    startWorker: false,
  });
  world.runtime = runtime;
  world.app = runtime.app;
  world.advance = (ms) => {
    world.now = new Date(world.now.getTime() + ms);
  };
  world.contextFor = (orgId) => ({ ...runtime.deps, orgId, actor: { kind: 'system' } });
  world.close = () => runtime.close();
  return world;
}

export interface TestOrg {
  orgId: string;
  key: string;
  email: string;
  password: string;
  /** JSON request with this org's API key. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
}

let orgCounter = 0;

/** An organisation with an owner and an API key (what `sarafan init` makes). */
export async function buildOrg(world: World, name = `Org ${++orgCounter}`): Promise<TestOrg> {
  const email = `owner${orgCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'correct horse battery';
  const done = await initOrganisation(world.contextFor, world.runtime.database.db, {
    org: name,
    email,
    password,
  });
  const key = done.key;
  return {
    orgId: done.org.id,
    key,
    email,
    password,
    api: (method, path, body) =>
      Promise.resolve(
        world.app.request(path, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
  };
}

/** Parses a JSON answer and checks its status, showing the body when it differs. */
// biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the API answered
export async function expectJson<T = any>(
  response: Response | Promise<Response>,
  status: number,
): Promise<T> {
  const r = await response;
  const text = await r.text();
  if (r.status !== status) throw new Error(`Expected HTTP ${status}, got ${r.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Submits a survey form as a browser with JavaScript off would. */
export function submitForm(world: World, url: string, fields: Record<string, string>) {
  return Promise.resolve(
    world.app.request(new URL(url).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

/** The JSON body of a response, untyped (tests assert on its shape). */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
export const bodyOf = (r: Response): Promise<any> => r.json();
