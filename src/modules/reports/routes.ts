// HTTP routes of the report library (/reports: ask, list, read, download, CSV, delete) and of report schedules
// (/reports/schedules).
import { createRoute, z } from '@hono/zod-openapi';
import { localDay } from '../../domain/period.js';
import { contentDisposition, fileNames } from '../exports/index.js';
import { AppError, idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { AVAILABLE_KINDS } from './generators.js';
import {
  deleteReport,
  getReport,
  listReports,
  reportFile,
  reportInput,
  reportListQuery,
  reportView,
  requestReport,
} from './library.js';
import { kindNames } from './mail.js';
import {
  createSchedule,
  deleteSchedule,
  listSchedules,
  scheduleInput,
  scheduleView,
  updateSchedule,
} from './schedules.js';
import { workbookCsvs, workbookCsvZip } from './workbook.js';

const tags = ['reports'];
const missing = { 404: { description: 'No such report (or not yours to see)' } } as const;
const requestSchema = reportInput();
const scheduleSchema = scheduleInput();

const fileHeaders = (fileName: string, mime: string) => ({
  'content-type': mime,
  'content-disposition': contentDisposition({
    utf8: fileName,
    ascii:
      fileName
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/-+/g, '-')
        .replace(/^-|-$/g, '') || 'report',
  }),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

export const reportRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports/kinds',
      tags,
      summary: 'The kinds of report this server makes, with their names in Russian and English',
      responses: {
        200: {
          description: 'Kinds',
          ...json(
            z.object({
              items: z.array(
                z.object({ kind: z.string(), name: z.object({ ru: z.string(), en: z.string() }) }),
              ),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    (c) =>
      c.json(
        {
          items: AVAILABLE_KINDS.map((kind) => ({
            kind,
            name: { ru: kindNames.ru[kind], en: kindNames.en[kind] },
          })),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports/schedules',
      tags,
      summary: 'Report schedules (owners and admins)',
      responses: {
        200: { description: 'Schedules', ...json(z.object({ items: z.array(scheduleView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listSchedules(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/reports/schedules',
      tags,
      summary:
        'Make a report on a cadence for the period just ended and mail it to users, each in their own language',
      description:
        'Weekly, monthly or quarterly, on a day at a local hour; the report covers the week, month or quarter before. Each period is reported and mailed once (also across restarts). Recipients: owners, admins, and managers who see the schedule’s unit.',
      request: { body: { required: true, ...json(scheduleSchema) } },
      responses: { 201: { description: 'The schedule', ...json(scheduleView) }, ...problemResponses },
    }),
    async (c) => c.json(await createSchedule(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/reports/schedules/{id}',
      tags,
      summary: 'Replace a schedule',
      request: { params: idParam, body: { required: true, ...json(scheduleSchema) } },
      responses: {
        200: { description: 'The schedule', ...json(scheduleView) },
        404: { description: 'No such schedule' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateSchedule(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/reports/schedules/{id}',
      tags,
      summary: 'Delete a schedule (the reports it made stay in the library)',
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such schedule' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteSchedule(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/reports',
      tags,
      summary: 'Ask for a report: it is made on the job queue; follow its progress in the library',
      description:
        'Owners, admins and analysts may ask for any unit; managers for units of their subtree (name one). An analyst’s files are pseudonymised: no names, e-mails or phones; customers as stable codes; contact details inside reasons masked.',
      request: { body: { required: true, ...json(requestSchema) } },
      responses: { 202: { description: 'Queued', ...json(reportView) }, ...problemResponses },
    }),
    async (c) => c.json(await requestReport(c.var.ctx, c.req.valid('json')), 202),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports',
      tags,
      summary: 'The report library, newest first, with status and progress (owners and admins see all)',
      request: { query: reportListQuery },
      responses: {
        200: {
          description: 'Reports',
          ...json(z.object({ items: z.array(reportView), nextCursor: z.string().nullable() })),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await listReports(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports/{id}',
      tags,
      summary: 'One report’s status and progress',
      request: { params: idParam },
      responses: { 200: { description: 'The report', ...json(reportView) }, ...missing, ...problemResponses },
    }),
    async (c) => c.json(await getReport(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports/{id}/file',
      tags,
      summary: 'Download a finished report (PPTX, DOCX or XLSX)',
      request: { params: idParam },
      responses: {
        200: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        409: { description: 'Not finished yet' },
        ...missing,
        ...problemResponses,
      },
    }),
    async (c) => {
      const { report, body } = await reportFile(c.var.ctx, c.req.valid('param').id);
      return c.body(
        new Uint8Array(body),
        200,
        fileHeaders(report.fileName ?? 'report', report.mime ?? 'application/octet-stream'),
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/reports/{id}/csv',
      tags,
      summary:
        'A data workbook’s tables as CSV (UTF-8 with BOM, RFC 4180): every sheet in one ZIP, or one sheet by name',
      request: {
        params: idParam,
        query: z.object({
          sheet: z
            .string()
            .max(64)
            .optional()
            .openapi({ description: 'The sheet’s name; absent = a ZIP of all' }),
        }),
      },
      responses: {
        200: {
          description: 'CSV or ZIP',
          content: {
            'text/csv': { schema: z.string() },
            'application/zip': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        409: { description: 'Not finished yet' },
        ...missing,
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const { report, body } = await reportFile(ctx, c.req.valid('param').id);
      if (report.kind !== 'workbook-xlsx')
        throw new AppError('bad_request', 'Only a data workbook has tables to give as CSV', {
          errors: [{ path: 'id', message: 'A workbook report' }],
        });
      const day = localDay(ctx.clock(), (await getOrg(ctx)).timeZone);
      const base = (report.fileName ?? 'workbook').replace(/\.xlsx$/i, '');
      const sheet = c.req.valid('query').sheet;
      if (sheet === undefined) {
        const names = fileNames(base, day, 'zip');
        return c.body(new Uint8Array(await workbookCsvZip(body)), 200, {
          ...fileHeaders(names.utf8, 'application/zip'),
          'content-disposition': contentDisposition(names),
        });
      }
      const found = (await workbookCsvs(body)).find((s) => s.name.toLowerCase() === sheet.toLowerCase());
      if (!found)
        throw new AppError('bad_request', 'No sheet of that name in the workbook', {
          errors: [{ path: 'sheet', message: 'A sheet name of the workbook' }],
        });
      const names = fileNames(`${base} ${found.name}`, day, 'csv');
      return c.body(found.csv, 200, {
        ...fileHeaders(names.utf8, 'text/csv; charset=utf-8'),
        'content-disposition': contentDisposition(names),
      });
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/reports/{id}',
      tags,
      summary: 'Delete a report and its file',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...missing, ...problemResponses },
    }),
    async (c) => {
      await deleteReport(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
