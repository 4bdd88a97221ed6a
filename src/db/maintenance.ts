// What PostgreSQL's autovacuum daemon would do and PGlite has no daemon for: keeping planner statistics current.
import { sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { rowsOf } from './client.js';

/**
 * Why: PGlite runs no autovacuum, so a table's statistics stay as they were at its last ANALYZE — for a table
 * created empty, "empty" for ever — and the planner keeps choosing sequential scans as it grows (bench/answers:
 * looking up 50 links among 20,000 invitations scanned all of them, twice per batch). This analyzes each table that
 * has grown by more than 10% and 8 pages since its last ANALYZE, or was never analyzed (PostgreSQL's autovacuum
 * counts changed rows: threshold 50 + scale factor 0.1; PGlite keeps no such counters, so the size stands in).
 * Returns the tables it analyzed.
 */
export async function analyzeGrownTables(db: Db): Promise<string[]> {
  const grown = rowsOf<{ name: string }>(
    await db.execute(sql`
      select c.relname as name
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and pg_relation_size(c.oid) > 0
         and (c.reltuples < 0 -- never analyzed
              or pg_relation_size(c.oid) / current_setting('block_size')::int > 1.1 * c.relpages + 8)`),
  );
  for (const { name } of grown) await db.execute(sql`analyze ${sql.identifier(name)}`);
  return grown.map((g) => g.name);
}
