// Ballot-stuffing protection for anonymous links: one answer per device per day, and rate limits per IP and link.
//
// Why this is the best cheap protection: an anonymous link has no person behind it to check, so the choice is
// between friction for everyone (captcha, phone confirmation, log-in) and limits that cost an honest respondent
// nothing. A random first-party device id (a cookie on the survey page, localStorage in the widget) folds every
// repeat from one browser on one day into a single answer — the common case of a keen or angry customer
// pressing "send" again — and the per-IP and per-link limits cap what a script can do before anyone looks,
// all in memory, with no extra request, no third party and no personal data stored: the answer keeps only an
// HMAC of (link, device, day), which cannot be turned back into the device id and does not link one day's
// answer to the next; the IP is used only as an in-memory rate-limit key and is never written anywhere.
//
// What it does not stop: someone who clears cookies or opens a private window gets a new device (bounded only by
// the IP limit); many IPs (mobile networks, a botnet) get many answers up to the per-link limit; a group of
// real people asked to answer well is indistinguishable from real customers; and people behind one address
// (the venue's guest Wi-Fi, a corporate NAT) share one IP budget. Where stuffing matters, a link's answers can be
// compared with the invitation answers of the same unit, which it cannot touch.
import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Vault } from '../privacy/index.js';

/** The device cookie of the survey pages: random, first-party, not readable by scripts. */
export const DEVICE_COOKIE = 'sarafan_device';
export const DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600;

/** 16 random bytes in lower-case hex: the form the widget makes too (crypto.getRandomValues). */
export const devicePattern = /^[0-9a-f]{32}$/;

export function newDeviceId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * HMAC(vault index key, link id + device id + local day). The vault's blind index is an HMAC-SHA-256 under a
 * key derived from the secret file (not in the database); the input is lower-case already, so its
 * normalisation changes nothing. A new day gives an unrelated key, so answers of one device cannot be chained.
 */
export function deviceKeyOf(vault: Vault, linkId: string, deviceId: string, day: string): string {
  return vault.blindIndex('name', `link-device|${linkId}|${deviceId}|${day}`);
}

export interface RateLimits {
  /** Answers from one IP through one link per hour. */
  answersPerIpPerHour: number;
  /** Answers through one link per minute, from everywhere. */
  answersPerLinkPerMinute: number;
  /** Page views and widget loads from one IP per minute. */
  viewsPerIpPerMinute: number;
}

/**
 * 10 answers per hour per IP and link lets a family or a small office on one address answer, and stops a
 * script at the eleventh. 120 per minute per link is more than a busy reception desk or a site's widget sees
 * honestly. 120 views a minute per IP leaves room for reloads and stops crawling of the pages.
 */
export const defaultRateLimits: RateLimits = {
  answersPerIpPerHour: 10,
  answersPerLinkPerMinute: 120,
  viewsPerIpPerMinute: 120,
};

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** In-memory limits (one process; a cluster would swap in rate-limiter-flexible's Postgres store). */
export class LinkRateLimiter {
  private readonly answersByIp: RateLimiterMemory;
  private readonly answersByLink: RateLimiterMemory;
  private readonly views: RateLimiterMemory;

  constructor(limits: RateLimits = defaultRateLimits) {
    this.answersByIp = new RateLimiterMemory({ points: limits.answersPerIpPerHour, duration: 3600 });
    this.answersByLink = new RateLimiterMemory({ points: limits.answersPerLinkPerMinute, duration: 60 });
    this.views = new RateLimiterMemory({ points: limits.viewsPerIpPerMinute, duration: 60 });
  }

  /** Takes one answer from the IP's and the link's budget. */
  async answer(ip: string, linkId: string): Promise<Verdict> {
    const byIp = await take(this.answersByIp, `${ipKey(ip)}|${linkId}`);
    if (!byIp.ok) return byIp;
    return take(this.answersByLink, linkId);
  }

  async view(ip: string): Promise<Verdict> {
    return take(this.views, ipKey(ip));
  }
}

/** The limiter's key is a hash of the IP, so even a heap dump shows no address. */
function ipKey(ip: string): string {
  return createHash('sha256').update(ip).digest('base64url').slice(0, 22);
}

async function take(limiter: RateLimiterMemory, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}
