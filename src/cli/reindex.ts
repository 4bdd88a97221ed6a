// `sarafan reindex-phones`: re-computes customers' phone blind indexes after the normalisation changed to E.164.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import { reindexPhones } from '../modules/customers/index.js';
import type { Ctx } from '../modules/kernel/index.js';

type SystemContext = () => Promise<{ database: Database; contextFor: (orgId: string) => Ctx }>;

export function registerReindexCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('reindex-phones')
    .description(
      'Find customers by phone however it was written: re-compute the phone index of customers stored before it became E.164 (safe to repeat)',
    )
    .option('--org <id>', 'only this organisation (default: all)')
    .action(async (options: { org?: string }) => {
      const { database, contextFor } = await systemContext();
      try {
        const orgs = rowsOf<{ id: string; name: string }>(
          await database.db.execute(sql`select id::text as id, name from orgs order by created_at`),
        ).filter((o) => !options.org || o.id === options.org);
        if (options.org && orgs.length === 0) throw new Error(`No organisation with id ${options.org}`);
        for (const org of orgs) {
          const done = await reindexPhones(contextFor(org.id));
          console.log(`${org.name}: ${done.checked} phones checked, ${done.changed} re-indexed`);
        }
      } finally {
        await database.close();
      }
    });
}
