// `sarafan init`: an organisation, its owner and the owner's first API key.
import { randomBytes } from 'node:crypto';
import { createApiKey, createUser } from '../modules/auth/index.js';
import type { Ctx } from '../modules/kernel/index.js';
import { createOrg } from '../modules/orgs/index.js';

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
