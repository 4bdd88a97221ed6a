/**
 * @module Rate limits of public endpoints (the invitation survey pages /s/{token}, the inbound webhook): views and
 * answers per address, and — against token guessing — failures (unknown tokens, bad signatures) per address, after
 * which the address is blocked for a while. Tokens carry 192
 * random bits (kernel/tokens.ts) and are found by their SHA-256, so guessing is hopeless anyway; the block keeps a
 * scanner from costing the database a lookup per guess. In memory (rate-limiter-flexible), per process.
 */
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface PublicLimits {
  /** Page views from one address per minute. */
  viewsPerMinute: number;
  /** Answers sent from one address per minute (each invitation takes one answer anyway). */
  answersPerMinute: number;
  /** Failures (unknown tokens, bad signatures) from one address per 10 minutes before it is blocked for 10 minutes. */
  failuresPer10Minutes: number;
}

/**
 * A household, an office or a mobile operator's shared address (CGNAT) answering a mass e-mailing stays below
 * these; a scanner does not. Invitation links take one answer each anyway, so the answer limit only bounds load.
 */
export const defaultPublicLimits: PublicLimits = {
  viewsPerMinute: 300,
  answersPerMinute: 120,
  failuresPer10Minutes: 20,
};

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class PublicRateLimiter {
  private readonly views: RateLimiterMemory;
  private readonly answers: RateLimiterMemory;
  private readonly failures: RateLimiterMemory;

  constructor(private readonly limits: PublicLimits = defaultPublicLimits) {
    this.views = new RateLimiterMemory({ points: limits.viewsPerMinute, duration: 60 });
    this.answers = new RateLimiterMemory({ points: limits.answersPerMinute, duration: 60 });
    this.failures = new RateLimiterMemory({
      points: limits.failuresPer10Minutes,
      duration: 600,
      blockDuration: 600,
    });
  }

  /**
   * Before any database work: blocked for guessing, or one request too many of this kind. A request with no
   * network peer (`unknown`: handed to the app in-process, as the tests and the benches do) is not counted.
   */
  async admit(address: string, kind: 'view' | 'answer'): Promise<Verdict> {
    if (address === UNKNOWN) return { ok: true };
    const key = keyOf(address);
    const guessed = await this.failures.get(key);
    if (guessed && guessed.consumedPoints >= this.limits.failuresPer10Minutes)
      return { ok: false, retryAfterSeconds: seconds(guessed.msBeforeNext) };
    return take(kind === 'view' ? this.views : this.answers, key);
  }

  /** Counts a failure: a token that does not exist, a signature that does not match. */
  async failure(address: string): Promise<void> {
    if (address === UNKNOWN) return;
    const key = keyOf(address);
    await this.failures.penalty(key, 1);
    const guessed = await this.failures.get(key);
    if (guessed && guessed.consumedPoints >= this.limits.failuresPer10Minutes)
      await this.failures.block(key, 600);
  }
}

/** What kernel/client-address.ts answers when a request came through no socket. */
const UNKNOWN = 'unknown';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The key is a hash of the address, so even a heap dump shows no IP. */
function keyOf(address: string): string {
  return createHash('sha256').update(`public|${address}`).digest('base64url').slice(0, 22);
}

async function take(limiter: RateLimiterMemory, key: string): Promise<Verdict> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes)
      return { ok: false, retryAfterSeconds: seconds(rejection.msBeforeNext) };
    throw rejection;
  }
}
