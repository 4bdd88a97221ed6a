/**
 * @module When a webhook that failed is tried again: exponential back-off with jitter, capped, then given up.
 * The shape follows Standard Webhooks' advice (https://www.standardwebhooks.com/, "Retry schedule"): quick
 * first retries for a blip, then hours apart, about a day in all.
 */

/** Attempts in all (the first one included) before a delivery is marked failed. */
export const WEBHOOK_MAX_ATTEMPTS = 8;
const BASE_MS = 30_000;
const FACTOR = 4;
const CAP_MS = 8 * 3_600_000;
/** ±20%: retries of many deliveries to one endpoint that came back spread out instead of arriving together. */
const JITTER = 0.2;

/**
 * The wait after failed attempt number `attempt` (1-based), or null when that was the last one.
 * Nominal waits: 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h, 8 h — about 18 h 50 min over 8 attempts.
 * `random` in [0, 1) picks the jitter (the caller passes Math.random; tests pass a constant).
 */
export function webhookRetryDelayMs(attempt: number, random: number): number | null {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt is 1 or more, got ${attempt}`);
  if (attempt >= WEBHOOK_MAX_ATTEMPTS) return null;
  const nominal = Math.min(CAP_MS, BASE_MS * FACTOR ** (attempt - 1));
  // A random that is not a number (NaN) means no jitter: a wait is never NaN.
  const r = Number.isNaN(random) ? 0.5 : Math.min(Math.max(random, 0), 1);
  return Math.round(nominal * (1 - JITTER + 2 * JITTER * r));
}

/** Deliveries that ended failed in a row (no success between) after which an endpoint is switched off. */
export const WEBHOOK_DISABLE_AFTER_FAILED = 5;
