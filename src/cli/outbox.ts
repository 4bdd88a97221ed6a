// `sarafan outbox send`: sends what waits in the outbox (held for want of SMTP, or due) and prints the tally.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Config } from '../config.js';
import { type Database, rowsOf } from '../db/index.js';
import { Delivery } from '../modules/delivery/index.js';
import { Worker } from '../modules/jobs/index.js';
import type { Ctx, Deps } from '../modules/kernel/index.js';

type SystemContext = () => Promise<{
  config: Config;
  database: Database;
  contextFor: (orgId: string) => Ctx;
}>;

export function registerOutboxCommands(program: Command, systemContext: SystemContext): void {
  const outbox = program.command('outbox').description('The outbox of e-mails and SMS');
  outbox
    .command('send')
    .description(
      'Send held and due messages now (held e-mail needs SMTP_URL); stop the server first on PGlite',
    )
    .action(async () => {
      const { config, database, contextFor } = await systemContext();
      const probe = contextFor('00000000-0000-0000-0000-000000000000');
      const log = pino({ level: 'warn' });
      const deps: Deps = {
        db: database.db,
        vault: probe.vault,
        log,
        clock: () => new Date(),
        publicUrl: config.publicUrl,
        dataDir: config.dataDir,
      };
      const delivery = new Delivery({ smtpUrl: config.smtpUrl });
      const worker = new Worker(deps, {
        concurrency: database.kind === 'pglite' ? 1 : 4,
      });
      delivery.register(worker);
      try {
        if (!config.smtpUrl) console.log('SMTP_URL is not set: e-mail stays held in the outbox.');
        const report = await worker.runDue(new Date());
        const counts = rowsOf<{ status: string; n: number }>(
          await database.db.execute(
            sql`select status, count(*)::int as n from messages group by status order by status`,
          ),
        );
        console.log(`Ran ${report.jobs} send jobs (${report.failed} to retry or failed).`);
        for (const c of counts) console.log(`  ${c.status.padEnd(11)} ${c.n}`);
      } finally {
        delivery.close();
        await database.close();
      }
    });
}
