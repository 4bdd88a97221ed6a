import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPlaybook, type Playbook, type PlaybookRule } from './playbook.js';
import {
  type AnswerFacts,
  decide,
  reasonHasWords,
  ruleMatches,
  stemsOf,
  validatePlaybook,
} from './playbook-match.js';

const facts = (over: Partial<AnswerFacts> = {}): AnswerFacts => ({
  score: 5,
  reason: null,
  surveyId: 's1',
  unitPath: ['company', 'region', 'branch'],
  employeeId: null,
  channel: 'email',
  valueBand: null,
  ...over,
});
const rule = (match: PlaybookRule['match'], over: Partial<PlaybookRule> = {}): PlaybookRule => ({
  id: 'r',
  name: { ru: 'Правило', en: 'Rule' },
  enabled: true,
  match,
  actions: [{ kind: 'open_case', level: 'frontline', dueHours: 48 }],
  ...over,
});

describe('matching a rule', () => {
  it('matches on an inclusive score range', () => {
    const r = rule({ scoreMin: 0, scoreMax: 6 });
    expect(ruleMatches(r, facts({ score: 6 }))).toBe(true);
    expect(ruleMatches(r, facts({ score: 0 }))).toBe(true);
    expect(ruleMatches(r, facts({ score: 7 }))).toBe(false);
  });

  it('matches a unit anywhere below the rule’s unit', () => {
    expect(ruleMatches(rule({ unitIds: ['region'] }), facts())).toBe(true);
    expect(ruleMatches(rule({ unitIds: ['other'] }), facts())).toBe(false);
    expect(ruleMatches(rule({ unitIds: ['region'] }), facts({ unitPath: [] }))).toBe(false);
  });

  it('matches surveys, employees, channels and value bands, and not an unknown band', () => {
    expect(ruleMatches(rule({ surveyIds: ['s1'] }), facts())).toBe(true);
    expect(ruleMatches(rule({ surveyIds: ['s2'] }), facts())).toBe(false);
    expect(ruleMatches(rule({ employeeIds: ['e1'] }), facts({ employeeId: 'e1' }))).toBe(true);
    expect(ruleMatches(rule({ employeeIds: ['e1'] }), facts())).toBe(false);
    expect(ruleMatches(rule({ channels: ['sms'] }), facts())).toBe(false);
    expect(ruleMatches(rule({ valueBands: ['high'] }), facts({ valueBand: 'high' }))).toBe(true);
    expect(ruleMatches(rule({ valueBands: ['high'] }), facts())).toBe(false);
  });

  it('never matches when disabled', () => {
    expect(ruleMatches(rule({}, { enabled: false }), facts())).toBe(false);
  });
});

describe('reason words by stems', () => {
  it('finds Russian words in other forms, with ё read as е and any case', () => {
    expect(reasonHasWords('Напишу ЖАЛОБУ в головной офис', ['жалоба'])).toBe(true);
    expect(reasonHasWords('Пойду в суд', ['суд'])).toBe(true);
    expect(reasonHasWords('Обращусь в Роспотребнадзор!', ['роспотребнадзор'])).toBe(true);
    expect(reasonHasWords('Всё хорошо, ещё приду', ['еще'])).toBe(true);
    expect(reasonHasWords('Хамство на ресепшене', ['хамство'])).toBe(true);
    expect(reasonHasWords('Всё отлично', ['жалоба'])).toBe(false);
  });

  it('finds English words in other forms and phrases in a row', () => {
    expect(reasonHasWords('Staff were RUDE and I will complain', ['rude'])).toBe(true);
    expect(reasonHasWords('Filed complaints twice', ['complaint'])).toBe(true);
    expect(reasonHasWords('the machine is not working', ['not working'])).toBe(true);
    expect(reasonHasWords('working, not bad', ['not working'])).toBe(false);
    expect(reasonHasWords(null, ['rude'])).toBe(false);
  });

  it('stems every word of a reason', () => {
    expect(stemsOf('Хамство администратора!')).toEqual(['хамств', 'администратор']);
  });
});

describe('deciding with the default playbook', () => {
  it('opens an urgent case and alerts the middle manager on a 2', () => {
    const d = decide(defaultPlaybook, facts({ score: 2 }));
    expect(d.openCase).toEqual({ ruleId: 'very-unhappy', level: 'frontline', dueHours: 48, urgent: true });
    expect(d.alertLevels).toEqual(['middle']);
  });

  it('opens a plain case on a 5 and an urgent one on a 5 with alarm words', () => {
    expect(decide(defaultPlaybook, facts({ score: 5 })).openCase).toMatchObject({
      ruleId: 'detractor',
      urgent: false,
    });
    const alarmed = decide(defaultPlaybook, facts({ score: 5, reason: 'Подам в суд' }));
    expect(alarmed.openCase).toMatchObject({ ruleId: 'alert-words', urgent: true });
    expect(alarmed.alertLevels).toEqual(['middle']);
  });

  it('does nothing for promoters until their rule is on, then sends the referral message', () => {
    expect(decide(defaultPlaybook, facts({ score: 10 })).messages).toEqual([]);
    const on: Playbook = {
      ...defaultPlaybook,
      rules: defaultPlaybook.rules.map((r) => (r.id === 'promoter' ? { ...r, enabled: true } : r)),
    };
    const d = decide(on, facts({ score: 10 }));
    expect(d.openCase).toBeNull();
    expect(d.messages.map((m) => m.template)).toEqual(['referral']);
  });

  it('opens a case for every detractor score and none for any other (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.option(fc.string()), (score, reason) => {
        const d = decide(defaultPlaybook, facts({ score, reason }));
        expect(d.openCase !== null).toBe(score <= 6);
        if (score <= 3) expect(d.openCase?.urgent).toBe(true);
      }),
    );
  });
});

describe('validating a playbook', () => {
  it('accepts the default playbook', () => {
    expect(validatePlaybook(defaultPlaybook)).toEqual([]);
  });

  it('explains rules that can never match or do nothing', () => {
    const bad: Playbook = {
      ...defaultPlaybook,
      rules: [
        rule({ scoreMin: 7, scoreMax: 3 }, { id: 'a' }),
        rule({ unitIds: [] }, { id: 'b' }),
        rule({}, { id: 'a', actions: [] }),
        rule({ reasonWords: ['!!!'] }, { id: 'c' }),
        rule({}, { id: 'd', actions: [{ kind: 'open_case', level: 'frontline', dueHours: 0 }] }),
      ],
    };
    const paths = validatePlaybook(bad).map((p) => p.path);
    expect(paths).toEqual([
      'rules.0.match.scoreMin',
      'rules.1.match.unitIds',
      'rules.2.id',
      'rules.2.actions',
      'rules.3.match.reasonWords.0',
      'rules.4.actions.0.dueHours',
    ]);
  });

  it('explains an escalation and a calendar that make no sense', () => {
    const bad: Playbook = {
      ...defaultPlaybook,
      escalation: { toMiddleAfterHours: -1, toTopAfterHours: 0 },
      calendar: { enabled: true, workdays: [], start: '18:00', end: '09:00', holidays: ['2026-13-45'] },
      resurveyAfterDays: 0,
    };
    const paths = validatePlaybook(bad).map((p) => p.path);
    expect(paths).toEqual([
      'escalation.toMiddleAfterHours',
      'escalation.toTopAfterHours',
      'calendar.holidays.0',
      'calendar.workdays',
      'resurveyAfterDays',
    ]);
  });
});
