// `sarafan demo`: a demo fitness-club chain to look around in.
import type { Command } from 'commander';
import { loadDemo } from '../modules/demo/index.js';
import type { SystemContext } from './context.js';

export function registerDemoCommand(program: Command, systemContext: SystemContext): void {
  program
    .command('demo')
    .description(
      'Load a demo fitness-club chain with 18 months of visits and answers, and print how to log in',
    )
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
}
