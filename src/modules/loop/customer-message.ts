// The playbook's messages to customers (thanks, a referral or review link, an offer), queued in the delivery outbox.

import type { Localised } from '../../domain/playbook.js';
import { defaultQuietHours, isHhMm, notBeforeQuietEnds, type QuietHours } from '../../domain/quiet-hours.js';
import { queueMessage } from '../delivery/index.js';
import type { Ctx } from '../kernel/index.js';

const subjects: Record<'thanks' | 'referral' | 'review' | 'offer', Localised> = {
  thanks: { ru: 'Спасибо за вашу оценку', en: 'Thank you for your rating' },
  referral: { ru: 'Спасибо, что рекомендуете нас', en: 'Thank you for recommending us' },
  review: { ru: 'Поделитесь впечатлением', en: 'Share your experience' },
  offer: {
    ru: 'Спасибо за оценку — у нас есть предложение',
    en: 'Thank you for your rating — an offer for you',
  },
};

const hello: Localised = { ru: 'Здравствуйте', en: 'Hello' };

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface CustomerMessage {
  responseId: string;
  template: 'thanks' | 'referral' | 'review' | 'offer';
  text: Localised;
  url?: string;
  locale: 'ru' | 'en';
  orgName: string;
  email: string | null;
  name: string | null;
  optedOut: boolean;
  quietHours: QuietHours | undefined;
  timeZone: string;
}

/**
 * Queues one playbook message by e-mail (once per answer and template: the outbox's dedupe key). A customer who
 * opted out or has no e-mail gets nothing; a suppressed address is recorded as such by the outbox; the message
 * waits for the end of the org's quiet hours. Runs in the caller's transaction (`ctx.db`).
 */
export async function queueCustomerMessage(ctx: Ctx, m: CustomerMessage): Promise<'queued' | 'skipped'> {
  if (m.optedOut || !m.email) return 'skipped';
  const first = m.name?.trim().split(/\s+/)[0];
  const greeting = first ? `${hello[m.locale]}, ${first}!` : `${hello[m.locale]}!`;
  const body = m.text[m.locale] || m.text.ru || m.text.en;
  const text = [greeting, '', body, ...(m.url ? ['', m.url] : []), '', m.orgName].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
<p>${esc(greeting)}</p><p>${esc(body)}</p>${m.url ? `<p><a href="${esc(m.url)}">${esc(m.url)}</a></p>` : ''}
<p style="color:#666">${esc(m.orgName)}</p></body></html>`;
  const quiet =
    m.quietHours && isHhMm(m.quietHours.start) && isHhMm(m.quietHours.end) ? m.quietHours : defaultQuietHours;
  const result = await queueMessage(ctx, {
    dedupeKey: `loop-${m.template}:${m.responseId}`,
    kind: `loop.${m.template}`,
    to: m.email,
    locale: m.locale,
    subject: `${m.orgName}: ${subjects[m.template][m.locale]}`,
    text,
    html,
    sendAfter: notBeforeQuietEnds(ctx.clock(), quiet, m.timeZone),
  });
  return result.queued ? 'queued' : 'skipped';
}
