// The demo organisation, loaded through the services, reads back through the API exactly as generated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIPPING_BRANCH, generateDemo } from '../src/modules/demo/generate.js';
import { loadDemo } from '../src/modules/demo/index.js';
import { expectJson, startWorld, type World } from './support/world.js';

let world: World;
let key: string;
const spec = { seed: 11, now: new Date('2026-11-20T10:00:00Z'), customers: 300 };
const demo = generateDemo(spec);
const nps = (scores: number[]) =>
  Math.round(
    (1000 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length,
  ) / 10;

beforeAll(async () => {
  world = await startWorld({ start: spec.now });
  const loaded = await loadDemo(world.contextFor, world.runtime.database.db, {
    ...spec,
    email: 'owner@fitpark.demo',
    password: 'demo password',
  });
  key = loaded.key;
  // Batches of 500 answers: every one must be recorded (PGlite once dropped claims past ~256 in one batch).
  expect(loaded.counts.answers).toBe(demo.answers.length);
  expect(loaded.counts.employeeAnswers).toBe(demo.employeeAnswers.length);
  expect(loaded.counts.contacts).toBe(demo.contacts.length);
}, 120_000);
afterAll(() => world?.close());

const get = (path: string) =>
  expectJson(world.app.request(path, { headers: { authorization: `Bearer ${key}` } }), 200);

describe('the loaded demo', () => {
  it('shows the whole history’s customer NPS and distribution as generated', async () => {
    const o = await get('/api/v1/overview?audience=customer&from=2025-01-01&to=2026-11-20');
    expect(o.total.n).toBe(demo.answers.length);
    expect(o.total.nps).toBeCloseTo(nps(demo.answers.map((a) => a.score)), 0);
    const expected = Array.from({ length: 11 }, (_, s) => demo.answers.filter((a) => a.score === s).length);
    expect(o.distribution).toEqual(expected);
  });

  it('rolls each branch up from its departments', async () => {
    const o = await get('/api/v1/overview?audience=customer&from=2025-01-01&to=2026-11-20');
    const branches = demo.units.filter((u) => u.kind === 'branch');
    expect(o.byBranch).toHaveLength(branches.length);
    for (const b of branches) {
      const mine = demo.answers.filter((a) => a.unitRef.startsWith(b.ref));
      const row = o.byBranch.find((r: { label: string }) => r.label === b.name);
      expect(row.n).toBe(mine.length);
    }
  });

  it('keeps employees apart from customers', async () => {
    const o = await get('/api/v1/overview?audience=employee&from=2025-01-01&to=2026-11-20');
    expect(o.total.n).toBe(demo.employeeAnswers.length);
  });

  it('has a closed loop to show: cases of the last weeks in every state, and managers who can log in', async () => {
    const cases = await get('/api/v1/cases?limit=1000');
    const since = spec.now.getTime() - 45 * 86_400_000;
    const detractors = demo.answers.filter((a) => a.score <= 6 && a.answeredAt.getTime() >= since);
    expect(cases.items).toHaveLength(detractors.length);
    const statuses = new Set(cases.items.map((c: { status: string }) => c.status));
    expect([...statuses]).toEqual(expect.arrayContaining(['resolved', 'new']));
    const resolved = cases.items.filter((c: { status: string }) => c.status === 'resolved');
    expect(resolved.length).toBeGreaterThan(cases.items.length / 3);
    expect(cases.items.some((c: { escalationStep: number }) => c.escalationStep > 0)).toBe(true);
    expect(resolved.some((c: { resurveyScore: number | null }) => c.resurveyScore !== null)).toBe(true);
    const login = await world.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'manager.moskva@fitpark.demo', password: 'demo password' }),
    });
    expect(login.status).toBe(200);
  });

  it('has goals to show: the company, the call-backs and the branch that dips, each with its status', async () => {
    const goals = (await get('/api/v1/goals')).items as {
      name: string;
      metric: string;
      unitName: string | null;
      status: string;
      target: number;
      owners: unknown[];
    }[];
    expect(goals.map((g) => g.metric).sort()).toEqual(['contactedWithin48h', 'nps', 'nps']);
    const dipping = demo.units.find((u) => u.ref === DIPPING_BRANCH)!;
    const branchGoal = goals.find((g) => g.unitName === dipping.name)!;
    const companyGoal = goals.find((g) => g.metric === 'nps' && g.unitName === null)!;
    expect(branchGoal.owners.length).toBeGreaterThan(0);
    expect(companyGoal.owners.length).toBeGreaterThan(0);
    for (const g of goals)
      expect(['on_track', 'at_risk', 'off_track', 'not_enough_data']).toContain(g.status);
  });
});
