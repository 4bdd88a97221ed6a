// Keeps the daily answer counts (by unit and channel, and by employee) in step with the answers, in one statement each.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/index.js';

/** The unit key of an answer that concerns no unit: the rollup's key has no NULLs. */
export const NO_UNIT = '00000000-0000-0000-0000-000000000000';

export interface RollupDelta {
  orgId: string;
  surveyId: string;
  day: string;
  unitId: string | null;
  channel: string;
  employeeId: string | null;
  score: number;
  /** +1 for a new answer, −1 for the old score of an amended one. */
  sign: 1 | -1;
}

type Counts = number[];

function accumulate(
  map: Map<string, { key: string[]; counts: Counts }>,
  key: string[],
  score: number,
  sign: number,
) {
  const id = key.join('|');
  let entry = map.get(id);
  if (!entry) {
    entry = { key, counts: new Array(11).fill(0) };
    map.set(id, entry);
  }
  entry.counts[score]! += sign;
}

const countColumns = sql.raw(Array.from({ length: 11 }, (_, s) => `c${s}`).join(', '));
const addCounts = (table: string) =>
  sql.raw(Array.from({ length: 11 }, (_, s) => `c${s} = ${table}.c${s} + excluded.c${s}`).join(', '));

/**
 * Adds the deltas to the rollups. Keys are sorted so concurrent batches lock rollup rows in the same order
 * and cannot deadlock.
 */
export async function applyRollupDeltas(tx: Db, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const byUnit = new Map<string, { key: string[]; counts: Counts }>();
  const byEmployee = new Map<string, { key: string[]; counts: Counts }>();
  for (const d of deltas) {
    accumulate(byUnit, [d.orgId, d.surveyId, d.day, d.unitId ?? NO_UNIT, d.channel], d.score, d.sign);
    if (d.employeeId) accumulate(byEmployee, [d.orgId, d.surveyId, d.day, d.employeeId], d.score, d.sign);
  }
  const sorted = (m: Map<string, { key: string[]; counts: Counts }>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

  const unitRows = sorted(byUnit).map(
    ({ key: [org, survey, day, unit, channel], counts }) =>
      sql`(${org}::uuid, ${survey}::uuid, ${day}::date, ${unit}::uuid, ${channel}, ${sql.join(
        counts.map((c) => sql`${c}::int`),
        sql`, `,
      )})`,
  );
  await tx.execute(sql`
    insert into nps_daily_unit (org_id, survey_id, day, unit_id, channel, ${countColumns})
    values ${sql.join(unitRows, sql`, `)}
    on conflict (org_id, survey_id, day, unit_id, channel) do update set ${addCounts('nps_daily_unit')}`);

  if (byEmployee.size === 0) return;
  const employeeRows = sorted(byEmployee).map(
    ({ key: [org, survey, day, employee], counts }) =>
      sql`(${org}::uuid, ${survey}::uuid, ${day}::date, ${employee}::uuid, ${sql.join(
        counts.map((c) => sql`${c}::int`),
        sql`, `,
      )})`,
  );
  await tx.execute(sql`
    insert into nps_daily_employee (org_id, survey_id, day, employee_id, ${countColumns})
    values ${sql.join(employeeRows, sql`, `)}
    on conflict (org_id, survey_id, day, employee_id) do update set ${addCounts('nps_daily_employee')}`);
}
