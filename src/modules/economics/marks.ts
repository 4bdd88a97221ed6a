// Referrals, "who told you about us" and explicit churn for customers, as the accounting system knows them: the
// optional data contacts do not carry. Matched by the customer's externalId, in batches.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/index.js';
import { AppError, type Ctx, requireRole } from '../kernel/index.js';

export const marksInput = z.object({
  items: z
    .array(
      z.object({
        externalId: z.string().trim().min(1, 'Required').max(200),
        referredByExternalId: z
          .string()
          .trim()
          .min(1)
          .max(200)
          .nullable()
          .optional()
          .openapi({ description: 'The customer who brought this one (their externalId); null clears it' }),
        referralSource: z
          .string()
          .trim()
          .max(200)
          .nullable()
          .optional()
          .openapi({ description: '"Who told you about us": a friend, an ad, the website…' }),
        churnedAt: z.iso
          .datetime({ offset: true })
          .nullable()
          .optional()
          .openapi({ description: 'When the customer left (a closed membership); null = not churned' }),
      }),
    )
    .min(1, 'At least one customer')
    .max(1000, 'At most 1,000 customers per request'),
});

/** Upserts the marks; unknown customers (or referrers) are refused naming the item, and nothing is stored. */
export async function putCustomerMarks(
  ctx: Ctx,
  body: z.input<typeof marksInput>,
): Promise<{ updated: number }> {
  requireRole(ctx, 'owner', 'admin');
  const { items } = marksInput.parse(body);
  const ids = [
    ...new Set(
      items.flatMap((i) => [i.externalId, ...(i.referredByExternalId ? [i.referredByExternalId] : [])]),
    ),
  ];
  const known = new Map(
    rowsOf<{ id: string; external_id: string }>(
      await ctx.db.execute(sql`
        select id, external_id from customers
        where org_id = ${ctx.orgId} and external_id = any(${`{${ids.map((i) => `"${i.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`}::text[])`),
    ).map((r) => [r.external_id, r.id]),
  );
  const errors = items.flatMap((item, i) => [
    ...(known.has(item.externalId)
      ? []
      : [{ path: `items.${i}.externalId`, message: 'No customer with this externalId' }]),
    ...(item.referredByExternalId && !known.has(item.referredByExternalId)
      ? [{ path: `items.${i}.referredByExternalId`, message: 'No customer with this externalId' }]
      : []),
    ...(item.referredByExternalId === item.externalId
      ? [{ path: `items.${i}.referredByExternalId`, message: 'A customer does not refer themselves' }]
      : []),
  ]);
  if (errors.length > 0) throw new AppError('invalid_input', `Invalid marks: ${errors[0]?.path}`, { errors });
  const now = ctx.clock().toISOString();
  await ctx.db.transaction(async (tx) => {
    for (const item of items) {
      const referrer = item.referredByExternalId ? (known.get(item.referredByExternalId) ?? null) : null;
      await tx.execute(sql`
        insert into economics_customer_marks (org_id, customer_id, referred_by_customer_id, referral_source, churned_at, updated_at)
        values (${ctx.orgId}, ${known.get(item.externalId)}, ${referrer}, ${item.referralSource || null},
                ${item.churnedAt ?? null}::timestamptz, greatest(now(), ${now}::timestamptz))
        on conflict (org_id, customer_id) do update set
          referred_by_customer_id = case when ${item.referredByExternalId === undefined} then economics_customer_marks.referred_by_customer_id else excluded.referred_by_customer_id end,
          referral_source = case when ${item.referralSource === undefined} then economics_customer_marks.referral_source else excluded.referral_source end,
          churned_at = case when ${item.churnedAt === undefined} then economics_customer_marks.churned_at else excluded.churned_at end,
          updated_at = excluded.updated_at`);
    }
  });
  return { updated: items.length };
}
