// The report as a PowerPoint deck: a title slide, then each section on as many 16:9 slides as its blocks need, with
// native (editable) charts — line for trends, bars for breakdowns and distributions — and tables that page on.
import pptxgen from 'pptxgenjs';
import { officeText } from '../../../domain/report-masking.js';
import { type Block, type ChartSpec, type Kpi, PALETTE, type ReportModel } from './model.js';

const W = 13.333;
const MARGIN = 0.5;
const CONTENT_W = W - 2 * MARGIN;
const TOP = 1.25;
const BOTTOM = 6.85;
const FONT = 'Arial';

// The package's types describe a CommonJS module (the class under `default`); Node loads its ES build, whose default
// export is the class itself.
type PptxClass = typeof pptxgen.default;
const PptxGenJS: PptxClass =
  (pptxgen as unknown as { default?: PptxClass }).default ?? (pptxgen as unknown as PptxClass);
type Pptx = InstanceType<PptxClass>;
type Slide = ReturnType<Pptx['addSlide']>;

/** Characters of 1 inch of text at a font size (Arial, average Latin/Cyrillic). */
const charsPerInch = (pt: number) => 120 / pt;
const linesOf = (text: string, widthIn: number, pt: number) =>
  Math.max(1, Math.ceil((text.length * 1.05) / (widthIn * charsPerInch(pt))));

class Deck {
  readonly pptx: Pptx = new PptxGenJS();
  slide!: Slide;
  y = TOP;
  title = '';
  constructor(readonly model: ReportModel) {
    this.pptx.layout = 'LAYOUT_WIDE';
    this.pptx.author = 'Sarafan';
    // No `company`: pptxgenjs 4.0.1 writes it into docProps/app.xml unescaped, so "<&>" in a name would break the file.
    this.pptx.title = `${model.title} — ${model.orgName}`;
    this.pptx.defineSlideMaster({
      title: 'CONTENT',
      background: { color: 'FFFFFF' },
      objects: [
        { rect: { x: 0, y: 0, w: W, h: 0.12, fill: { color: PALETTE.primary } } },
        { line: { x: MARGIN, y: 1.05, w: CONTENT_W, h: 0, line: { color: PALETTE.accent, width: 1.5 } } },
        {
          text: {
            text: officeText(`${model.orgName} · ${model.title}`),
            options: { x: MARGIN, y: 7.05, w: 9, h: 0.3, fontFace: FONT, fontSize: 9, color: PALETTE.muted },
          },
        },
      ],
      slideNumber: {
        x: W - MARGIN - 0.8,
        y: 7.05,
        w: 0.8,
        h: 0.3,
        fontFace: FONT,
        fontSize: 9,
        color: PALETTE.muted,
        align: 'right',
      },
    });
  }

  newSlide(title: string) {
    this.slide = this.pptx.addSlide({ masterName: 'CONTENT' });
    this.slide.addText(officeText(title), {
      x: MARGIN,
      y: 0.3,
      w: CONTENT_W,
      h: 0.7,
      fontFace: FONT,
      fontSize: 26,
      bold: true,
      color: PALETTE.primary,
      valign: 'middle',
      fit: 'shrink',
    });
    this.y = TOP;
    this.title = title;
  }

  room() {
    return BOTTOM - this.y;
  }

  ensure(h: number, title: string) {
    if (this.y > TOP && this.y + h > BOTTOM) this.newSlide(title);
  }
}

function titleSlide(d: Deck) {
  const m = d.model;
  const s = d.pptx.addSlide();
  s.background = { color: PALETTE.primary };
  s.addShape(d.pptx.ShapeType.rect, { x: 0, y: 5.9, w: W, h: 1.6, fill: { color: PALETTE.accent } });
  s.addText(officeText(m.orgName), {
    x: 0.8,
    y: 1.2,
    w: W - 1.6,
    h: 1.2,
    fontFace: FONT,
    fontSize: 40,
    bold: true,
    color: 'FFFFFF',
    fit: 'shrink',
  });
  s.addText(officeText(m.title), {
    x: 0.8,
    y: 2.5,
    w: W - 1.6,
    h: 0.9,
    fontFace: FONT,
    fontSize: 30,
    color: 'FFFFFF',
  });
  s.addText(officeText(m.subtitle), {
    x: 0.8,
    y: 3.5,
    w: W - 1.6,
    h: 0.8,
    fontFace: FONT,
    fontSize: 18,
    color: 'E6FCF5',
    fit: 'shrink',
  });
  s.addText(officeText(m.generated), {
    x: 0.8,
    y: 6.1,
    w: W - 1.6,
    h: 0.4,
    fontFace: FONT,
    fontSize: 12,
    color: 'FFFFFF',
  });
  s.addText(officeText(m.brandNote), {
    x: 0.8,
    y: 6.55,
    w: W - 1.6,
    h: 0.6,
    fontFace: FONT,
    fontSize: 11,
    color: 'FFFFFF',
    fit: 'shrink',
  });
}

function kpis(d: Deck, items: Kpi[], title: string) {
  const h = 1.35;
  d.ensure(h, title);
  const gap = 0.2;
  const n = Math.max(1, items.length);
  const w = (CONTENT_W - gap * (n - 1)) / n;
  items.forEach((k, i) => {
    const x = MARGIN + i * (w + gap);
    d.slide.addShape(d.pptx.ShapeType.rect, {
      x,
      y: d.y,
      w,
      h,
      fill: { color: PALETTE.light },
      line: { color: PALETTE.light },
    });
    d.slide.addText(officeText(k.label), {
      x: x + 0.1,
      y: d.y + 0.05,
      w: w - 0.2,
      h: 0.35,
      fontFace: FONT,
      fontSize: 12,
      color: PALETTE.muted,
      fit: 'shrink',
    });
    d.slide.addText(officeText(k.value), {
      x: x + 0.1,
      y: d.y + 0.38,
      w: w - 0.2,
      h: 0.6,
      fontFace: FONT,
      fontSize: 28,
      bold: true,
      color: PALETTE.primary,
      fit: 'shrink',
    });
    if (k.sub)
      d.slide.addText(officeText(k.sub), {
        x: x + 0.1,
        y: d.y + 0.96,
        w: w - 0.2,
        h: 0.32,
        fontFace: FONT,
        fontSize: 11,
        color: PALETTE.ink,
        fit: 'shrink',
      });
  });
  d.y += h + 0.2;
}

function paragraph(d: Deck, text: string, title: string, note: boolean, x = MARGIN, w = CONTENT_W) {
  const pt = note ? 14 : 14;
  const lines = linesOf(text, w - 0.3, pt);
  const h = Math.min(BOTTOM - TOP, lines * 0.27 + 0.2);
  d.ensure(h, title);
  if (note)
    d.slide.addShape(d.pptx.ShapeType.rect, {
      x,
      y: d.y,
      w,
      h,
      fill: { color: 'FFF4E6' },
      line: { color: 'FFD8A8' },
    });
  d.slide.addText(officeText(text), {
    x: x + 0.1,
    y: d.y,
    w: w - 0.2,
    h,
    fontFace: FONT,
    fontSize: pt,
    italic: note,
    color: note ? '862E00' : PALETTE.ink,
    valign: 'middle',
    fit: 'shrink',
  });
  d.y += h + 0.15;
}

function bullets(d: Deck, items: string[], title: string, x = MARGIN, w = CONTENT_W) {
  let i = 0;
  while (i < items.length) {
    // As many items as fit on this slide.
    let h = 0.1;
    let j = i;
    while (j < items.length) {
      const add = linesOf(items[j]!, w - 0.5, 16) * 0.3 + 0.1;
      if (h + add > d.room() && j > i) break;
      h += add;
      j++;
    }
    if (h > d.room() && d.y > TOP) {
      d.newSlide(title);
      continue;
    }
    d.slide.addText(
      items
        .slice(i, j)
        .map((text) => ({ text: officeText(text), options: { bullet: { indent: 18 }, paraSpaceAfter: 6 } })),
      {
        x,
        y: d.y,
        w,
        h: Math.min(h, d.room()),
        fontFace: FONT,
        fontSize: 16,
        color: PALETTE.ink,
        valign: 'top',
        fit: 'shrink',
      },
    );
    d.y += h + 0.1;
    i = j;
    if (i < items.length) d.newSlide(title);
  }
}

function quotes(d: Deck, items: { text: string; by: string }[], title: string) {
  for (const q of items) {
    const lines = linesOf(q.text, CONTENT_W - 0.6, 15);
    const h = lines * 0.28 + 0.45;
    d.ensure(h, title);
    d.slide.addShape(d.pptx.ShapeType.rect, {
      x: MARGIN,
      y: d.y,
      w: 0.08,
      h,
      fill: { color: PALETTE.accent },
      line: { color: PALETTE.accent },
    });
    d.slide.addText(
      [
        {
          text: `«${officeText(q.text)}»`,
          options: { fontSize: 15, italic: true, color: PALETTE.ink, breakLine: true },
        },
        { text: officeText(q.by), options: { fontSize: 11, color: PALETTE.muted } },
      ],
      { x: MARGIN + 0.25, y: d.y, w: CONTENT_W - 0.3, h, fontFace: FONT, valign: 'middle', fit: 'shrink' },
    );
    d.y += h + 0.12;
  }
}

const ROW_PT = 11;
function rowHeight(cells: string[], widths: number[]) {
  const lines = Math.max(...cells.map((c, i) => linesOf(c, (widths[i] ?? 1) - 0.1, ROW_PT)));
  return 0.1 + 0.2 * lines;
}

function columnWidths(head: string[], rows: string[][], width: number): number[] {
  const weight = head.map((h, i) => {
    const longest = Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length));
    return Math.min(40, Math.max(5, longest));
  });
  const sum = weight.reduce((a, b) => a + b, 0);
  return weight.map((x) => (width * x) / sum);
}

/** Draws a table from the current position, paging on; beside a chart (`x` ≠ margin) it stops at the slide's end
 * and returns how many rows it placed. */
function table(
  d: Deck,
  b: Extract<Block, { kind: 'table' }>,
  title: string,
  x = MARGIN,
  w = CONTENT_W,
): number {
  const side = x !== MARGIN;
  const widths = columnWidths(b.head, b.rows, w);
  const headH = rowHeight(b.head, widths);
  const cell = (text: string, col: number, header: boolean) => ({
    text: officeText(text),
    options: {
      bold: header,
      color: header ? 'FFFFFF' : PALETTE.ink,
      fill: { color: header ? PALETTE.primary : 'FFFFFF' },
      align: (b.numeric?.[col] ? 'right' : 'left') as 'right' | 'left',
    },
  });
  let i = 0;
  do {
    if (d.room() < headH + 0.3) {
      if (side) return i;
      d.newSlide(title);
    }
    let h = headH;
    let j = i;
    while (j < b.rows.length) {
      const rh = rowHeight(b.rows[j]!, widths);
      if (h + rh > d.room() && (j > i || d.y > TOP || side)) break;
      h += rh;
      j++;
    }
    if (j === i && b.rows.length > 0) {
      if (side) return i;
      d.newSlide(title);
      continue;
    }
    const rows = [
      b.head.map((c, k) => cell(c, k, true)),
      ...b.rows.slice(i, j).map((r) => r.map((c, k) => cell(c, k, false))),
    ];
    d.slide.addTable(rows, {
      x,
      y: d.y,
      w,
      colW: widths,
      fontFace: FONT,
      fontSize: ROW_PT,
      border: { type: 'solid', pt: 0.5, color: 'DEE2E6' },
      margin: 0.04,
      valign: 'middle',
    });
    d.y += h + 0.15;
    i = j;
    if (i < b.rows.length) {
      if (side) return i;
      d.newSlide(title);
    }
  } while (i < b.rows.length);
  if (b.caption && !side) paragraph(d, b.caption, title, false);
  return i;
}

function chart(d: Deck, c: ChartSpec, x: number, y: number, w: number, h: number) {
  const P = d.pptx;
  const data = c.series.map((s) => ({
    name: officeText(s.name),
    labels: c.categories.map((l) => officeText(l)),
    values: s.values.map((v) => (v === null ? (undefined as unknown as number) : v)),
  }));
  const common = {
    x,
    y,
    w,
    h,
    fontFace: FONT,
    showTitle: true,
    title: officeText(c.title),
    titleFontSize: 12,
    titleColor: PALETTE.ink,
    showLegend: c.series.length > 1,
    legendPos: 'b' as const,
    legendFontSize: 10,
    catAxisLabelFontSize: 10,
    valAxisLabelFontSize: 10,
    valAxisLabelFormatCode: c.numberFormat ?? 'General',
    ...(c.min !== undefined && { valAxisMinVal: c.min }),
    ...(c.max !== undefined && { valAxisMaxVal: c.max }),
    valGridLine: { color: 'E9ECEF', size: 0.5 },
    // A week without answers is a gap in the line, not a line drawn across it.
    displayBlanksAs: 'gap',
  };
  if (c.type === 'line') {
    const [main, ...bounds] = c.series;
    if (bounds.length > 0 && main) {
      d.slide.addChart(
        [
          {
            type: P.ChartType.line,
            data: [data[0]!],
            options: {
              chartColors: [main.color],
              lineSize: 3,
              lineDataSymbol: 'circle',
              lineDataSymbolSize: 7,
            },
          },
          {
            type: P.ChartType.line,
            data: data.slice(1),
            options: {
              chartColors: bounds.map((s) => s.color),
              lineSize: 1.5,
              lineDash: 'dash',
              lineDataSymbol: 'none',
            },
          },
        ] as never,
        // A combined chart's options come second (the types know only the one-type form).
        { ...common, showLegend: true } as never,
      );
    } else {
      d.slide.addChart(P.ChartType.line, data, {
        ...common,
        chartColors: c.series.map((s) => s.color),
        lineSize: 3,
      });
    }
    return;
  }
  const pointColors = c.pointColors && c.series.length === 1;
  d.slide.addChart(P.ChartType.bar, data, {
    ...common,
    barDir: c.horizontal ? 'bar' : 'col',
    barGrouping: c.stacked ? 'stacked' : 'clustered',
    ...(c.stacked && { barOverlap: 100 }),
    chartColors: pointColors ? c.pointColors! : c.series.map((s) => s.color),
    showValue: (c.labels ?? false) && !c.stacked,
    dataLabelFontSize: 9,
    dataLabelFormatCode: c.numberFormat ?? 'General',
    // Horizontal bars: the first category on top, as a table reads.
    ...(c.horizontal && { catAxisOrientation: 'maxMin' as never, valAxisLabelPos: 'low' as never }),
    ...(pointColors && { invertedColors: c.pointColors }),
  });
}

function chartHeight(c: ChartSpec) {
  return c.horizontal
    ? Math.min(5.4, Math.max(2.6, 0.9 + 0.38 * c.categories.length * Math.max(1, c.series.length * 0.7)))
    : 4.4;
}

function section(d: Deck, title: string, blocks: Block[]) {
  d.newSlide(title);
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind === 'chart') {
      const next = blocks[i + 1];
      const h = chartHeight(b.chart);
      if (next?.kind === 'bullets' || next?.kind === 'text') {
        // Chart on the left, its words on the right.
        d.ensure(Math.min(h, 3.4), title);
        const y0 = d.y;
        const hh = Math.min(h, d.room());
        chart(d, b.chart, MARGIN, y0, 7.6, hh);
        const items = next.kind === 'bullets' ? next.items : [next.text];
        d.slide.addText(
          items.map((text) => ({
            text: officeText(text),
            options: { ...(next.kind === 'bullets' && { bullet: { indent: 18 } }), paraSpaceAfter: 8 },
          })),
          {
            x: MARGIN + 7.9,
            y: y0 + 0.3,
            w: CONTENT_W - 7.9,
            h: hh - 0.4,
            fontFace: FONT,
            fontSize: 16,
            color: PALETTE.ink,
            valign: 'top',
            fit: 'shrink',
          },
        );
        d.y = y0 + hh + 0.15;
        i++;
        continue;
      }
      if (next?.kind === 'table' && next.head.length <= 5) {
        // Chart on the left, its table on the right; the rows that do not fit go on.
        const ch = Math.min(h, BOTTOM - TOP);
        d.ensure(Math.min(ch, 3.2), title);
        const y0 = d.y;
        const chartW = 6.4;
        chart(d, b.chart, MARGIN, y0, chartW, Math.min(ch, d.room()));
        const tx = MARGIN + chartW + 0.3;
        const done = table(d, next, title, tx, CONTENT_W - chartW - 0.3);
        const tableBottom = d.y;
        d.y = Math.max(y0 + Math.min(ch, BOTTOM - y0) + 0.15, tableBottom);
        if (done < next.rows.length) {
          d.newSlide(title);
          table(d, { ...next, rows: next.rows.slice(done) }, title);
        } else if (next.caption) paragraph(d, next.caption, title, false);
        i++;
        continue;
      }
      d.ensure(Math.min(h, 3), title);
      const hh = Math.min(h, d.room());
      chart(d, b.chart, MARGIN, d.y, CONTENT_W, hh);
      d.y += hh + 0.15;
    } else if (b.kind === 'kpis') kpis(d, b.items, title);
    else if (b.kind === 'text') paragraph(d, b.text, title, false);
    else if (b.kind === 'note') paragraph(d, b.text, title, true);
    else if (b.kind === 'bullets') bullets(d, b.items, title);
    else if (b.kind === 'table') table(d, b, title);
    else if (b.kind === 'quotes') quotes(d, b.items, title);
  }
}

/** The .pptx file of the report. */
export async function renderPptx(model: ReportModel): Promise<Buffer> {
  const d = new Deck(model);
  titleSlide(d);
  for (const s of model.sections) section(d, s.title, s.blocks);
  const out = await d.pptx.write({ outputType: 'nodebuffer' });
  return out as Buffer;
}
