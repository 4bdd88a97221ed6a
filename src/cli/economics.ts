// `sarafan economics refresh`: builds the loyalty economics cache of every organisation (or one) outside the server,
// so a large base's first whole build does not wait on a dashboard request.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import { refreshEconomics } from '../modules/economics/index.js';
import type { Ctx } from '../modules/kernel/index.js';

type SystemContext = () => Promise<{ database: Database; contextFor: (orgId: string) => Ctx }>;

export function registerEconomicsCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('economics')
    .description('Loyalty economics')
    .command('refresh')
    .description('Bring the per-customer economics cache up to date (whole with --full); safe to repeat')
    .option('--org <id>', 'only this organisation (default: all)')
    .option('--full', 'rebuild the cache whole')
    .action(async (options: { org?: string; full?: boolean }) => {
      const { database, contextFor } = await systemContext();
      try {
        const orgs = rowsOf<{ id: string; name: string }>(
          await database.db.execute(sql`select id::text as id, name from orgs order by created_at`),
        ).filter((o) => !options.org || o.id === options.org);
        if (options.org && orgs.length === 0) throw new Error(`No organisation with id ${options.org}`);
        for (const org of orgs) {
          const done = await refreshEconomics(contextFor(org.id), options.full ? { force: 'full' } : {});
          console.log(
            `${org.name}: ${done.kind}, ${done.customers.toLocaleString('en')} customers in ${(done.durationMs / 1000).toFixed(1)} s`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
