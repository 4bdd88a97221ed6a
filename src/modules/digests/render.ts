// A digest as an e-mail (HTML + plain text), in Russian or English.
import type { ReasonTerm } from '../../domain/reason-terms.js';
import type { NpsRow } from '../analytics/index.js';
import type { DropView } from '../drops/index.js';
import { goalDigestText } from '../goals/index.js';
import { digestThemeBlocks } from '../themes/index.js';
import type { DailyDigest, Digest, DigestCase, WeeklyDigest } from './content.js';

export type Locale = 'ru' | 'en';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const t = {
  ru: {
    dailySubject: (org: string, day: string) => `${org}: сводка за ${day}`,
    weeklySubject: (org: string, from: string, to: string) => `${org}: итоги недели ${from} — ${to}`,
    newCases: 'Новые обращения за вчера',
    overdue: 'Просроченные обращения',
    none: 'нет',
    npsYesterday: 'NPS вчера',
    npsWeek: (from: string, to: string) => `NPS за 7 дней (${from} — ${to})`,
    answers: (n: number) => `${n} ${plural(n, 'ответ', 'ответа', 'ответов')}`,
    noAnswers: 'ответов нет',
    small: 'мало ответов',
    reasons: 'Последние причины оценок',
    caseLine: (c: DigestCase) =>
      `№${c.number}: оценка ${c.score}${c.urgent ? ', срочно' : ''}${c.unitName ? `, ${c.unitName}` : ''}`,
    more: (n: number) => `и ещё ${n}`,
    weekNps: (from: string, to: string) => `NPS за неделю ${from} — ${to}`,
    baseline: (from: string, to: string) => `4 недели до этого (${from} — ${to})`,
    change: 'Изменение',
    significant: 'статистически значимо (p < 0,05)',
    notSignificant: 'в пределах случайных колебаний',
    moneyAtRisk: 'Деньги под риском',
    moneyHint: 'выручка за 12 месяцев клиентов, поставивших 0–6 за неделю',
    moneyUnknown: 'нет данных о выручке этих клиентов',
    customers: (n: number) => `${n} ${plural(n, 'клиент', 'клиента', 'клиентов')}`,
    overdueByUnit: 'Просроченные обращения по подразделениям',
    complaints: 'Чаще всего в жалобах (оценки 0–6)',
    wishes: 'Чаще всего в пожеланиях (оценки 7–8)',
    mentions: (n: number) => `${n}`,
    footer: 'Рассылку можно отключить или перенести на другое время в панели: «Уведомления».',
    empty: 'За этот период нового нет.',
    drops: 'Падение NPS',
    dropLine: (d: DropView) =>
      `${d.unitName ?? 'Компания в целом'}: NPS ${round(d.nps)} за ${d.periodKey} (было ${round(d.previousNps)}, ${signed(d.diff ?? 0)}; ${d.n} ${plural(d.n, 'ответ', 'ответа', 'ответов')})`,
  },
  en: {
    dailySubject: (org: string, day: string) => `${org}: digest for ${day}`,
    weeklySubject: (org: string, from: string, to: string) => `${org}: the week ${from} – ${to}`,
    newCases: 'New cases yesterday',
    overdue: 'Overdue cases',
    none: 'none',
    npsYesterday: 'NPS yesterday',
    npsWeek: (from: string, to: string) => `NPS over 7 days (${from} – ${to})`,
    answers: (n: number) => `${n} ${n === 1 ? 'answer' : 'answers'}`,
    noAnswers: 'no answers',
    small: 'small sample',
    reasons: 'Latest reasons',
    caseLine: (c: DigestCase) =>
      `#${c.number}: score ${c.score}${c.urgent ? ', urgent' : ''}${c.unitName ? `, ${c.unitName}` : ''}`,
    more: (n: number) => `and ${n} more`,
    weekNps: (from: string, to: string) => `NPS for the week ${from} – ${to}`,
    baseline: (from: string, to: string) => `the 4 weeks before (${from} – ${to})`,
    change: 'Change',
    significant: 'statistically significant (p < 0.05)',
    notSignificant: 'within random variation',
    moneyAtRisk: 'Money at risk',
    moneyHint: '12 months’ revenue of the customers who scored 0–6 this week',
    moneyUnknown: 'no revenue known for these customers',
    customers: (n: number) => `${n} ${n === 1 ? 'customer' : 'customers'}`,
    overdueByUnit: 'Overdue cases by unit',
    complaints: 'Most frequent in complaints (scores 0–6)',
    wishes: 'Most frequent in wishes (scores 7–8)',
    mentions: (n: number) => `${n}`,
    footer: 'Turn this digest off or change its time in the dashboard: Notifications.',
    empty: 'Nothing new in this period.',
    drops: 'NPS drops',
    dropLine: (d: DropView) =>
      `${d.unitName ?? 'The company as a whole'}: NPS ${round(d.nps)} in ${d.periodKey} (from ${round(d.previousNps)}, ${signed(d.diff ?? 0)}; ${d.n} ${d.n === 1 ? 'answer' : 'answers'})`,
  },
};

function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

const signed = (x: number) => (x > 0 ? `+${Math.round(x)}` : `${Math.round(x)}`);
const round = (x: number | null) => (x === null ? '—' : String(Math.round(x)));
/** The drops block, first in a digest when there is any (it is the news a manager must not miss). */
const dropBlocks = (drops: DropView[], l: Locale): Block[] =>
  drops.length ? [{ title: `${t[l].drops}: ${drops.length}`, lines: drops.map(t[l].dropLine) }] : [];
const numberLocale = (l: Locale) => (l === 'ru' ? 'ru-RU' : 'en-GB');

function npsText(r: NpsRow, l: Locale): string {
  if (r.nps === null) return t[l].noAnswers;
  return `${Math.round(r.nps)} (±${Math.round(r.moe ?? 0)}, ${t[l].answers(r.n)}${r.smallSample ? `, ${t[l].small}` : ''})`;
}

function money(amountMinor: number, currency: string, l: Locale): string {
  try {
    return new Intl.NumberFormat(numberLocale(l), {
      style: 'currency',
      currency,
      maximumFractionDigits: 0,
    }).format(amountMinor / 100);
  } catch {
    return `${Math.round(amountMinor / 100)} ${currency}`;
  }
}

/** A digest in blocks: a title and lines (or a note), turned into text and HTML alike. */
interface Block {
  title: string;
  lines: string[];
}

function dailyBlocks(d: DailyDigest, l: Locale): Block[] {
  const x = t[l];
  const cases = (c: DailyDigest['newCases']) => [
    ...c.items.map(x.caseLine),
    ...(c.count > c.items.length ? [x.more(c.count - c.items.length)] : []),
  ];
  return [
    ...dropBlocks(d.drops, l),
    { title: `${x.newCases}: ${d.newCases.count || x.none}`, lines: cases(d.newCases) },
    { title: `${x.overdue}: ${d.overdue.count || x.none}`, lines: cases(d.overdue) },
    { title: `${x.npsYesterday}: ${npsText(d.yesterday, l)}`, lines: [] },
    { title: `${x.npsWeek(d.week.from, d.week.to)}: ${npsText(d.week, l)}`, lines: [] },
    {
      title: x.reasons,
      lines: d.reasons.map((r) => `${r.score} — «${r.reason}»${r.unitName ? ` (${r.unitName})` : ''}`),
    },
    ...(d.goals.length > 0 ? [goalDigestText(d.goals, l)] : []),
    ...digestThemeBlocks(d.themes, l, false),
  ];
}

const termLines = (terms: ReasonTerm[]) => terms.map((term) => `${term.term} — ${term.count}`);

function weeklyBlocks(d: WeeklyDigest, l: Locale): Block[] {
  const x = t[l];
  const c = d.change;
  return [
    ...dropBlocks(d.drops, l),
    {
      title: `${x.weekNps(d.from, d.to)}: ${npsText(d.current, l)}`,
      lines: [
        `${x.baseline(d.baseline.from, d.baseline.to)}: ${npsText(d.baseline, l)}`,
        ...(c
          ? [
              `${x.change}: ${signed(c.diff)} — ${c.significant ? x.significant : x.notSignificant} (z = ${c.z.toFixed(2)}, p = ${c.pValue.toFixed(3)})`,
            ]
          : []),
      ],
    },
    {
      title: x.moneyAtRisk,
      lines: d.moneyAtRisk.length
        ? d.moneyAtRisk.map(
            (m) => `${money(m.amountMinor, m.currency, l)} — ${x.customers(m.customers)} (${x.moneyHint})`,
          )
        : [x.moneyUnknown],
    },
    {
      title: `${x.overdueByUnit}: ${d.overdueTotal || x.none}`,
      lines: d.overdueByUnit.map((o) => `${o.unitName} — ${o.count}`),
    },
    { title: x.complaints, lines: termLines(d.complaints) },
    { title: x.wishes, lines: termLines(d.wishes) },
    ...digestThemeBlocks(d.themes, l, true),
  ];
}

export function renderDigest(
  d: Digest,
  o: { locale: Locale; orgName: string; dashboardUrl: string | null },
): { subject: string; text: string; html: string } {
  const x = t[o.locale];
  const subject =
    d.kind === 'daily' ? x.dailySubject(o.orgName, d.day) : x.weeklySubject(o.orgName, d.from, d.to);
  const blocks = (d.kind === 'daily' ? dailyBlocks(d, o.locale) : weeklyBlocks(d, o.locale)).filter(
    (b) => b.lines.length > 0 || b.title.includes(':'),
  );
  const text = [
    subject,
    '',
    ...blocks.flatMap((b) => [b.title, ...b.lines.map((line) => `  • ${line}`), '']),
    ...(o.dashboardUrl ? [o.dashboardUrl, ''] : []),
    '—',
    x.footer,
  ].join('\n');
  const html = `<!doctype html><html lang="${o.locale}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:620px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 16px">${esc(subject)}</h1>
${blocks
  .map(
    (b) =>
      `<h2 style="font-size:16px;margin:20px 0 6px">${esc(b.title)}</h2>${
        b.lines.length
          ? `<ul style="margin:0;padding-left:20px">${b.lines.map((line) => `<li>${esc(line)}</li>`).join('')}</ul>`
          : ''
      }`,
  )
  .join('\n')}
${o.dashboardUrl ? `<p style="margin:24px 0"><a href="${esc(o.dashboardUrl)}">${esc(o.dashboardUrl)}</a></p>` : ''}
<p style="color:#777;font-size:12px;margin-top:32px">${esc(x.footer)}</p>
</body></html>`;
  return { subject, text, html };
}

export const emptyNote = (l: Locale) => t[l].empty;
