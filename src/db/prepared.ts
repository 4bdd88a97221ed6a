// Hot statements planned once per session on PGlite, whose planner runs in WebAssembly.
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * Why: PGlite plans every statement it is sent, in WebAssembly — the answer writer's rollup statement took 10.6 ms to
 * plan and 4.5 ms to run for a batch of 25 answers (EXPLAIN ANALYZE, 2026-12-03). PGlite is one session, so a
 * statement prepared once is planned once (a generic plan after five runs). Its one input is a jsonb document, so the
 * statement's text never changes with the batch; EXECUTE takes the document as a literal because PGlite's protocol
 * path sends only unnamed statements. On PostgreSQL (a pool of sessions) the same text is sent as a named statement
 * with the document as its parameter (`byName`).
 */
export interface JsonStatement {
  /** The prepared statement's name: a plain identifier, unique in the process. */
  name: string;
  /** The statement's text; `$1` (exactly once) is the input document, as jsonb. */
  text: string;
}

/** Per single-session database (keyed by its drizzle dialect, which its transactions share): what is prepared. */
const sessions = new WeakMap<object, { prepared: Set<string>; literalsSafe: boolean | null }>();

const dialectOf = (db: Db) => (db as unknown as { dialect: object }).dialect;

/** Marks `db` as a single session (PGlite): its JSON statements are prepared once and run by name. */
export function markSingleSession(db: Db): void {
  sessions.set(dialectOf(db), { prepared: new Set(), literalsSafe: null });
}

export function jsonStatement(name: string, text: string): JsonStatement {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`not a statement name: ${name}`);
  if (text.split('$1').length !== 2) throw new RangeError(`${name}: the text must use $1 exactly once`);
  return { name, text };
}

/** Runs `statement` with `input` (serialised as JSON) in `db` or a transaction of it; returns its rows. */
export async function runJson<T>(db: Db, statement: JsonStatement, input: unknown): Promise<T[]> {
  const json = JSON.stringify(input);
  const session = sessions.get(dialectOf(db));
  if (!session) return rowsOf<T>(await byName(db, statement, json));
  if (session.literalsSafe === null) {
    const [row] = rowsOf<{ on: boolean }>(
      await db.execute(sql`select current_setting('standard_conforming_strings') = 'on' as on`),
    );
    session.literalsSafe = row?.on === true;
  }
  if (!session.literalsSafe) {
    const [before, after] = statement.text.split('$1') as [string, string];
    return rowsOf<T>(await db.execute(sql`${sql.raw(before)}${json}${sql.raw(after)}`));
  }
  if (!session.prepared.has(statement.name)) {
    // PREPARE is not transactional: once it succeeds the statement stays, even if the transaction rolls back.
    await db.execute(sql.raw(`prepare ${statement.name}(jsonb) as ${statement.text}`));
    session.prepared.add(statement.name);
  }
  return rowsOf<T>(await db.execute(sql.raw(`execute ${statement.name}(${literal(json)})`)));
}

/**
 * On PostgreSQL: the statement sent by its name, with the document as its parameter. node-postgres parses a named
 * statement once per pooled connection and then sends only its name; PostgreSQL plans it for the first five runs and
 * keeps a generic plan after that. Sent unnamed, the answer writer's statement was parsed and planned for every batch
 * (bench/answers: 5.5 ms a batch seen from Node against 1.9 ms of execution). Through drizzle's session (the pool, or
 * a transaction's connection), so its type parsers still apply.
 */
function byName(db: Db, statement: JsonStatement, json: string): Promise<unknown> {
  const { session } = db as unknown as {
    session: {
      prepareQuery(
        query: { sql: string; params: unknown[] },
        fields: undefined,
        name: string,
        arrayMode: boolean,
      ): { execute(): Promise<unknown> };
    };
  };
  return session
    .prepareQuery({ sql: statement.text, params: [json] }, undefined, statement.name, false)
    .execute();
}

/**
 * A string as a SQL literal. With standard_conforming_strings on (checked above; the default since PostgreSQL 9.1)
 * a backslash is an ordinary character and only the quote needs doubling. JSON text has no raw NUL or control
 * characters (JSON.stringify escapes them), so nothing else can end the literal.
 */
export function literal(text: string): string {
  if (text.includes('\0')) throw new RangeError('a NUL character cannot be in a SQL literal');
  return `'${text.replaceAll("'", "''")}'`;
}
