// HTTP routes of digests: the signed-in person's digest rendered now, as HTML (the dashboard shows it; tests read it).
import { createRoute, z } from '@hono/zod-openapi';
import { localDay } from '../../domain/period.js';
import { AppError, newRouter, problemResponses } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { buildDigest, isEmpty } from './content.js';
import { emptyNote, renderDigest } from './render.js';
import { contextAs } from './schedule.js';

export const digestPreviewQuery = z.object({ kind: z.enum(['daily', 'weekly']).default('daily') });

export const digestRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/digests/preview',
    tags: ['notifications'],
    summary:
      'Your daily or weekly digest as it would go out now (text/html), in your language and for your units',
    request: { query: digestPreviewQuery },
    responses: { 200: { description: 'The digest, HTML' }, ...problemResponses },
  }),
  async (c) => {
    const ctx = c.var.ctx;
    if (ctx.actor.kind !== 'user') throw new AppError('forbidden', 'A digest belongs to a user');
    const { kind } = c.req.valid('query');
    const org = await getOrg(ctx);
    const locale = c.var.principal?.locale ?? org.locale;
    const scoped = await contextAs(ctx, { id: ctx.actor.userId, role: ctx.actor.role });
    const digest = await buildDigest(scoped, kind, localDay(ctx.clock(), org.timeZone), org.timeZone);
    const { html } = renderDigest(digest, { locale, orgName: org.name, dashboardUrl: ctx.publicUrl ?? null });
    const body = isEmpty(digest)
      ? html
          .replace('<body style="', `<body data-empty="true" style="`)
          .replace('</h1>', `</h1><p>${emptyNote(locale)}</p>`)
      : html;
    return c.html(body, 200);
  },
);
