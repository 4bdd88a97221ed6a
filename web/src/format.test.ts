import { describe, expect, it } from 'vitest';
import { formatAnsweredAt, formatDay, formatDiff, formatMonth, formatNps } from './format';

describe('formatting for the reader', () => {
  it('writes NPS with the locale decimal mark and no % sign', () => {
    expect(formatNps('en', 42.3)).toBe('42.3');
    expect(formatNps('ru', 42.3)).toBe('42,3');
    expect(formatNps('en', null)).toBe('—');
  });

  it('signs a change', () => {
    expect(formatDiff('en', 3.2)).toBe('+3.2');
    expect(formatDiff('en', 0)).toBe('0');
  });

  it("keeps an employee's answer date on its own day whatever the browser's zone", () => {
    expect(formatDay('en', '2026-03-01')).toBe('Mar 1, 2026');
    expect(formatAnsweredAt('en', '2026-03-01', 'Pacific/Honolulu')).toBe('Mar 1, 2026');
  });

  it("reads a customer's answer time in the organisation's zone", () => {
    // 22:30 UTC is 01:30 the next day in Moscow (UTC+3).
    expect(formatAnsweredAt('en', '2026-03-14T22:30:00Z', 'Europe/Moscow')).toMatch(/^Mar 15, 2026.*1:30/);
  });

  it('names a month key', () => {
    expect(formatMonth('en', '2026-03', 'long')).toBe('March 2026');
  });
});
