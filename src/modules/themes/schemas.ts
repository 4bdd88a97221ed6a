// The zod schemas of the themes API, shared by the routes (and so the OpenAPI document) and the service.
import { z } from '@hono/zod-openapi';

const keyword = z.string().trim().min(1, 'An empty keyword').max(80, 'At most 80 characters');

export const themeInput = z.object({
  id: z.uuid().optional().openapi({ description: 'Absent for a new theme' }),
  name: z.object({
    ru: z.string().trim().min(1, 'A name in Russian').max(80, 'At most 80 characters'),
    en: z.string().trim().min(1, 'A name in English').max(80, 'At most 80 characters'),
  }),
  keywords: z
    .array(keyword)
    .min(1, 'At least one keyword or phrase')
    .max(400, 'At most 400 keywords')
    .openapi({ description: 'Words and phrases in any form; matched by Snowball stems' }),
  enabled: z.boolean().default(true),
});

export const taxonomyInput = z
  .object({
    version: z.number().int().min(1).openapi({ description: 'The version you read (GET /themes/taxonomy)' }),
    themes: z.array(themeInput).max(100, 'At most 100 themes'),
  })
  .superRefine((t, ctx) => {
    const names = new Map<string, number>();
    t.themes.forEach((theme, i) => {
      const name = theme.name.en.toLowerCase();
      if (names.has(name))
        ctx.addIssue({
          code: 'custom',
          path: ['themes', i, 'name', 'en'],
          message: 'Another theme has this name',
        });
      names.set(name, i);
    });
  });
export type TaxonomyInput = z.output<typeof taxonomyInput>;

export const previewInput = z.object({ themes: z.array(themeInput).max(100, 'At most 100 themes') });
export type PreviewInput = z.output<typeof previewInput>;

const day = z.iso.date();

export const themesQuery = z.object({
  audience: z.enum(['customer', 'employee']).default('customer'),
  from: day.optional(),
  to: day.optional(),
  unitId: z.uuid().optional(),
  employeeId: z.uuid().optional(),
});
export type ThemesQuery = z.output<typeof themesQuery>;

export const verbatimQuery = themesQuery.extend({
  scoreMin: z.coerce.number().int().min(0).max(10).optional(),
  scoreMax: z.coerce.number().int().min(0).max(10).optional(),
  channel: z.enum(['link', 'email', 'sms', 'widget', 'phone']).optional(),
  polarity: z.enum(['complaint', 'praise', 'wish']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type VerbatimQuery = z.output<typeof verbatimQuery>;

export const summaryQuery = themesQuery.extend({ lang: z.enum(['ru', 'en']).optional() });
export type SummaryQuery = z.output<typeof summaryQuery>;
