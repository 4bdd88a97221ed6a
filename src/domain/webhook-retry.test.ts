import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from './webhook-retry.js';

describe('webhookRetryDelayMs', () => {
  it('waits 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h, 8 h at the middle of the jitter, then gives up', () => {
    const waits = Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, (_, i) => webhookRetryDelayMs(i + 1, 0.5));
    expect(waits).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_680_000, 28_800_000, 28_800_000, null]);
    // 30 s + 2 m + 8 m + 32 m + 128 m + 480 m + 480 m = 1,130.5 minutes ≈ 18.8 h: about a day in all.
    const total = waits.reduce<number>((s, w) => s + (w ?? 0), 0);
    expect(total / 3_600_000).toBeCloseTo(18.84, 2);
  });

  it('stays within ±20% of the nominal wait and never shrinks from one attempt to the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: WEBHOOK_MAX_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 1 }),
        (a, r) => {
          const nominal = webhookRetryDelayMs(a, 0.5)!;
          const w = webhookRetryDelayMs(a, r)!;
          expect(w).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
          expect(w).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
          if (a > 1)
            expect(webhookRetryDelayMs(a, r)!).toBeGreaterThanOrEqual(webhookRetryDelayMs(a - 1, r)!);
        },
      ),
    );
  });

  it('refuses an attempt number below 1', () => {
    expect(() => webhookRetryDelayMs(0, 0.5)).toThrow(RangeError);
  });
});
