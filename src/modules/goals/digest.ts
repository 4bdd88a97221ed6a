// The goals lines of a manager's digest: each running goal of theirs, its status and where it stands.
import type { GoalStatus } from '../../domain/goals.js';
import type { Day } from '../../domain/period.js';
import type { Ctx } from '../kernel/index.js';
import { type GoalView, goalsForDigest } from './service.js';

export interface GoalDigestLine {
  name: string;
  status: GoalStatus | 'upcoming';
  /** The checkpoint the status was judged at: its day, target and actual; null when nothing could be judged. */
  day: Day | null;
  target: number | null;
  actual: number | null;
  n: number;
  percent: boolean;
}

/** What the digest says of the person's goals (at most five, their own first). */
export async function goalDigestLines(ctx: Ctx, today: Day): Promise<GoalDigestLine[]> {
  return (await goalsForDigest(ctx, today)).map((g: GoalView) => ({
    name: g.name,
    status: g.status,
    day: g.judged?.day ?? null,
    target: g.judged?.target ?? null,
    actual: g.judged?.actual?.value ?? null,
    n: g.judged?.actual?.n ?? 0,
    percent: g.metric !== 'nps',
  }));
}

const words = {
  ru: {
    title: 'Цели',
    on_track: 'в графике',
    at_risk: 'под угрозой',
    off_track: 'отстаёт',
    not_enough_data: 'мало ответов для оценки',
    upcoming: 'период ещё не начался',
    standing: (actual: string, target: string, day: string) => `${actual} при цели ${target} на ${day}`,
  },
  en: {
    title: 'Goals',
    on_track: 'on track',
    at_risk: 'at risk',
    off_track: 'off track',
    not_enough_data: 'not enough answers to judge',
    upcoming: 'the period has not begun',
    standing: (actual: string, target: string, day: string) => `${actual} against ${target} by ${day}`,
  },
} as const;

/** The section title and one plain-text line per goal, in the reader's language (the renderer escapes them). */
export function goalDigestText(
  lines: GoalDigestLine[],
  locale: 'ru' | 'en',
): { title: string; lines: string[] } {
  const w = words[locale];
  const num = (x: number, percent: boolean) =>
    `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(x)}${percent ? '%' : ''}`;
  return {
    title: w.title,
    lines: lines.map((l) => {
      const standing =
        l.actual !== null && l.target !== null && l.day && l.n > 0
          ? ` (${w.standing(num(l.actual, l.percent), num(l.target, l.percent), l.day)})`
          : '';
      return `${l.name}: ${w[l.status]}${standing}`;
    }),
  };
}
