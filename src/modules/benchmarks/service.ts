// Benchmarks: the org's industry, its own benchmark rows, and its NPS (with its interval) beside both.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import { localDay } from '../../domain/period.js';
import { type NpsRow, overview } from '../analytics/index.js';
import { AppError, type Ctx, canWrite, notFound, requireRole } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import {
  BENCHMARK_SETS,
  type BenchmarkSet,
  findIndustry,
  type IndustryBenchmark,
  type Texts,
} from './catalogue.js';

const { benchmarkSettings, benchmarkRows } = tables;

const day = z.iso.date();
export const benchmarksQuery = z.object({ from: day.optional(), to: day.optional() });

export const industryInput = z.object({
  industry: z
    .string()
    .max(200)
    .nullable()
    .refine(
      (key) => key === null || findIndustry(key) !== null,
      'Not a built-in industry (see /benchmarks/sets)',
    ),
});

const rowFields = {
  name: z.string().trim().min(1).max(200),
  kind: z.enum(tables.benchmarkRowKinds),
  value: z.number().int('Whole NPS points').min(-100).max(100),
  source: z.string().trim().min(1).max(500),
  year: z.number().int().min(1900).max(2200).nullable(),
};
export const benchmarkRowInput = z.object({
  ...rowFields,
  kind: rowFields.kind.default('other'),
  year: rowFields.year.default(null),
});
/** Only the fields given change (no defaults here: a patch of the value must not reset the kind). */
export const benchmarkRowPatch = z.object(rowFields).partial();

export interface BenchmarkRowView {
  id: string;
  name: string;
  kind: (typeof tables.benchmarkRowKinds)[number];
  value: number;
  source: string;
  year: number | null;
  updatedAt: string;
}

/** One reference line of a chart: a value, what it is, and where it comes from. */
export interface Reference {
  value: number;
  name: Texts;
  source: Texts;
  year: number | null;
  /** 'builtin' from the chosen industry, 'custom' from the org's own rows. */
  origin: 'builtin' | 'custom';
  /** The org's row it comes from (custom only). */
  id?: string;
}

export interface IndustryReference {
  industry: Texts | null;
  average: Reference | null;
  leader: Reference | null;
}

export interface BenchmarksView {
  /** The chosen industry's key, or null. */
  industry: string | null;
  selected: (IndustryBenchmark & { source: Texts; year: number | null }) | null;
  reference: IndustryReference;
  rows: BenchmarkRowView[];
  company: NpsRow;
  from: string;
  to: string;
  timeZone: string;
}

const same = (text: string): Texts => ({ en: text, ru: text });

const viewOf = (r: typeof benchmarkRows.$inferSelect): BenchmarkRowView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  value: r.value,
  source: r.source,
  year: r.year,
  updatedAt: r.updatedAt.toISOString(),
});

export function benchmarkSets(): readonly BenchmarkSet[] {
  return BENCHMARK_SETS;
}

async function chosenIndustry(ctx: Ctx): Promise<string | null> {
  const [row] = await ctx.db
    .select({ industry: benchmarkSettings.industry })
    .from(benchmarkSettings)
    .where(eq(benchmarkSettings.orgId, ctx.orgId));
  return row?.industry ?? null;
}

export async function listBenchmarkRows(ctx: Ctx): Promise<BenchmarkRowView[]> {
  const rows = await ctx.db
    .select()
    .from(benchmarkRows)
    .where(eq(benchmarkRows.orgId, ctx.orgId))
    .orderBy(asc(benchmarkRows.createdAt), asc(benchmarkRows.id));
  return rows.map(viewOf);
}

/**
 * The industry average and leader a chart is drawn against: the chosen built-in industry's, else the org's own
 * rows marked 'average' / 'leader' (the latest of each), so an industry the file lacks (fitness clubs) works too.
 */
export function referenceOf(industry: string | null, rows: BenchmarkRowView[]): IndustryReference {
  const found = industry ? findIndustry(industry) : null;
  const latest = (kind: 'average' | 'leader') =>
    rows.filter((r) => r.kind === kind).sort((a, b) => (b.year ?? 0) - (a.year ?? 0))[0];
  const custom = (row: BenchmarkRowView | undefined): Reference | null =>
    row
      ? {
          value: row.value,
          name: same(row.name),
          source: same(row.source),
          year: row.year,
          origin: 'custom',
          id: row.id,
        }
      : null;
  if (!found) return { industry: null, average: custom(latest('average')), leader: custom(latest('leader')) };
  const { set, row } = found;
  return {
    industry: row.industry,
    average: {
      value: row.average,
      name: row.industry,
      source: set.source,
      year: set.year,
      origin: 'builtin',
    },
    leader: row.leader
      ? {
          value: row.leader.nps,
          name: same(row.leader.name),
          source: set.source,
          year: set.year,
          origin: 'builtin',
        }
      : custom(latest('leader')),
  };
}

/** Just the reference lines (the note under other charts): no NPS is computed. */
export async function industryReference(ctx: Ctx): Promise<IndustryReference> {
  return referenceOf(await chosenIndustry(ctx), await listBenchmarkRows(ctx));
}

/** The first day of the 12 calendar months that end with `to`'s month (as the dashboard's period selector). */
function twelveMonthsTo(to: string): string {
  const [year, month] = to.split('-').map(Number) as [number, number];
  const start = new Date(Date.UTC(year, month - 12, 1));
  return start.toISOString().slice(0, 10);
}

/** The benchmarks page: the org's customer NPS for the period (last 12 months by default) beside its industry. */
export async function getBenchmarks(
  ctx: Ctx,
  query: z.input<typeof benchmarksQuery> = {},
): Promise<BenchmarksView> {
  const q = benchmarksQuery.parse(query);
  const org = await getOrg(ctx);
  const to = q.to ?? localDay(ctx.clock(), org.timeZone);
  const from = q.from ?? twelveMonthsTo(to);
  if (from > to) {
    throw new AppError('invalid_input', '`from` is after `to`', {
      errors: [{ path: 'from', message: 'After `to`' }],
    });
  }
  const industry = await chosenIndustry(ctx);
  const rows = await listBenchmarkRows(ctx);
  const found = industry ? findIndustry(industry) : null;
  const company = (await overview(ctx, { audience: 'customer', from, to })).total;
  return {
    industry: found ? industry : null,
    selected: found ? { ...found.row, source: found.set.source, year: found.set.year } : null,
    reference: referenceOf(industry, rows),
    rows,
    company,
    from,
    to,
    timeZone: org.timeZone,
  };
}

export async function chooseIndustry(
  ctx: Ctx,
  input: z.input<typeof industryInput>,
): Promise<IndustryReference> {
  requireRole(ctx, ...canWrite);
  const { industry } = industryInput.parse(input);
  const now = ctx.clock();
  await ctx.db
    .insert(benchmarkSettings)
    .values({ orgId: ctx.orgId, industry, updatedAt: now })
    .onConflictDoUpdate({ target: benchmarkSettings.orgId, set: { industry, updatedAt: now } });
  return industryReference(ctx);
}

export async function addBenchmarkRow(
  ctx: Ctx,
  input: z.input<typeof benchmarkRowInput>,
): Promise<BenchmarkRowView> {
  requireRole(ctx, ...canWrite);
  const row = benchmarkRowInput.parse(input);
  const now = ctx.clock();
  const [created] = await ctx.db
    .insert(benchmarkRows)
    .values({ orgId: ctx.orgId, ...row, createdAt: now, updatedAt: now })
    .returning();
  return viewOf(created!);
}

export async function updateBenchmarkRow(
  ctx: Ctx,
  id: string,
  input: z.input<typeof benchmarkRowPatch>,
): Promise<BenchmarkRowView> {
  requireRole(ctx, ...canWrite);
  const patch = benchmarkRowPatch.parse(input);
  const [updated] = await ctx.db
    .update(benchmarkRows)
    .set({ ...patch, updatedAt: ctx.clock() })
    .where(and(eq(benchmarkRows.orgId, ctx.orgId), eq(benchmarkRows.id, id)))
    .returning();
  if (!updated) throw notFound('Benchmark row');
  return viewOf(updated);
}

export async function deleteBenchmarkRow(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  const gone = await ctx.db
    .delete(benchmarkRows)
    .where(and(eq(benchmarkRows.orgId, ctx.orgId), eq(benchmarkRows.id, id)))
    .returning({ id: benchmarkRows.id });
  if (gone.length === 0) throw notFound('Benchmark row');
}
