// HTTP routes of the closed loop: the playbook, its check, and cases (list, today, detail, changes, notes, attempts).
import { createRoute } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses, seesPersonalData } from '../kernel/index.js';
import { logAccess } from '../privacy/index.js';
import { addAttempt, addNote, caseById, casesToday, listCases, patchCase } from './cases.js';
import { checkPlaybook, getPlaybook, putPlaybook } from './playbook.js';
import { resurveyCase } from './resurvey.js';
import {
  attemptInput,
  caseListQuery,
  casePatch,
  checkInput,
  noteInput,
  putPlaybookInput,
} from './schemas.js';

const notFoundCase = { 404: { description: 'No such case (or not yours to see)' } };

export const loopRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/playbook',
      tags: ['loop'],
      summary: 'The closed-loop playbook (the default one, version 0, until the organisation saves its own)',
      responses: { 200: { description: '{ playbook, version, updatedAt, isDefault }' }, ...problemResponses },
    }),
    async (c) => c.json(await getPlaybook(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/playbook',
      tags: ['loop'],
      summary:
        'Replace the playbook (owner, admin). Send the version you read: a stale one is refused with 409. Rules that can never match, unknown ids, a calendar without working time or absurd hours are refused with 422 naming each field.',
      request: { body: { required: true, ...json(putPlaybookInput) } },
      responses: {
        200: { description: 'Saved: the new version' },
        409: { description: 'Someone saved another version meanwhile' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await putPlaybook(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/playbook/check',
      tags: ['loop'],
      summary:
        'Try an answer on the playbook (the saved one, or `playbook` being edited): which rules match, who would own the case and when it would be due, who would be alerted, what the customer would get',
      request: { body: { required: true, ...json(checkInput) } },
      responses: { 200: { description: 'What would happen' }, ...problemResponses },
    }),
    async (c) => c.json(await checkPlaybook(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/cases',
      tags: ['loop'],
      summary:
        'Cases, newest first. Front-line users see the cases they own; managers their units’ subtrees; owners, admins and analysts all (analysts without names).',
      request: { query: caseListQuery },
      responses: { 200: { description: '{ items: CaseView[], nextCursor }' }, ...problemResponses },
    }),
    async (c) => c.json(await listCases(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/cases/today',
      tags: ['loop'],
      summary:
        'Your open cases to act on today (due today or overdue, or a call-back set for today), most urgent first, with the customer’s contact details',
      responses: { 200: { description: '{ items }' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await casesToday(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/cases/{id}',
      tags: ['loop'],
      summary:
        'One case with the customer’s contact details, the answer, the customer’s history and the timeline',
      request: { params: idParam },
      responses: { 200: { description: 'The case' }, ...notFoundCase, ...problemResponses },
    }),
    async (c) => {
      const found = await caseById(c.var.ctx, c.req.valid('param').id);
      // A case shows its customer's name and contacts (to all but analysts): the access log keeps who opened it.
      if (seesPersonalData(c.var.ctx)) await logAccess(c.var.ctx, 'case.view', found.id);
      return c.json(found, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/cases/{id}',
      tags: ['loop'],
      summary:
        'Change a case: status (new → in_progress → contacted → resolved | unresolved; a manager may reopen), owner (managers), root cause, action taken and its cost, outcome',
      request: { params: idParam, body: { required: true, ...json(casePatch) } },
      responses: {
        200: { description: 'The case' },
        409: { description: 'The status cannot move that way' },
        ...notFoundCase,
        ...problemResponses,
      },
    }),
    async (c) => c.json(await patchCase(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/notes',
      tags: ['loop'],
      summary: 'Add a note to a case',
      request: { params: idParam, body: { required: true, ...json(noteInput) } },
      responses: { 201: { description: 'The case with its timeline' }, ...notFoundCase, ...problemResponses },
    }),
    async (c) => c.json(await addNote(c.var.ctx, c.req.valid('param').id, c.req.valid('json').text), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/attempts',
      tags: ['loop'],
      summary:
        'Log an attempt to reach the customer (phone, e-mail, SMS, meeting): the first "reached" records the first contact and moves the case to contacted; "callback" sets when to call back',
      request: { params: idParam, body: { required: true, ...json(attemptInput) } },
      responses: {
        201: { description: 'The case with its timeline' },
        409: { description: 'The case is closed' },
        ...notFoundCase,
        ...problemResponses,
      },
    }),
    async (c) => c.json(await addAttempt(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/cases/{id}/resurvey',
      tags: ['loop'],
      summary:
        'Ask the customer again now ("did we put it right?"): an invitation to the same survey by e-mail or SMS (otherwise sent automatically resurveyAfterDays after resolution)',
      request: { params: idParam },
      responses: {
        201: { description: 'The case' },
        409: { description: 'Not resolved, already re-surveyed, or the customer cannot be reached' },
        ...notFoundCase,
        ...problemResponses,
      },
    }),
    async (c) => c.json(await resurveyCase(c.var.ctx, c.req.valid('param').id), 201),
  );
