// The demo's closed loop: managers and front-line logins, and cases for the last weeks' detractors in every state.
import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/index.js';
import { defaultPlaybook } from '../../domain/playbook.js';
import { createUser } from '../auth/index.js';
import type { Ctx } from '../kernel/index.js';
import { latin, randomSource } from './generate.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The loop's history covers the last weeks; the playbook's deadline is 48 hours. */
const LOOP_DAYS = 45;
const DUE_HOURS = 48;

export interface DemoLogin {
  email: string;
  role: 'manager' | 'frontline';
  name: string;
  unitName: string;
}

const slug = (name: string) =>
  [...name.toLowerCase().replace(/^фитпарк\s+/, '')]
    .map((ch) => latin[ch] ?? (/[a-z0-9]/.test(ch) ? ch : '-'))
    .join('')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

const managerNames = [
  'Ольга Смирнова',
  'Дмитрий Козлов',
  'Елена Волкова',
  'Сергей Морозов',
  'Наталья Лебедева',
  'Андрей Новиков',
  'Татьяна Соколова',
  'Павел Егоров',
  'Юлия Павлова',
  'Михаил Орлов',
];

const actions = [
  ['Извинились, продлили абонемент на неделю', 0],
  ['Бесплатная персональная тренировка', 150_000],
  ['Починили оборудование, сообщили клиенту', 0],
  ['Перенесли занятие на удобное время', 0],
  ['Вернули деньги за разовое посещение', 80_000],
  ['Разговор с администратором, инструктаж смены', 0],
  ['Подарочный сертификат на массаж', 250_000],
] as const;

/**
 * Adds the closed loop to a loaded demo org: a manager for each region and branch, two front-line logins linked
 * to employees of the first branch, and cases for the detractors of the last 45 days — most resolved within
 * 48 hours, some late, a few overdue and escalated, some re-surveyed with a better score. Writes the cases
 * as the loop would have (timeline included) without raising events, so nobody is e-mailed about the past.
 */
export async function loadDemoLoop(
  base: Ctx,
  db: Db,
  options: { seed: number; now: Date; password: string; ownerId: string },
): Promise<DemoLogin[]> {
  const random = randomSource(options.seed + 505);
  const orgId = base.orgId;
  const units = rowsOf<{
    id: string;
    kind: string;
    name: string;
    parent_id: string | null;
    path: string;
    external_id: string | null;
  }>(
    await db.execute(
      sql`select id, kind, name, parent_id, path, external_id from units where org_id = ${orgId} order by path`,
    ),
  );
  const logins: DemoLogin[] = [];
  const managerOf = new Map<string, string>(); // unit id → manager user id
  let k = 0;
  for (const u of units.filter((x) => x.kind === 'region' || x.kind === 'branch')) {
    const email = `manager.${slug(u.name)}@fitpark.demo`;
    const name = managerNames[k++ % managerNames.length]!;
    const user = await createUser(base, {
      email,
      password: options.password,
      name,
      role: 'manager',
      locale: 'ru',
      unitIds: [u.id],
    });
    managerOf.set(u.id, user.id);
    logins.push({ email, role: 'manager', name, unitName: u.name });
  }
  // Two front-line people of the first branch get their own logins: the cases about them are theirs.
  const firstBranch =
    units.find((u) => u.external_id === 'br-msk-1') ?? units.find((u) => u.kind === 'branch')!;
  const staff = rowsOf<{ id: string; name_enc: string }>(
    await db.execute(sql`select e.id, e.name_enc from employees e join units u on u.org_id = e.org_id and u.id = e.unit_id
      where e.org_id = ${orgId} and starts_with(u.path, ${firstBranch.path}) order by length(e.external_id), e.external_id limit 2`),
  );
  const frontlineOf = new Map<string, string>(); // employee id → user id
  for (const e of staff) {
    const name = base.vault.decrypt(e.name_enc);
    const [first = 'staff', last = ''] = name.split(' ');
    let email = `${slug(first)}.${slug(last || firstBranch.name)}@fitpark.demo`;
    if (logins.some((l) => l.email === email)) email = email.replace('@', `${logins.length}@`);
    const user = await createUser(base, {
      email,
      password: options.password,
      name,
      role: 'frontline',
      locale: 'ru',
    });
    await db.execute(sql`update employees set user_id = ${user.id} where org_id = ${orgId} and id = ${e.id}`);
    frontlineOf.set(e.id, user.id);
    logins.push({ email, role: 'frontline', name, unitName: firstBranch.name });
  }

  // The nearest manager of a unit: its branch's, else its region's.
  const byId = new Map(units.map((u) => [u.id, u]));
  const nearestManager = (unitId: string | null): string | null => {
    let u = unitId ? byId.get(unitId) : undefined;
    while (u) {
      const m = managerOf.get(u.id);
      if (m) return m;
      u = u.parent_id ? byId.get(u.parent_id) : undefined;
    }
    return null;
  };
  const regionalManager = (unitId: string | null): string | null => {
    const u = unitId ? byId.get(unitId) : undefined;
    const regionId = u?.path.split('/').filter(Boolean)[1];
    return (regionId && managerOf.get(regionId)) || null;
  };

  const since = new Date(options.now.getTime() - LOOP_DAYS * DAY);
  const detractors = rowsOf<{
    id: string;
    survey_id: string;
    customer_id: string | null;
    unit_id: string | null;
    employee_id: string | null;
    score: number;
    reason: string | null;
    answered_at: string | Date;
  }>(
    await db.execute(sql`select r.id, r.survey_id, r.customer_id, r.unit_id, r.employee_id, r.score, r.reason, r.answered_at
      from responses r where r.org_id = ${orgId} and r.score <= 6 and r.answered_at >= ${since.toISOString()}::timestamptz
        and r.answered_at <= ${options.now.toISOString()}::timestamptz
      order by r.answered_at, r.id`),
  );
  const causes = defaultPlaybook.rootCauses.map((c) => c.id);
  const alarm = /суд|жалоб|хамств|травм|мошенн/i;
  const cases: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  const event = (
    caseId: string,
    kind: string,
    at: Date,
    actor: string | null,
    data: Record<string, unknown>,
  ) => {
    if (at <= options.now) events.push({ caseId, kind, at: at.toISOString(), actor, data });
  };
  let number = 0;
  for (const r of detractors) {
    const answeredAt = new Date(r.answered_at);
    const score = Number(r.score);
    const urgent = score <= 3 || alarm.test(r.reason ?? '');
    const frontline = r.employee_id ? (frontlineOf.get(r.employee_id) ?? null) : null;
    const firstOwner = frontline ?? nearestManager(r.unit_id) ?? options.ownerId;
    const level = frontline ? 'frontline' : 'middle';
    const dueAt = new Date(answeredAt.getTime() + DUE_HOURS * HOUR);
    const age = options.now.getTime() - answeredAt.getTime();
    const id = crypto.randomUUID();
    const c = {
      id,
      number: ++number,
      responseId: r.id,
      surveyId: r.survey_id,
      customerId: r.customer_id,
      unitId: r.unit_id,
      employeeId: r.employee_id,
      ruleId: score <= 3 ? 'very-unhappy' : urgent ? 'alert-words' : 'detractor',
      score,
      urgent,
      status: 'new',
      level,
      owner: firstOwner,
      dueAt,
      escalationStep: 0,
      escalatedAt: null as Date | null,
      overdueAt: null as Date | null,
      firstContactAt: null as Date | null,
      closedAt: null as Date | null,
      rootCause: null as string | null,
      actionTaken: null as string | null,
      actionCostMinor: null as number | null,
      outcome: null as string | null,
      resurveyScore: null as number | null,
      resurveyAt: null as Date | null,
      createdAt: new Date(answeredAt.getTime() + 5_000),
    };
    event(id, 'opened', c.createdAt, null, {
      ruleId: c.ruleId,
      level,
      ownerUserId: firstOwner,
      dueAt: dueAt.toISOString(),
    });
    const at = (hours: number) => new Date(answeredAt.getTime() + hours * HOUR);
    const escalate = (step: 1 | 2, when: Date) => {
      if (when > options.now) return;
      c.escalationStep = step;
      const nearest = nearestManager(r.unit_id);
      const target =
        step === 2 ? options.ownerId : nearest && nearest !== c.owner ? nearest : regionalManager(r.unit_id);
      if (!target || target === c.owner) return;
      event(id, 'escalated', when, null, {
        step,
        from: c.owner,
        to: target,
        level: step === 1 ? 'middle' : 'top',
      });
      c.owner = target;
      c.level = step === 1 ? 'middle' : 'top';
      c.escalatedAt = when;
    };
    const contact = (when: Date): boolean => {
      if (when > options.now) return false;
      event(id, 'attempt', when, c.owner, {
        channel: 'phone',
        outcome: 'reached',
        note: null,
        callbackAt: null,
      });
      event(id, 'status', when, c.owner, { from: c.status, to: 'contacted' });
      c.firstContactAt = when;
      c.status = 'contacted';
      return true;
    };
    const close = (when: Date, status: 'resolved' | 'unresolved') => {
      if (when > options.now || c.status !== 'contacted') return;
      const [action, cost] = random.pick(actions);
      event(id, 'status', when, c.owner, { from: 'contacted', to: status });
      c.status = status;
      c.closedAt = when;
      c.rootCause = random.pick(causes);
      c.actionTaken = status === 'resolved' ? action : null;
      c.actionCostMinor = status === 'resolved' && cost ? cost : null;
      c.outcome = status === 'resolved' ? 'Клиент принял извинения' : 'Клиент не готов продолжать';
    };
    const overdue = () => {
      const when = at(DUE_HOURS + 0.1);
      if (when <= options.now) c.overdueAt = when;
    };
    const fate = random.next();
    if (age < DUE_HOURS * HOUR) {
      // Still within the deadline: some are being worked on.
      if (fate < 0.35) {
        const when = at(Math.min(age / HOUR - 0.5, random.int(1, 20)));
        if (when > answeredAt) {
          event(id, 'status', when, c.owner, { from: 'new', to: 'in_progress' });
          c.status = 'in_progress';
        }
      } else if (fate < 0.6 && age > 6 * HOUR) {
        contact(at(random.int(2, Math.floor(age / HOUR) - 1)));
      }
    } else if (fate < 0.72) {
      // Closed the loop in time.
      contact(at(random.int(1, 30)));
      close(at(random.int(32, 47)), random.next() < 0.9 ? 'resolved' : 'unresolved');
    } else if (fate < 0.84) {
      // Late: escalated to the manager, then resolved.
      overdue();
      escalate(1, at(DUE_HOURS + 0.1));
      contact(at(DUE_HOURS + random.int(2, 20)));
      close(at(DUE_HOURS + random.int(22, 40)), 'resolved');
    } else if (fate < 0.9) {
      contact(at(random.int(5, 40)));
      close(at(random.int(42, 47)), 'unresolved');
    } else {
      // Nobody acted: overdue, escalated to the manager and, a day later, to top management.
      overdue();
      escalate(1, at(DUE_HOURS + 0.1));
      escalate(2, at(DUE_HOURS + 24.1));
    }
    // "Did we put it right?" a week after resolution; most answer better than before.
    if (c.status === 'resolved' && c.closedAt && options.now.getTime() - c.closedAt.getTime() > 7 * DAY) {
      const sentAt = new Date(c.closedAt.getTime() + 7 * DAY);
      event(id, 'resurvey_sent', sentAt, null, { sent: true, channel: 'email' });
      if (random.next() < 0.6) {
        c.resurveyScore = Math.min(
          10,
          Math.max(
            score,
            random.weighted([
              [9, 3],
              [10, 2],
              [8, 3],
              [7, 2],
              [5, 1],
            ]),
          ),
        );
        c.resurveyAt = new Date(sentAt.getTime() + random.int(2, 72) * HOUR);
        if (c.resurveyAt > options.now) {
          c.resurveyScore = null;
          c.resurveyAt = null;
        } else {
          event(id, 'resurvey_answered', c.resurveyAt, null, { score: c.resurveyScore, openedScore: score });
        }
      }
    }
    cases.push(c);
  }

  for (let i = 0; i < cases.length; i += 500) {
    const part = cases.slice(i, i + 500) as (typeof cases)[number][];
    await db.execute(sql`insert into cases (org_id, id, number, response_id, survey_id, customer_id, unit_id, employee_id,
        rule_id, score, urgent, status, level, owner_user_id, due_at, escalation_step, escalated_at, overdue_at,
        first_contact_at, closed_at, root_cause, action_taken, action_cost_minor, outcome, resurvey_score, resurvey_at,
        created_at, updated_at)
      select ${orgId}, x.id, x.number, x."responseId", x."surveyId", x."customerId", x."unitId", x."employeeId",
             x."ruleId", x.score, x.urgent, x.status, x.level, x.owner, x."dueAt", x."escalationStep", x."escalatedAt",
             x."overdueAt", x."firstContactAt", x."closedAt", x."rootCause", x."actionTaken", x."actionCostMinor",
             x.outcome, x."resurveyScore", x."resurveyAt", x."createdAt", x."createdAt"
        from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as x(id uuid, number int, "responseId" uuid,
             "surveyId" uuid, "customerId" uuid, "unitId" uuid, "employeeId" uuid, "ruleId" text, score smallint,
             urgent boolean, status text, level text, owner uuid, "dueAt" timestamptz, "escalationStep" smallint,
             "escalatedAt" timestamptz, "overdueAt" timestamptz, "firstContactAt" timestamptz, "closedAt" timestamptz,
             "rootCause" text, "actionTaken" text, "actionCostMinor" bigint, outcome text, "resurveyScore" smallint,
             "resurveyAt" timestamptz, "createdAt" timestamptz)`);
  }
  for (let i = 0; i < events.length; i += 1000) {
    await db.execute(sql`insert into case_events (org_id, case_id, kind, actor_user_id, data, at)
      select ${orgId}, x."caseId", x.kind, x.actor, x.data, x.at
        from jsonb_to_recordset(${JSON.stringify(events.slice(i, i + 1000))}::jsonb)
          as x("caseId" uuid, kind text, actor uuid, data jsonb, at timestamptz)`);
  }
  return logins;
}
