import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVault } from '../privacy/index.js';
import { maskReason, namePartsOf, pseudonymOf } from './pseudonyms.js';

const vault = createVault(Buffer.alloc(32, 7));
const otherVault = createVault(Buffer.alloc(32, 8));
const labels = { email: 'e-mail', phone: 'phone', card: 'card' };

describe('pseudonymOf', () => {
  it('gives one stable code per person, different per kind and per secret key', () => {
    const id = '7d0b8a1e-3c1f-4a53-9a38-1f0c7e2b9d11';
    expect(pseudonymOf(vault, 'customer', id)).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(pseudonymOf(vault, 'customer', id)).toBe(pseudonymOf(vault, 'customer', id));
    expect(pseudonymOf(vault, 'employee', id)).toMatch(/^E-/);
    expect(pseudonymOf(vault, 'employee', id).slice(2)).not.toBe(pseudonymOf(vault, 'customer', id).slice(2));
    expect(pseudonymOf(otherVault, 'customer', id)).not.toBe(pseudonymOf(vault, 'customer', id));
  });
  it('does not repeat a code among thousands of customers (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 500, maxLength: 2000 }), (ids) => {
        expect(new Set(ids.map((id) => pseudonymOf(vault, 'customer', id))).size).toBe(ids.length);
      }),
      { numRuns: 3 },
    );
  });
});

describe('maskReason', () => {
  it('masks e-mails, phones in their usual spellings and card numbers, and keeps the rest', () => {
    expect(
      maskReason(
        'Пишите на anna.petrova@mail.ru или звоните 8 (916) 123-45-67, +7 916 123 45 67; карта 4276 3800 1234 5678. Оценка 9 из 10, 2 визита',
        labels,
      ),
    ).toBe('Пишите на [e-mail] или звоните [phone], [phone]; карта [card]. Оценка 9 из 10, 2 визита');
  });
  it('replaces names whole and case-insensitively, in Cyrillic too, never inside a longer word', () => {
    const names = [...namePartsOf('Анна Петрова'), ...namePartsOf('Ivan')].map((name) => ({
      name,
      replacement: 'C-X',
    }));
    expect(maskReason('Анна Петрова довольна; АННА снова; Петровский парк; ivan helped', labels, names)).toBe(
      'C-X довольна; C-X снова; Петровский парк; C-X helped',
    );
  });
  it('never leaves an e-mail address in any text (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.emailAddress(), fc.string(), (a, email, b) => {
        expect(maskReason(`${a} ${email} ${b}`, labels)).not.toContain(email);
      }),
    );
  });
});
