import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { areaOf, levelNeeded, scopePattern, scopesAllow } from './scopes.js';

describe('API key scopes', () => {
  it('reads the area from the path', () => {
    expect(areaOf('/api/v1/cases/123/notes')).toBe('cases');
    expect(areaOf('/api/v1/api-keys')).toBe('api-keys');
  });

  it('needs admin for people, keys, webhooks and settings, whatever the method', () => {
    expect(levelNeeded('GET', 'users')).toBe('admin');
    expect(levelNeeded('GET', 'webhooks')).toBe('admin');
    expect(levelNeeded('GET', 'cases')).toBe('read');
    expect(levelNeeded('PATCH', 'cases')).toBe('write');
  });

  it('lets higher levels do what lower ones may, in their area only', () => {
    expect(scopesAllow(['read'], 'GET', '/api/v1/cases')).toBe(true);
    expect(scopesAllow(['read'], 'POST', '/api/v1/cases/1/notes')).toBe(false);
    expect(scopesAllow(['write'], 'GET', '/api/v1/cases')).toBe(true);
    expect(scopesAllow(['write'], 'GET', '/api/v1/users')).toBe(false);
    expect(scopesAllow(['admin'], 'DELETE', '/api/v1/api-keys/1')).toBe(true);
    expect(scopesAllow(['read:cases'], 'GET', '/api/v1/cases')).toBe(true);
    expect(scopesAllow(['read:cases'], 'GET', '/api/v1/customers')).toBe(false);
    expect(scopesAllow(['write:customers'], 'POST', '/api/v1/customers')).toBe(true);
    expect(scopesAllow([], 'GET', '/api/v1/cases')).toBe(false);
  });

  it('never lets a read-only key change anything (property)', () => {
    const method = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE');
    const segment = fc.stringMatching(/^[a-z][a-z-]{0,12}$/);
    fc.assert(
      fc.property(method, segment, segment, (m, area, rest) => {
        expect(scopesAllow(['read', `read:${area}`], m, `/api/v1/${area}/${rest}`)).toBe(false);
      }),
    );
  });

  it('accepts only the documented scope grammar', () => {
    for (const ok of ['read', 'write', 'admin', 'read:cases', 'write:api-keys'])
      expect(ok).toMatch(scopePattern);
    for (const bad of ['READ', 'root', 'read:', 'read:Cases', 'read:cases:x', 'write;drop'])
      expect(bad).not.toMatch(scopePattern);
  });
});
