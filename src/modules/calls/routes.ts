// HTTP routes of the phone-interview console: the operator's queue, outcomes, and the supervisors' progress.
import { createRoute } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { getCall, nextCall, outcomeInput, recordOutcome, releaseCall } from './service.js';
import { callSettingsInput, getCallSettings, putCallSettings } from './settings.js';
import { callStats, statsQuery } from './stats.js';

export const callRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/calls/next',
      tags: ['calls'],
      summary:
        'Take the next customer to call (call hours in the customer’s time zone; due call-backs first, then the oldest). The task is held for you for 15 minutes; asking again while you hold one gives the same one.',
      responses: {
        200: { description: '`task` (null when no one is due now) and the state of the `queue`' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await nextCall(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/calls/stats',
      tags: ['calls'],
      summary:
        'Progress per operator (attempts, reached, answered, refused, average score, answers per hour), the queue, and the latest outcomes. Managers see their units; analysts see no names or phones.',
      request: { query: statsQuery },
      responses: { 200: { description: 'Statistics' }, ...problemResponses },
    }),
    async (c) => c.json(await callStats(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/calls/{id}',
      tags: ['calls'],
      summary: 'One call task with its customer card, history and script',
      request: { params: idParam },
      responses: {
        200: { description: 'The task' },
        404: { description: 'No such task' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getCall(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/calls/{id}/outcome',
      tags: ['calls'],
      summary:
        'Record what came of a call: answered (score 0–10 and reason, stored as an answer with channel phone), no_answer or busy (called again later, up to max attempts), refused, wrong_number, call_back (at callBackAt)',
      request: { params: idParam, body: { required: true, ...json(outcomeInput) } },
      responses: {
        200: { description: 'Recorded' },
        404: { description: 'No such task' },
        409: { description: 'Already finished, already answered, or held by another operator' },
        410: { description: 'The survey is closed or the invitation expired' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await recordOutcome(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/calls/{id}/release',
      tags: ['calls'],
      summary: 'Give a customer you hold back to the queue without calling',
      request: { params: idParam },
      responses: {
        204: { description: 'Released' },
        404: { description: 'No such task' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await releaseCall(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/settings/calls',
      tags: ['calls'],
      summary: 'Call hours (default 10:00–20:00, the customer’s local time)',
      responses: { 200: { description: 'The settings' }, ...problemResponses },
    }),
    async (c) => c.json(await getCallSettings(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/settings/calls',
      tags: ['calls'],
      summary: 'Set the call hours (owner, admin)',
      request: { body: { required: true, ...json(callSettingsInput) } },
      responses: { 200: { description: 'Saved' }, ...problemResponses },
    }),
    async (c) => c.json(await putCallSettings(c.var.ctx, c.req.valid('json')), 200),
  );
