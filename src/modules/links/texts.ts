// What anonymous links say to people, in Russian and English: the 429 page, the printable card and the widget.
export type LinkLocale = 'ru' | 'en';

export const linkTexts = {
  ru: {
    tooManyTitle: 'Слишком много ответов',
    tooManyBody:
      'С этого устройства или сети только что пришло много ответов. Пожалуйста, попробуйте ещё раз позже — через час всё заработает.',
    cardScan: 'Наведите камеру телефона на код — это займёт меньше минуты',
    cardOr: 'или откройте ссылку',
    cardPrint: 'Распечатать',
    cardTitle: 'Карточка с QR-кодом',
  },
  en: {
    tooManyTitle: 'Too many answers',
    tooManyBody:
      'Many answers have just come from this device or network. Please try again later — in an hour it will work again.',
    cardScan: 'Point your phone camera at the code — it takes less than a minute',
    cardOr: 'or open the link',
    cardPrint: 'Print',
    cardTitle: 'QR code card',
  },
} satisfies Record<LinkLocale, Record<string, string>>;

/** Texts the widget shows besides the survey's own question and reason prompt. */
export const widgetTexts = {
  ru: {
    low: '0 — совсем маловероятно',
    high: '10 — очень вероятно',
    optional: 'необязательно',
    send: 'Отправить',
    close: 'Закрыть опрос',
    thanks: 'Спасибо! Ваш ответ получен.',
    failed: 'Не получилось отправить ответ. Попробуйте ещё раз чуть позже.',
    region: 'Опрос',
    of: 'из 10',
  },
  en: {
    low: '0 — not at all likely',
    high: '10 — extremely likely',
    optional: 'optional',
    send: 'Send',
    close: 'Close the survey',
    thanks: 'Thank you! We have received your answer.',
    failed: 'Your answer could not be sent. Please try again a little later.',
    region: 'Survey',
    of: 'out of 10',
  },
} satisfies Record<LinkLocale, Record<string, string>>;
