// Environment configuration, validated once at start with a clear message for each bad variable.
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseTrustProxy, type TrustProxy } from './modules/kernel/client-address.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PUBLIC_URL: z.url().optional(),
  SECRET_KEY_FILE: z.string().optional(),
  SMTP_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER: z.enum(['inline', 'process', 'off']).optional(),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx): TrustProxy => {
      try {
        return parseTrustProxy(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicUrl: string;
  secretKeyFile: string;
  smtpUrl: string | undefined;
  logLevel: string;
  /** Whether and which reverse proxies to believe about the client's address (X-Forwarded-For). */
  trustProxy: TrustProxy;
  /**
   * Where the background work runs (the closed loop, delivery, themes, rollups of economics, reports): `process`, a
   * worker process beside the server (the default on PostgreSQL: answers and background work on separate cores);
   * `inline`, in the server's own event loop (the default, and the only way, on PGlite: one process owns the
   * database); `off`, not in this server (another runs `npm run worker`).
   */
  worker: 'inline' | 'process' | 'off';
}

/** The server's PGlite data folder (when no DATABASE_URL is set). */
export function databaseFolder(config: Pick<Config, 'dataDir'>): string {
  return `${config.dataDir}/db`;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Sarafan cannot start: bad configuration\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.WORKER && e.WORKER !== 'inline' && !e.DATABASE_URL)
    throw new Error(
      `Sarafan cannot start: bad configuration\n  WORKER: ${e.WORKER} needs DATABASE_URL (PGlite is owned by one process, which runs the worker itself)`,
    );
  const dataDir = resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    secretKeyFile: resolve(e.SECRET_KEY_FILE ?? `${dataDir}/secret.key`),
    smtpUrl: e.SMTP_URL || undefined,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    worker: e.WORKER ?? (e.DATABASE_URL ? 'process' : 'inline'),
  };
}
