import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badStringPath, jsonDepth } from './json-guard.js';

describe('JSON hygiene', () => {
  it('measures nesting outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(jsonDepth('{"a":"\\"[[["}')).toBe(1);
  });

  it('agrees with the real depth of any value (property)', () => {
    const depthOf = (v: unknown): number =>
      Array.isArray(v)
        ? 1 + Math.max(0, ...v.map(depthOf))
        : v && typeof v === 'object'
          ? 1 + Math.max(0, ...Object.values(v).map(depthOf))
          : 0;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonDepth(JSON.stringify(v))).toBe(depthOf(v));
      }),
    );
  });

  it('finds lone surrogates and NUL characters, in values and keys, with their path', () => {
    expect(badStringPath({ name: 'A\ud800' })).toMatchObject({ path: 'name' });
    expect(badStringPath({ items: [{ x: 'ok' }, { x: 'a\u0000' }] })).toMatchObject({ path: 'items.1.x' });
    expect(badStringPath({ '\udfff': 1 })).not.toBeNull();
    expect(badStringPath({ name: "Анна 😀 O'Brien <b>" })).toBeNull();
  });
});
