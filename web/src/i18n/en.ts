/** @module English texts of the dashboard; `ru.ts` must have the same keys (the compiler checks). */
export const en = {
  app: { name: 'Sarafan', tagline: 'Net Promoter System' },
  nav: {
    customers: 'Customers',
    employees: 'Employees (eNPS)',
    main: 'Main navigation',
    openMenu: 'Open menu',
    closeMenu: 'Close menu',
  },
  header: { language: 'Language', logout: 'Log out' },
  login: {
    title: 'Sign in',
    email: 'E-mail',
    password: 'Password',
    submit: 'Sign in',
    failed: 'Could not sign in',
  },
  errors: {
    network: 'The server could not be reached. Check the connection and try again.',
    generic: 'Something went wrong',
    retry: 'Try again',
  },
  overview: {
    customerTitle: 'Customer NPS',
    customerSubtitle: 'Net Promoter Score of your customers',
    employeeTitle: 'Employee NPS (eNPS)',
    employeeSubtitle: 'How likely your employees are to recommend the company as a place to work',
    anonymity:
      'Employee answers are anonymous. Groups with fewer than {{count}} answers are hidden so that no one can be singled out.',
    anonymityPending:
      'Employee answers are anonymous. Small groups are hidden so that no one can be singled out.',
    updating: 'Updating…',
  },
  period: {
    label: 'Period',
    last30Days: 'Last 30 days',
    last3Months: 'Last 3 months',
    last12Months: 'Last 12 months',
    yearToDate: 'Year to date',
    allTime: 'All time',
    custom: 'Custom dates',
    from: 'From',
    to: 'To',
    range: '{{from}} – {{to}}',
    dateFormat: 'MMM D, YYYY',
  },
  survey: {
    label: 'Survey',
    allCustomer: 'All customer surveys',
    allEmployee: 'All employee surveys',
    relationship: 'relationship',
    transactional: 'transactional',
  },
  empty: {
    title: 'No answers in this period',
    hint: 'Choose a longer period or another survey.',
    hiddenTitle: 'Too few answers to show',
    hiddenHint:
      'Fewer than {{count}} employees answered in this period: their answers stay hidden so that no one can be singled out.',
  },
  score: {
    title: 'Net Promoter Score',
    eTitle: 'Employee Net Promoter Score',
    moe: '±{{value}}',
    moeHint: 'Margin of error at 95% confidence',
    interval: '95% interval: {{lo}} … {{hi}}',
    answers_one: '{{n}} answer',
    answers_other: '{{n}} answers',
    smallSample: 'Small sample',
    smallSampleHint: 'Too few answers for a firm figure: the interval is wide.',
    shares: 'Shares of promoters, passives and detractors',
  },
  segment: {
    promoters: 'Promoters',
    passives: 'Passives',
    detractors: 'Detractors',
    promoter: 'Promoter',
    passive: 'Passive',
    detractor: 'Detractor',
  },
  change: {
    title: 'Change vs the previous period',
    previous: 'Previous period: {{value}}',
    previousEmpty: 'No answers in the previous period',
    significant: 'Significant',
    notSignificant: 'Not significant',
    pValue: 'p = {{value}}',
    significantHint: 'The change is unlikely to be chance (p < 0.05).',
    notSignificantHint: 'The change may be chance: do not call it a change yet.',
  },
  trend: {
    title: 'NPS by month',
    eTitle: 'eNPS by month',
    band: '95% interval',
    empty: 'No months with answers in this period',
    smallSampleDot: 'Hollow points: small sample',
  },
  distribution: {
    title: 'Scores from 0 to 10',
    score: 'Score {{score}}',
    answers_one: '{{n}} answer ({{share}})',
    answers_other: '{{n}} answers ({{share}})',
  },
  branches: {
    title: 'NPS by branch',
    eTitle: 'eNPS by branch',
    branch: 'Branch',
    nps: 'NPS',
    interval: '95% interval',
    n: 'Answers',
    empty: 'No branch has answers in this period',
    hidden: 'Branches with fewer than {{count}} answers are hidden.',
  },
  reasons: {
    title: 'Latest reasons',
    empty: 'No reasons written in this period',
    noUnit: 'No branch',
  },
  chart: { nps: 'NPS', interval: '95% interval', n: 'Answers', loading: 'Loading chart…' },
  language: { ru: 'Русский', en: 'English' },
};

/**
 * The shape every locale must have: the same keys, any strings, and room for the plural forms a
 * language has beyond English (`_few`, `_many` in Russian; see Intl.PluralRules).
 */
export type Texts = {
  [Section in keyof typeof en]: { [Key in keyof (typeof en)[Section]]: string } & Record<string, string>;
};
