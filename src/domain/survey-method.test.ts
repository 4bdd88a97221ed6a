import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answersNeeded, moeAt, type Reach, recommendSurveyMethod } from './survey-method.js';

const reach = (r: Partial<Reach> & { base: number }): Reach => ({
  contactable: r.base,
  email: 0,
  sms: 0,
  phone: 0,
  smsOnly: 0,
  phoneOnly: 0,
  ...r,
});

describe('answers and margin of error at the expected split (50/30/20, NPS 30)', () => {
  it('needs 235 answers for ±10 and 937 for ±5', () => {
    // Wald: n = (1.96·100/10)²·0.61 = 384.16·0.61 = 234.3 → at n = 234 (117/70/47) moe = 196·√(0.6114/234) = 10.02,
    // at n = 235 (118/70/47) moe = 196·√(0.6109/235) = 9.99.
    expect(answersNeeded(10)).toBe(235);
    expect(moeAt(234)!).toBeGreaterThan(10);
    expect(moeAt(235)!).toBeLessThanOrEqual(10);
    // ±5: 1536.6·0.61 = 937.3 → n = 937 (469/281/187): 196·√(0.6095/937) = 4.999.
    expect(answersNeeded(5)).toBe(937);
  });

  it('gives ±5.1 at 900 answers', () => {
    // 196·√(0.61/900) = 196·0.02603 = 5.10
    expect(moeAt(900)!).toBeCloseTo(5.1, 1);
  });
});

describe('recommendSurveyMethod', () => {
  it('recommends e-mail for a base where 90% have a valid address', () => {
    const r = recommendSurveyMethod(
      reach({ base: 10_000, email: 9_000, sms: 8_000, phone: 8_000, smsOnly: 500 }),
    );
    expect(r.method).toBe('email');
    expect(r.reliable).toBe(true);
    const email = r.plans.find((p) => p.method === 'email')!;
    // 9,000 × 10% = 900 answers, 9,000 × 15% = 1,350.
    expect(email.answers).toEqual({ low: 900, high: 1_350 });
    expect(email.coverage).toBeCloseTo(0.9);
    expect(r.reasons.at(-1)!.en).toMatch(/^Recommended: e-mail/);
    expect(r.reasons.some((x) => /9\s000 действующих/.test(x.ru))).toBe(true);
  });

  it('recommends SMS for a large base with phones only', () => {
    const r = recommendSurveyMethod(
      reach({ base: 10_000, sms: 8_000, phone: 9_000, smsOnly: 8_000, phoneOnly: 1_000 }),
    );
    // e-mail covers nobody; SMS: 8,000 × 5% = 400 ≥ 235 and covers 80%.
    expect(r.method).toBe('sms');
    expect(r.reliable).toBe(true);
    expect(r.reasons.some((x) => x.en.startsWith('E-mail will not do alone: it covers 0%'))).toBe(true);
  });

  it('recommends a phone interview when SMS would bring too few answers', () => {
    const r = recommendSurveyMethod(
      reach({ base: 2_000, sms: 1_800, phone: 1_900, smsOnly: 1_800, phoneOnly: 100 }),
    );
    // SMS: 1,800 × 5% = 90 < 235; phone: 1,900 × 30% = 570 ≥ 235.
    expect(r.method).toBe('phone');
    const phone = r.plans.find((p) => p.method === 'phone')!;
    expect(phone.answers.low).toBe(570);
    // 235 answers at 30% = 784 calls (783.3 rounded up); at 40 calls an hour = 19.6 operator-hours.
    expect(phone.operatorHours!.needed).toBeCloseTo(19.6, 5);
  });

  it('recommends a mix when no channel alone covers enough of the base', () => {
    const r = recommendSurveyMethod(
      reach({ base: 10_000, email: 4_000, sms: 4_000, phone: 4_000, smsOnly: 4_000 }),
    );
    expect(r.method).toBe('mix');
    const mix = r.plans.find((p) => p.method === 'mix')!;
    // 4,000 × 10% + 4,000 × 5% = 600 answers; 8,000 of 10,000 covered.
    expect(mix.answers.low).toBe(600);
    expect(mix.coverage).toBeCloseTo(0.8);
    expect(mix.parts.map((p) => p.method)).toEqual(['email', 'sms']);
  });

  it('says a tiny base cannot give a reliable score and how many answers are needed', () => {
    const r = recommendSurveyMethod(
      reach({ base: 100, email: 60, sms: 70, phone: 80, smsOnly: 30, phoneOnly: 5 }),
    );
    // best is the phone: 80 × 30% = 24 answers, below 30 and far below 235.
    expect(r.reliable).toBe(false);
    expect(r.method).toBe('phone');
    expect(r.answersNeeded.target).toBe(235);
    const last = r.reasons.at(-1)!;
    expect(last.en).toContain('too small');
    expect(last.en).toContain('235');
    expect(last.ru).toContain('235');
    expect(last.en).toContain('~24 answers');
  });

  it('says no survey is possible when nobody can be reached', () => {
    const r = recommendSurveyMethod(reach({ base: 1_000 }));
    expect(r.method).toBe('none');
    expect(r.reliable).toBe(false);
  });

  it('never promises more answers than invitations, nor coverage above the whole base', () => {
    fc.assert(
      fc.property(
        fc.nat(2_000_000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (base, e, m, l, o) => {
          const contactable = Math.floor(base * (1 - o * 0.2));
          const email = Math.floor(contactable * e);
          const sms = Math.floor(contactable * m);
          const phone = Math.min(contactable, sms + Math.floor((contactable - sms) * l));
          const r = recommendSurveyMethod({
            base,
            contactable,
            email,
            sms,
            phone,
            smsOnly: Math.min(sms, contactable - email),
            phoneOnly: Math.max(0, Math.min(phone - sms, contactable - email - sms)),
          });
          for (const p of r.plans) {
            expect(p.answers.low).toBeLessThanOrEqual(p.answers.high);
            expect(p.answers.high).toBeLessThanOrEqual(p.reach);
            expect(p.coverage).toBeGreaterThanOrEqual(0);
            expect(p.coverage).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});
