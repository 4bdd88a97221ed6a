/**
 * @module Does a playbook rule match an answer, what the matching rules add up to, and which rules can never
 * match. Reason words match by Snowball stems (ru, en), case-insensitive, with ё read as е.
 */
import { hasWorkingTime } from './business-hours.js';
import { isTimeOfDay } from './call-hours.js';
import type { Level, Playbook, PlaybookRule, RuleAction } from './playbook.js';
// The themes' stemmer, with its cache: a rule's words and a reason's are stemmed for every answer the loop takes.
import { foldCase, stemOf } from './text.js';

/** What the playbook knows about an answer when it decides. */
export interface AnswerFacts {
  score: number;
  reason: string | null;
  surveyId: string;
  /** The answer's unit and all its ancestors (a rule on a region matches its branches). Empty = no unit. */
  unitPath: string[];
  employeeId: string | null;
  channel: 'link' | 'email' | 'sms' | 'widget' | 'phone';
  /** The customer's value band by revenue over 12 months; null when unknown (a rule on bands then does not match). */
  valueBand: 'high' | 'medium' | 'low' | null;
}

/** Folded (lower case, ё → е) and split on anything that is not a letter or digit. */
function wordsOf(text: string): string[] {
  return foldCase(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Stems of a text in order: 'Хамство администратора!' → ['хамств', 'администратор']. */
export function stemsOf(text: string): string[] {
  return wordsOf(text).map(stemOf);
}

/**
 * Whether any of `words` (single words or phrases) occurs in `reason` by stems: 'жалоба' matches 'напишу
 * жалобу', 'rude' matches 'RUDE staff', a phrase matches its stems in a row.
 */
export function reasonHasWords(reason: string | null, words: string[]): boolean {
  if (!reason) return false;
  const stems = stemsOf(reason);
  if (stems.length === 0) return false;
  return words.some((w) => {
    const phrase = stemsOf(w);
    if (phrase.length === 0) return false;
    for (let i = 0; i + phrase.length <= stems.length; i++) {
      if (phrase.every((s, k) => stems[i + k] === s)) return true;
    }
    return false;
  });
}

/** Whether an enabled rule's conditions all hold for the answer (an absent condition holds for any answer). */
export function ruleMatches(rule: PlaybookRule, facts: AnswerFacts): boolean {
  if (!rule.enabled) return false;
  const m = rule.match;
  if (m.scoreMin !== undefined && facts.score < m.scoreMin) return false;
  if (m.scoreMax !== undefined && facts.score > m.scoreMax) return false;
  if (m.surveyIds && !m.surveyIds.includes(facts.surveyId)) return false;
  if (m.unitIds && !m.unitIds.some((u) => facts.unitPath.includes(u))) return false;
  if (m.employeeIds && !(facts.employeeId && m.employeeIds.includes(facts.employeeId))) return false;
  if (m.channels && !m.channels.includes(facts.channel)) return false;
  if (m.valueBands && !(facts.valueBand && m.valueBands.includes(facts.valueBand))) return false;
  if (m.reasonWords && !reasonHasWords(facts.reason, m.reasonWords)) return false;
  return true;
}

type MessageAction = Extract<RuleAction, { kind: 'message' }>;

/** What the matching rules add up to for one answer. */
export interface Decision {
  /** Ids of the matching rules, in playbook order. */
  ruleIds: string[];
  /** The case to open: the first matching rule that opens one decides level and rule; urgent if any says so. */
  openCase: { ruleId: string; level: Level; dueHours: number; urgent: boolean } | null;
  /** Levels to alert at once (union of the matching rules' alerts). */
  alertLevels: Level[];
  /** Messages to the customer, one per template. */
  messages: (MessageAction & { ruleId: string })[];
}

const levelOrder: Level[] = ['frontline', 'middle', 'top'];

export function decide(playbook: Playbook, facts: AnswerFacts): Decision {
  const matching = playbook.rules.filter((r) => ruleMatches(r, facts));
  let openCase: Decision['openCase'] = null;
  const alerts = new Set<Level>();
  const messages: Decision['messages'] = [];
  for (const rule of matching) {
    for (const action of rule.actions) {
      if (action.kind === 'open_case') {
        if (!openCase) {
          openCase = {
            ruleId: rule.id,
            level: action.level,
            dueHours: action.dueHours,
            urgent: action.urgent ?? false,
          };
        } else if (action.urgent) openCase.urgent = true;
      } else if (action.kind === 'alert') {
        for (const l of action.levels) alerts.add(l);
      } else if (!messages.some((m) => m.template === action.template)) {
        messages.push({ ...action, ruleId: rule.id });
      }
    }
  }
  return {
    ruleIds: matching.map((r) => r.id),
    openCase,
    alertLevels: levelOrder.filter((l) => alerts.has(l)),
    messages,
  };
}

/** A problem with a playbook, at a dotted path into it (`rules.2.match.scoreMin`). */
export interface PlaybookProblem {
  path: string;
  message: string;
}

const MAX_DUE_HOURS = 24 * 90;
const MAX_ESCALATION_HOURS = 24 * 60;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Explains what in a playbook cannot work: rules that can never match (empty score range, an empty list,
 * reason words with no letters), rules with nothing to do, duplicate ids, absurd deadlines, an escalation
 * that skips the middle manager, a calendar without working time. Ids of surveys, units and employees are
 * checked by the service, which knows the org.
 */
export function validatePlaybook(playbook: Playbook): PlaybookProblem[] {
  const problems: PlaybookProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const seen = new Map<string, number>();
  playbook.rules.forEach((rule, i) => {
    const at = `rules.${i}`;
    if (!rule.id.trim()) add(`${at}.id`, 'A rule needs an id');
    const first = seen.get(rule.id);
    if (first !== undefined) add(`${at}.id`, `The id "${rule.id}" is already used by rule ${first + 1}`);
    else seen.set(rule.id, i);
    const m = rule.match;
    const min = m.scoreMin ?? 0;
    const max = m.scoreMax ?? 10;
    for (const [field, v] of [
      ['scoreMin', m.scoreMin],
      ['scoreMax', m.scoreMax],
    ] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 10))
        add(`${at}.match.${field}`, 'A score is a whole number from 0 to 10');
    }
    if (min > max)
      add(`${at}.match.scoreMin`, `The score range ${min}–${max} is empty: this rule can never match`);
    for (const field of [
      'surveyIds',
      'unitIds',
      'employeeIds',
      'channels',
      'valueBands',
      'reasonWords',
    ] as const) {
      const list = m[field];
      if (list && list.length === 0)
        add(`${at}.match.${field}`, 'An empty list matches nothing: remove it to match any');
    }
    m.reasonWords?.forEach((w, k) => {
      if (stemsOf(w).length === 0)
        add(`${at}.match.reasonWords.${k}`, 'A reason word needs letters or digits');
    });
    if (rule.actions.length === 0) add(`${at}.actions`, 'A rule with no actions does nothing');
    let cases = 0;
    rule.actions.forEach((action, k) => {
      const ap = `${at}.actions.${k}`;
      if (action.kind === 'open_case') {
        cases++;
        if (cases > 1) add(ap, 'A rule opens at most one case');
        if (!(action.dueHours > 0) || action.dueHours > MAX_DUE_HOURS)
          add(`${ap}.dueHours`, `The deadline must be more than 0 and at most ${MAX_DUE_HOURS} hours`);
      } else if (action.kind === 'alert') {
        if (action.levels.length === 0) add(`${ap}.levels`, 'An alert needs at least one level to tell');
      } else if (!action.text.ru.trim() && !action.text.en.trim()) {
        add(`${ap}.text`, 'A message needs a text');
      }
    });
  });

  const e = playbook.escalation;
  if (!(e.toMiddleAfterHours >= 0) || e.toMiddleAfterHours > MAX_ESCALATION_HOURS)
    add('escalation.toMiddleAfterHours', `Give 0 to ${MAX_ESCALATION_HOURS} hours after the due time`);
  if (!(e.toTopAfterHours > 0) || e.toTopAfterHours > MAX_ESCALATION_HOURS)
    add(
      'escalation.toTopAfterHours',
      `Give more than 0 and at most ${MAX_ESCALATION_HOURS} hours: with 0 the middle manager never gets the case before top management`,
    );

  const c = playbook.calendar;
  if (!isTimeOfDay(c.start)) add('calendar.start', "A local time 'HH:MM'");
  if (!isTimeOfDay(c.end)) add('calendar.end', "A local time 'HH:MM'");
  c.workdays.forEach((d, k) => {
    if (!Number.isInteger(d) || d < 1 || d > 7)
      add(`calendar.workdays.${k}`, 'A weekday from 1 (Monday) to 7');
  });
  if (new Set(c.workdays).size !== c.workdays.length) add('calendar.workdays', 'A weekday is listed twice');
  c.holidays.forEach((h, k) => {
    if (!dayPattern.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`)))
      add(`calendar.holidays.${k}`, "A date 'YYYY-MM-DD'");
  });
  if (c.enabled && isTimeOfDay(c.start) && isTimeOfDay(c.end) && !hasWorkingTime(c)) {
    add(
      c.workdays.length === 0 ? 'calendar.workdays' : 'calendar.end',
      'The calendar has no working time: give at least one workday and an end after the start',
    );
  }
  const r = playbook.resurveyAfterDays;
  if (r !== null && (!Number.isInteger(r) || r < 1 || r > 365))
    add('resurveyAfterDays', 'Give 1 to 365 days, or null for no re-survey');
  const causes = new Set<string>();
  playbook.rootCauses.forEach((cause, k) => {
    if (causes.has(cause.id)) add(`rootCauses.${k}.id`, `The id "${cause.id}" is used twice`);
    causes.add(cause.id);
  });
  return problems;
}
