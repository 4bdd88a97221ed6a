// The drop check: once a period, the customer NPS of the company and of every unit (its whole subtree) in the
// latest complete period against the one before; a significant fall (or a crossing of the org's line) alerts the
// responsible managers. Every judged scope is written to `drop_checks` in the transaction that raises its alert,
// under a key of (period, scope), so neither a restart nor a second server ever alerts twice for the same drop.
import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { type Db, tables } from '../../db/index.js';
import { addTallies, type Tally } from '../../domain/nps.js';
import { completePeriods, type DropPeriod, judgeDrop, type PeriodSpan } from '../../domain/nps-change.js';
import { localDay } from '../../domain/period.js';
import { raiseAlert } from '../alerts/index.js';
import { surveyNps } from '../analytics/index.js';
import type { Ctx, Deps } from '../kernel/index.js';
import { nearest, peopleAt, resolveLevel } from '../loop/index.js';
import { getOrg } from '../orgs/index.js';
import { surveyIdsOf } from '../surveys/index.js';
import { unitsById, visibleUnitIds } from '../units/index.js';
import { type DropSettings, getDropSettings } from './settings.js';

const { dropChecks, orgs } = tables;

export const DROPS_TASK = 'drops.check';
/** Often enough that a month's drop is known within minutes of its end; a run that finds its period done is two reads. */
export const DROPS_INTERVAL_MS = 10 * 60_000;

/** The scope of the whole organisation (every unit, and answers with no unit). */
export const COMPANY = 'company';

export interface DropView {
  period: DropPeriod;
  periodKey: string;
  from: string;
  to: string;
  /** 'company' or the unit's id. */
  scope: string;
  unitId: string | null;
  /** null for the company. */
  unitName: string | null;
  n: number;
  nps: number | null;
  previousN: number;
  previousNps: number | null;
  diff: number | null;
  pValue: number | null;
  significantDrop: boolean;
  crossedFloor: boolean;
  alerted: boolean;
  checkedAt: string;
}

export interface DropCheckReport {
  status: 'disabled' | 'done_before' | 'checked';
  period: DropPeriod;
  current: PeriodSpan;
  previous: PeriodSpan;
  /** Every scope judged for the period (what this run wrote, or what an earlier run did). */
  checks: DropView[];
  /** The alerts this run raised. */
  alerts: number;
}

const EMPTY: Tally = { promoters: 0, passives: 0, detractors: 0 };
const size = (t: Tally) => t.promoters + t.passives + t.detractors;
const round1 = (x: number) => Math.round(x * 10) / 10;

/** Customer tallies of one period: the company's, and each unit's whole subtree (a region counts its branches). */
async function talliesOf(ctx: Ctx, span: PeriodSpan, units: Map<string, { path: string; kind: string }>) {
  const byUnit = new Map<string, Tally>();
  for (const surveyId of await surveyIdsOf(ctx, 'customer')) {
    for (const row of await surveyNps(ctx, surveyId, { from: span.from, to: span.to, groupBy: 'unit' })) {
      byUnit.set(row.key, addTallies(byUnit.get(row.key) ?? EMPTY, row));
    }
  }
  const scopes = new Map<string, Tally>([[COMPANY, addTallies(...byUnit.values())]]);
  for (const [id, unit] of units) {
    // The company unit's subtree is the company: judged once, as the company.
    if (unit.kind === 'company') continue;
    const inside = [...byUnit].filter(([key]) => units.get(key)?.path.startsWith(unit.path));
    scopes.set(id, addTallies(...inside.map(([, t]) => t)));
  }
  return scopes;
}

type CheckRow = typeof dropChecks.$inferSelect;

function viewOf(r: CheckRow, names: Map<string, { name: string }>): DropView {
  return {
    period: r.period,
    periodKey: r.periodKey,
    from: r.periodFrom,
    to: r.periodTo,
    scope: r.scope,
    unitId: r.unitId,
    unitName: r.unitId ? (names.get(r.unitId)?.name ?? null) : null,
    n: r.n,
    nps: r.nps,
    previousN: r.previousN,
    previousNps: r.previousNps,
    diff: r.diff,
    pValue: r.pValue,
    significantDrop: r.significantDrop,
    crossedFloor: r.crossedFloor,
    alerted: r.alerted,
    checkedAt: r.checkedAt.toISOString(),
  };
}

async function checksOf(ctx: Ctx, period: DropPeriod, periodKey: string): Promise<CheckRow[]> {
  return ctx.db
    .select()
    .from(dropChecks)
    .where(
      and(
        eq(dropChecks.orgId, ctx.orgId),
        eq(dropChecks.period, period),
        eq(dropChecks.periodKey, periodKey),
      ),
    )
    .orderBy(sql`${dropChecks.scope} <> ${COMPANY}`, dropChecks.diff);
}

/** The managers nearest a unit (falling through to top management), or top management for the company. */
async function recipientsOf(ctx: Ctx, unitId: string | null): Promise<string[]> {
  if (!unitId) return (await peopleAt(ctx, null, 'top')).map((p) => p.userId);
  const { people } = await resolveLevel(ctx, unitId, 'middle');
  return nearest(people).map((p) => p.userId);
}

/**
 * Judges the org's latest complete period (in its time zone, by its rule) unless it was judged before. Runs as
 * the system: the whole organisation is checked whatever the caller may see (`listDrops` filters what is shown).
 */
export async function checkDrops(ctx: Ctx, settings?: DropSettings): Promise<DropCheckReport> {
  const system: Ctx = { ...ctx, actor: { kind: 'system' } };
  const rule = settings ?? (await getDropSettings(system));
  const org = await getOrg(system);
  const { current, previous } = completePeriods(localDay(system.clock(), org.timeZone), rule.period);
  const base = { period: rule.period, current, previous, alerts: 0 };
  const units = await unitsById(system);
  const report = async (status: DropCheckReport['status'], alerts: number): Promise<DropCheckReport> => ({
    ...base,
    status,
    alerts,
    checks: (await checksOf(system, rule.period, current.key)).map((r) => viewOf(r, units)),
  });
  if (!rule.enabled) return { ...base, status: 'disabled', checks: [] };
  // The company row marks the period as judged (it is written whatever the answers).
  const judged = await checksOf(system, rule.period, current.key);
  if (judged.some((r) => r.scope === COMPANY)) return report('done_before', 0);

  const now = system.clock();
  const latest = await talliesOf(system, current, units);
  const before = await talliesOf(system, previous, units);
  const rows: (typeof dropChecks.$inferInsert)[] = [];
  for (const [scope, tally] of latest) {
    const prior = before.get(scope) ?? EMPTY;
    // A unit with no answers in either period has nothing to say; the company row is always written (it marks
    // the period as checked).
    if (scope !== COMPANY && size(tally) === 0 && size(prior) === 0) continue;
    const verdict = judgeDrop(tally, prior, rule);
    const c = verdict.change;
    rows.push({
      orgId: system.orgId,
      period: rule.period,
      periodKey: current.key,
      scope,
      unitId: scope === COMPANY ? null : scope,
      periodFrom: current.from,
      periodTo: current.to,
      n: size(tally),
      nps: size(tally) ? round1((100 * (tally.promoters - tally.detractors)) / size(tally)) : null,
      previousN: size(prior),
      previousNps: size(prior) ? round1((100 * (prior.promoters - prior.detractors)) / size(prior)) : null,
      diff: c ? round1(c.diff) : null,
      pValue: c ? Math.round(c.pValue * 10_000) / 10_000 : null,
      significantDrop: verdict.significantDrop,
      crossedFloor: verdict.crossedFloor,
      alerted: verdict.alert,
      checkedAt: now,
    });
  }
  const recipients = new Map<string, string[]>();
  for (const row of rows.filter((r) => r.alerted))
    recipients.set(row.scope, await recipientsOf(system, row.unitId ?? null));

  const alerts = await system.db.transaction(async (tx) => {
    const txCtx: Ctx = { ...system, db: tx as unknown as Db };
    const written = await tx
      .insert(dropChecks)
      .values(rows)
      .onConflictDoNothing()
      .returning({ scope: dropChecks.scope });
    const mine = new Set(written.map((w) => w.scope));
    let raised = 0;
    for (const row of rows) {
      if (!row.alerted || !mine.has(row.scope)) continue;
      const unit = row.unitId ? units.get(row.unitId) : undefined;
      await raiseAlert(txCtx, {
        kind: 'nps_drop',
        unitId: row.unitId ?? null,
        recipients: recipients.get(row.scope) ?? [],
        payload: {
          unitName: unit?.name ?? null,
          periodKey: row.periodKey,
          nps: row.nps ?? undefined,
          n: row.n,
          previousNps: row.previousNps ?? undefined,
          previousN: row.previousN,
          diff: row.diff ?? undefined,
          pValue: row.pValue ?? undefined,
          floor: rule.floor,
          url: `${system.publicUrl ?? ''}/customers?period=custom&from=${row.periodFrom}&to=${row.periodTo}`,
        },
      });
      raised++;
    }
    return raised;
  });
  return report('checked', alerts);
}

/** The scheduled task: every organisation whose drop alerts are on, at most once per period. */
export async function checkAllDrops(deps: Deps, now: Date): Promise<number> {
  let alerts = 0;
  for (const org of await deps.db.select({ id: orgs.id }).from(orgs)) {
    const ctx: Ctx = { ...deps, clock: () => now, orgId: org.id, actor: { kind: 'system' } };
    try {
      const settings = await getDropSettings(ctx);
      if (settings.enabled) alerts += (await checkDrops(ctx, settings)).alerts;
    } catch (error) {
      deps.log.error({ err: error, orgId: org.id }, 'could not check NPS drops');
    }
  }
  return alerts;
}

/** Scopes the actor may see: units in their subtree; the company only for organisation-wide roles. */
async function visibleFilter(ctx: Ctx) {
  const visible = await visibleUnitIds(ctx);
  return (r: CheckRow) => (visible === null ? true : r.unitId !== null && visible.has(r.unitId));
}

/** Drops that alerted between two instants (a digest's period), newest first, as the actor may see them. */
export async function dropsAlertedBetween(ctx: Ctx, from: Date, to: Date): Promise<DropView[]> {
  const rows = await ctx.db
    .select()
    .from(dropChecks)
    .where(
      and(
        eq(dropChecks.orgId, ctx.orgId),
        eq(dropChecks.alerted, true),
        gte(dropChecks.checkedAt, from),
        lt(dropChecks.checkedAt, to),
      ),
    )
    .orderBy(desc(dropChecks.checkedAt), dropChecks.diff);
  const shown = await visibleFilter(ctx);
  const names = await unitsById(ctx);
  return rows.filter(shown).map((r) => viewOf(r, names));
}

/** The page's lists: the latest alerts, and every scope of the latest period checked. */
export async function listDrops(ctx: Ctx, limit = 100): Promise<{ alerts: DropView[]; latest: DropView[] }> {
  const shown = await visibleFilter(ctx);
  const names = await unitsById(ctx);
  const alerted = await ctx.db
    .select()
    .from(dropChecks)
    .where(and(eq(dropChecks.orgId, ctx.orgId), eq(dropChecks.alerted, true)))
    .orderBy(desc(dropChecks.checkedAt), dropChecks.diff)
    .limit(limit * 4);
  const [last] = await ctx.db
    .select({ period: dropChecks.period, periodKey: dropChecks.periodKey })
    .from(dropChecks)
    .where(and(eq(dropChecks.orgId, ctx.orgId), eq(dropChecks.scope, COMPANY)))
    .orderBy(desc(dropChecks.checkedAt))
    .limit(1);
  const latest = last ? await checksOf(ctx, last.period, last.periodKey) : [];
  return {
    alerts: alerted
      .filter(shown)
      .slice(0, limit)
      .map((r) => viewOf(r, names)),
    latest: latest.filter(shown).map((r) => viewOf(r, names)),
  };
}
