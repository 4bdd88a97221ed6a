// The analytical report (PowerPoint and Word) on a real database: every key number in the files equals what the
// dashboard's API answers for the same filters; quotes are pseudonymised; employee groups under the minimum say so.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisDocx, analysisPptx } from '../src/modules/reports/analysis/index.js';
import { PALETTE } from '../src/modules/reports/analysis/model.js';
import type { ReportOptions } from '../src/modules/reports/kinds.js';
import { type AnalyticsWorld, seedAnalytics } from './analytics-seed.js';
import {
  addAnswers,
  convertWithLibreOffice,
  type OfficeContent,
  pixelsNear,
  readDocx,
  readPptx,
} from './reports-analysis-files.js';
import { buildOrg, expectJson, startWorld, type TestOrg, type World } from './support/world.js';

let world: World;
let org: TestOrg;
let u: AnalyticsWorld['u'];
let seed: AnalyticsWorld;

// biome-ignore lint/suspicious/noControlCharactersInRegex: what XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/;
const SECRET_EMAIL = 'ivan.petrov@example.ru';
const SECRET_PHONE = '+7 916 123-45-67';
const SECRET_CARD = '4276 1234 5678 9014';

beforeAll(async () => {
  world = await startWorld({ start: new Date('2026-09-10T10:00:00Z') });
  seed = await seedAnalytics(world);
  ({ org, u } = seed);
  // October: complaints about waiting with personal data inside the words, and employees of Tverskaya (6: shown)
  // beside Arbat's three (hidden).
  world.now = new Date('2026-10-21T10:00:00Z');
  await addAnswers(world, org, seed.customerSurvey, 'customer', u.b, [
    { score: 4, reason: 'Очередь в раздевалку, ждали двадцать минут' },
    { score: 10, reason: 'Быстро и без очереди, спасибо' },
  ]);
  // The newest complaints of the theme (a theme is quoted by its newest answers) carry the personal data.
  world.now = new Date('2026-10-22T10:00:00Z');
  await addAnswers(world, org, seed.customerSurvey, 'customer', u.b, [
    { score: 2, reason: `Очень долго ждал в очереди, пишите на ${SECRET_EMAIL} или звоните ${SECRET_PHONE}` },
    { score: 3, reason: `Долго ждать на ресепшене, списали дважды с карты ${SECRET_CARD}` },
  ]);
  await addAnswers(world, org, seed.employeeSurvey, 'employee', u.b, [
    { score: 9, reason: null },
    { score: 10, reason: null },
    { score: 6, reason: null },
    { score: 8, reason: null },
    { score: 9, reason: null },
    { score: 3, reason: null },
  ]);
  world.now = new Date('2026-11-20T10:00:00Z');
  // The themes sweep tags the reasons.
  await world.runtime.worker.runDue(world.now);
  world.advance(5_000);
  await world.runtime.worker.runDue(world.now);
}, 300_000);

afterAll(() => world?.close());

const options = (over: Partial<ReportOptions> = {}): ReportOptions => ({
  locale: 'ru',
  audience: 'customer',
  from: '2026-09-01',
  to: '2026-10-31',
  unitId: null,
  ...over,
});

async function build(o: ReportOptions) {
  const ctx = { ...world.contextFor(org.orgId) };
  const shares: number[] = [];
  const pptx = await analysisPptx(ctx, o, (s) => shares.push(s));
  const docx = await analysisDocx(ctx, o, () => {});
  if (process.env.REPORT_DUMP) {
    writeFileSync(join(process.env.REPORT_DUMP, pptx.filename), pptx.body);
    writeFileSync(join(process.env.REPORT_DUMP, docx.filename), docx.body);
  }
  return { pptx, docx, shares, slides: await readPptx(pptx.body), doc: await readDocx(docx.body) };
}

const ruNps = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1).replace('.', ',')}`;
const ruNum = (x: number) => `${x < 0 ? '−' : ''}${Math.abs(x).toFixed(1).replace('.', ',')}`;
const enNps = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}`;
const ruInt = (x: number) => new Intl.NumberFormat('ru-RU').format(x);

/** The chart whose (first) series has exactly these categories. */
function chartWith(content: OfficeContent, categories: string[]) {
  return content.charts.find((c) => JSON.stringify(c.series[0]?.categories) === JSON.stringify(categories));
}

describe('the analytical report', () => {
  it('carries the dashboard’s NPS, n, interval, per-branch NPS and eNPS suppression in both files (ru, a region)', async () => {
    const period = 'from=2026-09-01&to=2026-10-31';
    const q = `${period}&unitId=${u.north}`;
    const summary = await expectJson(org.api('GET', `/api/v1/analytics/customers/summary?${q}`), 200);
    const branches = await expectJson(
      org.api('GET', `/api/v1/analytics/customers/breakdown?${q}&by=unit&parentId=${u.north}`),
      200,
    );
    const ranking = await expectJson(
      org.api('GET', `/api/v1/analytics/customers/ranking?${q}&of=unit&level=branch`),
      200,
    );
    const enps = await expectJson(org.api('GET', `/api/v1/analytics/employees/summary?${q}`), 200);
    const enpsUnits = await expectJson(
      org.api('GET', `/api/v1/analytics/employees/breakdown?${q}&by=unit&parentId=${u.north}`),
      200,
    );
    // The world as built: 164 customer answers; Arbat's 3 eNPS answers are too few to show.
    expect(summary.total.n).toBe(164);
    expect(enpsUnits.rows.find((r: { key: string }) => r.key === u.a)).toMatchObject({
      hidden: true,
      nps: null,
    });
    const k = enps.minGroupSize;

    const { pptx, docx, shares, slides, doc } = await build(options({ unitId: u.north }));
    expect(pptx.mime).toMatch(/presentationml/);
    expect(docx.mime).toMatch(/wordprocessingml/);
    expect(shares.at(-1)).toBe(1);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));

    for (const content of [slides, doc]) {
      const text = content.text;
      expect(text).toContain('Аналитический отчёт NPS');
      expect(text).toContain('Север');
      // The period's NPS with its interval and n, as the summary endpoint gives them.
      expect(text).toContain(ruNps(summary.total.nps));
      expect(text).toContain(`${ruNum(summary.total.ci95[0])} … ${ruNum(summary.total.ci95[1])}`);
      expect(text).toContain(`Выборка: ${ruInt(summary.total.n)} ответов`);
      // Per branch: the breakdown chart's categories and values are the endpoint's rows.
      const shown = branches.rows.filter((r: { nps: number | null }) => r.nps !== null);
      const chart = chartWith(
        content,
        shown.map((r: { label: string }) => r.label),
      );
      expect(chart, 'a chart of the branches').toBeDefined();
      expect(chart!.series[0]!.values).toEqual(shown.map((r: { nps: number }) => r.nps));
      for (const r of shown) expect(text).toContain(ruNps(r.nps));
      // The fair ranking: shrunk NPS per branch, in rank order.
      const labels = JSON.stringify(ranking.rows.map((r: { label: string }) => r.label));
      const fair = content.charts.find(
        (c) => c.series.length === 2 && JSON.stringify(c.series[0]!.categories) === labels,
      );
      expect(fair, 'the fair ranking chart').toBeDefined();
      expect(fair!.series[0]!.values).toEqual(ranking.rows.map((r: { shrunk: number }) => r.shrunk));
      expect(fair!.series[1]!.values).toEqual(ranking.rows.map((r: { nps: number }) => r.nps));
      // eNPS on its own: the total as the endpoint shows it, each withheld group withheld in words.
      expect(enps.total.n).toBe(9);
      expect(text).toContain(ruNps(enps.total.nps));
      for (const r of enpsUnits.rows) {
        const said = r.hidden ? `скрыто: меньше ${k} ответов` : ruNps(r.nps);
        expect(text).toContain(said);
      }
    }
    const trend = await expectJson(org.api('GET', `/api/v1/analytics/customers/trend?${q}&grain=week`), 200);
    for (const content of [slides, doc]) {
      const line = content.charts.find(
        (c) => c.series.length === 3 && c.series[0]!.categories.length === trend.buckets.length,
      );
      expect(line, 'the trend chart').toBeDefined();
      expect(line!.series[0]!.values).toEqual(trend.buckets.map((b: { nps: number | null }) => b.nps));
      expect(line!.series[1]!.values).toEqual(
        trend.buckets.map((b: { ci95: number[] | null }) => b.ci95?.[0] ?? null),
      );
    }
    // Charts are native: chart parts in both packages.
    expect(slides.charts.length).toBeGreaterThanOrEqual(5);
    expect(doc.charts.length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('quotes what customers said with e-mails, phones and card numbers masked', async () => {
    const { slides, doc } = await build(options({ locale: 'en' }));
    for (const content of [slides, doc]) {
      expect(content.text).toContain('Themes and drivers');
      expect(content.text).toContain('In their own words');
      expect(content.text).toMatch(/\[e-mail\]/);
      expect(content.text).toMatch(/\[phone\]/);
      expect(content.text).toMatch(/\[card\]/);
      expect(content.text).not.toContain(SECRET_EMAIL);
      expect(content.text).not.toContain('916 123');
      expect(content.text).not.toContain('5678 9012');
      const summary = await expectJson(
        org.api('GET', '/api/v1/analytics/customers/summary?from=2026-09-01&to=2026-10-31'),
        200,
      );
      expect(content.text).toContain(enNps(summary.total.nps));
    }
  }, 120_000);
});

describe('the report as LibreOffice opens it', () => {
  it('converts both files to PDF with the title, the sections in Russian and charts drawn on the pages', async () => {
    const { pptx, docx, slides } = await build(options());
    const converted = await convertWithLibreOffice([
      { name: 'report.pptx', body: pptx.body },
      { name: 'report-doc.docx', body: docx.body },
    ]);
    for (const name of ['report.pptx', 'report-doc.docx']) {
      const file = converted.get(name)!;
      const text = file.pages.join('\n');
      for (const words of [
        'Аналитический отчёт NPS',
        'Главные выводы',
        'Методология',
        'NPS клиентов',
        'Разрез по структуре',
        'Честный рейтинг подразделений',
        'Темы и драйверы',
        'Рекомендации',
      ])
        expect(text, `${name}: ${words}`).toContain(words);
      expect(file.pictures.length).toBe(file.pages.length);
    }
    // The deck: the trend slide shows its dashed 95% bounds and the distribution slide its red detractor bars; the
    // methodology slide, which has no chart, has neither colour.
    const deck = converted.get('report.pptx')!;
    expect(deck.pages.length).toBe(slides.pages.length);
    const slideOf = (words: string) => slides.pages.findIndex((p) => p.includes(words));
    const trendSlide = slides.chartSlides.find((n) =>
      slides.pages[n - 1]!.includes('динамика с 95% интервалами'),
    )!;
    const distribution = slides.chartSlides.find(
      (n) => slides.pages[n - 1]!.includes('NPS клиентов') && !slides.pages[n - 1]!.includes('динамика'),
    )!;
    expect(trendSlide).toBeGreaterThan(0);
    expect(pixelsNear(deck.pictures[trendSlide - 1]!, PALETTE.interval, 30)).toBeGreaterThan(30);
    expect(pixelsNear(deck.pictures[distribution - 1]!, PALETTE.detractor, 30)).toBeGreaterThan(50);
    const method = slideOf('Методология');
    expect(slides.chartSlides).not.toContain(method + 1);
    expect(pixelsNear(deck.pictures[method]!, PALETTE.interval, 30)).toBe(0);
    expect(pixelsNear(deck.pictures[method]!, PALETTE.detractor, 30)).toBe(0);
    // The document: its charts are drawn somewhere after the cover, which has none.
    const doc = converted.get('report-doc.docx')!;
    const blue = doc.pictures.map((p) => pixelsNear(p, PALETTE.interval, 30));
    const red = doc.pictures.map((p) => pixelsNear(p, PALETTE.detractor, 30));
    expect(blue[0]).toBe(0);
    expect(Math.max(...blue)).toBeGreaterThan(30);
    expect(Math.max(...red)).toBeGreaterThan(50);
  }, 300_000);
});

describe('bad input', () => {
  it('a period without answers, an employee group under the minimum and names with control characters: files that open and say what is missing', async () => {
    const odd = await buildOrg(world, 'Ромашка\u0001\u0008 <&> \u001F"Ltd"\uFFFE');
    const unit = (
      await expectJson(
        odd.api('POST', '/api/v1/units', { name: 'Филиал\u0007\u000B Север', kind: 'branch' }),
        201,
      )
    ).id as string;
    const customers = (
      await expectJson(
        odd.api('POST', '/api/v1/surveys', {
          name: 'Визит\u0002',
          audience: 'customer',
          kind: 'transactional',
        }),
        201,
      )
    ).id as string;
    const staff = (
      await expectJson(
        odd.api('POST', '/api/v1/surveys', { name: 'eNPS', audience: 'employee', kind: 'relationship' }),
        201,
      )
    ).id as string;
    expect(customers).toBeTruthy();
    world.now = new Date('2026-10-10T10:00:00Z');
    await addAnswers(world, odd, staff, 'employee', unit, [
      { score: 9, reason: 'Хорошая команда' },
      { score: 3, reason: 'Мало платят' },
    ]);
    world.now = new Date('2026-11-20T10:00:00Z');
    const ctx = world.contextFor(odd.orgId);
    const files = [];
    for (const o of [
      options({ locale: 'en', audience: 'customer', from: '2025-01-01', to: '2025-03-31' }),
      options({ locale: 'ru', audience: 'employee', unitId: unit }),
    ]) {
      const pptx = await analysisPptx(ctx, o, () => {});
      const docx = await analysisDocx(ctx, o, () => {});
      for (const f of [pptx, docx]) {
        const content = f.mime.includes('presentation') ? await readPptx(f.body) : await readDocx(f.body);
        // No character XML forbids reached the file, and the names are there without them.
        const zip = await JSZip.loadAsync(f.body);
        for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xml'))) {
          expect(await zip.file(name)!.async('string')).not.toMatch(FORBIDDEN);
        }
        expect(content.text).toContain('Ромашка <&> "Ltd"');
        files.push({
          name: `${o.locale}-${o.audience}-${f.filename.slice(-4)}.${f.filename.split('.').pop()}`,
          body: f.body,
          o,
          content,
        });
      }
    }
    const en = files[0]!.content.text;
    expect(en).toContain('No answers between 01/01/2025 and 31/03/2025');
    expect(en).toContain('No case was opened in this period.');
    const ru = files[2]!.content.text;
    expect(ru).toContain('Филиал Север');
    expect(ru).toMatch(/Скрыто: меньше \d+ ответов/);
    expect(ru).not.toContain('Хорошая команда');
    if (process.env.REPORT_DUMP)
      for (const f of files) writeFileSync(join(process.env.REPORT_DUMP, f.name), f.body);
    const converted = await convertWithLibreOffice(files.map((f) => ({ name: f.name, body: f.body })));
    for (const f of files) {
      const pdf = converted.get(f.name)!;
      expect(pdf.pages.length, f.name).toBeGreaterThan(1);
      const text = pdf.pages.join('\n');
      expect(text, f.name).toContain('Ромашка');
      expect(text, f.name).toContain(f.o.locale === 'en' ? 'Key findings' : 'Главные выводы');
      if (f.o.locale === 'en') expect(text.replace(/\s+/g, ' '), f.name).toContain('No answers between');
      else expect(text.replace(/\s+/g, ' '), f.name).toContain('Скрыто: меньше');
    }
  }, 300_000);
});
