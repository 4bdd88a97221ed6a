import { describe, expect, it } from 'vitest';
import { checkPhone } from './phone-check.js';

describe('checkPhone', () => {
  it.each([
    '8 (916) 123-45-67',
    '+7 916 1234567',
    '9161234567',
    '79161234567',
    '+7(916)123-45-67',
    '8-916-123-45-67',
  ])('reads %j as the mobile +79161234567', (raw) => {
    expect(checkPhone(raw)).toEqual({ e164: '+79161234567', kind: 'mobile' });
  });

  it('tells a Moscow landline from a mobile', () => {
    expect(checkPhone('+7 495 123-45-67')).toEqual({ e164: '+74951234567', kind: 'landline' });
    expect(checkPhone('8 (495) 123-45-67').kind).toBe('landline');
  });

  it('counts a toll-free number as a number to call, not to text', () => {
    expect(checkPhone('8-800-555-35-35').kind).toBe('landline');
  });

  it('reads foreign numbers written with their country code', () => {
    expect(checkPhone('+380 50 123 4567')).toEqual({ e164: '+380501234567', kind: 'mobile' });
  });

  it.each([
    '',
    'нет',
    'звонить жене',
    '123',
    '+7 (9',
    '8 (916) 123-45',
    '+7 000 000 00 00',
    '9161234567999999',
  ])('refuses %j', (raw) => {
    expect(checkPhone(raw)).toEqual({ e164: null, kind: 'invalid' });
  });
});
