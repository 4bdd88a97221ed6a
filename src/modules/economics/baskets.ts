// Baskets of services per segment, from the baskets' sums per segment, unit and service (a few thousand rows), with their significant
// differences and the basket if the segment shares change.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/index.js';
import { SEGMENTS } from '../../domain/economics.js';
import {
  type BasketCell,
  type BasketForecastRow,
  type BasketRow,
  compareBaskets,
  forecastBasket,
} from '../../domain/economics-baskets.js';
import type { Shares } from '../../domain/economics-transitions.js';
import type { Segment } from '../../domain/nps.js';
import type { Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { ensureFresh } from './refresh.js';
import { scopeOf, scopeSql } from './scope.js';

/** The table shows at most this many services (the most bought first); the tests run over all of them. */
export const MAX_SERVICES = 60;

export interface BasketsReport {
  unitId: string | null;
  currency: string;
  /** Customers of each segment with a contact in the window (the denominators). */
  customers: Record<Segment, number>;
  services: BasketRow[];
  /** Services beyond MAX_SERVICES left out of `services` (the least bought). */
  omitted: number;
  test: string;
  forecast: { shares: Shares; source: 'forecast' | 'given'; rows: BasketForecastRow[] } | null;
  insufficient: 'too_few_customers' | 'no_services' | null;
}

export async function basketsReport(
  ctx: Ctx,
  query: { unitId?: string | null; shares?: Shares | null },
  forecastShares?: () => Promise<Shares | null>,
): Promise<BasketsReport> {
  const scope = await scopeOf(ctx, query.unitId);
  await ensureFresh(ctx);
  const org = await getOrg(ctx);
  const inScope = scopeSql(scope, sql`f.unit_id`);
  const cells = rowsOf<{
    segment: Segment;
    service: string;
    buyers: number | string;
    spend: number | string;
    visits: number | string;
  }>(
    await ctx.db.execute(sql`
      select s.segment, s.service, sum(s.buyers) as buyers, sum(s.spend_minor) as spend, sum(s.visits) as visits
      from economics_baskets s
      where s.org_id = ${ctx.orgId} and ${scopeSql(scope, sql`s.unit_id`)}
      group by 1, 2
      having sum(s.buyers) > 0`),
  ).map(
    (r): BasketCell => ({
      segment: r.segment,
      service: r.service,
      buyers: Number(r.buyers),
      spendMinor: Number(r.spend),
      visits: Number(r.visits),
    }),
  );
  const denominators = rowsOf<{ segment: Segment; n: number | string }>(
    await ctx.db.execute(sql`
      select segment, count(*) as n from economics_customer_facts f
      where org_id = ${ctx.orgId} and segment is not null and contacts_window > 0 and ${inScope}
      group by 1`),
  );
  const customers = { promoter: 0, passive: 0, detractor: 0 };
  for (const d of denominators) customers[d.segment] = Number(d.n);
  const all = compareBaskets(cells, customers);
  const buyersOf = (r: BasketRow) => SEGMENTS.reduce((s, seg) => s + r.bySegment[seg].buyers, 0);
  const services = [...all].sort((a, b) => buyersOf(b) - buyersOf(a)).slice(0, MAX_SERVICES);
  const n = customers.promoter + customers.passive + customers.detractor;
  const insufficient = n < 30 ? 'too_few_customers' : all.length === 0 ? 'no_services' : null;
  let forecast: BasketsReport['forecast'] = null;
  if (!insufficient) {
    const then = query.shares ?? (forecastShares ? await forecastShares() : null);
    if (then) {
      const now = {
        promoter: customers.promoter / n,
        passive: customers.passive / n,
        detractor: customers.detractor / n,
      };
      forecast = {
        shares: then,
        source: query.shares ? 'given' : 'forecast',
        rows: forecastBasket(services, now, then),
      };
    }
  }
  return {
    unitId: scope.unitId,
    currency: org.currency,
    customers,
    services,
    omitted: all.length - services.length,
    test: 'Pearson χ² of segment × bought per service and a promoter-vs-detractor two-proportion z-test, each family adjusted by Benjamini–Hochberg (FDR 5%); no verdict where an expected count is below 5',
    forecast,
    insufficient,
  };
}
