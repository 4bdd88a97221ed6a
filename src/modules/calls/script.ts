// What the operator says on a phone interview, in Russian and English: greeting, consent, the survey's questions, closing.

export type Locale = 'ru' | 'en';

export interface CallScript {
  greeting: string;
  consent: string;
  question: string;
  /** How to read the 0–10 scale aloud. */
  scale: string;
  reason: string;
  closing: string;
  /** What to say when the customer declines. */
  refusal: string;
  /** What to ask when it is a bad time. */
  callBack: string;
}

export interface ScriptInput {
  orgName: string;
  customerName: string | null;
  operatorName: string | null;
  /** The survey's own question and reason texts in this language, `{org}` already filled in. */
  question: string;
  reason: string;
}

const scripts: Record<Locale, (i: ScriptInput) => CallScript> = {
  ru: (i) => ({
    // The organisation's name in the nominative ("это Клуб «Северный»"): a name cannot be declined safely.
    greeting: `Здравствуйте${i.customerName ? `, ${i.customerName}` : ''}! ${
      i.operatorName ? `Меня зовут ${i.operatorName}, это` : 'Это'
    } ${i.orgName}, служба заботы о клиентах.`,
    consent:
      'Мы спрашиваем наших клиентов, как им у нас. Это займёт не больше минуты — удобно сейчас ответить на два коротких вопроса?',
    question: i.question,
    scale: 'Оцените, пожалуйста, от 0 до 10, где 0 — точно не порекомендую, а 10 — обязательно порекомендую.',
    reason: i.reason,
    closing: 'Спасибо, ваш ответ очень поможет нам стать лучше. Всего доброго!',
    refusal: 'Понимаю, извините за беспокойство. Всего доброго!',
    callBack: 'Когда вам будет удобно, чтобы мы перезвонили?',
  }),
  en: (i) => ({
    greeting: `Hello${i.customerName ? `, ${i.customerName}` : ''}! ${
      i.operatorName ? `My name is ${i.operatorName}, and I'm` : "I'm"
    } calling from ${i.orgName} customer care.`,
    consent:
      'We ask our customers how we are doing. It takes less than a minute — is now a good time for two short questions?',
    question: i.question,
    scale: 'Please answer from 0 to 10, where 0 is not at all likely and 10 is extremely likely.',
    reason: i.reason,
    closing: 'Thank you, your answer really helps us improve. Have a good day!',
    refusal: 'I understand, sorry to have bothered you. Have a good day!',
    callBack: 'When would be a good time for us to call you back?',
  }),
};

export function callScript(locale: Locale, input: ScriptInput): CallScript {
  return scripts[locale](input);
}
