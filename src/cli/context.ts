// The database and the system context a CLI command works with; loaded only by the command that runs (see main.ts).
import { pino } from 'pino';
import { databaseFolder, readConfig } from '../config.js';
import { type Database, openDatabase } from '../db/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import { createVault, loadKeyring } from '../modules/privacy/index.js';

export interface SystemOptions {
  /** PGlite server settings for this run, e.g. a smaller `shared_buffers` for a one-off import. */
  pgliteSettings?: Record<string, string>;
}

export type SystemContext = (options?: SystemOptions) => Promise<{
  config: ReturnType<typeof readConfig>;
  database: Database;
  contextFor: (orgId: string) => Ctx;
}>;

/** The server's data folder (PGlite) or DATABASE_URL, and the server's keyring: what the running server uses. */
export const systemContext: SystemContext = async (options = {}) => {
  const config = readConfig();
  const database = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { dataDir: databaseFolder(config), pgliteSettings: options.pgliteSettings },
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
};
