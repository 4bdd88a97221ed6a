// `sarafan rollups rebuild`: recomputes the analytics rollups of every organisation (or one) from the stored answers.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import { rebuildRollups } from '../modules/answers/index.js';

type SystemContext = () => Promise<{ database: Database }>;

export function registerRollupsCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('rollups')
    .description('Analytics rollups')
    .command('rebuild')
    .description(
      'Rebuild the daily, monthly and facet rollups from the answers (also recomputes revenue quantile bands); safe to repeat',
    )
    .option('--org <id>', 'only this organisation (default: all)')
    .action(async (options: { org?: string }) => {
      const { database } = await systemContext();
      try {
        const orgs = rowsOf<{ id: string; name: string }>(
          await database.db.execute(sql`select id::text as id, name from orgs order by created_at`),
        ).filter((o) => !options.org || o.id === options.org);
        if (options.org && orgs.length === 0) throw new Error(`No organisation with id ${options.org}`);
        for (const org of orgs) {
          const started = Date.now();
          const done = await rebuildRollups(database.db, org.id);
          console.log(
            `${org.name}: ${done.answers.toLocaleString('en')} answers → ${done.rows.toLocaleString('en')} rollup rows in ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
