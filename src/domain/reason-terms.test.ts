import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reasonTerms } from './reason-terms.js';

describe('reasonTerms', () => {
  it('counts word forms of one stem together, once per reason, without stop words', () => {
    const terms = reasonTerms([
      'Грубый персонал и грязная раздевалка',
      'Персонала не хватает, персоналу всё равно',
      'В раздевалке грязно',
      'Rude staff, the staff ignored me',
      'Staff were rude',
    ]);
    // Ties are alphabetical. Snowball reads 'персонал' and 'персонала' as one stem ('персона').
    expect(terms.slice(0, 5)).toEqual([
      { term: 'rude', stem: 'rude', count: 2 },
      { term: 'staff', stem: 'staff', count: 2 },
      { term: 'грязная', stem: 'грязн', count: 2 },
      { term: 'персонал', stem: 'персона', count: 2 },
      { term: 'раздевалка', stem: 'раздевалк', count: 2 },
    ]);
    const all = terms.map((t) => t.term);
    for (const stop of ['и', 'не', 'всё', 'the', 'were', 'me', 'в']) expect(all).not.toContain(stop);
  });

  it('ignores empty reasons, numbers and very short words, and honours the limit', () => {
    expect(reasonTerms([null, '', '   ', '100 500 ок'])).toEqual([]);
    expect(reasonTerms(['зал зал зал', 'зал и тренер', 'душ'], 1)).toEqual([
      { term: 'зал', stem: 'зал', count: 2 },
    ]);
  });

  it('never counts a term in more reasons than there are, and sorts by count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ maxLength: 60 }), { nil: null }), { maxLength: 30 }),
        (reasons) => {
          const terms = reasonTerms(reasons, 50);
          for (const t of terms) {
            expect(t.count).toBeGreaterThan(0);
            expect(t.count).toBeLessThanOrEqual(reasons.length);
          }
          for (let i = 1; i < terms.length; i++)
            expect(terms[i - 1]!.count).toBeGreaterThanOrEqual(terms[i]!.count);
        },
      ),
    );
  });
});
