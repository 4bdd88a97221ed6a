// `sarafan procedure`: the closed-loop procedure document (.docx) of an organisation, written to a file.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../db/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import { procedureDocument } from '../modules/procedure/index.js';

type SystemContext = () => Promise<{
  config: { publicUrl: string };
  database: Database;
  contextFor: (orgId: string) => Ctx;
}>;

/** The organisation given, or the only one there is. */
async function orgOf(database: Database, given: string | undefined): Promise<string> {
  const orgs = rowsOf<{ id: string; name: string }>(
    await database.db.execute(sql`select id::text as id, name from orgs order by created_at`),
  );
  if (given) {
    if (!orgs.some((o) => o.id === given)) throw new Error(`No organisation with id ${given}`);
    return given;
  }
  if (orgs.length === 1) return orgs[0]!.id;
  if (orgs.length === 0) throw new Error('No organisation yet: run `sarafan init` or `sarafan demo` first');
  throw new Error(
    `Several organisations; choose one with --org:\n${orgs.map((o) => `  ${o.id}  ${o.name}`).join('\n')}`,
  );
}

export function registerProcedureCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('procedure')
    .description(
      'Write the closed-loop procedure for three levels of management (.docx) from the playbook, people and deadlines',
    )
    .option('--lang <ru|en>', 'language of the document (default: the organisation’s)')
    .option('--out <file>', 'where to write it (default: the file name it is given, in this folder)')
    .option('--org <id>', 'organisation id (needed when there are several)')
    .action(async (options: { lang?: string; out?: string; org?: string }) => {
      if (options.lang !== undefined && options.lang !== 'ru' && options.lang !== 'en') {
        throw new Error('--lang must be ru or en');
      }
      const { config, database, contextFor } = await systemContext();
      try {
        const orgId = await orgOf(database, options.org);
        const file = await procedureDocument(
          { ...contextFor(orgId), publicUrl: config.publicUrl },
          options.lang as 'ru' | 'en' | undefined,
        );
        const out = options.out ?? file.fileName;
        writeFileSync(out, file.body);
        console.log(`Written ${out} (${file.locale}, ${Math.round(file.body.length / 1024)} KB)`);
      } finally {
        await database.close();
      }
    });
}
