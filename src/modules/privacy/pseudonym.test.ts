import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pseudonymOf } from './pseudonym.js';
import { createVault } from './vault.js';

const vault = createVault(Buffer.alloc(32, 7));

describe('pseudonymOf', () => {
  it('names a customer C- and ten Crockford base32 characters, the same every time', () => {
    const p = pseudonymOf(vault, 'customer', 'c-1');
    expect(p).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(pseudonymOf(vault, 'customer', 'c-1')).toBe(p);
    // A vault made again from the same secret (a restart) gives the same pseudonym.
    expect(pseudonymOf(createVault(Buffer.alloc(32, 7)), 'customer', 'c-1')).toBe(p);
    expect(pseudonymOf(vault, 'employee', 'c-1')).toMatch(/^E-/);
    expect(pseudonymOf(vault, 'employee', 'c-1').slice(2)).not.toBe(p.slice(2));
  });

  it('differs by person and by secret', () => {
    const p = pseudonymOf(vault, 'customer', 'c-1');
    expect(pseudonymOf(vault, 'customer', 'c-2')).not.toBe(p);
    expect(pseudonymOf(createVault(Buffer.alloc(32, 8)), 'customer', 'c-1')).not.toBe(p);
  });

  it('gives distinct pseudonyms to 100,000 customers (50 bits: about 4·10⁻⁶ collisions expected)', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(pseudonymOf(vault, 'customer', `customer-${i}`));
    expect(seen.size).toBe(100_000);
  });

  it('never contains the id it hides', () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        const p = pseudonymOf(vault, 'customer', id);
        expect(id.toUpperCase()).not.toContain(p.slice(2));
        expect(p).toHaveLength(12);
      }),
    );
  });
});
