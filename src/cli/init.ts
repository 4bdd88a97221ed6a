// `sarafan init`: an organisation, its owner and the owner's first API key.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { createApiKey, createUser } from '../modules/auth/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import { createOrg } from '../modules/orgs/index.js';
import type { SystemContext } from './context.js';

/** Creates an organisation and its owner; returns what to print. */
export async function initOrganisation(
  contextFor: (orgId: string) => Ctx,
  db: Ctx['db'],
  input: { org: string; email: string; password?: string; timeZone?: string; locale?: 'ru' | 'en' },
) {
  const password = input.password ?? randomBytes(12).toString('base64url');
  const org = await createOrg(db, { name: input.org, timeZone: input.timeZone, locale: input.locale });
  const ctx = contextFor(org.id);
  const owner = await createUser(ctx, { email: input.email, password, role: 'owner', locale: org.locale });
  const { key } = await createApiKey(ctx, { userId: owner.id, name: 'owner (sarafan init)' });
  return { org, owner, password, generated: input.password === undefined, key };
}

export function registerInitCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('init')
    .description('Create an organisation with its owner; prints the owner’s admin API key as the last line')
    .requiredOption('--org <name>', 'organisation name')
    .requiredOption('--email <email>', 'owner’s e-mail (dashboard login)')
    .option('--password <password>', 'owner’s password (generated and printed when left out)')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Moscow', 'Europe/Moscow')
    .option('--locale <ru|en>', 'language of the organisation', 'ru')
    .action(
      async (options: {
        org: string;
        email: string;
        password?: string;
        timeZone: string;
        locale: string;
      }) => {
        const { config, database, contextFor } = await systemContext();
        try {
          const done = await initOrganisation(contextFor, database.db, {
            org: options.org,
            email: options.email,
            password: options.password,
            timeZone: options.timeZone,
            locale: options.locale === 'en' ? 'en' : 'ru',
          });
          console.log(
            `Organisation "${done.org.name}" created (id ${done.org.id}, time zone ${done.org.timeZone}).`,
          );
          console.log(`Owner: ${done.owner.email} — log in at ${config.publicUrl}`);
          if (done.generated) console.log(`Password: ${done.password}`);
          console.log('Admin API key (shown once; send as "Authorization: Bearer <key>"):');
          console.log(done.key);
        } finally {
          await database.close();
        }
      },
    );
}
