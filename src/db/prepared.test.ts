import { sql } from 'drizzle-orm';
import fc from 'fast-check';
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

  it('stores any text as typed, through the prepared statement on PGlite', async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')),
        async (body) => {
          id++;
          const rows = await runJson<{ id: number; body: string }>(database.db, insertNotes, [{ id, body }]);
          expect(rows).toEqual([{ id, body }]);
        },
      ),
      { numRuns: 200 },
    );
    for (const body of ["'); drop table notes; --", "\\'", "O'Brien", '$1', '\\x00', '"; select 1; "']) {
      id++;
      await runJson(database.db, insertNotes, [{ id, body }]);
      const [row] = rowsOf<{ body: string }>(
        await database.db.execute(sql`select body from notes where id = ${id}`),
      );
      expect(row?.body).toBe(body);
    }
    const names = rowsOf<{ name: string }>(
      await database.db.execute(sql`select name from pg_prepared_statements`),
    );
    expect(names.map((n) => n.name)).toContain('test_insert_notes');
  });

  // Transactions, a rollback and many connections: test/json-statements.test.ts, on PGlite and PostgreSQL.

  it('makes literals that cannot be ended early', () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(() => literal('a\0b')).toThrow(/NUL/);
  });
});
