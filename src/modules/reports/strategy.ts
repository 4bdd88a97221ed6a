// The strategy and tactics document (DOCX, ru/en): goals with checkpoints and owners, the KPI matrix per level,
// actions per theme and per unit with their expected effect and cost from the economics scenarios, and how
// progress will be measured. Sections without data say what is missing; the Word file stays editable.

import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import { ranking, summary } from '../analytics/analysis.js';
import { resolveScope } from '../analytics/scope.js';
import {
  compareScenarios,
  type ProposedTargets,
  proposedTargets,
  type ScenarioComparison,
} from '../economics/index.js';
import { listScenarios } from '../economics/scenarios.js';
import { type GoalDetail, getGoal, getMatrices, listGoals, type MatrixView } from '../goals/index.js';
import { AppError, type Ctx } from '../kernel/index.js';
import { a4Section, houseStyles } from '../office/docx-page.js';
import { getOrg } from '../orgs/index.js';
import { type ThemesOverview, themesOverview } from '../themes/index.js';
import type { ReportGenerator, ReportOptions } from './kinds.js';
import { strategyTexts } from './strategy-texts.js';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A4 with 2 cm margins: the width of the text in twentieths of a point (as the procedure document). */
const TEXT_WIDTH = 11906 - 2 * 1134;
const ACCENT = '1F4E79';
const HEADER_FILL = 'DCE6F1';
const TOP_THEMES = 5;
const TOP_UNITS = 6;

/** Text as Word accepts it: no control characters (they make the XML invalid), at most `max` characters. */
export function clean(text: string | null | undefined, max = 500): string {
  return (text ?? '')
    .replace(/[\p{Cc}\p{Cs}\uFFFE\uFFFF]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

/** Only the "nothing to show here" refusals of other rooms become a note; anything else is a real failure. */
async function orMissing<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AppError && ['not_found', 'bad_request', 'invalid_input'].includes(error.code))
      return null;
    throw error;
  }
}

type Summary = Awaited<ReturnType<typeof summary>>;
type Ranking = Awaited<ReturnType<typeof ranking>>;

export interface StrategyFacts {
  org: { name: string; timeZone: string; currency: string };
  options: ReportOptions;
  unitName: string | null;
  now: Date;
  summary: Summary;
  targets: ProposedTargets | null;
  goals: GoalDetail[];
  matrices: MatrixView[];
  themes: ThemesOverview;
  themeScenarios: ScenarioComparison | null;
  ranked: Ranking['rows'];
  unitScenarios: ScenarioComparison | null;
  unitReachable: Map<string, number | null>;
  saved: ScenarioComparison | null;
}

/** Everything the document says, read through the rooms' own service functions (the dashboard's numbers). */
export async function strategyFacts(
  ctx: Ctx,
  options: ReportOptions,
  progress: (share: number) => void,
): Promise<StrategyFacts> {
  const org = await getOrg(ctx);
  const filters = {
    from: options.from,
    to: options.to,
    ...(options.unitId ? { unitId: options.unitId } : {}),
  };
  const scope = await resolveScope(ctx, options.audience, filters);
  const customer = options.audience === 'customer';
  const s = await summary(ctx, options.audience, filters);
  progress(0.1);
  const targets = customer ? await orMissing(proposedTargets(ctx, { unitId: options.unitId })) : null;
  progress(0.2);
  // Goals of the selection whose period overlaps the report's.
  const inSubtree = (unitId: string | null) =>
    !options.unitId || (unitId !== null && (scope.units?.has(unitId) ?? true));
  const views = (await listGoals(ctx)).filter(
    (g) => g.period.from <= options.to && g.period.to >= options.from && inSubtree(g.unitId),
  );
  const goals: GoalDetail[] = [];
  for (const g of views) goals.push(await getGoal(ctx, g.id));
  progress(0.4);
  const matrices = await getMatrices(ctx);
  const themes = await themesOverview(ctx, {
    audience: options.audience,
    from: options.from,
    to: options.to,
    ...(options.unitId ? { unitId: options.unitId } : {}),
  });
  progress(0.5);
  const drivers = themes.themes
    .filter((t) => !t.hidden && (t.impact ?? 0) > 0 && (t.detractors ?? 0) > 0)
    .sort((a, b) => (b.impact ?? 0) - (a.impact ?? 0))
    .slice(0, TOP_THEMES);
  const detractorsTotal = s.total.detractors;
  const themeScenarios =
    customer && drivers.length > 0 && detractorsTotal > 0
      ? await orMissing(
          compareScenarios(ctx, {
            unitId: options.unitId,
            scenarios: drivers.map((t) => ({
              name: clean(t.name[options.locale], 120) || t.key,
              moves: [
                {
                  from: 'detractor' as const,
                  to: 'passive' as const,
                  share: Math.min(1, (t.detractors ?? 0) / detractorsTotal),
                },
              ],
              retention: [],
            })),
          }),
        )
      : null;
  progress(0.65);
  // Units to act on: below the company, else the lowest ranked, at the branch level (or the level present).
  const kinds = [...new Set([...scope.unitsById.values()].map((u) => u.kind))];
  const level = (['branch', 'department', 'region'] as const).find((k) => kinds.includes(k));
  const ranked = level
    ? ((await orMissing(ranking(ctx, options.audience, { ...filters, of: 'unit', level, minAnswers: 30 })))
        ?.rows ?? [])
    : [];
  const below = ranked.filter((r) => r.mark === 'below');
  const atRisk = (below.length > 0 ? below : [...ranked].reverse()).slice(0, TOP_UNITS);
  const unitReachable = new Map<string, number | null>();
  for (const row of targets?.units ?? []) if (row.unitId) unitReachable.set(row.unitId, row.reachable);
  const unitMoves = atRisk.map((r) => {
    const reachable = unitReachable.get(r.key) ?? null;
    const gap = reachable !== null && r.nps !== null ? reachable - r.nps : null;
    const dShare = r.n > 0 ? r.detractors / r.n : 0;
    // Each detractor who becomes passive raises NPS by 100/n: the share of detractors to move is gap / (100 · d).
    const share = gap !== null && gap > 0 && dShare > 0 ? Math.min(1, gap / (100 * dShare)) : 0;
    return { row: r, share };
  });
  const unitScenarios =
    customer && unitMoves.some((u) => u.share > 0)
      ? await orMissing(
          compareScenarios(ctx, {
            unitId: options.unitId,
            scenarios: unitMoves
              .filter((u) => u.share > 0)
              .slice(0, 6)
              .map((u) => ({
                name: u.row.key,
                moves: [
                  { from: 'detractor' as const, to: 'passive' as const, share: u.share, unitId: u.row.key },
                ],
                retention: [],
              })),
          }),
        )
      : null;
  progress(0.8);
  const savedList = customer ? ((await orMissing(listScenarios(ctx))) ?? []) : [];
  const saved =
    savedList.length > 0
      ? await orMissing(
          compareScenarios(ctx, {
            unitId: options.unitId,
            scenarios: savedList.slice(0, 6).map((x) => x.input),
          }),
        )
      : null;
  progress(0.9);
  return {
    org: {
      name: org.name,
      timeZone: org.timeZone,
      currency: themeScenarios?.currency ?? saved?.currency ?? org.currency,
    },
    options,
    unitName: options.unitId ? (scope.unitsById.get(options.unitId)?.name ?? null) : null,
    now: ctx.clock(),
    summary: s,
    targets,
    goals,
    matrices,
    themes: { ...themes, themes: drivers },
    themeScenarios,
    ranked: atRisk,
    unitScenarios,
    unitReachable,
    saved,
  };
}

// ————— rendering —————

type Block = Paragraph | Table;

const fmt = (locale: string, x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '—'
    : new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(x);

function money(locale: string, currency: string, minor: number | null | undefined, unknown: string): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return unknown;
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(
      minor / 100,
    );
  } catch {
    return `${fmt(locale, minor / 100, 0)} ${currency}`;
  }
}

function table(columns: readonly string[], rows: readonly string[][], percents: number[]): Table {
  const widths = percents.map((pc) => Math.round((TEXT_WIDTH * pc) / 100));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      verticalAlign: VerticalAlign.TOP,
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      shading: header ? { type: ShadingType.CLEAR, color: 'auto', fill: HEADER_FILL } : undefined,
      children: [
        new Paragraph({
          spacing: { after: 40 },
          alignment: i > 0 && !header ? AlignmentType.RIGHT : AlignmentType.START,
          children: [new TextRun({ text: clean(text), bold: header, size: 19 })],
        }),
      ],
    });
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => cell(c, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
    ],
  });
}

function body(f: StrategyFacts): Block[] {
  const t = strategyTexts[f.options.locale];
  const L = t.locale;
  const out: Block[] = [];
  const h1 = (text: string) => out.push(new Paragraph({ text, heading: HeadingLevel.HEADING_1 }));
  const h2 = (text: string) =>
    out.push(new Paragraph({ text: clean(text), heading: HeadingLevel.HEADING_2 }));
  const p = (text: string, keep = false) =>
    out.push(new Paragraph({ keepNext: keep, children: [new TextRun(clean(text, 2000))] }));
  const missing = (text: string) =>
    out.push(
      new Paragraph({
        children: [
          new TextRun({ text: `${t.missing} `, bold: true, color: 'C00000' }),
          new TextRun({ text, italics: true }),
        ],
      }),
    );
  const bullet = (text: string) =>
    out.push(new Paragraph({ numbering: { reference: 'bullets', level: 0 }, children: [new TextRun(text)] }));
  const cur = (minor: number | null | undefined, unknown = t.themes.unknownCost) =>
    money(L, f.org.currency, minor, unknown);

  // Title page.
  out.push(
    new Paragraph({ spacing: { before: 2400 }, children: [] }),
    new Paragraph({ children: [new TextRun({ text: t.title, bold: true, size: 56, color: ACCENT })] }),
    new Paragraph({
      spacing: { after: 400 },
      children: [new TextRun({ text: clean(t.subtitle(f.org.name)), size: 28 })],
    }),
  );
  const when = new Intl.DateTimeFormat(L, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: f.org.timeZone,
  }).format(f.now);
  for (const line of [
    t.period(f.options.from, f.options.to),
    t.audience[f.options.audience],
    t.unit(f.unitName ? clean(f.unitName) : null),
    t.made(when),
  ])
    out.push(new Paragraph({ children: [new TextRun({ text: line, size: 22 })] }));
  out.push(new Paragraph({ children: [new PageBreak()] }));

  // 1. Where we start.
  h1(t.start.title);
  const s = f.summary;
  if (s.empty?.reason === 'suppressed') missing(t.start.hidden(s.minGroupSize ?? 5));
  else if (s.total.n === 0 || s.total.nps === null) missing(t.start.noAnswers);
  else {
    p(
      t.start.nps(
        fmt(L, s.total.nps),
        s.total.ci95 ? `${fmt(L, s.total.ci95[0])} … ${fmt(L, s.total.ci95[1])}` : '—',
        s.total.n,
      ),
    );
    if (s.changeFromPrevious)
      p(
        t.start.previous(
          `${s.changeFromPrevious.diff > 0 ? '+' : ''}${fmt(L, s.changeFromPrevious.diff)}`,
          s.changeFromPrevious.significant,
        ),
      );
  }
  if (f.options.audience === 'employee') p(t.start.employeesNoTargets);
  else if (!f.targets || f.targets.company.current === null) missing(t.start.noTargets);
  else {
    p(t.start.targets, true);
    const rows = [f.targets.company, ...f.targets.units.slice(0, 15)].map((r) => [
      r.unitId ? clean(r.name ?? '') : t.start.company,
      fmt(L, r.current),
      fmt(L, r.reachable),
      fmt(L, r.ambitious),
      fmt(L, r.customers, 0),
    ]);
    out.push(table(t.start.targetColumns, rows, [36, 16, 16, 16, 16]));
  }

  // 2. Goals.
  h1(t.goals.title);
  if (f.goals.length === 0) missing(t.goals.none);
  else p(t.goals.intro);
  for (const g of f.goals) {
    h2(`${g.name}${g.unitName ? ` — ${g.unitName}` : ''}`);
    const owners = g.owners.map((o) => clean(o.name ?? o.role)).join(', ') || t.goals.noOwner;
    p(
      t.goals.facts(
        t.metrics[g.metric],
        g.baseline === null ? '—' : fmt(L, g.baseline),
        fmt(L, g.target),
        owners,
      ),
      true,
    );
    out.push(
      table(
        t.goals.checkpointColumns,
        g.checkpoints.map((c) => [
          c.day,
          fmt(L, c.target),
          c.actual?.value === null || c.actual === null ? t.goals.notYet : fmt(L, c.actual.value),
          t.status[c.status],
        ]),
        [28, 24, 24, 24],
      ),
    );
    if (g.actions.length > 0) {
      p(t.goals.actionsTitle, true);
      out.push(
        table(
          t.goals.actionColumns,
          g.actions.map((a) => [
            a.day,
            clean(a.title),
            clean(a.unitName ?? g.unitName ?? ''),
            a.change
              ? `${a.change.diff > 0 ? '+' : ''}${fmt(L, a.change.diff)}${a.change.significant ? ' *' : ''}`
              : '—',
          ]),
          [16, 44, 22, 18],
        ),
      );
    }
  }

  // 3. KPI matrix.
  h1(t.kpi.title);
  p(t.kpi.intro);
  for (const m of [...f.matrices].sort(
    (a, b) =>
      ['top', 'middle', 'frontline'].indexOf(a.level) - ['top', 'middle', 'frontline'].indexOf(b.level),
  )) {
    h2(`${t.levels[m.level]}${m.isDefault ? ` ${t.kpi.default}` : ''}`);
    out.push(
      table(
        t.kpi.columns,
        m.items.map((i) => [t.metrics[i.metric], fmt(L, i.weight), fmt(L, i.target)]),
        [60, 20, 20],
      ),
    );
  }

  // 4. Themes.
  h1(t.themes.title);
  if (f.themes.themes.length === 0) missing(t.themes.none);
  else {
    p(t.themes.intro, true);
    const results = f.themeScenarios?.results ?? [];
    out.push(
      table(
        t.themes.columns,
        f.themes.themes.map((th, i) => {
          const r = results[i];
          return [
            clean(th.name[f.options.locale]),
            fmt(L, th.mentions, 0),
            fmt(L, th.impact),
            r ? fmt(L, r.moved, 0) : '—',
            r ? cur(r.cost) : '—',
            r ? cur(r.ltvChange) : '—',
            r?.roi === null || r?.roi === undefined ? '—' : `${fmt(L, r.roi * 100, 0)}%`,
          ];
        }),
        [22, 14, 13, 13, 13, 13, 12],
      ),
    );
    p(f.options.audience === 'employee' ? t.themes.employeesNote : t.themes.costNote);
  }

  // 5. Units.
  h1(t.units.title);
  if (f.ranked.length === 0) missing(t.units.none);
  else {
    p(t.units.intro, true);
    const byName = new Map((f.unitScenarios?.results ?? []).map((r) => [r.name, r]));
    out.push(
      table(
        t.units.columns,
        f.ranked.map((u) => {
          const r = byName.get(u.key);
          return [
            clean(u.label),
            fmt(L, u.nps),
            fmt(L, u.shrunk),
            fmt(L, f.unitReachable.get(u.key) ?? null),
            r ? fmt(L, r.moved, 0) : '—',
            r ? cur(r.cost) : '—',
            r ? cur(r.ltvChange) : '—',
          ];
        }),
        [28, 10, 12, 12, 12, 13, 13],
      ),
    );
  }
  if (f.options.audience === 'customer') {
    h2(t.units.saved);
    if (!f.saved || f.saved.results.length === 0) missing(t.units.noSaved);
    else
      out.push(
        table(
          t.units.savedColumns,
          f.saved.results.map((r) => [
            clean(r.name),
            `${fmt(L, r.before.nps)} → ${fmt(L, r.after.nps)}`,
            fmt(L, r.moved, 0),
            cur(r.cost),
            cur(r.ltvChange),
            r.roi === null ? '—' : `${fmt(L, r.roi * 100, 0)}%`,
          ]),
          [28, 18, 14, 14, 14, 12],
        ),
      );
  }

  // 6. Measures.
  h1(t.measure.title);
  for (const item of t.measure.items) bullet(item);
  return out;
}

/** Builds the .docx file. */
export async function renderStrategy(f: StrategyFacts): Promise<Buffer> {
  const t = strategyTexts[f.options.locale];
  const doc = new Document({
    creator: 'Sarafan',
    title: t.title,
    description: clean(f.org.name),
    features: { updateFields: false },
    styles: houseStyles(ACCENT),
    numbering: {
      config: [
        {
          reference: 'bullets',
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 400, hanging: 300 } } },
            },
          ],
        },
      ],
    },
    sections: [
      a4Section({
        header: `${clean(f.org.name)} · ${t.title}`,
        page: t.page,
        of: t.of,
        footerOnTitle: true,
        children: body(f),
      }),
    ],
  });
  return Packer.toBuffer(doc);
}

export const strategyDocx: ReportGenerator = async (ctx, options, progress) => {
  const facts = await strategyFacts(ctx, options, progress);
  const body = await renderStrategy(facts);
  progress(1);
  return {
    filename: `${strategyTexts[options.locale].fileName} ${options.from}–${options.to}.docx`,
    mime: DOCX_MIME,
    body,
  };
};
