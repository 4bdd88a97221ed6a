// The alert e-mail a person receives when the loop raises an event: what happened, the score, the reason, the
// unit, the due time and the link to the case, in Russian or English, as plain text and HTML.
import { cleanHeader } from '../delivery/index.js';

export type Locale = 'ru' | 'en';

/** What the loop core puts in an event's payload (see the contract); every field may be missing. */
export interface AlertPayload {
  caseId?: string;
  caseNumber?: number;
  score?: number;
  reason?: string | null;
  unitName?: string | null;
  employeeName?: string | null;
  customerName?: string | null;
  dueAt?: string | null;
  level?: string;
  step?: number;
  url?: string;
  resurveyScore?: number;
  /** nps_drop: the period judged ('2026-11', '2026-W47'), its NPS and answers, the period before, the test. */
  periodKey?: string;
  nps?: number;
  n?: number;
  previousNps?: number;
  previousN?: number;
  diff?: number;
  pValue?: number;
  floor?: number | null;
}

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const caseRef = (p: AlertPayload, locale: Locale) =>
  p.caseNumber === undefined ? '' : locale === 'ru' ? ` №${p.caseNumber}` : ` #${p.caseNumber}`;

const points = (x: number | undefined) => (x === undefined ? '—' : String(Math.round(x)));

const headlines: Record<Locale, (kind: string, p: AlertPayload) => string> = {
  ru: (kind, p) => {
    const n = caseRef(p, 'ru');
    switch (kind) {
      case 'case.opened':
        return `Новое обращение${n}: клиент поставил ${p.score ?? '—'}`;
      case 'case.urgent':
        return `Срочно: очень недовольный клиент (${p.score ?? '—'} из 10)`;
      case 'case.assigned':
        return `Вам передано обращение${n}`;
      case 'case.escalated':
        return `Эскалация: обращение${n} не закрыто в срок`;
      case 'case.overdue':
        return `Просрочено обращение${n}`;
      case 'case.resolved':
        return `Обращение${n} закрыто`;
      case 'resurvey.answered':
        return `Клиент ответил повторно по обращению${n}: ${p.resurveyScore ?? p.score ?? '—'}`;
      case 'nps_drop':
        return `NPS упал до ${points(p.nps)} (было ${points(p.previousNps)}) за ${p.periodKey ?? '—'}`;
      default:
        return `Событие: ${kind}`;
    }
  },
  en: (kind, p) => {
    const n = caseRef(p, 'en');
    switch (kind) {
      case 'case.opened':
        return `New case${n}: a customer scored ${p.score ?? '—'}`;
      case 'case.urgent':
        return `Urgent: a very unhappy customer (${p.score ?? '—'} of 10)`;
      case 'case.assigned':
        return `Case${n} was assigned to you`;
      case 'case.escalated':
        return `Escalation: case${n} was not closed in time`;
      case 'case.overdue':
        return `Case${n} is overdue`;
      case 'case.resolved':
        return `Case${n} was closed`;
      case 'resurvey.answered':
        return `The customer answered again on case${n}: ${p.resurveyScore ?? p.score ?? '—'}`;
      case 'nps_drop':
        return `NPS fell to ${points(p.nps)} (from ${points(p.previousNps)}) in ${p.periodKey ?? '—'}`;
      default:
        return `Event: ${kind}`;
    }
  },
};

const labels = {
  ru: {
    score: 'Оценка',
    reason: 'Причина',
    noReason: '(без комментария)',
    unit: 'Подразделение',
    employee: 'Сотрудник',
    customer: 'Клиент',
    due: 'Срок',
    level: 'Уровень',
    levels: {
      frontline: 'сотрудники',
      middle: 'руководитель подразделения',
      top: 'топ-менеджмент',
    } as Record<string, string>,
    open: 'Открыть обращение',
    drop: {
      period: 'Период',
      previous: 'Период до этого',
      change: 'Изменение',
      answers: 'ответов',
      significant: 'статистически значимо',
      floor: 'ниже вашего порога',
    },
    why: 'Вы получили это письмо, потому что отвечаете за обратную связь клиентов. Уведомления настраиваются в панели: «Уведомления».',
  },
  en: {
    score: 'Score',
    reason: 'Reason',
    noReason: '(no comment)',
    unit: 'Unit',
    employee: 'Employee',
    customer: 'Customer',
    due: 'Due',
    level: 'Level',
    levels: { frontline: 'front line', middle: 'middle manager', top: 'top management' } as Record<
      string,
      string
    >,
    open: 'Open the case',
    drop: {
      period: 'Period',
      previous: 'The period before',
      change: 'Change',
      answers: 'answers',
      significant: 'statistically significant',
      floor: 'below your threshold',
    },
    why: 'You received this because you follow up customer feedback. Choose what you get in the dashboard: Notifications.',
  },
} as const;

/** A due time as the person reads it: '3 дек. 2026 г., 12:00' / 'Dec 3, 2026, 12:00 PM', in their zone. */
// Building an Intl.DateTimeFormat costs ~1 ms; alerts use a handful of locale × zone pairs.
const whenFormats = new Map<string, Intl.DateTimeFormat>();

export function formatWhen(iso: string, locale: Locale, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${locale}|${timeZone}`;
  let format = whenFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    });
    whenFormats.set(key, format);
  }
  return format.format(date);
}

/** The one-line headline of an event (the e-mail's subject and the bell's title). */
export function headlineOf(kind: string, payload: AlertPayload, locale: Locale): string {
  const head = headlines[locale](kind, payload);
  return payload.unitName ? `${head} — ${payload.unitName}` : head;
}

/** What an NPS drop alert says: both periods with their answers, the change and why it alerted. */
function dropRows(p: AlertPayload, l: (typeof labels)[Locale]['drop']): [string, string][] {
  const why = [
    ...(p.pValue !== undefined && p.pValue < 0.05 ? [`${l.significant}, p = ${p.pValue.toFixed(3)}`] : []),
    ...(p.floor !== undefined && p.floor !== null && (p.nps ?? 0) < p.floor
      ? [`${l.floor} (${p.floor})`]
      : []),
  ];
  return [
    [l.period, `${p.periodKey ?? '—'}: NPS ${points(p.nps)} (${p.n ?? 0} ${l.answers})`],
    [l.previous, `NPS ${points(p.previousNps)} (${p.previousN ?? 0} ${l.answers})`],
    [
      l.change,
      `${p.diff === undefined ? '—' : Math.round(p.diff)}${why.length ? ` — ${why.join('; ')}` : ''}`,
    ],
  ];
}

export function renderAlert(input: {
  kind: string;
  payload: AlertPayload;
  locale: Locale;
  timeZone: string;
  orgName: string;
}): { subject: string; text: string; html: string } {
  const { kind, payload: p, locale, timeZone } = input;
  const l = labels[locale];
  const headline = headlineOf(kind, p, locale);
  const rows: [string, string][] = [];
  if (p.score !== undefined) rows.push([l.score, `${p.score} / 10`]);
  if (kind === 'nps_drop') rows.push(...dropRows(p, l.drop));
  else rows.push([l.reason, p.reason?.trim() ? p.reason.trim() : l.noReason]);
  if (p.unitName) rows.push([l.unit, p.unitName]);
  if (p.employeeName) rows.push([l.employee, p.employeeName]);
  if (p.customerName) rows.push([l.customer, p.customerName]);
  if (p.dueAt) rows.push([l.due, formatWhen(p.dueAt, locale, timeZone)]);
  if (p.level) rows.push([l.level, l.levels[p.level] ?? p.level]);
  const subject = cleanHeader(`${input.orgName}: ${headline}`);
  const text = [
    headline,
    '',
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...(p.url ? ['', `${l.open}: ${p.url}`] : []),
    '',
    '—',
    l.why,
  ].join('\n');
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${esc(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0 0 16px">${esc(headline)}</h1>
<table role="presentation" style="border-collapse:collapse;width:100%">${rows
    .map(
      ([k, v]) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;color:#555;font-weight:normal;white-space:nowrap">${esc(k)}</th><td style="padding:4px 0">${esc(v)}</td></tr>`,
    )
    .join('')}</table>
${p.url ? `<p style="margin:24px 0"><a href="${esc(p.url)}" style="background:#0c8599;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${esc(l.open)}</a></p>` : ''}
<p style="color:#777;font-size:12px;margin-top:32px">${esc(l.why)}</p>
</body></html>`;
  return { subject, text, html };
}
