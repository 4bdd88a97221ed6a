/** @module The ballot-stuffing limits and the device key, alone. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVault } from '../privacy/index.js';
import { deviceKeyOf, devicePattern, LinkRateLimiter, newDeviceId } from './protect.js';

describe('LinkRateLimiter', () => {
  const limits = { answersPerIpPerHour: 2, answersPerLinkPerMinute: 3, viewsPerIpPerMinute: 2 };

  it('refuses the answer after the per-IP budget of a link, with a wait, and keeps other IPs and links apart', async () => {
    const limiter = new LinkRateLimiter(limits);
    expect(await limiter.answer('10.0.0.1', 'link-a')).toEqual({ ok: true });
    expect(await limiter.answer('10.0.0.1', 'link-a')).toEqual({ ok: true });
    const refused = await limiter.answer('10.0.0.1', 'link-a');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBeGreaterThan(3000);
    expect(await limiter.answer('10.0.0.1', 'link-b')).toEqual({ ok: true });
    expect(await limiter.answer('10.0.0.2', 'link-a')).toEqual({ ok: true });
  });

  it('caps a link across all addresses', async () => {
    const limiter = new LinkRateLimiter(limits);
    for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3']) expect((await limiter.answer(ip, 'l')).ok).toBe(true);
    expect((await limiter.answer('4.4.4.4', 'l')).ok).toBe(false);
  });

  it('limits bursts of page views per IP', async () => {
    const limiter = new LinkRateLimiter(limits);
    expect((await limiter.view('::1')).ok).toBe(true);
    expect((await limiter.view('::1')).ok).toBe(true);
    expect((await limiter.view('::1')).ok).toBe(false);
    expect((await limiter.view('::2')).ok).toBe(true);
  });
});

describe('deviceKeyOf', () => {
  const vault = createVault(randomBytes(32));

  it('is stable for a device, link and day, and unrelated across days, links and devices', () => {
    const device = newDeviceId();
    expect(device).toMatch(devicePattern);
    const key = deviceKeyOf(vault, 'link-1', device, '2026-11-20');
    expect(deviceKeyOf(vault, 'link-1', device, '2026-11-20')).toBe(key);
    expect(deviceKeyOf(vault, 'link-1', device, '2026-11-21')).not.toBe(key);
    expect(deviceKeyOf(vault, 'link-2', device, '2026-11-20')).not.toBe(key);
    expect(deviceKeyOf(vault, 'link-1', newDeviceId(), '2026-11-20')).not.toBe(key);
    expect(key).not.toContain(device);
  });

  it('depends on the secret key, so the database alone cannot test a guessed device id', () => {
    const other = createVault(randomBytes(32));
    const device = newDeviceId();
    expect(deviceKeyOf(other, 'l', device, '2026-11-20')).not.toBe(
      deviceKeyOf(vault, 'l', device, '2026-11-20'),
    );
  });
});
