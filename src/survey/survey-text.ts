/** @module Every respondent-facing string of the survey pages, in Russian and English. */
import type { SurveyLocale } from './pages.js';

/** The texts of one locale. `{org}` marks where the organisation's name goes. */
export interface SurveyText {
  /** The standard NPS question (Reichheld, "The One Number You Need to Grow", HBR 2003). */
  defaultQuestion: string;
  defaultReason: string;
  reasonOptional: string;
  scoreLow: string;
  scoreHigh: string;
  send: string;
  sendChange: string;
  anonymous: string;
  /** Employee surveys: the anonymity guarantees in plain words ({k} = the organisation's minimum group). */
  anonymityHow: string;
  anonymityNoPerson: string;
  anonymityLink: string;
  anonymityGroups: string;
  anonymityComments: string;
  canChange: string;
  /** Ready-made messages for the caller's `error` prop. */
  scoreRequired: string;
  reasonTooLong: string;
  surveyTitle: string;
  thanksTitle: string;
  thanksBody: string;
  amendHint: string;
  amendLink: string;
  amendHintWithoutLink: string;
  notFoundTitle: string;
  notFoundBody: string;
  /** Shown (429) when one address opens or sends too much, or guesses links. */
  tooManyTitle: string;
  tooManyBody: string;
  gone: Record<'answered' | 'expired' | 'closed', { title: string; body: string }>;
}

const texts = {
  ru: {
    defaultQuestion: 'Насколько вероятно, что вы порекомендуете {org} друзьям и коллегам?',
    defaultReason: 'Какова главная причина данной Вами оценки?',
    reasonOptional: 'необязательно',
    scoreLow: '0 — совсем маловероятно',
    scoreHigh: '10 — очень вероятно',
    send: 'Отправить',
    sendChange: 'Изменить ответ',
    anonymous: 'Опрос анонимный: ваш ответ не связан с вами.',
    anonymityHow: 'Как защищена ваша анонимность',
    anonymityNoPerson:
      'С ответом не хранится ни ваше имя, ни ссылка, ни IP-адрес, ни браузер, ни точное время — только день.',
    anonymityLink:
      'Как только вы ответите, связь ссылки с вами удаляется: никто, включая администраторов {org} и Sarafan, не сможет узнать, чей это ответ.',
    anonymityGroups:
      'Результаты показываются только для групп не меньше {k} человек, и так, чтобы меньшую группу нельзя было вычислить вычитанием одних цифр из других.',
    anonymityComments:
      'Комментарии видны только для таких групп, без времени и подразделения. Их читают так, как вы написали: не упоминайте того, что выдаст вас.',
    canChange: 'Вы уже ответили — спасибо! Ответ можно изменить: выберите оценку и отправьте снова.',
    scoreRequired: 'Пожалуйста, выберите оценку от 0 до 10.',
    reasonTooLong: 'Ответ слишком длинный: не больше 2000 знаков.',
    surveyTitle: '{org} — опрос',
    thanksTitle: 'Спасибо за ответ!',
    thanksBody: 'Ваш ответ получен и поможет нам стать лучше.',
    amendHint: 'Передумали? Ответ можно изменить в течение 24 часов.',
    amendLink: 'Изменить ответ',
    amendHintWithoutLink:
      'Передумали? Ответ можно изменить в течение 24 часов: откройте ссылку из приглашения ещё раз.',
    notFoundTitle: 'Ссылка не найдена',
    notFoundBody: 'Возможно, ссылка скопирована не полностью. Проверьте её или откройте приглашение ещё раз.',
    tooManyTitle: 'Слишком много запросов',
    tooManyBody:
      'С вашего адреса пришло слишком много запросов. Подождите несколько минут и попробуйте снова.',
    gone: {
      answered: {
        title: 'Вы уже ответили, спасибо',
        body: 'Ваш ответ сохранён. Больше ничего делать не нужно.',
      },
      expired: {
        title: 'Срок действия ссылки истёк',
        body: 'Эта ссылка больше не принимает ответы. Спасибо, что хотели поделиться мнением.',
      },
      closed: { title: 'Опрос завершён', body: 'Ответы больше не принимаются. Спасибо за интерес!' },
    },
  },
  en: {
    defaultQuestion: 'How likely are you to recommend {org} to friends and colleagues?',
    defaultReason: 'What is the main reason for your score?',
    reasonOptional: 'optional',
    scoreLow: '0 — not at all likely',
    scoreHigh: '10 — extremely likely',
    send: 'Send',
    sendChange: 'Change my answer',
    anonymous: 'This survey is anonymous: your answer is not linked to you.',
    anonymityHow: 'How your anonymity is protected',
    anonymityNoPerson:
      'Your answer is stored without your name, your link, your IP address, your browser or the exact time — only the day.',
    anonymityLink:
      'Once you answer, the tie between the link and you is deleted: no one, not even the administrators of {org} or Sarafan, can tell whose answer it is.',
    anonymityGroups:
      'Results are shown only for groups of at least {k} people, and never so that a smaller group could be worked out by subtracting one figure from another.',
    anonymityComments:
      'Comments are shown only for such groups, without time or unit. They are read as you wrote them: leave out what would give you away.',
    canChange:
      'You have already answered, thank you! You can change your answer: pick a score and send it again.',
    scoreRequired: 'Please choose a score from 0 to 10.',
    reasonTooLong: 'Your answer is too long: 2000 characters at most.',
    surveyTitle: '{org} — survey',
    thanksTitle: 'Thank you for your answer!',
    thanksBody: 'We have received it, and it will help us get better.',
    amendHint: 'Changed your mind? You can change your answer within 24 hours.',
    amendLink: 'Change my answer',
    amendHintWithoutLink:
      'Changed your mind? You can change your answer within 24 hours: open the link in your invitation again.',
    notFoundTitle: 'Link not found',
    notFoundBody: 'The link may have been copied incompletely. Check it, or open the invitation again.',
    tooManyTitle: 'Too many requests',
    tooManyBody: 'Too many requests came from your address. Wait a few minutes and try again.',
    gone: {
      answered: {
        title: 'You have already answered, thank you',
        body: 'Your answer is saved. Nothing else to do.',
      },
      expired: {
        title: 'This link has expired',
        body: 'It no longer accepts answers. Thank you for wanting to share your opinion.',
      },
      closed: {
        title: 'This survey is closed',
        body: 'It no longer accepts answers. Thank you for your interest!',
      },
    },
  },
} satisfies Record<SurveyLocale, SurveyText>;

/** The default texts of the survey pages in `locale`. */
export function surveyText(locale: SurveyLocale): SurveyText {
  return texts[locale];
}

/**
 * Puts the organisation's name where a text says `{org}`. Split and join rather than
 * `String.replace`, which would read `$&` or `$'` in a name as replacement patterns.
 */
export function withOrgName(text: string, orgName: string): string {
  return text.split('{org}').join(orgName);
}
