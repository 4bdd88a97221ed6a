// Text bound for an Office file: nothing XML 1.0 forbids gets through, and quotes lose e-mails, phones and cards.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskVerbatim, officeText } from '../src/domain/report-masking.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: what XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const loneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('officeText', () => {
  it('removes control characters and keeps the rest of a name', () => {
    expect(officeText('Ромашка\u0001\u0008 <&>\u001F "Ltd"\uFFFE')).toBe('Ромашка <&> "Ltd"');
    expect(officeText('Филиал\tСевер\r\nюг')).toBe('Филиал Север юг');
    expect(officeText('😀 ok')).toBe('😀 ok');
    expect(officeText('\uD800x')).toBe('x');
  });

  it('never lets a character XML forbids through, and leaves clean text as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const out = officeText(s);
        expect(out).not.toMatch(FORBIDDEN);
        expect(loneSurrogate(out)).toBe(false);
        expect(officeText(out)).toBe(out);
      }),
    );
  });
});

describe('maskVerbatim', () => {
  it('masks e-mails, phones and card numbers inside a quote, and keeps ordinary numbers', () => {
    expect(
      maskVerbatim(
        'Ждал 40 минут, пишите ivan.petrov@example.ru или +7 (916) 123-45-67, карта 4276 1234 5678 9014',
      ),
    ).toBe('Ждал 40 минут, пишите [e-mail] или [phone], карта [card]');
    expect(maskVerbatim('Был 5 раз в 2025 году, заплатил 1 500 ₽')).toBe(
      'Был 5 раз в 2025 году, заплатил 1 500 ₽',
    );
  });

  it('clips a long quote at a word with an ellipsis', () => {
    const long = 'очень '.repeat(100);
    const out = maskVerbatim(long, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toMatch(/ …$/);
  });

  it('never leaves an e-mail address in any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }),
        fc.emailAddress(),
        fc.string({ maxLength: 30 }),
        (a, email, b) => {
          expect(maskVerbatim(`${a} ${email} ${b}`, 1000)).not.toContain(email);
        },
      ),
    );
  });
});
