// Who the people at each level of the loop are for a unit: front-line staff, middle managers, top management.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import type { Level } from '../../domain/playbook.js';
import type { Ctx } from '../kernel/index.js';

export interface Person {
  userId: string;
  name: string | null;
  role: 'owner' | 'admin' | 'manager' | 'frontline' | 'analyst';
  locale: 'ru' | 'en';
  /** How many steps up the tree from the unit their scope starts (0 = the unit itself); null for top management. */
  distance: number | null;
}

interface PersonRow {
  user_id: string;
  name_enc: string | null;
  role: Person['role'];
  locale: Person['locale'];
  distance: number | null;
}

const ofRow = (ctx: Pick<Ctx, 'vault'>, r: PersonRow): Person => ({
  userId: r.user_id,
  name: ctx.vault.decrypt(r.name_enc),
  role: r.role,
  locale: r.locale,
  distance: r.distance === null ? null : Number(r.distance),
});

/**
 * The people at one level for a unit, nearest first (a manager of the branch before a manager of its region),
 * active users only. Front line = the employee's own login when the answer names one, else front-line users
 * whose units cover the unit; middle = managers whose units cover it; top = owners and admins. No fall-through
 * here: see `resolveLevel`.
 */
export async function peopleAt(
  ctx: Pick<Ctx, 'db' | 'orgId' | 'vault'>,
  unitId: string | null,
  level: Level,
  employeeId: string | null = null,
): Promise<Person[]> {
  const db: Db = ctx.db;
  if (level === 'top') {
    const rows = rowsOf<PersonRow>(
      await db.execute(sql`
        select u.id as user_id, u.name_enc, u.role, u.locale, null::int as distance from users u
         where u.org_id = ${ctx.orgId} and u.role in ('owner', 'admin') and u.disabled_at is null
         order by case u.role when 'owner' then 0 else 1 end, u.created_at`),
    );
    return rows.map((r) => ofRow(ctx, r));
  }
  if (level === 'frontline' && employeeId) {
    const own = rowsOf<PersonRow>(
      await db.execute(sql`
        select u.id as user_id, u.name_enc, u.role, u.locale, 0 as distance from employees e
          join users u on u.org_id = e.org_id and u.id = e.user_id
         where e.org_id = ${ctx.orgId} and e.id = ${employeeId} and u.disabled_at is null`),
    );
    if (own.length) return own.map((r) => ofRow(ctx, r));
  }
  if (!unitId) return [];
  const role = level === 'frontline' ? 'frontline' : 'manager';
  // A user's unit covers the answer's unit when its path is a prefix of the unit's path; the distance is the
  // number of levels between them (one id per level in the path).
  const rows = rowsOf<PersonRow>(
    await db.execute(sql`
      select u.id as user_id, u.name_enc, u.role, u.locale,
             min(array_length(string_to_array(trim(both '/' from target.path), '/'), 1)
                 - array_length(string_to_array(trim(both '/' from scope.path), '/'), 1)) as distance
        from units target
        join user_units uu on uu.org_id = target.org_id
        join units scope on scope.org_id = uu.org_id and scope.id = uu.unit_id
        join users u on u.org_id = uu.org_id and u.id = uu.user_id
       where target.org_id = ${ctx.orgId} and target.id = ${unitId}
         and starts_with(target.path, scope.path)
         and u.role = ${role} and u.disabled_at is null
       group by u.id, u.name_enc, u.role, u.locale, u.created_at
       order by distance, u.created_at`),
  );
  return rows.map((r) => ofRow(ctx, r));
}

const levels: Level[] = ['frontline', 'middle', 'top'];

/**
 * The people who act at `level`, falling through to the next level up when it is empty (a branch with no
 * front-line login goes to its manager, a unit with no manager to top management). `level` in the answer
 * is where the people were found.
 */
export async function resolveLevel(
  ctx: Pick<Ctx, 'db' | 'orgId' | 'vault'>,
  unitId: string | null,
  level: Level,
  employeeId: string | null = null,
): Promise<{ level: Level; people: Person[] }> {
  for (const l of levels.slice(levels.indexOf(level))) {
    const people = await peopleAt(ctx, unitId, l, employeeId);
    if (people.length) return { level: l, people };
  }
  return { level: 'top', people: [] };
}

/** Those at the nearest distance: who hears of an event at a level (not every regional manager above a branch). */
export function nearest(people: Person[]): Person[] {
  const first = people[0];
  if (!first) return [];
  return people.filter((p) => p.distance === first.distance);
}
