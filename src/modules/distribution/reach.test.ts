import { describe, expect, it } from 'vitest';
import { createVault } from '../privacy/index.js';
import { phoneKind, reachOf } from './reach.js';

const vault = createVault(Buffer.alloc(32, 7));
const facts = (email: string | null, phone: string | null, extra = {}) => ({
  emailEnc: vault.encrypt(email),
  phoneEnc: vault.encrypt(phone),
  emailSuppressed: false,
  smsSuppressed: false,
  phoneInvalid: false,
  ...extra,
});

describe('reachOf', () => {
  it('takes a Russian mobile written 8 (916) … for SMS and a call, a Moscow landline for a call only', () => {
    expect(phoneKind('8 (916) 123-45-67')).toBe('mobile');
    expect(phoneKind('+7 495 123-45-67')).toBe('other');
    expect(phoneKind('12345')).toBe('invalid');
    expect(reachOf(vault, facts(null, '8 (916) 123-45-67'))).toEqual({
      email: 'none',
      sms: 'ok',
      phone: 'ok',
    });
    expect(reachOf(vault, facts(null, '+7 495 123-45-67'))).toEqual({
      email: 'none',
      sms: 'none',
      phone: 'ok',
    });
  });

  it('does not count an address that cannot be valid', () => {
    expect(reachOf(vault, facts('not-an-address', null)).email).toBe('none');
    expect(reachOf(vault, facts('anna@example.com', null)).email).toBe('ok');
  });

  it('marks suppressed addresses, and a number the gateway found invalid for calls too', () => {
    expect(
      reachOf(
        vault,
        facts('anna@example.com', '+79161234567', { emailSuppressed: true, smsSuppressed: true }),
      ),
    ).toEqual({
      email: 'suppressed',
      sms: 'suppressed',
      phone: 'ok',
    });
    expect(
      reachOf(vault, facts(null, '+79161234567', { smsSuppressed: true, phoneInvalid: true })).phone,
    ).toBe('suppressed');
  });
});
