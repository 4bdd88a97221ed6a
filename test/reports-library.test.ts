// The report library end to end through the API with the worker running: ask → progress → done → download a
// valid file; managers limited to their subtree; a worker that dies mid-report makes it again, never twice; and
// schedules that mail exactly one report per period, in each recipient's language, with the file attached.
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../src/db/index.js';
import { claim, Worker } from '../src/modules/jobs/index.js';
import { libraryHooks, REPORT_JOB, runReportJob } from '../src/modules/reports/index.js';
import { DAY, GOAL_NAME, HOUR, type ReportWorld, seedReportWorld } from './reports-library-seed.js';
import { expectJson } from './support/world.js';

let w: ReportWorld;
let smtp: SMTPServer;
const received: { mail: ParsedMail; rcpt: string[] }[] = [];
const october = { locale: 'ru', audience: 'customer', from: '2026-10-01', to: '2026-10-31', unitId: null };

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({ mail, rcpt: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  w = await seedReportWorld({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true` });
}, 300_000);

afterAll(async () => {
  libraryHooks.onProgress = undefined;
  await w?.world.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const run = () => w.world.runtime.worker.runDue(w.world.now);
const countRows = async (table: 'reports' | 'jobs', extra = sql``) => {
  const [row] = rowsOf<{ n: number }>(
    await w.world.runtime.database.db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${w.org.orgId}::uuid ${extra}`,
    ),
  );
  return row!.n;
};

describe('the report library', () => {
  it('queues a workbook, shows its progress while it is made, and gives a valid XLSX when done', async () => {
    const queued = await expectJson(
      w.org.api('POST', '/api/v1/reports', { kind: 'workbook-xlsx', options: october }),
      202,
    );
    expect(queued).toMatchObject({
      status: 'queued',
      progress: 0,
      kind: 'workbook-xlsx',
      pseudonymised: false,
    });
    // While the worker makes it, a reader of the library sees it running with a share done.
    const seen: number[] = [];
    const mid: Promise<Response>[] = [];
    libraryHooks.onProgress = (id, share) => {
      if (id !== queued.id) return;
      seen.push(share);
      if (share >= 0.6 && mid.length === 0) mid.push(w.org.api('GET', `/api/v1/reports/${queued.id}`));
    };
    await run();
    libraryHooks.onProgress = undefined;
    expect(seen.at(-1)).toBe(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    const during = await expectJson(mid[0]!, 200);
    expect(during.status).toBe('running');
    expect(during.progress).toBeGreaterThan(0);
    expect(during.progress).toBeLessThan(1);

    const done = await expectJson(w.org.api('GET', `/api/v1/reports/${queued.id}`), 200);
    expect(done).toMatchObject({ status: 'done', progress: 1, error: null });
    const list = await expectJson(w.org.api('GET', '/api/v1/reports'), 200);
    expect(list.items.map((r: { id: string }) => r.id)).toContain(queued.id);

    const file = await w.org.api('GET', `/api/v1/reports/${queued.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('spreadsheetml');
    expect(file.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.xlsx"/);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(bytes.length).toBe(done.size);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes.buffer as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      'О файле',
      'Ответы',
      'Сегменты',
      'Подразделения',
      'Рейтинги',
      'Темы',
      'Экономика',
    ]);
    // 18 answers in October, one row each under the header.
    expect(book.getWorksheet('Ответы')!.rowCount).toBe(19);

    // The same tables as CSV: a ZIP of every sheet, or one sheet by name.
    const zip = await w.org.api('GET', `/api/v1/reports/${queued.id}/csv`);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const entries = Object.keys((await JSZip.loadAsync(await zip.arrayBuffer())).files);
    expect(entries).toContain('Ответы.csv');
    const csv = await w.org.api(
      'GET',
      `/api/v1/reports/${queued.id}/csv?sheet=${encodeURIComponent('Сегменты')}`,
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, period] = parse(await csv.text(), { bom: true }) as string[][];
    expect(header).toEqual([
      'Строка',
      'Ответов',
      'Промоутеры',
      'Нейтралы',
      'Критики',
      'Промоутеры, %',
      'Нейтралы, %',
      'Критики, %',
      'NPS',
      'ДИ 95% от',
      'ДИ 95% до',
      'Погрешность',
      'Малая выборка',
    ]);
    // 18 answers: 7 promoters (≥ 9), 4 passives, 7 detractors → NPS 0, the dashboard's summary for October.
    const summary = await expectJson(
      w.org.api('GET', '/api/v1/analytics/customers/summary?from=2026-10-01&to=2026-10-31'),
      200,
    );
    expect(period!.slice(0, 5)).toEqual([
      '2026-10-01 – 2026-10-31',
      '18',
      String(summary.total.promoters),
      String(summary.total.passives),
      String(summary.total.detractors),
    ]);
    expect(Number(period![8])).toBe(summary.total.nps);
  }, 120_000);

  it('makes the analytical report as PowerPoint and Word through the same library', async () => {
    const kinds = await expectJson(w.org.api('GET', '/api/v1/reports/kinds'), 200);
    expect(kinds.items.map((k: { kind: string }) => k.kind)).toEqual([
      'analysis-pptx',
      'analysis-docx',
      'strategy-docx',
      'workbook-xlsx',
    ]);
    const pptx = await expectJson(
      w.org.api('POST', '/api/v1/reports', { kind: 'analysis-pptx', options: october }),
      202,
    );
    const docx = await expectJson(
      w.org.api('POST', '/api/v1/reports', { kind: 'analysis-docx', options: october }),
      202,
    );
    await run();
    for (const [report, part] of [
      [pptx, 'ppt/presentation.xml'],
      [docx, 'word/document.xml'],
    ] as const) {
      expect(await expectJson(w.org.api('GET', `/api/v1/reports/${report.id}`), 200)).toMatchObject({
        status: 'done',
      });
      const file = await w.org.api('GET', `/api/v1/reports/${report.id}/file`);
      const zip = await JSZip.loadAsync(await file.arrayBuffer());
      expect(zip.file(part)).not.toBeNull();
    }
  }, 180_000);

  it('refuses what is not ready or not allowed, field by field', async () => {
    const queued = await expectJson(
      w.org.api('POST', '/api/v1/reports', { kind: 'strategy-docx', options: october }),
      202,
    );
    const early = await w.org.api('GET', `/api/v1/reports/${queued.id}/file`);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    // A manager reports on their own subtree only, and must name a unit.
    const noUnit = await w.manager.api('POST', '/api/v1/reports', {
      kind: 'strategy-docx',
      options: october,
    });
    expect(noUnit.status).toBe(422);
    expect(((await noUnit.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('options.unitId');
    const other = await w.manager.api('POST', '/api/v1/reports', {
      kind: 'strategy-docx',
      options: { ...october, unitId: w.sokol },
    });
    expect(other.status).toBe(422);
    const backwards = await w.org.api('POST', '/api/v1/reports', {
      kind: 'strategy-docx',
      options: { ...october, from: '2026-11-01' },
    });
    expect(backwards.status).toBe(422);
    expect(((await backwards.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('options.from');
    const own = await expectJson(
      w.manager.api('POST', '/api/v1/reports', {
        kind: 'workbook-xlsx',
        options: { ...october, unitId: w.arbat },
      }),
      202,
    );
    // A manager's library holds their own reports, not the owner's.
    const mine = await expectJson(w.manager.api('GET', '/api/v1/reports'), 200);
    expect(mine.items.map((r: { id: string }) => r.id)).toEqual([own.id]);
    expect((await w.manager.api('GET', `/api/v1/reports/${queued.id}`)).status).toBe(404);
    await run();
    expect((await expectJson(w.manager.api('GET', `/api/v1/reports/${own.id}`), 200)).status).toBe('done');
    // Deleting takes the file with it.
    expect((await w.org.api('DELETE', `/api/v1/reports/${queued.id}`)).status).toBe(204);
    expect((await w.org.api('GET', `/api/v1/reports/${queued.id}/file`)).status).toBe(404);
  }, 120_000);

  it('makes a report again after its worker died mid-way: one report, one job, a valid file', async () => {
    const queued = await expectJson(
      w.org.api('POST', '/api/v1/reports', { kind: 'strategy-docx', options: october }),
      202,
    );
    const reportsBefore = await countRows('reports');
    // A worker claims the job and dies at 40% (its process gone: nothing records the failure).
    const deps = w.world.runtime.deps;
    const [job] = await claim(deps.db, {
      now: w.world.now,
      leaseMs: 5 * 60_000,
      limit: 1,
      kinds: [REPORT_JOB],
    });
    expect(job?.key).toBe(queued.id);
    libraryHooks.onProgress = (_id, share) => {
      if (share >= 0.4) throw new Error('the process was killed');
    };
    await expect(
      runReportJob(job!, { ...deps, orgId: w.org.orgId, actor: { kind: 'system' } }),
    ).rejects.toThrow('killed');
    libraryHooks.onProgress = undefined;
    // Before the lease runs out nobody takes it; after it, a freshly started worker does.
    const restarted = new Worker(deps).handle(REPORT_JOB, runReportJob);
    expect((await restarted.runDue(w.world.now)).jobs).toBe(0);
    w.world.advance(6 * 60_000);
    expect((await restarted.runDue(w.world.now)).jobs).toBe(1);
    const done = await expectJson(w.org.api('GET', `/api/v1/reports/${queued.id}`), 200);
    expect(done).toMatchObject({ status: 'done', progress: 1 });
    expect(await countRows('reports')).toBe(reportsBefore);
    expect(await countRows('jobs', sql`and kind = ${REPORT_JOB} and key = ${queued.id}`)).toBe(1);
    const file = new Uint8Array(
      await (await w.org.api('GET', `/api/v1/reports/${queued.id}/file`)).arrayBuffer(),
    );
    const docx = await JSZip.loadAsync(file);
    expect(await docx.file('word/document.xml')!.async('string')).toContain(GOAL_NAME);
  }, 120_000);
});

describe('report schedules', () => {
  // Only the reports' mail: digests and alerts go to the same people.
  const mailsTo = (email: string) =>
    received.filter(
      (r) => r.rcpt.includes(email) && /Strategy and tactics|Стратегия и тактика/.test(r.mail.subject ?? ''),
    );

  it('mails the month just ended once, to each recipient in their language, with the file attached', async () => {
    const adminEmail = w.admin.email;
    const managerEmail = w.manager.email;
    // Refused: an analyst as recipient, a manager who does not see the unit.
    const bad = await w.org.api('POST', '/api/v1/reports/schedules', {
      name: 'x',
      kind: 'strategy-docx',
      cadence: 'monthly',
      day: 2,
      recipients: [w.analyst.id],
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('recipients.0');
    const schedule = await expectJson(
      w.org.api('POST', '/api/v1/reports/schedules', {
        name: 'Ежемесячно руководству',
        kind: 'strategy-docx',
        unitId: w.arbat,
        cadence: 'monthly',
        day: 2,
        hour: 9,
        recipients: [w.admin.id, w.manager.id],
      }),
      201,
    );
    expect(schedule.nextPeriod).toBe('2026-10');
    // A report in progress dies once (a failed attempt), then is retried: still one mail each.
    let failures = 0;
    libraryHooks.onProgress = (_id, share) => {
      if (share >= 0.5 && failures === 0) {
        failures++;
        throw new Error('out of memory');
      }
    };
    // 2 November 2026, 08:59 Moscow: not yet.
    w.world.now = new Date('2026-11-02T05:59:00Z');
    await run();
    expect(mailsTo(w.admin.email)).toHaveLength(0);
    // 09:00: due. Both languages are made; one of them fails once and is retried after its back-off.
    w.world.now = new Date('2026-11-02T06:00:30Z');
    await run();
    w.world.advance(HOUR);
    await run();
    libraryHooks.onProgress = undefined;
    expect(failures).toBe(1);
    const [en] = mailsTo(adminEmail);
    const [ru] = mailsTo(managerEmail);
    expect(mailsTo(adminEmail)).toHaveLength(1);
    expect(mailsTo(managerEmail)).toHaveLength(1);
    expect(en!.mail.subject).toBe('Strategy and tactics (Word): 2026-10-01 – 2026-10-31');
    expect(ru!.mail.subject).toBe('Стратегия и тактика (Word): 2026-10-01 – 2026-10-31');
    expect(ru!.mail.text).toContain('Отчёт по расписанию «Ежемесячно руководству» готов');
    for (const [mail, title] of [
      [en!, 'Strategy and tactics'],
      [ru!, 'Стратегия и тактика'],
    ] as const) {
      expect(mail.mail.attachments).toHaveLength(1);
      const attachment = mail.mail.attachments[0]!;
      expect(attachment.contentType).toContain('wordprocessingml');
      const xml = await (await JSZip.loadAsync(attachment.content))
        .file('word/document.xml')!
        .async('string');
      expect(xml).toContain(title);
      expect(xml).toContain(GOAL_NAME);
    }
    // Later the same month, and after a restart (a new worker with no memory of its rounds): nothing more.
    w.world.advance(3 * DAY);
    await run();
    const restarted = new Worker(w.world.runtime.deps);
    await w.world.runtime.worker.runDue(w.world.now);
    await restarted.runDue(w.world.now);
    expect(mailsTo(adminEmail)).toHaveLength(1);
    expect(mailsTo(managerEmail)).toHaveLength(1);
    expect(await countRows('reports', sql`and schedule_id = ${schedule.id}::uuid`)).toBe(2);
    // December brings November's report.
    w.world.now = new Date('2026-12-02T06:30:00Z');
    await run();
    await run();
    expect(mailsTo(adminEmail).map((m) => m.mail.subject)).toEqual([
      'Strategy and tactics (Word): 2026-10-01 – 2026-10-31',
      'Strategy and tactics (Word): 2026-11-01 – 2026-11-30',
    ]);
    // The library lists the scheduled reports with their period.
    const list = await expectJson(w.org.api('GET', '/api/v1/reports'), 200);
    expect(
      list.items
        .filter((r: { scheduleId: string | null }) => r.scheduleId === schedule.id)
        .map((r: { period: string }) => r.period)
        .sort(),
    ).toEqual(['2026-10', '2026-10', '2026-11', '2026-11']);
  }, 240_000);
});
