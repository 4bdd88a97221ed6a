// The demo's goals: what a chain's management would set after reading the demo's figures — the company's NPS up,
// the branch that dips brought back, detractors called back within 48 hours — each with monthly checkpoints.
import { addDays, localDay } from '../../domain/period.js';
import { customerTotal } from '../analytics/index.js';
import { addAction, createGoal, ownerCandidates } from '../goals/index.js';
import type { Ctx } from '../kernel/index.js';

/** No user has this id: a scope that reads as one unit's manager. */
const NOBODY = '00000000-0000-0000-0000-000000000000';

/** A target a few points above today's level, as a whole number (goals are read as whole points). */
const above = (nps: number | null, points: number) => Math.round((nps ?? 0) + points);

export async function loadDemoGoals(
  ctx: Ctx,
  options: { timeZone: string; dippingUnitId: string | null; dippingName: string | null },
): Promise<number> {
  const today = localDay(ctx.clock(), options.timeZone);
  const last90 = { from: addDays(today, -89), to: today };
  const company = await customerTotal(ctx, last90);
  const top = (await ownerCandidates(ctx, null)).map((p) => p.userId).slice(0, 2);
  const half = { kind: 'half' as const, from: today };
  let made = 0;

  await createGoal(ctx, {
    name: 'NPS компании +5 за полугодие',
    metric: 'nps',
    period: half,
    target: above(company.nps, 5),
    targetNote: `Уровень последних 90 дней: ${company.nps ?? '—'} (n = ${company.n}); цель — на 5 пунктов выше.`,
    ownerIds: top,
  });
  made++;

  await createGoal(ctx, {
    name: 'Критикам перезваниваем в течение 48 часов',
    metric: 'contactedWithin48h',
    period: half,
    target: 90,
    targetNote: 'Регламент замкнутого цикла: менеджер связывается с каждым критиком в течение 48 часов.',
    ownerIds: top,
  });
  made++;

  if (options.dippingUnitId) {
    // The branch's own figure: read as someone who sees that branch only.
    const asBranch: Ctx = {
      ...ctx,
      actor: { kind: 'user', userId: NOBODY, role: 'manager', unitIds: [options.dippingUnitId] },
    };
    const branch = await customerTotal(asBranch, last90);
    const managers = (await ownerCandidates(ctx, options.dippingUnitId))
      .filter((p) => p.level === 'middle')
      .map((p) => p.userId);
    const goal = await createGoal(ctx, {
      name: `Вернуть NPS филиала ${options.dippingName ?? ''}`.trim(),
      unitId: options.dippingUnitId,
      metric: 'nps',
      period: half,
      target: above(branch.nps, 15),
      targetNote: 'Провал последних месяцев: сломанные тренажёры и ремонт. Цель — вернуться к уровню сети.',
      ownerIds: managers.slice(0, 2),
    });
    await addAction(ctx, goal.id, { title: 'Починить тренажёры в зале силовых', day: addDays(today, 7) });
    made++;
  }
  return made;
}
