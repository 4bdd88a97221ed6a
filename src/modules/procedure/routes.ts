// GET /loop/procedure.docx: the closed-loop procedure for three levels of management, as a Word document.
import { createRoute, z } from '@hono/zod-openapi';
import { newRouter, problemResponses } from '../kernel/index.js';
import { DOCX_TYPE, procedureDocument } from './service.js';

export const procedureRoutes = newRouter().openapi(
  createRoute({
    method: 'get',
    path: '/loop/procedure.docx',
    tags: ['loop'],
    summary:
      'The closed-loop procedure for three levels of management (front line, middle managers, top management) as a Word document, generated from the org’s playbook, people and deadlines',
    request: { query: z.object({ lang: z.enum(['ru', 'en']).optional() }) },
    responses: {
      200: {
        description: 'The .docx file',
        content: { [DOCX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...problemResponses,
    },
  }),
  async (c) => {
    const file = await procedureDocument(c.var.ctx, c.req.valid('query').lang);
    return c.body(new Uint8Array(file.body), 200, {
      'content-type': DOCX_TYPE,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'content-language': file.locale,
    });
  },
);
