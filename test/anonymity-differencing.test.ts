// Cross-request differencing of eNPS figures: an attacker asks many separate questions — a period and its
// sub-periods, a unit filter, a survey filter and both at once — keeps every figure shown, and tries to work out a
// withheld one by adding and subtracting them. Property test (fast-check) over random answers in a real database,
// through the guard every employee read path asks (employeeGuard).
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { employeeGuard } from '../src/modules/anonymity/index.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
const unit = {} as Record<'north' | 'sales' | 'support' | 'south', string>;
const surveys: string[] = [];

/** The days answers fall on: two a month, one in each half (so half-month questions split them). */
const DAYS = ['2026-01-05', '2026-01-20', '2026-02-05', '2026-02-20', '2026-03-05', '2026-03-20'];
/** Where an answer can sit: a leaf unit, or North's own answers (on the branch, under no department). */
const SPOTS = ['north', 'sales', 'support', 'south'] as const;
/** The units under each node of the tree (a filter by a unit takes its subtree). */
const SUBTREE: Record<string, readonly string[]> = {
  north: ['north', 'sales', 'support'],
  sales: ['sales'],
  support: ['support'],
  south: ['south'],
};

/** The periods asked: every month, every run of months, halves of months, and runs starting mid-month. */
const PERIODS: { from: string; to: string }[] = (() => {
  const months = [
    ['2026-01-01', '2026-01-31'],
    ['2026-02-01', '2026-02-28'],
    ['2026-03-01', '2026-03-31'],
  ] as const;
  const out: { from: string; to: string }[] = [];
  for (let a = 0; a < 3; a++)
    for (let b = a; b < 3; b++) out.push({ from: months[a]![0], to: months[b]![1] });
  for (const [from, to] of months) {
    const mid = `${from.slice(0, 8)}15`;
    const next = `${from.slice(0, 8)}16`;
    out.push({ from, to: mid }, { from: next, to });
  }
  out.push({ from: '2026-01-16', to: '2026-03-31' }, { from: '2026-01-01', to: '2026-03-15' });
  out.push({ from: '2026-01-10', to: '2026-02-28' });
  return out;
})();

/** An atom: the answers of one spot, survey and day (the attacker's unknowns). */
type Atom = { spot: (typeof SPOTS)[number]; survey: number; day: string };
const ATOMS: Atom[] = SPOTS.flatMap((spot) =>
  [0, 1].flatMap((survey) => DAYS.map((day) => ({ spot, survey, day }))),
);

beforeAll(async () => {
  world = await startWorld();
  org = await buildOrg(world);
  const post = async (path: string, body: unknown) =>
    (await expectJson(org.api('POST', path, body), 201)).id as string;
  unit.north = await post('/api/v1/units', { name: 'North', kind: 'branch' });
  unit.sales = await post('/api/v1/units', { name: 'Sales', kind: 'department', parentId: unit.north });
  unit.support = await post('/api/v1/units', { name: 'Support', kind: 'department', parentId: unit.north });
  unit.south = await post('/api/v1/units', { name: 'South', kind: 'branch' });
  for (const name of ['eNPS', 'Pulse'])
    surveys.push(await post('/api/v1/surveys', { name, audience: 'employee', kind: 'relationship' }));
}, 60_000);

afterAll(() => world?.close());

/** Puts exactly these answers in the database (scores do not matter to what may be shown: counts do). */
async function seed(counts: number[], k: number) {
  const db = world.runtime.database.db;
  await db.execute(sql`delete from employee_responses where org_id = ${org.orgId}`);
  const values = ATOMS.flatMap((a, i) =>
    Array.from(
      { length: counts[i]! },
      () => sql`(${org.orgId}::uuid, ${surveys[a.survey]!}::uuid,
      ${unit[a.spot]}::uuid, 8, 'ru', ${a.day}::date)`,
    ),
  );
  if (values.length)
    await db.execute(sql`insert into employee_responses (org_id, survey_id, unit_id, score, locale, answered_on)
      values ${sql.join(values, sql`, `)}`);
  await expectJson(org.api('PUT', '/api/v1/settings/anonymity', { minGroupSize: k }), 200);
}

/** One figure the API can return: which atoms it sums, and whether it was shown. */
interface Figure {
  label: string;
  atoms: Set<number>;
  shown: boolean;
}

/** Every figure an attacker can ask for, one request (one guard) per period and survey filter. */
async function askEverything(): Promise<Figure[]> {
  const ctx = world.contextFor(org.orgId);
  const figures: Figure[] = [];
  const atomsOf = (spots: readonly string[], surveyIdx: number[], p: { from: string; to: string }) =>
    new Set(
      ATOMS.flatMap((a, i) =>
        spots.includes(a.spot) && surveyIdx.includes(a.survey) && a.day >= p.from && a.day <= p.to ? [i] : [],
      ),
    );
  for (const p of PERIODS) {
    for (const surveyIdx of [[0], [1], [0, 1]]) {
      const guard = await employeeGuard(ctx, {
        surveyIds: surveyIdx.map((i) => surveys[i]!),
        units: null,
        from: p.from,
        to: p.to,
      });
      const tag = `${p.from}..${p.to} surveys ${surveyIdx.join('+')}`;
      figures.push({ label: `all ${tag}`, atoms: atomsOf(SPOTS, surveyIdx, p), shown: guard.shown });
      for (const node of ['north', 'sales', 'support', 'south'] as const)
        figures.push({
          label: `${node} ${tag}`,
          atoms: atomsOf(SUBTREE[node]!, surveyIdx, p),
          shown: guard.unitShown(unit[node]),
        });
      figures.push({
        label: `north's own ${tag}`,
        atoms: atomsOf(['north'], surveyIdx, p),
        shown: guard.ownShown(unit.north),
      });
      if (surveyIdx.length === 2)
        for (const s of [0, 1])
          figures.push({
            label: `all ${p.from}..${p.to} cut by survey ${s}`,
            atoms: atomsOf(SPOTS, [s], p),
            shown: guard.surveyShown(surveys[s]!),
          });
      // A unit filter and a survey filter together.
      for (const node of ['north', 'south'] as const) {
        const filtered = await employeeGuard(ctx, {
          surveyIds: surveyIdx.map((i) => surveys[i]!),
          units: new Set(SUBTREE[node]!.map((s) => unit[s as keyof typeof unit])),
          from: p.from,
          to: p.to,
        });
        figures.push({
          label: `${node} filter ${tag}`,
          atoms: atomsOf(SUBTREE[node]!, surveyIdx, p),
          shown: filtered.shown,
        });
      }
    }
  }
  return figures;
}

/** Whether the vector of `target` is a combination of the `known` vectors (Gaussian elimination over rationals). */
function follows(known: number[][], target: number[]): boolean {
  const rank = (rows: number[][]) => {
    const m = rows.map((r) => [...r]);
    const width = m[0]?.length ?? 0;
    let r = 0;
    for (let c = 0; c < width && r < m.length; c++) {
      let pivot = -1;
      for (let i = r; i < m.length; i++) if (Math.abs(m[i]![c]!) > 1e-9) pivot = i;
      if (pivot < 0) continue;
      [m[r], m[pivot]] = [m[pivot]!, m[r]!];
      for (let i = 0; i < m.length; i++) {
        if (i === r) continue;
        const f = m[i]![c]! / m[r]![c]!;
        if (f !== 0) for (let j = c; j < width; j++) m[i]![j]! -= f * m[r]![j]!;
      }
      r++;
    }
    return r;
  };
  return rank(known) === rank([...known, target]);
}

describe('eNPS figures asked for separately', () => {
  it('never let a withheld group be worked out from the figures shown, whatever is asked', async () => {
    const count = fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 3, arbitrary: fc.integer({ min: 4, max: 9 }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(count, { minLength: ATOMS.length, maxLength: ATOMS.length }),
        fc.constantFrom(3, 5),
        async (counts, k) => {
          await seed(counts, k);
          const figures = await askEverything();
          // The attacker knows which atoms are empty (an empty group is shown as empty): only the others are unknown.
          const live = ATOMS.map((_, i) => i).filter((i) => counts[i]! > 0);
          const vector = (f: Figure) => live.map((i) => (f.atoms.has(i) ? 1 : 0));
          const size = (f: Figure) => [...f.atoms].reduce((s, i) => s + counts[i]!, 0);
          const shown = figures.filter((f) => f.shown);
          // Every group of 1 … k−1 answers is withheld.
          for (const f of shown) expect(size(f) === 0 || size(f) >= k, `${f.label} is shown`).toBe(true);
          const known = shown.filter((f) => size(f) > 0).map(vector);
          // No group of 1 … k−1 answers follows from what was shown: not one that was asked (a unit, a survey, a
          // period, a half-month…) and not one of the finest (one unit, one survey, one day).
          const small = [
            ...figures
              .filter((f) => size(f) > 0 && size(f) < k)
              .map((f) => ({ label: f.label, v: vector(f) })),
            ...live
              .filter((i) => counts[i]! < k)
              .map((i) => ({
                label: `${ATOMS[i]!.spot} survey ${ATOMS[i]!.survey} on ${ATOMS[i]!.day}`,
                v: live.map((j) => (j === i ? 1 : 0)),
              })),
          ];
          for (const g of small) expect(follows(known, g.v), `${g.label} follows`).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  }, 600_000);
});
