import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pseudonymOf } from './pseudonym.js';
import { createVault } from './vault.js';

const vault = createVault(Buffer.alloc(32, 7));
const org = '0193a000-0000-7000-8000-000000000001';

describe('pseudonymOf', () => {
  it('names a customer C- and eight Crockford base32 characters, the same every time', () => {
    const p = pseudonymOf(vault, 'customer', org, 'c-1');
    expect(p).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(pseudonymOf(vault, 'customer', org, 'c-1')).toBe(p);
    // A vault made again from the same secret (a restart) gives the same pseudonym.
    expect(pseudonymOf(createVault(Buffer.alloc(32, 7)), 'customer', org, 'c-1')).toBe(p);
    expect(pseudonymOf(vault, 'employee', org, 'c-1')).toMatch(/^E-/);
  });

  it('differs by customer, organisation and secret', () => {
    const p = pseudonymOf(vault, 'customer', org, 'c-1');
    expect(pseudonymOf(vault, 'customer', org, 'c-2')).not.toBe(p);
    expect(pseudonymOf(vault, 'customer', 'another-org', 'c-1')).not.toBe(p);
    expect(pseudonymOf(createVault(Buffer.alloc(32, 8)), 'customer', org, 'c-1')).not.toBe(p);
  });

  it('gives distinct pseudonyms to 100,000 customers (40 bits: about 0.005 collisions expected)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(pseudonymOf(vault, 'customer', org, `customer-${i}`));
    expect(seen.size).toBe(100_000);
  });

  it('never contains the id it hides', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const p = pseudonymOf(vault, 'customer', org, id);
        expect(id.toUpperCase()).not.toContain(p.slice(2));
        expect(p).toHaveLength(10);
      }),
    );
  });
});
