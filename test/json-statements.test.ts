// JSON statements on the database the suite runs on (PGlite, or PostgreSQL in CI): prepared once per PGlite session,
// sent by name on PostgreSQL, where each pooled connection parses the statement once and then plans it generically.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, jsonStatement, rowsOf, runJson } from '../src/db/index.js';
import { freshDatabase } from './support/database.js';

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
  await database.db.execute(sql`create table notes (id int primary key, body text not null)`);
});
afterAll(() => database.close());

const insertNotes = jsonStatement(
  'test_json_insert_notes',
  `insert into notes (id, body) select id, body from jsonb_to_recordset($1::jsonb) as x(id int, body text)
   returning id, body`,
);
const notesAfter = async (id: number) =>
  rowsOf<{ id: number; body: string }>(
    await database.db.execute(sql`select id, body from notes where id > ${id} order by id`),
  );

describe('a JSON statement', () => {
  it('stores any text as typed, run after run (past the switch to a generic plan)', async () => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0')),
        async (body) => {
          id++;
          expect(await runJson(database.db, insertNotes, [{ id, body }])).toEqual([{ id, body }]);
        },
      ),
      { numRuns: 60 },
    );
    for (const body of ["'); drop table notes; --", "O'Brien", "\\'", '$1', '\\x00', '"; select 1; "']) {
      id++;
      expect(await runJson(database.db, insertNotes, [{ id, body }])).toEqual([{ id, body }]);
    }
  });

  it('runs on many connections at once, and in transactions, one of them rolled back', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) => ({ id: 1_000 + i, body: `параллельно ${i}` }));
    await Promise.all(bodies.map((b) => runJson(database.db, insertNotes, [b])));
    expect(await notesAfter(999)).toEqual(bodies);

    await expect(
      database.db.transaction(async (tx) => {
        await runJson(tx, insertNotes, [{ id: 10_001, body: 'rolled back' }]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await database.db.transaction(async (tx) => {
      await runJson(tx, insertNotes, [{ id: 10_002, body: 'kept' }]);
    });
    expect(await notesAfter(10_000)).toEqual([{ id: 10_002, body: 'kept' }]);
  });

  it('reports a failing run and keeps working after it', async () => {
    await expect(runJson(database.db, insertNotes, [{ id: 20_001, body: null }])).rejects.toThrow();
    expect(await runJson(database.db, insertNotes, [{ id: 20_002, body: 'after' }])).toEqual([
      { id: 20_002, body: 'after' },
    ]);
  });
});
