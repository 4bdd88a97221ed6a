import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../config.js';
import { clientAddress, forwardedHttps, parseTrustProxy } from './client-address.js';

describe('parseTrustProxy', () => {
  it('is off unless asked, and reads true, a number of hops and a list of proxies', () => {
    for (const off of [undefined, '', 'false', 'off', '0', 'no']) expect(parseTrustProxy(off)).toBe(false);
    expect(parseTrustProxy('true')).toEqual({ trusted: 'private' });
    expect(parseTrustProxy('ON')).toEqual({ trusted: 'private' });
    expect(parseTrustProxy('2')).toEqual({ hops: 2 });
    const list = parseTrustProxy('10.0.0.0/8, 203.0.113.7, 2001:db8::/32');
    expect(list && 'trusted' in list && list.trusted.length).toBe(3);
  });

  it('refuses what it cannot read, and the server does not start with it', () => {
    expect(() => parseTrustProxy('nginx')).toThrow(/not true\/false, a number of proxies/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow();
    expect(() => parseTrustProxy('500')).toThrow(/1 to 20/);
    expect(() => readConfig({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toEqual({ hops: 1 });
  });
});

describe('clientAddress', () => {
  const one = parseTrustProxy('1');
  const local = parseTrustProxy('true');

  it('takes the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    expect(clientAddress('198.51.100.7', '1.2.3.4', false)).toBe('198.51.100.7');
    expect(clientAddress(undefined, undefined, false)).toBe('unknown');
    expect(clientAddress('::ffff:198.51.100.7', undefined, false)).toBe('198.51.100.7');
  });

  it('with one proxy, takes the address that proxy appended, whatever the client wrote before it', () => {
    // nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for — the client's own header, then its peer.
    expect(clientAddress('127.0.0.1', '203.0.113.5', one)).toBe('203.0.113.5');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 203.0.113.5', one)).toBe('203.0.113.5');
    // Reached directly (a health check): no header, the peer itself.
    expect(clientAddress('10.1.1.1', undefined, one)).toBe('10.1.1.1');
  });

  it('with two proxies, skips both', () => {
    expect(clientAddress('10.0.0.2', '6.6.6.6, 203.0.113.5, 10.0.0.1', parseTrustProxy('2'))).toBe(
      '203.0.113.5',
    );
  });

  it('with trusted networks, takes the right-most address that is not one of them', () => {
    expect(clientAddress('127.0.0.1', '6.6.6.6, 203.0.113.5, 10.0.0.1', local)).toBe('203.0.113.5');
    expect(clientAddress('::1', '[2001:db8::5]:443', local)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.1', '203.0.113.5:51234', local)).toBe('203.0.113.5');
    // A peer outside the trusted networks is the client: its X-Forwarded-For is its own text.
    expect(clientAddress('198.51.100.9', '10.0.0.1', local)).toBe('198.51.100.9');
    // Everyone is a proxy: the left-most is the best there is.
    expect(clientAddress('127.0.0.1', '10.0.0.3, 10.0.0.1', local)).toBe('10.0.0.3');
    const listed = parseTrustProxy('198.51.100.0/24');
    expect(clientAddress('198.51.100.9', '10.0.0.1', listed)).toBe('10.0.0.1');
    expect(clientAddress('127.0.0.1', '10.0.0.1', listed)).toBe('127.0.0.1');
  });

  it('never lets a client choose its address by what it prepends (property)', () => {
    const address = fc.ipV4();
    fc.assert(
      fc.property(fc.array(address, { maxLength: 5 }), address, (forged, real) => {
        const header = [...forged, real].join(', ');
        expect(clientAddress('127.0.0.1', header, one)).toBe(real);
      }),
    );
  });
});

describe('forwardedHttps', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(forwardedHttps('127.0.0.1', 'https', parseTrustProxy('true'))).toBe(true);
    expect(forwardedHttps('198.51.100.9', 'https', parseTrustProxy('true'))).toBe(false);
    expect(forwardedHttps('127.0.0.1', 'https', false)).toBe(false);
    expect(forwardedHttps('127.0.0.1', 'http', parseTrustProxy('1'))).toBe(false);
  });
});
