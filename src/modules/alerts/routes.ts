// HTTP routes of alerts: the signed-in person's notifications (the bell) and notification preferences.
import { createRoute } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { listNotifications, markAllRead, markRead, notificationsQuery } from './notifications.js';
import { getMyPrefs, prefsInput, putMyPrefs } from './prefs.js';

const tags = ['notifications'];

export const alertRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/notifications',
      tags,
      summary: 'Your notifications, newest first (`unread=true` for unread only), with the unread count',
      request: { query: notificationsQuery },
      responses: { 200: { description: '`items`, `nextCursor`, `unread`' }, ...problemResponses },
    }),
    async (c) => c.json(await listNotifications(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/notifications/read-all',
      tags,
      summary: 'Mark all your notifications read',
      responses: { 200: { description: '`unread` (0) and how many were `marked`' }, ...problemResponses },
    }),
    async (c) => c.json(await markAllRead(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/notifications/{id}/read',
      tags,
      summary: 'Mark one notification read',
      request: { params: idParam },
      responses: {
        200: { description: '`unread` left' },
        404: { description: 'Not yours or unknown' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await markRead(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/me/notification-prefs',
      tags,
      summary: 'Your notification preferences, with the defaults that apply where you chose nothing',
      responses: { 200: { description: 'The preferences' }, ...problemResponses },
    }),
    async (c) => c.json(await getMyPrefs(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/me/notification-prefs',
      tags,
      summary:
        'Set your preferences: `muted` (the bell only), per event kind `{ email, dashboard }`, digests `{ daily, weekly, at: "HH:MM", weekday: 1–7, timeZone: IANA }`',
      request: { body: { required: true, ...json(prefsInput) } },
      responses: { 200: { description: 'The preferences' }, ...problemResponses },
    }),
    async (c) => c.json(await putMyPrefs(c.var.ctx, c.req.valid('json')), 200),
  );
