// The `sarafan` command. Each command's module (and what it needs: the demo, the audit, the imports…) is loaded only
// when that command runs: an import must not carry the whole server in memory. `--help` loads them all to list them.
import { Command } from 'commander';
import type { SystemContext } from './context.js';

type Register = (program: Command, systemContext: SystemContext) => void;

/** Top-level command name → the module that registers it. */
const registrars: Record<string, () => Promise<Register>> = {
  init: async () => (await import('./init.js')).registerInitCommand,
  demo: async () => (await import('./demo.js')).registerDemoCommand,
  audit: async () => (await import('./audit.js')).registerAuditCommand,
  economics: async () => (await import('./economics.js')).registerEconomicsCommand,
  import: async () => (await import('./import.js')).registerImportCommands,
  outbox: async () => (await import('./outbox.js')).registerOutboxCommands,
  privacy: async () => (await import('./privacy.js')).registerPrivacyCommands,
  keys: async () => (await import('./privacy.js')).registerPrivacyCommands,
  procedure: async () => (await import('./procedure.js')).registerProcedureCommand,
  'reindex-phones': async () => (await import('./reindex.js')).registerReindexCommand,
  rollups: async () => (await import('./rollups.js')).registerRollupsCommand,
};

/** The database and keyring, loaded with the first command that asks for them. */
const systemContext: SystemContext = async (options) => (await import('./context.js')).systemContext(options);

async function main() {
  const program = new Command('sarafan').description('Sarafan — an open Net Promoter System');
  const name = process.argv.slice(2).find((a) => !a.startsWith('-'));
  const chosen = name !== undefined && Object.hasOwn(registrars, name) ? [registrars[name]!] : null;
  // Unknown or no command, or help: register every command so commander can list them or say what is wrong.
  const loaders = chosen ?? [...new Set(Object.values(registrars))];
  const registered = new Set<Register>();
  for (const load of loaders) {
    const register = await load();
    if (registered.has(register)) continue;
    registered.add(register);
    register(program, systemContext);
  }
  await program.parseAsync();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : error);
  process.exit(1);
});
