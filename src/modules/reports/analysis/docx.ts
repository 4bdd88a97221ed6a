// The report as a Word document: a cover, a heading per section, tables, and native Word charts (docx/charts: line
// for trends, bars for breakdowns), so a reader can edit the figures in Word or LibreOffice Writer.

import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LineRuleType,
  Packer,
  PageBreak,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { ChartRun } from 'docx/charts';
import { officeText } from '../../../domain/report-masking.js';
import { a4Section } from '../../office/docx-page.js';
import { type Block, type ChartSpec, PALETTE, type ReportModel } from './model.js';
import { reportTexts } from './texts.js';

/** A4 with 2 cm margins: the width of the text in twentieths of a point. */
const TEXT_WIDTH = 11906 - 2 * 1134;
const FONT = 'Arial';

type Part = Paragraph | Table;

const run = (text: string, opts: Omit<ConstructorParameters<typeof TextRun>[0] & object, 'text'> = {}) =>
  new TextRun({ text: officeText(text), ...(opts as object) });

function kpiTable(items: { label: string; value: string; sub?: string }[]): Table {
  const width = Math.floor(TEXT_WIDTH / Math.max(1, items.length));
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: items.map(() => width),
    rows: [
      new TableRow({
        children: items.map(
          (k) =>
            new TableCell({
              width: { size: width, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, fill: PALETTE.light, color: 'auto' },
              margins: { top: 80, bottom: 80, left: 120, right: 120 },
              borders: noBorders,
              children: [
                new Paragraph({ children: [run(k.label, { size: 17, color: PALETTE.muted })] }),
                new Paragraph({ children: [run(k.value, { size: 36, bold: true, color: PALETTE.primary })] }),
                ...(k.sub ? [new Paragraph({ children: [run(k.sub, { size: 17 })] })] : []),
              ],
            }),
        ),
      }),
    ],
  });
}

const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const noBorders = { top: none, bottom: none, left: none, right: none };
const thin = { style: BorderStyle.SINGLE, size: 4, color: 'DEE2E6' };
const thinBorders = { top: thin, bottom: thin, left: thin, right: thin };

function dataTable(b: Extract<Block, { kind: 'table' }>): Part[] {
  const weights = b.head.map((h, i) =>
    Math.min(40, Math.max(5, Math.max(h.length, ...b.rows.map((r) => (r[i] ?? '').length)))),
  );
  const sum = weights.reduce((a, c) => a + c, 0);
  const widths = weights.map((w) => Math.floor((TEXT_WIDTH * w) / sum));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i]!, type: WidthType.DXA },
      shading: header ? { type: ShadingType.CLEAR, fill: PALETTE.primary, color: 'auto' } : undefined,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      borders: thinBorders,
      children: [
        new Paragraph({
          alignment: b.numeric?.[i] ? AlignmentType.RIGHT : AlignmentType.LEFT,
          spacing: { after: 0 },
          children: [run(text, { size: 17, bold: header, color: header ? 'FFFFFF' : PALETTE.ink })],
        }),
      ],
    });
  const out: Part[] = [
    new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      rows: [
        new TableRow({ tableHeader: true, children: b.head.map((h, i) => cell(h, i, true)) }),
        ...b.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
      ],
    }),
  ];
  if (b.caption)
    out.push(
      new Paragraph({
        spacing: { before: 60 },
        children: [run(b.caption, { size: 16, italics: true, color: PALETTE.muted })],
      }),
    );
  else out.push(new Paragraph({ spacing: { after: 60 }, children: [] }));
  return out;
}

function chart(c: ChartSpec): Paragraph {
  const categories = c.categories.map((x) => officeText(x) || '—');
  const height = c.horizontal
    ? Math.min(620, Math.max(220, 80 + 26 * categories.length * Math.max(1, c.series.length * 0.7)))
    : 300;
  const axis = {
    ...(c.min !== undefined && { min: c.min }),
    ...(c.max !== undefined && { max: c.max }),
    ...(c.numberFormat && { numberFormat: c.numberFormat }),
    font: { size: 8 },
  };
  const base = {
    title: { text: officeText(c.title), font: { size: 11 } } as never,
    categories,
    transformation: { width: 620, height },
    legend: c.series.length > 1 ? ({ position: 'bottom' } as const) : (false as const),
    valueAxis: axis,
    categoryAxis: { font: { size: 8 } },
  };
  const series = c.series.map((s) => ({
    name: officeText(s.name),
    values: s.values,
    color: s.color,
    ...(c.type === 'line' && {
      line: { color: s.color, width: s.dashed ? 1.25 : 2.5, ...(s.dashed && { dash: 'dash' as const }) },
      markers: !s.dashed,
    }),
    ...(c.type === 'bar' && c.pointColors && c.series.length === 1 && { colors: c.pointColors }),
  }));
  const run =
    c.type === 'line'
      ? new ChartRun({ type: 'line', ...base, series })
      : new ChartRun({
          type: c.horizontal ? 'bar' : 'column',
          ...base,
          series,
          ...(c.stacked && { stacking: 'stacked' as const, overlap: 100 }),
          ...(c.horizontal && { categoryAxis: { font: { size: 8 }, reverseOrder: true } }),
          ...(c.labels &&
            !c.stacked && {
              dataLabels: { value: true, ...(c.numberFormat && { numberFormat: c.numberFormat }) } as never,
            }),
        });
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120 },
    children: [run],
  });
}

function blocks(bs: Block[]): Part[] {
  const out: Part[] = [];
  for (const b of bs) {
    if (b.kind === 'text') out.push(new Paragraph({ children: [run(b.text)] }));
    else if (b.kind === 'note')
      out.push(
        new Paragraph({
          shading: { type: ShadingType.CLEAR, fill: 'FFF4E6', color: 'auto' },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: 'FD7E14', space: 6 } },
          children: [run(b.text, { italics: true, color: '862E00' })],
        }),
      );
    else if (b.kind === 'bullets')
      for (const item of b.items) out.push(new Paragraph({ bullet: { level: 0 }, children: [run(item)] }));
    else if (b.kind === 'kpis') {
      out.push(kpiTable(b.items));
      out.push(new Paragraph({ spacing: { after: 60 }, children: [] }));
    } else if (b.kind === 'table') out.push(...dataTable(b));
    else if (b.kind === 'chart') out.push(chart(b.chart));
    else if (b.kind === 'quotes')
      for (const q of b.items)
        out.push(
          new Paragraph({
            indent: { left: 360 },
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: PALETTE.accent, space: 8 } },
            children: [
              run(`«${q.text}»`, { italics: true }),
              new TextRun({ break: 1 }),
              run(q.by, { size: 16, color: PALETTE.muted }),
            ],
          }),
        );
  }
  return out;
}

function cover(m: ReportModel): Part[] {
  return [
    new Paragraph({
      spacing: { before: 2400 },
      children: [run(m.orgName, { size: 56, bold: true, color: PALETTE.primary })],
    }),
    new Paragraph({ spacing: { before: 200 }, children: [run(m.title, { size: 40, color: PALETTE.ink })] }),
    new Paragraph({
      spacing: { before: 200 },
      children: [run(m.subtitle, { size: 26, color: PALETTE.muted })],
    }),
    new Paragraph({ spacing: { before: 1200 }, children: [run(m.generated, { size: 20 })] }),
    new Paragraph({ children: [run(m.brandNote, { size: 18, color: PALETTE.muted })] }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

/** The .docx file of the report. */
export async function renderDocx(model: ReportModel): Promise<Buffer> {
  const t = reportTexts[model.locale];
  const body: Part[] = [...cover(model)];
  for (const s of model.sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(s.title)] }));
    body.push(...blocks(s.blocks));
  }
  const doc = new Document({
    creator: 'Sarafan',
    title: officeText(`${model.title} — ${model.orgName}`),
    description: officeText(model.subtitle),
    features: { updateFields: false },
    styles: {
      default: {
        document: {
          run: { font: FONT, size: 20 },
          paragraph: { spacing: { after: 100, line: 276, lineRule: LineRuleType.AUTO } },
        },
        heading1: {
          run: { font: FONT, size: 32, bold: true, color: PALETTE.primary },
          paragraph: { spacing: { before: 360, after: 160 }, keepNext: true },
        },
      },
    },
    sections: [
      a4Section({
        header: officeText(`${model.orgName} · ${model.title}`),
        page: t.page,
        of: t.of,
        footerOnTitle: false,
        children: body,
      }),
    ],
  });
  return Packer.toBuffer(doc);
}
