// What-if scenarios on the customer base: moves between segments and retention changes with a budget, evaluated
// side by side (shares, NPS, revenue, LTV, cost, ROI), and the scenarios an org saved.
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { finiteOrNull, SEGMENTS } from '../../domain/economics.js';
import {
  checkScenario,
  evaluateScenario,
  type ScenarioBase,
  type ScenarioInput,
  type ScenarioResult,
} from '../../domain/economics-scenarios.js';
import type { Segment } from '../../domain/nps.js';
import { AppError, type Ctx, notFound, requireRole } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { unitsById } from '../units/index.js';
import { baseByUnit, baseOf } from './forecast.js';
import { ensureFresh } from './refresh.js';
import { readers, type Scope, scopeOf } from './scope.js';
import { getEconomicsSettings, segmentEnum } from './settings.js';
import { moveCosts } from './transitions.js';
import { assumptionsOf, computeSegmentValues } from './values.js';

const { economicsScenarios } = tables;

export const scenarioInput = z.object({
  name: z.string().trim().min(1, 'Name the scenario').max(120),
  budgetMinor: z
    .number()
    .int('Whole kopecks')
    .min(0, 'A budget is not negative')
    .max(1e14)
    .nullable()
    .optional()
    .openapi({ description: 'The money available, minor units' }),
  moves: z
    .array(
      z.object({
        from: segmentEnum,
        to: segmentEnum,
        share: z
          .number()
          .min(0, 'At least 0%')
          .max(1, 'At most 100% of the segment')
          .openapi({ description: 'Share of the segment moved, 0–1 (0.2 = 20%)' }),
        unitId: z
          .uuid()
          .nullable()
          .optional()
          .openapi({ description: 'Only customers of this unit’s subtree' }),
        costPerCustomerMinor: z
          .number()
          .int('Whole kopecks')
          .min(0, 'A cost is not negative')
          .max(1e12)
          .nullable()
          .optional(),
      }),
    )
    .max(20, 'At most 20 moves'),
  retention: z
    .array(
      z.object({
        segment: segmentEnum,
        points: z
          .number()
          .min(-100, 'At least −100 points')
          .max(100, 'At most +100 points')
          .openapi({ description: 'Percentage points added to the annual retention' }),
        costMinor: z
          .number()
          .int('Whole kopecks')
          .min(0, 'A cost is not negative')
          .max(1e14)
          .nullable()
          .optional(),
      }),
    )
    .max(3, 'One change per segment'),
});
export type ScenarioBody = z.output<typeof scenarioInput>;

export const evaluateBody = z.object({
  unitId: z.uuid().nullable().optional(),
  scenarios: z.array(scenarioInput).min(1, 'At least one scenario').max(6, 'At most 6 side by side'),
});

export interface ScenarioComparison {
  unitId: string | null;
  currency: string | null;
  base: {
    customers: Record<Segment, number>;
    revenuePerYear: Record<Segment, number | null>;
    retention: Record<Segment, number | null>;
    moveCost: ScenarioBase['moveCost'];
  };
  results: ScenarioResult[];
}

/** The starting point of every scenario in a scope: today's active base, each segment's economics, known move costs. */
export async function scenarioBase(ctx: Ctx, scope: Scope): Promise<ScenarioBase> {
  await ensureFresh(ctx);
  const settings = await getEconomicsSettings(ctx);
  const { values } = await computeSegmentValues(ctx, scope, settings);
  const byUnit = await baseByUnit(ctx, scope);
  const units = await unitsById(ctx);
  const visible = scope.unitIds ?? [...units.keys()];
  const unitCounts: ScenarioBase['units'] = {};
  for (const id of visible) {
    const path = units.get(id)?.path;
    if (!path) continue;
    const subtree = [...units.values()].filter((u) => u.path.startsWith(path)).map((u) => u.id);
    unitCounts[id] = baseOf(byUnit, subtree);
  }
  const costs = await moveCosts(ctx, scope);
  const moveCost: ScenarioBase['moveCost'] = {};
  for (const c of costs.cheapest) moveCost[`${c.from}>${c.to}`] = c.costPerMoved;
  return {
    customers: baseOf(byUnit, null),
    units: unitCounts,
    revenuePerYear: Object.fromEntries(
      SEGMENTS.map((s) => [s, values[s].revenuePerYear?.value ?? null]),
    ) as Record<Segment, number | null>,
    retention: Object.fromEntries(SEGMENTS.map((s) => [s, values[s].retention?.value ?? null])) as Record<
      Segment,
      number | null
    >,
    assumptions: assumptionsOf(settings),
    moveCost,
  };
}

/** Evaluates several scenarios on the same base; any impossible input is refused naming its field. */
export async function compareScenarios(
  ctx: Ctx,
  body: z.input<typeof evaluateBody>,
): Promise<ScenarioComparison> {
  const input = evaluateBody.parse(body);
  const scope = await scopeOf(ctx, input.unitId);
  const base = await scenarioBase(ctx, scope);
  const problems = input.scenarios.flatMap((s, i) =>
    checkScenario(s as ScenarioInput, base, `scenarios.${i}.`),
  );
  if (problems.length > 0) {
    throw new AppError('invalid_input', `Invalid scenario: ${problems[0]?.path}`, { errors: problems });
  }
  const org = await getOrg(ctx);
  return {
    unitId: scope.unitId,
    currency: org.currency,
    base: {
      customers: base.customers,
      revenuePerYear: base.revenuePerYear,
      retention: base.retention,
      moveCost: base.moveCost,
    },
    results: input.scenarios.map((s) => sanitize(evaluateScenario(s as ScenarioInput, base))),
  };
}

/** No NaN or Infinity leaves the API (a degenerate base could make a ratio so). */
function sanitize(r: ScenarioResult): ScenarioResult {
  return {
    ...r,
    revenueChange: finiteOrNull(r.revenueChange),
    ltvChange: finiteOrNull(r.ltvChange),
    cost: finiteOrNull(r.cost),
    roi: finiteOrNull(r.roi),
  };
}

export interface SavedScenario {
  id: string;
  name: string;
  input: ScenarioBody;
  updatedAt: string;
}

const savedOf = (r: typeof economicsScenarios.$inferSelect): SavedScenario => ({
  id: r.id,
  name: r.name,
  input: r.input as unknown as ScenarioBody,
  updatedAt: r.updatedAt.toISOString(),
});

export async function listScenarios(ctx: Ctx): Promise<SavedScenario[]> {
  requireRole(ctx, ...readers);
  const rows = await ctx.db
    .select()
    .from(economicsScenarios)
    .where(eq(economicsScenarios.orgId, ctx.orgId))
    .orderBy(desc(economicsScenarios.updatedAt))
    .limit(100);
  return rows.map(savedOf);
}

export async function saveScenario(
  ctx: Ctx,
  body: z.input<typeof scenarioInput>,
  id?: string,
): Promise<SavedScenario> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'analyst');
  const input = scenarioInput.parse(body);
  const now = ctx.clock();
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const json = input as unknown as Record<string, unknown>;
  if (id) {
    const [row] = await ctx.db
      .update(economicsScenarios)
      .set({ name: input.name, input: json, updatedAt: now })
      .where(and(eq(economicsScenarios.orgId, ctx.orgId), eq(economicsScenarios.id, id)))
      .returning();
    if (!row) throw notFound('Scenario');
    return savedOf(row);
  }
  const [row] = await ctx.db
    .insert(economicsScenarios)
    .values({
      orgId: ctx.orgId,
      name: input.name,
      input: json,
      createdBy: by,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return savedOf(row!);
}

export async function deleteScenario(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'owner', 'admin', 'manager', 'analyst');
  const rows = await ctx.db
    .delete(economicsScenarios)
    .where(and(eq(economicsScenarios.orgId, ctx.orgId), eq(economicsScenarios.id, id)))
    .returning({ id: economicsScenarios.id });
  if (rows.length === 0) throw notFound('Scenario');
}

export async function getScenario(ctx: Ctx, id: string): Promise<SavedScenario> {
  requireRole(ctx, ...readers);
  const [row] = await ctx.db
    .select()
    .from(economicsScenarios)
    .where(and(eq(economicsScenarios.orgId, ctx.orgId), eq(economicsScenarios.id, id)));
  if (!row) throw notFound('Scenario');
  return savedOf(row);
}
