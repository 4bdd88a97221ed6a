// From the facts to the report's sections: what each section says, in the report's language, and — where a module
// has nothing — what is missing. No number here is computed anew: each is a field of a dashboard service's answer.
import { SEGMENTS } from '../../../domain/economics.js';
import { officeText } from '../../../domain/report-masking.js';
import { MIN_EMPLOYEE_GROUP } from '../../analytics/service.js';
import type { AudienceFacts, Breakdown, Part, ReportFacts, Summary } from './facts.js';
import { type Block, type ChartSpec, PALETTE, type ReportModel, type Section } from './model.js';
import { type Formats, formats, type ReportTexts, reportTexts } from './texts.js';

/** `k`: the organisation's minimum group of employee answers, as the employee summary reports it. */
type Ctx = { t: ReportTexts; f: Formats; facts: ReportFacts; k: number };

/** How a section says a part is missing. */
function missingNote(c: Ctx, p: Part<unknown>): Block {
  if (p.ok) throw new Error('not missing');
  if (p.reason === 'forbidden') return { kind: 'note', text: c.t.missing.forbidden };
  if (p.reason === 'not_applicable' && p.detail === 'customer report only')
    return { kind: 'note', text: c.t.missing.customerOnly };
  if (p.detail.includes('no revenue')) return { kind: 'note', text: c.t.missing.noRevenue };
  return { kind: 'note', text: c.t.missing.error(officeText(p.detail)) };
}

/** The note of an analysis that has no figure: no survey, no answers, or withheld. */
function emptyNote(
  c: Ctx,
  empty: { reason: string } | null,
  audience: 'customer' | 'employee',
): Block | null {
  if (!empty) return null;
  const { t, facts } = c;
  if (empty.reason === 'no_surveys')
    return { kind: 'note', text: t.missing.noSurvey(audience === 'customer' ? t.customers : t.employees) };
  if (empty.reason === 'suppressed') return { kind: 'note', text: t.missing.suppressed(c.k) };
  if (empty.reason === 'no_units_visible') return { kind: 'note', text: t.missing.forbidden };
  return {
    kind: 'note',
    text: t.missing.noAnswers(c.f.date(facts.options.from), c.f.date(facts.options.to)),
  };
}

const label = (s: string) => officeText(s) || '—';

function npsCell(c: Ctx, row: { nps: number | null; n: number; hidden?: boolean }): string {
  if (row.hidden) return c.t.hiddenFewer(c.k);
  return c.f.nps(row.nps);
}

/** A value axis around the data (to the nearest 10, with room), within −100…100: a trend is not flattened. */
function axisAround(values: (number | null | undefined)[]): { min: number; max: number } {
  const xs = values.filter((x): x is number => typeof x === 'number');
  if (xs.length === 0) return { min: -100, max: 100 };
  return {
    min: Math.max(-100, Math.floor((Math.min(...xs) - 5) / 10) * 10),
    max: Math.min(100, Math.ceil((Math.max(...xs) + 5) / 10) * 10),
  };
}

// ————— sections —————

function kpisOf(c: Ctx, s: Summary): Block {
  const { t, f } = c;
  const total = s.total;
  const items = [
    {
      label: s.audience === 'employee' ? t.kpi.enps : t.kpi.nps,
      value: f.nps(total.nps),
      sub: `${t.kpi.interval}: ${f.ci(total.ci95)}`,
    },
    { label: t.kpi.answers, value: f.int(total.n) },
  ];
  if (s.responseRate.rate !== null)
    items.push({
      label: t.kpi.responseRate,
      value: f.pct(s.responseRate.rate),
      sub: `${f.int(s.responseRate.answered)} / ${f.int(s.responseRate.sent)}`,
    });
  if (s.changeFromPrevious)
    items.push({
      label: t.kpi.change,
      value: f.nps(s.changeFromPrevious.diff),
      sub: `p = ${f.num1(s.changeFromPrevious.pValue * 100)}%`,
    });
  return { kind: 'kpis', items };
}

function distributionChart(c: Ctx, s: Summary): ChartSpec | null {
  if (!s.distribution || s.total.n === 0) return null;
  const colors = s.distribution.map((_, i) =>
    i >= 9 ? PALETTE.promoter : i >= 7 ? PALETTE.passive : PALETTE.detractor,
  );
  return {
    type: 'bar',
    title: `${c.t.series.answers}: 0–10`,
    categories: s.distribution.map((_, i) => String(i)),
    series: [{ name: c.t.series.answers, values: [...s.distribution], color: PALETTE.primary }],
    pointColors: colors,
    labels: true,
    numberFormat: '#,##0',
  };
}

function npsSection(c: Ctx, a: AudienceFacts): Section {
  const { t, f } = c;
  const blocks: Block[] = [];
  const title = t.sections.nps[a.audience];
  if (!a.summary.ok) return { id: `nps-${a.audience}`, title, blocks: [missingNote(c, a.summary)] };
  const s = a.summary.data;
  const empty = emptyNote(c, s.empty, a.audience);
  if (empty) blocks.push(empty);
  if (!s.total.hidden && s.total.n > 0) {
    blocks.push(kpisOf(c, s));
    const chart = distributionChart(c, s);
    if (chart) blocks.push({ kind: 'chart', chart });
    if (s.shares)
      blocks.push({
        kind: 'bullets',
        items: [
          `${t.kpi.promoters}: ${f.pct(s.shares.promoters)} (${f.int(s.total.promoters)})`,
          `${t.kpi.passives}: ${f.pct(s.shares.passives)} (${f.int(s.total.passives)})`,
          `${t.kpi.detractors}: ${f.pct(s.shares.detractors)} (${f.int(s.total.detractors)})`,
        ],
      });
  }
  return { id: `nps-${a.audience}`, title, blocks };
}

function trendSection(c: Ctx, a: AudienceFacts): Section {
  const { t, f } = c;
  const title = `${t.sections.nps[a.audience]}: ${t.sections.trend.toLowerCase()}`;
  if (!a.trend.ok) return { id: `trend-${a.audience}`, title, blocks: [missingNote(c, a.trend)] };
  const tr = a.trend.data;
  const blocks: Block[] = [];
  const empty = emptyNote(c, tr.empty, a.audience);
  if (empty) return { id: `trend-${a.audience}`, title, blocks: [empty] };
  const withAnswers = tr.buckets.filter((b) => b.nps !== null);
  if (withAnswers.length >= 2) {
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'line',
        title: `${t.series.nps}, 95%`,
        categories: tr.buckets.map((b) => b.key),
        series: [
          { name: t.series.nps, values: tr.buckets.map((b) => b.nps), color: PALETTE.primary },
          {
            name: t.series.low,
            values: tr.buckets.map((b) => b.ci95?.[0] ?? null),
            color: PALETTE.interval,
            dashed: true,
          },
          {
            name: t.series.high,
            values: tr.buckets.map((b) => b.ci95?.[1] ?? null),
            color: PALETTE.interval,
            dashed: true,
          },
        ],
        ...axisAround(tr.buckets.flatMap((b) => [b.nps, b.ci95?.[0], b.ci95?.[1]])),
        numberFormat: '0',
      },
    });
  } else blocks.push({ kind: 'note', text: t.missing.noTrend });
  blocks.push({
    kind: 'table',
    head: [t.head.period, t.head.n, t.head.nps, t.head.ci],
    numeric: [false, true, true, true],
    rows: tr.buckets.map((b) => [
      b.key + (b.partial ? '*' : ''),
      f.int(b.n),
      npsCell(c, b),
      b.hidden ? '—' : f.ci(b.ci95),
    ]),
  });
  return { id: `trend-${a.audience}`, title, blocks };
}

function breakdownBlocks(c: Ctx, p: Part<Breakdown>, audience: 'customer' | 'employee'): Block[] {
  const { t, f } = c;
  if (!p.ok) return [missingNote(c, p)];
  const b = p.data;
  const empty = emptyNote(c, b.empty, audience);
  if (empty && b.empty?.reason !== 'suppressed') return [empty];
  const rows = b.rows.filter((r) => r.n > 0 || r.hidden);
  if (rows.length === 0)
    return [empty ?? { kind: 'note', text: t.missing.noAnswers(f.date(b.from), f.date(b.to)) }];
  const blocks: Block[] = [];
  if (empty) blocks.push(empty);
  const shown = rows.filter((r) => !r.hidden && r.nps !== null);
  if (shown.length > 0) {
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'bar',
        horizontal: true,
        title: t.series.nps,
        categories: shown.map((r) => label(r.label)),
        series: [{ name: t.series.nps, values: shown.map((r) => r.nps), color: PALETTE.primary }],
        pointColors: shown.map((r) =>
          r.mark === 'below' ? PALETTE.detractor : r.mark === 'above' ? PALETTE.promoter : PALETTE.primary,
        ),
        labels: true,
        min: -100,
        max: 100,
        numberFormat: '0',
      },
    });
  }
  blocks.push({
    kind: 'table',
    head: [t.head.group, t.head.n, t.head.nps, t.head.ci, t.head.mark],
    numeric: [false, true, true, true, false],
    rows: rows.map((r) => [
      label(r.label),
      r.hidden ? '—' : f.int(r.n),
      npsCell(c, r),
      r.hidden ? '—' : f.ci(r.ci95),
      r.hidden ? '—' : t.marks[r.mark],
    ]),
  });
  return blocks;
}

function rankingSection(c: Ctx, a: AudienceFacts): Section {
  const { t, f } = c;
  const title = t.sections.ranking;
  if (!a.ranking.ok) return { id: `ranking-${a.audience}`, title, blocks: [missingNote(c, a.ranking)] };
  const r = a.ranking.data;
  const blocks: Block[] = [];
  const empty = emptyNote(c, r.empty, a.audience);
  if (empty) blocks.push(empty);
  if (r.rows.length > 0) {
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'bar',
        horizontal: true,
        title: t.head.fair,
        categories: r.rows.map((x) => label(x.label)),
        series: [
          { name: t.head.fair, values: r.rows.map((x) => x.shrunk), color: PALETTE.primary },
          { name: t.head.raw, values: r.rows.map((x) => x.nps), color: PALETTE.passive },
        ],
        labels: true,
        min: -100,
        max: 100,
        numberFormat: '0',
      },
    });
    blocks.push({
      kind: 'table',
      head: [t.head.rank, t.head.unit, t.head.n, t.head.fair, t.head.ci, t.head.raw, t.head.mark],
      numeric: [true, false, true, true, true, true, false],
      rows: r.rows.map((x) => [
        String(x.rank),
        label(x.label),
        f.int(x.n),
        f.nps(x.shrunk),
        f.ci(x.shrunkCi95),
        f.nps(x.nps),
        t.marks[x.mark],
      ]),
    });
  }
  if (r.tooFew.length > 0)
    blocks.push({
      kind: 'note',
      text:
        t.tooFewRanked(r.minAnswers) +
        r.tooFew.map((x) => (x.n === null ? label(x.label) : `${label(x.label)} (${f.int(x.n)})`)).join(', '),
    });
  if (blocks.length === 0)
    blocks.push({ kind: 'note', text: t.missing.noAnswers(f.date(r.from), f.date(r.to)) });
  return { id: `ranking-${a.audience}`, title, blocks };
}

function otherSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const o = facts.other;
  const title = t.sections.other[o.audience];
  const blocks: Block[] = [];
  if (!o.summary.ok) return { id: 'other', title, blocks: [missingNote(c, o.summary)] };
  const s = o.summary.data;
  const empty = emptyNote(c, s.empty, o.audience);
  if (empty) blocks.push(empty);
  if (!s.total.hidden && s.total.n > 0) blocks.push(kpisOf(c, s));
  if (o.audience === 'employee') blocks.push({ kind: 'text', text: t.method.anonymity(c.k) });
  if (s.total.n > 0 || !o.units.ok) {
    const emptyText = empty?.kind === 'note' ? empty.text : null;
    const more = breakdownBlocks(c, o.units, o.audience).filter(
      (b) => b.kind !== 'note' || b.text !== emptyText,
    );
    blocks.push(...more);
  }
  if (blocks.length === 0)
    blocks.push({ kind: 'note', text: t.missing.noAnswers(f.date(s.from), f.date(s.to)) });
  return { id: 'other', title, blocks };
}

function methodSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const a = facts.main;
  const blocks: Block[] = [];
  if (a.surveys.length > 0)
    blocks.push({
      kind: 'table',
      head: [t.head.survey, t.head.question],
      rows: a.surveys.map((s) => [label(s.name), label(s.question)]),
    });
  else
    blocks.push({
      kind: 'note',
      text: t.missing.noSurvey(a.audience === 'customer' ? t.customers : t.employees),
    });
  const items: string[] = [t.method.scale];
  const s = a.summary.ok ? a.summary.data : null;
  items.push(t.method.period(f.date(facts.options.from), f.date(facts.options.to), facts.org.timeZone));
  if (s) {
    items.push(s.total.hidden ? t.missing.suppressed(c.k) : t.method.sample(f.int(s.total.n)));
    const rr = s.responseRate;
    items.push(
      rr.rate !== null && rr.sent !== null && rr.answered !== null
        ? t.method.responseRate(f.int(rr.answered), f.int(rr.sent), f.pct(rr.rate))
        : t.method.noResponseRate,
    );
    if (s.total.moe !== null) items.push(t.method.moe(f.num1(s.total.moe)));
    items.push(t.method.change(s.test.name));
  }
  if (a.channels.ok && a.channels.data.rows.length > 0)
    items.push(
      `${t.method.channels}: ${a.channels.data.rows.map((r) => `${t.channels[r.key] ?? label(r.label)} — ${f.int(r.n)}`).join(', ')}.`,
    );
  items.push(t.method.interval);
  if (a.units.ok) items.push(t.method.marks(a.units.data.markTest.name));
  if (a.ranking.ok) items.push(t.method.fair(a.ranking.data.method));
  if (a.audience === 'customer') items.push(t.method.bands);
  items.push(t.method.anonymity(c.k), t.method.pseudonymised, t.method.source, t.brandNote);
  blocks.push({ kind: 'bullets', items });
  return { id: 'method', title: t.sections.method, blocks };
}

function benchmarkSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.benchmarks;
  const p = facts.benchmarks;
  if (!p.ok) return { id: 'benchmarks', title, blocks: [missingNote(c, p)] };
  const b = p.data;
  const loc = facts.options.locale;
  const ours = facts.main.summary.ok ? facts.main.summary.data.total : null;
  const refs = [b.reference.average, b.reference.leader].filter((x) => x !== null);
  if (refs.length === 0)
    return { id: 'benchmarks', title, blocks: [{ kind: 'note', text: t.missing.noBenchmark }] };
  const rows = refs.map((r) => [
    label(r.name[loc]),
    f.nps(r.value),
    label(r.source[loc]),
    r.year === null ? '—' : String(r.year),
  ]);
  if (ours && ours.nps !== null)
    rows.unshift([facts.org.name, f.nps(ours.nps), 'Sarafan', facts.options.to.slice(0, 4)]);
  const blocks: Block[] = [];
  if (b.reference.industry) blocks.push({ kind: 'text', text: label(b.reference.industry[loc]) });
  const chartRows = rows.filter((r) => r[1] !== '—');
  blocks.push({
    kind: 'chart',
    chart: {
      type: 'bar',
      horizontal: true,
      title: t.series.nps,
      categories: chartRows.map((r) => r[0]!),
      series: [
        {
          name: t.series.nps,
          values: [...(ours && ours.nps !== null ? [ours.nps] : []), ...refs.map((r) => r.value)],
          color: PALETTE.primary,
        },
      ],
      pointColors: chartRows.map((_, i) =>
        i === 0 && ours?.nps !== null ? PALETTE.accent : PALETTE.passive,
      ),
      labels: true,
      min: -100,
      max: 100,
      numberFormat: '0',
    },
  });
  blocks.push({
    kind: 'table',
    head: [t.head.benchmark, t.head.value, t.head.source, t.head.year],
    rows,
    numeric: [false, true, false, true],
  });
  return { id: 'benchmarks', title, blocks };
}

function themesSection(c: Ctx, a: AudienceFacts): Section[] {
  const { t, f, facts } = c;
  const loc = facts.options.locale;
  const title = t.sections.themes;
  if (!a.themes.ok) return [{ id: 'themes', title, blocks: [missingNote(c, a.themes)] }];
  const th = a.themes.data;
  if (th.hidden)
    return [{ id: 'themes', title, blocks: [{ kind: 'note', text: t.missing.suppressed(th.minGroupSize) }] }];
  const rows = th.themes.filter((x) => !x.hidden && (x.mentions ?? 0) > 0);
  if (th.withText === 0 || rows.length === 0)
    return [{ id: 'themes', title, blocks: [{ kind: 'note', text: t.missing.noThemes }] }];
  const top = [...rows].sort((x, y) => (y.mentions ?? 0) - (x.mentions ?? 0)).slice(0, 12);
  const blocks: Block[] = [
    {
      kind: 'chart',
      chart: {
        type: 'bar',
        horizontal: true,
        title: t.head.mentions,
        stacked: true,
        categories: top.map((x) => label(x.name[loc])),
        series: [
          { name: t.segments.detractor, values: top.map((x) => x.detractors ?? 0), color: PALETTE.detractor },
          { name: t.segments.passive, values: top.map((x) => x.passives ?? 0), color: PALETTE.passive },
          { name: t.segments.promoter, values: top.map((x) => x.promoters ?? 0), color: PALETTE.promoter },
        ],
        numberFormat: '#,##0',
      },
    },
    {
      kind: 'table',
      head: [t.head.theme, t.head.mentions, t.head.share, t.head.driver, t.head.impact],
      numeric: [false, true, true, true, true],
      rows: top.map((x) => [
        label(x.name[loc]),
        f.int(x.mentions),
        f.share(x.share),
        x.driver ? f.num1(x.driver.z) : '—',
        f.num1(x.impact),
      ]),
      caption: th.methods.drivers,
    },
  ];
  const names = new Map(th.themes.map((x) => [x.id, label(x.name[loc])]));
  const quotes: Block =
    a.verbatims.length > 0
      ? {
          kind: 'quotes',
          items: a.verbatims.map((v) => ({
            text: v.text,
            by: `${names.get(v.themeId) ?? ''} · ${v.score}/10 · ${f.date(v.day)}`,
          })),
        }
      : { kind: 'note', text: t.missing.noQuotes };
  return [
    { id: 'themes', title, blocks },
    {
      id: 'quotes',
      title: t.sections.quotes,
      blocks: [quotes, { kind: 'text', text: t.method.pseudonymised }],
    },
  ];
}

function loopSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.loop;
  if (!facts.loop.ok) return { id: 'loop', title, blocks: [missingNote(c, facts.loop)] };
  const m = facts.loop.data.total;
  if (m.cases === 0) return { id: 'loop', title, blocks: [{ kind: 'note', text: t.missing.noCases }] };
  const blocks: Block[] = [
    {
      kind: 'kpis',
      items: [
        { label: t.kpi.cases, value: f.int(m.cases) },
        {
          label: t.kpi.within48h,
          value: f.share(m.contactedWithin48h.share),
          sub: `${f.int(m.contactedWithin48h.count)} / ${f.int(m.contactedWithin48h.n)}`,
        },
        { label: t.kpi.firstContact, value: f.hours(m.timeToFirstContact.medianHours) },
        { label: t.kpi.resolution, value: f.share(m.resolutionRate.share) },
        { label: t.kpi.overdue, value: f.int(facts.loop.data.overdueNow) },
      ],
    },
    { kind: 'text', text: t.loopScope },
  ];
  if (facts.loopByUnit.ok) {
    const rows = facts.loopByUnit.data.rows
      .filter((r) => !facts.subtree || facts.subtree.has(r.key))
      .slice(0, 15);
    if (rows.length > 0)
      blocks.push({
        kind: 'table',
        head: [t.head.unit, t.head.cases, t.head.contacted48, t.head.resolved],
        numeric: [false, true, true, true],
        rows: rows.map((r) => [
          label(r.label ?? '—'),
          f.int(r.cases),
          f.share(r.contactedWithin48h.share),
          f.share(r.resolutionRate.share),
        ]),
      });
  }
  return { id: 'loop', title, blocks };
}

function insufficientText(c: Ctx, why: string | null | undefined): string {
  return c.t.missing.economics(c.t.missing.insufficient[why ?? ''] ?? why ?? '?');
}

function ltvSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.ltv;
  if (!facts.values.ok) return { id: 'ltv', title, blocks: [missingNote(c, facts.values)] };
  const v = facts.values.data;
  const money = formats(facts.options.locale, v.currency).money;
  const blocks: Block[] = [];
  const withLtv = v.segments.filter((s) => s.ltv);
  if (withLtv.length === 0)
    blocks.push({
      kind: 'note',
      text: insufficientText(c, v.segments[0]?.insufficient ?? 'too_few_customers'),
    });
  else
    blocks.push({
      kind: 'chart',
      chart: {
        type: 'bar',
        title: t.series.ltv,
        categories: v.segments.map((s) => t.segments[s.segment]),
        series: [
          {
            name: t.series.ltv,
            values: v.segments.map((s) => (s.ltv ? Math.round(s.ltv.value / 100) : null)),
            color: PALETTE.primary,
          },
        ],
        pointColors: v.segments.map((s) => PALETTE[s.segment]),
        labels: true,
        numberFormat: '#,##0',
      },
    });
  blocks.push({
    kind: 'table',
    head: [
      t.head.segment,
      t.head.customersN,
      t.head.revenuePerYear,
      t.head.retention,
      t.head.lifetime,
      t.head.ltv,
    ],
    numeric: [false, true, true, true, true, true],
    rows: v.segments.map((s) => [
      t.segments[s.segment],
      f.int(s.customers),
      money(s.revenuePerYear?.value),
      f.share(s.retention?.value),
      f.num1(s.expectedLifetimeYears),
      s.ltv
        ? `${money(s.ltv.value)} (${money(s.ltv.ci95[0])} … ${money(s.ltv.ci95[1])})`
        : (t.missing.insufficient[s.insufficient ?? ''] ?? '—'),
    ]),
  });
  const d = v.differences;
  const diffRows = (['promoterVsPassive', 'promoterVsDetractor', 'passiveVsDetractor'] as const).map((k) => [
    t.differences[k],
    d[k].perCustomer
      ? `${money(d[k].perCustomer!.value)} (${money(d[k].perCustomer!.ci95[0])} … ${money(d[k].perCustomer!.ci95[1])})`
      : '—',
  ]);
  diffRows.push(
    [t.atStake.baseValue, money(v.atStake.baseValue)],
    [t.atStake.atStake, money(v.atStake.atStake)],
    [t.atStake.risk, money(v.atStake.detractorRevenueAtRisk)],
    [t.atStake.loss, money(v.atStake.detractorExpectedLoss)],
  );
  blocks.push({
    kind: 'table',
    head: ['', t.head.ltv],
    rows: diffRows,
    numeric: [false, true],
    caption: `${t.ltvFormula}: ${v.formula}`,
  });
  return { id: 'ltv', title, blocks };
}

function basketsSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.baskets;
  if (!facts.baskets.ok) return { id: 'baskets', title, blocks: [missingNote(c, facts.baskets)] };
  const b = facts.baskets.data;
  if (b.insufficient || b.services.length === 0)
    return {
      id: 'baskets',
      title,
      blocks: [{ kind: 'note', text: insufficientText(c, b.insufficient ?? 'no_services') }],
    };
  const top = [...b.services]
    .sort((x, y) => Math.abs(y.promoterMinusDetractor ?? 0) - Math.abs(x.promoterMinusDetractor ?? 0))
    .slice(0, 10);
  const shareOf = (row: (typeof top)[number], s: 'promoter' | 'passive' | 'detractor') =>
    (row.bySegment[s] as { share?: number | null }).share ?? null;
  return {
    id: 'baskets',
    title,
    blocks: [
      {
        kind: 'chart',
        chart: {
          type: 'bar',
          title: t.head.share,
          categories: top.map((r) => label(r.service)),
          series: SEGMENTS.map((s) => ({
            name: t.segments[s],
            values: top.map((r) => {
              const x = shareOf(r, s);
              return x === null ? null : Math.round(1000 * x) / 10;
            }),
            color: PALETTE[s],
          })),
          numberFormat: '0',
        },
      },
      {
        kind: 'table',
        head: [t.head.service, t.segments.promoter, t.segments.passive, t.segments.detractor, t.head.typical],
        numeric: [false, true, true, true, false],
        rows: top.map((r) => [
          label(r.service),
          f.share(shareOf(r, 'promoter')),
          f.share(shareOf(r, 'passive')),
          f.share(shareOf(r, 'detractor')),
          r.typicalOf ? t.segments[r.typicalOf] : '—',
        ]),
        caption: b.test,
      },
    ],
  };
}

function transitionsSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.transitions;
  const blocks: Block[] = [];
  if (!facts.transitions.ok) blocks.push(missingNote(c, facts.transitions));
  else {
    const tr = facts.transitions.data;
    if (tr.insufficient) blocks.push({ kind: 'note', text: insufficientText(c, tr.insufficient) });
    blocks.push({
      kind: 'table',
      head: [`${t.head.from} \\ ${t.head.to}`, t.head.n, ...SEGMENTS.map((s) => t.segments[s])],
      numeric: [false, true, true, true, true],
      rows: tr.matrix.map((r) => [
        t.segments[r.from],
        f.int(r.n),
        ...SEGMENTS.map((s) => f.share(r.to[s]?.p)),
      ]),
    });
    const e = tr.closedLoop;
    if (e.withCase.share !== null && e.withoutCase.share !== null)
      blocks.push({
        kind: 'text',
        text: t.loopEffect(f.share(e.withCase.share), f.share(e.withoutCase.share)),
      });
  }
  if (facts.moveCosts.ok) {
    const m = facts.moveCosts.data;
    const money = formats(facts.options.locale, m.currency).money;
    if (m.cheapest.length > 0)
      blocks.push({
        kind: 'table',
        head: [t.head.from, t.head.to, t.head.costPerMoved, t.head.source],
        numeric: [false, false, true, false],
        rows: m.cheapest.map((x) => [t.segments[x.from], t.segments[x.to], money(x.costPerMoved), x.source]),
      });
  } else blocks.push(missingNote(c, facts.moveCosts));
  const sc = facts.scenarios;
  if (sc.ok) {
    const money = formats(facts.options.locale, sc.data.currency ?? facts.org.currency).money;
    blocks.push({
      kind: 'table',
      head: [t.head.scenario, t.head.moved, t.head.cost, t.head.ltvChange, t.head.roi],
      numeric: [false, true, true, true, true],
      rows: sc.data.results.map((r) => [
        label(r.name),
        f.int(r.moved),
        money(r.cost),
        money(r.ltvChange),
        r.roi === null ? '—' : f.share(r.roi),
      ]),
    });
  } else if (sc.reason === 'not_applicable' && sc.detail === 'no saved scenarios')
    blocks.push({ kind: 'note', text: t.missing.noScenarios });
  else blocks.push(missingNote(c, sc));
  return { id: 'transitions', title, blocks };
}

function forecastSection(c: Ctx): Section {
  const { t, f, facts } = c;
  const title = t.sections.forecast;
  const blocks: Block[] = [];
  if (!facts.forecast.ok) blocks.push(missingNote(c, facts.forecast));
  else {
    const fc = facts.forecast.data;
    if (fc.insufficient || fc.markov.length === 0)
      blocks.push({ kind: 'note', text: insufficientText(c, fc.insufficient ?? 'too_few_transitions') });
    else {
      const cats = [t.head.current, ...fc.markov.map((s) => `+${s.step}`)];
      blocks.push({
        kind: 'chart',
        chart: {
          type: 'line',
          title: `${t.series.nps}, 95%`,
          categories: cats,
          series: [
            {
              name: t.series.nps,
              values: [fc.base.nps, ...fc.markov.map((s) => s.nps)],
              color: PALETTE.primary,
            },
            {
              name: t.series.low,
              values: [fc.base.nps, ...fc.markov.map((s) => s.npsCi95[0])],
              color: PALETTE.interval,
              dashed: true,
            },
            {
              name: t.series.high,
              values: [fc.base.nps, ...fc.markov.map((s) => s.npsCi95[1])],
              color: PALETTE.interval,
              dashed: true,
            },
          ],
          ...axisAround([fc.base.nps, ...fc.markov.flatMap((s) => [s.npsCi95[0], s.npsCi95[1]])]),
          numberFormat: '0',
        },
      });
      blocks.push({ kind: 'text', text: t.forecastNote(t.forecastPeriods[fc.period] ?? fc.period) });
      blocks.push({
        kind: 'table',
        head: [t.head.step, t.head.nps, t.head.ci],
        numeric: [false, true, true],
        rows: fc.markov.map((s) => [`+${s.step}`, f.nps(s.nps), f.ci(s.npsCi95)]),
      });
    }
  }
  if (facts.targets.ok) {
    const tg = facts.targets.data;
    const rows = [tg.company, ...tg.units].map((r) => [
      r.unitId === null ? (facts.unit?.name ?? facts.org.name) : label(r.name ?? '—'),
      f.nps(r.current),
      f.nps(r.reachable),
      f.nps(r.ambitious),
    ]);
    blocks.push({
      kind: 'table',
      head: [t.head.unit, t.head.current, t.head.reachable, t.head.ambitious],
      numeric: [false, true, true, true],
      rows: rows.slice(0, 16),
    });
  } else blocks.push(missingNote(c, facts.targets));
  if (facts.goals.ok) {
    if (facts.goals.data.length === 0) blocks.push({ kind: 'note', text: t.missing.noGoals });
    else
      blocks.push({
        kind: 'table',
        caption: t.goals,
        head: [t.head.goal, t.head.unit, t.head.target, t.head.status],
        numeric: [false, false, true, false],
        rows: facts.goals.data.map((g) => [
          label(g.name),
          label(g.unitName ?? facts.org.name),
          f.num1(g.target),
          t.statuses[g.status],
        ]),
      });
  } else blocks.push(missingNote(c, facts.goals));
  return { id: 'forecast', title, blocks };
}

/** What to do, from the data: the largest drivers, the units significantly below the rest, the loop's speed. */
function recommendations(c: Ctx): string[] {
  const { t, f, facts } = c;
  const loc = facts.options.locale;
  const out: string[] = [];
  const a = facts.main;
  if (a.themes.ok && !a.themes.data.hidden) {
    const drivers = a.themes.data.themes
      .filter((x) => !x.hidden && x.driver?.leaning === 'detractors' && (x.impact ?? 0) > 0)
      .sort((x, y) => (y.impact ?? 0) - (x.impact ?? 0))
      .slice(0, 3);
    for (const d of drivers) out.push(t.rec.driver(label(d.name[loc]), f.num1(d.impact)));
  }
  if (a.ranking.ok)
    for (const r of a.ranking.data.rows
      .filter((x) => x.mark === 'below')
      .slice(-3)
      .reverse())
      out.push(t.rec.unit(label(r.label), f.nps(r.nps)));
  if (facts.loop.ok && facts.loop.data.total.cases > 0) {
    const s = facts.loop.data.total.contactedWithin48h.share;
    if (s !== null && s < 0.8) out.push(t.rec.loop(f.share(s)));
    if (facts.loop.data.overdueNow > 0) out.push(t.rec.overdue(f.int(facts.loop.data.overdueNow)));
  }
  if (facts.values.ok && facts.values.data.atStake.detractorRevenueAtRisk)
    out.push(
      t.rec.risk(
        formats(loc, facts.values.data.currency).money(facts.values.data.atStake.detractorRevenueAtRisk),
      ),
    );
  if (facts.targets.ok && facts.targets.data.company.reachable !== null)
    out.push(t.rec.target(f.nps(facts.targets.data.company.reachable)));
  return out.length > 0 ? out : [t.rec.none];
}

function findings(c: Ctx): string[] {
  const { t, f, facts } = c;
  const loc = facts.options.locale;
  const a = facts.main;
  const out: string[] = [];
  const who = a.audience === 'customer' ? t.customers : t.employees;
  if (a.summary.ok) {
    const s = a.summary.data;
    const empty = emptyNote(c, s.empty, a.audience);
    if (empty && empty.kind === 'note') out.push(empty.text);
    else if (s.total.nps !== null) {
      out.push(
        t.find.nps(
          who,
          f.nps(s.total.nps),
          f.num1(s.total.ci95?.[0]),
          f.num1(s.total.ci95?.[1]),
          f.int(s.total.n),
        ),
      );
      const ch = s.changeFromPrevious;
      if (ch)
        out.push(
          ch.significant
            ? t.find.changeSig(f.nps(ch.diff), f.num1(ch.pValue))
            : t.find.changeNot(f.nps(ch.diff)),
        );
    }
  } else out.push(t.missing.error(a.summary.detail));
  if (a.ranking.ok && a.ranking.data.rows.length >= 2) {
    const rows = a.ranking.data.rows;
    out.push(t.find.best(label(rows[0]!.label), f.nps(rows[0]!.shrunk)));
    out.push(t.find.worst(label(rows.at(-1)!.label), f.nps(rows.at(-1)!.shrunk)));
  }
  if (a.themes.ok && !a.themes.data.hidden) {
    const d = a.themes.data.themes
      .filter((x) => !x.hidden && x.driver?.leaning === 'detractors')
      .sort((x, y) => (y.impact ?? 0) - (x.impact ?? 0))[0];
    if (d) out.push(t.find.driver(label(d.name[loc]), f.num1(d.impact)));
  }
  if (
    facts.benchmarks.ok &&
    facts.benchmarks.data.reference.average &&
    a.summary.ok &&
    a.summary.data.total.nps !== null
  ) {
    const avg = facts.benchmarks.data.reference.average;
    out.push(
      t.find.benchmark(
        f.nps(Math.round((a.summary.data.total.nps - avg.value) * 10) / 10),
        label(avg.name[loc]),
      ),
    );
  }
  if (facts.values.ok && facts.values.data.atStake.atStake)
    out.push(
      t.find.atStake(formats(loc, facts.values.data.currency).money(facts.values.data.atStake.atStake)),
    );
  if (facts.loop.ok && facts.loop.data.total.contactedWithin48h.share !== null)
    out.push(t.find.within48(f.share(facts.loop.data.total.contactedWithin48h.share)));
  const e =
    a.audience === 'employee' ? a.summary : facts.other.audience === 'employee' ? facts.other.summary : null;
  if (e?.ok) {
    if (e.data.total.hidden) out.push(t.find.enpsHidden(c.k));
    else if (e.data.total.nps !== null && a.audience === 'customer')
      out.push(t.find.enps(f.nps(e.data.total.nps), f.int(e.data.total.n)));
  }
  return out;
}

/** The whole report in the options' language. */
export function buildModel(facts: ReportFacts): ReportModel {
  const o = facts.options;
  const t = reportTexts[o.locale];
  const f = formats(o.locale, facts.org.currency);
  const employee = facts.main.audience === 'employee' ? facts.main.summary : facts.other.summary;
  const k = (employee.ok ? employee.data.minGroupSize : null) ?? MIN_EMPLOYEE_GROUP;
  const c: Ctx = { t, f, facts, k };
  const a = facts.main;
  const sections: Section[] = [];
  const summary: Block[] = [];
  if (a.summary.ok && !a.summary.data.total.hidden && a.summary.data.total.n > 0)
    summary.push(kpisOf(c, a.summary.data));
  summary.push({ kind: 'bullets', items: findings(c) });
  sections.push({ id: 'summary', title: t.sections.summary, blocks: summary });
  sections.push(methodSection(c));
  sections.push(npsSection(c, a));
  sections.push(trendSection(c, a));
  sections.push({
    id: `structure-${a.audience}`,
    title: t.sections.structure,
    blocks: breakdownBlocks(c, a.units, a.audience),
  });
  if (a.audience === 'customer') {
    sections.push({
      id: 'revenue',
      title: t.sections.revenue,
      blocks: breakdownBlocks(c, a.revenue, 'customer'),
    });
    sections.push({
      id: 'visits',
      title: t.sections.visits,
      blocks: breakdownBlocks(c, a.visits, 'customer'),
    });
  }
  sections.push(rankingSection(c, a));
  sections.push(otherSection(c));
  if (a.audience === 'customer') sections.push(benchmarkSection(c));
  sections.push(...themesSection(c, a));
  if (a.audience === 'customer') {
    sections.push(loopSection(c));
    sections.push(ltvSection(c));
    sections.push(basketsSection(c));
    sections.push(transitionsSection(c));
    sections.push(forecastSection(c));
  }
  sections.push({
    id: 'recommendations',
    title: t.sections.recommendations,
    blocks: [{ kind: 'bullets', items: recommendations(c) }],
  });
  const scope = facts.unit?.name ?? t.wholeOrg;
  return {
    locale: o.locale,
    title: t.title,
    orgName: facts.org.name || '—',
    subtitle: `${t.audienceTitle[o.audience]} · ${f.date(o.from)} – ${f.date(o.to)} · ${scope}`,
    generated: `${t.generated}: ${facts.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    brandNote: t.brandNote,
    footer: t.footer,
    sections,
  };
}
