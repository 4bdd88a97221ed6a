// HTTP routes of survey distribution: contact policy, triggers and reminders, campaigns, response rates.
import { createRoute, z } from '@hono/zod-openapi';
import { idParam, json, newRouter, problemResponses } from '../kernel/index.js';
import { getCampaign, listCampaigns, previewCampaign, startCampaign } from './campaigns.js';
import { responseRates } from './rates.js';
import { campaignInput, contactPolicyInput, distributionInput, responseRateQuery } from './schemas.js';
import { getContactPolicy, getDistribution, setContactPolicy, setDistribution } from './service.js';

const channel = z.enum(['email', 'sms', 'phone']);
const distributionView = z
  .object({
    surveyId: z.uuid(),
    kind: z.enum(['relationship', 'transactional']),
    trigger: z
      .object({
        delayMinutes: z.number(),
        channels: z.array(channel),
        unitIds: z.array(z.uuid()).nullable(),
        maxAgeHours: z.number(),
      })
      .nullable(),
    reminder: z.object({ afterDays: z.number() }).nullable(),
  })
  .openapi('SurveyDistributionView');

const exclusionCounts = z.object({
  opted_out: z.number(),
  asked_recently: z.number(),
  suppressed: z.number(),
  no_channel: z.number(),
});
const channelCounts = z.object({ email: z.number(), sms: z.number(), phone: z.number() });
const planView = z
  .object({
    seed: z.string().openapi({ description: 'Send it back with the real run to invite the same customers' }),
    sendAt: z.string().nullable(),
    base: z.number().openapi({ description: 'Customers the audience filter names' }),
    eligible: z.number().openapi({ description: 'Of those, the ones that may be asked' }),
    selected: z.number().openapi({ description: 'Of those, the ones the sample picks' }),
    excluded: exclusionCounts,
    byChannel: channelCounts,
    selectionDigest: z
      .string()
      .openapi({ description: 'Fingerprint of who is selected (same in preview and run)' }),
  })
  .openapi('CampaignPlan');
const campaignView = z
  .object({
    id: z.uuid(),
    surveyId: z.uuid(),
    name: z.string(),
    status: z.enum(['scheduled', 'running', 'done', 'failed']),
    audience: z.object({
      unitIds: z.array(z.uuid()).optional(),
      activeWithinDays: z.number().optional(),
      minVisits: z.number().optional(),
    }),
    sample: z.object({
      size: z.number().nullable(),
      share: z.number().nullable(),
      seed: z.string(),
      stratifyByUnit: z.boolean(),
    }),
    channels: z.array(channel),
    sendAt: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    counts: z
      .object({
        base: z.number(),
        eligible: z.number(),
        selected: z.number(),
        excluded: z.record(z.string(), z.number()),
        byChannel: z.record(z.string(), z.number()),
        selectionDigest: z.string().optional(),
        created: z.number(),
      })
      .nullable(),
    invited: z.number(),
    sent: z.number(),
    answered: z.number(),
  })
  .openapi('Campaign');
const rateRow = z
  .object({
    key: z.string(),
    label: z.string(),
    invited: z.number(),
    sent: z.number(),
    answered: z.number(),
    rate: z.number().nullable().openapi({ description: 'answered / sent, 0–1' }),
    ci95: z
      .tuple([z.number(), z.number()])
      .nullable()
      .openapi({ description: 'Wilson score interval (95%) of the rate' }),
  })
  .openapi('ResponseRate');

const campaignParams = z.object({ id: z.uuid(), campaignId: z.uuid() });

export const distributionRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/settings/contact-policy',
      tags: ['distribution'],
      summary: 'How often one customer may be asked',
      responses: { 200: { description: 'The policy', ...json(contactPolicyInput) }, ...problemResponses },
    }),
    async (c) => c.json(await getContactPolicy(c.var.ctx), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/settings/contact-policy',
      tags: ['distribution'],
      summary: 'Set how often one customer may be asked (owner, admin)',
      request: { body: { required: true, ...json(contactPolicyInput) } },
      responses: { 200: { description: 'Saved', ...json(contactPolicyInput) }, ...problemResponses },
    }),
    async (c) => c.json(await setContactPolicy(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/distribution',
      tags: ['distribution'],
      summary: 'The survey’s trigger (after each contact) and reminder',
      request: { params: idParam },
      responses: {
        200: { description: 'The settings', ...json(distributionView) },
        404: { description: 'No such survey' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await getDistribution(c.var.ctx, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/surveys/{id}/distribution',
      tags: ['distribution'],
      summary: 'Replace the survey’s trigger and reminder (null or absent = off)',
      request: { params: idParam, body: { required: true, ...json(distributionInput) } },
      responses: {
        200: { description: 'Saved', ...json(distributionView) },
        404: { description: 'No such survey' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await setDistribution(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/surveys/{id}/campaigns',
      tags: ['distribution'],
      summary: 'Preview (dryRun) or start a relationship campaign to a base or a sample of it',
      request: { params: idParam, body: { required: true, ...json(campaignInput) } },
      responses: {
        200: { description: 'Dry run: who would be invited, and who not and why', ...json(planView) },
        201: {
          description: 'Started (or scheduled)',
          ...json(z.object({ campaign: campaignView, plan: planView })),
        },
        404: { description: 'No such survey' },
        409: { description: 'Survey closed' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      const body = c.req.valid('json');
      if (body.dryRun) return c.json(await previewCampaign(c.var.ctx, id, body), 200);
      return c.json(await startCampaign(c.var.ctx, id, body), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/campaigns',
      tags: ['distribution'],
      summary: 'The survey’s campaigns, newest first, with their counts',
      request: { params: idParam },
      responses: {
        200: { description: 'Campaigns', ...json(z.object({ items: z.array(campaignView) })) },
        404: { description: 'No such survey' },
        ...problemResponses,
      },
    }),
    async (c) => c.json({ items: await listCampaigns(c.var.ctx, c.req.valid('param').id) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/campaigns/{campaignId}',
      tags: ['distribution'],
      request: { params: campaignParams },
      responses: {
        200: { description: 'The campaign', ...json(campaignView) },
        404: { description: 'Not found' },
        ...problemResponses,
      },
    }),
    async (c) => {
      const p = c.req.valid('param');
      return c.json(await getCampaign(c.var.ctx, p.id, p.campaignId), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/surveys/{id}/response-rates',
      tags: ['distribution'],
      summary: 'Response rate by channel, unit or campaign, with Wilson 95% intervals',
      request: { params: idParam, query: responseRateQuery },
      responses: {
        200: {
          description: 'Rows and the total',
          ...json(z.object({ groupBy: z.string(), rows: z.array(rateRow), total: rateRow })),
        },
        404: { description: 'No such survey' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await responseRates(c.var.ctx, c.req.valid('param').id, c.req.valid('query')), 200),
  );
