import { describe, expect, it } from 'vitest';
import { CustomerCache, contactIds, fieldsHash, pgArray } from './store.js';

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

describe('the cache of customers an import wrote', () => {
  it('gives the id back only for the same fields, told apart where one field ends and the next begins', () => {
    const cache = new CustomerCache();
    const id = '0193a5c2-1d2e-7abc-8def-0123456789ab';
    cache.set('ext:C1', id, fieldsHash(['Анна', '+79161234567', null, null]));
    expect(cache.idOf('ext:C1', fieldsHash(['Анна', '+79161234567', undefined, null]))).toBe(id);
    expect(cache.idOf('ext:C1', fieldsHash(['Анна', '+79161234568', null, null]))).toBeUndefined();
    expect(cache.idOf('ext:C2', fieldsHash(['Анна', '+79161234567', null, null]))).toBeUndefined();
    expect(fieldsHash(['ab', ''])).not.toBe(fieldsHash(['a', 'b']));
    expect(fieldsHash(['', 'x'])).not.toBe(fieldsHash(['x', '']));
    const hashes = new Set(Array.from({ length: 100_000 }, (_, i) => fieldsHash([`Клиент ${i}`, null])));
    expect(hashes.size).toBe(100_000);
  });
});
