import { describe, expect, it } from 'vitest';
import { DIPPING_BRANCH, generateDemo } from './generate.js';

const now = new Date('2026-11-25T09:00:00Z');
const demo = generateDemo({ seed: 42, now, customers: 1500 });
const nps = (scores: number[]) =>
  (100 * (scores.filter((s) => s >= 9).length - scores.filter((s) => s <= 6).length)) / scores.length;
const branchOf = (unitRef: string) => unitRef.split('-').slice(0, 3).join('-');

describe('the demo organisation', () => {
  it('is the same for the same seed and different for another', () => {
    const again = generateDemo({ seed: 42, now, customers: 1500 });
    expect(again.answers.slice(0, 50)).toEqual(demo.answers.slice(0, 50));
    const other = generateDemo({ seed: 7, now, customers: 1500 });
    expect(other.answers.slice(0, 50)).not.toEqual(demo.answers.slice(0, 50));
  });

  it('has a company, regions, at least six branches with departments, and about forty employees', () => {
    const kinds = (k: string) => demo.units.filter((u) => u.kind === k).length;
    expect(kinds('company')).toBe(1);
    expect(kinds('region')).toBeGreaterThanOrEqual(2);
    expect(kinds('branch')).toBeGreaterThanOrEqual(6);
    expect(kinds('department')).toBeGreaterThanOrEqual(kinds('branch') * 2);
    expect(demo.employees.length).toBeGreaterThanOrEqual(35);
    expect(demo.employees.length).toBeLessThanOrEqual(50);
    const refs = new Set(demo.units.map((u) => u.ref));
    for (const u of demo.units) if (u.parentRef) expect(refs.has(u.parentRef)).toBe(true);
  });

  it('only refers to things that exist, within the 18 months before now', () => {
    const customers = new Set(demo.customers.map((c) => c.ref));
    const contacts = new Map(demo.contacts.map((c) => [c.ref, c]));
    const units = new Set(demo.units.map((u) => u.ref));
    const employees = new Set(demo.employees.map((e) => e.ref));
    const from = now.getTime() - 18 * 31 * 86_400_000;
    for (const c of demo.contacts) {
      expect(customers.has(c.customerRef) && units.has(c.unitRef)).toBe(true);
      if (c.employeeRef) expect(employees.has(c.employeeRef)).toBe(true);
      expect(c.occurredAt.getTime()).toBeGreaterThanOrEqual(from);
      expect(c.occurredAt.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(Number.isInteger(c.amountMinor) && c.amountMinor >= 0).toBe(true);
    }
    for (const a of demo.answers) {
      expect(Number.isInteger(a.score) && a.score >= 0 && a.score <= 10).toBe(true);
      expect(a.answeredAt.getTime()).toBeLessThanOrEqual(now.getTime());
      if (a.contactRef) {
        const visit = contacts.get(a.contactRef)!;
        expect(visit.customerRef).toBe(a.customerRef);
        expect(a.answeredAt.getTime()).toBeGreaterThan(visit.occurredAt.getTime());
      }
    }
  });

  it('answers at about four per customer, most with a reason, in Russian for Russian speakers', () => {
    expect(demo.answers.length / demo.customers.length).toBeGreaterThan(3);
    expect(demo.answers.length / demo.customers.length).toBeLessThan(5.5);
    const withReason = demo.answers.filter((a) => a.reason);
    expect(withReason.length / demo.answers.length).toBeGreaterThan(0.5);
    const russian = withReason.filter((a) => a.locale === 'ru');
    expect(russian.every((a) => /[а-яё]/i.test(a.reason!))).toBe(true);
  });

  it('shows a dip of at least twenty points in one branch over the last three months, and not elsewhere', () => {
    const cut = now.getTime() - 91 * 86_400_000;
    const change = (branch: string) => {
      const mine = demo.answers.filter((a) => branchOf(a.unitRef) === branch);
      const before = mine.filter((a) => a.answeredAt.getTime() < cut).map((a) => a.score);
      const after = mine.filter((a) => a.answeredAt.getTime() >= cut).map((a) => a.score);
      return nps(after) - nps(before);
    };
    expect(change(DIPPING_BRANCH)).toBeLessThan(-20);
    for (const b of demo.units.filter((u) => u.kind === 'branch' && u.ref !== DIPPING_BRANCH)) {
      expect(Math.abs(change(b.ref))).toBeLessThan(20);
    }
  });

  it('gives employee answers in two waves with a date only and nothing about the person', () => {
    expect(demo.employeeAnswers.length).toBeGreaterThanOrEqual(25);
    for (const a of demo.employeeAnswers) {
      expect(Object.keys(a).sort()).toEqual(['answeredOn', 'reason', 'score', 'surveyRef', 'unitRef']);
      expect(a.answeredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const months = new Set(demo.employeeAnswers.map((a) => a.answeredOn.slice(0, 7)));
    expect(months.size).toBeGreaterThanOrEqual(2);
  });
});
