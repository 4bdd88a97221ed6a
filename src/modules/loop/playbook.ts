// The org's playbook: read (the default when none is saved), replace with optimistic versions, and try an answer on it.
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { rowsOf, tables } from '../../db/index.js';
import { addWorkingHours } from '../../domain/business-hours.js';
import { defaultPlaybook, type Level, type Playbook } from '../../domain/playbook.js';
import { type AnswerFacts, decide, validatePlaybook } from '../../domain/playbook-match.js';
import { AppError, type Ctx, type FieldError, requireRole } from '../kernel/index.js';
import { nearest, resolveLevel } from './people.js';
import type { checkInput, putPlaybookInput } from './schemas.js';

const { playbooks } = tables;

export interface PlaybookState {
  playbook: Playbook;
  /** 0 while the org uses the default playbook; each save adds one. */
  version: number;
  updatedAt: string | null;
  isDefault: boolean;
}

/** The org's playbook, or the default one (version 0) when it never saved its own. */
export async function getPlaybook(ctx: Pick<Ctx, 'db' | 'orgId'>): Promise<PlaybookState> {
  const [row] = await ctx.db.select().from(playbooks).where(eq(playbooks.orgId, ctx.orgId));
  if (!row) return { playbook: defaultPlaybook, version: 0, updatedAt: null, isDefault: true };
  return {
    playbook: row.playbook,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
    isDefault: false,
  };
}

/** The org's time zone (deadlines are counted in it). */
export async function orgTimeZone(ctx: Pick<Ctx, 'db' | 'orgId'>): Promise<string> {
  const [org] = rowsOf<{ time_zone: string }>(
    await ctx.db.execute(sql`select time_zone from orgs where id = ${ctx.orgId}`),
  );
  return org?.time_zone ?? 'UTC';
}

/** What the domain cannot know: the ids a playbook names must exist in this org, and eNPS surveys open nothing. */
async function problemsWithIds(ctx: Ctx, playbook: Playbook): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  const wanted = (field: 'surveyIds' | 'unitIds' | 'employeeIds') => [
    ...new Set(playbook.rules.flatMap((r) => r.match[field] ?? [])),
  ];
  const idsIn = (ids: string[]) => `{${ids.join(',')}}`;
  const surveyIds = wanted('surveyIds');
  const surveys = surveyIds.length
    ? rowsOf<{ id: string; audience: string }>(
        await ctx.db.execute(sql`select id, audience from surveys where org_id = ${ctx.orgId}
          and deleted_at is null and id = any(${idsIn(surveyIds)}::uuid[])`),
      )
    : [];
  const unitIds = wanted('unitIds');
  const units = unitIds.length
    ? rowsOf<{ id: string }>(
        await ctx.db.execute(
          sql`select id from units where org_id = ${ctx.orgId} and id = any(${idsIn(unitIds)}::uuid[])`,
        ),
      )
    : [];
  const employeeIds = wanted('employeeIds');
  const employees = employeeIds.length
    ? rowsOf<{ id: string }>(
        await ctx.db.execute(
          sql`select id from employees where org_id = ${ctx.orgId} and id = any(${idsIn(employeeIds)}::uuid[])`,
        ),
      )
    : [];
  const audienceOf = new Map(surveys.map((s) => [s.id, s.audience]));
  const knownUnits = new Set(units.map((u) => u.id));
  const knownEmployees = new Set(employees.map((e) => e.id));
  playbook.rules.forEach((rule, i) => {
    rule.match.surveyIds?.forEach((id, k) => {
      const audience = audienceOf.get(id);
      if (!audience)
        problems.push({
          path: `rules.${i}.match.surveyIds.${k}`,
          message: 'No survey with this id in your organisation',
        });
      else if (audience === 'employee')
        problems.push({
          path: `rules.${i}.match.surveyIds.${k}`,
          message: 'An employee (eNPS) survey: its answers are anonymous and never open cases',
        });
    });
    rule.match.unitIds?.forEach((id, k) => {
      if (!knownUnits.has(id))
        problems.push({
          path: `rules.${i}.match.unitIds.${k}`,
          message: 'No unit with this id in your organisation',
        });
    });
    rule.match.employeeIds?.forEach((id, k) => {
      if (!knownEmployees.has(id))
        problems.push({
          path: `rules.${i}.match.employeeIds.${k}`,
          message: 'No employee with this id in your organisation',
        });
    });
  });
  return problems;
}

async function refuseBad(ctx: Ctx, playbook: Playbook): Promise<void> {
  const problems = [...validatePlaybook(playbook), ...(await problemsWithIds(ctx, playbook))].map((p) => ({
    path: `playbook.${p.path}`,
    message: p.message,
  }));
  if (problems.length) {
    throw new AppError(
      'invalid_input',
      `The playbook cannot work as it is: ${problems[0]!.path}: ${problems[0]!.message}`,
      {
        errors: problems,
      },
    );
  }
}

/**
 * Replaces the playbook. Optimistic: `version` must be the one read (0 for the default), else 409, so an editor
 * never overwrites a change they have not seen.
 */
export async function putPlaybook(
  ctx: Ctx,
  input: z.output<typeof putPlaybookInput>,
): Promise<PlaybookState> {
  requireRole(ctx, 'owner', 'admin');
  const playbook = input.playbook as Playbook;
  await refuseBad(ctx, playbook);
  const now = ctx.clock();
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const stale = () =>
    new AppError(
      'conflict',
      'The playbook was changed by someone else since you opened it: reload and try again',
      {
        errors: [{ path: 'version', message: 'Stale version' }],
      },
    );
  if (input.version === 0) {
    const inserted = await ctx.db
      .insert(playbooks)
      .values({ orgId: ctx.orgId, playbook, version: 1, updatedAt: now, updatedBy: by })
      .onConflictDoNothing()
      .returning();
    if (!inserted[0]) throw stale();
    return { playbook, version: 1, updatedAt: now.toISOString(), isDefault: false };
  }
  const updated = await ctx.db
    .update(playbooks)
    .set({ playbook, version: input.version + 1, updatedAt: now, updatedBy: by })
    .where(and(eq(playbooks.orgId, ctx.orgId), eq(playbooks.version, input.version)))
    .returning();
  if (!updated[0]) throw stale();
  return { playbook, version: input.version + 1, updatedAt: now.toISOString(), isDefault: false };
}

/** The unit and its ancestors, from the materialised path ('/root/child/self/'). */
export async function unitPathOf(ctx: Pick<Ctx, 'db' | 'orgId'>, unitId: string | null): Promise<string[]> {
  if (!unitId) return [];
  const [row] = rowsOf<{ path: string }>(
    await ctx.db.execute(sql`select path from units where org_id = ${ctx.orgId} and id = ${unitId}`),
  );
  return row ? row.path.split('/').filter(Boolean) : [];
}

/** Tries an answer on the playbook (the saved one, or one being edited): which rules match and what would happen. */
export async function checkPlaybook(ctx: Ctx, input: z.output<typeof checkInput>) {
  requireRole(ctx, 'owner', 'admin', 'manager');
  const playbook = (input.playbook as Playbook | undefined) ?? (await getPlaybook(ctx)).playbook;
  if (input.playbook) await refuseBad(ctx, playbook);
  const unitPath = await unitPathOf(ctx, input.unitId ?? null);
  if (input.unitId && unitPath.length === 0)
    throw new AppError('invalid_input', 'Unknown unit', {
      errors: [{ path: 'unitId', message: 'No unit with this id in your organisation' }],
    });
  let audience: string | null = null;
  if (input.surveyId) {
    const [s] = rowsOf<{ audience: string }>(
      await ctx.db.execute(
        sql`select audience from surveys where org_id = ${ctx.orgId} and id = ${input.surveyId} and deleted_at is null`,
      ),
    );
    if (!s)
      throw new AppError('invalid_input', 'Unknown survey', {
        errors: [{ path: 'surveyId', message: 'No survey with this id in your organisation' }],
      });
    audience = s.audience;
  }
  const facts: AnswerFacts = {
    score: input.score,
    reason: input.reason ?? null,
    surveyId: input.surveyId ?? '',
    unitPath,
    employeeId: input.employeeId ?? null,
    channel: input.channel ?? 'link',
    valueBand: input.valueBand ?? null,
  };
  const decision = decide(playbook, facts);
  const rules = playbook.rules
    .filter((r) => decision.ruleIds.includes(r.id))
    .map((r) => ({ id: r.id, name: r.name }));
  if (audience === 'employee') {
    return {
      rules,
      case: null,
      alerts: [],
      messages: [],
      note: 'Employee (eNPS) answers are anonymous and never open cases or send messages.',
    };
  }
  const unitId = input.unitId ?? null;
  const employeeId = input.employeeId ?? null;
  let opened = null;
  if (decision.openCase) {
    const { level, people } = await resolveLevel(ctx, unitId, decision.openCase.level, employeeId);
    const owner = people[0];
    const dueAt = addWorkingHours(
      ctx.clock(),
      decision.openCase.dueHours,
      playbook.calendar,
      await orgTimeZone(ctx),
    );
    opened = {
      ruleId: decision.openCase.ruleId,
      urgent: decision.openCase.urgent,
      level,
      owner: owner ? { id: owner.userId, name: owner.name } : null,
      dueAt: dueAt.toISOString(),
    };
  }
  const alerts: { level: Level; people: { id: string; name: string | null }[] }[] = [];
  for (const level of decision.alertLevels) {
    const { people } = await resolveLevel(ctx, unitId, level, employeeId);
    alerts.push({ level, people: nearest(people).map((p) => ({ id: p.userId, name: p.name })) });
  }
  return {
    rules,
    case: opened,
    alerts,
    messages: decision.messages.map((m) => ({
      ruleId: m.ruleId,
      template: m.template,
      text: m.text,
      url: m.url ?? null,
    })),
    note: null,
  };
}
