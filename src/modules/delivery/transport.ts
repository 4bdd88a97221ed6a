// The senders behind one small interface each: e-mail over SMTP (nodemailer) and SMS over an HTTP gateway.
import nodemailer from 'nodemailer';

/** How a failed send ended: definitely not sent (permanent or worth retrying), or nobody knows. */
export type SendFailure =
  | { kind: 'permanent'; message: string; code?: number }
  | { kind: 'transient'; message: string; code?: number }
  | { kind: 'uncertain'; message: string };

export class SendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.message);
  }
}

export interface OutgoingEmail {
  from: { name: string; address: string };
  replyTo?: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  /** Files sent with the message (a scheduled report). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface Mailer {
  send(mail: OutgoingEmail): Promise<{ providerId: string }>;
  close(): void;
}

// Errors raised before the message body was handed over: the mail certainly did not go.
const notSentCodes = new Set([
  'EDNS',
  'ETLS',
  'EAUTH',
  'ENOAUTH',
  'ECONFIG',
  'EPROXY',
  'EENVELOPE',
  'EREQUIRETLS',
]);

/** Sorts a nodemailer error: a server reply is definite; a broken connection during DATA is uncertain. */
export function classifySmtpError(error: unknown): SendFailure {
  const e = error as { responseCode?: number; code?: string; command?: string; message?: string };
  const message = (e?.message ?? String(error)).slice(0, 500);
  if (typeof e?.responseCode === 'number') {
    return e.responseCode >= 500
      ? { kind: 'permanent', message, code: e.responseCode }
      : { kind: 'transient', message, code: e.responseCode };
  }
  if (e?.code && notSentCodes.has(e.code)) return { kind: 'transient', message };
  if (e?.command === 'CONN' || e?.command === 'EHLO' || e?.command === 'HELO')
    return { kind: 'transient', message };
  return { kind: 'uncertain', message };
}

/** A pooled SMTP mailer from an smtp:// or smtps:// URL (options such as `?ignoreTLS=true` go in the URL). */
export function smtpMailer(url: string, options: { maxConnections?: number } = {}): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 3,
    maxMessages: 500,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          replyTo: mail.replyTo,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          headers: mail.headers,
          attachments: mail.attachments?.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
          // Never fetch files or URLs named in a message (nothing here should, but no surprise either).
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        return { providerId: String(info.messageId ?? mail.messageId) };
      } catch (error) {
        throw new SendError(classifySmtpError(error));
      }
    },
    close: () => transport.close(),
  };
}

export interface OutgoingSms {
  orgId: string;
  to: string;
  text: string;
  sender: string;
}

export interface SmsProvider {
  send(sms: OutgoingSms): Promise<{ providerId: string }>;
}

/** Records messages instead of sending them: for tests, and to try the pipeline before a gateway is set. */
export class TestSmsProvider implements SmsProvider {
  readonly sent: OutgoingSms[] = [];
  async send(sms: OutgoingSms) {
    this.sent.push(sms);
    return { providerId: `test-${this.sent.length}` };
  }
}

export interface HttpSmsConfig {
  /** e.g. https://gate.example/send?to={to}&text={text}&from={sender} — placeholders are URL-encoded. */
  url: string;
  method: 'GET' | 'POST';
  /** e.g. {"to":"{to}","text":"{text}"} — placeholders are escaped for JSON, or URL-encoded for a form. */
  bodyTemplate?: string;
  headers: Record<string, string>;
}

function fill(template: string, values: Record<string, string>, encode: (v: string) => string): string {
  return template.replace(/\{(to|text|sender)\}/g, (_, k: string) => encode(values[k] ?? ''));
}

/** A generic HTTP gateway: most SMS providers take a GET or a POST with the number and the text. */
export function httpSmsProvider(config: HttpSmsConfig, fetchImpl: typeof fetch = fetch): SmsProvider {
  return {
    async send(sms) {
      const values = { to: sms.to, text: sms.text, sender: sms.sender };
      const url = fill(config.url, values, encodeURIComponent);
      const headers = { ...config.headers };
      const contentType =
        Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      let body: string | undefined;
      if (config.method === 'POST' && config.bodyTemplate) {
        const json = contentType.includes('json') || /^\s*[{[]/.test(config.bodyTemplate);
        body = fill(
          config.bodyTemplate,
          values,
          json ? (v) => JSON.stringify(v).slice(1, -1) : encodeURIComponent,
        );
        if (!contentType)
          headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
      }
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: config.method,
          headers,
          body,
          signal: AbortSignal.timeout(20_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        const message = `SMS gateway unreachable: ${(error as Error).message}${cause ? ` (${cause})` : ''}`;
        // Refused or not resolved: the request never arrived. Anything else may have been sent.
        if (cause === 'ECONNREFUSED' || cause === 'ENOTFOUND' || cause === 'EAI_AGAIN')
          throw new SendError({ kind: 'transient', message });
        throw new SendError({ kind: 'uncertain', message });
      }
      const reply = (await response.text().catch(() => '')).slice(0, 300);
      if (response.status >= 200 && response.status < 300) return { providerId: reply.slice(0, 100) || 'ok' };
      const message = `SMS gateway answered HTTP ${response.status}: ${reply}`;
      if (response.status === 429 || response.status >= 500)
        throw new SendError({ kind: 'transient', message, code: response.status });
      throw new SendError({ kind: 'permanent', message, code: response.status });
    },
  };
}
