// HTTP routes of the loyalty economics: values, customers, baskets, transitions, costs, scenarios, forecast,
// targets, settings, programmes, customer marks and the cache refresh.
import { createRoute, z } from '@hono/zod-openapi';
import { evaluateScenario } from '../../domain/economics-scenarios.js';
import { idParam, json, newRouter, problemResponses, requireRole } from '../kernel/index.js';
import { basketsReport } from './baskets.js';
import { forecastReport, proposedTargets } from './forecast.js';
import { marksInput, putCustomerMarks } from './marks.js';
import { refreshEconomics } from './refresh.js';
import {
  compareScenarios,
  deleteScenario,
  evaluateBody,
  getScenario,
  listScenarios,
  saveScenario,
  scenarioBase,
  scenarioInput,
} from './scenarios.js';
import { scopeOf } from './scope.js';
import {
  deleteProgramme,
  getEconomicsSettings,
  listProgrammes,
  programmeInput,
  putEconomicsSettings,
  saveProgramme,
  segmentEnum,
  settingsInput,
} from './settings.js';
import { moveCostsReport, transitionsReport } from './transitions.js';
import { customerValues, segmentValuesReport } from './values.js';

const unitQuery = z.object({
  unitId: z.uuid().optional().openapi({ description: 'Only customers of this unit’s subtree' }),
});

const periodsField = z.coerce
  .number()
  .int('A whole number of periods')
  .min(1, 'At least 1 period')
  .max(12, 'At most 12 periods')
  .optional()
  .openapi({
    description: 'Periods ahead (the forecast period of the settings: month or quarter); default 4',
  });

const share = (what: string) =>
  z.coerce
    .number()
    .min(0, 'At least 0')
    .max(1, 'At most 1 (100%)')
    .optional()
    .openapi({ description: `Share of ${what} for the basket forecast, 0–1` });

const basketQuery = unitQuery
  .extend({ promoter: share('promoters'), passive: share('passives'), detractor: share('detractors') })
  .refine(
    (q) => {
      const given = [q.promoter, q.passive, q.detractor].filter((x) => x !== undefined);
      if (given.length === 0) return true;
      return (
        given.length === 3 && Math.abs((q.promoter ?? 0) + (q.passive ?? 0) + (q.detractor ?? 0) - 1) < 1e-6
      );
    },
    { path: ['promoter'], message: 'Give all three shares, adding up to 1' },
  );

const customersQuery = unitQuery.extend({
  segment: segmentEnum.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const forecastQuery = unitQuery.extend({
  periods: periodsField,
  scenarioId: z
    .uuid()
    .optional()
    .openapi({ description: 'Also forecast from the shares this saved scenario gives' }),
});

const targetsQuery = unitQuery.extend({ periods: periodsField });

const insufficientNote =
  'Figures the data cannot support are null with an `insufficient` reason (too_few_customers, no_revenue, no_churn_history, too_few_transitions); no NaN or Infinity is ever sent.';

export const economicsRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/values',
      tags: ['economics'],
      summary:
        'What each segment is worth: revenue per customer-year, annual retention, expected lifetime and discounted LTV with 95% bootstrap intervals; the money between promoters, passives and detractors; base value, value at stake, detractors’ revenue at risk; referral value where known',
      description: `Owners, admins and analysts see the organisation; managers their units. ${insufficientNote}`,
      request: { query: unitQuery },
      responses: { 200: { description: 'ValuesReport' }, ...problemResponses },
    }),
    async (c) => c.json(await segmentValuesReport(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/customers',
      tags: ['economics'],
      summary:
        'Per customer: revenue in the window, visits and visits per year, tenure, last contact, latest segment and its date (highest revenue first)',
      request: { query: customersQuery },
      responses: { 200: { description: '{ total, items }' }, ...problemResponses },
    }),
    async (c) => c.json(await customerValues(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/baskets',
      tags: ['economics'],
      summary:
        'Baskets of services per segment (share of customers, spend, visits), significant differences (χ² and promoter-vs-detractor z-tests, Benjamini–Hochberg), services typical of promoters and of detractors, and the basket with the forecast (or given) segment shares',
      request: { query: basketQuery },
      responses: { 200: { description: 'BasketsReport' }, ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = c.var.ctx;
      const shares =
        q.promoter !== undefined && q.passive !== undefined && q.detractor !== undefined
          ? { promoter: q.promoter, passive: q.passive, detractor: q.detractor }
          : null;
      const report = await basketsReport(ctx, { unitId: q.unitId, shares }, async () => {
        const f = await forecastReport(ctx, { unitId: q.unitId });
        return f.markov.at(-1)?.shares ?? null;
      });
      return c.json(report, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/transitions',
      tags: ['economics'],
      summary:
        'The observed transition matrix between segments from customers who answered more than once (Wilson intervals), per period and per unit where n allows, and the closed loop’s effect on the detractor row',
      request: { query: unitQuery },
      responses: { 200: { description: 'TransitionsReport' }, ...problemResponses },
    }),
    async (c) => c.json(await transitionsReport(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/move-costs',
      tags: ['economics'],
      summary:
        'The cost of moving a customer up: from the costs and re-survey results of closed cases, and from the organisation’s programmes (their assumed or observed success rates); the cheapest known way per move',
      request: { query: unitQuery },
      responses: { 200: { description: 'MoveCostsReport' }, ...problemResponses },
    }),
    async (c) => c.json(await moveCostsReport(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/economics/scenarios/evaluate',
      tags: ['economics'],
      summary:
        'Evaluate up to 6 scenarios side by side: moves ("20% of detractors of a branch to passive"), retention changes ("passives +5 points") and a budget → segment shares, NPS, next year’s revenue, LTV change, cost, ROI',
      description:
        'Shares are 0–1; moves out of one segment may not add up to more than 100%; retention must stay within 0–100%. Each impossible input is refused with 422 naming its field (scenarios.0.moves.1.share).',
      request: { body: { required: true, ...json(evaluateBody) } },
      responses: { 200: { description: 'ScenarioComparison' }, ...problemResponses },
    }),
    async (c) => c.json(await compareScenarios(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/scenarios',
      tags: ['economics'],
      summary: 'Saved scenarios, latest first',
      responses: { 200: { description: '{ items }' }, ...problemResponses },
    }),
    async (c) => c.json({ items: await listScenarios(c.var.ctx) }, 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/economics/scenarios',
      tags: ['economics'],
      summary: 'Save a scenario',
      request: { body: { required: true, ...json(scenarioInput) } },
      responses: { 201: { description: 'The saved scenario' }, ...problemResponses },
    }),
    async (c) => c.json(await saveScenario(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/economics/scenarios/{id}',
      tags: ['economics'],
      summary: 'Replace a saved scenario',
      request: { params: idParam, body: { required: true, ...json(scenarioInput) } },
      responses: {
        200: { description: 'The saved scenario' },
        404: { description: 'No such scenario' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await saveScenario(c.var.ctx, c.req.valid('json'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/economics/scenarios/{id}',
      tags: ['economics'],
      summary: 'Delete a saved scenario',
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such scenario' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteScenario(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/forecast',
      tags: ['economics'],
      summary:
        'Forecast of segment shares and NPS for the next periods: the Markov chain of the observed transitions (95% bands from the matrix’s Dirichlet posterior), the NPS trend (OLS, prediction interval), the long-run shares; what-if from a saved scenario',
      request: { query: forecastQuery },
      responses: { 200: { description: 'ForecastReport' }, ...problemResponses },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const ctx = c.var.ctx;
      let whatIf = null;
      if (q.scenarioId) {
        const saved = await getScenario(ctx, q.scenarioId);
        const base = await scenarioBase(ctx, await scopeOf(ctx, q.unitId));
        const shares = evaluateScenario(saved.input, base).after.shares;
        if (shares) whatIf = { name: saved.name, shares };
      }
      return c.json(await forecastReport(ctx, { unitId: q.unitId, periods: q.periods, whatIf }), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/targets',
      tags: ['economics'],
      summary:
        'Proposed NPS targets for the company (or a unit) and each unit: reachable (forecast + the closed loop’s observed uplift) and ambitious (best unit of the same kind, industry leader, or the forecast’s upper band), with the reasoning',
      request: { query: targetsQuery },
      responses: { 200: { description: 'ProposedTargets' }, ...problemResponses },
    }),
    async (c) => c.json(await proposedTargets(c.var.ctx, c.req.valid('query')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/settings',
      tags: ['economics'],
      summary:
        'The economic assumptions: margin, discount rate, churn period, horizon, window, bootstrap samples',
      responses: { 200: { description: 'Settings (isDefault until saved)' }, ...problemResponses },
    }),
    async (c) => {
      requireRole(c.var.ctx, 'owner', 'admin', 'manager', 'analyst');
      return c.json(await getEconomicsSettings(c.var.ctx), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/economics/settings',
      tags: ['economics'],
      summary: 'Replace the economic assumptions (owner, admin); the cache is rebuilt on the next read',
      request: { body: { required: true, ...json(settingsInput) } },
      responses: { 200: { description: 'The saved settings' }, ...problemResponses },
    }),
    async (c) => c.json(await putEconomicsSettings(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/economics/programmes',
      tags: ['economics'],
      summary: 'Programmes that move customers (a free personal training, a manager’s call) with their costs',
      responses: { 200: { description: '{ items }' }, ...problemResponses },
    }),
    async (c) => {
      requireRole(c.var.ctx, 'owner', 'admin', 'manager', 'analyst');
      return c.json({ items: await listProgrammes(c.var.ctx) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/economics/programmes',
      tags: ['economics'],
      summary: 'Add a programme (owner, admin)',
      request: { body: { required: true, ...json(programmeInput) } },
      responses: {
        201: { description: 'The programme' },
        409: { description: 'Name in use' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await saveProgramme(c.var.ctx, c.req.valid('json')), 201),
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/economics/programmes/{id}',
      tags: ['economics'],
      summary: 'Replace a programme (owner, admin)',
      request: { params: idParam, body: { required: true, ...json(programmeInput) } },
      responses: {
        200: { description: 'The programme' },
        404: { description: 'No such programme' },
        ...problemResponses,
      },
    }),
    async (c) => c.json(await saveProgramme(c.var.ctx, c.req.valid('json'), c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/economics/programmes/{id}',
      tags: ['economics'],
      summary: 'Delete a programme (owner, admin)',
      request: { params: idParam },
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such programme' },
        ...problemResponses,
      },
    }),
    async (c) => {
      await deleteProgramme(c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/economics/customer-marks',
      tags: ['economics'],
      summary:
        'Referrals ("who brought whom"), "who told you about us" and explicit churn per customer (by externalId), up to 1,000 per request (owner, admin): the optional data behind referral value and churn',
      request: { body: { required: true, ...json(marksInput) } },
      responses: { 200: { description: '{ updated }' }, ...problemResponses },
    }),
    async (c) => c.json(await putCustomerMarks(c.var.ctx, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/economics/refresh',
      tags: ['economics'],
      summary:
        'Bring the per-customer cache up to date now (incremental; `full=true` rebuilds it) — reads do this by themselves at most once a minute',
      request: { query: z.object({ full: z.enum(['true', 'false']).optional() }) },
      responses: { 200: { description: '{ kind, customers, durationMs, asOf }' }, ...problemResponses },
    }),
    async (c) => {
      requireRole(c.var.ctx, 'owner', 'admin', 'manager', 'analyst');
      const full = c.req.valid('query').full === 'true';
      return c.json(await refreshEconomics(c.var.ctx, full ? { force: 'full' } : {}), 200);
    },
  );
