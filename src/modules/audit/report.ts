/** @module The audit as a plain-text report for the terminal, in Russian or English. */
import type { MethodPlan } from '../../domain/survey-method.js';
import type { Share } from './requirements.js';
import type { AuditFindings } from './service.js';

type Lang = 'ru' | 'en';

const T = {
  ru: {
    title: 'Аудит готовности клиентской базы',
    scopeAll: 'вся организация',
    scopeUnit: 'подразделение',
    took: 'посчитано за',
    customers: 'Клиенты',
    base: 'Клиентов в базе',
    validEmail: 'Действующий e-mail',
    invalidEmail: '  ошибка в адресе',
    disposable: '  одноразовый домен',
    role: '  общий ящик (info@, zakaz@…)',
    typo: '  опечатка в домене (gmial.com…)',
    dupEmail: '  тот же адрес у другого клиента',
    suppressedEmail: '  в стоп-листе рассылки',
    mobile: 'Мобильный телефон',
    landline: '  городской (только звонок)',
    invalidPhone: '  неверный номер',
    dupPhone: '  тот же номер у другого клиента',
    suppressedPhone: '  в стоп-листе SMS',
    neither: 'Ни e-mail, ни телефона',
    optedOut: 'Отказались от опросов',
    duplicates: 'Вероятные дубли клиентов',
    externalId: 'С кодом клиента из учётной системы',
    contacts: 'Визиты',
    contactsTotal: 'Визитов в базе',
    branch: 'Филиал указан',
    employee: 'Сотрудник указан',
    service: 'Услуга указана',
    amount: 'Сумма указана',
    time: 'Время визита указано',
    contactId: 'Номер визита (чека) указан',
    history: 'История и свежесть',
    depth: 'Глубина истории',
    months: 'мес.',
    lastContact: 'Последний визит',
    daysAgo: 'дн. назад',
    span12: 'Клиентов с историей ≥ 12 мес.',
    recent: 'Визит за последние 30 / 90 / 365 дней',
    frequency: 'Визитов за год на клиента',
    recommendation: 'Рекомендуемый способ опроса',
    methods: {
      email: 'e-mail',
      sms: 'SMS',
      phone: 'телефонное интервью',
      mix: 'смешанный',
      none: 'опрос невозможен',
    },
    unreliable: 'выборка мала для надёжного NPS',
    table: ['Канал', 'Охват', 'Ответов', 'NPS ±'],
    assumptions: 'Допущения',
    rates:
      'Отклик: e-mail {e}, SMS {s}, телефон {p} дозвонившихся; {c} звонков в час на оператора; ожидаемый NPS 30 (50/30/20).',
    requirements: 'Требования к учётной системе',
    severity: { blocking: 'БЛОКИРУЕТ', important: 'ВАЖНО', nice: 'ЖЕЛАТЕЛЬНО' },
    noRequirements: 'Все требования выполнены.',
    examples: 'Примеры для исправления',
  },
  en: {
    title: 'Client database readiness audit',
    scopeAll: 'whole organisation',
    scopeUnit: 'unit',
    took: 'computed in',
    customers: 'Customers',
    base: 'Customers in the base',
    validEmail: 'Valid e-mail',
    invalidEmail: '  malformed address',
    disposable: '  disposable domain',
    role: '  role mailbox (info@, sales@…)',
    typo: '  domain typo (gmial.com…)',
    dupEmail: '  same address as another customer',
    suppressedEmail: '  on the e-mail suppression list',
    mobile: 'Mobile phone',
    landline: '  landline (calls only)',
    invalidPhone: '  invalid number',
    dupPhone: '  same number as another customer',
    suppressedPhone: '  on the SMS suppression list',
    neither: 'Neither e-mail nor phone',
    optedOut: 'Opted out of surveys',
    duplicates: 'Probable duplicate customers',
    externalId: "With the accounting system's customer code",
    contacts: 'Visits',
    contactsTotal: 'Visits in the base',
    branch: 'Branch given',
    employee: 'Employee given',
    service: 'Service given',
    amount: 'Amount given',
    time: 'Time of visit given',
    contactId: 'Visit (receipt) number given',
    history: 'History and recency',
    depth: 'History depth',
    months: 'months',
    lastContact: 'Latest visit',
    daysAgo: 'days ago',
    span12: 'Customers with ≥ 12 months of history',
    recent: 'Visited in the last 30 / 90 / 365 days',
    frequency: 'Visits per customer in a year',
    recommendation: 'Recommended survey method',
    methods: {
      email: 'e-mail',
      sms: 'SMS',
      phone: 'phone interview',
      mix: 'a mix',
      none: 'no survey possible',
    },
    unreliable: 'sample too small for a reliable NPS',
    table: ['Channel', 'Reach', 'Answers', 'NPS ±'],
    assumptions: 'Assumptions',
    rates:
      'Response: e-mail {e}, SMS {s}, phone {p} of those called; {c} calls per operator-hour; expected NPS 30 (50/30/20).',
    requirements: 'Requirements to the accounting system',
    severity: { blocking: 'BLOCKING', important: 'IMPORTANT', nice: 'NICE TO HAVE' },
    noRequirements: 'Every requirement is met.',
    examples: 'Examples to fix',
  },
} as const;

/** The findings as the terminal shows them. */
export function renderAuditReport(f: AuditFindings, lang: Lang): string {
  const t = T[lang];
  const locale = lang === 'ru' ? 'ru-RU' : 'en-US';
  const num = (n: number) => n.toLocaleString(locale);
  const pct = (share: number) => `${(Math.round(share * 1000) / 10).toLocaleString(locale)}%`;
  const line = (label: string, s: Share) =>
    `  ${label.padEnd(44)} ${pct(s.share).padStart(7)}  ${num(s.count).padStart(10)}`;
  const out: string[] = [];
  out.push(
    `${t.title} — ${f.unitId ? `${t.scopeUnit} ${f.unitId}` : t.scopeAll} (${t.took} ${num(f.durationMs)} ms)`,
  );
  out.push('');
  out.push(t.customers);
  out.push(`  ${t.base.padEnd(44)} ${''.padStart(7)}  ${num(f.customers.total).padStart(10)}`);
  out.push(line(t.validEmail, f.email.valid));
  out.push(line(t.invalidEmail, f.email.invalid));
  out.push(line(t.disposable, f.email.disposable));
  out.push(line(t.role, f.email.role));
  out.push(line(t.typo, f.email.typo));
  out.push(line(t.dupEmail, f.email.duplicate));
  out.push(line(t.suppressedEmail, f.email.suppressed));
  out.push(line(t.mobile, f.phone.mobile));
  out.push(line(t.landline, f.phone.landline));
  out.push(line(t.invalidPhone, f.phone.invalid));
  out.push(line(t.dupPhone, f.phone.duplicate));
  out.push(line(t.suppressedPhone, f.phone.suppressed));
  out.push(line(t.neither, f.customers.neitherChannel));
  out.push(line(t.optedOut, f.customers.optedOut));
  out.push(line(t.duplicates, f.customers.duplicates));
  out.push(line(t.externalId, f.customers.withExternalId));
  out.push('');
  out.push(t.contacts);
  out.push(`  ${t.contactsTotal.padEnd(44)} ${''.padStart(7)}  ${num(f.contacts.total).padStart(10)}`);
  out.push(line(t.branch, f.contacts.withBranch));
  out.push(line(t.employee, f.contacts.withEmployee));
  out.push(line(t.service, f.contacts.withService));
  out.push(line(t.amount, f.contacts.withAmount));
  out.push(line(t.time, f.contacts.withTime));
  out.push(line(t.contactId, f.contacts.withExternalId));
  out.push('');
  out.push(t.history);
  const h = f.history;
  out.push(`  ${t.depth.padEnd(44)} ${h.months === null ? '—' : `${num(h.months)} ${t.months}`}`);
  out.push(
    `  ${t.lastContact.padEnd(44)} ${h.daysSinceLastContact === null ? '—' : `${num(h.daysSinceLastContact)} ${t.daysAgo}`}`,
  );
  out.push(line(t.span12, h.span12Months));
  out.push(
    `  ${t.recent.padEnd(44)} ${[h.recent30, h.recent90, h.recent365].map((s) => pct(s.share)).join(' / ')}`,
  );
  out.push(
    `  ${t.frequency.padEnd(44)} ${h.frequency.map((b) => `${b.bucket}: ${pct(b.share)}`).join('  ')}`,
  );
  out.push('');
  const r = f.recommendation;
  out.push(
    `${t.recommendation}: ${t.methods[r.method].toUpperCase()}${r.reliable ? '' : ` (${t.unreliable})`}`,
  );
  const row = (cells: string[]) =>
    `  ${cells[0]!.padEnd(22)}${cells
      .slice(1)
      .map((c) => c.padStart(14))
      .join('')}`;
  out.push(row([...t.table]));
  const moe = (m: number | null) => (m === null ? '—' : `±${Math.round(m)}`);
  for (const p of r.plans.filter((p: MethodPlan) => p.method !== 'mix' || p.parts.length > 1)) {
    out.push(
      row([
        t.methods[p.method],
        num(p.reach),
        `${num(p.answers.low)}–${num(p.answers.high)}`,
        `${moe(p.moe.low)}…${moe(p.moe.high)}`,
      ]),
    );
  }
  for (const reason of r.reasons) out.push(`  • ${reason[lang]}`);
  const rates = f.assumptions.responseRates;
  const range = (x: { low: number; high: number }) => `${pct(x.low)}–${pct(x.high)}`;
  out.push(
    `  ${t.assumptions}: ${t.rates
      .replace('{e}', range(rates.email))
      .replace('{s}', range(rates.sms))
      .replace('{p}', range(rates.phone))
      .replace('{c}', String(f.assumptions.callsPerOperatorHour))}`,
  );
  out.push('');
  out.push(t.requirements);
  if (f.requirements.length === 0) out.push(`  ${t.noRequirements}`);
  for (const req of f.requirements) out.push(`  [${t.severity[req.severity]}] ${req.text[lang]}`);
  if (f.examples?.length) {
    out.push('');
    out.push(t.examples);
    for (const e of f.examples) {
      out.push(
        `  ${e.kind.padEnd(18)} ${e.customerId}  ${e.value}${e.suggestion ? ` → ${e.suggestion}` : ''}`,
      );
    }
  }
  return out.join('\n');
}
