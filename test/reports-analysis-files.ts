// Reading generated Office files as a person's software would: the texts and native charts inside a .pptx or .docx
// (their XML, through jszip), and LibreOffice headless turning them into PDF text and page pictures.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { inArray } from 'drizzle-orm';
import JSZip from 'jszip';
import { expect } from 'vitest';
import { tables } from '../src/db/index.js';
import { localDay } from '../src/domain/period.js';
import { writeBatch } from '../src/modules/answers/index.js';
import { expectJson, type TestOrg, type World } from './support/world.js';

const run = promisify(execFile);

export interface ChartData {
  part: string;
  title: string;
  series: { name: string; categories: string[]; values: (number | null)[] }[];
}

export interface OfficeContent {
  /** The text of each slide (pptx) or of the whole body (docx), runs joined. */
  pages: string[];
  text: string;
  charts: ChartData[];
  /** pptx: the slide numbers (from 1) that hold a chart. */
  chartSlides: number[];
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');

const all = (xml: string, re: RegExp) => [...xml.matchAll(re)].map((m) => decode(m[1] ?? ''));

function chartOf(part: string, xml: string): ChartData {
  const titleXml = /<c:title>([\s\S]*?)<\/c:title>/.exec(xml)?.[1] ?? '';
  const title = all(titleXml, /<a:t>([\s\S]*?)<\/a:t>/g).join('');
  const series = [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((m) => {
    const ser = m[1]!;
    const tx = /<c:tx>([\s\S]*?)<\/c:tx>/.exec(ser)?.[1] ?? '';
    const cat = /<c:cat>([\s\S]*?)<\/c:cat>/.exec(ser)?.[1] ?? '';
    const val = /<c:val>([\s\S]*?)<\/c:val>/.exec(ser)?.[1] ?? '';
    const points = (x: string) =>
      [...x.matchAll(/<c:pt idx="(\d+)"[^>]*>\s*<c:v>([\s\S]*?)<\/c:v>/g)].map((p) => ({
        idx: Number(p[1]),
        v: decode(p[2]!),
      }));
    const count = Number(/<c:ptCount val="(\d+)"/.exec(val)?.[1] ?? 0);
    const values: (number | null)[] = Array.from({ length: count }, () => null);
    for (const p of points(val)) values[p.idx] = p.v === '' ? null : Number(p.v);
    return {
      name: all(tx, /<c:v>([\s\S]*?)<\/c:v>/g)[0] ?? '',
      categories: points(cat).map((p) => p.v),
      values,
    };
  });
  return { part, title, series };
}

export async function readPptx(body: Buffer): Promise<OfficeContent> {
  const zip = await JSZip.loadAsync(body);
  const slideNames = Object.keys(zip.files)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml/.exec(a)![1]) - Number(/(\d+)\.xml/.exec(b)![1]));
  const pages: string[] = [];
  const chartSlides: number[] = [];
  for (const [i, name] of slideNames.entries()) {
    const xml = await zip.file(name)!.async('string');
    pages.push(all(xml, /<a:t>([\s\S]*?)<\/a:t>/g).join(' '));
    const rels = await zip
      .file(name.replace('slides/', 'slides/_rels/').replace('.xml', '.xml.rels'))
      ?.async('string');
    if (rels?.includes('/chart')) chartSlides.push(i + 1);
  }
  const charts: ChartData[] = [];
  for (const name of Object.keys(zip.files).filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n))) {
    charts.push(chartOf(name, await zip.file(name)!.async('string')));
  }
  return { pages, text: pages.join('\n'), charts, chartSlides };
}

export async function readDocx(body: Buffer): Promise<OfficeContent> {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')!.async('string');
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) =>
    all(m[0], /<w:t(?: [^>]*)?>([\s\S]*?)<\/w:t>/g).join(''),
  );
  const charts: ChartData[] = [];
  for (const name of Object.keys(zip.files).filter((n) => /^word\/charts\/chart\d*\.xml$/.test(n))) {
    charts.push(chartOf(name, await zip.file(name)!.async('string')));
  }
  return { pages: paragraphs, text: paragraphs.join('\n'), charts, chartSlides: [] };
}

export interface Converted {
  pdf: string;
  /** pdftotext of each page. */
  pages: string[];
  /** Page pictures as PPM (P6) files at 50 dpi, one per page. */
  pictures: string[];
}

/** Converts the files with one LibreOffice run (a private profile), then to text and pictures per page. */
export async function convertWithLibreOffice(
  files: { name: string; body: Buffer }[],
): Promise<Map<string, Converted>> {
  const dir = mkdtempSync(join(tmpdir(), 'lo-report-'));
  const profile = mkdtempSync(join(tmpdir(), 'lo-profile-'));
  try {
    const paths = files.map((f) => {
      const p = join(dir, f.name);
      writeFileSync(p, f.body);
      return p;
    });
    await run(
      'libreoffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        ...paths,
      ],
      { timeout: 240_000 },
    );
    const out = new Map<string, Converted>();
    for (const f of files) {
      const stem = basename(f.name).replace(/\.[^.]+$/, '');
      const pdf = join(dir, `${stem}.pdf`);
      const { stdout: info } = await run('pdfinfo', [pdf]);
      const count = Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
      const pages: string[] = [];
      for (let p = 1; p <= count; p++) {
        const { stdout } = await run('pdftotext', ['-layout', '-f', String(p), '-l', String(p), pdf, '-']);
        pages.push(stdout);
      }
      await run('pdftoppm', ['-r', '50', pdf, join(dir, stem)]);
      const pictures = readdirSync(dir)
        .filter((n) => n.startsWith(`${stem}-`) && n.endsWith('.ppm'))
        .sort()
        .map((n) => join(dir, n));
      out.set(f.name, { pdf, pages, pictures });
    }
    return out;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** How many pixels of a PPM picture are within `tolerance` of a colour (per channel). */
export function pixelsNear(ppmPath: string, hex: string, tolerance = 40): number {
  const buf = readFileSync(ppmPath);
  // P6\n<w> <h>\n<max>\n<data>
  let pos = 0;
  const fields: string[] = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[pos]!))) pos++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(buf[pos]!))) token += String.fromCharCode(buf[pos++]!);
    fields.push(token);
  }
  pos++;
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
  let n = 0;
  for (let i = pos; i + 2 < buf.length; i += 3) {
    if (
      Math.abs(buf[i]! - r) <= tolerance &&
      Math.abs(buf[i + 1]! - g) <= tolerance &&
      Math.abs(buf[i + 2]! - b) <= tolerance
    )
      n++;
  }
  return n;
}

/** Answers of customers (new ones, one visit each) or employees, at the world's time, with reasons. */
export async function addAnswers(
  w: World,
  o: TestOrg,
  surveyId: string,
  audience: 'customer' | 'employee',
  unitId: string,
  answers: { score: number; reason: string | null }[],
) {
  let invitations: { id: string }[];
  if (audience === 'customer') {
    const { items: customers } = await expectJson(
      o.api('POST', '/api/v1/customers/batch', {
        items: answers.map(() => ({ externalId: `x${Math.random().toString(36).slice(2)}` })),
      }),
      200,
    );
    const { items: contacts } = await expectJson(
      o.api('POST', '/api/v1/contacts/batch', {
        items: customers.map((c: { id: string }) => ({
          customerId: c.id,
          unitId,
          service: 'Фитнес',
          amountMinor: 150_000,
          occurredAt: new Date(w.now.getTime() - 3_600_000).toISOString(),
        })),
      }),
      200,
    );
    invitations = (
      await expectJson(
        o.api('POST', `/api/v1/surveys/${surveyId}/invitations`, {
          contactIds: contacts.map((c: { id: string }) => c.id),
        }),
        201,
      )
    ).items;
  } else {
    invitations = (
      await expectJson(
        o.api('POST', `/api/v1/surveys/${surveyId}/invitations`, { count: answers.length, unitId }),
        201,
      )
    ).items;
  }
  const db = w.runtime.database.db;
  const rows = await db
    .select()
    .from(tables.invitations)
    .where(
      inArray(
        tables.invitations.id,
        invitations.map((i) => i.id),
      ),
    );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const recorded = await writeBatch(
    db,
    invitations.map((inv, i) => {
      const r = byId.get(inv.id)!;
      return {
        audience,
        orgId: o.orgId,
        surveyId,
        invitationId: r.id,
        customerId: r.customerId,
        contactId: r.contactId,
        unitId: r.unitId,
        employeeId: r.employeeId,
        channel: r.channel,
        locale: r.locale,
        score: answers[i]!.score,
        reason: answers[i]!.reason,
        answeredAt: w.now,
        day: localDay(w.now, 'Europe/Moscow'),
      };
    }),
    { toLoop: false },
  );
  expect(recorded.every(Boolean)).toBe(true);
}
