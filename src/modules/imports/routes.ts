// HTTP routes of imports: upload + dry run or start, progress, bad lines, resume/rollback, mappings, and the contacts webhook.

import { existsSync } from 'node:fs';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  type ApiEnv,
  AppError,
  type Ctx,
  idParam,
  json,
  newRouter,
  problemResponses,
} from '../kernel/index.js';
import { claimDelivery, receiveContacts, releaseDelivery, rotateHookSecret, verifyHook } from './hooks.js';
import {
  createImport,
  deleteMapping,
  dryRun,
  errorsQuery,
  getImport,
  type ImportSource,
  importKind,
  importOptionsInput,
  listImportErrors,
  listImports,
  listMappings,
  mappingInput,
  mappingSchema,
  pauseImport,
  resumeImport,
  rollbackImport,
  runImport,
  saveMapping,
  updateMapping,
} from './service.js';
import { storeUpload, uploadPath } from './upload.js';

/** Runs an import in the background of the server: the request answers at once, progress is polled. */
function inBackground(ctx: Ctx, run: () => Promise<unknown>) {
  setImmediate(() => {
    run().catch((error: unknown) => ctx.log.error({ err: error }, 'background import failed'));
  });
}

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const uploadQuery = z.object({
  kind: importKind.default('contacts'),
  dryRun: flag,
  fileName: z.string().max(300).optional(),
  mapping: z.string().max(100).optional().describe('The name or id of a saved mapping'),
  createUnits: flag,
  createEmployees: flag,
  encoding: z.string().max(40).optional(),
  delimiter: z.enum([',', ';', 'tab', '|']).optional(),
  sheet: z.string().max(100).optional(),
});

const startBody = z.object({
  uploadId: z.uuid(),
  kind: importKind,
  fileName: z.string().max(300).default('upload'),
  dryRun: z.boolean().default(false),
  mapping: mappingSchema.optional(),
  mappingName: z.string().max(100).optional(),
  options: importOptionsInput.optional(),
});

async function handleImport(c: Context<ApiEnv>) {
  const ctx = c.var.ctx;
  const deps = c.var.deps;
  let source: ImportSource;
  let uploadId: string;
  let sha256: string | undefined;
  let wantsDryRun: boolean;
  if (/application\/json/i.test(c.req.header('content-type') ?? '')) {
    const text = await c.req.text();
    if (text.length > 1024 * 1024) throw new AppError('payload_too_large', 'The JSON body is too large');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError('invalid_input', 'The body is not JSON');
    }
    const parsed = startBody.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('invalid_input', 'Invalid body', {
        errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
      });
    }
    const b = parsed.data;
    uploadId = b.uploadId;
    const path = uploadPath(deps.dataDir, ctx.orgId, b.uploadId);
    if (!existsSync(path)) throw new AppError('gone', 'This upload is no longer kept: upload the file again');
    source = {
      kind: b.kind,
      path,
      fileName: b.fileName,
      mapping: b.mapping,
      mappingName: b.mappingName,
      options: b.options,
    };
    wantsDryRun = b.dryRun;
  } else {
    const q = uploadQuery.safeParse(c.req.query());
    if (!q.success) {
      throw new AppError('invalid_input', 'Invalid query', {
        errors: q.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    const length = Number(c.req.header('content-length'));
    const stored = await storeUpload(c.req.raw.body, {
      dataDir: deps.dataDir,
      orgId: ctx.orgId,
      contentType: c.req.header('content-type'),
      contentLength: Number.isFinite(length) ? length : undefined,
    });
    uploadId = stored.uploadId;
    sha256 = stored.sha256;
    const o = q.data;
    source = {
      kind: o.kind,
      path: stored.path,
      fileName: stored.fileName ?? o.fileName ?? 'upload',
      mappingName: o.mapping,
      options: {
        createUnits: o.createUnits,
        createEmployees: o.createEmployees,
        encoding: o.encoding,
        delimiter: o.delimiter === 'tab' ? '\t' : o.delimiter,
        sheet: o.sheet,
      },
    };
    wantsDryRun = o.dryRun;
  }
  if (wantsDryRun) return c.json({ uploadId, ...(await dryRun(ctx, source)) }, 200);
  const job = await createImport(ctx, source, { sha256 });
  inBackground(ctx, () => runImport(ctx, job.id));
  return c.json(job, 202);
}

const importView = z
  .object({
    id: z.uuid(),
    kind: importKind,
    fileName: z.string(),
    fileBytes: z.number(),
    format: z.enum(['csv', 'xlsx']),
    mapping: z.record(z.string(), z.string()),
    options: z.record(z.string(), z.unknown()),
    status: z.enum(['running', 'paused', 'completed', 'failed', 'rolled_back', 'interrupted']),
    rowsRead: z.number(),
    rowsOk: z.number(),
    rowsBad: z.number(),
    rowsCreated: z.number(),
    bytesRead: z.number(),
    progress: z.number(),
    checkpointLine: z.number(),
    lastError: z.string().nullable(),
    canResume: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Import');

const mappingView = z
  .object({
    id: z.uuid(),
    kind: importKind,
    name: z.string(),
    mapping: z.record(z.string(), z.string()),
    createdAt: z.string(),
  })
  .openapi('ImportMapping');

export const importRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/imports',
      tags: ['imports'],
      summary: 'Imports, newest first, with their status (a crashed one shows as interrupted)',
      responses: {
        200: { description: 'Imports', ...json(z.object({ items: z.array(importView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listImports(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/imports/{id}',
      tags: ['imports'],
      summary: 'One import and its progress (poll it while it runs)',
      request: { params: idParam },
      responses: {
        200: { description: 'The import', ...json(importView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getImport(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/imports/{id}/errors',
      tags: ['imports'],
      summary: 'The lines of an import with problems, in file order (bad ones and ones kept with a warning)',
      request: { params: idParam, query: errorsQuery },
      responses: {
        200: {
          description: 'A page of lines',
          ...json(
            z.object({
              items: z.array(
                z.object({
                  line: z.number(),
                  bad: z.boolean(),
                  errors: z.array(
                    z.object({ field: z.string(), message: z.string(), level: z.string().optional() }),
                  ),
                  raw: z.string().nullable(),
                }),
              ),
              nextAfterLine: z.number().nullable(),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json(await listImportErrors(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/imports/{id}/resume',
      tags: ['imports'],
      summary: 'Resume an interrupted, paused or failed import after its last committed batch',
      request: { params: idParam },
      responses: {
        202: { description: 'Resuming', ...json(importView) },
        409: { description: 'Still running' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const ctx = c.var.ctx;
      const id = c.req.valid('param').id;
      const job = await getImport(ctx, id);
      if (job.status === 'running') throw new AppError('conflict', 'This import is still running');
      if (!job.canResume) throw new AppError('conflict', `This import cannot be resumed (${job.status})`);
      inBackground(ctx, () => resumeImport(ctx, id));
      return c.json({ ...job, status: 'running' as const }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/imports/{id}/pause',
      tags: ['imports'],
      summary: 'Pause a running import after its current batch',
      request: { params: idParam },
      responses: { 202: { description: 'Pausing', ...json(importView) }, ...problemResponses },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const job = await getImport(c.var.ctx, id);
      if (!pauseImport(id)) throw new AppError('conflict', 'This import is not running in this server');
      return c.json(job, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/imports/{id}/rollback',
      tags: ['imports'],
      summary: 'Delete the customers and contacts this import created (rows it only updated stay)',
      request: { params: idParam },
      responses: {
        200: {
          description: 'Rolled back',
          ...json(
            z.object({
              import: importView,
              contactsDeleted: z.number(),
              customersDeleted: z.number(),
              contactsKept: z.number(),
              customersKept: z.number(),
              note: z.string(),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await rollbackImport(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/import-mappings',
      tags: ['imports'],
      summary: 'Saved column mappings',
      responses: {
        200: { description: 'Mappings', ...json(z.object({ items: z.array(mappingView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listMappings(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/import-mappings',
      tags: ['imports'],
      summary: 'Save a column mapping under a name (replaces one of the same kind and name)',
      request: { body: { required: true, ...json(mappingInput) } },
      responses: { 201: { description: 'Saved', ...json(mappingView) }, ...problemResponses },
    }),
    async (c) => c.json(await saveMapping(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/import-mappings/{id}',
      tags: ['imports'],
      request: { params: idParam, body: { required: true, ...json(mappingInput) } },
      responses: { 200: { description: 'Saved', ...json(mappingView) }, ...problemResponses },
    }),
    async (c) => c.json(await updateMapping(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/import-mappings/{id}',
      tags: ['imports'],
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...problemResponses },
    }),
    async (c) => {
      await deleteMapping(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/hooks/secret',
      tags: ['imports'],
      summary: 'Create or rotate the secret that signs the contacts webhook (shown once)',
      responses: {
        200: {
          description: 'The new secret and where to send contacts',
          ...json(z.object({ secret: z.string(), url: z.string(), headers: z.array(z.string()) })),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { secret } = await rotateHookSecret(c.var.ctx);
      return c.json(
        {
          secret,
          url: `${c.var.deps.publicUrl}/api/v1/hooks/contacts/${c.var.ctx.orgId}`,
          headers: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
        },
        200,
      );
    },
  );

// The upload takes a raw body or multipart/form-data streamed to disk, so it is a plain route (a validated body
// would be buffered) documented by hand.
importRoutes.post('/imports', handleImport);
importRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/imports',
  tags: ['imports'],
  summary:
    'Upload a CSV or XLSX file (raw body with ?fileName=, or multipart/form-data) and dry-run it (?dryRun=true) or start it; or start a dry-run upload by JSON { uploadId, kind, mapping }',
  request: {
    query: uploadQuery,
    body: {
      content: {
        'text/csv': { schema: z.string() },
        'application/octet-stream': { schema: z.string() },
        'application/json': { schema: startBody },
      },
    },
  },
  responses: {
    200: { description: 'Dry run: the file as read, the mapping, a preview and every problem by line' },
    202: { description: 'Started in the background: poll GET /imports/{id}', ...json(importView) },
    413: { description: 'Larger than 2 GB' },
    415: { description: 'Not a CSV or XLSX file' },
    ...problemResponses,
  },
});

/**
 * The webhook itself: no API key (the app skips auth under /api/v1/hooks/contacts/); the signature is the
 * credential. One contact or `{ items: [...] }`.
 */
export const hookRoutes = newRouter().post('/hooks/contacts/:orgId', async (c) => {
  const orgId = c.req.param('orgId');
  if (!z.uuid().safeParse(orgId).success)
    throw new AppError('unauthorized', 'Webhook refused: unknown organisation');
  const deps = c.var.deps;
  const ctx: Ctx = {
    db: deps.db,
    orgId,
    actor: { kind: 'system' },
    clock: deps.clock,
    log: deps.log,
    vault: deps.vault,
  };
  const body = await c.req.text();
  const webhookId = c.req.header('webhook-id') ?? '';
  await verifyHook(
    ctx,
    {
      id: webhookId,
      timestamp: c.req.header('webhook-timestamp'),
      signature: c.req.header('webhook-signature'),
    },
    body,
  );
  await claimDelivery(ctx, webhookId);
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new AppError('invalid_input', 'The body is not JSON');
    }
    return c.json(await receiveContacts(ctx, parsed), 200);
  } catch (error) {
    await releaseDelivery(ctx, webhookId);
    throw error;
  }
});
