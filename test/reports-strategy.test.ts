// The strategy and tactics document as a person gets it: a DOCX that LibreOffice opens and prints to PDF, with the
// goals, their checkpoints and owners, the KPI matrix per level, actions per theme and unit, and how progress is
// measured — in Russian and in English; a period without answers says what is missing instead of inventing numbers.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOAL_NAME, type ReportWorld, seedReportWorld } from './reports-library-seed.js';
import { expectJson } from './support/world.js';

const run = promisify(execFile);
let w: ReportWorld;
const october = { locale: 'ru', audience: 'customer', from: '2026-10-01', to: '2026-10-31', unitId: null };

beforeAll(async () => {
  w = await seedReportWorld();
}, 300_000);
afterAll(async () => {
  await w?.world.close();
});

async function strategy(options: typeof october): Promise<Buffer> {
  const queued = await expectJson(
    w.org.api('POST', '/api/v1/reports', { kind: 'strategy-docx', options }),
    202,
  );
  await w.world.runtime.worker.runDue(w.world.now);
  expect(await expectJson(w.org.api('GET', `/api/v1/reports/${queued.id}`), 200)).toMatchObject({
    status: 'done',
    error: null,
  });
  const file = await w.org.api('GET', `/api/v1/reports/${queued.id}/file`);
  expect(file.headers.get('content-type')).toContain('wordprocessingml');
  return Buffer.from(await file.arrayBuffer());
}

/** LibreOffice headless (its own profile) to PDF, then pdftotext: what a reader of the printed file sees. */
async function printedText(files: Record<string, Buffer>): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'strategy-'));
  try {
    for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, `${name}.docx`), body);
    await run(
      'libreoffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        ...Object.keys(files).map((n) => join(dir, `${n}.docx`)),
      ],
      { timeout: 240_000 },
    );
    const out: Record<string, string> = {};
    for (const name of Object.keys(files))
      out[name] = (await run('pdftotext', ['-layout', join(dir, `${name}.pdf`), '-'])).stdout;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the strategy and tactics document', () => {
  it('opens in LibreOffice with the goals, checkpoints, KPI matrix, actions and measures, in ru and en', async () => {
    const ru = await strategy(october);
    const en = await strategy({ ...october, locale: 'en' });
    const empty = await strategy({ ...october, from: '2025-01-01', to: '2025-01-31' });
    const text = await printedText({ ru, en, empty });
    const ruText = text.ru!.replace(/\s+/g, ' ');
    for (const phrase of [
      'Стратегия и тактика',
      'ФитПарк',
      '1. Отправная точка',
      '2. Цели на период',
      GOAL_NAME,
      'NPS: с 10 до 40',
      'Ответственные: manager',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
      '3. Матрица KPI по уровням управления',
      'Высшее руководство',
      'Руководители среднего звена',
      'Линейный персонал',
      '4. Действия по темам',
      '5. Действия по подразделениям',
      '6. Как будет измеряться прогресс',
      'Стр. 2 из',
    ])
      expect(ruText).toContain(phrase);
    // The period's NPS as the dashboard shows it for the same filters.
    const summary = await expectJson(
      w.org.api('GET', '/api/v1/analytics/customers/summary?from=2026-10-01&to=2026-10-31'),
      200,
    );
    expect(ruText).toContain(`по ${summary.total.n} ответам`);
    const enText = text.en!.replace(/\s+/g, ' ');
    for (const phrase of [
      'Strategy and tactics',
      '2. Goals for the period',
      GOAL_NAME,
      '6. How progress will be measured',
    ])
      expect(enText).toContain(phrase);
    // No answers in January 2025: the document says what is missing rather than inventing numbers.
    const emptyText = text.empty!.replace(/\s+/g, ' ');
    expect(emptyText).toContain('Нет данных: за период нет ответов в этой выборке');
    expect(emptyText).toContain('Нет данных: ни одна цель не приходится на этот период');
  }, 300_000);
});
