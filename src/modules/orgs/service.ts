// Organisations: creation (by the CLI) and reading/updating their settings.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { isValidTimeZone } from '../../domain/period.js';
import { type Ctx, notFound, requireRole } from '../kernel/index.js';

export const orgSettings = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: z
    .string()
    .refine((tz) => isValidTimeZone(tz), 'Not an IANA time zone (e.g. Europe/Moscow)')
    .default('Europe/Moscow'),
  locale: z.enum(['ru', 'en']).default('ru'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as RUB')
    .default('RUB'),
});
export type OrgSettings = z.input<typeof orgSettings>;
export type Org = typeof tables.orgs.$inferSelect;

export async function createOrg(db: Db, input: OrgSettings): Promise<Org> {
  const settings = orgSettings.parse(input);
  const [org] = await db.insert(tables.orgs).values(settings).returning();
  return org!;
}

export async function getOrg(ctx: Ctx): Promise<Org> {
  const [org] = await ctx.db.select().from(tables.orgs).where(eq(tables.orgs.id, ctx.orgId));
  if (!org) throw notFound('Organisation');
  return org;
}

export async function updateOrg(ctx: Ctx, patch: Partial<z.output<typeof orgSettings>>): Promise<Org> {
  requireRole(ctx, 'owner', 'admin');
  const [org] = await ctx.db.update(tables.orgs).set(patch).where(eq(tables.orgs.id, ctx.orgId)).returning();
  if (!org) throw notFound('Organisation');
  return org;
}
