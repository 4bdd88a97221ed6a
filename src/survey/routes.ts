/** @module The public survey link /s/{token}: show the question, take the answer by POST only, thank. */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { minGroupOf } from '../domain/anonymity.js';
import {
  type AnswerDeps,
  answerInput,
  answerLink,
  type LinkState,
  linkState,
} from '../modules/answers/index.js';
import { TooManyRequests } from '../modules/auth/index.js';
import { type ApiEnv, AppError } from '../modules/kernel/index.js';
import { questionFor } from '../modules/surveys/index.js';
import { surveyPageContentSecurityPolicy } from './page-assets.js';
import {
  renderGonePage,
  renderNotFoundPage,
  renderNoticePage,
  renderSurveyPage,
  renderThanksPage,
  type SurveyLocale,
} from './pages.js';
import { defaultPublicLimits, type PublicLimits, PublicRateLimiter } from './rate-limits.js';
import { surveyText } from './survey-text.js';

const preselect = z.coerce.number().int().min(0).max(10);

function page(c: Context, html: string, status: 200 | 404 | 410 | 422 | 429) {
  c.header('content-security-policy', surveyPageContentSecurityPolicy);
  c.header('cache-control', 'no-store');
  // The token is in the path: never send it on to another site.
  c.header('referrer-policy', 'no-referrer');
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  return c.html(html, status);
}

/** Which language to speak before we know the invitation: the browser's, Russian by default. */
function browserLocale(c: Context): SurveyLocale {
  return /^en\b/i.test(c.req.header('accept-language') ?? '') ? 'en' : 'ru';
}

function renderForm(
  state: Extract<LinkState, { kind: 'open' | 'amendable' }>,
  token: string,
  extra: { preselected: number | null; error: string | null },
) {
  const { invitation, survey, org } = state.opened;
  const texts = questionFor(survey.texts, invitation.locale, org.name);
  return renderSurveyPage({
    locale: invitation.locale,
    orgName: org.name,
    question: texts.question,
    reasonPrompt: texts.reason,
    actionUrl: `/s/${token}`,
    preselectedScore: extra.preselected,
    existing: state.kind === 'amendable' ? state.existing : null,
    error: extra.error,
    anonymous: survey.audience === 'employee',
    minGroupSize: minGroupOf(org.settings.anonymity?.minGroupSize),
  });
}

function renderClosed(c: Context, state: LinkState) {
  if (state.kind === 'unknown') return page(c, renderNotFoundPage({ locale: browserLocale(c) }), 404);
  if (state.kind === 'open' || state.kind === 'amendable') throw new Error('unreachable: the link is open');
  return page(c, renderGonePage({ locale: state.opened.invitation.locale, why: state.kind }), 410);
}

const wantsJson = (c: Context) => (c.req.header('content-type') ?? '').startsWith('application/json');

export interface SurveyRouteOptions {
  /** The respondent's address (TRUST_PROXY-aware), a key for the in-memory limits only; never stored. */
  clientAddress?: (c: Context) => string;
  limits?: PublicLimits;
}

/** The public survey routes. A GET never records anything, so a mail scanner that opens links changes nothing. */
export function surveyRoutes(deps: AnswerDeps, options: SurveyRouteOptions = {}) {
  const app = new Hono<ApiEnv>();
  const limiter = new PublicRateLimiter(options.limits ?? defaultPublicLimits);
  const addressOf = options.clientAddress ?? (() => 'unknown');

  function tooMany(c: Context, retryAfter: number) {
    if (wantsJson(c))
      throw new TooManyRequests(
        `Too many requests from your address: try again in ${retryAfter} s`,
        retryAfter,
      );
    c.header('retry-after', String(retryAfter));
    const locale = browserLocale(c);
    const t = surveyText(locale);
    return page(c, renderNoticePage({ locale, title: t.tooManyTitle, body: t.tooManyBody }), 429);
  }

  // Limits come before any database work, so a flood costs next to nothing; unknown tokens count towards a block.
  app.use('/s/*', async (c, next) => {
    const address = addressOf(c);
    const verdict = await limiter.admit(address, c.req.method === 'POST' ? 'answer' : 'view');
    if (!verdict.ok) return tooMany(c, verdict.retryAfterSeconds);
    await next();
    if (c.res.status === 404) await limiter.failure(address);
  });

  app.get('/s/:token', async (c) => {
    const token = c.req.param('token');
    const state = await linkState(deps.db, token, deps.clock());
    if (state.kind !== 'open' && state.kind !== 'amendable') return renderClosed(c, state);
    const score = preselect.safeParse(c.req.query('score'));
    return page(
      c,
      renderForm(state, token, { preselected: score.success ? score.data : null, error: null }),
      200,
    );
  });

  app.post('/s/:token', async (c) => {
    const token = c.req.param('token');
    const json = wantsJson(c);
    let body: unknown;
    try {
      body = json ? await c.req.json() : await c.req.parseBody();
    } catch {
      throw new AppError('bad_request', 'The body could not be read');
    }
    const parsed = answerInput.safeParse(body);
    if (!parsed.success) {
      if (json) {
        throw new AppError('invalid_input', 'The answer is not valid', {
          errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'score', message: i.message })),
        });
      }
      const state = await linkState(deps.db, token, deps.clock());
      if (state.kind !== 'open' && state.kind !== 'amendable') return renderClosed(c, state);
      const t = surveyText(state.opened.invitation.locale);
      const reasonTooLong = parsed.error.issues.some((i) => i.path[0] === 'reason');
      return page(
        c,
        renderForm(state, token, {
          preselected: null,
          error: reasonTooLong ? t.reasonTooLong : t.scoreRequired,
        }),
        422,
      );
    }
    try {
      const outcome = await answerLink(deps, token, parsed.data);
      if (json) return c.json({ status: outcome.kind }, outcome.kind === 'recorded' ? 201 : 200);
      return c.redirect(`/s/${token}/thanks`, 303);
    } catch (error) {
      if (json || !(error instanceof AppError) || (error.code !== 'gone' && error.code !== 'not_found'))
        throw error;
      return renderClosed(c, await linkState(deps.db, token, deps.clock()));
    }
  });

  app.get('/s/:token/thanks', async (c) => {
    const token = c.req.param('token');
    const state = await linkState(deps.db, token, deps.clock());
    if (state.kind === 'unknown') return renderClosed(c, state);
    const { invitation, org } = state.opened;
    if (state.kind === 'open') return c.redirect(`/s/${token}`, 303);
    if (state.kind === 'closed' || state.kind === 'expired') return renderClosed(c, state);
    const canAmend = state.kind === 'amendable';
    return page(
      c,
      renderThanksPage({
        locale: invitation.locale,
        orgName: org.name,
        canAmend,
        amendUrl: canAmend ? `/s/${token}` : null,
      }),
      200,
    );
  });

  return app;
}
