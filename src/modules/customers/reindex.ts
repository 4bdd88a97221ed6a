// Re-computes customers' phone blind indexes after the phone normalisation changed (digits → E.164).
import { and, asc, eq, gt, isNotNull } from 'drizzle-orm';
import { tables } from '../../db/index.js';
import type { Ctx } from '../kernel/index.js';

const { customers } = tables;

export interface ReindexResult {
  checked: number;
  changed: number;
}

/**
 * Reads each customer's phone and writes its blind index again where the current normalisation gives another
 * one. Since the index became E.164 only numbers stored without a country code or a leading 8 ('9161234567')
 * move; the rest keep the index they had. Safe to run at any time and as often as wished: it changes nothing
 * the second time, and the index has no unique constraint to trip on.
 */
export async function reindexPhones(
  ctx: Ctx,
  options: { batch?: number; onProgress?: (progress: ReindexResult) => void } = {},
): Promise<ReindexResult> {
  const batch = options.batch ?? 2000;
  const result: ReindexResult = { checked: 0, changed: 0 };
  let after: string | null = null;
  for (;;) {
    const rows = await ctx.db
      .select({ id: customers.id, phoneEnc: customers.phoneEnc, phoneBidx: customers.phoneBidx })
      .from(customers)
      .where(
        and(
          eq(customers.orgId, ctx.orgId),
          isNotNull(customers.phoneEnc),
          after ? gt(customers.id, after) : undefined,
        ),
      )
      .orderBy(asc(customers.id))
      .limit(batch);
    if (rows.length === 0) return result;
    for (const row of rows) {
      const index = ctx.vault.blindIndex('phone', ctx.vault.decrypt(row.phoneEnc!));
      if (index !== row.phoneBidx) {
        await ctx.db
          .update(customers)
          .set({ phoneBidx: index })
          .where(and(eq(customers.orgId, ctx.orgId), eq(customers.id, row.id)));
        result.changed += 1;
      }
    }
    result.checked += rows.length;
    after = rows.at(-1)!.id;
    options.onProgress?.({ ...result });
  }
}
