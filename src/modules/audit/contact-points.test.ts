import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContactPointTally, type CustomerPoints } from './contact-points.js';
import { shareOf } from './requirements.js';

const customer = (id: string, c: Partial<CustomerPoints>): CustomerPoints => ({
  id,
  email: null,
  emailKey: c.email?.toLowerCase() ?? null,
  emailSuppressed: false,
  phone: null,
  phoneKey: c.phone?.replace(/\D/g, '') ?? null,
  phoneSuppressed: false,
  optedOut: false,
  ...c,
});

/** The blind indexes held by more than one customer, as the audit's GROUP BY finds them. */
function sharedOf(rows: CustomerPoints[], key: 'emailKey' | 'phoneKey') {
  const seen = new Map<string, number>();
  for (const r of rows) if (r[key]) seen.set(r[key]!, (seen.get(r[key]!) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
}

function tallyOf(rows: CustomerPoints[]) {
  const tally = new ContactPointTally(sharedOf(rows, 'emailKey'), sharedOf(rows, 'phoneKey'));
  for (const r of rows) tally.add(r);
  return tally.result();
}

describe('ContactPointTally', () => {
  it('counts a hand-built base', () => {
    const { counts, examples } = tallyOf([
      customer('1', { email: 'anna@mail.ru', phone: '8 (916) 123-45-67' }),
      customer('2', { email: 'ANNA@mail.ru', phone: '+7 495 123-45-67' }), // same address as 1; landline
      customer('3', { email: 'info@fitpark.ru' }), // role
      customer('4', { email: 'boris@gmial.com', phone: 'нет' }), // typo; garbage phone
      customer('5', { email: 'vera@mailinator.com', phone: '+7 916 765-43-21', optedOut: true }),
      customer('6', { email: 'not an address', phone: '9031112233', phoneSuppressed: true }),
      customer('7', {}),
    ]);
    expect(counts.customers).toBe(7);
    expect(counts.email).toEqual({
      present: 6,
      valid: 4, // anna ×2, info@ (a role box is a real mailbox), boris@gmial.com (a typo is a warning)
      invalid: 1,
      disposable: 1,
      role: 1,
      typo: 1,
      duplicate: 2,
      suppressed: 0,
      reachable: 1, // anna's address once; info@ is a role box, gmial.com a typo
    } satisfies typeof counts.email);
    expect(counts.phone).toEqual({
      present: 5,
      valid: 4,
      mobile: 3,
      landline: 1,
      invalid: 1,
      duplicate: 0,
      suppressed: 1,
      smsReachable: 1, // 1 only: 5 opted out, 6 unsubscribed from SMS, 2 is a landline
      callReachable: 3, // 1, 2 (a landline takes a call) and 6 (an SMS unsubscribe does not stop calls)
    } satisfies typeof counts.phone);
    // Only 7: a role box (3) and a misspelt domain (4) are still valid addresses, 5 and 6 have a valid phone.
    expect(counts.neither).toBe(1);
    expect(counts.duplicateCustomers).toBe(2);
    expect(counts.smsOnly).toBe(0);
    expect(counts.phoneOnly).toBe(2); // 2 (its address was already reached through 1) and 6
    expect(examples.map((e) => [e.kind, e.customerId, e.suggestion])).toEqual([
      ['phone_landline', '2', null],
      ['email_role', '3', null],
      ['email_typo', '4', 'boris@gmail.com'],
      ['phone_invalid', '4', null],
      ['email_disposable', '5', null],
      ['email_invalid', '6', null],
    ]);
  });

  it('reaches an address shared by several customers once, through the first who may be asked', () => {
    const { counts } = tallyOf([
      customer('1', { email: 'olga@ya.ru', optedOut: true }),
      customer('2', { email: 'olga@ya.ru' }),
      customer('3', { email: 'olga@ya.ru' }),
    ]);
    expect(counts.email.duplicate).toBe(3);
    expect(counts.email.reachable).toBe(1);
    expect(counts.duplicateCustomers).toBe(3);
  });

  const emails = fc.constantFrom(
    null,
    '',
    'anna@mail.ru',
    'Anna@mail.ru',
    'info@club.ru',
    'zakaz@club.ru',
    'x@gmial.com',
    'y@mailinator.com',
    'broken@',
    'олег@mail.ru',
    'petr@yandex.ru',
  );
  const phones = fc.constantFrom(
    null,
    '',
    '8 (916) 123-45-67',
    '+79161234567',
    '+7 495 123-45-67',
    '9031112233',
    'нет',
    '123',
    '8-800-555-35-35',
  );
  const customers = fc.array(
    fc.record({ email: emails, phone: phones, optedOut: fc.boolean(), es: fc.boolean(), ps: fc.boolean() }),
    { maxLength: 60 },
  );

  it('keeps every count within the base and every share within 0–1', () => {
    fc.assert(
      fc.property(customers, (rows) => {
        const { counts } = tallyOf(
          rows.map((r, i) =>
            customer(String(i), {
              email: r.email,
              phone: r.phone,
              optedOut: r.optedOut,
              emailSuppressed: r.es,
              phoneSuppressed: r.ps,
            }),
          ),
        );
        const base = rows.length;
        expect(counts.customers).toBe(base);
        const all = [
          ...Object.values(counts.email),
          ...Object.values(counts.phone),
          counts.neither,
          counts.duplicateCustomers,
          counts.smsOnly,
          counts.phoneOnly,
        ];
        for (const n of all) {
          expect(n).toBeGreaterThanOrEqual(0);
          expect(n).toBeLessThanOrEqual(base);
          const s = shareOf(n, base).share;
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
        }
        const e = counts.email;
        expect(e.valid + e.invalid + e.disposable).toBe(e.present);
        expect(e.reachable).toBeLessThanOrEqual(e.valid - Math.max(e.role, e.typo));
        const p = counts.phone;
        expect(p.mobile + p.landline).toBe(p.valid);
        expect(p.valid + p.invalid).toBe(p.present);
        expect(p.smsReachable).toBeLessThanOrEqual(p.mobile);
        expect(p.callReachable).toBeLessThanOrEqual(p.valid);
        expect(counts.smsOnly + counts.phoneOnly + e.reachable).toBeLessThanOrEqual(base);
      }),
    );
  });
});
