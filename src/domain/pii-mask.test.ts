import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  luhnValid,
  maskName,
  maskNameForms,
  maskPii,
  nameFormsOf,
  PII_MASKS,
  piiKindsIn,
} from './pii-mask.js';

describe('maskPii by hand', () => {
  it('masks Russian phone numbers however they are written', () => {
    expect(maskPii('Звоните +7 916 123-45-67 или 8 (916) 123-45-67, а лучше 89161234567')).toBe(
      'Звоните [phone] или [phone], а лучше [phone]',
    );
    expect(maskPii('тел.9161234567!')).toBe('тел.[phone]!');
    expect(maskPii('горячая линия 8-800-555-35-35')).toBe('горячая линия [phone]');
    expect(maskPii('городской (495) 123-45-67, короткий 123-45-67')).toBe(
      'городской [phone], короткий [phone]',
    );
    expect(maskPii('+7(916)1234567')).toBe('[phone]');
  });

  it('masks international numbers by the lengths their country allows', () => {
    expect(maskPii('Call me at +44 20 7946 0958 please')).toBe('Call me at [phone] please');
    expect(maskPii('US office +1 (415) 555-0132, Berlin 0049 30 12345678')).toBe(
      'US office [phone], Berlin [phone]',
    );
    expect(maskPii('London 020 7946 0958')).toBe('London [phone]');
  });

  it('keeps the number after a phone when the country allows no more digits', () => {
    // +7 takes exactly 10 national digits, so "10" is not part of the number.
    expect(maskPii('+7 916 123-45-67 10 из 10')).toBe('[phone] 10 из 10');
    expect(maskPii('12 8 916 123-45-67')).toBe('12 [phone]');
  });

  it('masks card numbers that pass Luhn, and keeps long numbers that do not', () => {
    expect(maskPii('карта 4111 1111 1111 1111 списали дважды, и 5500-0000-0000-0004')).toBe(
      'карта [card] списали дважды, и [card]',
    );
    expect(maskPii('Amex 3782 822463 10005 and 4012888888881881')).toBe('Amex [card] and [card]');
    // 4111 1111 1111 1112 fails Luhn (the check digit would be 1): an order number, not a card.
    expect(maskPii('заказ 4111111111111112 не пришёл')).toBe('заказ 4111111111111112 не пришёл');
  });

  it('masks e-mail addresses, Cyrillic ones too', () => {
    expect(maskPii('пишите на ivan.petrov+nps@mail.ru или иван@почта.рф.')).toBe(
      'пишите на [e-mail] или [e-mail].',
    );
    expect(maskPii('Contact: "O\'Brien"<o\'brien@example.co.uk>')).toBe('Contact: "O\'Brien"<[e-mail]>');
  });

  it('masks Russian passport and SNILS numbers', () => {
    expect(maskPii('паспорт 45 06 123456, другой 4506 123456, СНИЛС 123-456-789 01')).toBe(
      'паспорт [document], другой [document], СНИЛС [document]',
    );
  });

  it('keeps ordinary numbers: counts, years, scores, prices, dates and times', () => {
    for (const text of [
      'Был 5 раз в 2024 году, ставлю 10 из 10',
      'абонемент 1 500 ₽, годовой 12 000 руб., ремонт на 1 500 000 ₽ и 3 500 000 000 ₽ оборота',
      'I paid $1,299.99 on 2024-11-05 at 12:30, room 404, 3 stars',
      'запись на 05.11.2024 в 19:00, зал №2, 45 минут',
      'оценка 9.5, рост 180, вес 75,5, код 1234',
      'ИНН нет, заказ 1234567890123 не пришёл',
    ])
      expect(maskPii(text)).toBe(text);
  });

  it('reports which kinds a text holds', () => {
    expect(piiKindsIn('a@b.cc, +7 916 123-45-67, 4111 1111 1111 1111').sort()).toEqual([
      'card',
      'email',
      'phone',
    ]);
    expect(piiKindsIn('10 из 10')).toEqual([]);
  });

  it('checks Luhn as ISO/IEC 7812 does', () => {
    // 79927398713 from the right: kept 3+7+9+7+9+7 = 42; doubled 1→2, 8→16→7, 3→6, 2→4, 9→18→9 = 28; 70 ≡ 0 (mod 10).
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
  });
});

describe('maskName', () => {
  it('replaces the whole name and each of its words, case-insensitively, never inside a longer word', () => {
    expect(
      maskName('С уважением, Анастасия Приватова. АНАСТАСИЯ довольна', 'Анастасия Приватова', 'C-1'),
    ).toBe('С уважением, C-1. C-1 довольна');
    expect(maskName('Regards, Piiter; Piiterson is my brother', 'Piiter Johnsonworth', 'C-1')).toBe(
      'Regards, C-1; Piiterson is my brother',
    );
    // Words under three letters are left: "Ян" would hit every "ян" in the text.
    expect(maskName('Ян был тут, ян', 'Ян', 'C-1')).toBe('Ян был тут, ян');
    expect(maskName('nothing to do', null, 'C-1')).toBe('nothing to do');
    // Names with characters that mean something in a pattern are taken literally.
    expect(maskName('Dear A.(B) Smith+', 'A.(B) Smith+', 'C-1')).toBe('Dear C-1');
  });
});

describe('maskName in case forms', () => {
  it('masks a Russian name in every case, and the surname too', () => {
    expect(
      maskName('Спасибо Ивану! Ивана не было, с Иваном говорили, об Иване помнят', 'Иван Петров', 'C-1'),
    ).toBe('Спасибо C-1! C-1 не было, с C-1 говорили, об C-1 помнят');
    expect(maskName('Марии спасибо, Марию позвали, с Марией', 'Мария Сидорова', 'C-1')).toBe(
      'C-1 спасибо, C-1 позвали, с C-1',
    );
    expect(maskName('Передайте Петровой, Петрову тоже', 'Анна Петрова', 'C-1')).toBe(
      'Передайте C-1, C-1 тоже',
    );
    expect(maskName('Илью и Ильи нет, или есть', 'Илья Котов', 'C-1')).toBe('C-1 и C-1 нет, или есть');
  });

  it('masks an English name and its plural or possessive, never a longer word', () => {
    expect(maskName("Thanks to John; John's and the Johns, not Johnson", 'John Smith', 'C-1')).toBe(
      "Thanks to C-1; C-1's and the C-1, not Johnson",
    );
    expect(maskName('Ivana came, Ivanovich did not', 'Ivan', 'C-1')).toBe('Ivana came, Ivanovich did not');
  });

  it('leaves words that only look like a form of a short name, and stop words', () => {
    // "Ян" is too short to mask at all; "Ивановская" is a longer word, not a case of "Иван".
    expect(maskName('Ян ушёл, яну', 'Ян', 'C-1')).toBe('Ян ушёл, яну');
    expect(maskNameForms('Ивановская улица', [['Иван', 'C-1']])).toBe('Ивановская улица');
  });

  it('names no one when two people share a base: "[name]"', () => {
    const forms = nameFormsOf([
      ['Ирина Соколова', 'E-1'],
      ['Ирина Белова', 'E-2'],
    ]);
    expect(maskNameForms('Спасибо Ирине и Беловой', forms)).toBe('Спасибо [name] и E-2');
  });
});

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

/** A Russian mobile number in one of the ways people write it. */
const russianPhone = fc.tuple(digits(9), fc.integer({ min: 0, max: 5 })).map(([d, style]) => {
  const n = `9${d}`; // 10 national digits: 9xx xxx xx xx
  const [a, b, c, e] = [n.slice(0, 3), n.slice(3, 6), n.slice(6, 8), n.slice(8)];
  return [
    `+7 ${a} ${b}-${c}-${e}`,
    `8 (${a}) ${b}-${c}-${e}`,
    `8${n}`,
    `+7(${a})${b}${c}${e}`,
    `${a} ${b} ${c} ${e}`,
    `7-${a}-${b}-${c}-${e}`,
  ][style]!;
});

/** An international number with a plausible national part for a few countries. */
const foreignPhone = fc.oneof(
  digits(8).map((d) => `+44 20 ${d.slice(0, 4)} ${d.slice(4)}`),
  fc
    .tuple(fc.integer({ min: 2, max: 9 }), digits(9))
    .map(([a, d]) => `+1 (${a}${d.slice(0, 2)}) ${d.slice(2, 5)}-${d.slice(5)}`),
  digits(8).map((d) => `+49 30 ${d}`),
  fc
    .tuple(fc.integer({ min: 1, max: 7 }), digits(8))
    .map(([a, d]) => `+33 ${a} ${d.match(/../g)!.join(' ')}`),
);

/** A payment card number: random digits and the Luhn check digit, whole or grouped in fours. */
const card = fc
  .tuple(fc.integer({ min: 13, max: 19 }), digits(18), fc.constantFrom('', ' ', '-'))
  .map(([n, d, sep]) => {
    const body = `4${d}`.slice(0, n - 1);
    const check = [...'0123456789'].find((c) => luhnValid(body + c))!;
    const full = body + check;
    return sep ? full.match(/.{1,4}/g)!.join(sep) : full;
  });

/** Text around it: words, ordinary numbers, punctuation, in either language. */
const word = fc.oneof(
  fc.constantFrom('очень', 'тренер', 'звонил', 'раз', 'из', 'год', '₽', 'great', 'staff', 'call', 'me', 'at'),
  fc.integer({ min: 0, max: 2100 }).map(String),
  fc.constantFrom(',', '.', '!', '—', '(', ')', ':'),
  fc.string({ maxLength: 6 }),
);
const text = fc.array(word, { maxLength: 12 }).map((w) => w.join(' '));
const digitsOnly = (s: string) => s.replace(/\D/g, '');

describe('maskPii properties', () => {
  it('masks a generated e-mail address wherever it stands in random text', () => {
    fc.assert(
      fc.property(text, fc.emailAddress(), text, (before, email, after) => {
        const masked = maskPii(`${before} ${email} ${after}`);
        expect(masked).not.toContain(email);
        expect(masked).toContain(PII_MASKS.email);
        expect(masked.slice(masked.length - maskPii(after).length)).toBe(maskPii(after));
      }),
      { numRuns: 500 },
    );
  });

  it('masks a generated phone number wherever it stands in random text (its digits do not survive)', () => {
    fc.assert(
      fc.property(text, fc.oneof(russianPhone, foreignPhone), text, (before, phone, after) => {
        const masked = maskPii(`${before} ${phone} ${after}`);
        expect(masked).not.toContain(phone);
        expect(digitsOnly(masked)).not.toContain(digitsOnly(phone).slice(-10));
      }),
      { numRuns: 1000 },
    );
  });

  it('masks a generated card number wherever it stands in random text', () => {
    fc.assert(
      fc.property(text, card, text, (before, number, after) => {
        const masked = maskPii(`${before} ${number} ${after}`);
        expect(masked).not.toContain(number);
        expect(digitsOnly(masked)).not.toContain(digitsOnly(number));
      }),
      { numRuns: 1000 },
    );
  });

  it('masks a phone or card standing alone as exactly one mask', () => {
    fc.assert(
      fc.property(fc.oneof(russianPhone, foreignPhone), (phone) => {
        expect(maskPii(phone)).toBe(PII_MASKS.phone);
      }),
    );
    fc.assert(
      fc.property(card, (number) => {
        expect(maskPii(number)).toBe(PII_MASKS.card);
      }),
    );
  });

  it('is idempotent: masking a masked text changes nothing', () => {
    const mixed = fc
      .tuple(
        fc.array(fc.oneof(word, russianPhone, foreignPhone, card, fc.emailAddress(), fc.string()), {
          maxLength: 10,
        }),
        fc.constantFrom(' ', '', '-', '.'),
      )
      .map(([w, sep]) => w.join(sep));
    fc.assert(
      fc.property(mixed, (t) => {
        const once = maskPii(t);
        expect(maskPii(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps text without digits or @ exactly as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[\d@]/.test(s)),
        (s) => {
          expect(maskPii(s)).toBe(s);
        },
      ),
    );
  });
});
