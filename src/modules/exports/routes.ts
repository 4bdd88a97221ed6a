// POST /exports/table: any table or chart the dashboard shows, as a CSV or XLSX file.
import { createRoute, z } from '@hono/zod-openapi';
import { localDay } from '../../domain/period.js';
import { maskPii } from '../../domain/pii-mask.js';
import { type Ctx, json, newRouter, problemResponses, seesPersonalData } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { logAccess } from '../privacy/index.js';
import { toCsv, toXlsx } from './table-file.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A table fits in the API's 1 MB body; these bounds say so field by field before anything is built. */
export const MAX_EXPORT_ROWS = 20_000;
export const MAX_EXPORT_COLUMNS = 100;

const cell = z.union([z.string().max(32_767), z.number(), z.boolean(), z.null()]);

export const exportTableInput = z
  .object({
    title: z.string().trim().min(1).max(120).openapi({ description: 'Names the file and heads the readme' }),
    format: z.enum(['csv', 'xlsx']),
    columns: z
      .array(
        z.object({
          key: z.string().min(1).max(64),
          label: z.string().min(1).max(200),
          type: z.enum(['text', 'number', 'integer', 'percent', 'date']).default('text'),
        }),
      )
      .min(1)
      .max(MAX_EXPORT_COLUMNS),
    rows: z.array(z.record(z.string(), cell)).max(MAX_EXPORT_ROWS),
    /** Lines of the XLSX readme sheet (period, filters, how a figure is computed); ignored for CSV. */
    readme: z.array(z.string().max(2000)).max(100).optional(),
    delimiter: z.enum([',', ';']).default(','),
  })
  .superRefine((input, issue) => {
    const seen = new Set<string>();
    input.columns.forEach((c, i) => {
      if (seen.has(c.key))
        issue.addIssue({ code: 'custom', path: ['columns', i, 'key'], message: 'Repeated key' });
      seen.add(c.key);
    });
  })
  .openapi('ExportTable');

type ExportTable = z.output<typeof exportTableInput>;

/**
 * The table as the actor may export it. The client sends the rows, so the server cannot trust that they hold only
 * what the API gave an analyst: for analysts every text (cells, headers, title, readme) has its e-mail addresses,
 * phone numbers and card numbers masked. Names are not in what the API gives them (pseudonyms stand in).
 */
export function exportableBy(ctx: Ctx, input: ExportTable): ExportTable {
  if (seesPersonalData(ctx)) return input;
  const cell = (v: string | number | boolean | null) => (typeof v === 'string' ? maskPii(v) : v);
  return {
    ...input,
    title: maskPii(input.title),
    columns: input.columns.map((c) => ({ ...c, label: maskPii(c.label) })),
    rows: input.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cell(v)]))),
    readme: input.readme?.map(maskPii),
  };
}

/** 'Отчёт: NPS по филиалам' → a file name any system accepts, and its ASCII stand-in for old clients. */
export function fileNames(title: string, day: string, extension: string): { utf8: string; ascii: string } {
  const base = title
    .replace(/[\\/:*?"<>|]+/g, ' ')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100);
  const ascii = base
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    utf8: `${base || 'export'} ${day}.${extension}`,
    ascii: `${ascii || 'export'}-${day}.${extension}`,
  };
}

/** RFC 6266 with RFC 8187: `filename` for old clients, `filename*` in UTF-8 for the rest. */
export function contentDisposition(names: { utf8: string; ascii: string }): string {
  const encoded = encodeURIComponent(names.utf8).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${names.ascii}"; filename*=UTF-8''${encoded}`;
}

export const exportRoutes = newRouter().openapi(
  createRoute({
    method: 'post',
    path: '/exports/table',
    tags: ['exports'],
    summary:
      'A table as a file: CSV (UTF-8 with BOM) or XLSX (typed cells, a readme sheet); text starting with = + - @ is written as text, never as a formula',
    request: { body: { required: true, ...json(exportTableInput) } },
    responses: {
      200: {
        description: 'The file, with a Content-Disposition file name',
        content: {
          'text/csv': { schema: z.string() },
          [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
        },
      },
      413: { description: 'Larger than the API accepts' },
      ...problemResponses,
    },
  }),
  async (c) => {
    const ctx = c.var.ctx;
    const input = exportableBy(ctx, c.req.valid('json'));
    // Exported tables may hold personal data: who took one goes to the access log (columns, never cells).
    await logAccess(ctx, 'export.table', null, {
      format: input.format,
      rows: input.rows.length,
      columns: input.columns.map((col) => col.key),
    });
    const org = await getOrg(ctx);
    const now = ctx.clock();
    const day = localDay(now, org.timeZone);
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    if (input.format === 'csv') {
      const names = fileNames(input.title, day, 'csv');
      return c.body(toCsv(input.columns, input.rows, { delimiter: input.delimiter }), 200, {
        ...headers,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition(names),
      });
    }
    const locale = c.var.principal?.locale ?? org.locale;
    const stamp = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ru-RU', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: org.timeZone,
    }).format(now);
    const file = await toXlsx([{ name: input.title, columns: input.columns, rows: input.rows }], {
      created: now,
      readme: {
        name: locale === 'en' ? 'Readme' : 'О файле',
        lines: [input.title, `${org.name} · ${stamp} (${org.timeZone})`, '', ...(input.readme ?? [])],
      },
    });
    return c.body(new Uint8Array(file), 200, {
      ...headers,
      'content-type': XLSX_TYPE,
      'content-disposition': contentDisposition(fileNames(input.title, day, 'xlsx')),
    });
  },
);
