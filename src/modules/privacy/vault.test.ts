import { createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVault, normalisePhone } from './vault.js';

const secret = Buffer.alloc(32, 3);
const vault = createVault(secret);

describe('normalisePhone', () => {
  it('reads the ways a Russian mobile number is written as one E.164 number', () => {
    for (const written of [
      '8 (916) 123-45-67',
      '89161234567',
      '9161234567',
      '79161234567',
      '+7 916 123-45-67',
      '+7 (916) 123-45-67 доб. 12',
      ' 7-916-123-45-67 ',
    ]) {
      expect(normalisePhone(written)).toBe('+79161234567');
    }
  });

  it('keeps foreign numbers with their own country code', () => {
    expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalisePhone('810 44 20 7946 0958')).toBe('+442079460958'); // the Russian international prefix
  });

  it('keeps only the digits of what cannot be a number, so it still equals itself however it is spaced', () => {
    expect(normalisePhone('123')).toBe('123');
    expect(normalisePhone('12-34-56-78')).toBe('12345678');
    expect(normalisePhone('нет')).toBe('');
  });
});

describe('the blind index of a phone', () => {
  it('finds 8 (916) 123-45-67, 9161234567 and +7 916 123-45-67 as the same person', () => {
    const a = vault.blindIndex('phone', '8 (916) 123-45-67');
    expect(vault.blindIndex('phone', '9161234567')).toBe(a);
    expect(vault.blindIndex('phone', '+7 916 123-45-67')).toBe(a);
    expect(vault.blindIndex('phone', '+79161234567')).toBe(a);
    expect(vault.blindIndex('phone', '+7 916 123-45-68')).not.toBe(a);
  });

  it('keeps the index a number written with its country code or a leading 8 had before E.164', () => {
    // The former index: HMAC of 'phone:' + the digits, a leading 8 of 11 digits read as 7. Stored customers
    // and suppressions (whose ids are these indexes) must still be found.
    const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'sarafan/blind-index/v1', 32));
    const formerIndex = (phone: string) => {
      const digits = phone.replace(/\D/g, '');
      const folded = digits.length === 11 && digits.startsWith('8') ? `7${digits.slice(1)}` : digits;
      return createHmac('sha256', key).update(`phone:${folded}`).digest('base64url');
    };
    for (const written of ['8 (916) 123-45-67', '+7 916 123-45-67', '+44 20 7946 0958', '8 800 555-35-35']) {
      expect(vault.blindIndex('phone', written)).toBe(formerIndex(written));
    }
    // Only a bare national number moves, to where the same number written in full always was.
    expect(vault.blindIndex('phone', '9161234567')).not.toBe(formerIndex('9161234567'));
  });

  it('gives one index for any spacing, brackets and dashes of a Russian mobile number (property)', () => {
    const separator = fc.constantFrom('', ' ', '-', ' - ');
    fc.assert(
      fc.property(
        fc.stringMatching(/^9\d{9}$/),
        fc.constantFrom('', '8', '+7', '7'),
        separator,
        fc.boolean(),
        (national, prefix, sep, brackets) => {
          const code = national.slice(0, 3);
          const rest = [national.slice(3, 6), national.slice(6, 8), national.slice(8)].join(sep);
          const written = `${prefix}${sep}${brackets ? `(${code})` : code}${sep}${rest}`;
          expect(vault.blindIndex('phone', written)).toBe(vault.blindIndex('phone', `+7${national}`));
        },
      ),
    );
  });
});

describe('encrypt', () => {
  it('seals each value under its own IV, past refills of the pool the IVs come from, and opens every one', () => {
    const sealed = Array.from({ length: 3000 }, () => vault.encrypt('Иванова Анна'));
    const ivs = sealed.map((s) => Buffer.from(s.split('.')[2]!, 'base64url').subarray(0, 12).toString('hex'));
    expect(new Set(ivs).size).toBe(3000);
    expect(new Set(sealed).size).toBe(3000);
    for (const s of sealed) expect(vault.decrypt(s)).toBe('Иванова Анна');
  });
});
