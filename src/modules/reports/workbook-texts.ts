// The data workbook's sheet names, column headings and the readme's description of every column, in ru and en.
export type Locale = 'ru' | 'en';

export interface ColumnText {
  label: string;
  about: string;
}

const en = {
  fileName: 'Sarafan data',
  readme: 'Readme',
  title: 'Sarafan data workbook',
  period: (from: string, to: string) =>
    `Period: ${from} – ${to} (local days of the organisation’s time zone)`,
  audience: { customer: 'Audience: customers (NPS)', employee: 'Audience: employees (eNPS)' },
  unit: (name: string | null) =>
    `Units: ${name ? `${name} and everything under it` : 'the whole organisation'}`,
  made: (when: string) => `Made: ${when}`,
  pseudonymised:
    'Pseudonymised: customers and employees appear as stable codes (C-…, E-…); no name, e-mail or phone is in this file, and e-mails, phones, card numbers and names inside reasons are masked.',
  personal: 'Contains personal data of customers: keep it as the organisation’s privacy policy requires.',
  formulas:
    'Text that starts with = + - @ is written with a leading apostrophe, so no cell runs as a formula (CWE-1236).',
  same: 'Every figure is computed by the same service functions as the dashboard, with the same filters.',
  sheetHead: ['Sheet', 'Column', 'What it holds'],
  truncated: (n: number) => `Only the first ${n} answers of the period are listed (the sheet’s limit).`,
  employeeHidden: (min: number) =>
    `Employee answers are withheld: fewer than ${min} in this selection (anonymity minimum).`,
  noEconomics: 'Economics: no customer with visits or purchases in the economics cache for this selection.',
  employeesNoEconomics: 'Economics are computed for customers only.',
  masks: { email: 'e-mail', phone: 'phone', card: 'card number' },
  segments: { promoter: 'promoter', passive: 'passive', detractor: 'detractor' },
  polarity: { complaint: 'complaint', praise: 'praise', wish: 'wish' },
  sheets: {
    answers: 'Answers',
    summary: 'Segments',
    units: 'Units',
    rankings: 'Rankings',
    themes: 'Themes',
    economics: 'Economics',
  },
  columns: {
    answeredAt: { label: 'Answered', about: 'Local day of the answer' },
    survey: { label: 'Survey', about: 'The questionnaire answered' },
    unit: { label: 'Unit', about: 'The unit (branch, department…) the answer belongs to' },
    employee: {
      label: 'Employee',
      about: 'The employee who served the customer (a code E-… in pseudonymised files)',
    },
    channel: {
      label: 'Channel',
      about: 'How the survey reached the customer: link, email, sms, widget, phone',
    },
    customer: { label: 'Customer', about: 'Stable pseudonym of the customer (C-…): the same in every file' },
    customerName: { label: 'Name', about: 'The customer’s name (not in pseudonymised files)' },
    customerEmail: { label: 'E-mail', about: 'The customer’s e-mail (not in pseudonymised files)' },
    customerPhone: { label: 'Phone', about: 'The customer’s phone (not in pseudonymised files)' },
    score: { label: 'Score', about: 'Answer to “How likely are you to recommend…”, 0–10' },
    segment: { label: 'Segment', about: 'Promoter 9–10, passive 7–8, detractor 0–6' },
    reason: { label: 'Reason', about: 'The answer to “What is the main reason for your score?”' },
    themes: { label: 'Themes', about: 'Themes the reason names, with polarity (complaint, praise, wish)' },
    service: { label: 'Service', about: 'The service of the visit, when the accounting system sent it' },
    row: { label: 'Row', about: 'What the row counts' },
    n: { label: 'Answers', about: 'Number of answers' },
    promoters: { label: 'Promoters', about: 'Answers of 9–10' },
    passives: { label: 'Passives', about: 'Answers of 7–8' },
    detractors: { label: 'Detractors', about: 'Answers of 0–6' },
    promoterShare: { label: 'Promoters, %', about: 'Promoters ÷ answers' },
    passiveShare: { label: 'Passives, %', about: 'Passives ÷ answers' },
    detractorShare: { label: 'Detractors, %', about: 'Detractors ÷ answers' },
    nps: { label: 'NPS', about: '% promoters − % detractors, −100…+100 (empty where withheld)' },
    ciLow: {
      label: 'CI 95% low',
      about: 'Lower end of the 95% confidence interval of NPS (trinomial variance)',
    },
    ciHigh: { label: 'CI 95% high', about: 'Upper end of the 95% confidence interval of NPS' },
    moe: { label: 'Margin of error', about: 'Half the width of the 95% interval, NPS points' },
    smallSample: { label: 'Small sample', about: 'TRUE when the sample is too small to trust the figure' },
    kind: { label: 'Level', about: 'The unit’s level: region, branch, department' },
    parent: { label: 'Parent', about: 'The unit above' },
    mark: {
      label: 'Mark',
      about:
        'above / below / same: against the rest of the company, after the false-discovery-rate correction',
    },
    level: { label: 'Level', about: 'The level of the tree ranked' },
    rank: { label: 'Rank', about: 'Place by the empirical-Bayes estimate (fair to small units)' },
    shrunk: {
      label: 'Fair NPS',
      about: 'Empirical-Bayes estimate (normal–normal model, DerSimonian–Laird; Morris 1983)',
    },
    theme: { label: 'Theme', about: 'The theme of the taxonomy' },
    mentions: { label: 'Mentions', about: 'Answers whose reason names the theme' },
    share: { label: 'Share', about: 'Mentions ÷ answers with a reason' },
    complaints: { label: 'Complaints', about: 'Mentions as a complaint' },
    praises: { label: 'Praises', about: 'Mentions as praise' },
    wishes: { label: 'Wishes', about: 'Mentions as a wish' },
    driver: {
      label: 'Driver z',
      about:
        'Weighted log-odds z of the theme among detractors against promoters (Monroe et al. 2008); |z| ≥ 1.96 drives',
    },
    impact: {
      label: 'Impact, NPS points',
      about: 'NPS points gained if the theme’s detractors became passives',
    },
    segmentName: { label: 'Segment', about: 'Promoters, passives, detractors' },
    customers: { label: 'Customers', about: 'Customers whose last answer puts them in the segment' },
    active: { label: 'Active', about: 'Of them, not lost today' },
    revenuePerYear: {
      label: 'Revenue per year',
      about: 'Mean revenue per customer per year, in currency units',
    },
    retention: { label: 'Retention', about: 'Annual retention probability' },
    lifetime: { label: 'Lifetime, years', about: 'Expected remaining lifetime' },
    ltv: {
      label: 'LTV',
      about: 'Discounted lifetime value per customer (Gupta & Lehmann 2003), in currency units',
    },
    ltvLow: { label: 'LTV low', about: 'Lower end of the bootstrap 95% interval of LTV' },
    ltvHigh: { label: 'LTV high', about: 'Upper end of the bootstrap 95% interval of LTV' },
    insufficient: { label: 'Note', about: 'Why a figure is missing (too few customers, no revenue…)' },
  } satisfies Record<string, ColumnText>,
};

export type WorkbookTexts = typeof en;

const ru: WorkbookTexts = {
  fileName: 'Данные Sarafan',
  readme: 'О файле',
  title: 'Книга данных Sarafan',
  period: (from, to) => `Период: ${from} – ${to} (местные дни часового пояса организации)`,
  audience: { customer: 'Аудитория: клиенты (NPS)', employee: 'Аудитория: сотрудники (eNPS)' },
  unit: (name) => `Подразделения: ${name ? `${name} и всё, что под ним` : 'вся организация'}`,
  made: (when) => `Сформировано: ${when}`,
  pseudonymised:
    'Псевдонимизировано: клиенты и сотрудники показаны постоянными кодами (C-…, E-…); имён, e-mail и телефонов в файле нет, а e-mail, телефоны, номера карт и имена внутри причин скрыты.',
  personal:
    'Содержит персональные данные клиентов: храните файл так, как требует политика конфиденциальности.',
  formulas:
    'Текст, начинающийся с = + - @, записан с апострофом впереди, так что ни одна ячейка не выполняется как формула (CWE-1236).',
  same: 'Все числа посчитаны теми же функциями, что и на панели, с теми же фильтрами.',
  sheetHead: ['Лист', 'Столбец', 'Что в нём'],
  truncated: (n) => `Показаны только первые ${n} ответов периода (предел листа).`,
  employeeHidden: (min) => `Ответы сотрудников скрыты: в этой выборке меньше ${min} (порог анонимности).`,
  noEconomics: 'Экономика: в кэше экономики нет клиентов с визитами или покупками для этой выборки.',
  employeesNoEconomics: 'Экономика считается только для клиентов.',
  masks: { email: 'e-mail', phone: 'телефон', card: 'номер карты' },
  segments: { promoter: 'промоутер', passive: 'нейтрал', detractor: 'критик' },
  polarity: { complaint: 'жалоба', praise: 'похвала', wish: 'пожелание' },
  sheets: {
    answers: 'Ответы',
    summary: 'Сегменты',
    units: 'Подразделения',
    rankings: 'Рейтинги',
    themes: 'Темы',
    economics: 'Экономика',
  },
  columns: {
    answeredAt: { label: 'Дата ответа', about: 'Местный день ответа' },
    survey: { label: 'Опрос', about: 'Анкета, на которую ответили' },
    unit: { label: 'Подразделение', about: 'Подразделение (филиал, отдел…), к которому относится ответ' },
    employee: {
      label: 'Сотрудник',
      about: 'Сотрудник, обслуживший клиента (код E-… в псевдонимизированных файлах)',
    },
    channel: { label: 'Канал', about: 'Как опрос дошёл до клиента: link, email, sms, widget, phone' },
    customer: { label: 'Клиент', about: 'Постоянный псевдоним клиента (C-…): один и тот же во всех файлах' },
    customerName: { label: 'Имя', about: 'Имя клиента (нет в псевдонимизированных файлах)' },
    customerEmail: { label: 'E-mail', about: 'E-mail клиента (нет в псевдонимизированных файлах)' },
    customerPhone: { label: 'Телефон', about: 'Телефон клиента (нет в псевдонимизированных файлах)' },
    score: { label: 'Оценка', about: 'Ответ на вопрос «Насколько вероятно, что вы порекомендуете…», 0–10' },
    segment: { label: 'Сегмент', about: 'Промоутер 9–10, нейтрал 7–8, критик 0–6' },
    reason: { label: 'Причина', about: 'Ответ на вопрос «Какова главная причина данной Вами оценки?»' },
    themes: {
      label: 'Темы',
      about: 'Темы, названные в причине, с тональностью (жалоба, похвала, пожелание)',
    },
    service: { label: 'Услуга', about: 'Услуга визита, если её передала учётная система' },
    row: { label: 'Строка', about: 'Что считает строка' },
    n: { label: 'Ответов', about: 'Число ответов' },
    promoters: { label: 'Промоутеры', about: 'Ответы 9–10' },
    passives: { label: 'Нейтралы', about: 'Ответы 7–8' },
    detractors: { label: 'Критики', about: 'Ответы 0–6' },
    promoterShare: { label: 'Промоутеры, %', about: 'Промоутеры ÷ ответы' },
    passiveShare: { label: 'Нейтралы, %', about: 'Нейтралы ÷ ответы' },
    detractorShare: { label: 'Критики, %', about: 'Критики ÷ ответы' },
    nps: { label: 'NPS', about: '% промоутеров − % критиков, −100…+100 (пусто, где скрыто)' },
    ciLow: {
      label: 'ДИ 95% от',
      about: 'Нижняя граница 95% доверительного интервала NPS (триномиальная дисперсия)',
    },
    ciHigh: { label: 'ДИ 95% до', about: 'Верхняя граница 95% доверительного интервала NPS' },
    moe: { label: 'Погрешность', about: 'Половина ширины 95% интервала, пункты NPS' },
    smallSample: { label: 'Малая выборка', about: 'ИСТИНА, если выборка слишком мала для доверия к числу' },
    kind: { label: 'Уровень', about: 'Уровень подразделения: регион, филиал, отдел' },
    parent: { label: 'Выше', about: 'Подразделение уровнем выше' },
    mark: {
      label: 'Отметка',
      about: 'above / below / same: против остальной компании, с поправкой на долю ложных открытий',
    },
    level: { label: 'Уровень', about: 'Уровень дерева, по которому рейтинг' },
    rank: {
      label: 'Место',
      about: 'Место по эмпирической байесовской оценке (честно к малым подразделениям)',
    },
    shrunk: {
      label: 'Честный NPS',
      about: 'Эмпирическая байесовская оценка (нормально-нормальная модель, DerSimonian–Laird; Morris 1983)',
    },
    theme: { label: 'Тема', about: 'Тема таксономии' },
    mentions: { label: 'Упоминаний', about: 'Ответы, в причине которых названа тема' },
    share: { label: 'Доля', about: 'Упоминания ÷ ответы с причиной' },
    complaints: { label: 'Жалобы', about: 'Упоминания как жалоба' },
    praises: { label: 'Похвалы', about: 'Упоминания как похвала' },
    wishes: { label: 'Пожелания', about: 'Упоминания как пожелание' },
    driver: {
      label: 'Драйвер z',
      about:
        'z взвешенного логарифма шансов темы у критиков против промоутеров (Monroe et al. 2008); |z| ≥ 1,96 — драйвер',
    },
    impact: { label: 'Влияние, пункты NPS', about: 'Пункты NPS, если критики этой темы станут нейтралами' },
    segmentName: { label: 'Сегмент', about: 'Промоутеры, нейтралы, критики' },
    customers: { label: 'Клиентов', about: 'Клиенты, чей последний ответ относит их к сегменту' },
    active: { label: 'Активных', about: 'Из них не ушедшие на сегодня' },
    revenuePerYear: { label: 'Выручка в год', about: 'Средняя выручка на клиента в год, в единицах валюты' },
    retention: { label: 'Удержание', about: 'Годовая вероятность удержания' },
    lifetime: { label: 'Жизнь, лет', about: 'Ожидаемый оставшийся срок жизни клиента' },
    ltv: {
      label: 'LTV',
      about: 'Дисконтированная ценность клиента за жизнь (Gupta & Lehmann 2003), в единицах валюты',
    },
    ltvLow: { label: 'LTV от', about: 'Нижняя граница бутстрэп-интервала 95% LTV' },
    ltvHigh: { label: 'LTV до', about: 'Верхняя граница бутстрэп-интервала 95% LTV' },
    insufficient: { label: 'Примечание', about: 'Почему числа нет (мало клиентов, нет выручки…)' },
  },
};

export const workbookTexts: Record<Locale, WorkbookTexts> = { en, ru };
