// Surveys: who is asked (customers or employees), when (relationship or after a contact), and in which words.
import { and, asc, count, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import { tables } from '../../db/index.js';
import {
  type Ctx,
  canWrite,
  decodeCursor,
  notFound,
  pageOf,
  pageQuery,
  requireRole,
} from '../kernel/index.js';

const { surveys, responses, employeeResponses } = tables;

/** The standard NPS question and follow-up (Reichheld, 2003), in each language. `{org}` is the organisation. */
export const defaultTexts = {
  ru: {
    question: 'Насколько вероятно, что вы порекомендуете {org} друзьям и коллегам?',
    reason: 'Какова главная причина данной Вами оценки?',
  },
  en: {
    question: 'How likely are you to recommend {org} to friends and colleagues?',
    reason: 'What is the main reason for your score?',
  },
} as const;

const employeeDefaultTexts = {
  ru: {
    question: 'Насколько вероятно, что вы порекомендуете {org} как место работы друзьям и знакомым?',
    reason: 'Какова главная причина данной Вами оценки?',
  },
  en: {
    question: 'How likely are you to recommend {org} as a place to work to friends and acquaintances?',
    reason: 'What is the main reason for your score?',
  },
} as const;

const textsInput = z.object({
  question: z.string().trim().min(1).max(500).optional(),
  reason: z.string().trim().min(1).max(500).optional(),
  thanks: z.string().trim().max(500).optional(),
});

export const newSurveyInput = z.object({
  name: z.string().trim().min(1).max(200),
  audience: z.enum(['customer', 'employee']),
  kind: z.enum(['relationship', 'transactional']).default('relationship'),
  defaultLocale: z.enum(['ru', 'en']).default('ru'),
  texts: z.object({ ru: textsInput.optional(), en: textsInput.optional() }).default({}),
});
export const surveyPatch = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  defaultLocale: z.enum(['ru', 'en']).optional(),
  status: z.enum(['active', 'closed']).optional(),
  texts: z.object({ ru: textsInput.optional(), en: textsInput.optional() }).optional(),
});
export const surveyListQuery = pageQuery.extend({
  audience: z.enum(['customer', 'employee']).optional(),
  status: z.enum(['active', 'closed']).optional(),
});

export type Survey = typeof surveys.$inferSelect;

export interface SurveyView {
  id: string;
  name: string;
  audience: Survey['audience'];
  kind: Survey['kind'];
  defaultLocale: Survey['defaultLocale'];
  status: Survey['status'];
  texts: Survey['texts'];
  createdAt: string;
  responseCount: number;
}

const viewOf = (s: Survey, responseCount: number): SurveyView => ({
  id: s.id,
  name: s.name,
  audience: s.audience,
  kind: s.kind,
  defaultLocale: s.defaultLocale,
  status: s.status,
  texts: s.texts,
  createdAt: s.createdAt.toISOString(),
  responseCount,
});

function textsWithDefaults(
  audience: Survey['audience'],
  given: z.output<typeof newSurveyInput>['texts'],
  current?: Survey['texts'],
): Survey['texts'] {
  const base = audience === 'employee' ? employeeDefaultTexts : defaultTexts;
  const merge = (locale: 'ru' | 'en') => ({ ...base[locale], ...current?.[locale], ...given[locale] });
  return { ru: merge('ru'), en: merge('en') };
}

export async function createSurvey(ctx: Ctx, input: z.input<typeof newSurveyInput>): Promise<SurveyView> {
  requireRole(ctx, ...canWrite);
  const s = newSurveyInput.parse(input);
  const [row] = await ctx.db
    .insert(surveys)
    .values({
      orgId: ctx.orgId,
      name: s.name,
      audience: s.audience,
      kind: s.kind,
      defaultLocale: s.defaultLocale,
      texts: textsWithDefaults(s.audience, s.texts),
      createdAt: ctx.clock(),
    })
    .returning();
  return viewOf(row!, 0);
}

/** A survey of this organisation that is not deleted, or 404. */
export async function findSurvey(ctx: Ctx, id: string): Promise<Survey> {
  const [row] = await ctx.db
    .select()
    .from(surveys)
    .where(and(eq(surveys.orgId, ctx.orgId), eq(surveys.id, id), isNull(surveys.deletedAt)));
  if (!row) throw notFound('Survey');
  return row;
}

async function countResponses(ctx: Ctx, s: Survey): Promise<number> {
  const table = s.audience === 'employee' ? employeeResponses : responses;
  const [row] = await ctx.db
    .select({ n: count() })
    .from(table)
    .where(and(eq(table.orgId, ctx.orgId), eq(table.surveyId, s.id)));
  return row?.n ?? 0;
}

export async function getSurvey(ctx: Ctx, id: string): Promise<SurveyView> {
  const s = await findSurvey(ctx, id);
  return viewOf(s, await countResponses(ctx, s));
}

/** Newest first. */
export async function listSurveys(ctx: Ctx, query: z.input<typeof surveyListQuery>) {
  const q = surveyListQuery.parse(query);
  const cursor = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(surveys)
    .where(
      and(
        eq(surveys.orgId, ctx.orgId),
        isNull(surveys.deletedAt),
        q.audience ? eq(surveys.audience, q.audience) : undefined,
        q.status ? eq(surveys.status, q.status) : undefined,
        cursor
          ? or(
              lt(surveys.createdAt, new Date(cursor.at)),
              and(eq(surveys.createdAt, new Date(cursor.at)), lt(surveys.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(surveys.createdAt), desc(surveys.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.createdAt, r.id]);
  const items = await Promise.all(page.items.map(async (s) => viewOf(s, await countResponses(ctx, s))));
  return { items, nextCursor: page.nextCursor };
}

export async function updateSurvey(
  ctx: Ctx,
  id: string,
  input: z.input<typeof surveyPatch>,
): Promise<SurveyView> {
  requireRole(ctx, ...canWrite);
  const p = surveyPatch.parse(input);
  const current = await findSurvey(ctx, id);
  const [row] = await ctx.db
    .update(surveys)
    .set({
      ...(p.name !== undefined && { name: p.name }),
      ...(p.defaultLocale !== undefined && { defaultLocale: p.defaultLocale }),
      ...(p.status !== undefined && { status: p.status }),
      ...(p.texts !== undefined && { texts: textsWithDefaults(current.audience, p.texts, current.texts) }),
    })
    .where(and(eq(surveys.orgId, ctx.orgId), eq(surveys.id, id)))
    .returning();
  return viewOf(row!, await countResponses(ctx, row!));
}

/** Deletes a survey from view; its answers stay in the database for the organisation's history. */
export async function deleteSurvey(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, ...canWrite);
  await findSurvey(ctx, id);
  await ctx.db
    .update(surveys)
    .set({ deletedAt: ctx.clock(), status: 'closed' })
    .where(and(eq(surveys.orgId, ctx.orgId), eq(surveys.id, id)));
}

/** Ids of the organisation's surveys for an audience (analytics over "all customer surveys"). */
export async function surveyIdsOf(ctx: Ctx, audience: Survey['audience']): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: surveys.id })
    .from(surveys)
    .where(and(eq(surveys.orgId, ctx.orgId), eq(surveys.audience, audience), isNull(surveys.deletedAt)))
    .orderBy(asc(surveys.createdAt));
  return rows.map((r) => r.id);
}

/** Fills `{org}` in a survey text. */
export function questionFor(texts: Survey['texts'], locale: 'ru' | 'en', orgName: string) {
  const t = texts[locale];
  return { question: t.question.replaceAll('{org}', orgName), reason: t.reason, thanks: t.thanks ?? null };
}
