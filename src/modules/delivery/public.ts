// The public unsubscribe page /u/{token}: GET shows a confirmation (a mail scanner opening it changes
// nothing), POST unsubscribes; RFC 8058 one-click POSTs (`List-Unsubscribe=One-Click`) work without the page.
import { Hono } from 'hono';
import type { Db } from '../../db/index.js';
import { openInvitation } from '../invitations/index.js';
import { type ApiEnv, AppError } from '../kernel/index.js';
import { unsubscribeByToken } from './service.js';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const texts = {
  ru: {
    title: 'Отписка от опросов',
    confirm: (org: string) => `Больше не присылать вам письма с опросами от «${org}»?`,
    everything: 'Не спрашивать меня ни о чём — ни по почте, ни по SMS, ни по телефону',
    button: 'Отписаться',
    done: 'Готово: вы отписаны',
    doneBody: (org: string) => `«${org}» больше не будет присылать вам опросы на этот адрес.`,
    unknown: 'Ссылка не найдена',
    unknownBody: 'Возможно, ссылка скопирована не полностью.',
  },
  en: {
    title: 'Unsubscribe from surveys',
    confirm: (org: string) => `Stop survey e-mails from ${org}?`,
    everything: 'Do not ask me anything at all — not by e-mail, SMS or phone',
    button: 'Unsubscribe',
    done: 'Done: you are unsubscribed',
    doneBody: (org: string) => `${org} will send no more surveys to this address.`,
    unknown: 'Link not found',
    unknownBody: 'The link may have been copied incompletely.',
  },
} as const;

function page(locale: 'ru' | 'en', title: string, body: string): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,Arial,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#212529;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#c92a2a;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #1c7ed6;outline-offset:2px}label{display:block;margin:1rem 0}</style>
</head><body><main>${body}</main></body></html>`;
}

const langOf = (header: string | undefined): 'ru' | 'en' => (/^en\b/i.test(header ?? '') ? 'en' : 'ru');

export function unsubscribeRoutes(deps: { db: Db; clock: () => Date }) {
  const app = new Hono<ApiEnv>();
  const headers = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

  app.get('/u/:token', async (c) => {
    const token = c.req.param('token');
    const opened = await openInvitation(deps.db, token);
    if (!opened) {
      const t = texts[langOf(c.req.header('accept-language'))];
      return c.html(
        page('ru', t.unknown, `<h1>${esc(t.unknown)}</h1><p>${esc(t.unknownBody)}</p>`),
        404,
        headers,
      );
    }
    const locale = opened.invitation.locale;
    const t = texts[locale];
    const everything = opened.invitation.customerId
      ? `<label><input type="checkbox" name="everything" value="1"> ${esc(t.everything)}</label>`
      : '';
    const body = `<h1>${esc(t.title)}</h1><form method="post" action="/u/${esc(token)}">
<p>${esc(t.confirm(opened.org.name))}</p>${everything}<button type="submit">${esc(t.button)}</button></form>`;
    return c.html(page(locale, t.title, body), 200, headers);
  });

  app.post('/u/:token', async (c) => {
    const token = c.req.param('token');
    let form: Record<string, unknown> = {};
    try {
      form = (await c.req.parseBody()) as Record<string, unknown>;
    } catch {
      throw new AppError('bad_request', 'The body could not be read');
    }
    const oneClick = form['List-Unsubscribe'] === 'One-Click';
    const done = await unsubscribeByToken(deps.db, token, {
      everything: !oneClick && form.everything === '1',
      now: deps.clock(),
    });
    if (!done) {
      const t = texts[langOf(c.req.header('accept-language'))];
      return c.html(
        page('ru', t.unknown, `<h1>${esc(t.unknown)}</h1><p>${esc(t.unknownBody)}</p>`),
        404,
        headers,
      );
    }
    const t = texts[done.locale];
    return c.html(
      page(done.locale, t.done, `<h1>${esc(t.done)}</h1><p>${esc(t.doneBody(done.orgName))}</p>`),
      200,
      headers,
    );
  });

  return app;
}
