// One HTTP POST of a signed webhook (Standard Webhooks, https://www.standardwebhooks.com/): a hard deadline, no
// redirects followed, the SSRF guard on the address the connection actually uses.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { BlockedAddressError, guardedLookup, isPublicAddress } from './guard.js';

export interface PostResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** The three Standard Webhooks headers: id, timestamp (seconds) and `v1,<base64 HMAC-SHA256>` of id.timestamp.body. */
export function signatureHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

const MAX_READ = 64 * 1024;

/** Posts `body` to `url`; never throws, never takes longer than `timeoutMs`. */
export function postWebhook(o: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
}): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: elapsed() });
    };
    let url: URL;
    try {
      url = new URL(o.url);
    } catch {
      return finish({ ok: false, status: null, error: 'The URL is not valid' });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // A literal address is never looked up, so the guard reads it here.
    if (!o.allowPrivate && isIP(host) && !isPublicAddress(host))
      return finish({ ok: false, status: null, error: `${host} is a private or reserved address: refused` });
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Sarafan-Webhooks/1',
        'content-length': String(Buffer.byteLength(o.body)),
        ...o.headers,
      },
      lookup: guardedLookup(o.allowPrivate) as unknown as http.RequestOptions['lookup'],
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({
        ok: false,
        status: null,
        error: `No answer within ${Math.round(o.timeoutMs / 1000)} s (timed out)`,
      });
      request.destroy();
    }, o.timeoutMs);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        if (read < MAX_READ) chunks.push(chunk);
        read += chunk.length;
      });
      const done = () => {
        const ok = status >= 200 && status < 300;
        const text = Buffer.concat(chunks).toString('utf8').slice(0, 300).trim();
        finish({
          ok,
          status,
          error: ok
            ? null
            : status >= 300 && status < 400
              ? `HTTP ${status}: redirects are not followed; give the final URL`
              : `HTTP ${status}${text ? `: ${text}` : ''}`,
        });
        request.destroy();
      };
      response.on('end', done);
      response.on('error', done);
    });
    request.on('error', (error) => {
      const message =
        error instanceof BlockedAddressError
          ? `${error.message}: refused`
          : `${(error as NodeJS.ErrnoException).code ?? 'Error'}: ${error.message}`;
      finish({ ok: false, status: null, error: message.slice(0, 500) });
    });
    request.end(o.body);
  });
}
