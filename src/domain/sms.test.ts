import { describe, expect, it } from 'vitest';
import { smsLength } from './sms.js';

describe('smsLength', () => {
  it('counts a Latin text in GSM-7: 160 in one part, 161 in two', () => {
    expect(smsLength('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', parts: 1, units: 160 });
    expect(smsLength('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', parts: 2 });
    expect(smsLength('a'.repeat(306))).toMatchObject({ parts: 2 });
    expect(smsLength('a'.repeat(307))).toMatchObject({ parts: 3 });
  });

  it('counts extension characters as two septets', () => {
    expect(smsLength('€'.repeat(80))).toMatchObject({ encoding: 'gsm7', units: 160, parts: 1 });
    expect(smsLength(`${'€'.repeat(80)}a`)).toMatchObject({ parts: 2 });
  });

  it('switches to UCS-2 for Cyrillic: 70 in one part, 71 in two', () => {
    expect(smsLength('я'.repeat(70))).toMatchObject({ encoding: 'ucs2', parts: 1, perPart: 70 });
    expect(smsLength('я'.repeat(71))).toMatchObject({ encoding: 'ucs2', parts: 2, perPart: 67 });
    expect(smsLength('Оцените нас: https://x.ru/s/abc')).toMatchObject({ encoding: 'ucs2', parts: 1 });
  });
});
