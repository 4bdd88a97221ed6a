// Every word of the analytical report, in Russian and English, and how numbers, money and dates are written.

export type Locale = 'ru' | 'en';

const en = {
  title: 'NPS analytical report',
  fileName: 'nps-report',
  customers: 'customers',
  employees: 'employees',
  audienceTitle: { customer: 'Customers (NPS)', employee: 'Employees (eNPS)' },
  wholeOrg: 'whole organisation',
  generated: 'Generated',
  brandNote:
    'Colours: Sarafan’s palette — the organisation has no logo or colours of its own in Sarafan’s settings.',
  footer: 'Sarafan · Net Promoter System',
  page: 'Page',
  of: 'of',
  contents: 'Contents',
  sections: {
    summary: 'Key findings',
    method: 'Methodology',
    nps: { customer: 'Customer NPS', employee: 'Employee NPS (eNPS)' },
    trend: 'Trend with 95% intervals',
    structure: 'Breakdown by structure',
    revenue: 'Breakdown by revenue band',
    visits: 'Breakdown by visit frequency',
    ranking: 'Fair ranking of units',
    other: { customer: 'Customer NPS on its own', employee: 'Employee NPS (eNPS) on its own' },
    benchmarks: 'Industry benchmarks',
    themes: 'Themes and drivers',
    quotes: 'In their own words',
    loop: 'Closed-loop performance',
    ltv: 'Lifetime value and the money between segments',
    baskets: 'Baskets by segment',
    transitions: 'Transitions, costs and scenarios',
    forecast: 'Forecast and proposed targets',
    recommendations: 'Recommendations',
  },
  kpi: {
    nps: 'NPS',
    enps: 'eNPS',
    answers: 'Answers',
    interval: '95% interval',
    responseRate: 'Response rate',
    change: 'Change vs previous period',
    promoters: 'Promoters',
    passives: 'Passives',
    detractors: 'Detractors',
    cases: 'Cases opened',
    within48h: 'Detractors contacted within 48 h',
    firstContact: 'Median time to first contact',
    resolution: 'Resolved of closed',
    overdue: 'Overdue now',
  },
  head: {
    period: 'Period',
    unit: 'Unit',
    group: 'Group',
    n: 'n',
    nps: 'NPS',
    ci: '95% interval',
    mark: 'vs rest',
    rank: '#',
    fair: 'Fair NPS',
    raw: 'Raw NPS',
    theme: 'Theme',
    mentions: 'Mentions',
    share: 'Share of reasons',
    driver: 'Driver (z)',
    impact: 'NPS points at stake',
    segment: 'Segment',
    customersN: 'Customers',
    revenuePerYear: 'Revenue / year',
    retention: 'Annual retention',
    lifetime: 'Lifetime, years',
    ltv: 'LTV',
    service: 'Service',
    typical: 'Typical of',
    from: 'From',
    to: 'To',
    costPerMoved: 'Cost per customer moved',
    source: 'Source',
    scenario: 'Scenario',
    moved: 'Customers moved',
    cost: 'Cost',
    ltvChange: 'Δ value',
    roi: 'ROI',
    step: 'Period ahead',
    target: 'Target',
    current: 'Current',
    reachable: 'Reachable',
    ambitious: 'Ambitious',
    goal: 'Goal',
    status: 'Status',
    benchmark: 'Reference',
    value: 'NPS',
    year: 'Year',
    cases: 'Cases',
    contacted48: 'Contacted ≤ 48 h',
    resolved: 'Resolved',
    channel: 'Channel',
    question: 'Question',
    survey: 'Survey',
  },
  marks: { above: 'above', below: 'below', not_different: 'no difference', too_few: 'too few' },
  segments: { promoter: 'Promoters', passive: 'Passives', detractor: 'Detractors' },
  statuses: {
    on_track: 'on track',
    at_risk: 'at risk',
    off_track: 'off track',
    not_enough_data: 'not enough data',
    upcoming: 'upcoming',
  },
  channels: { link: 'link', email: 'e-mail', sms: 'SMS', widget: 'widget', phone: 'phone' } as Record<
    string,
    string
  >,
  series: { nps: 'NPS', low: '95% lower', high: '95% upper', answers: 'Answers', ltv: 'LTV' },
  hiddenFewer: (n: number) => `hidden: fewer than ${n} answers`,
  missing: {
    noAnswers: (from: string, to: string) =>
      `No answers between ${from} and ${to}: there is nothing to measure here.`,
    noSurvey: (who: string) => `The organisation has no ${who} survey yet: this section is empty.`,
    suppressed: (n: number) =>
      `Hidden: fewer than ${n} answers. eNPS figures of so few people are withheld so that nobody can be identified.`,
    forbidden: 'Your role does not give access to this section.',
    error: (detail: string) => `Not available: ${detail}`,
    noRevenue: 'No revenue is recorded in the contacts: there are no revenue bands.',
    noThemes: 'No answer of the period has a reason to read themes from.',
    noQuotes: 'No quote to show for this period.',
    noCases: 'No case was opened in this period.',
    economics: (why: string) => `The economics cannot be computed: ${why}.`,
    insufficient: {
      too_few_customers: 'too few customers with answers and contacts',
      no_revenue: 'no revenue recorded',
      no_churn_history: 'no history of lost customers yet',
      too_few_transitions: 'too few customers answered twice',
      no_services: 'no services recorded on the contacts',
    } as Record<string, string>,
    noScenarios:
      'No scenario has been saved on the Economics page: save one to see its cost and effect here.',
    noGoals: 'No goal covers this period: set goals on the Goals page.',
    noBenchmark: 'No industry is chosen and no own reference is entered (Benchmarks page).',
    customerOnly: 'This section concerns customers: see the customer report.',
    noTrend: 'Fewer than two periods with answers: no trend to draw.',
  },
  method: {
    question: 'Question',
    scale:
      'Scale 0–10. Promoters answer 9–10, passives 7–8, detractors 0–6. NPS = % promoters − % detractors, from −100 to +100.',
    period: (from: string, to: string, tz: string) =>
      `Survey period: ${from} – ${to}, days cut in the organisation’s time zone (${tz}).`,
    sample: (n: string) => `Sample: ${n} answers.`,
    responseRate: (answered: string, sent: string, rate: string) =>
      `Response rate: ${answered} answers to ${sent} invitations sent (${rate}).`,
    noResponseRate: 'Response rate: no invitation was sent in the period (answers came by link or widget).',
    moe: (moe: string) => `Margin of error of the NPS: ±${moe} points at 95% confidence.`,
    interval:
      'Intervals: 95% confidence intervals of NPS from the trinomial variance of promoters and detractors (Wald; adjusted Wald below 30 answers).',
    change: (name: string) => `Changes between periods: ${name}.`,
    marks: (name: string) => `Groups against the rest: ${name}.`,
    fair: (method: string) =>
      `Fair ranking: ${method}. Small units are pulled towards the mean, so luck of a small sample does not make a leader.`,
    bands:
      'Revenue and visit-frequency bands are the organisation’s settings on the Analysis page; each answer falls into the band of its customer at the time.',
    anonymity: (n: number) =>
      `Employee answers are anonymous: any eNPS figure of fewer than ${n} answers is withheld, and employees are never ranked one by one.`,
    pseudonymised:
      'Quotes are pseudonymised: no names, e-mails or phone numbers of customers; e-mail addresses, phone and card-like numbers inside quotes are masked.',
    channels: 'Channels',
    source: 'Every figure is read through the same services as Sarafan’s dashboard for the same filters.',
  },
  find: {
    nps: (who: string, nps: string, lo: string, hi: string, n: string) =>
      `${who} NPS is ${nps} (95% interval ${lo} … ${hi}) from ${n} answers.`,
    changeSig: (diff: string, p: string) =>
      `It changed by ${diff} points since the previous period (significant, p = ${p}).`,
    changeNot: (diff: string) => `The change since the previous period (${diff} points) is within chance.`,
    best: (name: string, nps: string) => `Best unit by the fair ranking: ${name} (${nps}).`,
    worst: (name: string, nps: string) => `Unit needing most attention: ${name} (${nps}).`,
    driver: (name: string, points: string) =>
      `Strongest driver of detraction: “${name}” (${points} NPS points at stake).`,
    atStake: (money: string) => `Value at stake if passives and detractors were worth promoters: ${money}.`,
    within48: (share: string) => `${share} of detractors were contacted within 48 hours.`,
    enps: (v: string, n: string) => `Employee eNPS is ${v} from ${n} answers.`,
    enpsHidden: (n: number) => `Employee eNPS is withheld: fewer than ${n} answers.`,
    benchmark: (diff: string, name: string) => `${diff} points against the industry average (${name}).`,
  },
  rec: {
    driver: (name: string, points: string) =>
      `Work on “${name}”: turning its detractors into passives would add ${points} NPS points.`,
    unit: (name: string, nps: string) =>
      `Visit ${name}: its NPS (${nps}) is significantly below the rest of the organisation.`,
    loop: (share: string) =>
      `Call detractors faster: only ${share} are contacted within 48 hours; aim for at least 80%.`,
    overdue: (n: string) => `Clear the ${n} overdue cases.`,
    risk: (money: string) =>
      `Detractors’ annual revenue at risk is ${money}: start with the largest accounts.`,
    target: (v: string) => `Adopt the reachable NPS target of ${v} for the forecast horizon.`,
    none: 'The data of this period gives no clear recommendation: keep collecting answers.',
  },
  ltvFormula: 'Formula',
  differences: {
    promoterVsPassive: 'Promoter vs passive',
    promoterVsDetractor: 'Promoter vs detractor',
    passiveVsDetractor: 'Passive vs detractor',
  },
  atStake: {
    baseValue: 'Base value (active customers × LTV)',
    atStake: 'Value at stake',
    risk: 'Detractors’ revenue at risk / year',
    loss: 'Expected loss next year',
  },
  loopEffect: (withCase: string, without: string) =>
    `Detractors whose case was closed improved in ${withCase} of cases, without a case in ${without}.`,
  forecastNote: (period: string) => `Markov chain of observed transitions; one step is one ${period}.`,
  forecastPeriods: { month: 'month', quarter: 'quarter' } as Record<string, string>,
  goals: 'Goals of the period',
  loopScope: 'Cases of every unit you can see; per-unit rows below.',
  tooFewRanked: (n: number) => `Not ranked (fewer than ${n} answers): `,
};

export type ReportTexts = typeof en;

const ru: ReportTexts = {
  title: 'Аналитический отчёт NPS',
  fileName: 'otchet-nps',
  customers: 'клиенты',
  employees: 'сотрудники',
  audienceTitle: { customer: 'Клиенты (NPS)', employee: 'Сотрудники (eNPS)' },
  wholeOrg: 'вся организация',
  generated: 'Сформирован',
  brandNote:
    'Цвета: палитра Sarafan — у организации в настройках Sarafan нет своего логотипа и фирменных цветов.',
  footer: 'Sarafan · система Net Promoter',
  page: 'Стр.',
  of: 'из',
  contents: 'Содержание',
  sections: {
    summary: 'Главные выводы',
    method: 'Методология',
    nps: { customer: 'NPS клиентов', employee: 'NPS сотрудников (eNPS)' },
    trend: 'Динамика с 95% интервалами',
    structure: 'Разрез по структуре',
    revenue: 'Разрез по выручке',
    visits: 'Разрез по частоте визитов',
    ranking: 'Честный рейтинг подразделений',
    other: { customer: 'NPS клиентов отдельно', employee: 'NPS сотрудников (eNPS) отдельно' },
    benchmarks: 'Отраслевые ориентиры',
    themes: 'Темы и драйверы',
    quotes: 'Их словами',
    loop: 'Работа с обратной связью (closed loop)',
    ltv: 'Ценность клиента (LTV) и деньги между сегментами',
    baskets: 'Корзины по сегментам',
    transitions: 'Переходы, стоимость и сценарии',
    forecast: 'Прогноз и предлагаемые цели',
    recommendations: 'Рекомендации',
  },
  kpi: {
    nps: 'NPS',
    enps: 'eNPS',
    answers: 'Ответов',
    interval: '95% интервал',
    responseRate: 'Доля ответивших',
    change: 'Изменение к прошлому периоду',
    promoters: 'Промоутеры',
    passives: 'Нейтралы',
    detractors: 'Критики',
    cases: 'Открыто случаев',
    within48h: 'Критикам позвонили за 48 ч',
    firstContact: 'Медиана до первого контакта',
    resolution: 'Решено из закрытых',
    overdue: 'Просрочено сейчас',
  },
  head: {
    period: 'Период',
    unit: 'Подразделение',
    group: 'Группа',
    n: 'n',
    nps: 'NPS',
    ci: '95% интервал',
    mark: 'к остальным',
    rank: '№',
    fair: 'Честный NPS',
    raw: 'Сырой NPS',
    theme: 'Тема',
    mentions: 'Упоминаний',
    share: 'Доля причин',
    driver: 'Драйвер (z)',
    impact: 'Пунктов NPS на кону',
    segment: 'Сегмент',
    customersN: 'Клиентов',
    revenuePerYear: 'Выручка в год',
    retention: 'Удержание за год',
    lifetime: 'Срок жизни, лет',
    ltv: 'LTV',
    service: 'Услуга',
    typical: 'Характерна для',
    from: 'Из',
    to: 'В',
    costPerMoved: 'Цена перевода клиента',
    source: 'Источник',
    scenario: 'Сценарий',
    moved: 'Переведено клиентов',
    cost: 'Затраты',
    ltvChange: 'Δ ценности',
    roi: 'ROI',
    step: 'Период вперёд',
    target: 'Цель',
    current: 'Сейчас',
    reachable: 'Достижимая',
    ambitious: 'Амбициозная',
    goal: 'Цель',
    status: 'Статус',
    benchmark: 'Ориентир',
    value: 'NPS',
    year: 'Год',
    cases: 'Случаев',
    contacted48: 'Связались ≤ 48 ч',
    resolved: 'Решено',
    channel: 'Канал',
    question: 'Вопрос',
    survey: 'Опрос',
  },
  marks: { above: 'выше', below: 'ниже', not_different: 'нет разницы', too_few: 'мало ответов' },
  segments: { promoter: 'Промоутеры', passive: 'Нейтралы', detractor: 'Критики' },
  statuses: {
    on_track: 'в графике',
    at_risk: 'под угрозой',
    off_track: 'отстаёт',
    not_enough_data: 'мало данных',
    upcoming: 'ещё не началась',
  },
  channels: { link: 'ссылка', email: 'e-mail', sms: 'SMS', widget: 'виджет', phone: 'телефон' },
  series: {
    nps: 'NPS',
    low: 'нижняя граница 95%',
    high: 'верхняя граница 95%',
    answers: 'Ответов',
    ltv: 'LTV',
  },
  hiddenFewer: (n) => `скрыто: меньше ${n} ответов`,
  missing: {
    noAnswers: (from, to) => `С ${from} по ${to} ответов нет: здесь нечего измерять.`,
    noSurvey: (who) => `У организации ещё нет опроса (${who}): раздел пуст.`,
    suppressed: (n) =>
      `Скрыто: меньше ${n} ответов. Показатели eNPS столь малых групп не показываются, чтобы никого нельзя было узнать.`,
    forbidden: 'Ваша роль не даёт доступа к этому разделу.',
    error: (detail) => `Недоступно: ${detail}`,
    noRevenue: 'В контактах не записана выручка: групп по выручке нет.',
    noThemes: 'Ни в одном ответе периода нет причины, из которой можно прочитать темы.',
    noQuotes: 'Цитат за этот период нет.',
    noCases: 'За период не открыто ни одного случая.',
    economics: (why) => `Экономику посчитать нельзя: ${why}.`,
    insufficient: {
      too_few_customers: 'слишком мало клиентов с ответами и визитами',
      no_revenue: 'выручка не записана',
      no_churn_history: 'ещё нет истории ушедших клиентов',
      too_few_transitions: 'слишком мало клиентов ответили дважды',
      no_services: 'в визитах не записаны услуги',
    },
    noScenarios:
      'На странице «Экономика» не сохранено ни одного сценария: сохраните сценарий, чтобы увидеть здесь его цену и эффект.',
    noGoals: 'Ни одна цель не покрывает этот период: задайте цели на странице «Цели».',
    noBenchmark: 'Не выбрана отрасль и не введены собственные ориентиры (страница «Ориентиры»).',
    customerOnly: 'Раздел касается клиентов: см. отчёт по клиентам.',
    noTrend: 'Меньше двух периодов с ответами: динамику не построить.',
  },
  method: {
    question: 'Вопрос',
    scale:
      'Шкала 0–10. Промоутеры ставят 9–10, нейтралы 7–8, критики 0–6. NPS = % промоутеров − % критиков, от −100 до +100.',
    period: (from, to, tz) =>
      `Период опроса: ${from} – ${to}, дни считаются в часовом поясе организации (${tz}).`,
    sample: (n) => `Выборка: ${n} ответов.`,
    responseRate: (answered, sent, rate) =>
      `Доля ответивших: ${answered} ответов на ${sent} отправленных приглашений (${rate}).`,
    noResponseRate:
      'Доля ответивших: в периоде не отправлено приглашений (ответы пришли по ссылке или из виджета).',
    moe: (moe) => `Погрешность NPS: ±${moe} пункта при доверии 95%.`,
    interval:
      '95% доверительные интервалы NPS — по триномиальной дисперсии долей промоутеров и критиков (Вальд; скорректированный Вальд при n < 30).',
    change: (name) => `Изменения между периодами: ${name}.`,
    marks: (name) => `Группы против остальных: ${name}.`,
    fair: (method) =>
      `Честный рейтинг: ${method}. Малые подразделения подтягиваются к среднему, чтобы удача малой выборки не делала лидера.`,
    bands:
      'Группы по выручке и частоте визитов — настройки организации на странице «Анализ»; каждый ответ попадает в группу своего клиента на момент ответа.',
    anonymity: (n) =>
      `Ответы сотрудников анонимны: любой показатель eNPS по группе меньше ${n} ответов скрыт, сотрудники поимённо не ранжируются.`,
    pseudonymised:
      'Цитаты псевдонимизированы: без имён, e-mail и телефонов клиентов; адреса, номера телефонов и карт внутри цитат замаскированы.',
    channels: 'Каналы',
    source: 'Каждое число прочитано теми же сервисами, что и панель Sarafan, при тех же фильтрах.',
  },
  find: {
    nps: (who, nps, lo, hi, n) => `NPS (${who}) — ${nps} (95% интервал ${lo} … ${hi}) по ${n} ответам.`,
    changeSig: (diff, p) => `К прошлому периоду изменение ${diff} пункта (значимо, p = ${p}).`,
    changeNot: (diff) => `Изменение к прошлому периоду (${diff} пункта) в пределах случайности.`,
    best: (name, nps) => `Лучшее подразделение по честному рейтингу: ${name} (${nps}).`,
    worst: (name, nps) => `Больше всего внимания требует: ${name} (${nps}).`,
    driver: (name, points) => `Главный драйвер критики: «${name}» (на кону ${points} пункта NPS).`,
    atStake: (money) => `Ценность на кону, если нейтралы и критики стали бы стоить как промоутеры: ${money}.`,
    within48: (share) => `Критикам позвонили в течение 48 часов в ${share} случаев.`,
    enps: (v, n) => `eNPS сотрудников — ${v} по ${n} ответам.`,
    enpsHidden: (n) => `eNPS сотрудников скрыт: меньше ${n} ответов.`,
    benchmark: (diff, name) => `${diff} пункта к среднему по отрасли (${name}).`,
  },
  rec: {
    driver: (name, points) =>
      `Займитесь темой «${name}»: если её критики станут нейтралами, NPS вырастет на ${points} пункта.`,
    unit: (name, nps) =>
      `Разберитесь с подразделением ${name}: его NPS (${nps}) значимо ниже остальной организации.`,
    loop: (share) =>
      `Звоните критикам быстрее: за 48 часов связываются лишь в ${share} случаев; цель — не меньше 80%.`,
    overdue: (n) => `Закройте просроченные случаи: ${n}.`,
    risk: (money) => `Годовая выручка критиков под риском — ${money}: начните с крупнейших клиентов.`,
    target: (v) => `Примите достижимую цель NPS ${v} на горизонт прогноза.`,
    none: 'Данные периода не дают явной рекомендации: продолжайте собирать ответы.',
  },
  ltvFormula: 'Формула',
  differences: {
    promoterVsPassive: 'Промоутер против нейтрала',
    promoterVsDetractor: 'Промоутер против критика',
    passiveVsDetractor: 'Нейтрал против критика',
  },
  atStake: {
    baseValue: 'Ценность базы (активные клиенты × LTV)',
    atStake: 'Ценность на кону',
    risk: 'Выручка критиков под риском в год',
    loss: 'Ожидаемая потеря за год',
  },
  loopEffect: (withCase, without) =>
    `Критики, по которым закрыт случай, улучшили оценку в ${withCase} случаев, без случая — в ${without}.`,
  forecastNote: (period) => `Марковская цепь наблюдаемых переходов; шаг — один ${period}.`,
  forecastPeriods: { month: 'месяц', quarter: 'квартал' },
  goals: 'Цели периода',
  loopScope: 'Случаи всех доступных вам подразделений; ниже — по подразделениям.',
  tooFewRanked: (n) => `Без места в рейтинге (меньше ${n} ответов): `,
};

export const reportTexts: Record<Locale, ReportTexts> = { en, ru };

/** Number formatting of one locale: NPS with one decimal and a sign, counts with grouping, money, shares. */
export function formats(locale: Locale, currency: string) {
  const tag = locale === 'ru' ? 'ru-RU' : 'en-GB';
  const one = new Intl.NumberFormat(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const int = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  let money: Intl.NumberFormat;
  try {
    money = new Intl.NumberFormat(tag, { style: 'currency', currency, maximumFractionDigits: 0 });
  } catch {
    money = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 });
  }
  const minus = (s: string) => s.replace('-', '−');
  return {
    /** NPS: one decimal, a sign for positive values. */
    nps: (x: number | null | undefined) =>
      x === null || x === undefined ? '—' : minus(`${x > 0 ? '+' : ''}${one.format(x)}`),
    num1: (x: number | null | undefined) => (x === null || x === undefined ? '—' : minus(one.format(x))),
    int: (x: number | null | undefined) => (x === null || x === undefined ? '—' : minus(int.format(x))),
    /** A 0…1 share as a percentage. */
    share: (x: number | null | undefined) =>
      x === null || x === undefined ? '—' : `${minus(one.format(100 * x))}%`,
    /** A percentage already in 0…100. */
    pct: (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${minus(one.format(x))}%`),
    /** Money in minor units. */
    money: (minor: number | null | undefined) =>
      minor === null || minor === undefined ? '—' : minus(money.format(minor / 100)),
    ci: (ci: [number, number] | null | undefined) =>
      ci ? `${minus(one.format(ci[0]))} … ${minus(one.format(ci[1]))}` : '—',
    hours: (h: number | null | undefined) =>
      h === null || h === undefined ? '—' : `${minus(one.format(h))} ${locale === 'ru' ? 'ч' : 'h'}`,
    date: (iso: string) => {
      const [y, m, d] = iso.split('-');
      return locale === 'ru' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
    },
  };
}
export type Formats = ReturnType<typeof formats>;
