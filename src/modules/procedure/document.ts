// The closed-loop procedure as a Word document: the org's playbook, people and deadlines, for three levels.

import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { estimatePageNumbers } from 'docx/layout';
import type { Level, PlaybookRule, RuleAction } from '../../domain/playbook.js';
import { decide } from '../../domain/playbook-match.js';
import { a4Section, houseStyles } from '../office/docx-page.js';
import type { ProcedureFacts } from './facts.js';
import {
  daysText,
  hoursText,
  type ProcedureLocale,
  type ProcedureTexts,
  procedureTexts,
  raciMatrix,
} from './texts.js';

const levels: Level[] = ['frontline', 'middle', 'top'];

/** A4 with 2 cm margins: the width of the text in twentieths of a point. */
const TEXT_WIDTH = 11906 - 2 * 1134;
const ACCENT = '1F4E79';
const HEADER_FILL = 'DCE6F1';
const MAX_NAMES = 25;

/** Builds the .docx file in `locale`. */
export async function renderProcedure(facts: ProcedureFacts, locale: ProcedureLocale): Promise<Buffer> {
  const doc = new Document({
    creator: 'Sarafan',
    title: procedureTexts[locale].title,
    description: facts.org.name,
    features: { updateFields: false },
    pageNumbers: estimatePageNumbers,
    styles: houseStyles(ACCENT),
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 400, hanging: 300 } } },
            },
          ],
        },
      ],
    },
    sections: [
      a4Section({
        header: `${facts.org.name} · ${procedureTexts[locale].title}`,
        page: procedureTexts[locale].page,
        of: procedureTexts[locale].of,
        footerOnTitle: true,
        children: body(facts, locale),
      }),
    ],
  });
  return Packer.toBuffer(doc);
}

type Block = Paragraph | Table | TableOfContents;

function body(f: ProcedureFacts, locale: ProcedureLocale): Block[] {
  const t = procedureTexts[locale];
  const { playbook } = f;
  const working = playbook.calendar.enabled;
  const hours = (n: number) => hoursText(n, working, locale);
  const dateOf = (d: Date) =>
    new Intl.DateTimeFormat(t.locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: f.org.timeZone,
    }).format(d);
  const weekday = new Intl.DateTimeFormat(t.locale, { weekday: 'long', timeZone: 'UTC' }).format(
    // 2024-01-01 was a Monday: ISO weekday n is n − 1 days later.
    new Date(Date.UTC(2024, 0, f.digest.weekday)),
  );
  const ruleName = (r: PlaybookRule) => r.name[locale] || r.name[locale === 'ru' ? 'en' : 'ru'] || r.id;
  const enabled = playbook.rules.filter((r) => r.enabled);
  const { toMiddleAfterHours, toTopAfterHours } = playbook.escalation;
  const toMiddlePhrase =
    toMiddleAfterHours > 0 ? t.escalation.toMiddleWhen(hours(toMiddleAfterHours)) : t.escalation.toMiddleNow;
  const toTopPhrase =
    toTopAfterHours > 0 ? t.escalation.toTopWhen(hours(toTopAfterHours)) : t.escalation.toTopNow;

  // What the playbook does with a plain detractor and with the unhappiest answer, by its own matching.
  const plain = {
    reason: null,
    surveyId: '',
    unitPath: [],
    employeeId: null,
    channel: 'email' as const,
    valueBand: null,
  };
  const detractor = decide(playbook, { ...plain, score: 6 }).openCase;
  // Who is alerted at once, and on what: the enabled rules with an alert action that apply to any customer
  // (rules for some units, surveys, channels or customers only are in the rules table).
  const general = ({ match: m }: PlaybookRule) =>
    !(
      m.unitIds?.length ||
      m.surveyIds?.length ||
      m.employeeIds?.length ||
      m.channels?.length ||
      m.valueBands?.length
    );
  const alertRules = enabled.filter((r) => general(r) && r.actions.some((a) => a.kind === 'alert'));
  const alerted = levels.filter((l) =>
    alertRules.some((r) => r.actions.some((a) => a.kind === 'alert' && a.levels.includes(l))),
  );
  const alertCases = [
    ...new Set(
      alertRules.map((r) =>
        r.match.reasonWords?.length
          ? t.purpose.urgentWords
          : t.purpose.urgentScore(`${r.match.scoreMin ?? 0}–${r.match.scoreMax ?? 10}`),
      ),
    ),
  ].join(t.purpose.or);

  const out: Block[] = [];
  const h1 = (text: string) => out.push(new Paragraph({ text, heading: HeadingLevel.HEADING_1 }));
  const h2 = (text: string) => out.push(new Paragraph({ text, heading: HeadingLevel.HEADING_2 }));
  /** `keep`: the paragraph introduces the table after it, so they stay on one page. */
  const p = (text: string, options: { italic?: boolean; keep?: boolean } = {}) =>
    out.push(
      new Paragraph({ keepNext: options.keep, children: [new TextRun({ text, italics: options.italic })] }),
    );
  const bullets = (items: string[]) => {
    for (const text of items) out.push(new Paragraph({ text, bullet: { level: 0 } }));
  };
  let listInstance = 0;
  const steps = (items: string[]) => {
    listInstance += 1;
    for (const text of items) {
      out.push(new Paragraph({ text, numbering: { reference: 'steps', level: 0, instance: listInstance } }));
    }
  };

  // Title page
  out.push(
    new Paragraph({ spacing: { before: 2800 }, children: [] }),
    new Paragraph({
      spacing: { after: 240, line: 264, lineRule: LineRuleType.AUTO },
      children: [new TextRun({ text: t.title, size: 44, bold: true, color: ACCENT })],
    }),
    new Paragraph({
      spacing: { after: 1200 },
      children: [new TextRun({ text: t.subtitle, size: 28, color: '404040' })],
    }),
    new Paragraph({
      border: { top: { style: BorderStyle.SINGLE, size: 8, color: ACCENT, space: 8 } },
      children: [
        new TextRun({ text: `${t.preparedFor}: `, color: '595959' }),
        new TextRun({ text: f.org.name, bold: true, size: 28 }),
      ],
    }),
    new Paragraph({
      children: [new TextRun({ text: `${t.date}: `, color: '595959' }), new TextRun(dateOf(f.now))],
    }),
    new Paragraph({
      children: [
        new TextRun({
          text:
            f.version === 0 || !f.updatedAt
              ? t.playbookDefault
              : t.playbookVersion(f.version, dateOf(f.updatedAt)),
          color: '595959',
        }),
      ],
    }),
    new Paragraph({
      spacing: { before: 2400 },
      children: [new TextRun({ text: t.generated, italics: true, size: 18, color: '7F7F7F' })],
    }),
    new Paragraph({ children: [new PageBreak()] }),
  );

  // Contents
  out.push(
    new Paragraph({
      children: [new TextRun({ text: t.contents, bold: true, size: 30, color: ACCENT })],
      spacing: { after: 200 },
    }),
    new TableOfContents(t.contents, { hyperlink: true, headingStyleRange: '1-2' }),
    new Paragraph({ children: [new PageBreak()] }),
  );

  // 1. Purpose and principles
  h1(`1. ${t.purpose.heading}`);
  p(t.purpose.text(f.org.name));
  h2(`1.1. ${t.purpose.principles}`);
  bullets([
    detractor ? t.purpose.detractor(hours(detractor.dueHours)) : t.purpose.noDetractorRule,
    alerted.length
      ? t.purpose.urgent(alertCases, alerted.map((l) => t.levelsTo[l]).join(', '))
      : t.purpose.urgentNone,
    t.purpose.escalation(toMiddlePhrase, toTopPhrase),
    t.purpose.record,
    playbook.resurveyAfterDays
      ? t.purpose.resurvey(daysText(playbook.resurveyAfterDays, locale))
      : t.purpose.noResurvey,
    t.purpose.noBlame,
    t.purpose.everyone,
  ]);

  // 2. Levels, roles and people
  h1(`2. ${t.roles.heading}`);
  p(t.roles.intro, { keep: true });
  out.push(
    table(
      t.roles.columns,
      levels.map((l) => [t.levels[l], t.roles.roleOf[l], peopleCell(f, l, t), t.roles.scopeOf[l]]),
      [20, 22, 38, 20],
    ),
  );
  p(t.roles.fallThrough);
  if (f.employees.total > 0) p(t.roles.employees(f.employees.withLogin, f.employees.total));
  if (f.uncovered.middle.length) p(t.roles.noManager(listOf(f.uncovered.middle, t)));
  if (f.uncovered.frontline.length) p(t.roles.noFrontline(listOf(f.uncovered.frontline, t)));

  // 3–5. A section per level
  const receiveRows = (level: Level): string[][] => {
    const rows: string[][] = [];
    for (const rule of enabled) {
      for (const action of rule.actions) {
        if (action.kind === 'open_case' && action.level === level) {
          rows.push([
            (action.urgent ? t.urgentCaseFrom : t.caseFrom)(ruleName(rule)),
            `${t.atOnce}; ${t.dueIn(hours(action.dueHours))}`,
            t.caseHow,
          ]);
        } else if (action.kind === 'alert' && action.levels.includes(level)) {
          rows.push([t.alertFrom(ruleName(rule)), t.atOnce, t.alertHow]);
        }
      }
    }
    return rows;
  };
  const indicatorRows = (level: Level): string[][] => {
    const i = t.indicators;
    const median = detractor ? Math.min(24, detractor.dueHours / 2) : 24;
    const common = [
      [...i.contacted],
      [...i.medianContact, i.medianTarget(hoursText(median, working, locale))],
    ];
    if (level === 'frontline') return [...common, [...i.overdue], [...i.resolution]];
    if (level === 'middle')
      return [...common, [...i.overdue], [...i.resolution], [...i.escalated], [...i.uplift], [...i.unitNps]];
    return [[...i.nps], ...common, [...i.overdue], [...i.resolution], [...i.escalated], [...i.uplift]];
  };
  const indicatorWidths = [32, 46, 22];

  // 3. Front line
  h1(`3. ${t.frontline.heading}`);
  p(t.frontline.intro);
  h2(`3.1. ${t.receive}`);
  out.push(
    table(
      t.receiveColumns,
      [
        ...receiveRows('frontline'),
        [t.assigned, t.assignedWhen, t.byMail],
        [t.overdueNotice, t.overdueWhen, t.byMail],
      ],
      [34, 33, 33],
    ),
  );
  h2(`3.2. ${t.mustDo}`);
  steps(t.frontline.steps);
  const frontlineDeadlines = enabled.flatMap((rule) =>
    rule.actions
      .filter(
        (a): a is Extract<RuleAction, { kind: 'open_case' }> =>
          a.kind === 'open_case' && a.level === 'frontline',
      )
      .map((a) => [
        ruleName(rule),
        hours(a.dueHours),
        working
          ? `${t.workingHours}: ${workdaysText(playbook.calendar.workdays, t.locale)}, ${playbook.calendar.start}–${playbook.calendar.end}`
          : t.calendarHours,
      ]),
  );
  if (frontlineDeadlines.length) {
    p(t.frontline.deadlines, { keep: true });
    out.push(table(t.deadlineColumns, frontlineDeadlines, [45, 25, 30]));
  } else p(t.frontline.noCases);
  h2(`3.3. ${t.indicatorsHeading}`);
  out.push(table(t.indicatorColumns, indicatorRows('frontline'), indicatorWidths));

  // 4. Middle managers
  h1(`4. ${t.middle.heading}`);
  p(t.middle.intro);
  h2(`4.1. ${t.receive}`);
  out.push(
    table(
      t.receiveColumns,
      [
        ...receiveRows('middle'),
        [t.escalatedTo(1), t.escalatedWhen(toMiddlePhrase), t.byMail],
        [t.dailyDigest, t.dailyWhen(f.digest.at), t.dailyWhat],
      ],
      [30, 30, 40],
    ),
  );
  p(t.digestPrefs, { italic: true });
  h2(`4.2. ${t.mustDo}`);
  steps(t.middle.steps(toTopAfterHours > 0 ? hours(toTopAfterHours) : null));
  h2(`4.3. ${t.escalation.heading}`);
  escalationTable(out, t, hours, toMiddlePhrase, toTopPhrase, detractor?.dueHours ?? null);
  h2(`4.4. ${t.indicatorsHeading}`);
  out.push(table(t.indicatorColumns, indicatorRows('middle'), indicatorWidths));

  // 5. Top management
  h1(`5. ${t.top.heading}`);
  p(t.top.intro);
  h2(`5.1. ${t.receive}`);
  out.push(
    table(
      t.receiveColumns,
      [
        ...receiveRows('top'),
        [t.escalatedTo(2), t.escalatedWhen(toTopPhrase), t.byMail],
        [t.weeklyDigest, t.weeklyWhen(weekday, f.digest.at), t.weeklyWhat],
      ],
      [30, 30, 40],
    ),
  );
  h2(`5.2. ${t.mustDo}`);
  steps(t.top.steps);
  h2(`5.3. ${t.indicatorsHeading}`);
  out.push(table(t.indicatorColumns, indicatorRows('top'), indicatorWidths));
  p(t.indicators.where, { italic: true });

  // 6. Playbook rules
  h1(`6. ${t.rules.heading}`);
  p(t.rules.intro, { keep: true });
  out.push(rulesTable(f, t, hours, ruleName));

  // 7. Promoters and passives
  h1(`7. ${t.others.heading}`);
  const messageRules = playbook.rules.filter((r) => r.actions.some((a) => a.kind === 'message'));
  p(t.others.intro, { keep: messageRules.length > 0 });
  if (messageRules.length) {
    out.push(
      table(
        t.others.columns,
        messageRules.map((rule) => [
          ruleName(rule),
          conditionOf(rule, f, t),
          rule.actions
            .filter((a): a is Extract<RuleAction, { kind: 'message' }> => a.kind === 'message')
            .flatMap((a) => [
              `${t.templates[a.template]}: ${t.quote(a.text[locale])}`.replace(/^./, (c) => c.toUpperCase()),
              ...(a.url ? [`${t.others.link}: ${a.url}`] : []),
            ]),
          rule.enabled ? t.others.on : t.others.off,
        ]),
        [22, 20, 44, 14],
      ),
    );
  } else p(t.others.none);
  if (!messageRules.some((r) => r.enabled)) p(t.others.advice, { italic: true });

  // 8. Root causes
  h1(`8. ${t.causes.heading}`);
  p(t.causes.intro, { keep: true });
  if (playbook.rootCauses.length) {
    out.push(
      table(
        t.causes.columns,
        playbook.rootCauses.map((c, i) => [String(i + 1), c.name[locale] || c.id]),
        [10, 90],
      ),
    );
  } else p(t.causes.none);

  // 9. Meeting rhythm
  h1(`9. ${t.rhythm.heading}`);
  p(t.rhythm.intro, { keep: true });
  out.push(table(t.rhythm.columns, t.rhythm.rows, [16, 19, 18, 17, 30]));

  // 10. RACI
  h1(`10. ${t.raci.heading}`);
  p(t.raci.intro, { keep: true });
  const letter = (code: string) =>
    code
      .split('')
      .map((c) => t.raci.letters[c as 'R' | 'A' | 'C' | 'I'])
      .join(', ');
  out.push(
    table(
      [t.raci.activity, ...levels.map((l) => t.levels[l])],
      t.raci.rows.map((activity, i) => [
        activity,
        ...(raciMatrix[i] ?? []).map((code) => (code ? letter(code) : '—')),
      ]),
      [46, 18, 18, 18],
      { centreFrom: 1 },
    ),
  );
  p(t.raci.legend, { italic: true });

  // 11. Deadlines and working time
  h1(`11. ${t.time.heading}`);
  const cal = playbook.calendar;
  if (cal.enabled) {
    p(t.time.calendarOn(workdaysText(cal.workdays, t.locale), cal.start, cal.end, f.org.timeZone));
    p(
      cal.holidays.length
        ? t.time.holidays(cal.holidays.map((d) => dateOf(new Date(`${d}T12:00:00Z`))).join(', '))
        : t.time.noHolidays,
    );
  } else p(t.time.calendarOff(f.org.timeZone));
  p(t.time.digestTime(f.digest.at, weekday));
  p(t.escalation.note);
  // A little air between a table and the text after it.
  return out.flatMap((block): Block[] =>
    block instanceof Table ? [block, new Paragraph({ spacing: { after: 0 }, children: [] })] : [block],
  );
}

function peopleCell(f: ProcedureFacts, level: Level, t: ProcedureTexts): string[] {
  const people = f.people[level];
  if (!people.length) return [t.roles.nobody];
  const lines = [t.roles.count(people.length)];
  if (!f.showNames) return [...lines, t.roles.namesHidden];
  for (const person of people.slice(0, MAX_NAMES)) {
    const name = person.name ?? t.roles.unnamed;
    lines.push(level !== 'top' && person.units.length ? `${name} (${person.units.join(', ')})` : name);
  }
  if (people.length > MAX_NAMES) lines.push(t.roles.andMore(people.length - MAX_NAMES));
  return lines;
}

function listOf(names: string[], t: ProcedureTexts): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown} ${t.roles.andMore(names.length - 12)}` : shown;
}

/** 'Mon–Fri', 'пн–пт', or single days and runs: 'Mon–Wed, Sat'. */
function workdaysText(days: number[], locale: string): string {
  const name = (d: number) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, d)),
    );
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(
      j - i >= 2
        ? `${name(sorted[i]!)}–${name(sorted[j]!)}`
        : sorted
            .slice(i, j + 1)
            .map(name)
            .join(', '),
    );
    i = j + 1;
  }
  return runs.join(', ');
}

function conditionOf(rule: PlaybookRule, f: ProcedureFacts, t: ProcedureTexts): string[] {
  const m = rule.match;
  const named = (ids: string[]) => ids.map((id) => f.names.get(id) ?? t.rules.unknown).join(', ');
  const parts: string[] = [];
  if (m.scoreMin !== undefined || m.scoreMax !== undefined)
    parts.push(t.rules.score(m.scoreMin ?? 0, m.scoreMax ?? 10));
  if (m.surveyIds?.length) parts.push(t.rules.surveys(named(m.surveyIds)));
  if (m.unitIds?.length) parts.push(t.rules.units(named(m.unitIds)));
  if (m.employeeIds?.length) parts.push(t.rules.employees(named(m.employeeIds)));
  if (m.channels?.length) parts.push(t.rules.channels(m.channels.map((c) => t.channels[c]).join(', ')));
  if (m.valueBands?.length) parts.push(t.rules.bands(m.valueBands.map((b) => t.bands[b]).join(', ')));
  if (m.reasonWords?.length) parts.push(t.rules.words(m.reasonWords.map(t.quote).join(', ')));
  return parts.length ? parts : [t.rules.any];
}

function rulesTable(
  f: ProcedureFacts,
  t: ProcedureTexts,
  hours: (n: number) => string,
  ruleName: (r: PlaybookRule) => string,
): Table {
  const rows: Row[] = [];
  const muted: boolean[] = [];
  for (const rule of f.playbook.rules) {
    const actions: [string, string, string][] = rule.actions.map((a) => {
      if (a.kind === 'open_case') {
        return [a.urgent ? t.rules.openUrgent : t.rules.openCase, t.levels[a.level], hours(a.dueHours)];
      }
      if (a.kind === 'alert')
        return [t.rules.alert, a.levels.map((l) => t.levels[l]).join(', '), t.rules.now];
      return [t.rules.message(t.templates[a.template]), t.rules.none, t.rules.now];
    });
    if (!actions.length) actions.push([t.rules.noActions, t.rules.none, t.rules.none]);
    const span = actions.length;
    actions.forEach((action, k) => {
      const head: (Cell | null)[] =
        k === 0
          ? [
              { lines: [ruleName(rule), ...(rule.enabled ? [] : [`(${t.rules.off})`])], rowSpan: span },
              { lines: conditionOf(rule, f, t), rowSpan: span },
            ]
          : [null, null];
      rows.push([...head, ...action]);
      muted.push(!rule.enabled);
    });
  }
  return table(t.rules.columns, rows, [21, 27, 20, 16, 16], { muted });
}

function escalationTable(
  out: Block[],
  t: ProcedureTexts,
  hours: (n: number) => string,
  toMiddlePhrase: string,
  toTopPhrase: string,
  dueHours: number | null,
): void {
  const e = t.escalation;
  out.push(new Paragraph({ text: e.intro, keepNext: true }));
  out.push(
    table(
      e.columns,
      [
        [e.opened, e.openedWhen, e.openedWho, e.openedWhat],
        [
          e.deadline,
          e.deadlineWhen(dueHours ? hours(dueHours) : e.asDue),
          t.levels.frontline,
          e.deadlineWhat,
        ],
        [e.step(1), toMiddlePhrase, t.levels.middle, e.escalatedWhat],
        [e.step(2), toTopPhrase, t.levels.top, e.escalatedWhat],
      ],
      [14, 30, 26, 30],
    ),
  );
}

type Cell = string | readonly string[] | { lines: readonly string[]; rowSpan: number };
/** One row's cells by column; null where a cell of an earlier row spans down. */
type Row = readonly (Cell | null)[];

/** A table with a shaded header row repeated on each page; a cell given as several strings has one paragraph each. */
function table(
  columns: readonly string[],
  rows: readonly Row[],
  percents: number[],
  options: { centreFrom?: number; muted?: boolean[] } = {},
): Table {
  const widths = percents.map((pc) => Math.round((TEXT_WIDTH * pc) / 100));
  const cell = (content: Cell, i: number, header: boolean, muted: boolean) => {
    const lines = typeof content === 'string' ? [content] : 'lines' in content ? content.lines : content;
    return new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      rowSpan: typeof content === 'object' && 'rowSpan' in content ? content.rowSpan : undefined,
      verticalAlign: VerticalAlign.TOP,
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      shading: header ? { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_FILL } : undefined,
      children: lines.map(
        (text) =>
          new Paragraph({
            spacing: { after: 40 },
            alignment:
              options.centreFrom !== undefined && i >= options.centreFrom
                ? AlignmentType.CENTER
                : AlignmentType.START,
            children: [new TextRun({ text, bold: header, size: 19, color: muted ? '7F7F7F' : undefined })],
          }),
      ),
    });
  };
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: columns.map((c, i) => cell(c, i, true, false)),
      }),
      ...rows.map(
        (row, r) =>
          new TableRow({
            cantSplit: true,
            children: row.flatMap((c, i) =>
              c === null ? [] : [cell(c, i, false, options.muted?.[r] ?? false)],
            ),
          }),
      ),
    ],
  });
}
