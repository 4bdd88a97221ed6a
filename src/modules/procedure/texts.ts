// Every word of the closed-loop procedure document, in English and Russian (the compiler checks both have all).
import type { Level } from '../../domain/playbook.js';

export type ProcedureLocale = 'ru' | 'en';

const en = {
  locale: 'en-GB',
  title: 'The closed-loop system for three levels of management',
  subtitle: 'Procedure for acting on customer feedback',
  preparedFor: 'Prepared for',
  date: 'Date',
  playbookDefault: 'Based on the default playbook (not changed by the organisation)',
  playbookVersion: (version: number, date: string) => `Based on playbook version ${version} of ${date}`,
  generated:
    'This document is generated from the organisation’s current playbook, roles and deadlines. When the playbook or the people change, generate it again.',
  contents: 'Contents',
  contentsHint: 'If the list is empty, update the field (right click → Update field, or F9).',
  page: 'Page',
  of: 'of',
  fileName: 'closed-loop-procedure',
  quote: (text: string) => `“${text}”`,

  levels: {
    frontline: 'Front-line staff',
    middle: 'Middle managers',
    top: 'Top management',
  } satisfies Record<Level, string>,
  /** After "to" (Russian: the dative). */
  levelsTo: {
    frontline: 'front-line staff',
    middle: 'middle managers',
    top: 'top management',
  } satisfies Record<Level, string>,

  purpose: {
    heading: 'Purpose and principles',
    text: (org: string) =>
      `This procedure sets out how ${org} closes the loop with its customers: every answer to the question “How likely are you to recommend us?” reaches the people who can act on it, every unhappy customer is contacted within a set time, and what customers say becomes decisions at every level of management.`,
    principles: 'Principles',
    detractor: (due: string) =>
      `Every detractor (a score of 0–6) is heard within ${due}: someone contacts the customer, listens and puts things right where possible.`,
    noDetractorRule:
      'No rule of the playbook opens a case for every detractor; only the answers the rules below name are followed up.',
    urgent: (cases: string, who: string) =>
      `Alerts go at once, without waiting for the deadline, to ${who} when an answer has ${cases}.`,
    urgentScore: (range: string) => `a score of ${range}`,
    urgentWords: 'alarm words in its reason',
    or: ' or ',
    urgentNone:
      'No rule alerts managers at once about very unhappy customers: they learn of them from cases and digests.',
    escalation: (toMiddle: string, toTop: string) =>
      `A case nobody closes in time climbs: to middle managers ${toMiddle}, and to top management ${toTop}.`,
    record:
      'Contact first, then fix, then record: each case is closed with a root cause, the action taken and its outcome, so that recurring causes can be fixed for everyone.',
    resurvey: (days: string) =>
      `${days} after a case is resolved, the customer is asked again whether we put it right, and the change of their score is recorded.`,
    noResurvey: 'Customers are not asked again after a case is resolved (switched off in the playbook).',
    noBlame:
      'No blame: feedback about staff is used to coach people and to fix processes, not to punish. Employee (eNPS) answers are anonymous and never open a case about a person.',
    everyone:
      'Promoters and passives are part of the loop too: they are thanked, and their wishes reach the managers.',
  },

  roles: {
    heading: 'Levels, roles and people',
    intro:
      'Each level has its own work. People are assigned to a level by their role in Sarafan and by the units they are responsible for.',
    columns: ['Level', 'Role in Sarafan', 'People', 'Responsible for'],
    roleOf: {
      frontline: 'front-line users, and employees with their own login',
      middle: 'managers',
      top: 'owners and administrators',
    } satisfies Record<Level, string>,
    scopeOf: {
      frontline: 'their own cases',
      middle: 'the units assigned to them and all units below',
      top: 'the whole organisation',
    } satisfies Record<Level, string>,
    count: (n: number) => (n === 1 ? '1 person' : `${n} people`),
    nobody: 'nobody yet',
    namesHidden: 'names are not shown to analysts',
    andMore: (n: number) => `and ${n} more`,
    unnamed: 'no name',
    fallThrough:
      'When a level has nobody for a unit, its cases and alerts go to the next level up: an answer about a unit with no front-line login goes to its manager, a unit with no manager to top management.',
    employees: (withLogin: number, total: number) =>
      `${withLogin} of ${total} active employees have their own login: cases that name one of them go straight to that person.`,
    noManager: (units: string) =>
      `Units with no middle manager now (their alerts and escalations go to top management): ${units}.`,
    noFrontline: (units: string) =>
      `Units with no front-line login now (their cases go to their managers): ${units}.`,
  },

  receive: 'What they receive',
  mustDo: 'What they must do and by when',
  indicatorsHeading: 'Indicators',
  receiveColumns: ['What', 'When', 'How'],
  deadlineColumns: ['Case', 'Deadline', 'Counted in'],
  indicatorColumns: ['Indicator', 'How it is measured', 'Recommended target'],
  atOnce: 'at once, when the answer arrives',
  dueIn: (hours: string) => `due in ${hours}`,
  byMail: 'e-mail and the dashboard bell',
  caseFrom: (rule: string) => `A case: ${rule}`,
  urgentCaseFrom: (rule: string) => `An urgent case: ${rule}`,
  alertFrom: (rule: string) => `An alert: ${rule}`,
  caseHow:
    'e-mail, the dashboard bell, and the “My call-backs” page with the customer’s contacts and history',
  alertHow: 'e-mail and the dashboard bell (and the organisation’s webhooks)',
  assigned: 'A case handed to them',
  assignedWhen: 'when a manager reassigns it',
  overdueNotice: 'A notice that their case is overdue',
  overdueWhen: 'when the deadline passes',
  escalatedTo: (step: number) => `A case escalated to them (step ${step})`,
  escalatedWhen: (after: string) => `${after}, if the case is still open`,
  dailyDigest: 'The daily digest',
  dailyWhen: (time: string) => `every day at ${time}, their local time`,
  dailyWhat: 'e-mail: new and overdue cases, their units’ NPS and the latest reasons',
  weeklyDigest: 'The weekly digest',
  weeklyWhen: (weekday: string, time: string) => `every week, ${weekday} at ${time}, their local time`,
  weeklyWhat:
    'e-mail: NPS and its change (with significance), money at risk, overdue cases by unit, the most frequent wishes and complaints',
  digestPrefs:
    'Each person can choose the time of their digests and what they receive, or mute them, in their settings.',
  calendarHours: 'calendar hours, around the clock',
  workingHours: 'working hours',

  frontline: {
    heading: 'Front-line staff',
    intro:
      'Front-line staff are the people who served the customer: they are the first to call, because they know what happened and can put it right fastest.',
    steps: [
      'Open the “My call-backs” page at the start of the shift: it lists the open cases due today or overdue and the call-backs promised for today, most urgent first; it works on a phone.',
      'Contact the customer before the deadline (table below). Call first; if there is no answer, try again later and write an e-mail or SMS. Log every attempt: reached, no answer, voicemail, wrong number, or a call-back at an agreed time.',
      'Listen, apologise where we were wrong, and agree on what will be done. Do not argue about the score and never ask the customer to change it.',
      'Record the root cause, the action taken (and its cost, if any) and the outcome, and close the case as resolved or could not resolve.',
      'If you cannot solve the problem yourself, hand the case to your manager at once — do not let it go overdue.',
    ],
    deadlines: 'Deadlines for the first contact and for closing a case:',
    noCases: 'No rule of the playbook opens cases for front-line staff now.',
  },

  middle: {
    heading: 'Middle managers',
    intro:
      'Middle managers (heads of branches, departments and regions) make sure every case in their units is handled in time, react to urgent alerts, and coach their staff.',
    steps: (toTop: string | null) => [
      'React to an urgent alert the same day: make sure the case owner has contacted the customer, or call the customer yourself.',
      'Read the daily digest: every new case has an owner, and no case is about to go overdue.',
      toTop
        ? `Take over a case escalated to you: contact the customer and close the case within ${toTop}, otherwise it goes to top management.`
        : 'Follow the cases escalated to you: the playbook passes them on to top management at once, so agree with top management who calls the customer.',
      'Reassign cases when their owner is away or the problem is beyond them; coach staff on the cases they handle.',
      'Hold the front-line huddles and the weekly review (see the meeting rhythm); fix locally what can be fixed locally, and bring the rest to top management.',
    ],
  },

  top: {
    heading: 'Top management',
    intro:
      'Top management owns the system: it decides on escalated cases, fixes the causes that no single unit can fix, and keeps the rhythm of reviews.',
    steps: [
      'Read the weekly digest; ask about units whose NPS fell significantly or whose cases are overdue.',
      'Decide on escalated cases within one working day: who contacts the customer and what the company offers.',
      'Fix systemic causes (the “outer loop”): the most frequent root causes across units get an owner, a budget and a deadline.',
      'Hold the monthly review and review this playbook every quarter: deadlines, rules, alarm words.',
      'Show that feedback matters: share the wins and thank the teams whose customers are happiest.',
    ],
  },

  escalation: {
    heading: 'How escalation works',
    intro:
      'A case that is still open after its deadline climbs one level at a time. Each step is a notice to the people of the new level, who then own the case.',
    columns: ['Step', 'When', 'Who acts', 'What happens'],
    opened: 'Opened',
    openedWhen: 'when the answer arrives',
    openedWho: 'the level the rule names (usually front-line staff)',
    openedWhat: 'the case and its deadline are created; the owner is told',
    deadline: 'Deadline',
    deadlineWhen: (due: string) => `${due} after the answer`,
    deadlineWhat: 'the case is overdue; its owner is reminded',
    step: (n: number) => `Step ${n}`,
    toMiddleWhen: (after: string) => `${after} after the deadline`,
    toMiddleNow: 'as soon as the deadline passes',
    toTopWhen: (after: string) => `${after} after step 1`,
    toTopNow: 'at once after step 1',
    escalatedWhat: 'the case is escalated and handed to the people of this level',
    note: 'Nothing is forgotten after a restart: deadlines and escalations are kept in the database, and no notice is sent twice.',
    asDue: 'the rule’s deadline',
  },

  indicators: {
    contacted: [
      'Detractors contacted within 48 hours',
      'share of cases with a first successful contact within 48 hours of the answer',
      'at least 90%',
    ],
    medianContact: ['Median time to first contact', 'half of the cases are contacted faster than this'],
    medianTarget: (hours: string) => `at most ${hours}`,
    overdue: ['Overdue cases', 'open cases past their deadline', 'none at the end of the week'],
    resolution: ['Resolution rate', 'share of closed cases closed as resolved', 'at least 70%'],
    uplift: [
      'Re-survey uplift',
      'average change of the score when the customer is asked again after resolution',
      'positive; rising',
    ],
    escalated: ['Escalated cases', 'share of cases that reached this level by escalation', 'falling'],
    nps: [
      'NPS trend',
      'NPS by month with its 95% interval; a change counts only when it is significant',
      'rising',
    ],
    unitNps: ['NPS of their units', 'NPS of each unit by month, compared with the organisation', 'rising'],
    where:
      'All indicators are on the “Loop metrics” page of the dashboard and in the API, per unit and per manager, with trends.',
  },

  rules: {
    heading: 'Playbook rules',
    intro:
      'The playbook decides what happens to each answer. Every condition of a rule must hold; all matching rules act, and the first rule that opens a case sets its level and deadline.',
    columns: ['Rule', 'Condition', 'Action', 'Level', 'Deadline'],
    off: 'switched off',
    any: 'any answer',
    score: (min: number, max: number) => (min === max ? `score ${min}` : `score ${min}–${max}`),
    surveys: (names: string) => `surveys: ${names}`,
    units: (names: string) => `units (and below): ${names}`,
    employees: (names: string) => `employees: ${names}`,
    channels: (names: string) => `channels: ${names}`,
    bands: (names: string) => `customer value: ${names}`,
    words: (words: string) => `reason contains: ${words}`,
    openCase: 'open a case',
    openUrgent: 'open an urgent case',
    alert: 'alert at once',
    message: (template: string) => `send the customer: ${template}`,
    noActions: 'nothing',
    now: 'at once',
    none: '—',
    unknown: 'unknown',
  },

  channels: {
    link: 'link or QR code',
    email: 'e-mail',
    sms: 'SMS',
    widget: 'widget on a website',
    phone: 'phone interview',
  },
  bands: { high: 'high', medium: 'medium', low: 'low' },
  templates: {
    thanks: 'a thank-you',
    referral: 'an invitation to bring a friend',
    review: 'an invitation to leave a review',
    offer: 'an offer',
  },

  others: {
    heading: 'Promoters and passives',
    intro:
      'Promoters (9–10) and passives (7–8) open no cases. Their wishes and praise reach the managers in the digests, and the organisation’s systems through webhooks.',
    columns: ['Rule', 'Who', 'What they receive', 'Status'],
    on: 'on',
    off: 'off',
    link: 'link',
    none: 'No message to promoters or passives is set up in the playbook.',
    advice:
      'Recommended: thank promoters and invite them to recommend you; ask passives what kept their score from a ten. Both can be switched on in the playbook.',
  },

  causes: {
    heading: 'Root causes',
    intro:
      'Every case is closed with one of these root causes. They are the shared words of the weekly and monthly reviews: the most frequent of them are what management fixes first.',
    columns: ['No.', 'Root cause'],
    none: 'No root causes are defined in the playbook.',
  },

  rhythm: {
    heading: 'Meeting rhythm',
    intro:
      'Feedback turns into change only when people look at it regularly. The rhythm below follows the Net Promoter System: short and frequent at the front line, broader and rarer higher up.',
    columns: ['Meeting', 'Who', 'How often', 'Length', 'Agenda'],
    rows: [
      [
        'Huddle',
        'front-line staff of a unit, led by its manager',
        'every day at the start of a shift, or at least weekly',
        '10–15 minutes',
        'yesterday’s feedback and praise; today’s call-backs; one thing to do better today',
      ],
      [
        'Weekly review',
        'middle managers with the heads of their units',
        'every week, after the daily digests of the week',
        '45–60 minutes',
        'overdue and escalated cases; root causes by unit; actions and their owners; coaching',
      ],
      [
        'Monthly review',
        'top management with the middle managers',
        'every month, after the weekly digest',
        '1–2 hours',
        'NPS trend and significant changes; loop indicators by unit; systemic causes and decisions on them (budget, owner, deadline)',
      ],
      [
        'Playbook review',
        'top management and the Sarafan administrator',
        'every quarter',
        '1 hour',
        'deadlines, rules, alarm words, root causes; what to change in this procedure',
      ],
    ],
  },

  raci: {
    heading: 'Who does what (RACI)',
    intro: 'For each activity: who does it, who answers for it, who is consulted, and who is kept informed.',
    activity: 'Activity',
    legend:
      'R — does the work; A — answers for the result (one per activity); C — is consulted; I — is kept informed.',
    letters: { R: 'R', A: 'A', C: 'C', I: 'I' },
    rows: [
      'Contact a detractor before the deadline',
      'Log attempts, root cause, action and outcome',
      'React to an urgent alert',
      'Handle a case escalated to middle managers',
      'Decide on a case escalated to top management',
      'Check the re-survey and reopen a case that was not put right',
      'Fix systemic root causes',
      'Run huddles and the weekly review',
      'Run the monthly review',
      'Keep the playbook up to date',
    ],
  },

  time: {
    heading: 'Deadlines and working time',
    calendarOff: (zone: string) =>
      `Deadlines are counted in calendar hours, around the clock, weekends and holidays included (the business calendar is off). Time zone: ${zone}.`,
    calendarOn: (days: string, from: string, to: string, zone: string) =>
      `Deadlines are counted in working hours only: ${days}, ${from}–${to}, time zone ${zone}. An answer that arrives after hours starts its clock at the next working hour.`,
    holidays: (list: string) => `Non-working days: ${list}.`,
    noHolidays: 'No non-working days are set.',
    digestTime: (time: string, weekday: string) =>
      `Digests go out at ${time} in each person’s time zone (the weekly one on ${weekday}) unless the person chose another time.`,
  },
};

export type ProcedureTexts = typeof en;

const ru: ProcedureTexts = {
  locale: 'ru-RU',
  title: 'Система работы с обратной связью клиентов для трёх уровней управления',
  subtitle: 'Положение о замкнутом цикле обратной связи',
  preparedFor: 'Подготовлено для',
  date: 'Дата',
  playbookDefault: 'Основано на регламенте по умолчанию (организация его не меняла)',
  playbookVersion: (version, date) => `Основано на регламенте версии ${version} от ${date}`,
  generated:
    'Документ составлен по действующему регламенту, ролям и срокам организации. Когда регламент или люди меняются, сформируйте его заново.',
  contents: 'Содержание',
  contentsHint: 'Если список пуст, обновите поле (правая кнопка → «Обновить поле» или F9).',
  page: 'Стр.',
  of: 'из',
  fileName: 'polozhenie-o-zamknutom-cikle',
  quote: (text) => `«${text}»`,

  levels: {
    frontline: 'Линейный персонал',
    middle: 'Руководители среднего звена',
    top: 'Высшее руководство',
  },
  levelsTo: {
    frontline: 'линейному персоналу',
    middle: 'руководителям среднего звена',
    top: 'высшему руководству',
  },

  purpose: {
    heading: 'Цель и принципы',
    text: (org) =>
      `Регламент описывает, как ${org} замыкает цикл обратной связи с клиентами: каждый ответ на вопрос «Насколько вероятно, что вы порекомендуете нас?» доходит до тех, кто может на него повлиять, с каждым недовольным клиентом связываются в установленный срок, а сказанное клиентами превращается в решения на всех уровнях управления.`,
    principles: 'Принципы',
    detractor: (due) =>
      `Каждого критика (оценка 0–6) выслушивают не позднее чем через ${due} после ответа: сотрудник связывается с клиентом, выслушивает его и по возможности исправляет ситуацию.`,
    noDetractorRule:
      'Ни одно правило регламента не открывает обращение на каждого критика: отрабатываются только ответы, которые названы в правилах ниже.',
    urgent: (cases, who) =>
      `Сразу, не дожидаясь срока, оповещение отправляется ${who}, если в ответе ${cases}.`,
    urgentScore: (range) => `оценка ${range}`,
    urgentWords: 'тревожные слова в причине',
    or: ' или ',
    urgentNone:
      'Ни одно правило не оповещает руководителей сразу об очень недовольных клиентах: они узнают о них из обращений и сводок.',
    escalation: (toMiddle, toTop) =>
      `Обращение, которое не закрыли вовремя, поднимается выше: к руководителям среднего звена — ${toMiddle}, к высшему руководству — ${toTop}.`,
    record:
      'Сначала связаться, затем исправить, затем записать: каждое обращение закрывается с причиной, принятыми мерами и результатом, чтобы повторяющиеся причины устранялись для всех.',
    resurvey: (days) =>
      `Через ${days} после решения проблемы клиента спрашивают снова, удалось ли всё исправить, и изменение его оценки фиксируется.`,
    noResurvey: 'После решения проблемы клиента повторно не опрашивают (отключено в регламенте).',
    noBlame:
      'Без поиска виноватых: отзывы о сотрудниках служат обучению и улучшению процессов, а не наказанию. Ответы сотрудников (eNPS) анонимны и никогда не открывают обращение о конкретном человеке.',
    everyone:
      'Промоутеры и нейтралы тоже часть цикла: их благодарят, а их пожелания доходят до руководителей.',
  },

  roles: {
    heading: 'Уровни, роли и люди',
    intro:
      'У каждого уровня своя работа. Человек относится к уровню по своей роли в «Сарафане» и по подразделениям, за которые он отвечает.',
    columns: ['Уровень', 'Роль в «Сарафане»', 'Люди', 'Отвечает за'],
    roleOf: {
      frontline: 'линейные сотрудники и сотрудники с собственным входом',
      middle: 'руководители',
      top: 'владельцы и администраторы',
    },
    scopeOf: {
      frontline: 'свои обращения',
      middle: 'свои подразделения и все подразделения ниже',
      top: 'всю организацию',
    },
    count: (n) => {
      const form = new Intl.PluralRules('ru').select(n);
      return `${n} ${form === 'one' ? 'человек' : form === 'few' ? 'человека' : 'человек'}`;
    },
    nobody: 'пока никого',
    namesHidden: 'имена аналитикам не показываются',
    andMore: (n) => `и ещё ${n}`,
    unnamed: 'без имени',
    fallThrough:
      'Если на уровне для подразделения никого нет, обращения и оповещения уходят на уровень выше: ответ о подразделении без линейного сотрудника — его руководителю, о подразделении без руководителя — высшему руководству.',
    employees: (withLogin, total) =>
      `У ${withLogin} из ${total} работающих сотрудников есть собственный вход: обращения, в которых назван такой сотрудник, приходят прямо ему.`,
    noManager: (units) =>
      `Подразделения, у которых сейчас нет руководителя среднего звена (их оповещения и эскалации уходят высшему руководству): ${units}.`,
    noFrontline: (units) =>
      `Подразделения, у которых сейчас нет линейного сотрудника со входом (их обращения получают руководители): ${units}.`,
  },

  receive: 'Что получают',
  mustDo: 'Что должны сделать и в какой срок',
  indicatorsHeading: 'Показатели',
  receiveColumns: ['Что', 'Когда', 'Как'],
  deadlineColumns: ['Обращение', 'Срок', 'Как считается'],
  indicatorColumns: ['Показатель', 'Как измеряется', 'Рекомендуемая цель'],
  atOnce: 'сразу, как только пришёл ответ',
  dueIn: (hours) => `срок — ${hours}`,
  byMail: 'письмо и уведомление в панели',
  caseFrom: (rule) => `Обращение: ${rule}`,
  urgentCaseFrom: (rule) => `Срочное обращение: ${rule}`,
  alertFrom: (rule) => `Оповещение: ${rule}`,
  caseHow: 'письмо, уведомление в панели и страница «Мои звонки» с контактами и историей клиента',
  alertHow: 'письмо и уведомление в панели (и вебхуки организации)',
  assigned: 'Обращение, переданное им',
  assignedWhen: 'когда руководитель передаёт обращение',
  overdueNotice: 'Уведомление о просрочке обращения',
  overdueWhen: 'когда срок истёк',
  escalatedTo: (step) => `Обращение, поднятое к ним (шаг ${step})`,
  escalatedWhen: (after) => `${after}, если обращение ещё открыто`,
  dailyDigest: 'Ежедневная сводка',
  dailyWhen: (time) => `каждый день в ${time} по местному времени`,
  dailyWhat: 'письмо: новые и просроченные обращения, NPS их подразделений и последние причины оценок',
  weeklyDigest: 'Еженедельная сводка',
  weeklyWhen: (weekday, time) => `каждую неделю: ${weekday}, ${time} по местному времени`,
  weeklyWhat:
    'письмо: NPS и его изменение (со значимостью), деньги под риском, просроченные обращения по подразделениям, самые частые пожелания и жалобы',
  digestPrefs: 'Каждый может в своих настройках выбрать время сводок и их содержание или отключить их.',
  calendarHours: 'календарные часы, круглосуточно',
  workingHours: 'рабочие часы',

  frontline: {
    heading: 'Линейный персонал',
    intro:
      'Линейные сотрудники — те, кто обслуживал клиента: они связываются первыми, потому что знают, что произошло, и быстрее всех могут это исправить.',
    steps: [
      'В начале смены открыть страницу «Мои звонки»: на ней открытые обращения со сроком сегодня или просроченные и обещанные на сегодня перезвоны, самые срочные сверху; страница работает на телефоне.',
      'Связаться с клиентом до истечения срока (таблица ниже). Сначала позвонить; если не ответили — повторить позже и написать письмо или SMS. Записывать каждую попытку: дозвонились, не ответили, автоответчик, неверный номер или перезвон в условленное время.',
      'Выслушать, извиниться, если мы были неправы, и договориться, что будет сделано. Не спорить об оценке и никогда не просить клиента её изменить.',
      'Записать причину, принятые меры (и их стоимость, если есть) и результат, закрыть обращение как решённое или нерешённое.',
      'Если решить проблему самостоятельно нельзя, сразу передать обращение руководителю — не допускать просрочки.',
    ],
    deadlines: 'Сроки первого контакта и закрытия обращения:',
    noCases: 'Сейчас ни одно правило регламента не открывает обращения для линейного персонала.',
  },

  middle: {
    heading: 'Руководители среднего звена',
    intro:
      'Руководители среднего звена (руководители филиалов, отделов и регионов) следят, чтобы каждое обращение в их подразделениях отработали вовремя, реагируют на срочные оповещения и обучают сотрудников.',
    steps: (toTop) => [
      'Реагировать на срочное оповещение в тот же день: убедиться, что ответственный связался с клиентом, или позвонить клиенту самому.',
      'Читать ежедневную сводку: у каждого нового обращения есть ответственный, и ни одно не близко к просрочке.',
      toTop
        ? `Принять поднятое к вам обращение: связаться с клиентом и закрыть обращение не позднее чем через ${toTop}, иначе оно уйдёт высшему руководству.`
        : 'Следить за поднятыми к вам обращениями: регламент сразу передаёт их высшему руководству, поэтому договоритесь с ним, кто звонит клиенту.',
      'Передавать обращения, если ответственный отсутствует или проблема ему не по силам; разбирать обращения с сотрудниками и обучать их.',
      'Проводить летучки линейного персонала и еженедельный разбор (см. ритм встреч); исправлять на месте то, что можно исправить на месте, остальное выносить на высшее руководство.',
    ],
  },

  top: {
    heading: 'Высшее руководство',
    intro:
      'Высшее руководство отвечает за систему в целом: принимает решения по поднятым обращениям, устраняет причины, которые не может устранить одно подразделение, и поддерживает ритм разборов.',
    steps: [
      'Читать еженедельную сводку; спрашивать о подразделениях, где NPS значимо снизился или есть просроченные обращения.',
      'Решать по поднятым обращениям в течение одного рабочего дня: кто связывается с клиентом и что компания предлагает.',
      'Устранять системные причины («внешний цикл»): у самых частых причин по всем подразделениям появляются ответственный, бюджет и срок.',
      'Проводить ежемесячный разбор и раз в квартал пересматривать регламент: сроки, правила, тревожные слова.',
      'Показывать, что обратная связь важна: рассказывать об успехах и благодарить команды, чьи клиенты довольны больше всех.',
    ],
  },

  escalation: {
    heading: 'Как работает эскалация',
    intro:
      'Обращение, которое осталось открытым после срока, поднимается на уровень выше. Каждый шаг — уведомление людям нового уровня, которые становятся ответственными за обращение.',
    columns: ['Шаг', 'Когда', 'Кто действует', 'Что происходит'],
    opened: 'Открытие',
    openedWhen: 'как только пришёл ответ',
    openedWho: 'уровень, названный в правиле (обычно линейный персонал)',
    openedWhat: 'создаются обращение и его срок; ответственный получает уведомление',
    deadline: 'Срок',
    deadlineWhen: (due) => `через ${due} после ответа`,
    deadlineWhat: 'обращение просрочено; ответственному приходит напоминание',
    step: (n) => `Шаг ${n}`,
    toMiddleWhen: (after) => `через ${after} после срока`,
    toMiddleNow: 'сразу после истечения срока',
    toTopWhen: (after) => `через ${after} после шага 1`,
    toTopNow: 'сразу после шага 1',
    escalatedWhat: 'обращение поднимается и передаётся людям этого уровня',
    note: 'После перезапуска ничего не теряется: сроки и эскалации хранятся в базе данных, ни одно уведомление не уходит дважды.',
    asDue: 'срок правила',
  },

  indicators: {
    contacted: [
      'Доля критиков, с которыми связались за 48 часов',
      'доля обращений с первым успешным контактом в течение 48 часов после ответа',
      'не ниже 90%',
    ],
    medianContact: ['Медианное время до первого контакта', 'с половиной клиентов связываются быстрее этого'],
    medianTarget: (hours) => `не более ${hours}`,
    overdue: ['Просроченные обращения', 'открытые обращения с истёкшим сроком', 'ни одного в конце недели'],
    resolution: ['Доля решённых', 'доля закрытых обращений, закрытых как решённые', 'не ниже 70%'],
    uplift: [
      'Прирост оценки при повторном опросе',
      'среднее изменение оценки, когда клиента спрашивают снова после решения проблемы',
      'положительный, растущий',
    ],
    escalated: ['Поднятые обращения', 'доля обращений, дошедших до этого уровня эскалацией', 'снижается'],
    nps: [
      'Динамика NPS',
      'NPS по месяцам с 95-процентным интервалом; изменение считается только значимое',
      'растёт',
    ],
    unitNps: [
      'NPS своих подразделений',
      'NPS каждого подразделения по месяцам в сравнении с организацией',
      'растёт',
    ],
    where:
      'Все показатели — на странице «Метрики цикла» панели и в API, по подразделениям и руководителям, с динамикой.',
  },

  rules: {
    heading: 'Правила регламента',
    intro:
      'Регламент решает, что происходит с каждым ответом. Должны выполняться все условия правила; срабатывают все подходящие правила, а первое правило, открывающее обращение, задаёт его уровень и срок.',
    columns: ['Правило', 'Условие', 'Действие', 'Уровень', 'Срок'],
    off: 'отключено',
    any: 'любой ответ',
    score: (min, max) => (min === max ? `оценка ${min}` : `оценка ${min}–${max}`),
    surveys: (names) => `опросы: ${names}`,
    units: (names) => `подразделения (и ниже): ${names}`,
    employees: (names) => `сотрудники: ${names}`,
    channels: (names) => `каналы: ${names}`,
    bands: (names) => `ценность клиента: ${names}`,
    words: (words) => `в причине есть: ${words}`,
    openCase: 'открыть обращение',
    openUrgent: 'открыть срочное обращение',
    alert: 'оповестить сразу',
    message: (template) => `отправить клиенту: ${template}`,
    noActions: 'ничего',
    now: 'сразу',
    none: '—',
    unknown: 'неизвестно',
  },

  channels: {
    link: 'ссылка или QR-код',
    email: 'электронная почта',
    sms: 'SMS',
    widget: 'виджет на сайте',
    phone: 'телефонный опрос',
  },
  bands: { high: 'высокая', medium: 'средняя', low: 'низкая' },
  templates: {
    thanks: 'благодарность',
    referral: 'приглашение привести друга',
    review: 'приглашение оставить отзыв',
    offer: 'предложение',
  },

  others: {
    heading: 'Промоутеры и нейтралы',
    intro:
      'Промоутеры (9–10) и нейтралы (7–8) не открывают обращений. Их пожелания и похвала доходят до руководителей в сводках, а до систем организации — через вебхуки.',
    columns: ['Правило', 'Кому', 'Что получают', 'Состояние'],
    on: 'включено',
    off: 'отключено',
    link: 'ссылка',
    none: 'В регламенте не настроено ни одного сообщения промоутерам или нейтралам.',
    advice:
      'Рекомендуем: благодарить промоутеров и приглашать их рекомендовать вас; спрашивать нейтралов, чего не хватило до «десятки». Оба сообщения включаются в регламенте.',
  },

  causes: {
    heading: 'Причины',
    intro:
      'Каждое обращение закрывается с одной из этих причин. Это общий язык еженедельных и ежемесячных разборов: самые частые причины руководство устраняет в первую очередь.',
    columns: ['№', 'Причина'],
    none: 'В регламенте не задано ни одной причины.',
  },

  rhythm: {
    heading: 'Ритм встреч',
    intro:
      'Обратная связь превращается в изменения, только когда на неё регулярно смотрят. Ритм ниже следует системе Net Promoter: коротко и часто на линии, шире и реже выше.',
    columns: ['Встреча', 'Участники', 'Как часто', 'Длительность', 'Повестка'],
    rows: [
      [
        'Летучка',
        'линейный персонал подразделения во главе с руководителем',
        'каждый день в начале смены или не реже раза в неделю',
        '10–15 минут',
        'вчерашние отзывы и благодарности; перезвоны на сегодня; одно улучшение на сегодня',
      ],
      [
        'Еженедельный разбор',
        'руководители среднего звена с руководителями подразделений',
        'каждую неделю, по ежедневным сводкам недели',
        '45–60 минут',
        'просроченные и поднятые обращения; причины по подразделениям; меры и ответственные; обучение',
      ],
      [
        'Ежемесячный разбор',
        'высшее руководство с руководителями среднего звена',
        'каждый месяц, после еженедельной сводки',
        '1–2 часа',
        'динамика NPS и значимые изменения; показатели цикла по подразделениям; системные причины и решения по ним (бюджет, ответственный, срок)',
      ],
      [
        'Пересмотр регламента',
        'высшее руководство и администратор «Сарафана»',
        'раз в квартал',
        '1 час',
        'сроки, правила, тревожные слова, причины; что изменить в этом положении',
      ],
    ],
  },

  raci: {
    heading: 'Кто что делает (матрица ответственности)',
    intro:
      'Для каждого действия: кто выполняет, кто отвечает за результат, с кем советуются и кого информируют.',
    activity: 'Действие',
    legend:
      'И — исполняет; О — отвечает за результат (один на действие); К — консультирует; Ин — информируется.',
    letters: { R: 'И', A: 'О', C: 'К', I: 'Ин' },
    rows: [
      'Связаться с критиком до истечения срока',
      'Записать попытки, причину, меры и результат',
      'Отреагировать на срочное оповещение',
      'Отработать обращение, поднятое к руководителям среднего звена',
      'Решить по обращению, поднятому к высшему руководству',
      'Проверить повторный опрос и переоткрыть обращение, если исправить не удалось',
      'Устранить системные причины',
      'Проводить летучки и еженедельный разбор',
      'Проводить ежемесячный разбор',
      'Поддерживать регламент в актуальном состоянии',
    ],
  },

  time: {
    heading: 'Сроки и рабочее время',
    calendarOff: (zone) =>
      `Сроки считаются в календарных часах, круглосуточно, включая выходные и праздники (рабочий календарь отключён). Часовой пояс: ${zone}.`,
    calendarOn: (days, from, to, zone) =>
      `Сроки считаются только в рабочие часы: ${days}, ${from}–${to}, часовой пояс ${zone}. Для ответа, пришедшего в нерабочее время, отсчёт начинается с ближайшего рабочего часа.`,
    holidays: (list) => `Нерабочие дни: ${list}.`,
    noHolidays: 'Нерабочие дни не заданы.',
    digestTime: (time, weekday) =>
      `Сводки приходят в ${time} по часовому поясу каждого человека (еженедельная — ${weekday}), если человек не выбрал другое время.`,
  },
};

export const procedureTexts: Record<ProcedureLocale, ProcedureTexts> = { en, ru };

/** The RACI letters of each row, per level (front line, middle, top), in the order of `raci.rows`. */
export const raciMatrix: ('R' | 'A' | 'C' | 'I' | 'RA' | '')[][] = [
  ['RA', 'I', ''],
  ['R', 'A', ''],
  ['C', 'RA', 'I'],
  ['C', 'RA', 'I'],
  ['C', 'R', 'A'],
  ['I', 'RA', ''],
  ['C', 'R', 'A'],
  ['C', 'RA', ''],
  ['', 'C', 'RA'],
  ['I', 'C', 'A'],
];

/** '48 hours (2 days)', '36 working hours', '48 часов (2 суток)', '36 рабочих часов'. */
export function hoursText(hours: number, working: boolean, locale: ProcedureLocale): string {
  const n = Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
  const days = !working && hours >= 24 && hours % 24 === 0 ? hours / 24 : null;
  if (locale === 'en') {
    const unit = hours === 1 ? 'hour' : 'hours';
    const text = `${n} ${working ? `working ${unit}` : unit}`;
    return days ? `${text} (${days} ${days === 1 ? 'day' : 'days'})` : text;
  }
  const form = Number.isInteger(hours) ? new Intl.PluralRules('ru').select(hours) : 'other';
  const unit = { one: 'час', few: 'часа', many: 'часов', other: 'часа', zero: 'часов', two: 'часа' }[form];
  const adjective = {
    one: 'рабочий',
    few: 'рабочих',
    many: 'рабочих',
    other: 'рабочих',
    zero: 'рабочих',
    two: 'рабочих',
  }[form];
  const text = `${n} ${working ? `${adjective} ${unit}` : unit}`;
  if (!days) return text;
  const dayForm = new Intl.PluralRules('ru').select(days) === 'one' ? 'сутки' : 'суток';
  return `${text} (${days} ${dayForm})`;
}

/** '7 days', '7 дней'. */
export function daysText(days: number, locale: ProcedureLocale): string {
  if (locale === 'en') return `${days} ${days === 1 ? 'day' : 'days'}`;
  const form = new Intl.PluralRules('ru').select(days);
  return `${days} ${form === 'one' ? 'день' : form === 'few' ? 'дня' : 'дней'}`;
}
