// What a respondent receives: the invitation e-mail (HTML + plain text) and the SMS, in Russian or English.
import { smsLength } from '../../domain/sms.js';

export type Locale = 'ru' | 'en';
export type MessageKind = 'invitation' | 'reminder';

/** Strips what could break out of a header line (CR, LF, other control characters) and trims the length. */
export function cleanHeader(value: string, max = 200): string {
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove control characters
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const texts = {
  ru: {
    subject: (org: string) => `${org}: оцените нас по шкале от 0 до 10`,
    reminderSubject: (org: string) => `Напоминание: ${org} ждёт вашей оценки`,
    hello: (name: string | null) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    intro: 'Ответьте, пожалуйста, на один вопрос — это займёт меньше минуты.',
    reminderIntro:
      'Напоминаем: мы будем очень благодарны, если вы ответите на один вопрос. Это займёт меньше минуты.',
    defaultQuestion: (org: string) => `Насколько вероятно, что вы порекомендуете ${org} друзьям и коллегам?`,
    low: '0 — совсем маловероятно',
    high: '10 — очень вероятно',
    hint: 'Нажмите на оценку: откроется страница, где можно добавить комментарий и отправить ответ.',
    scoreLabel: (n: number) => `Оценка ${n} из 10`,
    textScale: 'Выберите оценку от 0 до 10:',
    footer: (org: string) => `Вы получили это письмо, потому что пользуетесь услугами «${org}».`,
    unsubscribe: 'Отписаться от опросов',
    sms: (org: string, url: string) => `${org}: оцените нас от 0 до 10 ${url}`,
    smsReminder: (org: string, url: string) => `${org}: напоминание — оцените нас ${url}`,
  },
  en: {
    subject: (org: string) => `${org}: how likely are you to recommend us?`,
    reminderSubject: (org: string) => `Reminder: ${org} would love your rating`,
    hello: (name: string | null) => (name ? `Hello ${name},` : 'Hello,'),
    intro: 'Please answer one question — it takes less than a minute.',
    reminderIntro:
      'A gentle reminder: we would be grateful if you answered one question. It takes less than a minute.',
    defaultQuestion: (org: string) => `How likely are you to recommend ${org} to a friend or colleague?`,
    low: '0 — not at all likely',
    high: '10 — extremely likely',
    hint: 'Click a score: a page opens where you can add a comment and send your answer.',
    scoreLabel: (n: number) => `Score ${n} out of 10`,
    textScale: 'Choose a score from 0 to 10:',
    footer: (org: string) => `You received this e-mail because you are a customer of ${org}.`,
    unsubscribe: 'Unsubscribe from surveys',
    sms: (org: string, url: string) => `${org}: rate us 0-10 ${url}`,
    smsReminder: (org: string, url: string) => `${org}: reminder - rate us 0-10 ${url}`,
  },
} as const;

export interface EmailInput {
  locale: Locale;
  kind: MessageKind;
  orgName: string;
  /** The recipient's name for the greeting, or null. */
  name: string | null;
  /** The survey's question in this locale ('' = the standard NPS question). */
  question: string;
  /** The survey link; each score button opens `${surveyUrl}?score=N`. */
  surveyUrl: string;
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// Accessible colours: white text on each has a contrast ratio ≥ 4.5:1 (WCAG AA); the number is always shown,
// so the colour is never the only cue.
const colourOf = (n: number) => (n <= 6 ? '#c92a2a' : n <= 8 ? '#495057' : '#2b8a3e');

export function renderEmail(p: EmailInput): RenderedEmail {
  const t = texts[p.locale];
  const org = cleanHeader(p.orgName);
  const name = p.name ? cleanHeader(p.name, 100) || null : null;
  const subject = cleanHeader(p.kind === 'reminder' ? t.reminderSubject(org) : t.subject(org), 250);
  const question = p.question.trim() || t.defaultQuestion(org);
  const intro = p.kind === 'reminder' ? t.reminderIntro : t.intro;
  const link = (n: number) => `${p.surveyUrl}?score=${n}`;
  const font = 'font-family:Arial,Helvetica,sans-serif;';

  const buttons = Array.from({ length: 11 }, (_, n) => {
    const style = `display:block;padding:10px 0;background-color:${colourOf(n)};color:#ffffff;${font}font-size:16px;font-weight:bold;line-height:20px;text-align:center;text-decoration:none;border-radius:4px;`;
    return `<td align="center" width="9%" style="padding:2px;"><a href="${esc(link(n))}" title="${esc(t.scoreLabel(n))}" aria-label="${esc(t.scoreLabel(n))}" style="${style}">${n}</a></td>`;
  }).join('');

  const html = `<!doctype html>
<html lang="${p.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:0;background-color:#f1f3f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f1f3f5;"><tr><td align="center" style="padding:24px 8px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 24px 8px;${font}font-size:14px;color:#495057;">${esc(org)}</td></tr>
<tr><td style="padding:8px 24px;${font}font-size:16px;line-height:24px;color:#212529;">
<p style="margin:0 0 12px;">${esc(name ? t.hello(name) : t.hello(null))}</p>
<p style="margin:0 0 16px;">${esc(intro)}</p>
<h1 style="margin:0 0 16px;${font}font-size:20px;line-height:28px;color:#212529;">${esc(question)}</h1>
</td></tr>
<tr><td style="padding:0 20px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>${buttons}</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td style="padding:6px 2px;${font}font-size:12px;color:#495057;">${esc(t.low)}</td>
<td align="right" style="padding:6px 2px;${font}font-size:12px;color:#495057;">${esc(t.high)}</td>
</tr></table>
</td></tr>
<tr><td style="padding:12px 24px 24px;${font}font-size:14px;line-height:20px;color:#495057;">${esc(t.hint)}</td></tr>
<tr><td style="padding:16px 24px;border-top:1px solid #dee2e6;${font}font-size:12px;line-height:18px;color:#495057;">
${esc(t.footer(org))} <a href="${esc(p.unsubscribeUrl)}" style="color:#495057;text-decoration:underline;">${esc(t.unsubscribe)}</a>
</td></tr>
</table>
</td></tr></table>
</body></html>`;

  const text = [
    name ? t.hello(name) : t.hello(null),
    '',
    intro,
    '',
    question,
    '',
    t.textScale,
    ...Array.from({ length: 11 }, (_, n) => `${String(n).padStart(2, ' ')}: ${link(n)}`),
    '',
    `${t.low}; ${t.high}.`,
    '',
    '--',
    t.footer(org),
    `${t.unsubscribe}: ${p.unsubscribeUrl}`,
    '',
  ].join('\n');

  return { subject, html, text };
}

export interface SmsInput {
  locale: Locale;
  kind: MessageKind;
  /** The org's name or the SMS sender name. */
  orgName: string;
  surveyUrl: string;
}

/**
 * A short SMS with the link. The org's name is shortened when the text would take more than one part (two for
 * Cyrillic, which is UCS-2: 70 characters, or 67 per part when split).
 */
export function renderSms(p: SmsInput): { text: string; parts: number; encoding: 'gsm7' | 'ucs2' } {
  const t = texts[p.locale];
  const make = (org: string) =>
    (p.kind === 'reminder' ? t.smsReminder : t.sms)(cleanHeader(org, 40), p.surveyUrl);
  let text = make(p.orgName);
  const target = smsLength(text).encoding === 'gsm7' ? 1 : 2;
  for (let len = Math.min(40, p.orgName.length); smsLength(text).parts > target && len > 8; len -= 4)
    text = make(`${cleanHeader(p.orgName).slice(0, len).trim()}…`);
  const l = smsLength(text);
  return { text, parts: l.parts, encoding: l.encoding };
}
