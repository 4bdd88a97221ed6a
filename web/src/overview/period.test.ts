import { describe, expect, it } from 'vitest';
import { ALL_TIME_START, addDays, isDay, monthStart, presetRange, todayIn } from './period';

describe('presetRange', () => {
  const today = '2026-03-15';

  it('counts the last 30 days with today as the 30th', () => {
    // 15 March back 29 days: 14 days of March before today, then 15 of February → 14 February.
    expect(presetRange('last30Days', today)).toEqual({ from: '2026-02-14', to: today });
  });

  it('takes whole calendar months for the month presets, the current one so far', () => {
    expect(presetRange('last3Months', today)).toEqual({ from: '2026-01-01', to: today });
    expect(presetRange('last12Months', today)).toEqual({ from: '2025-04-01', to: today });
  });

  it('starts the year to date on 1 January', () => {
    expect(presetRange('yearToDate', today)).toEqual({ from: '2026-01-01', to: today });
  });

  it('starts all time before any answer could have been given', () => {
    expect(presetRange('allTime', today)).toEqual({ from: ALL_TIME_START, to: today });
  });
});

describe('calendar arithmetic', () => {
  it('crosses month and year ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(monthStart('2026-01-31', 1)).toBe('2025-12-01');
  });

  it('refuses days that do not exist', () => {
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-13-01')).toBe(false);
  });

  it("reads today in the organisation's zone, not the browser's", () => {
    const instant = new Date('2026-03-15T22:30:00Z');
    expect(todayIn('Europe/Moscow', instant)).toBe('2026-03-16');
    expect(todayIn('America/New_York', instant)).toBe('2026-03-15');
  });
});
