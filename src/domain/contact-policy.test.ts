import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Ask,
  askedTooRecently,
  type ContactLimits,
  chooseChannel,
  decideInvitation,
  type Reach,
  requiredGapDays,
} from './contact-policy.js';

const limits: ContactLimits = { relationshipDays: 90, transactionalDays: 30 };
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);
const tx = (surveyId: string, d: number): Ask => ({ surveyId, kind: 'transactional', at: day(d) });
const rel = (surveyId: string, d: number): Ask => ({ surveyId, kind: 'relationship', at: day(d) });
const reach = (r: Partial<Reach>): Reach => ({ email: 'none', sms: 'none', phone: 'none', ...r });

describe('askedTooRecently', () => {
  it('holds back a transactional survey 10 days after another one, lets it through after 31', () => {
    expect(askedTooRecently(tx('b', 10), [tx('a', 0)], limits)).toBe(true);
    expect(askedTooRecently(tx('b', 31), [tx('a', 0)], limits)).toBe(false);
  });

  it('counts exactly the limit as far enough: 30 days apart is allowed, 29.9 is not', () => {
    expect(askedTooRecently(tx('a', 30), [tx('a', 0)], limits)).toBe(false);
    expect(askedTooRecently(tx('a', 29.9), [tx('a', 0)], limits)).toBe(true);
  });

  it('limits a relationship survey by itself only, 90 days', () => {
    expect(askedTooRecently(rel('r', 60), [rel('r', 0)], limits)).toBe(true);
    expect(askedTooRecently(rel('r', 60), [rel('other', 0)], limits)).toBe(false);
    expect(askedTooRecently(rel('r', 60), [tx('t', 59)], limits)).toBe(false);
    expect(askedTooRecently(rel('r', 91), [rel('r', 0)], limits)).toBe(false);
  });

  it('is not fooled by an invitation scheduled later than the new one', () => {
    expect(askedTooRecently(tx('a', 0), [tx('b', 5)], limits)).toBe(true);
  });

  it('keeps relationship invitations from holding back transactional ones', () => {
    expect(requiredGapDays(tx('t', 1), rel('r', 0), limits)).toBeNull();
  });
});

describe('chooseChannel', () => {
  it('takes the first preferred channel that works', () => {
    expect(chooseChannel(['email', 'sms'], reach({ email: 'ok', sms: 'ok' }))).toEqual({ channel: 'email' });
    expect(chooseChannel(['sms', 'email'], reach({ email: 'ok', sms: 'ok' }))).toEqual({ channel: 'sms' });
    expect(chooseChannel(['email', 'sms'], reach({ sms: 'ok' }))).toEqual({ channel: 'sms' });
  });

  it('falls back past a suppressed address, and says "suppressed" when nothing else is left', () => {
    expect(chooseChannel(['email', 'phone'], reach({ email: 'suppressed', phone: 'ok' }))).toEqual({
      channel: 'phone',
    });
    expect(chooseChannel(['email', 'sms'], reach({ email: 'suppressed' }))).toEqual({ reason: 'suppressed' });
  });

  it('never uses a channel the survey does not allow', () => {
    expect(chooseChannel(['email'], reach({ sms: 'ok', phone: 'ok' }))).toEqual({ reason: 'no_channel' });
  });
});

describe('decideInvitation', () => {
  const base = { ask: tx('a', 40), history: [tx('b', 0)], channels: ['email'] as const, limits };
  it('puts opting out before every other reason', () => {
    expect(decideInvitation({ ...base, optedOut: true, history: [tx('b', 39)], reach: reach({}) })).toEqual({
      invite: false,
      reason: 'opted_out',
    });
  });
  it('invites by the chosen channel when nothing stands in the way', () => {
    expect(decideInvitation({ ...base, optedOut: false, reach: reach({ email: 'ok' }) })).toEqual({
      invite: true,
      channel: 'email',
    });
  });
});

describe('the contact limits as a property', () => {
  const survey = fc.constantFrom('s1', 's2', 's3');
  const kind = fc.constantFrom<'relationship' | 'transactional'>('relationship', 'transactional');
  const request = fc.record({ surveyId: survey, kind, day: fc.double({ min: 0, max: 400, noNaN: true }) });

  it('whatever the order of requests, no two accepted invitations of one class are closer than the limit', () => {
    fc.assert(
      fc.property(
        fc.array(request, { maxLength: 60 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 60 }),
        (requests, relationshipDays, transactionalDays) => {
          const l = { relationshipDays, transactionalDays };
          const accepted: Ask[] = [];
          for (const r of requests) {
            const ask = { surveyId: r.surveyId, kind: r.kind, at: day(r.day) };
            if (!askedTooRecently(ask, accepted, l)) accepted.push(ask);
          }
          for (const [i, a] of accepted.entries()) {
            for (const b of accepted.slice(i + 1)) {
              const gap = requiredGapDays(a, b, l);
              if (gap === null) continue;
              expect(Math.abs(a.at.getTime() - b.at.getTime())).toBeGreaterThanOrEqual(gap * 86_400_000);
            }
          }
        },
      ),
    );
  });
});
