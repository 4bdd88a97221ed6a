import { describe, expect, it } from 'vitest';
import { defaultQuietHours, isQuiet, notBeforeQuietEnds } from './quiet-hours.js';

const at = (iso: string) => new Date(iso);

describe('quiet hours', () => {
  it('lets a message go at once in the daytime', () => {
    // 12:00 in Moscow (UTC+3 all year, no DST).
    const noon = at('2026-11-20T09:00:00Z');
    expect(isQuiet(noon, defaultQuietHours, 'Europe/Moscow')).toBe(false);
    expect(notBeforeQuietEnds(noon, defaultQuietHours, 'Europe/Moscow')).toEqual(noon);
  });

  it('moves a late-evening message to 09:00 the next morning, crossing midnight', () => {
    // 22:30 Moscow on 20 Nov → 09:00 Moscow on 21 Nov = 06:00Z.
    expect(notBeforeQuietEnds(at('2026-11-20T19:30:00Z'), defaultQuietHours, 'Europe/Moscow')).toEqual(
      at('2026-11-21T06:00:00Z'),
    );
  });

  it('moves an early-morning message to 09:00 the same day', () => {
    // 03:15 Moscow on 21 Nov = 00:15Z.
    expect(notBeforeQuietEnds(at('2026-11-21T00:15:00Z'), defaultQuietHours, 'Europe/Moscow')).toEqual(
      at('2026-11-21T06:00:00Z'),
    );
  });

  it('treats the start as quiet and the end as not', () => {
    expect(isQuiet(at('2026-11-20T18:00:00Z'), defaultQuietHours, 'Europe/Moscow')).toBe(true); // 21:00
    expect(isQuiet(at('2026-11-20T17:59:00Z'), defaultQuietHours, 'Europe/Moscow')).toBe(false); // 20:59
    expect(isQuiet(at('2026-11-21T06:00:00Z'), defaultQuietHours, 'Europe/Moscow')).toBe(false); // 09:00
  });

  it('uses the given zone: the same instant is night in Vladivostok and day in Moscow', () => {
    const instant = at('2026-11-20T12:00:00Z'); // 15:00 Moscow, 22:00 Vladivostok (UTC+10)
    expect(isQuiet(instant, defaultQuietHours, 'Europe/Moscow')).toBe(false);
    expect(notBeforeQuietEnds(instant, defaultQuietHours, 'Asia/Vladivostok')).toEqual(
      at('2026-11-20T23:00:00Z'),
    );
  });

  it('handles quiet hours inside one day (13:00–14:00) and none at all (equal times)', () => {
    const lunch = { start: '13:00', end: '14:00' };
    expect(notBeforeQuietEnds(at('2026-11-20T10:30:00Z'), lunch, 'Europe/Moscow')).toEqual(
      at('2026-11-20T11:00:00Z'),
    );
    expect(isQuiet(at('2026-11-20T20:00:00Z'), { start: '00:00', end: '00:00' }, 'UTC')).toBe(false);
  });

  it('lands on the local end time across a DST change (Europe/Berlin, 29 March 2026)', () => {
    // 23:00 CET on 28 March (22:00Z); clocks go forward at 02:00; 09:00 CEST on 29 March = 07:00Z.
    expect(notBeforeQuietEnds(at('2026-03-28T22:00:00Z'), defaultQuietHours, 'Europe/Berlin')).toEqual(
      at('2026-03-29T07:00:00Z'),
    );
  });
});
