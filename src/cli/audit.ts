// `sarafan audit`: the readiness audit of the client database as a report in the terminal, or JSON.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import { auditBase, renderAuditReport } from '../modules/audit/index.js';
import type { Ctx } from '../modules/kernel/index.js';

type SystemContext = () => Promise<{ database: Database; contextFor: (orgId: string) => Ctx }>;

/** The organisation to audit: the one given, or the only one there is. */
async function chooseOrg(
  database: Database,
  given: string | undefined,
): Promise<{ id: string; locale: 'ru' | 'en' }> {
  const orgs = rowsOf<{ id: string; name: string; locale: 'ru' | 'en' }>(
    await database.db.execute(sql`select id::text as id, name, locale from orgs order by created_at`),
  );
  if (given) {
    const org = orgs.find((o) => o.id === given);
    if (!org) throw new Error(`No organisation with id ${given}`);
    return org;
  }
  if (orgs.length === 1) return orgs[0]!;
  if (orgs.length === 0) throw new Error('No organisation yet: run `sarafan init` or `sarafan demo` first');
  throw new Error(
    `Several organisations; choose one with --org:\n${orgs.map((o) => `  ${o.id}  ${o.name}`).join('\n')}`,
  );
}

export function registerAuditCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('audit')
    .description(
      'Audit the client database: valid e-mails and phones, field fill rates, the survey method to use',
    )
    .option('--org <id>', 'organisation id (needed when there are several)')
    .option('--unit <id>', 'audit only this unit and the units under it')
    .option('--lang <ru|en>', 'language of the report (default: the organisation’s)')
    .option('--json', 'print the findings as JSON')
    .action(async (options: { org?: string; unit?: string; lang?: string; json?: boolean }) => {
      const { database, contextFor } = await systemContext();
      try {
        const org = await chooseOrg(database, options.org);
        const bar =
          !options.json && process.stderr.isTTY
            ? new SingleBar({
                format: '  {bar} {value}/{total} customers',
                stream: process.stderr,
                hideCursor: true,
              })
            : null;
        let started = false;
        const findings = await auditBase(contextFor(org.id), {
          unitId: options.unit,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
          },
        });
        if (started) bar?.stop();
        if (options.json) console.log(JSON.stringify(findings, null, 2));
        else
          console.log(
            renderAuditReport(
              findings,
              options.lang === 'en' || options.lang === 'ru' ? options.lang : org.locale,
            ),
          );
      } finally {
        await database.close();
      }
    });
}
