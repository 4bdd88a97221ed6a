import { describe, expect, it } from 'vitest';
import { checkEmail, isRoleLocalPart, typoOfDomain, withinOneEdit } from './email-check.js';

describe('checkEmail', () => {
  it('accepts an ordinary address and lower-cases its domain only', () => {
    expect(checkEmail('  Anna.Petrova+club@Mail.RU ')).toEqual({
      address: 'Anna.Petrova+club@mail.ru',
      syntaxValid: true,
      disposable: false,
      role: false,
      typoOf: null,
    });
  });

  it.each([
    'anna',
    'anna@',
    '@mail.ru',
    'anna@mail',
    'anna@@mail.ru',
    'anna..petrova@mail.ru',
    '.anna@mail.ru',
    'anna.@mail.ru',
    'anna petrova@mail.ru',
    'anna@mail..ru',
    'anna@-mail.ru',
    'anna@mail.r1',
    '"anna"@mail.ru',
    'anna@[192.168.0.1]',
    `${'a'.repeat(65)}@mail.ru`,
    'нет',
    '',
  ])('refuses %j', (raw) => {
    expect(checkEmail(raw).syntaxValid).toBe(false);
  });

  it('accepts a Cyrillic domain and a punycode one', () => {
    expect(checkEmail('info@пример.рф').syntaxValid).toBe(true);
    expect(checkEmail('anna@xn--e1afmkfd.xn--p1ai').syntaxValid).toBe(true);
  });

  it('flags disposable domains from the blocklist', () => {
    expect(checkEmail('anna@mailinator.com').disposable).toBe(true);
    expect(checkEmail('anna@yopmail.com').disposable).toBe(true);
    expect(checkEmail('anna@yandex.ru').disposable).toBe(false);
  });

  it('flags role mailboxes, Russian ones included', () => {
    for (const local of [
      'info',
      'INFO',
      'admin',
      'support',
      'noreply',
      'no-reply',
      'office',
      'sales',
      'zakaz',
      'buh',
    ]) {
      expect(checkEmail(`${local}@fitpark.ru`).role, local).toBe(true);
    }
    expect(isRoleLocalPart('info.spb')).toBe(true);
    expect(isRoleLocalPart('sales-msk')).toBe(true);
    expect(isRoleLocalPart('info2')).toBe(true);
    expect(isRoleLocalPart('anna.info')).toBe(false);
    expect(isRoleLocalPart('salesova')).toBe(false);
    expect(isRoleLocalPart('sales.ivanova')).toBe(false);
  });

  it('suggests the big domain an obvious typo stands for', () => {
    expect(checkEmail('anna@gmial.com').typoOf).toBe('gmail.com');
    expect(checkEmail('anna@yandex.ri').typoOf).toBe('yandex.ru');
    expect(checkEmail('anna@mail.ry').typoOf).toBe('mail.ru');
    expect(checkEmail('anna@mial.ru').typoOf).toBe('mail.ru');
    expect(checkEmail('anna@gmail.con').typoOf).toBe('gmail.com');
    expect(checkEmail('anna@yandx.ru').typoOf).toBe('yandex.ru');
    expect(typoOfDomain('rambler.ru')).toBeNull();
    expect(typoOfDomain('ymail.com')).toBeNull();
    expect(typoOfDomain('fitpark.ru')).toBeNull();
    expect(typoOfDomain('bail.ru')).toBeNull();
  });

  it('counts one edit of Damerau–Levenshtein, not two', () => {
    expect(withinOneEdit('gmail.com', 'gmial.com')).toBe(true); // swap
    expect(withinOneEdit('gmail.com', 'gmai.com')).toBe(true); // deletion
    expect(withinOneEdit('gmail.com', 'gmaill.com')).toBe(true); // insertion
    expect(withinOneEdit('gmail.com', 'gnail.com')).toBe(true); // substitution
    expect(withinOneEdit('gmail.com', 'gnial.com')).toBe(false);
  });
});
