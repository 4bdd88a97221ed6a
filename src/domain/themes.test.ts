import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTaxonomy, tagReason } from './themes.js';
import { DEFAULT_THEMES } from './themes-taxonomy.js';

const compiled = compileTaxonomy(DEFAULT_THEMES.map((t) => ({ id: t.key, keywords: t.keywords })));
const tag = (text: string, score: number) =>
  Object.fromEntries(tagReason(compiled, text, score).map((h) => [h.themeId, h.polarity]));

describe('tagReason', () => {
  it('finds themes by stems in any form and reads each part of the sentence on its own', () => {
    expect(tag('Тренер отличный, но в раздевалке грязно', 5)).toEqual({
      trainers: 'praise',
      lockers: 'complaint',
      cleanliness: 'complaint',
    });
    expect(tag('Staff were rude and the locker room was filthy', 2)).toEqual({
      staff: 'complaint',
      lockers: 'complaint',
      cleanliness: 'complaint',
    });
  });

  it('reads negation: "не грязно" and "no queues" are praise, "нет парковки" a complaint', () => {
    expect(tag('В раздевалке не грязно', 9)).toEqual({ lockers: 'praise', cleanliness: 'praise' });
    expect(tag('No queues at all', 9)).toEqual({ waiting: 'praise' });
    expect(tag('Очередей нет', 8)).toEqual({ waiting: 'praise' });
    expect(tag('Нет парковки', 8)).toEqual({ location: 'complaint' });
    expect(tag('not clean', 9)).toEqual({ cleanliness: 'complaint' });
  });

  it('hears a wish, but not in a recommendation', () => {
    expect(tag('Хотелось бы больше групповых занятий', 8)).toEqual({ trainers: 'wish' });
    expect(tag('Please add more towels', 7)).toEqual({ lockers: 'wish' });
    expect(tag('Я бы порекомендовал тренеров всем', 10)).toEqual({ trainers: 'praise' });
  });

  it('lets the score decide when the words do not: a bare "Дорого" from a 3 is a complaint', () => {
    expect(tag('Дорого', 3)).toEqual({ prices: 'complaint' });
    expect(tag('Тренер', 10)).toEqual({ trainers: 'praise' });
    expect(tag('Тренер', 2)).toEqual({ trainers: 'complaint' });
  });

  it('tolerates one typo in a longer word, not at its ends', () => {
    expect(tag('Админстратор нагрубил', 2)).toEqual({ staff: 'complaint' });
    expect(tag('Раздивалка', 4)).toEqual({ lockers: 'complaint' });
    // 'занята' is a word of its own, not a typo of 'занятия'.
    expect(tag('Парковка всегда занята', 4)).toEqual({ location: 'complaint' });
  });

  it('lets a phrase take its words: "hair dryer" is the locker room, not hair in the shower', () => {
    expect(tag('The hair dryer is broken', 5)).toEqual({ lockers: 'complaint', equipment: 'complaint' });
  });

  it('handles empty, emoji-only, markup, mixed-language and 10,000-character reasons', () => {
    expect(tagReason(compiled, '', 5)).toEqual([]);
    expect(tagReason(compiled, null, 5)).toEqual([]);
    expect(tagReason(compiled, '😀😀😀🔥', 10)).toEqual([]);
    expect(tag('<b>Грязно</b> &amp; <i>шумно</i>', 3)).toEqual({
      cleanliness: 'complaint',
      comfort: 'complaint',
    });
    expect(tag('Тренер great, but парковка is a problem', 8)).toEqual({
      trainers: 'praise',
      location: 'complaint',
    });
    const long = `${'Грязно в раздевалке. '.repeat(600)}`;
    const started = performance.now();
    expect(tag(long, 3)).toEqual({ lockers: 'complaint', cleanliness: 'complaint' });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('returns each theme once, only themes of the taxonomy, for any text and score (property)', () => {
    const ids = new Set(DEFAULT_THEMES.map((t) => t.key));
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 0, max: 10 }), (text, score) => {
        const hits = tagReason(compiled, text, score);
        expect(new Set(hits.map((h) => h.themeId)).size).toBe(hits.length);
        for (const h of hits) {
          expect(ids.has(h.themeId)).toBe(true);
          expect(['complaint', 'praise', 'wish']).toContain(h.polarity);
        }
      }),
    );
  });

  it('compiles an organisation’s own theme and finds its phrase', () => {
    const own = compileTaxonomy([{ id: 'kids', keywords: ['детская комната', 'kids room'] }]);
    expect(tagReason(own, 'Нужна детская комната', 7)).toEqual([{ themeId: 'kids', polarity: 'complaint' }]);
    expect(tagReason(own, 'The kids room is lovely', 10)).toEqual([{ themeId: 'kids', polarity: 'praise' }]);
    expect(tagReason(own, 'детская площадка', 10)).toEqual([]);
  });
});
