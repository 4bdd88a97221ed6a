// The filters every analysis shares (period, survey, unit subtree, employee, channel, service and bands), checked
// against what the organisation has and resolved into a scope the counting reads.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, tables } from '../../db/index.js';
import type { Facet } from '../../db/schema/analytics.js';
import { channels } from '../../db/schema/surveys.js';
import { addDays, daysBetween, localDay } from '../../domain/period.js';
import { employeeDirectory } from '../employees/index.js';
import { AppError, type Ctx, notFound } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { findSurvey, surveyIdsOf } from '../surveys/index.js';
import { type Unit, unitsById, visibleUnitIds } from '../units/index.js';
import { bandsOf } from './settings.js';

export type Audience = 'customer' | 'employee';

/** Longest period one analysis may span: 30 years of days ("all time" of any NPS programme, not a typo's 1026). */
export const MAX_PERIOD_DAYS = 30 * 366;
/** Default period: the 90 days up to today. */
const DEFAULT_DAYS = 90;

const day = z.iso.date().openapi({ description: 'A local day of the organisation’s time zone, YYYY-MM-DD' });
const band = z.coerce.number().int().min(0).max(20);

export const analysisFilters = z.object({
  from: day.optional(),
  to: day.optional(),
  surveyId: z.uuid().optional(),
  unitId: z.uuid().optional().openapi({ description: 'This unit and everything under it' }),
  employeeId: z.uuid().optional().openapi({ description: 'Customers only' }),
  channel: z.enum(channels).optional().openapi({ description: 'Customers only' }),
  service: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'Customers only; "" = visits with no service' }),
  revenue: band.optional().openapi({ description: 'Revenue band index (see /analytics/settings)' }),
  visits: band.optional().openapi({ description: 'Visit-frequency band index' }),
  tenure: band.optional().openapi({ description: 'Tenure band index' }),
});
export type AnalysisFilters = z.output<typeof analysisFilters>;

export interface Scope {
  audience: Audience;
  timeZone: string;
  from: string;
  to: string;
  surveyIds: string[];
  /** Units whose answers count (the chosen subtree within what the actor sees); null = all, with no-unit answers. */
  units: Set<string> | null;
  employeeId: string | null;
  channel: string | null;
  facets: Partial<Record<Facet, string>>;
  unitsById: Map<string, Unit>;
  filters: AnalysisFilters;
}

const customerOnly = ['employeeId', 'channel', 'service', 'revenue', 'visits', 'tenure'] as const;

const badRequest = (path: string, message: string) =>
  new AppError('bad_request', message, { errors: [{ path, message }] });

/** Checks the filters against the organisation and the actor, and resolves them. */
export async function resolveScope(ctx: Ctx, audience: Audience, filters: AnalysisFilters): Promise<Scope> {
  // The look-ups do not depend on each other: on PostgreSQL they go out together.
  const [org, all, visible, audienceSurveys] = await Promise.all([
    getOrg(ctx),
    unitsById(ctx),
    visibleUnitIds(ctx),
    filters.surveyId ? Promise.resolve(null) : surveyIdsOf(ctx, audience),
  ]);
  const today = localDay(ctx.clock(), org.timeZone);
  const to = filters.to ?? (filters.from ? addDays(filters.from, DEFAULT_DAYS - 1) : today);
  const from = filters.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) throw badRequest('from', `The period starts (${from}) after it ends (${to})`);
  if (daysBetween(from, to) + 1 > MAX_PERIOD_DAYS) {
    throw badRequest(
      'to',
      `The period is ${daysBetween(from, to) + 1} days long; at most ${MAX_PERIOD_DAYS} (30 years)`,
    );
  }
  if (audience === 'employee') {
    for (const field of customerOnly) {
      if (filters[field] !== undefined) {
        throw badRequest(
          field,
          `Employee (eNPS) answers are anonymous and carry no ${field}: this filter is for customers`,
        );
      }
    }
  }

  let surveyIds: string[];
  if (filters.surveyId) {
    const survey = await findSurvey(ctx, filters.surveyId);
    if (survey.audience !== audience) {
      throw badRequest('surveyId', `This is a ${survey.audience} survey, not a ${audience} one`);
    }
    surveyIds = [survey.id];
  } else {
    surveyIds = audienceSurveys ?? [];
  }
  let units: Set<string> | null = visible;
  if (filters.unitId) {
    const unit = all.get(filters.unitId);
    if (!unit || (visible && !visible.has(unit.id))) throw notFound('Unit');
    units = new Set(
      [...all.values()]
        .filter((u) => u.path.startsWith(unit.path) && (!visible || visible.has(u.id)))
        .map((u) => u.id),
    );
  }

  if (filters.employeeId) {
    const employee = (await employeeDirectory(ctx)).get(filters.employeeId);
    if (!employee || (visible && !visible.has(employee.unitId))) throw notFound('Employee');
  }

  const facets: Partial<Record<Facet, string>> = {};
  if (filters.service !== undefined) {
    if (filters.service !== '' && !(await hasService(ctx, filters.service))) {
      throw badRequest('service', `No visit of this organisation has the service “${filters.service}”`);
    }
    facets.service = filters.service;
  }
  if (filters.revenue !== undefined || filters.visits !== undefined || filters.tenure !== undefined) {
    const bands = await bandsOf(ctx);
    for (const facet of ['revenue', 'visits', 'tenure'] as const) {
      const index = filters[facet];
      if (index === undefined) continue;
      const count = bands[facet].bounds.length + 1;
      if (facet === 'revenue' && !bands.revenue.hasRevenue) {
        throw badRequest(
          'revenue',
          'This organisation has no revenue in its contacts: there are no revenue bands',
        );
      }
      if (index >= count) throw badRequest(facet, `There are ${count} ${facet} bands (0…${count - 1})`);
      facets[facet] = String(index);
    }
  }

  return {
    audience,
    timeZone: org.timeZone,
    from,
    to,
    surveyIds,
    units,
    employeeId: filters.employeeId ?? null,
    channel: filters.channel ?? null,
    facets,
    unitsById: all,
    filters,
  };
}

async function hasService(ctx: Ctx, service: string): Promise<boolean> {
  const rows = rowsOf(
    await ctx.db.execute(
      sql`select 1 from ${tables.contacts} where ${and(eq(tables.contacts.orgId, ctx.orgId), eq(tables.contacts.service, service))} limit 1`,
    ),
  );
  return rows.length > 0;
}
