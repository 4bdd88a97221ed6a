/**
 * @module The closed-loop playbook: which answers open a case for whom, by when, how a case escalates through the
 * three levels of management, and what promoters and passives get. Pure data and defaults; matching lives beside.
 */

export type Locale = 'ru' | 'en';
export type Localised = Record<Locale, string>;

/** Who acts: front-line staff, the unit's middle manager, top management. */
export type Level = 'frontline' | 'middle' | 'top';

/** When a rule applies. Every condition given must hold; an absent condition matches anything. */
export interface RuleMatch {
  /** Inclusive score range 0–10. */
  scoreMin?: number;
  scoreMax?: number;
  /** Only these surveys. */
  surveyIds?: string[];
  /** Answers about these units or anywhere in their subtrees. */
  unitIds?: string[];
  employeeIds?: string[];
  channels?: ('link' | 'email' | 'sms' | 'widget' | 'phone')[];
  /** The customer's value band (by revenue over the last 12 months), where known. */
  valueBands?: ('high' | 'medium' | 'low')[];
  /** Any of these words (or their stems) in the reason, case-insensitive. */
  reasonWords?: string[];
}

/** What a matching rule does. */
export type RuleAction =
  /** Open a case at `level`, due after `dueHours` (business hours when the calendar is on). */
  | { kind: 'open_case'; level: Level; dueHours: number; urgent?: boolean }
  /** Tell people at once (e-mail, dashboard, webhooks) without opening a case. */
  | { kind: 'alert'; levels: Level[] }
  /** Send the customer a message: thanks, a referral or review link, an offer. */
  | { kind: 'message'; template: 'thanks' | 'referral' | 'review' | 'offer'; text: Localised; url?: string };

export interface PlaybookRule {
  id: string;
  name: Localised;
  enabled: boolean;
  match: RuleMatch;
  actions: RuleAction[];
}

/** How an open case climbs when nobody closes it. */
export interface Escalation {
  /** Hours past the due time before it goes to the middle manager. 0 = as soon as it is overdue. */
  toMiddleAfterHours: number;
  /** Further hours still open before it goes to top management. */
  toTopAfterHours: number;
}

/** Working time for deadlines: when off, deadlines count calendar hours. */
export interface BusinessCalendar {
  enabled: boolean;
  /** ISO weekdays 1 (Monday) … 7 that are working days. */
  workdays: number[];
  /** Local 'HH:MM' in the org's time zone. */
  start: string;
  end: string;
  /** Non-working dates 'YYYY-MM-DD'. */
  holidays: string[];
}

export interface Playbook {
  rules: PlaybookRule[];
  escalation: Escalation;
  calendar: BusinessCalendar;
  /** Ask the customer again after a case is resolved ("did we put it right?"), after this many days; null = never. */
  resurveyAfterDays: number | null;
  /** Root-cause tags a case can be closed with. */
  rootCauses: { id: string; name: Localised }[];
}

/** The playbook every org starts with: the source documents' "within 2 days at most", three levels, ru/en. */
export const defaultPlaybook: Playbook = {
  rules: [
    {
      id: 'very-unhappy',
      name: { ru: 'Очень недовольный клиент (0–3)', en: 'Very unhappy customer (0–3)' },
      enabled: true,
      match: { scoreMin: 0, scoreMax: 3 },
      actions: [
        { kind: 'open_case', level: 'frontline', dueHours: 48, urgent: true },
        { kind: 'alert', levels: ['middle'] },
      ],
    },
    {
      id: 'alert-words',
      name: { ru: 'Тревожные слова в причине', en: 'Alarm words in the reason' },
      enabled: true,
      match: {
        scoreMin: 0,
        scoreMax: 6,
        reasonWords: [
          'суд',
          'жалоба',
          'роспотребнадзор',
          'мошенники',
          'травма',
          'хамство',
          'lawyer',
          'sue',
          'complaint',
          'fraud',
          'injury',
          'rude',
        ],
      },
      actions: [
        { kind: 'open_case', level: 'frontline', dueHours: 48, urgent: true },
        { kind: 'alert', levels: ['middle'] },
      ],
    },
    {
      id: 'detractor',
      name: { ru: 'Критик (0–6)', en: 'Detractor (0–6)' },
      enabled: true,
      match: { scoreMin: 0, scoreMax: 6 },
      actions: [{ kind: 'open_case', level: 'frontline', dueHours: 48 }],
    },
    {
      id: 'passive',
      name: { ru: 'Нейтрал (7–8)', en: 'Passive (7–8)' },
      enabled: false,
      match: { scoreMin: 7, scoreMax: 8 },
      actions: [
        {
          kind: 'message',
          template: 'offer',
          text: {
            ru: 'Спасибо за оценку! Расскажите, чего не хватило до «десятки» — ответьте на это письмо.',
            en: 'Thank you for your score! Tell us what kept it from a ten — just reply to this e-mail.',
          },
        },
      ],
    },
    {
      id: 'promoter',
      name: { ru: 'Промоутер (9–10)', en: 'Promoter (9–10)' },
      enabled: false,
      match: { scoreMin: 9, scoreMax: 10 },
      actions: [
        {
          kind: 'message',
          template: 'referral',
          text: {
            ru: 'Спасибо, что рекомендуете нас! Приведите друга — и вы оба получите подарок.',
            en: 'Thank you for recommending us! Bring a friend and you both get a gift.',
          },
        },
      ],
    },
  ],
  escalation: { toMiddleAfterHours: 0, toTopAfterHours: 24 },
  calendar: {
    enabled: false,
    workdays: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '18:00',
    holidays: [],
  },
  resurveyAfterDays: 7,
  rootCauses: [
    { id: 'staff', name: { ru: 'Персонал', en: 'Staff' } },
    { id: 'service', name: { ru: 'Качество услуги', en: 'Service quality' } },
    { id: 'price', name: { ru: 'Цена', en: 'Price' } },
    { id: 'cleanliness', name: { ru: 'Чистота', en: 'Cleanliness' } },
    { id: 'equipment', name: { ru: 'Оборудование', en: 'Equipment' } },
    { id: 'schedule', name: { ru: 'Расписание и запись', en: 'Schedule and booking' } },
    { id: 'other', name: { ru: 'Другое', en: 'Other' } },
  ],
};
