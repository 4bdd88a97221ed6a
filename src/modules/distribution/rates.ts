// Response rates of a survey by channel, unit or campaign, each with its Wilson 95% interval.

import { and, eq, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import { suppressParts } from '../../domain/anonymity.js';
import { addDays, startOfLocalDay } from '../../domain/period.js';
import { wilsonInterval } from '../../domain/proportion-interval.js';
import { minGroupSizeOf } from '../anonymity/index.js';
import type { Ctx } from '../kernel/index.js';
import { findSurvey } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import { orgPolicy } from './queries.js';
import { type ResponseRateQuery, responseRateQuery } from './schemas.js';

const { campaigns } = tables;

export interface ResponseRateRow {
  /** The channel, unit id or campaign id; 'none' = no unit / not from a campaign. */
  key: string;
  label: string;
  invited: number;
  /** Went out (sent_at set) — or was answered, which proves it reached the person (links, the widget). */
  sent: number;
  answered: number;
  /** answered / sent; null before anything went out. */
  rate: number | null;
  ci95: [number, number] | null;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function rowOf(key: string, label: string, invited: number, sent: number, answered: number): ResponseRateRow {
  if (sent === 0) return { key, label, invited, sent, answered, rate: null, ci95: null };
  const { low, high } = wilsonInterval(answered, sent);
  return {
    key,
    label,
    invited,
    sent,
    answered,
    rate: round4(answered / sent),
    ci95: [round4(low), round4(high)],
  };
}

/**
 * Invitations made in the period (days in the org's time zone, both ends included), how many went out and how
 * many were answered. A manager sees the invitations of their units' subtrees only.
 */
export async function responseRates(
  ctx: Ctx,
  surveyId: string,
  query: ResponseRateQuery,
): Promise<{ groupBy: string; rows: ResponseRateRow[]; total: ResponseRateRow }> {
  const q = responseRateQuery.parse(query);
  const survey = await findSurvey(ctx, surveyId);
  const { timeZone } = await orgPolicy(ctx.db, ctx.orgId);
  const visible = await visibleUnitIds(ctx);
  const from = q.from ? startOfLocalDay(q.from, timeZone) : null;
  const to = q.to ? startOfLocalDay(addDays(q.to, 1), timeZone) : null;
  const key = {
    channel: sql`i.channel::text`,
    unit: sql`coalesce(i.unit_id::text, 'none')`,
    campaign: sql`coalesce(i.campaign_id::text, 'none')`,
  }[q.groupBy];
  const counted =
    visible && visible.size === 0
      ? []
      : rowsOf<{ key: string; invited: number; sent: number; answered: number }>(
          await ctx.db.execute(sql`
            select ${key} as key, count(*)::int as invited,
                   count(*) filter (where i.sent_at is not null or i.status = 'answered')::int as sent,
                   count(*) filter (where i.status = 'answered')::int as answered
            from invitations i
            where i.org_id = ${ctx.orgId} and i.survey_id = ${surveyId}
              ${from ? sql`and i.created_at >= ${from.toISOString()}` : sql``}
              ${to ? sql`and i.created_at < ${to.toISOString()}` : sql``}
              ${visible ? sql`and i.unit_id = any(${`{${[...visible].join(',')}}`}::uuid[])` : sql``}
            group by 1
            order by 1`),
        );
  const labels = new Map<string, string>();
  if (q.groupBy === 'unit') {
    for (const [id, u] of await unitsById(ctx)) labels.set(id, u.name);
  } else if (q.groupBy === 'campaign') {
    const rows = await ctx.db
      .select({ id: campaigns.id, name: campaigns.name })
      .from(campaigns)
      .where(and(eq(campaigns.orgId, ctx.orgId), eq(campaigns.surveyId, surveyId)));
    for (const r of rows) labels.set(r.id, r.name);
  }
  let rows = counted.map((r) => rowOf(r.key, labels.get(r.key) ?? r.key, r.invited, r.sent, r.answered));
  const sum = (f: 'invited' | 'sent' | 'answered') => rows.reduce((a, r) => a + r[f], 0);
  let total = rowOf('total', 'total', sum('invited'), sum('sent'), sum('answered'));
  if (survey.audience === 'employee') {
    // How many answered is a group's number of answers: withheld, with the complementary rule of
    // src/domain/anonymity.ts, where fewer than the minimum group answered (its rate too).
    const k = await minGroupSizeOf(ctx);
    const hidden = suppressParts(
      { key: '#total', size: total.answered },
      rows.map((r) => ({ key: r.key, size: r.answered })),
      k,
    );
    const withhold = (r: ResponseRateRow): ResponseRateRow => ({ ...r, answered: 0, rate: null, ci95: null });
    rows = rows.map((r) => (hidden.has(r.key) ? withhold(r) : r));
    if (hidden.has('#total') || (total.answered > 0 && total.answered < k)) total = withhold(total);
  }
  return { groupBy: q.groupBy, rows, total };
}
