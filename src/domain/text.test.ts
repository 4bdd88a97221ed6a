import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase, keyOf, MAX_TEXT, stemOf, stemsOf, stripMarkup, tokenise } from './text.js';

describe('stripMarkup', () => {
  it('keeps the words of HTML and Markdown and drops tags, scripts, links and entities', () => {
    expect(
      stripMarkup('<p>Душ <b>не работает</b></p><script>alert(1)</script>').replace(/\s+/g, ' ').trim(),
    ).toBe('. Душ не работает .');
    expect(stripMarkup('Tom &amp; Jerry &lt;3 &#8212; &#x41;')).toBe('Tom & Jerry <3 — A');
    expect(stripMarkup('**Грязно** в [раздевалке](https://x.test/a?b=1)').replace(/\s+/g, ' ').trim()).toBe(
      'Грязно в раздевалке',
    );
  });
});

describe('tokenise', () => {
  it('folds case and ё, stems by script, flags stop words', () => {
    const t = tokenise('Всё ОТЛИЧНО, персоналу — спасибо! Staff were waiting');
    expect(t.map((x) => x.word)).toEqual([
      'все',
      'отлично',
      'персоналу',
      'спасибо',
      'staff',
      'were',
      'waiting',
    ]);
    expect(t.find((x) => x.word === 'waiting')?.stem).toBe('wait');
    expect(t.find((x) => x.word === 'все')?.stop).toBe(true);
    expect(foldCase('Ёлка')).toBe('елка');
  });

  it('numbers sentences and comma segments, and opens a clause at "но" and "but"', () => {
    const t = tokenise('Тренер хороший, но грязно. Clean but slow');
    const at = (w: string) => t.find((x) => x.word === w)!;
    expect([at('тренер').clause, at('грязно').clause, at('clean').clause, at('slow').clause]).toEqual([
      0, 1, 2, 3,
    ]);
    expect(at('хороший').segment).toBe(0);
    expect(at('грязно').segment).toBeGreaterThan(0);
  });

  it('marks what a negation reaches: past intensifiers, back from a final "нет", through contractions', () => {
    const neg = (text: string) =>
      tokenise(text)
        .filter((x) => x.negation)
        .map((x) => `${x.word}:${x.negation}`);
    expect(neg('не грязно')).toEqual(['грязно:not']);
    expect(neg('не очень чисто и тихо')).toEqual(['чисто:not']);
    expect(neg('нет парковки')).toEqual(['парковки:absence']);
    expect(neg('очередей нет, всё хорошо')).toEqual(['очередей:absence']);
    expect(neg("didn't have to wait")).toEqual(['wait:not']);
    expect(neg('not dirty at all')).toEqual(['dirty:not']);
    expect(neg('без очередей')).toEqual(['очередей:absence']);
  });

  it('reads Latin look-alikes in a Cyrillic word as Cyrillic', () => {
    // 'трeнер' with a Latin e.
    expect(tokenise('трeнер')[0]!.stem).toBe(stemOf('тренер'));
  });

  it('gives nothing for empty, emoji-only and punctuation-only text', () => {
    for (const text of [null, undefined, '', '   ', '😀😀😀', '👍🏽🔥', '...!!!', '100 500'])
      expect(tokenise(text)).toEqual([]);
  });

  it('reads at most MAX_TEXT characters of a very long text, quickly', () => {
    const long = 'Грязно в раздевалке и очень долго ждать. '.repeat(2_000);
    const started = performance.now();
    const tokens = tokenise(long);
    expect(performance.now() - started).toBeLessThan(500);
    const readChars = tokens.reduce((s, t) => s + t.word.length + 1, 0);
    expect(readChars).toBeLessThanOrEqual(MAX_TEXT);
  });

  it('keys short Snowball stems by the word, so "запах" does not match "запись"', () => {
    expect(keyOf('запах')).toBe('=запах');
    expect(keyOf('запись')).not.toBe(keyOf('запах'));
    expect(keyOf('душ')).toBe('душ');
    expect(stemsOf('Хамство администратора!')).toEqual(['хамств', 'администратор']);
  });

  it('never throws and never yields an empty word, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        for (const t of tokenise(text)) {
          expect(t.word.length).toBeGreaterThan(0);
          expect(t.stem.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
