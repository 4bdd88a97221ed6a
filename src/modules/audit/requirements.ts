/** @module What the accounting system must supply: each poorly filled field, the analysis it blocks, in ru and en. */

export type Severity = 'blocking' | 'important' | 'nice';

/** A count out of a total; share = count / total, 0 when the total is 0. */
export interface Share {
  count: number;
  total: number;
  share: number;
}

export const shareOf = (count: number, total: number): Share => ({
  count,
  total,
  share: total > 0 ? Math.min(1, Math.max(0, count / total)) : 0,
});

export type RequirementKey =
  | 'contacts_export'
  | 'contact_channel'
  | 'customer_email'
  | 'customer_phone'
  | 'customer_external_id'
  | 'duplicates'
  | 'contact_branch'
  | 'contact_employee'
  | 'contact_service'
  | 'contact_amount'
  | 'contact_time'
  | 'contact_external_id'
  | 'history_depth'
  | 'freshness';

export interface Requirement {
  key: RequirementKey;
  severity: Severity;
  /** What was measured: a share of customers or contacts, or a number of days or months. */
  measured: ({ kind: 'share' } & Share) | { kind: 'days' | 'months'; value: number };
  /** The field or data the accounting system must send. */
  field: { ru: string; en: string };
  /** The analysis that needs it. */
  neededFor: { ru: string; en: string };
  /** The whole finding in one sentence, then the requirement. */
  text: { ru: string; en: string };
}

/** What the requirements are judged on (the audit's measurements). */
export interface Measures {
  customers: number;
  contacts: number;
  validEmail: Share;
  mobilePhone: Share;
  neitherChannel: Share;
  customerExternalId: Share;
  duplicateCustomers: Share;
  branch: Share;
  employee: Share;
  service: Share;
  amount: Share;
  time: Share;
  contactExternalId: Share;
  /** Months between the first and the last contact of the base; null without contacts. */
  historyMonths: number | null;
  /** Days since the last contact of the base; null without contacts. */
  daysSinceLastContact: number | null;
}

/**
 * Severity thresholds on a share that should be high: below `blocking` the analysis cannot be done at all,
 * below `important` its result covers too little of the business to act on, below `nice` it is usable with gaps.
 */
interface Thresholds {
  blocking: number;
  important: number;
  nice: number;
}

function severityOf(share: number, t: Thresholds): Severity | null {
  if (share < t.blocking) return 'blocking';
  if (share < t.important) return 'important';
  if (share < t.nice) return 'nice';
  return null;
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`.replace('.', ',');
const pctEn = (share: number) => `${Math.round(share * 1000) / 10}%`;
const ru = (n: number) => n.toLocaleString('ru-RU');
const en = (n: number) => n.toLocaleString('en-US');

interface FieldRule {
  key: RequirementKey;
  of: 'customers' | 'contacts';
  thresholds: Thresholds;
  field: { ru: string; en: string };
  /** "указан" / "указана": the Russian participle agrees with the field's gender. */
  filled: string;
  neededFor: { ru: string; en: string };
  demand: { ru: string; en: string };
}

const CONTACT_FIELDS: (FieldRule & { measure: keyof Measures })[] = [
  {
    key: 'contact_branch',
    measure: 'branch',
    of: 'contacts',
    thresholds: { blocking: 0.5, important: 0.9, nice: 0.99 },
    field: { ru: 'Филиал', en: 'Branch' },
    filled: 'указан',
    neededFor: { ru: 'NPS по филиалам и сравнение филиалов', en: 'NPS by branch and branch comparison' },
    demand: {
      ru: 'выгружать код филиала (подразделения) в каждом визите',
      en: 'send the branch (unit) code with every visit',
    },
  },
  {
    key: 'contact_employee',
    measure: 'employee',
    of: 'contacts',
    thresholds: { blocking: 0, important: 0.5, nice: 0.9 },
    field: { ru: 'Сотрудник', en: 'Employee' },
    filled: 'указан',
    neededFor: { ru: 'NPS по сотрудникам', en: 'NPS by employee' },
    demand: {
      ru: 'выгружать ФИО или табельный номер мастера в каждом визите',
      en: "send the employee's name or staff number with every visit",
    },
  },
  {
    key: 'contact_service',
    measure: 'service',
    of: 'contacts',
    thresholds: { blocking: 0, important: 0.5, nice: 0.9 },
    field: { ru: 'Услуга', en: 'Service' },
    filled: 'указана',
    neededFor: { ru: 'NPS по услугам и корзины покупок', en: 'NPS by service and purchase baskets' },
    demand: {
      ru: 'выгружать название или код услуги (товара) в каждом визите',
      en: 'send the service or product name or code with every visit',
    },
  },
  {
    key: 'contact_amount',
    measure: 'amount',
    of: 'contacts',
    thresholds: { blocking: 0, important: 0.5, nice: 0.9 },
    field: { ru: 'Сумма', en: 'Amount' },
    filled: 'указана',
    neededFor: { ru: 'LTV и NPS по группам выручки', en: 'LTV and NPS by revenue band' },
    demand: {
      ru: 'выгружать сумму визита (чека) в рублях с копейками',
      en: 'send the amount of each visit (receipt) with its kopecks',
    },
  },
  {
    key: 'contact_time',
    measure: 'time',
    of: 'contacts',
    thresholds: { blocking: 0, important: 0.5, nice: 0.9 },
    field: { ru: 'Время визита', en: 'Visit time' },
    filled: 'указано',
    neededFor: {
      ru: 'транзакционные опросы через заданное время после каждого визита',
      en: 'transactional surveys a set delay after each visit',
    },
    demand: {
      ru: 'выгружать дату и время визита, а не только дату',
      en: 'send the date and time of each visit, not the date alone',
    },
  },
  {
    key: 'contact_external_id',
    measure: 'contactExternalId',
    of: 'contacts',
    thresholds: { blocking: 0, important: 0.5, nice: 0.95 },
    field: { ru: 'Номер визита (чека)', en: 'Visit (receipt) number' },
    filled: 'указан',
    neededFor: {
      ru: 'повторная выгрузка без задвоения визитов',
      en: 'sending a file again without doubling visits',
    },
    demand: {
      ru: 'выгружать уникальный номер визита или чека',
      en: 'send a unique visit or receipt number',
    },
  },
];

const CUSTOMER_FIELDS: (FieldRule & { measure: keyof Measures })[] = [
  {
    key: 'customer_email',
    measure: 'validEmail',
    of: 'customers',
    thresholds: { blocking: 0, important: 0.5, nice: 0.8 },
    field: { ru: 'Действующий e-mail', en: 'A valid e-mail' },
    filled: 'есть',
    neededFor: { ru: 'опрос по e-mail, самый дешёвый канал', en: 'e-mail surveys, the cheapest channel' },
    demand: {
      ru: 'собирать e-mail при записи клиента и выгружать его в карточке клиента',
      en: "collect the e-mail when a customer signs up and send it with the customer's record",
    },
  },
  {
    key: 'customer_phone',
    measure: 'mobilePhone',
    of: 'customers',
    thresholds: { blocking: 0, important: 0.5, nice: 0.8 },
    field: { ru: 'Мобильный телефон', en: 'A mobile phone' },
    filled: 'есть',
    neededFor: { ru: 'опросы по SMS и телефонные интервью', en: 'SMS surveys and phone interviews' },
    demand: {
      ru: 'выгружать мобильный телефон клиента полностью, с кодом оператора (+7 9XX …)',
      en: "send the customer's full mobile number with its operator code (+7 9XX …)",
    },
  },
  {
    key: 'customer_external_id',
    measure: 'customerExternalId',
    of: 'customers',
    thresholds: { blocking: 0.5, important: 0.95, nice: 0.999 },
    field: { ru: 'Код клиента из учётной системы', en: "The accounting system's customer code" },
    filled: 'есть',
    neededFor: {
      ru: 'повторная выгрузка без дублей и переходы клиента между критиками и промоутерами',
      en: 'sending a file again without duplicates, and following a customer from detractor to promoter',
    },
    demand: {
      ru: 'выгружать постоянный код клиента в каждой строке',
      en: 'send a permanent customer code on every row',
    },
  },
];

function fieldRequirement(rule: FieldRule, measured: Share): Requirement | null {
  const severity = severityOf(measured.share, rule.thresholds);
  if (!severity) return null;
  const text =
    rule.of === 'contacts'
      ? {
          ru: `${rule.field.ru} ${rule.filled} в ${pct(measured.share)} визитов (${ru(measured.count)} из ${ru(measured.total)}) — без этого недоступно: ${rule.neededFor.ru}. Требование: ${rule.demand.ru}.`,
          en: `${rule.field.en} is given in ${pctEn(measured.share)} of visits (${en(measured.count)} of ${en(measured.total)}) — needed for ${rule.neededFor.en}. Requirement: ${rule.demand.en}.`,
        }
      : {
          ru: `${rule.field.ru} ${rule.filled} у ${pct(measured.share)} клиентов (${ru(measured.count)} из ${ru(measured.total)}) — без этого недоступно: ${rule.neededFor.ru}. Требование: ${rule.demand.ru}.`,
          en: `${rule.field.en} is known for ${pctEn(measured.share)} of customers (${en(measured.count)} of ${en(measured.total)}) — needed for ${rule.neededFor.en}. Requirement: ${rule.demand.en}.`,
        };
  return {
    key: rule.key,
    severity,
    measured: { kind: 'share', ...measured },
    field: rule.field,
    neededFor: rule.neededFor,
    text,
  };
}

/** History shorter than this cannot relate NPS to a year of revenue and churn. */
export const MIN_HISTORY_MONTHS = 12;
/** Contacts older than this mean the export is not running: transactional surveys would go out late. */
export const STALE_AFTER_DAYS = 30;
/** Contacts should arrive at least daily (an export each night, or the webhook as they happen). */
export const FRESH_WITHIN_DAYS = 2;

const SEVERITY_ORDER: Record<Severity, number> = { blocking: 0, important: 1, nice: 2 };

/** Every requirement the base does not yet meet, most severe first. */
export function requirementsOf(m: Measures): Requirement[] {
  const out: Requirement[] = [];

  // Customers who cannot be reached at all: below 30% reachable there is no survey of the base worth the name.
  const reachable = 1 - m.neitherChannel.share;
  if (m.customers === 0 || reachable < 0.3) {
    out.push({
      key: 'contact_channel',
      severity: 'blocking',
      measured: { kind: 'share', ...m.neitherChannel },
      field: { ru: 'E-mail или телефон клиента', en: "The customer's e-mail or phone" },
      neededFor: { ru: 'любой опрос по базе', en: 'any survey of the base' },
      text: {
        ru: `Ни e-mail, ни телефона нет у ${pct(m.neitherChannel.share)} клиентов (${ru(m.neitherChannel.count)} из ${ru(m.neitherChannel.total)}) — их нельзя пригласить ни в один опрос. Требование: выгружать e-mail и мобильный телефон в карточке клиента.`,
        en: `${pctEn(m.neitherChannel.share)} of customers (${en(m.neitherChannel.count)} of ${en(m.neitherChannel.total)}) have neither an e-mail nor a phone — they cannot be invited to any survey. Requirement: send the e-mail and mobile phone with each customer's record.`,
      },
    });
  }
  for (const rule of CUSTOMER_FIELDS) {
    const r = fieldRequirement(rule, m[rule.measure] as Share);
    if (r) out.push(r);
  }
  // Duplicates are bad when high: judged on the share of customers who are not duplicates.
  const dupSeverity = severityOf(1 - m.duplicateCustomers.share, {
    blocking: 0,
    important: 0.95,
    nice: 0.99,
  });
  if (dupSeverity && m.duplicateCustomers.count > 0) {
    out.push({
      key: 'duplicates',
      severity: dupSeverity,
      measured: { kind: 'share', ...m.duplicateCustomers },
      field: { ru: 'Один код клиента на человека', en: 'One customer code per person' },
      neededFor: {
        ru: 'одно приглашение и один голос на человека',
        en: 'one invitation and one vote per person',
      },
      text: {
        ru: `${pct(m.duplicateCustomers.share)} клиентов (${ru(m.duplicateCustomers.count)}) делят e-mail или телефон с другой карточкой — вероятно, один человек заведён дважды: он получит два приглашения и будет посчитан дважды. Требование: объединить дубли в учётной системе и выгружать один код клиента на человека.`,
        en: `${pctEn(m.duplicateCustomers.share)} of customers (${en(m.duplicateCustomers.count)}) share an e-mail or phone with another record — probably one person entered twice, who would get two invitations and be counted twice. Requirement: merge duplicates in the accounting system and send one customer code per person.`,
      },
    });
  }

  if (m.contacts === 0) {
    out.push({
      key: 'contacts_export',
      severity: 'blocking',
      measured: { kind: 'share', count: 0, total: m.customers, share: 0 },
      field: { ru: 'Визиты и покупки', en: 'Visits and purchases' },
      neededFor: {
        ru: 'транзакционные опросы и любой разрез NPS (филиалы, сотрудники, услуги)',
        en: 'transactional surveys and any NPS breakdown (branches, employees, services)',
      },
      text: {
        ru: 'В базе нет ни одного визита — без визитов нет транзакционных опросов и ни одного разреза NPS. Требование: выгружать визиты и покупки: дата и время, клиент, филиал, сотрудник, услуга, сумма.',
        en: 'The base has no visits at all — without them there are no transactional surveys and no NPS breakdown. Requirement: send visits and purchases: date and time, customer, branch, employee, service, amount.',
      },
    });
  } else {
    for (const rule of CONTACT_FIELDS) {
      const r = fieldRequirement(rule, m[rule.measure] as Share);
      if (r) out.push(r);
    }
    if (m.historyMonths !== null && m.historyMonths < MIN_HISTORY_MONTHS) {
      out.push({
        key: 'history_depth',
        severity: 'important',
        measured: { kind: 'months', value: m.historyMonths },
        field: { ru: 'История визитов и оплат', en: 'History of visits and payments' },
        neededFor: {
          ru: 'связь NPS с выручкой и оттоком за год',
          en: 'relating NPS to a year of revenue and churn',
        },
        text: {
          ru: `История визитов в базе охватывает ${ru(m.historyMonths)} мес., а нужно не меньше ${MIN_HISTORY_MONTHS} — без неё не связать NPS с выручкой и оттоком. Требование: выгрузить историю визитов и оплат минимум за ${MIN_HISTORY_MONTHS} месяцев.`,
          en: `The visit history covers ${en(m.historyMonths)} months, and at least ${MIN_HISTORY_MONTHS} are needed to relate NPS to revenue and churn. Requirement: send the history of visits and payments for at least ${MIN_HISTORY_MONTHS} months.`,
        },
      });
    }
    const days = m.daysSinceLastContact;
    if (days !== null && days > FRESH_WITHIN_DAYS) {
      out.push({
        key: 'freshness',
        severity: days > STALE_AFTER_DAYS ? 'important' : 'nice',
        measured: { kind: 'days', value: days },
        field: { ru: 'Свежие визиты', en: 'Recent visits' },
        neededFor: {
          ru: 'транзакционные опросы вовремя, пока клиент помнит визит',
          en: 'transactional surveys on time, while the customer remembers the visit',
        },
        text: {
          ru: `Последний визит в базе был ${ru(days)} дн. назад — данные отстают, и опрос после визита уйдёт с опозданием. Требование: выгружать визиты ежедневно или передавать их через вебхук сразу после визита.`,
          en: `The latest visit in the base was ${en(days)} days ago — the data lags, and a survey after a visit would go out late. Requirement: send visits daily, or push each one through the webhook as it happens.`,
        },
      });
    }
  }
  return out.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
