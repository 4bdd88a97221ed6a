import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionWindows,
  checkpointDays,
  checkpointWindows,
  cutAt,
  DEFAULT_KPI_MATRICES,
  endOfMonth,
  goalStatusOn,
  interpolateTargets,
  kpiScore,
  METRIC_SCALE,
  MIN_GOAL_N,
  periodOf,
  statusOf,
  weightsSumTo100,
} from './goals.js';
import { addDays, daysBetween } from './period.js';

const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('periods and checkpoints', () => {
  it('finds the calendar quarter, half-year and year that hold a day', () => {
    expect(periodOf('quarter', '2026-05-14')).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(periodOf('half', '2026-09-01')).toEqual({ from: '2026-07-01', to: '2026-12-31' });
    expect(periodOf('year', '2028-02-29')).toEqual({ from: '2028-01-01', to: '2028-12-31' });
    expect(periodOf('custom', '2026-01-15', '2026-03-10')).toEqual({ from: '2026-01-15', to: '2026-03-10' });
    expect(() => periodOf('custom', '2026-01-15')).toThrow(RangeError);
  });

  it('knows the last day of a month, leap years and December included', () => {
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-01')).toBe('2028-02-29');
    expect(endOfMonth('2026-11-30', 1)).toBe('2026-12-31');
    expect(endOfMonth('2026-12-31', 1)).toBe('2027-01-31');
  });

  it('puts a checkpoint at each month end and always at the period end', () => {
    expect(checkpointDays({ from: '2026-01-15', to: '2026-03-31' }, 'month')).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
    ]);
    expect(checkpointDays({ from: '2026-01-01', to: '2026-03-10' }, 'month')).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-10',
    ]);
    expect(checkpointDays(periodOf('year', '2026-06-01'), 'quarter')).toEqual([
      '2026-03-31',
      '2026-06-30',
      '2026-09-30',
      '2026-12-31',
    ]);
    expect(checkpointDays({ from: '2026-01-05', to: '2026-01-20' }, 'month')).toEqual(['2026-01-20']);
  });

  it('measures each checkpoint over its own window or over the period to date', () => {
    const period = { from: '2026-01-01', to: '2026-03-31' };
    const days = checkpointDays(period, 'month');
    expect(checkpointWindows(period, days, 'window')).toEqual([
      { from: '2026-01-01', to: '2026-01-31' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-03-01', to: '2026-03-31' },
    ]);
    expect(checkpointWindows(period, days, 'cumulative').map((w) => w.from)).toEqual([
      '2026-01-01',
      '2026-01-01',
      '2026-01-01',
    ]);
  });

  it('checkpoints lie in the period, ascending, the last on its last day (property)', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 800 }),
        fc.constantFrom('month', 'quarter'),
        (from, len, c) => {
          const period = { from, to: addDays(from, len) };
          const days = checkpointDays(period, c as 'month' | 'quarter');
          expect(days.at(-1)).toBe(period.to);
          for (const [i, d] of days.entries()) {
            expect(d >= period.from && d <= period.to).toBe(true);
            if (i > 0) expect(d > (days[i - 1] as string)).toBe(true);
          }
          // The windows tile the period with no gap and no overlap.
          const windows = checkpointWindows(period, days, 'window');
          const covered = windows.reduce((s, w) => s + daysBetween(w.from, w.to) + 1, 0);
          expect(covered).toBe(len + 1);
        },
      ),
    );
  });
});

describe('interpolateTargets', () => {
  it('moves linearly from the baseline to the target by the days elapsed', () => {
    // Q1 2026 has 31 + 28 + 31 = 90 days; baseline 30, target 39, so 0.1 point a day:
    // 31 Jan: 30 + 9·31/90 = 33.1; 28 Feb: 30 + 9·59/90 = 35.9; 31 Mar: 30 + 9·90/90 = 39.
    const period = { from: '2026-01-01', to: '2026-03-31' };
    expect(interpolateTargets(period, 30, 39, ['2026-01-31', '2026-02-28', '2026-03-31'])).toEqual([
      33.1, 35.9, 39,
    ]);
    // A target below the baseline (detractors 25% → 16%): 25 − 9·31/90 = 21.9.
    expect(interpolateTargets(period, 25, 16, ['2026-01-31'])).toEqual([21.9]);
    // No baseline: every checkpoint carries the target.
    expect(interpolateTargets(period, null, 40, ['2026-01-31', '2026-03-31'])).toEqual([40, 40]);
  });

  it('stays between the baseline and the target, ends on the target, and is monotone (property)', () => {
    fc.assert(
      fc.property(
        day,
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: -100, max: 100 }),
        (from, len, baseline, target) => {
          const period = { from, to: addDays(from, len) };
          const days = checkpointDays(period, 'month');
          const values = interpolateTargets(period, baseline, target, days);
          expect(values.at(-1)).toBe(target);
          const [lo, hi] = [Math.min(baseline, target), Math.max(baseline, target)];
          for (const [i, v] of values.entries()) {
            expect(v).toBeGreaterThanOrEqual(lo - 0.05);
            expect(v).toBeLessThanOrEqual(hi + 0.05);
            if (i > 0)
              expect(Math.sign(v - (values[i - 1] as number)) * Math.sign(target - baseline)).not.toBe(-1);
          }
        },
      ),
    );
  });
});

describe('statusOf', () => {
  const m = (value: number, lo: number, hi: number, n = 100) => ({
    value,
    ci95: [lo, hi] as [number, number],
    n,
  });

  it('judges a value against its target with the 95% interval', () => {
    // NPS 35 [27, 43]: target 30 is met; target 40 is inside the interval but above the value; 45 is above it.
    expect(statusOf(m(35, 27, 43), 30, 'higher')).toBe('on_track');
    expect(statusOf(m(35, 27, 43), 35, 'higher')).toBe('on_track');
    expect(statusOf(m(35, 27, 43), 40, 'higher')).toBe('at_risk');
    expect(statusOf(m(35, 27, 43), 43, 'higher')).toBe('at_risk');
    expect(statusOf(m(35, 27, 43), 45, 'higher')).toBe('off_track');
    // Detractors 20% [15, 26], lower is better: target 25 met, 17 inside, 12 below the interval.
    expect(statusOf(m(20, 15, 26), 25, 'lower')).toBe('on_track');
    expect(statusOf(m(20, 15, 26), 17, 'lower')).toBe('at_risk');
    expect(statusOf(m(20, 15, 26), 12, 'lower')).toBe('off_track');
  });

  it('says "not enough data" for thin or missing figures rather than judging them', () => {
    expect(statusOf(m(80, 40, 100, MIN_GOAL_N - 1), 10, 'higher')).toBe('not_enough_data');
    expect(statusOf({ value: null, ci95: null, n: 0 }, 10, 'higher')).toBe('not_enough_data');
    expect(statusOf(m(80, 40, 100, MIN_GOAL_N), 10, 'higher')).toBe('on_track');
  });

  it('a higher value never reads worse, and a higher target never reads better (property)', () => {
    const rank = { on_track: 2, at_risk: 1, off_track: 0, not_enough_data: -1 };
    fc.assert(
      fc.property(
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: -100, max: 100 }),
        fc.integer({ min: 0, max: 30 }),
        (value, down, up, target, shift) => {
          const a = m(value, value - down, value + up);
          const b = m(value + shift, value + shift - down, value + shift + up);
          expect(rank[statusOf(b, target, 'higher')]).toBeGreaterThanOrEqual(
            rank[statusOf(a, target, 'higher')],
          );
          expect(rank[statusOf(a, target + shift, 'higher')]).toBeLessThanOrEqual(
            rank[statusOf(a, target, 'higher')],
          );
          // Mirror: lower-is-better on negated numbers reads the same.
          const mirrored = {
            value: -value,
            ci95: [-(value + up), -(value - down)] as [number, number],
            n: 100,
          };
          expect(statusOf(mirrored, -target, 'lower')).toBe(statusOf(a, target, 'higher'));
        },
      ),
    );
  });
});

describe('the KPI matrix', () => {
  it('checks that weights sum to 100', () => {
    expect(weightsSumTo100([{ weight: 40 }, { weight: 30 }, { weight: 20 }, { weight: 10 }])).toBe(true);
    expect(weightsSumTo100([{ weight: 33.33 }, { weight: 33.33 }, { weight: 33.34 }])).toBe(true);
    expect(weightsSumTo100([{ weight: 50 }, { weight: 40 }])).toBe(false);
  });

  it('weighs the statuses into a score', () => {
    // 40·1 + 30·½ + 20·0 + 10·1 = 65 of 100 → at risk.
    expect(
      kpiScore([
        { weight: 40, status: 'on_track' },
        { weight: 30, status: 'at_risk' },
        { weight: 20, status: 'off_track' },
        { weight: 10, status: 'on_track' },
      ]),
    ).toEqual({ score: 65, status: 'at_risk', judgedWeight: 100 });
    // Without data for the 30: (40 + 10)/70 = 71.4 → at risk; the missing KPI neither helps nor hurts.
    expect(
      kpiScore([
        { weight: 40, status: 'on_track' },
        { weight: 30, status: 'not_enough_data' },
        { weight: 20, status: 'off_track' },
        { weight: 10, status: 'on_track' },
      ]),
    ).toEqual({ score: 71.4, status: 'at_risk', judgedWeight: 70 });
    // All on track: 100 → on track; 60·0 + 40·1 = 40 → off track.
    expect(kpiScore([{ weight: 100, status: 'on_track' }]).status).toBe('on_track');
    expect(
      kpiScore([
        { weight: 60, status: 'off_track' },
        { weight: 40, status: 'on_track' },
      ]),
    ).toEqual({
      score: 40,
      status: 'off_track',
      judgedWeight: 100,
    });
    // Less than half of the weight judged: no score.
    expect(
      kpiScore([
        { weight: 60, status: 'not_enough_data' },
        { weight: 40, status: 'on_track' },
      ]),
    ).toEqual({ score: null, status: 'not_enough_data', judgedWeight: 40 });
  });

  it('the score lies in 0…100 and improving one KPI never lowers it (property)', () => {
    const status = fc.constantFrom('on_track', 'at_risk', 'off_track', 'not_enough_data') as fc.Arbitrary<
      'on_track' | 'at_risk' | 'off_track' | 'not_enough_data'
    >;
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), status }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.nat(),
        (items, pick) => {
          const s = kpiScore(items);
          if (s.score !== null) {
            expect(s.score).toBeGreaterThanOrEqual(0);
            expect(s.score).toBeLessThanOrEqual(100);
          }
          const i = pick % items.length;
          const item = items[i]!;
          if (item.status === 'at_risk' || item.status === 'off_track') {
            const better = items.map((x, j) => (j === i ? { ...x, status: 'on_track' as const } : x));
            const t = kpiScore(better);
            if (s.score !== null && t.score !== null) expect(t.score).toBeGreaterThanOrEqual(s.score);
          }
        },
      ),
    );
  });
});

describe('where a goal stands', () => {
  it('takes the last checkpoint whose day has ended and that could be judged', () => {
    const checkpoints = [
      { day: '2026-01-31', status: 'at_risk' as const },
      { day: '2026-02-28', status: 'not_enough_data' as const },
      { day: '2026-03-31', status: 'on_track' as const },
    ];
    expect(goalStatusOn('2026-03-15', checkpoints)).toEqual({ status: 'at_risk', day: '2026-01-31' });
    expect(goalStatusOn('2026-03-31', checkpoints)).toEqual({ status: 'at_risk', day: '2026-01-31' });
    expect(goalStatusOn('2026-04-01', checkpoints)).toEqual({ status: 'on_track', day: '2026-03-31' });
    expect(goalStatusOn('2026-01-10', checkpoints)).toEqual({ status: 'not_enough_data', day: null });
  });
});

describe('cutAt', () => {
  it('cuts a period at today, and has nothing for one that starts later', () => {
    expect(cutAt({ from: '2026-03-01', to: '2026-03-31' }, '2026-03-15')).toEqual({
      from: '2026-03-01',
      to: '2026-03-15',
    });
    expect(cutAt({ from: '2026-02-01', to: '2026-02-28' }, '2026-03-15')).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(cutAt({ from: '2026-04-01', to: '2026-04-30' }, '2026-03-15')).toBeNull();
  });
});

describe('actionWindows', () => {
  it('compares the days before an action with the days from it on, cut at today', () => {
    expect(actionWindows('2026-03-01', 30, '2026-06-01')).toEqual({
      before: { from: '2026-01-30', to: '2026-02-28' },
      after: { from: '2026-03-01', to: '2026-03-30' },
      complete: true,
    });
    expect(actionWindows('2026-03-01', 30, '2026-03-10')).toEqual({
      before: { from: '2026-01-30', to: '2026-02-28' },
      after: { from: '2026-03-01', to: '2026-03-10' },
      complete: false,
    });
    expect(actionWindows('2026-04-01', 30, '2026-03-10').after).toBeNull();
  });
});

describe('the default KPI matrices', () => {
  it('weigh 100% at every level, with targets on their scales', () => {
    for (const items of Object.values(DEFAULT_KPI_MATRICES)) {
      expect(weightsSumTo100(items)).toBe(true);
      for (const i of items) {
        expect(i.target).toBeGreaterThanOrEqual(METRIC_SCALE[i.metric].min);
        expect(i.target).toBeLessThanOrEqual(METRIC_SCALE[i.metric].max);
      }
    }
  });
});
