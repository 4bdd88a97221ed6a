// What the procedure document is made of: the org, its playbook, and who stands at each level today.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, tables } from '../../db/index.js';
import { DEFAULT_DIGEST_AT, DEFAULT_DIGEST_WEEKDAY } from '../../domain/digest-schedule.js';
import type { Level, Playbook } from '../../domain/playbook.js';
import { type Ctx, seesPersonalData } from '../kernel/index.js';
import { getPlaybook } from '../loop/index.js';
import { getOrg } from '../orgs/index.js';

export interface LevelPerson {
  /** The user's name (or login e-mail when they have none); null when the reader may not see names. */
  name: string | null;
  /** Names of the units the user is responsible for (managers and front-line users). */
  units: string[];
}

export interface ProcedureFacts {
  org: { name: string; timeZone: string };
  playbook: Playbook;
  /** 0 = the default playbook, never saved by the org. */
  version: number;
  updatedAt: Date | null;
  people: Record<Level, LevelPerson[]>;
  showNames: boolean;
  employees: { total: number; withLogin: number };
  /** Leaf units nobody of that level covers: their alerts and cases fall through to the next level. */
  uncovered: { middle: string[]; frontline: string[] };
  /** Names of the units, surveys and employees the rules name, by id. */
  names: Map<string, string>;
  digest: { at: string; weekday: number };
  now: Date;
}

interface UserRow {
  name_enc: string | null;
  email_enc: string;
  role: string;
  units: string[] | null;
}

const levelOfRole: Record<string, Level | undefined> = {
  frontline: 'frontline',
  manager: 'middle',
  owner: 'top',
  admin: 'top',
};

export async function procedureFacts(ctx: Ctx): Promise<ProcedureFacts> {
  const org = await getOrg(ctx);
  const state = await getPlaybook(ctx);
  const showNames = seesPersonalData(ctx);

  const users = rowsOf<UserRow>(
    await ctx.db.execute(sql`
      select u.name_enc, u.email_enc, u.role,
             array_remove(array_agg(un.name order by un.name), null) as units
        from users u
        left join user_units uu on uu.org_id = u.org_id and uu.user_id = u.id
        left join units un on un.org_id = uu.org_id and un.id = uu.unit_id
       where u.org_id = ${ctx.orgId} and u.disabled_at is null
       group by u.id, u.name_enc, u.email_enc, u.role, u.created_at
       order by case u.role when 'owner' then 0 when 'admin' then 1 else 2 end, u.created_at`),
  );
  const people: Record<Level, LevelPerson[]> = { frontline: [], middle: [], top: [] };
  for (const u of users) {
    const level = levelOfRole[u.role];
    if (!level) continue;
    const name = showNames ? (ctx.vault.decrypt(u.name_enc) ?? ctx.vault.decrypt(u.email_enc)) : null;
    people[level].push({ name, units: u.units ?? [] });
  }

  const [staff] = rowsOf<{ total: number; with_login: number }>(
    await ctx.db.execute(sql`
      select count(*)::int as total, count(*) filter (where user_id is not null)::int as with_login
        from employees where org_id = ${ctx.orgId} and active`),
  );

  // Leaf units (where answers land) that no active user of the role covers: the role's units are a prefix of
  // the unit's materialised path.
  const uncoveredBy = async (role: 'manager' | 'frontline') =>
    rowsOf<{ name: string }>(
      await ctx.db.execute(sql`
        select t.name from units t
         where t.org_id = ${ctx.orgId}
           and not exists (select 1 from units c where c.org_id = t.org_id and c.parent_id = t.id)
           and not exists (
             select 1 from user_units uu
               join users u on u.org_id = uu.org_id and u.id = uu.user_id
               join units s on s.org_id = uu.org_id and s.id = uu.unit_id
              where uu.org_id = t.org_id and u.role = ${role} and u.disabled_at is null
                and starts_with(t.path, s.path))
         order by t.name`),
    ).map((r) => r.name);

  const names = await namesOf(ctx, state.playbook);

  return {
    org: { name: org.name, timeZone: org.timeZone },
    playbook: state.playbook,
    version: state.version,
    updatedAt: state.updatedAt ? new Date(state.updatedAt) : null,
    people,
    showNames,
    employees: { total: staff?.total ?? 0, withLogin: staff?.with_login ?? 0 },
    uncovered: { middle: await uncoveredBy('manager'), frontline: await uncoveredBy('frontline') },
    names,
    digest: { at: DEFAULT_DIGEST_AT, weekday: DEFAULT_DIGEST_WEEKDAY },
    now: ctx.clock(),
  };
}

/** The names of every unit, survey and employee the playbook's rules refer to. */
async function namesOf(ctx: Ctx, playbook: Playbook): Promise<Map<string, string>> {
  const unitIds = new Set<string>();
  const surveyIds = new Set<string>();
  const employeeIds = new Set<string>();
  for (const rule of playbook.rules) {
    for (const id of rule.match.unitIds ?? []) unitIds.add(id);
    for (const id of rule.match.surveyIds ?? []) surveyIds.add(id);
    for (const id of rule.match.employeeIds ?? []) employeeIds.add(id);
  }
  const names = new Map<string, string>();
  const { units, surveys, employees } = tables;
  if (unitIds.size) {
    const rows = await ctx.db
      .select({ id: units.id, name: units.name })
      .from(units)
      .where(and(eq(units.orgId, ctx.orgId), inArray(units.id, [...unitIds])));
    for (const r of rows) names.set(r.id, r.name);
  }
  if (surveyIds.size) {
    const rows = await ctx.db
      .select({ id: surveys.id, name: surveys.name })
      .from(surveys)
      .where(and(eq(surveys.orgId, ctx.orgId), inArray(surveys.id, [...surveyIds])));
    for (const r of rows) names.set(r.id, r.name);
  }
  if (employeeIds.size) {
    const rows = await ctx.db
      .select({ id: employees.id, nameEnc: employees.nameEnc })
      .from(employees)
      .where(and(eq(employees.orgId, ctx.orgId), inArray(employees.id, [...employeeIds])));
    for (const r of rows) names.set(r.id, seesPersonalData(ctx) ? ctx.vault.decrypt(r.nameEnc) : '•••');
  }
  return names;
}
