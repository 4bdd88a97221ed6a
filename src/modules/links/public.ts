// The public side of anonymous links: the survey page /l/{slug}, the widget script /w/{slug}.js and its CORS
// answer endpoint POST /w/{slug}/answers.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { localDay } from '../../domain/period.js';
import {
  renderGonePage,
  renderNotFoundPage,
  renderNoticePage,
  renderSurveyPage,
  renderThanksPage,
  type SurveyLocale,
  surveyPageContentSecurityPolicy,
  surveyText,
} from '../../survey/index.js';
import { answerInput } from '../answers/index.js';
import {
  type ApiEnv,
  AppError,
  clientAddress,
  type Deps,
  forwardedHttps,
  type TrustProxy,
} from '../kernel/index.js';
import { questionFor } from '../surveys/index.js';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE,
  defaultRateLimits,
  deviceKeyOf,
  devicePattern,
  LinkRateLimiter,
  newDeviceId,
  type RateLimits,
} from './protect.js';
import { openPublicLink, type PublicLink } from './service.js';
import { linkTexts, widgetTexts } from './texts.js';
import { widgetScript } from './widget/build.js';
import type { WidgetConfig } from './widget/config.js';
import { amendLinkAnswer, answerOfDevice, type LinkAnswer, LinkAnswerWriter } from './writer.js';

type OpenLink = Extract<PublicLink, { kind: 'open' }>;

const preselect = z.coerce.number().int().min(0).max(10);
const langParam = z.enum(['ru', 'en']);
const widgetAnswer = z.object({
  score: z.number().int().min(0).max(10),
  reason: z.string().max(2000).nullish(),
  device: z.string().regex(devicePattern, '32 lower-case hex digits'),
  lang: langParam.optional(),
});

/** Days the widget stays away after it was closed or answered. */
export const WIDGET_QUIET_DAYS = 30;

/** The socket's peer: the visitor, or the reverse proxy in front of Sarafan. */
function peerOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The visitor's address, for the in-memory rate limits only; never logged or stored. Behind a reverse proxy
 * (TRUST_PROXY) it comes from X-Forwarded-For, else every respondent would share the proxy's one budget.
 */
function clientIp(c: Context, trust: TrustProxy): string {
  return clientAddress(peerOf(c), c.req.header('x-forwarded-for'), trust);
}

function page(c: Context, html: string, status: 200 | 404 | 410 | 422 | 429) {
  c.header('content-security-policy', surveyPageContentSecurityPolicy);
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-content-type-options', 'nosniff');
  c.header('x-frame-options', 'DENY');
  return c.html(html, status);
}

function pageLocale(c: Context, survey: { defaultLocale: SurveyLocale } | null): SurveyLocale {
  const asked = langParam.safeParse(c.req.query('lang'));
  if (asked.success) return asked.data;
  if (survey) return survey.defaultLocale;
  return /^en\b/i.test(c.req.header('accept-language') ?? '') ? 'en' : 'ru';
}

/** The device cookie, set when missing: random, HttpOnly, SameSite=Lax, a year; Secure over HTTPS. */
function deviceOf(c: Context, trust: TrustProxy): string {
  const known = getCookie(c, DEVICE_COOKIE);
  if (known && devicePattern.test(known)) return known;
  const id = newDeviceId();
  setCookie(c, DEVICE_COOKIE, id, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: DEVICE_COOKIE_MAX_AGE,
    secure:
      new URL(c.req.url).protocol === 'https:' ||
      forwardedHttps(peerOf(c), c.req.header('x-forwarded-proto'), trust),
  });
  return id;
}

export interface LinkPublicOptions {
  /** Link answer batches committing at once (1 for PGlite). */
  concurrency?: number;
  limits?: RateLimits;
  /** Which reverse proxies to believe about the visitor's address (TRUST_PROXY); default: none. */
  trustProxy?: TrustProxy;
}

export function linkPublic(deps: Deps, options: LinkPublicOptions = {}) {
  const writer = new LinkAnswerWriter(deps.db, deps.log, { concurrency: options.concurrency ?? 1 });
  const limiter = new LinkRateLimiter(options.limits ?? defaultRateLimits);
  const trust = options.trustProxy ?? false;
  const app = new Hono<ApiEnv>();

  function answerOf(
    opened: OpenLink,
    input: { score: number; reason: string | null },
    device: string,
    channel: LinkAnswer['channel'],
    locale: SurveyLocale,
  ): LinkAnswer {
    const now = deps.clock();
    const day = localDay(now, opened.org.timeZone);
    const { link } = opened;
    return {
      orgId: link.orgId,
      surveyId: link.surveyId,
      linkId: link.id,
      deviceKey: deviceKeyOf(deps.vault, link.id, device, day),
      unitId: link.unitId,
      employeeId: link.employeeId,
      channel,
      locale,
      score: input.score,
      reason: input.reason?.trim() ? input.reason.trim() : null,
      answeredAt: now,
      day,
    };
  }

  /** The first answer of this device today is added; a later one the same day replaces it. */
  async function record(answer: LinkAnswer): Promise<'recorded' | 'amended'> {
    if (await writer.write(answer)) return 'recorded';
    await amendLinkAnswer(deps.db, answer);
    return 'amended';
  }

  function renderForm(
    c: Context,
    opened: OpenLink,
    locale: SurveyLocale,
    extra: {
      preselected: number | null;
      error: string | null;
      existing: { score: number; reason: string | null } | null;
    },
  ) {
    const texts = questionFor(opened.survey.texts, locale, opened.org.name);
    const lang = c.req.query('lang');
    return renderSurveyPage({
      locale,
      orgName: opened.org.name,
      question: texts.question,
      reasonPrompt: texts.reason,
      actionUrl: `/l/${opened.link.slug}${langParam.safeParse(lang).success ? `?lang=${lang}` : ''}`,
      preselectedScore: extra.preselected,
      existing: extra.existing,
      error: extra.error,
      anonymous: false,
    });
  }

  function closedPage(c: Context, opened: Exclude<PublicLink, { kind: 'open' }>) {
    if (opened.kind === 'unknown') return page(c, renderNotFoundPage({ locale: pageLocale(c, null) }), 404);
    return page(c, renderGonePage({ locale: pageLocale(c, opened.survey), why: 'closed' }), 410);
  }

  function tooMany(c: Context, locale: SurveyLocale, retryAfter: number) {
    const t = linkTexts[locale];
    c.header('retry-after', String(retryAfter));
    return page(c, renderNoticePage({ locale, title: t.tooManyTitle, body: t.tooManyBody }), 429);
  }

  app.get('/l/:slug', async (c) => {
    // The limit comes before any database work, so a flood of views costs next to nothing.
    const verdict = await limiter.view(clientIp(c, trust));
    if (!verdict.ok) return tooMany(c, pageLocale(c, null), verdict.retryAfterSeconds);
    const opened = await openPublicLink(deps, c.req.param('slug'));
    if (opened.kind !== 'open') return closedPage(c, opened);
    const locale = pageLocale(c, opened.survey);
    const device = deviceOf(c, trust);
    const day = localDay(deps.clock(), opened.org.timeZone);
    const existing = await answerOfDevice(
      deps.db,
      opened.link.orgId,
      opened.link.id,
      deviceKeyOf(deps.vault, opened.link.id, device, day),
    );
    const score = preselect.safeParse(c.req.query('score'));
    return page(
      c,
      renderForm(c, opened, locale, {
        preselected: score.success ? score.data : null,
        error: null,
        existing,
      }),
      200,
    );
  });

  app.post('/l/:slug', async (c) => {
    const opened = await openPublicLink(deps, c.req.param('slug'));
    if (opened.kind !== 'open') return closedPage(c, opened);
    const locale = pageLocale(c, opened.survey);
    let body: unknown;
    try {
      body = await c.req.parseBody();
    } catch {
      throw new AppError('bad_request', 'The form could not be read');
    }
    const parsed = answerInput.safeParse(body);
    if (!parsed.success) {
      const t = surveyText(locale);
      const reasonTooLong = parsed.error.issues.some((i) => i.path[0] === 'reason');
      return page(
        c,
        renderForm(c, opened, locale, {
          preselected: null,
          error: reasonTooLong ? t.reasonTooLong : t.scoreRequired,
          existing: null,
        }),
        422,
      );
    }
    const verdict = await limiter.answer(clientIp(c, trust), opened.link.id);
    if (!verdict.ok) return tooMany(c, locale, verdict.retryAfterSeconds);
    await record(answerOf(opened, parsed.data, deviceOf(c, trust), 'link', locale));
    const lang = c.req.query('lang');
    return c.redirect(
      `/l/${opened.link.slug}/thanks${langParam.safeParse(lang).success ? `?lang=${lang}` : ''}`,
      303,
    );
  });

  app.get('/l/:slug/thanks', async (c) => {
    const opened = await openPublicLink(deps, c.req.param('slug'));
    if (opened.kind !== 'open') return closedPage(c, opened);
    const locale = pageLocale(c, opened.survey);
    // Changing the answer is possible until the end of the day (open the link again); the shared page says
    // nothing of "24 hours", which is the invitations' rule.
    return page(
      c,
      renderThanksPage({ locale, orgName: opened.org.name, canAmend: false, amendUrl: null }),
      200,
    );
  });

  app.get('/w/:file{[A-Za-z0-9_-]+\\.js}', async (c) => {
    const slug = c.req.param('file').slice(0, -3);
    const opened = await openPublicLink(deps, slug);
    const headers = {
      'content-type': 'text/javascript; charset=utf-8',
      'cross-origin-resource-policy': 'cross-origin',
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    };
    if (opened.kind !== 'open') {
      return c.body(
        `/* Sarafan: this survey link ${opened.kind === 'unknown' ? 'is unknown' : 'is closed'} */\n`,
        {
          status: opened.kind === 'unknown' ? 404 : 410,
          headers: { ...headers, 'cache-control': 'no-store' },
        },
      );
    }
    const text = (locale: SurveyLocale) => {
      const q = questionFor(opened.survey.texts, locale, opened.org.name);
      return {
        ...widgetTexts[locale],
        question: withOrg(q.question.trim() || surveyText(locale).defaultQuestion, opened.org.name),
        reason: q.reason || surveyText(locale).defaultReason,
      };
    };
    const config: WidgetConfig = {
      // Relative: the widget resolves it against its own script's URL, whatever host name the site used.
      url: `/w/${slug}/answers`,
      slug,
      lang: opened.survey.defaultLocale,
      quietDays: WIDGET_QUIET_DAYS,
      texts: { ru: text('ru'), en: text('en') },
    };
    return c.body(await widgetScript(config), {
      status: 200,
      headers: { ...headers, 'cache-control': 'public, max-age=300' },
    });
  });

  /** CORS for the widget: any site when the link names no origins, otherwise only those. */
  function corsOrigin(c: Context, opened: PublicLink): string | null {
    const origin = c.req.header('origin');
    if (opened.kind === 'unknown' || opened.link.origins.length === 0) return origin ?? '*';
    return origin && opened.link.origins.includes(origin) ? origin : null;
  }

  function corsHeaders(allowed: string | null): Record<string, string> {
    const base = { vary: 'Origin', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    return allowed ? { ...base, 'access-control-allow-origin': allowed } : base;
  }

  app.options('/w/:slug/answers', async (c) => {
    const opened = await openPublicLink(deps, c.req.param('slug'));
    const allowed = corsOrigin(c, opened);
    if (!allowed) return c.body(null, 403, corsHeaders(null));
    return c.body(null, 204, {
      ...corsHeaders(allowed),
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '86400',
    });
  });

  app.post('/w/:slug/answers', async (c) => {
    const opened = await openPublicLink(deps, c.req.param('slug'));
    const allowed = corsOrigin(c, opened);
    const problem = (status: 403 | 404 | 410 | 422 | 429, title: string, detail: string, extra = {}) =>
      c.body(JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }), status, {
        ...corsHeaders(allowed),
        'content-type': 'application/problem+json; charset=utf-8',
      });
    if (!allowed) return problem(403, 'Forbidden', 'This site may not use this survey widget');
    if (opened.kind === 'unknown') return problem(404, 'Not found', 'This survey link is not known');
    if (opened.kind === 'closed') return problem(410, 'Gone', 'This survey link no longer takes answers');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return problem(422, 'Invalid input', 'The body must be JSON');
    }
    const parsed = widgetAnswer.safeParse(body);
    if (!parsed.success) {
      return problem(422, 'Invalid input', 'The answer is not valid', {
        errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
      });
    }
    const verdict = await limiter.answer(clientIp(c, trust), opened.link.id);
    if (!verdict.ok) {
      c.header('retry-after', String(verdict.retryAfterSeconds));
      return problem(429, 'Too many requests', 'Too many answers from this network; try again later');
    }
    const { device, lang, score, reason } = parsed.data;
    const status = await record(
      answerOf(
        opened,
        { score, reason: reason ?? null },
        device,
        'widget',
        lang ?? opened.survey.defaultLocale,
      ),
    );
    return c.body(JSON.stringify({ status }), status === 'recorded' ? 201 : 200, {
      ...corsHeaders(allowed),
      'content-type': 'application/json; charset=utf-8',
    });
  });

  return { routes: app, writer };
}

/** `questionFor` fills `{org}`; an empty question means the standard one, with the organisation's name. */
function withOrg(question: string, orgName: string): string {
  return question.split('{org}').join(orgName);
}
