// HTTP routes of goals and the KPI matrix: /goals (list, create, read, edit, delete, actions), /goals/owner-candidates,
// /kpi/matrices (read, replace, reset per level) and /kpi/scores.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { getMatrices, kpiScoresOf, putMatrix, resetMatrix } from './kpi.js';
import {
  actionInput,
  candidatesQuery,
  goalDetail,
  goalInput,
  goalListQuery,
  goalPatch,
  goalView,
  kpiQuery,
  kpiScores,
  levelParam,
  matrixInput,
  matrixView,
} from './schemas.js';
import {
  addAction,
  createGoal,
  deleteAction,
  deleteGoal,
  getGoal,
  listGoals,
  ownerCandidates,
  updateGoal,
} from './service.js';

const tags = ['goals'];
const conflict = { 409: { description: 'Changed by someone else since you read it' } } as const;
const notFound = { 404: { description: 'No such goal in your part of the organisation' } } as const;

export const goalRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/goals',
      tags,
      summary:
        'Goals you may see, each with its status (on track / at risk / off track) and the checkpoint in progress',
      description:
        'Status rule: the actual value at a checkpoint against the checkpoint’s target, with the value’s 95% interval — off track when the target lies beyond the interval, at risk when inside it but not met, on track when met; fewer than 10 answers (or cases, or invitations): not_enough_data. A goal’s status is that of the last checkpoint ended that could be judged (else the one in progress, so far).',
      request: { query: goalListQuery },
      responses: {
        200: { description: 'The goals', ...json(z.object({ items: z.array(goalView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listGoals(c.var.ctx, c.req.valid('query')) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/goals',
      tags,
      summary:
        'Set a goal for a period, with checkpoints (targets interpolated from the baseline) and owners',
      description:
        'Owners and admins set goals for the company or any unit; managers for units of their subtree. Refused field by field: a target off the indicator’s scale (NPS −100…100, shares 0…100), a custom period that ends before it starts, a checkpoint outside the period.',
      request: { body: { content: { 'application/json': { schema: goalInput } }, required: true } },
      responses: { 201: { description: 'The goal', ...json(goalDetail) }, ...problemResponses },
    }),
    async (c) => c.json(await createGoal(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/goals/owner-candidates',
      tags,
      summary:
        'Who may own a goal of a unit: its front line and managers (whose units cover it) and top management',
      request: { query: candidatesQuery },
      responses: {
        200: {
          description: 'People',
          ...json(
            z.object({
              items: z.array(
                z.object({
                  userId: z.uuid(),
                  name: z.string().nullable(),
                  role: z.string(),
                  level: z.enum(['frontline', 'middle', 'top']),
                }),
              ),
            }),
          ),
        },
        ...problemResponses,
      },
    }),
    async (c) =>
      c.json({ items: await ownerCandidates(c.var.ctx, c.req.valid('query').unitId ?? null) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/goals/{id}',
      tags,
      summary: 'A goal with the actual value and status at every checkpoint and the effect of its actions',
      request: { params: idParam },
      responses: { 200: { description: 'The goal', ...json(goalDetail) }, ...notFound, ...problemResponses },
    }),
    async (c) => c.json(await getGoal(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/goals/{id}',
      tags,
      summary: 'Change a goal (send the version you read); targets set by hand on checkpoints are kept',
      request: {
        params: idParam,
        body: { content: { 'application/json': { schema: goalPatch } }, required: true },
      },
      responses: {
        200: { description: 'The goal', ...json(goalDetail) },
        ...notFound,
        ...conflict,
        ...problemResponses,
      },
    }),
    async (c) => c.json(await updateGoal(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/goals/{id}',
      tags,
      summary: 'Delete a goal with its checkpoints and actions',
      request: { params: idParam },
      responses: { 204: { description: 'Deleted' }, ...notFound, ...problemResponses },
    }),
    async (c) => {
      await deleteGoal(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/goals/{id}/actions',
      tags,
      summary:
        'Record an action planned for a goal (what, when, where); its effect is read from the answers around it',
      request: {
        params: idParam,
        body: { content: { 'application/json': { schema: actionInput } }, required: true },
      },
      responses: { 201: { description: 'The goal', ...json(goalDetail) }, ...notFound, ...problemResponses },
    }),
    async (c) => c.json(await addAction(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/goals/{id}/actions/{actionId}',
      tags,
      summary: 'Remove an action from a goal',
      request: { params: idParam.extend({ actionId: z.uuid() }) },
      responses: { 204: { description: 'Removed' }, ...notFound, ...problemResponses },
    }),
    async (c) => {
      const { id, actionId } = c.req.valid('param');
      await deleteAction(c.var.ctx, id, actionId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/kpi/matrices',
      tags,
      summary: 'The KPI matrix of each management level: indicators, weights (summing to 100%) and targets',
      responses: {
        200: { description: 'Three matrices', ...json(z.object({ items: z.array(matrixView) })) },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await getMatrices(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/kpi/matrices/{level}',
      tags,
      summary: 'Replace a level’s KPI matrix (owners and admins); weights must sum to 100%',
      request: {
        params: levelParam,
        body: { content: { 'application/json': { schema: matrixInput } }, required: true },
      },
      responses: {
        200: { description: 'The matrix', ...json(matrixView) },
        ...conflict,
        ...problemResponses,
      },
    }),
    async (c) => c.json(await putMatrix(c.var.ctx, c.req.valid('param').level, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/kpi/matrices/{level}',
      tags,
      summary: 'Go back to the default matrix of a level',
      request: { params: levelParam },
      responses: { 200: { description: 'The default matrix', ...json(matrixView) }, ...problemResponses },
    }),
    async (c) => c.json(await resetMatrix(c.var.ctx, c.req.valid('param').level), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/kpi/scores',
      tags,
      summary: 'Each person’s KPIs against their level’s matrix: actual, target, status, weighted score',
      description:
        'Score = 100·Σ weight·points / Σ weight over the KPIs with enough data (on track 1, at risk ½, off track 0); ≥ 80 on track, ≥ 50 at risk, else off track; no score when the KPIs with data weigh under 50%. Front-line users are judged on their units’ answers and the cases they own, managers on their units, owners and admins on the organisation. Default period: the last 90 days.',
      request: { query: kpiQuery },
      responses: { 200: { description: 'Scores per level', ...json(kpiScores) }, ...problemResponses },
    }),
    async (c) => c.json(await kpiScoresOf(c.var.ctx, c.req.valid('query')), 200),
  );
