// The context every service takes first: who acts, for which organisation, on which database, at what time.

import type { Logger } from 'pino';
import type { Db } from '../../db/index.js';
import type { Vault } from '../privacy/vault.js';
import { AppError } from './errors.js';
import type { ForegroundGate } from './foreground.js';

export type Role = 'owner' | 'admin' | 'manager' | 'frontline' | 'analyst';

export type Actor =
  | {
      kind: 'user';
      userId: string;
      role: Role;
      /** Units whose subtree this actor may see; null = the whole organisation. */
      unitIds: string[] | null;
    }
  | { kind: 'system' };

export interface Ctx {
  db: Db;
  orgId: string;
  actor: Actor;
  clock: () => Date;
  log: Logger;
  vault: Vault;
  /** The public base URL for links in messages (set by the server, the worker and the CLI). */
  publicUrl?: string;
}

/** Refuses unless the actor has one of the roles (the system actor may do anything). */
export function requireRole(ctx: Ctx, ...allowed: Role[]): void {
  if (ctx.actor.kind === 'system') return;
  if (!allowed.includes(ctx.actor.role)) {
    throw new AppError('forbidden', `This needs one of the roles: ${allowed.join(', ')}`);
  }
}

export const canWrite = ['owner', 'admin'] as const satisfies Role[];

/** True when the actor may read personal data of customers (analysts work on pseudonymised data). */
export function seesPersonalData(ctx: Ctx): boolean {
  return ctx.actor.kind === 'system' || ctx.actor.role !== 'analyst';
}

/** What the running application shares with every request: built once at start. */
export interface Deps {
  db: Db;
  vault: Vault;
  log: Logger;
  clock: () => Date;
  publicUrl: string;
  /** DATA_DIR: where uploaded import files are kept (under imports/). */
  dataDir: string;
  /** Background loops give way to answers being written (see foreground.ts). */
  foreground?: ForegroundGate;
}

/** The logged-in user as the dashboard shows them. */
export interface Principal {
  orgId: string;
  orgName: string;
  timeZone: string;
  actor: Extract<Actor, { kind: 'user' }>;
  email: string;
  locale: 'ru' | 'en';
}
