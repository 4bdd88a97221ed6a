import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, rowsOf } from './client.js';
import { jsonStatement, literal, runJson } from './prepared.js';

let database: Database;
beforeAll(async () => {
  database = await openDatabase({});
  await database.db.execute(sql`create table notes (id int primary key, body text not null)`);
});
afterAll(() => database.close());

const insertNotes = jsonStatement(
  'test_insert_notes',
  `insert into notes (id, body) select id, body from jsonb_to_recordset($1) as x(id int, body text)
   returning id, body`,
);

describe('JSON statements', () => {
  it('refuses a text without exactly one input, and a name that is not an identifier', () => {
    expect(() => jsonStatement('x', 'select 1')).toThrow(/exactly once/);
    expect(() => jsonStatement('x', 'select $1, $1')).toThrow(/exactly once/);
    expect(() => jsonStatement('x; drop table notes', 'select $1')).toThrow(/name/);
  });

  it('prepares the statement once on PGlite and runs it by name', async () => {
    // Text of every kind through the literal that EXECUTE takes: test/json-statements.test.ts, on both databases.
    expect(await runJson(database.db, insertNotes, [{ id: 1, body: "O'Brien" }])).toEqual([
      { id: 1, body: "O'Brien" },
    ]);
    expect(await runJson(database.db, insertNotes, [{ id: 2, body: '$1' }])).toEqual([{ id: 2, body: '$1' }]);
    const names = rowsOf<{ name: string }>(
      await database.db.execute(sql`select name from pg_prepared_statements`),
    );
    expect(names.filter((n) => n.name === 'test_insert_notes')).toHaveLength(1);
  });

  // Transactions, a rollback and many connections: test/json-statements.test.ts, on PGlite and PostgreSQL.

  it('makes literals that cannot be ended early', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(() => literal('a\0b')).toThrow(/NUL/);
  });
});
