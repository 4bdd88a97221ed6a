// Opens the database: embedded PGlite in a folder by default, PostgreSQL when a URL is given; applies migrations.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { markSingleSession } from './prepared.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Both drivers behind one type: everything we write is plain PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string;
  /** PGlite data folder; absent = in memory (tests). */
  dataDir?: string;
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number;
  migrate?: boolean;
  /** PGlite server settings at start, e.g. `{ shared_buffers: '32MB' }` (a smaller heap for a one-off import). */
  pgliteSettings?: Record<string, string>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

export async function openDatabase(options: OpenOptions = {}): Promise<Database> {
  const shouldMigrate = options.migrate ?? true;
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection the server ends (a restart, an administrator, a dropped database) is taken out of the pool
    // and the next query opens a new one; without a listener its 'error' event would end the process.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema });
    if (shouldMigrate) await migratePg(db, { migrationsFolder });
    return { db: db as unknown as Db, kind: 'postgres', close: () => pool.end() };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const settings = Object.entries(options.pgliteSettings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const client = await PGlite.create({
    ...(options.dataDir && { dataDir: options.dataDir }),
    ...(settings.length && { startParams: [...PGlite.defaultStartParams, ...settings] }),
  });
  const db = drizzlePglite(client, { schema });
  markSingleSession(db as unknown as Db);
  if (shouldMigrate) await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/** Rows of a raw `db.execute(sql...)` result, the same on both drivers. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
