/** @module The public survey link /s/{token}: show the question, take the answer by POST only, thank. */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  type AnswerDeps,
  answerInput,
  answerLink,
  type LinkState,
  linkState,
} from '../modules/answers/index.js';
import { type ApiEnv, AppError } from '../modules/kernel/index.js';
import { questionFor } from '../modules/surveys/index.js';
import { surveyPageContentSecurityPolicy } from './page-assets.js';
import {
  renderGonePage,
  renderNotFoundPage,
  renderSurveyPage,
  renderThanksPage,
  type SurveyLocale,
} from './pages.js';
import { surveyText } from './survey-text.js';

const preselect = z.coerce.number().int().min(0).max(10);

function page(c: Context, html: string, status: 200 | 404 | 410 | 422) {
  c.header('content-security-policy', surveyPageContentSecurityPolicy);
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-content-type-options', 'nosniff');
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
  });
}

function renderClosed(c: Context, state: LinkState) {
  if (state.kind === 'unknown') return page(c, renderNotFoundPage({ locale: browserLocale(c) }), 404);
  if (state.kind === 'open' || state.kind === 'amendable') throw new Error('unreachable: the link is open');
  return page(c, renderGonePage({ locale: state.opened.invitation.locale, why: state.kind }), 410);
}

const wantsJson = (c: Context) => (c.req.header('content-type') ?? '').startsWith('application/json');

/** The public survey routes. A GET never records anything, so a mail scanner that opens links changes nothing. */
export function surveyRoutes(deps: AnswerDeps) {
  const app = new Hono<ApiEnv>();

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
