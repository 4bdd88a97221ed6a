// A fresh, migrated database for one test file: in-memory PGlite, or a throwaway PostgreSQL database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/index.js';

/** A new, empty PostgreSQL database on TEST_DATABASE_URL's server: its URL, and a function that drops it. */
export async function freshDatabaseUrl(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sarafan_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** PostgreSQL when TEST_DATABASE_URL is set (CI sets it), else PGlite in memory. */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return openDatabase();
  const fresh = await freshDatabaseUrl(url);
  const database = await openDatabase({ url: fresh.url, poolSize: 8 });
  return {
    ...database,
    async close() {
      await database.close();
      await fresh.drop();
    },
  };
}

export const databaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
