import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completePeriods, DEFAULT_DROP_RULE, judgeDrop, npsChange, trinomialVariance } from './nps-change.js';
import { addDays, daysBetween } from './period.js';

const tally = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
});

describe('npsChange', () => {
  it('calls +15 on 100 against 400 answers not significant (z 1.79, p 0.073)', () => {
    // This week: 60 P, 25 passives, 15 D → NPS 45; Var = (.60 + .15 − .45²)/100 = .5475/100 = .005475.
    // Baseline: 200 P, 120 passives, 80 D → NPS 30; Var = (.50 + .20 − .30²)/400 = .61/400 = .001525.
    // se = √(.005475 + .001525) = √.007 = .083666 → 8.37 points; z = 15/8.3666 = 1.7928; p = 2Φ(−1.7928) = .0730.
    const c = npsChange(tally(60, 25, 15), tally(200, 120, 80))!;
    expect(trinomialVariance(tally(60, 25, 15))).toBeCloseTo(0.005475, 9);
    expect(trinomialVariance(tally(200, 120, 80))).toBeCloseTo(0.001525, 9);
    expect(c.current).toEqual({ n: 100, nps: 45 });
    expect(c.baseline).toEqual({ n: 400, nps: 30 });
    expect(c.diff).toBeCloseTo(15, 9);
    expect(c.se).toBeCloseTo(8.3666, 4);
    expect(c.z).toBeCloseTo(1.7928, 4);
    expect(c.pValue).toBeCloseTo(0.073, 3);
    expect(c.significant).toBe(false);
    expect(c.direction).toBe('flat');
  });

  it('calls the same +15 on 200 answers significant (z 2.30, p 0.022)', () => {
    // This week: 120 P, 50 passives, 30 D → NPS 45; Var = .5475/200 = .0027375; baseline as above .001525.
    // se = √.0042625 = .065288 → 6.53 points; z = 15/6.5288 = 2.2975; p = 2Φ(−2.2975) = .0216.
    const c = npsChange(tally(120, 50, 30), tally(200, 120, 80))!;
    expect(c.se).toBeCloseTo(6.5288, 4);
    expect(c.z).toBeCloseTo(2.2975, 4);
    expect(c.pValue).toBeCloseTo(0.0216, 3);
    expect(c.significant).toBe(true);
    expect(c.direction).toBe('up');
  });

  it('reads a fall as down, and nothing to compare as null', () => {
    expect(npsChange(tally(200, 120, 80), tally(120, 50, 30))!.direction).toBe('down');
    expect(npsChange(tally(0, 0, 0), tally(1, 1, 1))).toBeNull();
    expect(npsChange(tally(1, 1, 1), tally(0, 0, 0))).toBeNull();
  });

  it('never calls one answer against one answer significant', () => {
    expect(npsChange(tally(1, 0, 0), tally(0, 0, 1))!.significant).toBe(false);
  });

  const tallies = fc
    .tuple(fc.nat(400), fc.nat(400), fc.nat(400))
    .filter(([p, a, d]) => p + a + d > 0)
    .map(([p, a, d]) => tally(p, a, d));

  it('is antisymmetric: swapping the samples flips the sign and keeps p', () => {
    fc.assert(
      fc.property(tallies, tallies, (a, b) => {
        const ab = npsChange(a, b)!;
        const ba = npsChange(b, a)!;
        expect(ab.diff).toBeCloseTo(-ba.diff, 9);
        expect(ab.z).toBeCloseTo(-ba.z, 9);
        expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
      }),
    );
  });

  it('keeps p in [0, 1], flat exactly when not significant, and a tally against itself at z = 0', () => {
    fc.assert(
      fc.property(tallies, tallies, (a, b) => {
        const c = npsChange(a, b)!;
        expect(c.pValue).toBeGreaterThanOrEqual(0);
        expect(c.pValue).toBeLessThanOrEqual(1);
        expect(c.direction === 'flat').toBe(!c.significant);
        expect(c.se).toBeGreaterThan(0);
        expect(npsChange(a, a)!.z).toBeCloseTo(0, 9);
      }),
    );
  });

  it('bounds the trinomial variance by 1/n (reached at half promoters, half detractors)', () => {
    fc.assert(
      fc.property(tallies, (t) => {
        const n = t.promoters + t.passives + t.detractors;
        const v = trinomialVariance(t);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 / n + 1e-12);
      }),
    );
  });
});

describe('completePeriods', () => {
  it('takes the last whole month and the one before, never the month running', () => {
    expect(completePeriods('2026-12-02', 'month')).toEqual({
      current: { key: '2026-11', from: '2026-11-01', to: '2026-11-30' },
      previous: { key: '2026-10', from: '2026-10-01', to: '2026-10-31' },
    });
    // Across a year, and February of a leap year (29 days).
    expect(completePeriods('2027-01-15', 'month').previous).toEqual({
      key: '2026-11',
      from: '2026-11-01',
      to: '2026-11-30',
    });
    expect(completePeriods('2028-03-01', 'month').current).toEqual({
      key: '2028-02',
      from: '2028-02-01',
      to: '2028-02-29',
    });
  });

  it('takes the last whole ISO week (Monday to Sunday) and the one before', () => {
    // 2026-12-02 is a Wednesday; its week starts Monday 2026-11-30, so the last whole week is Nov 23–29.
    expect(completePeriods('2026-12-02', 'week')).toEqual({
      current: { key: '2026-W48', from: '2026-11-23', to: '2026-11-29' },
      previous: { key: '2026-W47', from: '2026-11-16', to: '2026-11-22' },
    });
    // On a Monday the week just ended is judged; 2026-12-28…2027-01-03 is ISO week 53 of 2026.
    expect(completePeriods('2027-01-04', 'week').current).toEqual({
      key: '2026-W53',
      from: '2026-12-28',
      to: '2027-01-03',
    });
  });

  it('gives two adjacent whole periods that end before today (property)', () => {
    const day = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));
    fc.assert(
      fc.property(day, fc.constantFrom('week' as const, 'month' as const), (today, period) => {
        const { current, previous } = completePeriods(today, period);
        expect(addDays(previous.to, 1)).toBe(current.from);
        expect(current.to < today).toBe(true);
        // The running period starts the day after the judged one ends.
        expect(daysBetween(current.to, today)).toBeLessThanOrEqual(period === 'week' ? 7 : 31);
        if (period === 'week') expect(daysBetween(current.from, current.to)).toBe(6);
        else expect(current.from.endsWith('-01')).toBe(true);
      }),
    );
  });
});

describe('judgeDrop', () => {
  it('alerts on a significant fall of 20 points (z −2.48, p 0.013)', () => {
    // Latest: 80 P, 60 passives, 60 D → NPS 10; Var = (.40 + .30 − .10²)/200 = .69/200 = .00345.
    // Before: 100 P, 60 passives, 40 D → NPS 30; Var = (.50 + .20 − .30²)/200 = .61/200 = .00305.
    // se = √(.00345 + .00305) = √.0065 = .080623 → 8.06 points; z = −20/8.0623 = −2.4807; p = 2Φ(−2.4807) = .0131.
    const v = judgeDrop(tally(80, 60, 60), tally(100, 60, 40), DEFAULT_DROP_RULE);
    expect(v.change!.diff).toBeCloseTo(-20, 9);
    expect(v.change!.z).toBeCloseTo(-2.4807, 4);
    expect(v.change!.pValue).toBeCloseTo(0.0131, 3);
    expect(v).toMatchObject({ alert: true, significantDrop: true, crossedFloor: false, reason: 'drop' });
    // The org asks for at least 25 points: the same significant fall of 20 is not worth an alert.
    expect(
      judgeDrop(tally(80, 60, 60), tally(100, 60, 40), { ...DEFAULT_DROP_RULE, minDrop: 25 }),
    ).toMatchObject({
      alert: false,
      significantDrop: false,
      reason: 'no_drop',
    });
  });

  it('alerts when the score crosses below the org’s line, even when the fall is within noise', () => {
    // Latest 10 P, 10 passives, 10 D → NPS 0; before 12 P, 10 passives, 8 D → NPS 13.3: the line 10 is crossed.
    const rule = { minDrop: 5, floor: 10, minAnswers: 30 };
    const v = judgeDrop(tally(10, 10, 10), tally(12, 10, 8), rule);
    expect(v).toMatchObject({ alert: true, significantDrop: false, crossedFloor: true });
    // Already below the line before: no new crossing, no alert.
    expect(judgeDrop(tally(10, 10, 10), tally(9, 12, 9), rule).alert).toBe(false);
  });

  it('does not judge a period with fewer answers than the org asks for', () => {
    const v = judgeDrop(tally(0, 0, 29), tally(100, 60, 40), DEFAULT_DROP_RULE);
    expect(v).toMatchObject({ alert: false, reason: 'too_few_answers', change: null });
    expect(judgeDrop(tally(0, 0, 0), tally(0, 0, 0), { ...DEFAULT_DROP_RULE, minAnswers: 0 }).reason).toBe(
      'too_few_answers',
    );
  });

  it('alerts exactly on a significant drop or a crossing, and a rise never alerts without a line (property)', () => {
    const sized = fc
      .tuple(fc.nat(300), fc.nat(300), fc.nat(300))
      .filter(([p, a, d]) => p + a + d >= 30)
      .map(([p, a, d]) => tally(p, a, d));
    const rule = fc.record({
      minDrop: fc.integer({ min: 0, max: 40 }),
      floor: fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      minAnswers: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(sized, sized, rule, (a, b, r) => {
        const v = judgeDrop(a, b, r);
        expect(v.alert).toBe(v.significantDrop || v.crossedFloor);
        if (v.significantDrop) expect(v.change!.diff).toBeLessThanOrEqual(-r.minDrop);
        if (v.change && v.change.diff >= 0) expect(v.significantDrop).toBe(false);
        if (r.floor === null) expect(v.crossedFloor).toBe(false);
      }),
    );
  });

  it('raises a false alarm about 2.5% of the time when nothing changed (simulation)', () => {
    // Both periods drawn from the same customers (50% promoters, 20% detractors), 200 answers each: a two-sided
    // 5% test calls a fall in about half its false alarms, 2.5%. A seeded generator keeps the run repeatable.
    let seed = 20261202;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const draw = () => {
      const t = tally(0, 0, 0);
      for (let i = 0; i < 200; i++) {
        const u = random();
        if (u < 0.5) t.promoters++;
        else if (u < 0.8) t.passives++;
        else t.detractors++;
      }
      return t;
    };
    const runs = 4000;
    let alarms = 0;
    for (let i = 0; i < runs; i++)
      if (judgeDrop(draw(), draw(), { ...DEFAULT_DROP_RULE, minDrop: 0 }).alert) alarms++;
    // 2.5% ± 3 standard errors (√(.025·.975/4000) = .0025).
    expect(alarms / runs).toBeGreaterThan(0.0175);
    expect(alarms / runs).toBeLessThan(0.0325);
  });
});
