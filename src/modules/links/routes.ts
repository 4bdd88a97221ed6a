// HTTP API of anonymous links: create, list, read, rename or deactivate, delete; their QR code and printable card.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { questionFor } from '../surveys/index.js';
import { qrPng, qrSvg, renderCard } from './card.js';
import {
  createLink,
  deleteLink,
  getLink,
  linkForPrint,
  linkKinds,
  linkListQuery,
  linkPatch,
  listLinks,
  newLinkInput,
  updateLink,
} from './service.js';

const linkView = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    unitId: z.uuid().nullable(),
    employeeId: z.uuid().nullable(),
    kind: z.enum(linkKinds),
    name: z.string(),
    slug: z.string().openapi({ description: 'Random, 72 bits, URL-safe' }),
    active: z.boolean(),
    origins: z.array(z.string()),
    url: z.string().openapi({ description: 'The public survey page, for the QR code or a campaign' }),
    scriptUrl: z.string().openapi({ description: 'The widget script' }),
    snippet: z.string().openapi({ description: 'The script tag to put on a site' }),
    answers: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('SurveyLink');

const qrQuery = z.object({ size: z.coerce.number().int().min(64).max(2048).default(512) });
const cardQuery = z.object({ format: z.enum(['a5', 'a4']).default('a5') });

export const linkRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/links',
      tags: ['links'],
      summary:
        'Create an anonymous survey link (campaign link, QR code or web widget) for a unit or employee',
      request: { body: { required: true, ...json(newLinkInput) } },
      responses: { 201: { description: 'Created', ...json(linkView) }, ...problemResponses },
    }),
    async (c) => c.json(await createLink(c.var.ctx, c.var.deps.publicUrl, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/links',
      tags: ['links'],
      summary: 'Anonymous links, newest first, with their answer counts',
      request: { query: linkListQuery },
      responses: {
        200: {
          description: 'A page',
          ...json(z.object({ items: z.array(linkView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listLinks(c.var.ctx, c.var.deps.publicUrl, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/links/{id}',
      tags: ['links'],
      request: { params: idParam },
      responses: {
        200: { description: 'The link', ...json(linkView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getLink(c.var.ctx, c.var.deps.publicUrl, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/links/{id}',
      tags: ['links'],
      summary:
        'Rename, deactivate (active: false) or reactivate a link, or change the sites allowed to embed it',
      request: { params: idParam, body: { required: true, ...json(linkPatch) } },
      responses: {
        200: { description: 'Updated', ...json(linkView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(
        await updateLink(c.var.ctx, c.var.deps.publicUrl, c.req.valid('param').id, c.req.valid('json')),
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/links/{id}',
      tags: ['links'],
      summary: 'Delete a link (its answers stay); printed QR codes then show "not found"',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, 404: { description: 'Not found' }, ...problemResponses },
    }),
    async (c) => {
      await deleteLink(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/links/{id}/qr.png',
      tags: ['links'],
      summary: 'The QR code of the link as a PNG of size × size pixels',
      request: { params: idParam, query: qrQuery },
      responses: {
        200: {
          description: 'PNG',
          content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { link } = await linkForPrint(c.var.ctx, c.req.valid('param').id);
      const png = await qrPng(`${c.var.deps.publicUrl}/l/${link.slug}`, c.req.valid('query').size);
      return c.body(new Uint8Array(png), 200, {
        'content-type': 'image/png',
        'content-disposition': `inline; filename="qr-${link.slug}.png"`,
        'cache-control': 'private, max-age=300',
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/links/{id}/qr.svg',
      tags: ['links'],
      summary: 'The QR code of the link as SVG (for print shops)',
      request: { params: idParam },
      responses: {
        200: { description: 'SVG', content: { 'image/svg+xml': { schema: z.string() } } },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { link } = await linkForPrint(c.var.ctx, c.req.valid('param').id);
      const svg = await qrSvg(`${c.var.deps.publicUrl}/l/${link.slug}`);
      return c.body(svg, 200, {
        'content-type': 'image/svg+xml; charset=utf-8',
        'content-disposition': `inline; filename="qr-${link.slug}.svg"`,
        'cache-control': 'private, max-age=300',
      });
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/links/{id}/card',
      tags: ['links'],
      summary:
        'A printable A5 or A4 card with the QR code, the question in Russian and English, org and unit',
      request: { params: idParam, query: cardQuery },
      responses: {
        200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { link, org, survey, unitName } = await linkForPrint(c.var.ctx, c.req.valid('param').id);
      const url = `${c.var.deps.publicUrl}/l/${link.slug}`;
      const question = (locale: 'ru' | 'en') =>
        survey ? questionFor(survey.texts, locale, org.name).question : '';
      const html = renderCard({
        format: c.req.valid('query').format,
        orgName: org.name,
        unitName,
        questions: { ru: question('ru'), en: question('en') },
        url,
        svg: await qrSvg(url),
      });
      return c.html(html, 200);
    },
  );
