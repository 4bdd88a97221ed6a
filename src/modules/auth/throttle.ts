// Log-in throttling: failed attempts are counted per account and per client address, and past a limit the account
// (or the address) is locked for a while — OWASP ASVS 4.0 §2.2.1 (anti-automation) and the Authentication Cheat
// Sheet ("account lockout"). The account key is the e-mail's blind index, so an unknown e-mail locks exactly like
// a known one and the lock reveals nobody's account.
import { createHash } from 'node:crypto';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../kernel/index.js';

export interface LoginLimits {
  /** Failed attempts on one account before it is locked. */
  failuresPerAccount: number;
  /** How long the account counter remembers a failure, and how long a lock lasts (seconds). */
  accountWindowSeconds: number;
  /** Failed attempts from one address (any accounts) before the address is blocked. */
  failuresPerAddress: number;
  addressWindowSeconds: number;
}

/**
 * 5 failures in 15 minutes lock the account for 15 minutes: a person who mistypes gets five tries, a guesser gets
 * 480 a day at most. 50 failures an hour from one address block it for an hour: a shared office NAT has room
 * for its people, a password sprayer against many accounts stops quickly.
 */
export const defaultLoginLimits: LoginLimits = {
  failuresPerAccount: 5,
  accountWindowSeconds: 15 * 60,
  failuresPerAddress: 50,
  addressWindowSeconds: 60 * 60,
};

/** A refusal that carries the seconds to wait; the HTTP layer sends them as Retry-After (RFC 9110 §10.2.3). */
export class TooManyRequests extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('rate_limited', message);
  }
}

/** In-memory counters (one process; a cluster would swap in rate-limiter-flexible's PostgreSQL store). */
export class LoginThrottle {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(private readonly limits: LoginLimits = defaultLoginLimits) {
    this.byAccount = new RateLimiterMemory({
      points: limits.failuresPerAccount,
      duration: limits.accountWindowSeconds,
      blockDuration: limits.accountWindowSeconds,
    });
    this.byAddress = new RateLimiterMemory({
      points: limits.failuresPerAddress,
      duration: limits.addressWindowSeconds,
      blockDuration: limits.addressWindowSeconds,
    });
  }

  /**
   * Refuses (429) while the account or the address is locked; call before checking the password. A request with
   * no network peer (address `unknown`: in-process, tests) is limited per account only.
   */
  async assertOpen(accountKey: string, address: string): Promise<void> {
    const [account, from] = await Promise.all([
      this.byAccount.get(accountKey),
      this.byAddress.get(addressKey(address)),
    ]);
    const locked = (res: RateLimiterRes | null, points: number) =>
      res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
    const accountWait = locked(account, this.limits.failuresPerAccount);
    if (accountWait)
      throw new TooManyRequests(
        `Too many failed log-ins for this account: try again in ${minutes(accountWait)}`,
        accountWait,
      );
    const addressWait = locked(from, this.limits.failuresPerAddress);
    if (addressWait)
      throw new TooManyRequests(
        `Too many failed log-ins from your network: try again in ${minutes(addressWait)}`,
        addressWait,
      );
  }

  /** Counts one failure against both. */
  async fail(accountKey: string, address: string): Promise<void> {
    await this.byAccount.penalty(accountKey, 1);
    const account = await this.byAccount.get(accountKey);
    if (account && account.consumedPoints >= this.limits.failuresPerAccount)
      await this.byAccount.block(accountKey, this.limits.accountWindowSeconds);
    if (address === 'unknown') return;
    await this.byAddress.penalty(addressKey(address), 1);
    const from = await this.byAddress.get(addressKey(address));
    if (from && from.consumedPoints >= this.limits.failuresPerAddress)
      await this.byAddress.block(addressKey(address), this.limits.addressWindowSeconds);
  }

  /** A successful log-in clears the account's failures (not the address's: a sprayer may know one password). */
  async succeed(accountKey: string): Promise<void> {
    await this.byAccount.delete(accountKey);
  }
}

const minutes = (seconds: number) => `${Math.ceil(seconds / 60)} min`;

/** The counter's key is a hash of the address, so even a heap dump shows no IP. */
function addressKey(address: string): string {
  return createHash('sha256').update(`login|${address}`).digest('base64url').slice(0, 22);
}
