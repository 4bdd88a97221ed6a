// Loop metrics of the cases an actor may see: for the whole scope, per unit, per manager (the case owner), by month or week.
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/index.js';
import {
  type CaseFacts,
  groupedLoopMetrics,
  type LoopMetrics,
  loopMetrics,
  type TrendGrain,
  trendKeyOf,
  trendKeys,
} from '../../domain/loop-metrics.js';
import { addDays, daysBetween, localDay, startOfLocalDay } from '../../domain/period.js';
import { AppError, type Ctx, requireRole, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';

/** Default period: the last 90 local days, today included. */
export const DEFAULT_DAYS = 90;
/** The longest period one request may cover (weekly rows over five years are ~260 rows). */
export const MAX_DAYS = 366 * 5;

export const metricsQuery = z
  .object({
    from: z.iso
      .date()
      .optional()
      .openapi({ description: 'First local day (org time zone); default: `days` days ending on `to`' }),
    to: z.iso.date().optional().openapi({ description: 'Last local day, included; default today' }),
    days: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_DAYS)
      .optional()
      .openapi({ description: 'Without `from`: the period is this many days ending on `to` (default 90)' }),
    groupBy: z
      .enum(['unit', 'manager', 'month', 'week'])
      .optional()
      .openapi({ description: 'Rows per unit, per manager (the case owner), or a monthly / weekly trend' }),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'Must not be after to' });

export type MetricsGroupBy = NonNullable<z.output<typeof metricsQuery>['groupBy']>;

export interface MetricsRow extends LoopMetrics {
  /** A unit or user id ('none' for cases without one), 'YYYY-MM' or 'YYYY-Www'. */
  key: string;
  /** The unit's or manager's name, the month or week; null when unknown or hidden (analysts see no names). */
  label: string | null;
}

export interface LoopMetricsReport {
  from: string;
  to: string;
  timeZone: string;
  /** The instant the figures were taken (overdue and the 48-hour window are judged at it). */
  asOf: string;
  groupBy: MetricsGroupBy | null;
  /** Every case opened in the period that the actor may see. */
  total: LoopMetrics;
  /** Open cases past due right now, whenever they were opened. */
  overdueNow: number;
  rows: MetricsRow[];
}

interface CaseRow {
  created_at: string | Date;
  score: number;
  status: CaseFacts['status'];
  due_at: string | Date;
  first_contact_at: string | Date | null;
  closed_at: string | Date | null;
  escalation_step: number;
  resurvey_score: number | null;
  unit_id: string | null;
  owner_user_id: string | null;
  owner_name_enc: string | null;
}

const ms = (t: string | Date) => new Date(t).getTime();
const msOrNull = (t: string | Date | null) => (t === null ? null : ms(t));

/**
 * The cases this actor may see, as on the case list: always one org; front-line staff the cases they own; managers
 * their units' subtrees and whatever they own; owners, admins and analysts everything.
 */
async function scopeOf(ctx: Ctx): Promise<SQL> {
  const org = sql`c.org_id = ${ctx.orgId}`;
  if (ctx.actor.kind === 'system') return org;
  const me = ctx.actor.userId;
  if (ctx.actor.role === 'frontline') return sql`${org} and c.owner_user_id = ${me}`;
  const visible = await visibleUnitIds(ctx);
  if (visible === null) return org;
  return sql`${org} and (c.owner_user_id = ${me} or c.unit_id = any(${`{${[...visible].join(',')}}`}::uuid[]))`;
}

export async function caseLoopMetrics(
  ctx: Ctx,
  query: z.input<typeof metricsQuery>,
): Promise<LoopMetricsReport> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'analyst', 'frontline');
  const q = metricsQuery.parse(query);
  const now = ctx.clock();
  const org = await getOrg(ctx);
  const tz = org.timeZone;
  const to = q.to ?? localDay(now, tz);
  const from = q.from ?? addDays(to, -((q.days ?? DEFAULT_DAYS) - 1));
  if (from > to) {
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'Must not be after to' }],
    });
  }
  if (daysBetween(from, to) + 1 > MAX_DAYS) {
    throw new AppError('invalid_input', `The period is longer than ${MAX_DAYS} days`, {
      errors: [{ path: 'from', message: `At most ${MAX_DAYS} days before to` }],
    });
  }
  const start = startOfLocalDay(from, tz);
  const end = startOfLocalDay(addDays(to, 1), tz);
  const scope = await scopeOf(ctx);

  const rows = rowsOf<CaseRow>(
    await ctx.db.execute(sql`
      select c.created_at, c.score, c.status, c.due_at, c.first_contact_at, c.closed_at, c.escalation_step,
             c.resurvey_score, c.unit_id, c.owner_user_id, u.name_enc as owner_name_enc
      from cases c
      left join users u on u.org_id = c.org_id and u.id = c.owner_user_id
      where ${scope}
        and c.created_at >= ${start.toISOString()}::timestamptz
        and c.created_at < ${end.toISOString()}::timestamptz`),
  );
  const [overdue] = rowsOf<{ n: number | string }>(
    await ctx.db.execute(sql`
      select count(*) as n from cases c
      where ${scope} and c.status in ('new', 'in_progress', 'contacted')
        and c.due_at < ${now.toISOString()}::timestamptz`),
  );

  const facts = rows.map((r) => ({
    openedAt: ms(r.created_at),
    score: Number(r.score),
    status: r.status,
    dueAt: ms(r.due_at),
    firstContactAt: msOrNull(r.first_contact_at),
    closedAt: msOrNull(r.closed_at),
    escalationStep: Number(r.escalation_step),
    resurveyScore: r.resurvey_score === null ? null : Number(r.resurvey_score),
    row: r,
  }));
  const at = now.getTime();

  let groups: MetricsRow[] = [];
  if (q.groupBy === 'month' || q.groupBy === 'week') {
    const grain: TrendGrain = q.groupBy;
    const metrics = groupedLoopMetrics(
      facts.map((f) => ({ ...f, key: trendKeyOf(localDay(new Date(f.openedAt), tz), grain) })),
      at,
    );
    // Every month or week of the period, empty ones too, so a trend chart has no false gaps.
    groups = trendKeys(from, to, grain).map((key) => ({
      key,
      label: key,
      ...(metrics.get(key) ?? loopMetrics([], at)),
    }));
  } else if (q.groupBy === 'unit') {
    const units = await unitsById(ctx);
    const metrics = groupedLoopMetrics(
      facts.map((f) => ({ ...f, key: f.row.unit_id ?? 'none' })),
      at,
    );
    // Departments of different branches share names ("Gym"): say whose, by the parent's name.
    const labelOf = (id: string): string | null => {
      const unit = units.get(id);
      if (!unit) return null;
      const parent = unit.parentId ? units.get(unit.parentId) : undefined;
      return parent?.parentId ? `${parent.name} › ${unit.name}` : unit.name;
    };
    groups = [...metrics].map(([key, m]) => ({ key, label: labelOf(key), ...m }));
  } else if (q.groupBy === 'manager') {
    // Analysts see how the work goes, not who did it (as in the call statistics).
    const names = seesPersonalData(ctx);
    const nameOf = new Map<string, string | null>();
    for (const f of facts) {
      const id = f.row.owner_user_id;
      if (id && !nameOf.has(id)) {
        nameOf.set(id, names && f.row.owner_name_enc ? ctx.vault.decrypt(f.row.owner_name_enc) : null);
      }
    }
    const metrics = groupedLoopMetrics(
      facts.map((f) => ({ ...f, key: f.row.owner_user_id ?? 'none' })),
      at,
    );
    groups = [...metrics].map(([key, m]) => ({ key, label: nameOf.get(key) ?? null, ...m }));
  }
  if (q.groupBy === 'unit' || q.groupBy === 'manager') {
    // The most cases first; ties by name, so the order is stable.
    groups.sort(
      (a, b) =>
        b.cases - a.cases || (a.label ?? '').localeCompare(b.label ?? '') || a.key.localeCompare(b.key),
    );
  }

  return {
    from,
    to,
    timeZone: tz,
    asOf: now.toISOString(),
    groupBy: q.groupBy ?? null,
    total: loopMetrics(facts, at),
    overdueNow: Number(overdue?.n ?? 0),
    rows: groups,
  };
}
