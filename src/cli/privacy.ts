// `sarafan privacy erase|export` (a person's rights from the command line) and `sarafan keys rotate`.
import type { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { readConfig } from '../config.js';
import { type Database, rowsOf } from '../db/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import {
  erasePerson,
  exportPerson,
  logAccess,
  type PersonQuery,
  rotateKeys,
} from '../modules/privacy/index.js';

type SystemContext = () => Promise<{ database: Database; contextFor: (orgId: string) => Ctx }>;

interface PersonOptions {
  org?: string;
  customer?: string;
  email?: string;
  phone?: string;
  externalId?: string;
}

function queryOf(o: PersonOptions): PersonQuery {
  const q: PersonQuery = {
    ...(o.customer && { customerId: o.customer }),
    ...(o.email && { email: o.email }),
    ...(o.phone && { phone: o.phone }),
    ...(o.externalId && { externalId: o.externalId }),
  };
  if (Object.keys(q).length !== 1)
    throw new Error('Name the person by one of --customer, --email, --phone or --external-id');
  return q;
}

/** The organisation of the request: --org, else the one the customer id belongs to, else the only one. */
async function orgOf(database: Database, o: PersonOptions): Promise<string> {
  if (o.org) return o.org;
  if (o.customer) {
    const [row] = rowsOf<{ org_id: string }>(
      await database.db.execute(
        sql`select org_id::text as org_id from customers where id = ${o.customer}::uuid`,
      ),
    );
    if (!row) throw new Error(`No customer with id ${o.customer}`);
    return row.org_id;
  }
  const orgs = rowsOf<{ id: string }>(await database.db.execute(sql`select id::text as id from orgs`));
  if (orgs.length !== 1) throw new Error('There are several organisations: say which with --org');
  return orgs[0]!.id;
}

function personOptions(command: Command): Command {
  return command
    .option('--org <id>', 'the organisation (needed when there are several, unless --customer is given)')
    .option('--customer <id>', 'the customer id')
    .option('--email <email>', 'the customer’s e-mail')
    .option('--phone <phone>', 'the customer’s phone')
    .option('--external-id <id>', 'the customer’s id in the accounting system');
}

export function registerPrivacyCommands(program: Command, systemContext: SystemContext): void {
  const privacy = program
    .command('privacy')
    .description('A person’s rights over their data: export and erasure');
  personOptions(
    privacy
      .command('export')
      .description(
        'Print everything held about a person (customer, visits, answers, cases, messages, consents) as JSON',
      ),
  ).action(async (o: PersonOptions) => {
    const { database, contextFor } = await systemContext();
    try {
      const query = queryOf(o);
      const ctx = contextFor(await orgOf(database, o));
      const result = await exportPerson(ctx, query);
      await logAccess(
        ctx,
        'privacy.export',
        result.customers[0]?.customer.id ?? null,
        { customers: result.customers.map((r) => r.customer.id), by: Object.keys(query)[0] ?? null },
        { cli: true },
      );
      console.log(JSON.stringify(result, null, 2));
    } finally {
      await database.close();
    }
  });
  personOptions(
    privacy
      .command('erase')
      .description(
        'Erase a person’s personal data; their answers stay, unlinked and anonymous, and they get no more surveys',
      ),
  ).action(async (o: PersonOptions) => {
    const { database, contextFor } = await systemContext();
    try {
      const query = queryOf(o);
      const ctx = contextFor(await orgOf(database, o));
      const erased = await erasePerson(ctx, query);
      await logAccess(
        ctx,
        'privacy.erase',
        erased[0]?.customerId ?? null,
        { customers: erased.map((e) => e.customerId), by: Object.keys(query)[0] ?? null },
        { cli: true },
      );
      for (const e of erased)
        console.log(
          `Customer ${e.customerId} erased: ${e.answersUnlinked} answers kept and unlinked (${e.reasonsMasked} reasons masked), ` +
            `${e.messagesCleared} messages cleared, ${e.casesUnlinked} cases unlinked`,
        );
    } finally {
      await database.close();
    }
  });

  program
    .command('keys')
    .description('The key that encrypts personal data')
    .command('rotate')
    .description(
      'Encrypt every personal field again and recompute every blind index under a new key, in batches; resumes where a stopped run left off',
    )
    .option(
      '--new-key-file <file>',
      'a file with the new key (base64, 32 bytes); made when it does not exist',
    )
    .option('--batch-size <n>', 'rows per batch', '500')
    .action(async (o: { newKeyFile?: string; batchSize: string }) => {
      const config = readConfig();
      const { database } = await systemContext();
      try {
        const started = Date.now();
        const result = await rotateKeys(database.db, {
          keyFile: config.secretKeyFile,
          newKeyFile: o.newKeyFile,
          batchSize: Number(o.batchSize),
          onProgress: (line) => console.log(line),
        });
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(
          `Key ${result.newKeyId} is now the only key in ${config.secretKeyFile}: ${result.rows} rows sealed or indexed again in ${result.batches} batches (${seconds} s).`,
        );
        if (result.unresolvedSuppressions)
          console.log(
            `${result.unresolvedSuppressions} suppressed addresses are held nowhere else in clear form and keep their old index.`,
          );
        for (const file of result.retiredKeyFiles)
          console.log(
            `The old key is in ${file}: keep it only as long as backups made before now; then destroy it.`,
          );
      } finally {
        await database.close();
      }
    });
}
