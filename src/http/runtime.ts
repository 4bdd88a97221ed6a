// Builds a running Sarafan from configuration: database, vault, answer writer and the Hono app.
import { type Logger, pino } from 'pino';
import type { Config } from '../config.js';
import { type Database, openDatabase } from '../db/index.js';
import { AnswerWriter } from '../modules/answers/index.js';
import type { Deps } from '../modules/kernel/index.js';
import { createVault, loadOrCreateSecret } from '../modules/privacy/index.js';
import { surveyRoutes } from '../survey/routes.js';
import { createApp, defaultWebDir } from './app.js';

export interface Runtime {
  database: Database;
  deps: Deps;
  writer: AnswerWriter;
  app: ReturnType<typeof createApp>;
  /** Finishes the answers in flight, then closes the database. */
  close(): Promise<void>;
}

export function databaseFolder(config: Pick<Config, 'dataDir'>): string {
  return `${config.dataDir}/db`;
}

export async function openRuntime(
  config: Config,
  options: { log?: Logger; clock?: () => Date; webDir?: string | null; database?: Database } = {},
): Promise<Runtime> {
  const log = options.log ?? pino({ level: config.logLevel });
  const database =
    options.database ??
    (await openDatabase(
      config.databaseUrl ? { url: config.databaseUrl, poolSize: 16 } : { dataDir: databaseFolder(config) },
    ));
  const vault = createVault(loadOrCreateSecret(config.secretKeyFile));
  const clock = options.clock ?? (() => new Date());
  // PGlite has a single connection; on PostgreSQL a few batches commit side by side.
  const writer = new AnswerWriter(database.db, log, { concurrency: database.kind === 'pglite' ? 1 : 4 });
  const deps: Deps = { db: database.db, vault, log, clock, publicUrl: config.publicUrl };
  const app = createApp(deps, {
    webDir: options.webDir === null ? undefined : (options.webDir ?? defaultWebDir),
    publicRoutes: surveyRoutes({ db: database.db, writer, clock }),
  });
  return {
    database,
    deps,
    writer,
    app,
    async close() {
      await writer.drain();
      await database.close();
    },
  };
}
