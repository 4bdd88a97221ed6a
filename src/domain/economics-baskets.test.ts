import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BasketCell,
  chiSquareOfBuyers,
  chiSquareSurvival,
  compareBaskets,
  forecastBasket,
  twoProportionTest,
} from './economics-baskets.js';

describe('chi-square of segment × bought', () => {
  it('works a 3×2 table by hand', () => {
    // 100 customers per segment; 60, 40 and 20 bought: 120 of 300, expected 40 bought / 60 not in each row.
    // χ² = (20²/40 + 20²/60) + 0 + (20²/40 + 20²/60) = 2 × (10 + 6.667) = 33.33; df 2 → p = e^(−16.67) = 5.78e−8
    const t = chiSquareOfBuyers([
      { buyers: 60, customers: 100 },
      { buyers: 40, customers: 100 },
      { buyers: 20, customers: 100 },
    ]);
    expect(t?.chiSquare).toBeCloseTo(100 / 3, 10);
    expect(t?.df).toBe(2);
    expect(t?.pValue).toBeCloseTo(5.7777e-8, 11);
    expect(t?.lowCounts).toBe(false);
  });

  it('gives the textbook 5% point of χ² with 1 and 2 degrees of freedom', () => {
    expect(chiSquareSurvival(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival(5.991465, 2)).toBeCloseTo(0.05, 6);
  });

  it('flags expected counts below 5 and needs two segments with customers', () => {
    expect(
      chiSquareOfBuyers([
        { buyers: 1, customers: 10 },
        { buyers: 3, customers: 10 },
      ])?.lowCounts,
    ).toBe(true);
    expect(chiSquareOfBuyers([{ buyers: 1, customers: 10 }])).toBeNull();
  });

  it('two-proportion test: 60/100 vs 20/100 by hand', () => {
    // pooled 0.4, se = √(0.4·0.6·(2/100)) = 0.06928; z = 0.4/0.06928 = 5.774; p = 7.7e−9
    expect(twoProportionTest(60, 100, 20, 100)).toBeCloseTo(7.74e-9, 10);
    expect(twoProportionTest(1, 0, 1, 2)).toBeNull();
  });
});

const customers = { promoter: 100, passive: 100, detractor: 100 };
const cells: BasketCell[] = [
  { service: 'Персональная тренировка', segment: 'promoter', buyers: 60, spendMinor: 600_000, visits: 240 },
  { service: 'Персональная тренировка', segment: 'passive', buyers: 40, spendMinor: 400_000, visits: 120 },
  { service: 'Персональная тренировка', segment: 'detractor', buyers: 20, spendMinor: 200_000, visits: 40 },
  { service: 'Бассейн', segment: 'promoter', buyers: 30, spendMinor: 90_000, visits: 90 },
  { service: 'Бассейн', segment: 'passive', buyers: 31, spendMinor: 93_000, visits: 93 },
  { service: 'Бассейн', segment: 'detractor', buyers: 29, spendMinor: 87_000, visits: 87 },
  { service: 'Заморозка', segment: 'detractor', buyers: 25, spendMinor: 50_000, visits: 25 },
  { service: 'Заморозка', segment: 'promoter', buyers: 5, spendMinor: 10_000, visits: 5 },
  { service: 'Заморозка', segment: 'passive', buyers: 10, spendMinor: 20_000, visits: 10 },
];

describe('compareBaskets', () => {
  it('names what is typical of promoters and of detractors, and not what all segments buy alike', () => {
    const rows = compareBaskets(cells, customers);
    const by = Object.fromEntries(rows.map((r) => [r.service, r]));
    expect(by['Персональная тренировка']?.typicalOf).toBe('promoter');
    expect(by.Заморозка?.typicalOf).toBe('detractor');
    expect(by.Бассейн?.significant).toBe(false);
    expect(by.Бассейн?.typicalOf).toBeNull();
    // 600,000 / 60 buyers = 10,000 per buyer; 240 / 60 = 4 visits; 600,000 / 100 customers = 6,000 per customer
    expect(by['Персональная тренировка']?.bySegment.promoter).toEqual({
      buyers: 60,
      share: 0.6,
      spendPerBuyer: 10_000,
      visitsPerBuyer: 4,
      spendPerCustomer: 6000,
    });
  });

  it('has no shares for a segment with no customers, and nothing NaN', () => {
    const rows = compareBaskets(cells, { promoter: 100, passive: 0, detractor: 100 });
    for (const r of rows) {
      expect(r.bySegment.passive.share).toBeNull();
      expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
    }
  });
});

describe('forecastBasket (law of total expectation)', () => {
  it('moves the basket with the shares by hand', () => {
    const rows = compareBaskets(cells, customers);
    const even = { promoter: 1 / 3, passive: 1 / 3, detractor: 1 / 3 };
    const morePromoters = { promoter: 0.5, passive: 0.3, detractor: 0.2 };
    const pt = forecastBasket(rows, even, morePromoters).find((r) => r.service === 'Персональная тренировка');
    // now (0.6 + 0.4 + 0.2)/3 = 0.4; then 0.5·0.6 + 0.3·0.4 + 0.2·0.2 = 0.46
    expect(pt?.buyersShareNow).toBeCloseTo(0.4, 12);
    expect(pt?.buyersShareThen).toBeCloseTo(0.46, 12);
    // spend per customer then: 0.5·6000 + 0.3·4000 + 0.2·2000 = 4600
    expect(pt?.spendPerCustomerThen).toBeCloseTo(4600, 8);
  });

  it('stays between the lowest and the highest segment share for any shares that sum to 1', () => {
    const rows = compareBaskets(cells, customers);
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100)).filter(([a, b, c]) => a + b + c > 0),
        ([a, b, c]) => {
          const n = a + b + c;
          const then = { promoter: a / n, passive: b / n, detractor: c / n };
          for (const f of forecastBasket(rows, then, then)) {
            const row = rows.find((r) => r.service === f.service)!;
            const shares = Object.values(row.bySegment).map((s) => s.share ?? 0);
            expect(f.buyersShareThen).toBeGreaterThanOrEqual(Math.min(...shares) - 1e-12);
            expect(f.buyersShareThen).toBeLessThanOrEqual(Math.max(...shares) + 1e-12);
          }
        },
      ),
    );
  });
});
