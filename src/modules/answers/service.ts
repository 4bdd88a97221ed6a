// Answering a survey link (record once, amend within 24 h) and reading answers back.
import { and, desc, eq, gt, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, tables } from '../../db/index.js';
import { localDay } from '../../domain/period.js';
import { employeeGuard } from '../anonymity/index.js';
import { type OpenedInvitation, openInvitation } from '../invitations/index.js';
import { AppError, type Ctx, decodeCursor, pageOf, pageQuery } from '../kernel/index.js';
import { reasonMasker, textFor } from '../privacy/pseudonym.js';
import { findSurvey } from '../surveys/index.js';
import { visibleUnitIds } from '../units/index.js';
import { queueForLoop, replacePendingRollup } from './loop-inbox.js';
import { applyRollupDeltas } from './rollups.js';
import { type AnswerWriter, pendingAnswerOf } from './writer.js';

const { responses, employeeResponses } = tables;

/** A customer may change their answer for this long after giving it; an employee's answer is final at once. */
export const AMEND_WINDOW_MS = 24 * 3600_000;
export const MAX_REASON_LENGTH = 2000;

/** A score as a respondent sends it: a whole number 0–10, as a number or a form field's text. */
export const scoreField = z.union([
  z.number().int('A whole number from 0 to 10').min(0, 'From 0 to 10').max(10, 'From 0 to 10'),
  z
    .string()
    .trim()
    .regex(/^(10|[0-9])$/, 'A whole number from 0 to 10')
    .transform(Number),
]);
export const answerInput = z.object({
  score: scoreField,
  reason: z
    .string()
    .max(MAX_REASON_LENGTH, `At most ${MAX_REASON_LENGTH} characters`)
    .nullish()
    .transform((r) => (r?.trim() ? r.trim() : null)),
});
export type AnswerInput = z.output<typeof answerInput>;

export type LinkState =
  | { kind: 'unknown' }
  | { kind: 'closed' | 'expired' | 'answered'; opened: OpenedInvitation }
  | { kind: 'open'; opened: OpenedInvitation }
  | { kind: 'amendable'; opened: OpenedInvitation; existing: { score: number; reason: string | null } };

async function customerAnswerOf(db: Db, orgId: string, invitationId: string) {
  const [row] = await db
    .select()
    .from(responses)
    .where(and(eq(responses.orgId, orgId), eq(responses.invitationId, invitationId)));
  return row;
}

/** What a survey link can do now. */
export async function linkState(db: Db, token: string, now: Date): Promise<LinkState> {
  const opened = await openInvitation(db, token);
  if (!opened) return { kind: 'unknown' };
  const { invitation, survey } = opened;
  if (survey.status !== 'active' || survey.deletedAt) return { kind: 'closed', opened };
  if (invitation.status === 'pending') {
    return invitation.expiresAt <= now ? { kind: 'expired', opened } : { kind: 'open', opened };
  }
  if (survey.audience === 'employee') return { kind: 'answered', opened };
  const existing = await customerAnswerOf(db, invitation.orgId, invitation.id);
  if (!existing || now.getTime() - existing.answeredAt.getTime() > AMEND_WINDOW_MS)
    return { kind: 'answered', opened };
  return { kind: 'amendable', opened, existing: { score: existing.score, reason: existing.reason } };
}

export interface AnswerDeps {
  db: Db;
  writer: AnswerWriter;
  clock: () => Date;
}

export type AnswerOutcome = { kind: 'recorded' | 'amended' };

/**
 * Records the answer to a link: the first one through the group-commit writer, a later one within the amend
 * window replaces it (never a second answer). Throws not_found / gone for links that cannot take an answer.
 */
export async function answerLink(
  deps: AnswerDeps,
  token: string,
  input: AnswerInput,
): Promise<AnswerOutcome> {
  const now = deps.clock();
  // The common case, an open link answered once: looked up and written with its batch.
  const fast = await deps.writer.submit({ token, score: input.score, reason: input.reason, at: now });
  if (fast.kind === 'recorded') return fast;
  // Otherwise say why it cannot take the answer, or amend the earlier one.
  const state = await linkState(deps.db, token, now);
  if (state.kind === 'unknown') throw new AppError('not_found', 'This survey link is not known');
  if (state.kind === 'closed') throw new AppError('gone', 'This survey is closed');
  if (state.kind === 'expired') throw new AppError('gone', 'This survey link has expired');
  if (state.kind === 'answered') throw new AppError('gone', 'This survey has already been answered');
  if (state.kind === 'open') {
    // Opened between the batch's look-up and now (or a race with another submit): write it directly.
    const recorded = await deps.writer.write(pendingAnswerOf(state.opened, { ...input, at: now }));
    if (recorded) return { kind: 'recorded' };
    return answerLink(deps, token, input);
  }
  await amendAnswer(deps.db, state.opened, input, now);
  return { kind: 'amended' };
}

async function amendAnswer(db: Db, opened: OpenedInvitation, input: AnswerInput, now: Date): Promise<void> {
  const { invitation, org } = opened;
  await db.transaction(async (tx) => {
    const [old] = await tx
      .select()
      .from(responses)
      .where(and(eq(responses.orgId, invitation.orgId), eq(responses.invitationId, invitation.id)))
      .for('update');
    if (!old) throw new AppError('gone', 'This survey has already been answered');
    await tx
      .update(responses)
      .set({ score: input.score, reason: input.reason, amendedAt: now })
      .where(and(eq(responses.orgId, old.orgId), eq(responses.id, old.id)));
    const pending = await replacePendingRollup(tx, { orgId: old.orgId, responseId: old.id }, input.score);
    await queueForLoop(tx, [{ orgId: old.orgId, responseId: old.id }], 'amended');
    if (old.score === input.score || pending) return;
    // The answer keeps its original day: the change moves it between segments, not between days.
    const key = {
      orgId: old.orgId,
      surveyId: old.surveyId,
      day: localDay(old.answeredAt, org.timeZone),
      unitId: old.unitId,
      channel: old.channel,
      employeeId: old.employeeId,
      customerId: old.customerId,
      contactId: old.contactId,
    };
    await applyRollupDeltas(tx, [
      { ...key, score: old.score, sign: -1 },
      { ...key, score: input.score, sign: 1 },
    ]);
  });
}

export const responseListQuery = pageQuery.extend({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  withReason: z.enum(['true', 'false']).optional(),
});

export interface ResponseView {
  id: string;
  surveyId: string;
  score: number;
  segment: 'promoter' | 'passive' | 'detractor';
  reason: string | null;
  locale: 'ru' | 'en';
  unitId: string | null;
  /** Customer answers only: eNPS answers name no one, and no unit or time is listed with them. */
  employeeId?: string | null;
  customerId?: string | null;
  contactId?: string | null;
  channel?: string;
  /** null for eNPS answers: no time is shown with one. */
  answeredAt: string | null;
  amendedAt?: string | null;
}

/** The cursor's time for lists in no time order (eNPS answers, by random id). */
const NO_TIME = new Date(0);

const segmentOfScore = (s: number) => (s >= 9 ? 'promoter' : s >= 7 ? 'passive' : 'detractor');

/** Answers of a survey, newest first; customers' within the actor's units, employees' without any person. */
export async function listResponses(ctx: Ctx, surveyId: string, query: z.input<typeof responseListQuery>) {
  const q = responseListQuery.parse(query);
  const survey = await findSurvey(ctx, surveyId);
  const cursor = decodeCursor(q.cursor);
  const visible = await visibleUnitIds(ctx);
  if (visible && visible.size === 0) return { items: [], nextCursor: null };
  if (survey.audience === 'employee') {
    // The survey's answers the actor may see form one group: listed only when its figures are shown (the guard of
    // src/modules/anonymity, for every answer so far), and each answer without unit or day, in the order of its
    // random id — nothing that tells when or where it was given.
    const guard = await employeeGuard(ctx, {
      surveyIds: [surveyId],
      units: visible,
      from: '1900-01-01',
      to: '9999-12-31',
    });
    if (!guard.shown) return { items: [], nextCursor: null };
    const rows = await ctx.db
      .select({
        id: employeeResponses.id,
        surveyId: employeeResponses.surveyId,
        score: employeeResponses.score,
        reason: employeeResponses.reason,
        locale: employeeResponses.locale,
      })
      .from(employeeResponses)
      .where(
        and(
          eq(employeeResponses.orgId, ctx.orgId),
          eq(employeeResponses.surveyId, surveyId),
          visible ? inArray(employeeResponses.unitId, [...visible]) : undefined,
          q.withReason === 'true' ? isNotNull(employeeResponses.reason) : undefined,
          cursor ? gt(employeeResponses.id, cursor.id) : undefined,
        ),
      )
      .orderBy(employeeResponses.id)
      .limit(q.limit + 1);
    const page = pageOf(rows, q.limit, (r) => [NO_TIME, r.id]);
    return {
      items: page.items.map(
        (r): ResponseView => ({
          id: r.id,
          surveyId: r.surveyId,
          score: r.score,
          segment: segmentOfScore(r.score),
          reason: textFor(ctx, r.reason),
          locale: r.locale,
          unitId: null,
          answeredAt: null,
        }),
      ),
      nextCursor: page.nextCursor,
    };
  }
  const rows = await ctx.db
    .select()
    .from(responses)
    .where(
      and(
        eq(responses.orgId, ctx.orgId),
        eq(responses.surveyId, surveyId),
        visible ? inArray(responses.unitId, [...visible]) : undefined,
        q.from ? sql`${responses.answeredAt} >= ${new Date(q.from)}` : undefined,
        q.to ? lt(responses.answeredAt, new Date(q.to)) : undefined,
        q.withReason === 'true' ? isNotNull(responses.reason) : undefined,
        cursor
          ? or(
              lt(responses.answeredAt, new Date(cursor.at)),
              and(eq(responses.answeredAt, new Date(cursor.at)), lt(responses.id, cursor.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(responses.answeredAt), desc(responses.id))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => [r.answeredAt, r.id]);
  const reasonOf = await reasonMasker(
    ctx,
    page.items.map((r) => r.customerId),
  );
  return {
    items: page.items.map(
      (r): ResponseView => ({
        id: r.id,
        surveyId: r.surveyId,
        score: r.score,
        segment: segmentOfScore(r.score),
        reason: reasonOf(r.reason, r.customerId),
        locale: r.locale,
        unitId: r.unitId,
        employeeId: r.employeeId,
        customerId: r.customerId,
        contactId: r.contactId,
        channel: r.channel,
        answeredAt: r.answeredAt.toISOString(),
        amendedAt: r.amendedAt?.toISOString() ?? null,
      }),
    ),
    nextCursor: page.nextCursor,
  };
}

export interface ReasonView {
  id: string;
  score: number;
  reason: string;
  unitId: string | null;
  /** null for eNPS comments: no time is shown with one. */
  answeredAt: string | null;
}

/** The latest answers with a reason, for the dashboard. `from`/`to` are instants [from, to). */
export async function latestReasons(
  ctx: Ctx,
  q: {
    audience: 'customer' | 'employee';
    surveyIds: string[];
    from: Date;
    to: Date;
    limit: number;
    unitIds: Set<string> | null;
  },
): Promise<ReasonView[]> {
  if (q.surveyIds.length === 0 || (q.unitIds && q.unitIds.size === 0)) return [];
  if (q.audience === 'employee') {
    const fromDay = q.from.toISOString().slice(0, 10);
    const toDay = q.to.toISOString().slice(0, 10);
    const rows = await ctx.db
      .select()
      .from(employeeResponses)
      .where(
        and(
          eq(employeeResponses.orgId, ctx.orgId),
          inArray(employeeResponses.surveyId, q.surveyIds),
          isNotNull(employeeResponses.reason),
          sql`${employeeResponses.answeredOn} >= ${fromDay} and ${employeeResponses.answeredOn} < ${toDay}`,
          q.unitIds ? inArray(employeeResponses.unitId, [...q.unitIds]) : undefined,
        ),
      )
      // The order of the random ids: neither the time nor the order of storage hints at who wrote what when.
      // The caller shows these only for a group its guard lets through (src/modules/anonymity).
      .orderBy(employeeResponses.id)
      .limit(q.limit);
    return rows.map((r) => ({
      id: r.id,
      score: r.score,
      reason: textFor(ctx, r.reason!),
      unitId: null,
      answeredAt: null,
    }));
  }
  const rows = await ctx.db
    .select()
    .from(responses)
    .where(
      and(
        eq(responses.orgId, ctx.orgId),
        inArray(responses.surveyId, q.surveyIds),
        isNotNull(responses.reason),
        sql`${responses.answeredAt} >= ${q.from} and ${responses.answeredAt} < ${q.to}`,
        q.unitIds ? inArray(responses.unitId, [...q.unitIds]) : undefined,
      ),
    )
    .orderBy(desc(responses.answeredAt))
    .limit(q.limit);
  const reasonOf = await reasonMasker(
    ctx,
    rows.map((r) => r.customerId),
  );
  return rows.map((r) => ({
    id: r.id,
    score: r.score,
    reason: reasonOf(r.reason, r.customerId)!,
    unitId: r.unitId,
    answeredAt: r.answeredAt.toISOString(),
  }));
}
