/**
 * @module The default taxonomy of themes for service businesses (fitness clubs, clinics, salons, banks, shops), in
 * Russian and English. Each theme is a list of words and phrases as people write them; they are matched by Snowball
 * stems (src/domain/text.ts), so one form of a word covers its inflections ('раздевалка' finds 'в раздевалке'); a
 * keyword written '=занятий' matches that exact form only, where Snowball gives two different words one stem.
 * An organisation starts from this list and edits it: renames, adds words, switches themes off, adds its own.
 */

export interface ThemeSpec {
  /** Stable key of the theme in the org ('staff'); an org's own themes get a key from their name. */
  key: string;
  name: { ru: string; en: string };
  /** Words and phrases in any form; a phrase matches its words in a row. */
  keywords: string[];
}

/** A comma-separated list of words and phrases. */
const words = (list: string) =>
  list
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

export const DEFAULT_THEMES: readonly ThemeSpec[] = [
  {
    key: 'staff',
    name: { ru: 'Персонал и вежливость', en: 'Staff and politeness' },
    keywords: words(`
      персонал, сотрудник, сотрудники, работники, администратор, администраторы, администрация, админ,
      ресепшн, ресепшен, рецепция, регистратура, кассир, касса, кассе, консультант, менеджер, продавец,
      продавцы, операционист, девушка на ресепшене, обслуживание, обслужили, обслуживают, сервис,
      отношение, вежливый, вежливость, вежливо, невежливый, грубый, грубо, грубость, грубит, нагрубил,
      нагрубила, нагрубили, хамство, хамят, хамит, хамил, хамка, хам, приветливый, приветливо,
      дружелюбный, доброжелательный, отзывчивый, улыбчивый, улыбаются, улыбка, равнодушный, равнодушие,
      безразличие, компетентный, некомпетентный, охрана, охранник, уборщица, коллектив, staff,
      employee, employees, receptionist, reception, front desk, manager, personnel, cashier,
      consultant, teller, shop assistants, team, polite, politely, impolite, rude, rudely, rudeness,
      friendly, unfriendly, courteous, welcoming, smile, smiling, attitude, customer service, service,
      security guard
    `),
  },
  {
    key: 'waiting',
    name: { ru: 'Ожидание и очереди', en: 'Waiting and queues' },
    keywords: words(`
      очередь, очереди, очередей, ждать, ждал, ждала, ждали, подождать, ожидание, долго, медленно,
      быстро, оперативно, задержка, задерживают, полчаса, час ждать, минут, wait, waiting, waited,
      queue, queues, line, lines, slow, slowly, quick, quickly, fast, delay, delayed, forever,
      took ages, long time, minutes, ages
    `),
  },
  {
    key: 'cleanliness',
    name: { ru: 'Чистота', en: 'Cleanliness' },
    keywords: words(`
      чистота, чисто, чистый, чистые, чище, чистенько, грязнее, грязь, грязно, грязный, грязные,
      уборка, убирают, убираться, убрано, пыль, пыльно, запах, запаха, пахнет, воняет, вонь, плесень,
      грибок, мусор, антисанитария, гигиена, опрятно, аккуратно, бардак, clean, cleaner, cleanliness,
      cleaning, dirty, dirt, dust, dusty, smell, smells, smelly, stink, stinks, filth, mold, mould,
      hygiene, hygienic, tidy, untidy, filthy, messy, mess, trash, garbage, sanitary, spotless,
      spotlessly
    `),
  },
  {
    key: 'prices',
    name: { ru: 'Цены и ценность', en: 'Prices and value' },
    keywords: words(`
      цена, цены, ценник, дорого, дорогой, дороговато, дороже, дешево, дешевле, недорого, стоимость,
      стоит своих денег, скидка, скидки, скидку, акция, акции, акцией, переплата, переплачивать,
      деньги, денег, тариф, прайс, подорожание, подорожал, подорожали, доплата, доплачивать, бесплатно,
      бесплатная, бесплатный, платная, платно, платный, выгодно, выгодный, соотношение цены и качества,
      стоимость абонемента, цена абонемента, рублей, обсчитали, кусаются, price, prices, pricing,
      priced, expensive, pricey, cheap, cheaper, cost, costs, value, money, discount, discounts,
      overpriced, affordable, fee, fees, worth, overcharged, charge, charged, refund, rates,
      value for money, deal, paid, free, membership fee, went up
    `),
  },
  {
    key: 'equipment',
    name: { ru: 'Оборудование', en: 'Equipment' },
    keywords: words(`
      тренажер, тренажеры, тренажеров, оборудование, гантели, гантель, штанга, блины, беговая дорожка,
      беговые дорожки, беговых дорожек, велотренажер, эллипс, инвентарь, коврики, коврик,
      свободные веса, свободных весов, функциональный, сломан, сломано, сломался, сломаны, сломанный,
      сломанные, неисправный, ремонт, починить, почините, банкомат, терминал, аппарат, аппаратура,
      техника, equipment, machine, machines, treadmill, treadmills, weights, free weights, dumbbells,
      dumbbell, barbell, bike, bikes, rack, mats, gear, broken, out of order, repair, atm, terminal,
      functional
    `),
  },
  {
    key: 'schedule',
    name: { ru: 'Расписание и часы работы', en: 'Schedule and opening hours' },
    keywords: words(`
      расписание, время работы, часы работы, график, график работы, режим работы, выходные, выходных,
      круглосуточно, круглосуточный, открывается, закрывается, открываются, открывался, закрыто,
      закрыт, отменили, отменил, отменяют, отмена, перенесли, переносят, по вечерам, по утрам,
      рано утром, поздно вечером, занятий утром, занятия вечером, дольше, понедельник, вторник, среда,
      четверг, пятница, суббота, воскресенье, schedule, timetable, opening hours, working hours,
      business hours, open hours, open, opens, opened, closes, closed, closing, weekend, weekends,
      cancelled, canceled, cancel, rescheduled, evening classes, morning classes, in the mornings,
      in the evenings, mondays, weekdays, opening until
    `),
  },
  {
    key: 'booking',
    name: { ru: 'Запись, приложение и связь', en: 'Booking, app and contact' },
    keywords: words(`
      запись, записаться, записали, записывают, записи, записью, записан, записаны, бронирование,
      бронь, забронировать, приём, прием, приёма, приема, приложение, приложении, приложения, сайт,
      сайте, онлайн, личный кабинет, оплата онлайн, дозвониться, звонок, звонки, перезвонили,
      перезвонить, по телефону, трубку, уведомления, смс, чат, чате, бот, мессенджер, app, application,
      website, site, online, booking, book, booked, reservation, appointment, sign up, signed up,
      login, log in, account, call back, called back, by phone, on the phone, get through, calls,
      notifications, chat, bot
    `),
  },
  {
    key: 'location',
    name: { ru: 'Парковка и расположение', en: 'Parking and location' },
    keywords: words(`
      парковка, парковки, парковаться, припарковаться, стоянка, место для машины, расположение,
      расположен, расположено, рядом с домом, рядом с работой, рядом, близко, далеко, метро,
      добираться, доехать, дойти, район, остановка, остановки, вход, вывеска, найти вход, location,
      located, parking, car park, park, near, nearby, close to home, too far, far from, far away,
      commute, metro, subway, bus, bus stop, neighbourhood, neighborhood, entrance, get there,
      find the entrance
    `),
  },
  {
    key: 'trainers',
    name: { ru: 'Тренеры и занятия', en: 'Trainers and classes' },
    keywords: words(`
      тренер, тренеры, тренера, тренеров, тренеру, тренером, инструктор, инструкторы,
      инструктор по йоге, персональный тренер, персональные тренировки, персональной тренировке,
      персоналка, персоналку, групповые занятия, групповые, групповых, групповые тренировки, =занятия,
      =занятие, =занятий, =занятиях, =занятиям, йога, пилатес, пилатесу, зумба, сайкл, стретчинг, кроссфит, бокс,
      программа тренировок, секция, урок, уроки, coach, coaches, trainer, trainers, instructor,
      instructors, personal trainer, personal training, class, classes, session, sessions, yoga,
      pilates, spinning, zumba, crossfit, lesson, lessons, boxing
    `),
  },
  {
    key: 'pool',
    name: { ru: 'Бассейн, сауна и СПА', en: 'Pool, sauna and spa' },
    keywords: words(`
      бассейн, бассейне, бассейна, вода в бассейне, хлорка, хлорки, хлор, дорожки в бассейне,
      дорожек в бассейне, плавание, аквааэробика, сауна, сауне, сауну, баня, хаммам, хаммаме, парилка,
      спа, массаж, джакузи, купель, pool, swimming, swim, chlorine, lane, lanes, sauna, steam room,
      spa, jacuzzi, hot tub, massage, aqua aerobics
    `),
  },
  {
    key: 'lockers',
    name: { ru: 'Раздевалки и душ', en: 'Locker rooms and showers' },
    keywords: words(`
      раздевалка, раздевалке, раздевалки, раздевалку, раздевалок, шкафчик, шкафчики, шкафчиков, душ,
      душе, душевая, душевые, душевых, душевой, полотенце, полотенца, полотенец, фен, фены, фенов,
      туалет, туалеты, горячая вода, горячей воды, locker, lockers, locker room, changing room,
      changing rooms, ladies room, shower, showers, shower area, towel, towels, hairdryer, hair dryer,
      toilet, toilets, restroom, bathroom, hot water
    `),
  },
  {
    key: 'comfort',
    name: { ru: 'Комфорт и атмосфера', en: 'Comfort and atmosphere' },
    keywords: words(`
      атмосфера, атмосферу, уютно, уютный, уют, музыка, шумно, шум, громко, громкая, жарко, жара,
      душно, холодно, кондиционер, вентиляция, тесно, тесновато, людно, многолюдно, много народу,
      толпа, толкаются, не протолкнуться, протолкнуться, переполнены, переполнен, маленький зал,
      зал маленький, мало места, места мало, простор, просторно, просторный, интерьер, освещение,
      комфорт, комфортно, воздух, мебель, зона ожидания, зоне ожидания, зал ожидания, зале ожидания,
      atmosphere, vibe, cozy, cosy, music, noise, noisy, loud, hot, stuffy, cold, air conditioning,
      ventilation, crowded, busy, spacious, cramped, interior, lighting, comfortable, uncomfortable,
      air, temperature, packed, small, space, waiting room, waiting area
    `),
  },
  {
    key: 'quality',
    name: { ru: 'Качество услуг и результат', en: 'Service quality and results' },
    keywords: words(`
      результат, результаты, результата, качество, качественно, качественный, консультация, врач,
      врачи, врача, доктор, лечение, мастер, стрижка, стрижку, процедура, процедуры, эффект, решить,
      решили вопрос, решили проблему, профессионализм, профессионал, профессионалы, специалист,
      специалисты, специалистам, опытный, опытные, грамотный, results, result, quality, doctor,
      doctors, treatment, procedure, specialist, specialists, professional, professionals,
      professionalism, expertise, advice, consultation, solve, solved, haircut, experienced,
      knowledgeable, examine
    `),
  },
  {
    key: 'cafe',
    name: { ru: 'Кафе и бар', en: 'Cafe and bar' },
    keywords: words(`
      кафе, бар, фитнес-бар, еда, кофе, смузи, протеин, коктейль, кулер, вода в кулере, cafe, café,
      bar, coffee, food, smoothie, smoothies, snack, snacks, protein shake, water cooler
    `),
  },
];
