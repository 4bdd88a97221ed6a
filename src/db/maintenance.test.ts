// The planner's statistics on PGlite, which has no autovacuum: grown tables are analyzed, unchanged ones are not.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rowsOf } from './index.js';
import { analyzeGrownTables } from './maintenance.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({ migrate: false });
  await database.db.execute(sql`create table visits (id int primary key, note text)`);
  await database.db.execute(sql`create table quiet (id int primary key)`);
});
afterAll(() => database.close());

const estimate = async (table: string) =>
  Number(
    rowsOf<{ n: number }>(
      await database.db.execute(sql`select reltuples as n from pg_class where relname = ${table}`),
    )[0]!.n,
  );

const fill = (from: number, to: number) =>
  database.db.execute(
    sql`insert into visits select g, repeat('x', 100) from generate_series(${from}::int, ${to}::int) g`,
  );

describe('analyzeGrownTables', () => {
  it('analyzes a table that was never analyzed, and leaves empty ones alone', async () => {
    await fill(1, 5000);
    expect(await analyzeGrownTables(database.db)).toEqual(['visits']);
    expect(await estimate('visits')).toBe(5000);
  });

  it('does nothing while tables stay as they were', async () => {
    expect(await analyzeGrownTables(database.db)).toEqual([]);
  });

  it('analyzes again once a table has grown by more than a tenth, so the planner sees its real size', async () => {
    await fill(5001, 5100); // 2% more: not yet
    expect(await analyzeGrownTables(database.db)).toEqual([]);
    await fill(5101, 20000);
    expect(await analyzeGrownTables(database.db)).toEqual(['visits']);
    expect(await estimate('visits')).toBe(20000);
    const plan = rowsOf<{ 'QUERY PLAN': string }>(
      await database.db.execute(sql`explain select * from visits where id = any(array[1, 2, 3])`),
    )
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toContain('Index');
  });
});
