// The `sarafan` command: set up an organisation, load the demo, and (later) imports.
import { Command } from 'commander';
import { pino } from 'pino';
import { readConfig } from '../config.js';
import { openDatabase } from '../db/index.js';
import { databaseFolder } from '../http/runtime.js';
import { loadDemo } from '../modules/demo/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import { createVault, loadKeyring } from '../modules/privacy/index.js';
import { registerAuditCommand } from './audit.js';
import { registerEconomicsCommand } from './economics.js';
import { registerImportCommands } from './import.js';
import { initOrganisation } from './init.js';
import { registerOutboxCommands } from './outbox.js';
import { registerPrivacyCommands } from './privacy.js';
import { registerProcedureCommand } from './procedure.js';
import { registerReindexCommand } from './reindex.js';
import { registerRollupsCommand } from './rollups.js';

async function systemContext() {
  const config = readConfig();
  const database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: databaseFolder(config) },
  );
  const vault = createVault(loadKeyring(config.secretKeyFile));
  const log = pino({ level: 'warn' });
  const contextFor = (orgId: string): Ctx => ({
    db: database.db,
    orgId,
    actor: { kind: 'system' },
    clock: () => new Date(),
    log,
    vault,
  });
  return { config, database, contextFor };
}

const program = new Command('sarafan').description('Sarafan — an open Net Promoter System');

program
  .command('init')
  .description('Create an organisation with its owner; prints the owner’s admin API key as the last line')
  .requiredOption('--org <name>', 'organisation name')
  .requiredOption('--email <email>', 'owner’s e-mail (dashboard login)')
  .option('--password <password>', 'owner’s password (generated and printed when left out)')
  .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Moscow', 'Europe/Moscow')
  .option('--locale <ru|en>', 'language of the organisation', 'ru')
  .action(
    async (options: { org: string; email: string; password?: string; timeZone: string; locale: string }) => {
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

program
  .command('demo')
  .description('Load a demo fitness-club chain with 18 months of visits and answers, and print how to log in')
  .option('--customers <n>', 'number of customers', '5000')
  .option('--seed <n>', 'random seed', '42')
  .option('--email <email>', 'demo owner’s e-mail', 'owner@fitpark.demo')
  .option('--password <password>', 'demo owner’s password (generated when left out)')
  .action(async (options: { customers: string; seed: string; email: string; password?: string }) => {
    const { config, database, contextFor } = await systemContext();
    try {
      const started = Date.now();
      const result = await loadDemo(contextFor, database.db, {
        customers: Number(options.customers),
        seed: Number(options.seed),
        email: options.email,
        password: options.password,
        now: new Date(),
        onProgress: (step) => process.stdout.write(`  ${step}\n`),
      });
      console.log(
        `Demo organisation "${result.orgName}" loaded in ${((Date.now() - started) / 1000).toFixed(1)} s:`,
      );
      console.log(
        `  ${result.counts.units} units, ${result.counts.employees} employees, ${result.counts.customers} customers, ` +
          `${result.counts.contacts} visits, ${result.counts.answers} customer answers, ${result.counts.employeeAnswers} employee answers, ` +
          `${result.counts.goals} goals`,
      );
      console.log(`Start the server (npm start) and log in at ${config.publicUrl}`);
      console.log(`  e-mail:   ${result.email}`);
      console.log(`  password: ${result.password}`);
      console.log(`Closed loop: ${result.counts.cases} cases; these log in with the same password:`);
      for (const l of result.logins) console.log(`  ${l.email}  (${l.role}, ${l.unitName})`);
      console.log('Admin API key:');
      console.log(result.key);
    } finally {
      await database.close();
    }
  });

registerAuditCommand(program, systemContext);
registerEconomicsCommand(program, systemContext);
registerImportCommands(program, systemContext);
registerOutboxCommands(program, systemContext);
registerPrivacyCommands(program, systemContext);
registerProcedureCommand(program, systemContext);
registerReindexCommand(program, systemContext);
registerRollupsCommand(program, systemContext);

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : error);
  process.exit(1);
});
