// Where `npm start` runs the background work. On PostgreSQL in a worker process (WORKER=process, the default): the
// server starts it, a detractor's answer becomes a case through it, a worker that dies is started again, and both
// stop together. On PGlite inside the server (the configuration refuses anything else): the case comes from the
// server's own event loop, and no worker process is started.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { freshDatabaseUrl } from './support/database.js';

const execFileAsync = promisify(execFile);
const url = process.env.TEST_DATABASE_URL;

describe('where the background work runs', () => {
  it('is inline on PGlite and a worker process on PostgreSQL unless set, and never a process on PGlite', () => {
    expect(readConfig({}).worker).toBe('inline');
    expect(readConfig({ DATABASE_URL: 'postgres://x@localhost/db' }).worker).toBe('process');
    expect(readConfig({ DATABASE_URL: 'postgres://x@localhost/db', WORKER: 'off' }).worker).toBe('off');
    expect(() => readConfig({ WORKER: 'process' })).toThrow(/WORKER: process needs DATABASE_URL/);
    expect(() => readConfig({ WORKER: 'off' })).toThrow(/WORKER: off needs DATABASE_URL/);
    expect(() => readConfig({ WORKER: 'threads' })).toThrow(/WORKER/);
  });
});

describe('npm start and its background work', () => {
  let dropDatabase: (() => Promise<void>) | null = null;
  let server: ChildProcess | null = null;
  const log: Record<string, unknown>[] = [];

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await dropDatabase?.();
  });

  const waitFor = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>) => {
    for (let i = 0; i < 300; i++) {
      const found = await probe();
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`gave up waiting for ${what}; log:\n${log.map((l) => JSON.stringify(l)).join('\n')}`);
  };
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it(url
    ? 'turns a detractor into a case from its own process, survives its death, and stops with the server'
    : 'turns a detractor into a case from inside the server on PGlite, with no worker process', async () => {
    let databaseUrl = '';
    if (url) {
      const fresh = await freshDatabaseUrl(url);
      databaseUrl = fresh.url;
      dropDatabase = fresh.drop;
    }
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'sarafan-worker-')),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      WORKER: undefined,
    };
    const init = await execFileAsync(
      process.execPath,
      [
        'bin/sarafan.mjs',
        'init',
        '--org',
        'Worker Org',
        '--email',
        'owner@example.com',
        '--password',
        'pw-12345678',
      ],
      { env, timeout: 300_000 },
    );
    const key = init.stdout.trim().split('\n').at(-1)!;

    server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [server.stdout!, server.stderr!]) {
      let rest = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          try {
            log.push(JSON.parse(line));
          } catch {
            log.push({ text: line });
          }
        }
      });
    }
    const started = await waitFor('the server', () => log.find((l) => typeof l.port === 'number'));
    expect(started).toMatchObject(
      url ? { worker: 'process', database: 'postgres' } : { worker: 'inline', database: 'pglite' },
    );
    const base = `http://127.0.0.1:${started.port}`;
    const workerPid = async (not?: number) =>
      (
        await waitFor('a worker', () =>
          log.find((l) => /worker is running/.test(String(l.msg)) && l.pid !== not && l.pid !== server!.pid),
        )
      ).pid as number;
    const first = url ? await workerPid() : 0;

    // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever the API answered
    const api = async (method: string, path: string, body?: unknown): Promise<any> => {
      const r = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return r.json();
    };
    const survey = await api('POST', '/api/v1/surveys', { name: 'Visits', audience: 'customer' });
    const answer = async (score: number) => {
      const { items } = await api('POST', `/api/v1/surveys/${survey.id}/invitations`, { count: 1 });
      const r = await fetch(new URL(new URL(items[0].url).pathname, base), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ score, reason: 'Долго ждал' }),
      });
      expect(r.status).toBe(201);
    };
    const cases = async (n: number) =>
      waitFor(`${n} cases`, async () => {
        const { items } = await api('GET', '/api/v1/cases');
        return items.length >= n ? items : undefined;
      });

    // On PostgreSQL the server runs no background work itself: the case comes from the worker process.
    await answer(2);
    expect(await cases(1)).toHaveLength(1);
    if (!url) {
      // PGlite: the server did it, and no worker process was ever started.
      expect(log.some((l) => /worker is running/.test(String(l.msg)))).toBe(false);
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      return;
    }

    // A worker killed outright is started again, and the loop goes on.
    process.kill(first, 'SIGKILL');
    const second = await workerPid(first);
    expect(second).not.toBe(first);
    await answer(3);
    expect(await cases(2)).toHaveLength(2);

    // Stopping the server stops its worker.
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    await waitFor('the worker to stop', () => (alive(second) ? undefined : true));
  }, 600_000);
});
