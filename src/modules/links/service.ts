// Anonymous survey links (a campaign link, a reception-desk QR code, the web widget): managing them, and
// resolving a public slug to what its page needs.
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import {
  AppError,
  type Ctx,
  canWrite,
  type Deps,
  decodeCursor,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';
import { getOrg, type Org } from '../orgs/index.js';
import { findSurvey, type Survey } from '../surveys/index.js';
import { visibleUnitIds } from '../units/index.js';

const { surveyLinks, responses, units, employees } = tables;

export type SurveyLink = typeof surveyLinks.$inferSelect;
export const linkKinds = ['link', 'qr', 'widget'] as const;

/**
 * 9 random bytes = 72 bits as 12 URL-safe characters: short enough to type from a printed card, far beyond
 * guessing (a slug names a survey and a unit, not a person, so it needs no more).
 */
export function newSlug(): string {
  return randomBytes(9).toString('base64url');
}
export const slugPattern = /^[A-Za-z0-9_-]{8,64}$/;

/** A web origin as the browser sends it in `Origin`: scheme, host and port, nothing else. */
const origin = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/$/, '')
      );
    } catch {
      return false;
    }
  }, 'An origin such as https://example.com (no path)')
  .transform((value) => new URL(value).origin);

export const newLinkInput = z.object({
  surveyId: z.uuid(),
  unitId: z.uuid().nullish(),
  employeeId: z.uuid().nullish(),
  kind: z.enum(linkKinds).default('link'),
  name: z.string().trim().min(1).max(200),
  origins: z.array(origin).max(20).default([]),
});
export const linkPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  active: z.boolean().optional(),
  origins: z.array(origin).max(20).optional(),
});
export const linkListQuery = pageQuery.extend({
  surveyId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  kind: z.enum(linkKinds).optional(),
});

export interface LinkView {
  id: string;
  surveyId: string;
  unitId: string | null;
  employeeId: string | null;
  kind: SurveyLink['kind'];
  name: string;
  slug: string;
  active: boolean;
  origins: string[];
  /** The public survey page. */
  url: string;
  /** The widget script, and the tag that embeds it. */
  scriptUrl: string;
  snippet: string;
  answers: number;
  createdAt: string;
}

export function linkUrls(publicUrl: string, slug: string) {
  const scriptUrl = `${publicUrl}/w/${slug}.js`;
  return {
    url: `${publicUrl}/l/${slug}`,
    scriptUrl,
    snippet: `<script src="${scriptUrl}" async></script>`,
  };
}

function viewOf(publicUrl: string, row: SurveyLink, answers: number): LinkView {
  return {
    id: row.id,
    surveyId: row.surveyId,
    unitId: row.unitId,
    employeeId: row.employeeId,
    kind: row.kind,
    name: row.name,
    slug: row.slug,
    active: row.active,
    origins: row.origins,
    ...linkUrls(publicUrl, row.slug),
    answers,
    createdAt: row.createdAt.toISOString(),
  };
}

async function answerCounts(ctx: Ctx, linkIds: string[]): Promise<Map<string, number>> {
  if (linkIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ linkId: responses.linkId, n: count() })
    .from(responses)
    .where(and(eq(responses.orgId, ctx.orgId), inArray(responses.linkId, linkIds)))
    .groupBy(responses.linkId);
  return new Map(rows.map((r) => [r.linkId!, r.n]));
}

/** Managers see the links of their unit subtree; a link with no unit belongs to the whole organisation. */
async function assertLinkVisible(ctx: Ctx, row: SurveyLink): Promise<void> {
  const visible = await visibleUnitIds(ctx);
  if (visible && !(row.unitId && visible.has(row.unitId))) throw notFound('Link');
}

async function findLink(ctx: Ctx, id: string): Promise<SurveyLink> {
  const [row] = await ctx.db
    .select()
    .from(surveyLinks)
    .where(and(eq(surveyLinks.orgId, ctx.orgId), eq(surveyLinks.id, id)));
  if (!row) throw notFound('Link');
  await assertLinkVisible(ctx, row);
  return row;
}

const fieldError = (path: string, message: string) =>
  new AppError('invalid_input', message, { errors: [{ path, message }] });

export async function createLink(
  ctx: Ctx,
  publicUrl: string,
  input: z.input<typeof newLinkInput>,
): Promise<LinkView> {
  requireRole(ctx, ...canWrite);
  const l = newLinkInput.parse(input);
  const survey = await findSurvey(ctx, l.surveyId).catch(() => {
    throw fieldError('surveyId', 'No such survey in this organisation');
  });
  if (survey.audience !== 'customer') {
    throw fieldError(
      'surveyId',
      'Anonymous links are for customer surveys; employee surveys go by invitation',
    );
  }
  let unitId = l.unitId ?? null;
  if (l.employeeId) {
    const [employee] = await ctx.db
      .select({ unitId: employees.unitId })
      .from(employees)
      .where(and(eq(employees.orgId, ctx.orgId), eq(employees.id, l.employeeId)));
    if (!employee) throw fieldError('employeeId', 'No such employee in this organisation');
    unitId ??= employee.unitId;
  }
  if (unitId) {
    const [unit] = await ctx.db
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.orgId, ctx.orgId), eq(units.id, unitId)));
    if (!unit) throw fieldError('unitId', 'No such unit in this organisation');
  }
  const [row] = await ctx.db
    .insert(surveyLinks)
    .values({
      orgId: ctx.orgId,
      surveyId: survey.id,
      unitId,
      employeeId: l.employeeId ?? null,
      kind: l.kind,
      name: l.name,
      slug: newSlug(),
      origins: l.origins,
      createdAt: ctx.clock(),
    })
    .returning();
  return viewOf(publicUrl, row!, 0);
}

export async function getLink(ctx: Ctx, publicUrl: string, id: string): Promise<LinkView> {
  const row = await findLink(ctx, id);
  return viewOf(publicUrl, row, (await answerCounts(ctx, [id])).get(id) ?? 0);
}

/** Newest first. */
export async function listLinks(ctx: Ctx, publicUrl: string, query: z.input<typeof linkListQuery>) {
  const q = linkListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const visible = await visibleUnitIds(ctx);
  if (visible && visible.size === 0) return { items: [], nextCursor: null };
  const rows = await ctx.db
    .select()
    .from(surveyLinks)
    .where(
      and(
        eq(surveyLinks.orgId, ctx.orgId),
        q.surveyId ? eq(surveyLinks.surveyId, q.surveyId) : undefined,
        q.unitId ? eq(surveyLinks.unitId, q.unitId) : undefined,
        q.kind ? eq(surveyLinks.kind, q.kind) : undefined,
        visible ? inArray(surveyLinks.unitId, [...visible]) : undefined,
        cursor
          ? or(
              lt(surveyLinks.createdAt, new Date(cursor.at)),
              and(eq(surveyLinks.createdAt, new Date(cursor.at)), lt(surveyLinks.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(surveyLinks.createdAt), desc(surveyLinks.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  const counts = await answerCounts(
    ctx,
    page.items.map((r) => r.id),
  );
  return {
    items: page.items.map((r) => viewOf(publicUrl, r, counts.get(r.id) ?? 0)),
    nextCursor: page.nextCursor,
  };
}

export async function updateLink(
  ctx: Ctx,
  publicUrl: string,
  id: string,
  input: z.input<typeof linkPatch>,
): Promise<LinkView> {
  requireRole(ctx, ...canWrite);
  const p = linkPatch.parse(input);
  await findLink(ctx, id);
  const [row] = await ctx.db
    .update(surveyLinks)
    .set({
      ...(p.name !== undefined && { name: p.name }),
      ...(p.active !== undefined && { active: p.active }),
      ...(p.origins !== undefined && { origins: p.origins }),
    })
    .where(and(eq(surveyLinks.orgId, ctx.orgId), eq(surveyLinks.id, id)))
    .returning();
  return viewOf(publicUrl, row!, (await answerCounts(ctx, [id])).get(id) ?? 0);
}

/**
 * Deletes the link; its answers stay (they keep `link_id` for history and stay in the NPS), and the printed QR
 * code then shows "link not found". To stop answers but keep the link, deactivate it instead.
 */
export async function deleteLink(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  await findLink(ctx, id);
  await ctx.db.delete(surveyLinks).where(and(eq(surveyLinks.orgId, ctx.orgId), eq(surveyLinks.id, id)));
}

/** The link row for the API's QR code and card (visibility checked). */
export async function linkForPrint(ctx: Ctx, id: string) {
  const link = await findLink(ctx, id);
  const org = await getOrg(ctx);
  const survey = await findSurvey(ctx, link.surveyId).catch(() => null);
  const unitName = await unitNameOf(ctx.db, link.orgId, link.unitId);
  return { link, org, survey, unitName };
}

/** A department is named with its branch ("Арбат · Рецепция"): many branches have a reception. */
async function unitNameOf(db: Db, orgId: string, unitId: string | null): Promise<string | null> {
  if (!unitId) return null;
  const [unit] = await db
    .select({ name: units.name, kind: units.kind, parentId: units.parentId })
    .from(units)
    .where(and(eq(units.orgId, orgId), eq(units.id, unitId)));
  if (!unit) return null;
  if (unit.kind !== 'department' || !unit.parentId) return unit.name;
  const parent = await unitNameOf(db, orgId, unit.parentId);
  return parent ? `${parent} · ${unit.name}` : unit.name;
}

/** What a public slug opens: the link, its survey and organisation, or why it takes no answers. */
export type PublicLink =
  | { kind: 'unknown' }
  | { kind: 'closed'; link: SurveyLink; survey: Survey | null; org: Org }
  | { kind: 'open'; link: SurveyLink; survey: Survey; org: Org; unitName: string | null };

/** A system context for the organisation that owns a public link (the visitor has no account). */
export function systemCtx(deps: Deps, orgId: string): Ctx {
  return {
    db: deps.db,
    orgId,
    actor: { kind: 'system' },
    clock: deps.clock,
    log: deps.log,
    vault: deps.vault,
  };
}

export async function openPublicLink(deps: Deps, slug: string): Promise<PublicLink> {
  if (!slugPattern.test(slug)) return { kind: 'unknown' };
  // The slug is unique across organisations: it is the one public key that finds a link without an org.
  const [link] = await deps.db.select().from(surveyLinks).where(eq(surveyLinks.slug, slug));
  if (!link) return { kind: 'unknown' };
  const ctx = systemCtx(deps, link.orgId);
  const org = await getOrg(ctx);
  const [survey] = await deps.db
    .select()
    .from(tables.surveys)
    .where(
      and(
        eq(tables.surveys.orgId, link.orgId),
        eq(tables.surveys.id, link.surveyId),
        isNull(tables.surveys.deletedAt),
      ),
    );
  if (!link.active || !survey || survey.status !== 'active') {
    return { kind: 'closed', link, survey: survey ?? null, org };
  }
  return { kind: 'open', link, survey, org, unitName: await unitNameOf(deps.db, link.orgId, link.unitId) };
}
