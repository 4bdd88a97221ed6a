// zod schemas of the goals API: what a goal, an action and a KPI matrix are made of, and what the API answers.
import { z } from '@hono/zod-openapi';
import { GOAL_METRICS } from '../../domain/goals.js';

const day = z.iso.date();
export const goalMetric = z.enum(GOAL_METRICS).openapi({
  description:
    'nps (points, −100…100); detractorShare, responseRate, contactedWithin48h, resolutionRate (percent, 0…100)',
});
const level = z.enum(['frontline', 'middle', 'top']);
/** A finite number: JSON has no NaN or Infinity, but a CLI caller could pass them. */
const value = z.number().finite();

export const checkpointInput = z.object({
  day,
  target: value
    .nullable()
    .optional()
    .openapi({ description: 'A target set by hand; null or absent = interpolated' }),
});

/** A goal's fields as sent; defaults are added by `goalInput` only, so that a PATCH leaves out what it does not send. */
const goalFields = {
  name: z.string().trim().min(1).max(200),
  unitId: z
    .uuid()
    .nullable()
    .openapi({ description: 'The unit whose subtree; null = the company (default)' }),
  metric: goalMetric,
  period: z.object({
    kind: z.enum(['quarter', 'half', 'year', 'custom']),
    from: day.openapi({
      description: 'Custom: the first day; otherwise any day of the quarter, half-year or year',
    }),
    to: day.optional().openapi({ description: 'Custom only: the last day, included' }),
  }),
  cadence: z.enum(['month', 'quarter', 'custom']).openapi({ description: 'Default month' }),
  checkpoints: z.array(checkpointInput).max(120).optional().openapi({
    description:
      'Custom cadence: the checkpoint days. Month or quarter cadence: targets set by hand on some of the generated days',
  }),
  measure: z.enum(['window', 'cumulative']).openapi({
    description:
      'Each checkpoint over the days since the previous one (window, default) or since the period began',
  }),
  baseline: value.nullable().optional().openapi({
    description: 'Where the period starts from; absent = measured over the period before; null = none',
  }),
  target: value,
  targetSource: z.enum(['entered', 'proposed']),
  targetNote: z.string().max(2000).nullable().optional(),
  ownerIds: z.array(z.uuid()).max(50),
};

export const goalInput = z.object({
  ...goalFields,
  unitId: goalFields.unitId.default(null),
  cadence: goalFields.cadence.default('month'),
  measure: goalFields.measure.default('window'),
  targetSource: goalFields.targetSource.default('entered'),
  ownerIds: goalFields.ownerIds.default([]),
});
export type GoalInput = z.input<typeof goalInput>;

export const goalPatch = z
  .object(goalFields)
  .partial()
  .extend({
    version: z
      .number()
      .int()
      .min(1)
      .openapi({ description: 'The version you read; a newer one is refused (409)' }),
  });
export type GoalPatch = z.input<typeof goalPatch>;

export const actionInput = z.object({
  title: z.string().trim().min(1).max(500),
  day,
  unitId: z.uuid().nullable().default(null).openapi({ description: 'null = the goal’s own unit' }),
  windowDays: z.number().int().min(7).max(180).default(30),
});
export type ActionInput = z.input<typeof actionInput>;

export const kpiItem = z.object({
  metric: goalMetric,
  weight: z
    .number()
    .finite()
    .gt(0)
    .max(100)
    .openapi({ description: 'Percent; the weights of a matrix sum to 100' }),
  target: value,
});
export const matrixInput = z.object({
  items: z.array(kpiItem).min(1).max(5),
  version: z
    .number()
    .int()
    .min(0)
    .optional()
    .openapi({ description: 'The version you read (0 = the default)' }),
});
export const levelParam = z.object({ level });

export const kpiQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    days: z.coerce.number().int().min(1).max(1096).optional(),
    level: level.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['from'], message: 'Must not be after to' });

export const goalListQuery = z.object({
  unitId: z.uuid().optional(),
  active: z.enum(['true', 'false']).optional().openapi({ description: 'true = periods that include today' }),
});

export const candidatesQuery = z.object({ unitId: z.uuid().optional() });

// Answers.
const measurement = z
  .object({
    value: z.number().nullable().openapi({ description: 'null when there is nothing to measure' }),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
    n: z.number().int(),
    smallSample: z.boolean(),
  })
  .openapi('GoalMeasurement');
const status = z.enum(['on_track', 'at_risk', 'off_track', 'not_enough_data']);

export const checkpointView = z.object({
  day,
  target: z.number(),
  edited: z.boolean(),
  window: z.object({ from: day, to: day }),
  actual: measurement.nullable(),
  status: z.enum(['on_track', 'at_risk', 'off_track', 'not_enough_data', 'upcoming']),
  partial: z.boolean().openapi({ description: 'The window has not ended yet: the figure so far' }),
});

export const actionView = z
  .object({
    id: z.uuid(),
    title: z.string(),
    day,
    unitId: z.uuid().nullable(),
    unitName: z.string().nullable(),
    windowDays: z.number().int(),
    before: z.object({ from: day, to: day, nps: measurement, detractorShare: measurement }),
    after: z.object({ from: day, to: day, nps: measurement, detractorShare: measurement }).nullable(),
    complete: z.boolean(),
    change: z
      .object({
        diff: z.number(),
        pValue: z.number(),
        significant: z.boolean(),
        direction: z.enum(['up', 'down', 'flat']),
      })
      .nullable()
      .openapi({
        description: 'NPS after − before, two-sample z-test (nps-change.ts); null with too few answers',
      }),
  })
  .openapi('GoalAction');

export const goalView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    unitId: z.uuid().nullable(),
    unitName: z.string().nullable(),
    metric: goalMetric,
    period: z.object({ kind: z.enum(['quarter', 'half', 'year', 'custom']), from: day, to: day }),
    cadence: z.enum(['month', 'quarter', 'custom']),
    measure: z.enum(['window', 'cumulative']),
    baseline: z.number().nullable(),
    baselineSource: z.enum(['entered', 'measured', 'none']),
    target: z.number(),
    targetSource: z.enum(['entered', 'proposed']),
    targetNote: z.string().nullable(),
    version: z.number().int(),
    owners: z.array(z.object({ userId: z.uuid(), name: z.string().nullable(), role: z.string() })),
    status: z.enum(['on_track', 'at_risk', 'off_track', 'not_enough_data', 'upcoming']).openapi({
      description: 'upcoming: the period has not begun',
    }),
    statusDay: day.nullable(),
    current: checkpointView
      .nullable()
      .openapi({ description: 'The checkpoint in progress, or the last one once the period is over' }),
    judged: checkpointView.nullable().openapi({ description: 'The checkpoint the status was judged at' }),
    canEdit: z.boolean(),
  })
  .openapi('Goal');

export const goalDetail = goalView
  .extend({ checkpoints: z.array(checkpointView), actions: z.array(actionView) })
  .openapi('GoalDetail');

export const matrixView = z
  .object({
    level,
    items: z.array(kpiItem),
    version: z.number().int(),
    isDefault: z.boolean(),
  })
  .openapi('KpiMatrix');

export const kpiScores = z
  .object({
    from: day,
    to: day,
    levels: z.array(
      z.object({
        level,
        matrix: matrixView,
        rows: z.array(
          z.object({
            userId: z.uuid(),
            name: z.string().nullable(),
            role: z.string(),
            units: z.array(z.string()),
            kpis: z.array(
              z.object({
                metric: goalMetric,
                weight: z.number(),
                target: z.number(),
                actual: measurement,
                status,
              }),
            ),
            score: z.number().nullable(),
            judgedWeight: z.number(),
            status,
          }),
        ),
      }),
    ),
  })
  .openapi('KpiScores');
