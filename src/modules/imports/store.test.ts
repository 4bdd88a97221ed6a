import { describe, expect, it } from 'vitest';
import { contactIds, pgArray } from './store.js';

describe('ids of imported contacts', () => {
  it('are UUIDv7 carrying the time, in file order within a batch, and never repeat', () => {
    const at = Date.UTC(2026, 11, 3, 2, 0, 0);
    const ids = contactIds(10_000, at);
    for (const id of ids.slice(0, 50))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(new Set([...ids, ...contactIds(10_000, at)]).size).toBe(20_000);
    const first = ids.slice(0, 4096);
    expect([...first].sort()).toEqual(first);
  });
});

describe('array parameters', () => {
  it('quote what needs it and keep numbers and nulls bare', () => {
    expect(pgArray(['a', 'b"c', 'd\\e', null, undefined, 5])).toBe('{"a","b\\"c","d\\\\e",NULL,NULL,5}');
  });
});
