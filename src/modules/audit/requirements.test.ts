import { describe, expect, it } from 'vitest';
import { type Measures, requirementsOf, shareOf } from './requirements.js';

const full = (total: number) => shareOf(total, total);
const healthy: Measures = {
  customers: 1_000,
  contacts: 10_000,
  validEmail: shareOf(900, 1_000),
  mobilePhone: shareOf(950, 1_000),
  neitherChannel: shareOf(10, 1_000),
  customerExternalId: full(1_000),
  duplicateCustomers: shareOf(0, 1_000),
  branch: full(10_000),
  employee: full(10_000),
  service: full(10_000),
  amount: full(10_000),
  time: full(10_000),
  contactExternalId: full(10_000),
  historyMonths: 24,
  daysSinceLastContact: 0,
};

describe('requirementsOf', () => {
  it('asks nothing of a well-kept base', () => {
    expect(requirementsOf(healthy)).toEqual([]);
  });

  it('names the missing employee, what it blocks and what to send', () => {
    const [r, ...rest] = requirementsOf({ ...healthy, employee: shareOf(1_200, 10_000) });
    expect(rest).toEqual([]);
    expect(r!.key).toBe('contact_employee');
    expect(r!.severity).toBe('important');
    expect(r!.measured).toEqual({ kind: 'share', count: 1_200, total: 10_000, share: 0.12 });
    expect(r!.text.ru).toMatch(/^Сотрудник указан в 12% визитов/);
    expect(r!.text.ru).toContain('NPS по сотрудникам');
    expect(r!.text.ru).toContain('табельный номер');
    expect(r!.text.en).toContain('NPS by employee');
  });

  it('grades by share and puts blocking first', () => {
    const list = requirementsOf({
      ...healthy,
      amount: shareOf(9_500, 10_000), // ≥ 90%: met
      service: shareOf(8_000, 10_000), // < 90%: nice
      branch: shareOf(4_000, 10_000), // < 50%: blocking
    });
    expect(list.map((r) => [r.key, r.severity])).toEqual([
      ['contact_branch', 'blocking'],
      ['contact_service', 'nice'],
    ]);
  });

  it('blocks on a base nobody can be reached in, and on one without visits', () => {
    const list = requirementsOf({
      ...healthy,
      contacts: 0,
      validEmail: shareOf(0, 1_000),
      mobilePhone: shareOf(100, 1_000),
      neitherChannel: shareOf(900, 1_000),
    });
    const keys = list.filter((r) => r.severity === 'blocking').map((r) => r.key);
    expect(keys).toEqual(['contact_channel', 'contacts_export']);
    // Without visits, their fields are not judged one by one.
    expect(list.some((r) => r.key === 'contact_branch')).toBe(false);
  });

  it('asks for a year of history and for fresh data', () => {
    const list = requirementsOf({ ...healthy, historyMonths: 5, daysSinceLastContact: 45 });
    expect(list.map((r) => [r.key, r.severity, r.measured])).toEqual([
      ['history_depth', 'important', { kind: 'months', value: 5 }],
      ['freshness', 'important', { kind: 'days', value: 45 }],
    ]);
    expect(requirementsOf({ ...healthy, daysSinceLastContact: 7 }).map((r) => r.severity)).toEqual(['nice']);
  });

  it('flags duplicate customers above 1%', () => {
    expect(requirementsOf({ ...healthy, duplicateCustomers: shareOf(5, 1_000) })).toEqual([]);
    const [r] = requirementsOf({ ...healthy, duplicateCustomers: shareOf(80, 1_000) });
    expect([r!.key, r!.severity]).toEqual(['duplicates', 'important']);
  });
});
