// A deterministic demo organisation: a fitness-club chain with 18 months of visits and answers.
// Everything is drawn from one seeded generator, so the same seed always gives the same organisation.

export type Locale = 'ru' | 'en';
export type Channel = 'link' | 'email' | 'sms' | 'widget' | 'phone';

export interface DemoUnit {
  ref: string;
  parentRef: string | null;
  kind: 'company' | 'region' | 'branch' | 'department';
  name: string;
}
export interface DemoEmployee {
  ref: string;
  unitRef: string;
  name: string;
  email: string;
  position: string;
}
export interface DemoCustomer {
  ref: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
  homeUnitRef: string;
}
export interface DemoContact {
  ref: string;
  customerRef: string;
  unitRef: string;
  employeeRef: string | null;
  service: string;
  amountMinor: number;
  occurredAt: Date;
}
export interface DemoSurvey {
  ref: string;
  name: string;
  audience: 'customer' | 'employee';
  kind: 'relationship' | 'transactional';
}
export interface DemoAnswer {
  surveyRef: string;
  customerRef: string;
  contactRef: string | null;
  unitRef: string;
  employeeRef: string | null;
  channel: Channel;
  locale: Locale;
  score: number;
  reason: string | null;
  answeredAt: Date;
}
export interface DemoEmployeeAnswer {
  surveyRef: string;
  unitRef: string;
  score: number;
  reason: string | null;
  /** Local date only: employee answers never carry a precise time. */
  answeredOn: string;
}
export interface DemoData {
  org: { name: string; timeZone: string; locale: Locale; industry: string };
  units: DemoUnit[];
  employees: DemoEmployee[];
  customers: DemoCustomer[];
  contacts: DemoContact[];
  surveys: DemoSurvey[];
  answers: DemoAnswer[];
  employeeAnswers: DemoEmployeeAnswer[];
}

export interface DemoSpec {
  seed: number;
  now: Date;
  customers: number;
  /** Months of history; 18 by default. */
  months?: number;
}

/** The branch whose score falls in the last three months of the demo. */
export const DIPPING_BRANCH = 'br-kzn-2';
const DAY = 86_400_000;
const MOSCOW_OFFSET = 3 * 3_600_000;

/** mulberry32: small, fast and good enough for demo data. */
export function randomSource(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const normal = () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r <= 0) return item;
    }
    return items[items.length - 1]![0];
  };
  return { next, int, pick, normal, weighted };
}
type Random = ReturnType<typeof randomSource>;

const regions = [
  { ref: 'rg-msk', name: 'Москва', branches: ['Тверская', 'Сокольники', 'Митино'] },
  { ref: 'rg-spb', name: 'Санкт-Петербург', branches: ['Петроградская', 'Купчино'] },
  { ref: 'rg-kzn', name: 'Казань', branches: ['Кремлёвская', 'Горки'] },
] as const;

/** Each branch's lasting difference in score (points on the 0–10 scale), so the branches differ plausibly. */
const branchEffect: Record<string, number> = {
  'br-msk-1': 0.35,
  'br-msk-2': 0.1,
  'br-msk-3': -0.35,
  'br-spb-1': 0.5,
  'br-spb-2': -0.15,
  'br-kzn-1': 0.2,
  'br-kzn-2': 0.15,
};

const departments = [
  { key: 'gym', name: 'Тренажёрный зал', positions: ['Тренер', 'Персональный тренер'] },
  { key: 'group', name: 'Групповые программы', positions: ['Инструктор групповых программ'] },
  { key: 'desk', name: 'Рецепция', positions: ['Администратор'] },
] as const;

const services = [
  { name: 'Абонемент на месяц', amount: 4_900_00, dept: 'desk', weight: 8 },
  { name: 'Абонемент на 3 месяца', amount: 12_900_00, dept: 'desk', weight: 3 },
  { name: 'Абонемент на год', amount: 39_900_00, dept: 'desk', weight: 1 },
  { name: 'Персональная тренировка', amount: 2_500_00, dept: 'gym', weight: 6 },
  { name: 'Групповое занятие', amount: 600_00, dept: 'group', weight: 10 },
  { name: 'Посещение тренажёрного зала', amount: 0, dept: 'gym', weight: 40 },
  { name: 'Массаж', amount: 3_000_00, dept: 'desk', weight: 2 },
  { name: 'Спортивное питание', amount: 450_00, dept: 'desk', weight: 4 },
] as const;

const maleFirst = [
  'Александр',
  'Дмитрий',
  'Максим',
  'Сергей',
  'Андрей',
  'Алексей',
  'Иван',
  'Михаил',
  'Артём',
  'Никита',
  'Павел',
  'Егор',
  'Роман',
  'Олег',
  'Кирилл',
];
const femaleFirst = [
  'Анна',
  'Мария',
  'Елена',
  'Ольга',
  'Наталья',
  'Екатерина',
  'Татьяна',
  'Ирина',
  'Дарья',
  'Юлия',
  'Анастасия',
  'Светлана',
  'Ксения',
  'Виктория',
  'Алина',
];
const surnames = [
  'Иванов',
  'Смирнов',
  'Кузнецов',
  'Попов',
  'Васильев',
  'Петров',
  'Соколов',
  'Михайлов',
  'Новиков',
  'Фёдоров',
  'Морозов',
  'Волков',
  'Алексеев',
  'Лебедев',
  'Семёнов',
  'Егоров',
  'Павлов',
  'Козлов',
  'Степанов',
  'Николаев',
  'Орлов',
  'Андреев',
  'Макаров',
  'Никитин',
  'Захаров',
  'Зайцев',
  'Соловьёв',
  'Борисов',
  'Яковлев',
  'Григорьев',
];
/** Russian letters in Latin (for the demo's e-mail addresses and logins). */
export const latin: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};
const transliterate = (s: string) => [...s.toLowerCase()].map((ch) => latin[ch] ?? ch).join('');

function personName(random: Random) {
  const female = random.next() < 0.55;
  const first = random.pick(female ? femaleFirst : maleFirst);
  const last = random.pick(surnames) + (female ? 'а' : '');
  return { first, last, full: `${first} ${last}` };
}

/** Reasons customers give, by segment; the branch that dips gets its own. */
const reasons = {
  ru: {
    promoter: [
      'Отличные тренеры, всё объясняют',
      'Чисто, просторно, приятная атмосфера',
      'Удобное расположение рядом с домом',
      'Хорошее оборудование, всегда свободные тренажёры',
      'Вежливые администраторы',
      'Интересные групповые программы',
      'Персональный тренер помог добиться результата',
      'Большой бассейн и хорошая сауна',
      'Удобное расписание и запись через приложение',
      'Соотношение цены и качества',
    ],
    passive: [
      'В целом нормально, но вечером много народа',
      'Хороший зал, но дороговато',
      'Неплохо, хотелось бы больше групповых занятий',
      'Всё устраивает, но парковка маленькая',
      'Тренеры хорошие, раздевалки тесные',
      'Нормально, но приложение иногда глючит',
    ],
    detractor: [
      'Очереди к тренажёрам по вечерам',
      'Грязно в раздевалке, душ не работает',
      'Слишком дорогой абонемент',
      'Грубый администратор на ресепшене',
      'Тренер не уделяет внимания',
      'Отменили занятие без предупреждения',
      'Не могу записаться через приложение',
      'Негде припарковаться',
      'Душно в зале, не работает кондиционер',
      'Навязывают персональные тренировки',
    ],
    dip: [
      'Половина тренажёров сломана уже месяц',
      'Идёт ремонт, шумно и грязно',
      'Отключили горячую воду в душе',
      'Сменился тренер, новый не следит за техникой',
      'Закрыли бассейн на ремонт, а цену не снизили',
    ],
  },
  en: {
    promoter: [
      'Great trainers who explain everything',
      'Clean, spacious and friendly',
      'Close to home, very convenient',
      'Good equipment, never a queue',
      'The group classes are fun',
    ],
    passive: [
      'Fine overall, but crowded in the evenings',
      'Good gym, a bit expensive',
      'OK, the app is clumsy',
    ],
    detractor: [
      'Queues for the machines in the evening',
      'Dirty changing rooms, the shower is broken',
      'Too expensive for what you get',
      'Rude staff at the front desk',
      'Class cancelled without notice',
    ],
    dip: ['Half the machines have been broken for a month', 'Renovation works, noisy and dirty'],
  },
} as const;

const employeeReasons = {
  promoter: ['Хорошая команда и руководитель', 'Стабильная зарплата и обучение', 'Гибкий график'],
  passive: ['Нормально, но мало возможностей для роста', 'Зарплата могла бы быть выше'],
  detractor: ['Постоянные переработки', 'Руководитель не слышит сотрудников', 'Низкая зарплата, нет премий'],
} as const;

const segmentOf = (score: number) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');
const clampScore = (x: number) => Math.max(0, Math.min(10, Math.round(x)));

/** Moscow local time `hour:minute` on the local day of `day`. */
function atLocalTime(day: Date, hour: number, minute: number) {
  const local = new Date(day.getTime() + MOSCOW_OFFSET);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour, minute) - MOSCOW_OFFSET,
  );
}
const isoDay = (d: Date) => new Date(d.getTime() + MOSCOW_OFFSET).toISOString().slice(0, 10);

export function generateDemo(spec: DemoSpec): DemoData {
  const random = randomSource(spec.seed);
  const months = spec.months ?? 18;
  const now = spec.now.getTime();
  const start = now - months * 30.44 * DAY;
  const dipFrom = now - 91 * DAY;

  const units: DemoUnit[] = [{ ref: 'company', parentRef: null, kind: 'company', name: 'ФитПарк' }];
  const employees: DemoEmployee[] = [];
  const branches: { ref: string; name: string; staff: Map<string, DemoEmployee[]> }[] = [];
  const employeeEffect = new Map<string, number>();
  const usedEmails = new Set<string>();
  for (const region of regions) {
    units.push({ ref: region.ref, parentRef: 'company', kind: 'region', name: region.name });
    region.branches.forEach((name, i) => {
      const ref = `br-${region.ref.slice(3)}-${i + 1}`;
      units.push({ ref, parentRef: region.ref, kind: 'branch', name: `ФитПарк ${name}` });
      const staff = new Map<string, DemoEmployee[]>();
      for (const dept of departments) {
        const deptRef = `${ref}-${dept.key}`;
        units.push({ ref: deptRef, parentRef: ref, kind: 'department', name: dept.name });
        const count =
          dept.key === 'gym'
            ? 2 + (random.next() < 0.5 ? 1 : 0)
            : dept.key === 'group'
              ? 1 + (random.next() < 0.3 ? 1 : 0)
              : 2;
        const people: DemoEmployee[] = [];
        for (let k = 0; k < count; k++) {
          const p = personName(random);
          let email = `${transliterate(p.first)}.${transliterate(p.last)}@fitpark.demo`;
          for (let n = 2; usedEmails.has(email); n++) email = email.replace(/(\d*)@/, `${n}@`);
          usedEmails.add(email);
          const e: DemoEmployee = {
            ref: `emp-${employees.length + 1}`,
            unitRef: deptRef,
            name: p.full,
            email,
            position: random.pick(dept.positions),
          };
          employees.push(e);
          people.push(e);
          employeeEffect.set(e.ref, random.normal() * 0.35);
        }
        staff.set(dept.key, people);
      }
      branches.push({ ref, name, staff });
    });
  }

  const customers: DemoCustomer[] = [];
  const contacts: DemoContact[] = [];
  const answers: DemoAnswer[] = [];
  const surveys: DemoSurvey[] = [
    { ref: 'after-visit', name: 'Оценка после визита', audience: 'customer', kind: 'transactional' },
    { ref: 'quarterly', name: 'Ежеквартальный опрос клиентов', audience: 'customer', kind: 'relationship' },
    { ref: 'enps', name: 'eNPS сотрудников', audience: 'employee', kind: 'relationship' },
  ];
  // Branch popularity: larger Moscow clubs get more members.
  const branchWeights = branches.map((b, i) => [b, i < 3 ? 1.4 : 1] as const);
  const customerSeason = (t: number) => 0.15 * Math.sin(((t - start) / (365 * DAY)) * 2 * Math.PI);

  for (let c = 0; c < spec.customers; c++) {
    const ref = `cus-${String(c + 1).padStart(5, '0')}`;
    const home = random.weighted(branchWeights);
    const p = personName(random);
    const locale: Locale = random.next() < 0.05 ? 'en' : 'ru';
    const email =
      random.next() < 0.7
        ? `${transliterate(p.first)}.${transliterate(p.last)}${c + 1}@${random.pick(['mail.ru', 'yandex.ru', 'gmail.com'])}`
        : null;
    const phone = random.next() < 0.85 ? `+79${String(random.int(0, 999_999_999)).padStart(9, '0')}` : null;
    customers.push({ ref, name: p.full, email, phone, locale, homeUnitRef: home.ref });

    // Membership: joined somewhere in (or before) the window, may leave; visits a few times a month.
    const joined = Math.max(start, start + (random.next() * 1.2 - 0.2) * (now - start));
    const left = random.next() < 0.35 ? joined + random.next() * (now - joined) : now;
    const perWeek = Math.min(5, Math.max(0.1, Math.exp(random.normal() * 0.8 - 0.4)));
    const loyalty = random.normal() * 1.1;
    const mine: DemoContact[] = [];
    let t = joined;
    while (t < left) {
      t += (random.next() * 2 * 7 * DAY) / perWeek;
      if (t >= left) break;
      const service = random.weighted(services.map((s) => [s, s.weight] as const));
      const branch = random.next() < 0.92 ? home : random.pick(branches);
      const staff = branch.staff.get(service.dept) ?? [];
      const employee =
        staff.length && service.dept !== 'desk' ? random.pick(staff) : random.pick(branch.staff.get('desk')!);
      const occurredAt = atLocalTime(new Date(t), random.int(7, 21), random.int(0, 59));
      if (occurredAt.getTime() > now) break;
      const contact: DemoContact = {
        ref: `vis-${contacts.length + 1}`,
        customerRef: ref,
        unitRef: `${branch.ref}-${service.dept}`,
        employeeRef: service.name === 'Посещение тренажёрного зала' ? null : employee.ref,
        service: service.name,
        amountMinor: Math.round((service.amount * (0.9 + random.next() * 0.2)) / 100) * 100,
        occurredAt,
      };
      contacts.push(contact);
      mine.push(contact);
    }

    // Answers: some visits are followed by a survey; members are also asked once a quarter.
    const scoreFor = (unitRef: string, employeeRef: string | null, at: number) => {
      const branchRef = unitRef.split('-').slice(0, 3).join('-');
      let mean = 8.05 + (branchEffect[branchRef] ?? 0) + loyalty + customerSeason(at);
      if (employeeRef) mean += employeeEffect.get(employeeRef) ?? 0;
      if (branchRef === DIPPING_BRANCH && at >= dipFrom)
        mean -= 1.3 * Math.min(1, (at - dipFrom) / (30 * DAY));
      return clampScore(mean + random.normal() * 1.25);
    };
    const reasonFor = (score: number, unitRef: string, at: number) => {
      if (random.next() > 0.62) return null;
      const bank = reasons[locale];
      const dipping = unitRef.startsWith(DIPPING_BRANCH) && at >= dipFrom;
      if (dipping && score <= 8 && random.next() < 0.7) return random.pick(bank.dip);
      return random.pick(bank[segmentOf(score)]);
    };
    const answerChance = mine.length ? Math.min(0.5, 3.6 / mine.length) : 0;
    for (const contact of mine) {
      if (random.next() >= answerChance) continue;
      const at = contact.occurredAt.getTime() + random.int(1, 30) * 3_600_000;
      if (at > now) continue;
      const score = scoreFor(contact.unitRef, contact.employeeRef, at);
      answers.push({
        surveyRef: 'after-visit',
        customerRef: ref,
        contactRef: contact.ref,
        unitRef: contact.unitRef,
        employeeRef: contact.employeeRef,
        channel: random.weighted([
          ['email', email ? 5 : 0],
          ['sms', phone ? 4 : 0],
          ['link', 1],
          ['widget', 1],
        ] as const),
        locale,
        score,
        reason: reasonFor(score, contact.unitRef, at),
        answeredAt: new Date(at),
      });
    }
    for (let q = Math.ceil((joined - start) / (91 * DAY)); q * 91 * DAY + start < left; q++) {
      if (random.next() > 0.4) continue;
      const at = start + q * 91 * DAY + random.int(0, 20) * DAY + random.int(9, 20) * 3_600_000;
      if (at > now) continue;
      const score = scoreFor(home.ref, null, at);
      answers.push({
        surveyRef: 'quarterly',
        customerRef: ref,
        contactRef: null,
        unitRef: home.ref,
        employeeRef: null,
        channel: random.weighted([
          ['email', email ? 6 : 0],
          ['phone', phone ? 2 : 0],
          ['link', 1],
        ] as const),
        locale,
        score,
        reason: reasonFor(score, home.ref, at),
        answeredAt: new Date(at),
      });
    }
  }

  // Two waves of the employee survey, answered per branch; nothing ties an answer to a person.
  const employeeAnswers: DemoEmployeeAnswer[] = [];
  for (const [wave, daysAgo] of [
    [0, 190],
    [1, 25],
  ] as const) {
    for (const b of branches) {
      const staffCount = [...b.staff.values()].reduce((s, list) => s + list.length, 0);
      for (const _person of Array.from({ length: staffCount })) {
        if (random.next() > 0.55) continue;
        const mean = 7.4 + (branchEffect[b.ref] ?? 0) * 2 + (wave === 1 ? 0.3 : 0);
        const score = clampScore(mean + random.normal() * 1.8);
        employeeAnswers.push({
          surveyRef: 'enps',
          unitRef: b.ref,
          score,
          reason: random.next() < 0.5 ? random.pick(employeeReasons[segmentOf(score)]) : null,
          answeredOn: isoDay(new Date(now - (daysAgo + random.int(0, 6)) * DAY)),
        });
      }
    }
  }

  return {
    org: { name: 'ФитПарк', timeZone: 'Europe/Moscow', locale: 'ru', industry: 'fitness' },
    units,
    employees,
    customers,
    contacts,
    surveys,
    answers,
    employeeAnswers,
  };
}
