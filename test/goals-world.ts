// Test factories of the goals tests: answers of chosen segments given on a chosen day through single-use links.
import { expect } from 'vitest';
import { expectJson, submitForm, type TestOrg, type World } from './support/world.js';

/** `promoters` 10s, `passives` 8s and `detractors` 3s answered at `iso` about `unitId`; the clock stays there. */
export async function answersAt(
  world: World,
  org: TestOrg,
  surveyId: string,
  iso: string,
  unitId: string,
  [promoters, passives, detractors]: [number, number, number],
): Promise<void> {
  world.now = new Date(iso);
  const scores = [
    ...Array<number>(promoters).fill(10),
    ...Array<number>(passives).fill(8),
    ...Array<number>(detractors).fill(3),
  ];
  const { items } = await expectJson(
    org.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { count: scores.length, unitId }),
    201,
  );
  for (const [i, score] of scores.entries()) {
    expect((await submitForm(world, items[i].url, { score: String(score) })).status).toBeLessThan(400);
  }
}

/** A unit made through the API; its id. */
export async function buildUnit(
  org: TestOrg,
  name: string,
  kind: 'region' | 'branch' | 'department',
  parentId?: string,
): Promise<string> {
  return (await expectJson(org.api('POST', '/api/v1/units', { name, kind, parentId }), 201)).id;
}

/** A customer survey after each visit; its id. */
export async function buildCustomerSurvey(org: TestOrg): Promise<string> {
  const body = { name: 'После визита', audience: 'customer', kind: 'transactional' };
  return (await expectJson(org.api('POST', '/api/v1/surveys', body), 201)).id;
}
