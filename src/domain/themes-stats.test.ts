import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, candidateThemes, npsImpact, riseTest, themeDrivers } from './themes-stats.js';

describe('themeDrivers (Monroe, Colaresi & Quinn 2008)', () => {
  it('matches the hand-worked log-odds of two mirror themes', () => {
    // A: 10 detractors, B: 10 promoters. n_i = n_j = 10; α_A = α_B = 10, α₀ = 20.
    // δ_A = ln((10+10)/(10+20−10−10)) − ln((0+10)/(10+20−0−10)) = ln 2 − ln ½ = 1.3863
    // σ² = 1/(10+10) + 1/(0+10) = 0.15, z = 1.3863 / 0.3873 = 3.579
    const [a, b] = themeDrivers([
      { themeId: 'A', detractors: 10, passives: 0, promoters: 0 },
      { themeId: 'B', detractors: 0, passives: 0, promoters: 10 },
    ]);
    expect(a!.delta).toBeCloseTo(1.3863, 4);
    expect(a!.z).toBeCloseTo(3.579, 3);
    expect(a!.leaning).toBe('detractors');
    expect(b!.delta).toBeCloseTo(-1.3863, 4);
    expect(b!.leaning).toBe('promoters');
  });

  it('shrinks a theme named once: one detractor is no driver', () => {
    const [rare] = themeDrivers([
      { themeId: 'rare', detractors: 1, passives: 0, promoters: 0 },
      { themeId: 'common', detractors: 20, passives: 10, promoters: 20 },
    ]);
    expect(rare!.leaning).toBe('neither');
  });

  it('turns the sign when detractors and promoters swap (property)', () => {
    const counts = fc.array(fc.record({ d: fc.nat(50), pa: fc.nat(50), pr: fc.nat(50) }), {
      minLength: 2,
      maxLength: 6,
    });
    fc.assert(
      fc.property(counts, (cs) => {
        const rows = cs.map((c, i) => ({
          themeId: `t${i}`,
          detractors: c.d,
          passives: c.pa,
          promoters: c.pr,
        }));
        const swapped = rows.map((r) => ({ ...r, detractors: r.promoters, promoters: r.detractors }));
        const a = themeDrivers(rows);
        const b = themeDrivers(swapped);
        a.forEach((d, i) => {
          expect(d.delta + b[i]!.delta).toBeCloseTo(0, 9);
          expect(Number.isFinite(d.z)).toBe(true);
        });
      }),
    );
  });
});

describe('npsImpact', () => {
  it('is 100 × the theme’s detractors ÷ all answers', () => {
    // 6 detractors of 13 answers: 100 × 6 / 13 = 46.15 points.
    expect(npsImpact(6, 13)).toBeCloseTo(46.15, 2);
    expect(npsImpact(0, 0)).toBe(0);
  });

  it('stays between 0 and 100 (property)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (d, extra) => {
        const v = npsImpact(d, d + extra);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe('riseTest (exact conditional binomial test, Przyborowski & Wilenski 1940)', () => {
  it('computes the binomial tail by hand', () => {
    // P(X ≥ 3 | n = 3, p = ½) = ⅛; P(X ≥ 2 | n = 3, p = ½) = 3/8 + 1/8 = ½.
    expect(binomialUpperTail(3, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialUpperTail(0, 3, 0.5)).toBe(1);
    expect(binomialUpperTail(4, 3, 0.5)).toBe(0);
  });

  it('calls a jump from 4 in 120 answers to 6 in 12 emerging', () => {
    // N = 10 mentions, p = 12 / 132 = 1/11 under H₀.
    // P(X ≥ 6) = C(10,6)(1/11)⁶(10/11)⁴ + C(10,7)(1/11)⁷(10/11)³ + … = 8.10e-5 + 4.63e-6 + 1.7e-7 ≈ 8.58e-5
    const t = riseTest(6, 12, 4, 120);
    expect(t.pValue).toBeCloseTo(8.58e-5, 6);
    expect(t.ratio).toBeCloseTo(15, 9);
    expect(t.emerging).toBe(true);
  });

  it('does not call a steady or small theme emerging', () => {
    expect(riseTest(10, 100, 40, 400).emerging).toBe(false);
    expect(riseTest(3, 10, 0, 300).emerging).toBe(false);
    expect(riseTest(8, 10, 0, 0).emerging).toBe(false);
  });

  it('agrees with the normal approximation for large counts', () => {
    const exact = binomialUpperTail(5_600, 20_000, 0.27);
    const approx = binomialUpperTail(56_000, 200_000, 0.27);
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThan(0.01);
    expect(approx).toBeLessThan(exact);
  });
});

describe('candidateThemes', () => {
  it('offers the phrase no keyword covers, counted once per answer, with examples', () => {
    const answers = [
      { id: '1', reason: 'Нужна детская комната' },
      { id: '2', reason: 'Детская комната, детская комната!' },
      { id: '3', reason: 'Где детская комната?' },
      { id: '4', reason: 'Тренер хороший' },
    ];
    const c = candidateThemes(answers, new Set(['тренер']), { minCount: 2 });
    expect(c[0]).toMatchObject({ term: 'детская комната', count: 3, exampleIds: ['1', '2', '3'] });
    // The words of the phrase are not offered again on their own.
    expect(c.map((x) => x.term)).not.toContain('детская');
    expect(c.map((x) => x.term)).not.toContain('тренер');
  });
});
