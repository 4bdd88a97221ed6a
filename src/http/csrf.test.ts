import { describe, expect, it } from 'vitest';
import { crossOriginProblem } from './csrf.js';

const trusted = ['https://nps.example.com'];

describe('cross-origin protection', () => {
  it('lets safe methods through whatever their origin', () => {
    expect(crossOriginProblem('GET', { secFetchSite: 'cross-site' }, trusted)).toBeNull();
  });

  it('trusts Fetch Metadata first', () => {
    expect(crossOriginProblem('POST', { secFetchSite: 'same-origin' }, trusted)).toBeNull();
    expect(crossOriginProblem('POST', { secFetchSite: 'none' }, trusted)).toBeNull();
    expect(
      crossOriginProblem('POST', { secFetchSite: 'cross-site', origin: 'https://nps.example.com' }, trusted),
    ).toMatch(/cross-site/);
    // A sibling subdomain is same-site but not same-origin: refused too.
    expect(crossOriginProblem('PATCH', { secFetchSite: 'same-site' }, trusted)).toMatch(/same-site/);
  });

  it('falls back to Origin against Host or the public URL', () => {
    expect(
      crossOriginProblem('POST', { origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' }, trusted),
    ).toBeNull();
    expect(
      crossOriginProblem('POST', { origin: 'https://nps.example.com', host: 'internal:3000' }, trusted),
    ).toBeNull();
    expect(
      crossOriginProblem('POST', { origin: 'https://evil.example', host: '10.0.0.5:3000' }, trusted),
    ).toMatch(/evil/);
    expect(crossOriginProblem('DELETE', { origin: 'null', host: 'x' }, trusted)).toMatch(/opaque/);
  });

  it('lets non-browser clients (no Origin, no Sec-Fetch-Site) through', () => {
    expect(crossOriginProblem('POST', { host: 'x' }, trusted)).toBeNull();
  });
});
