// Mailing a scheduled report: one e-mail per recipient in their language with the file attached, through the
// outbox (queued with the report's `done`, sent exactly once by the delivery job).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { tables } from '../../db/index.js';
import { type AttachmentResolver, type MailAttachment, queueMessage } from '../delivery/index.js';
import type { Ctx } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import type { ReportKind, ReportOptions } from './kinds.js';

const { reports, reportSchedules, users } = tables;

export const REPORT_MESSAGE = 'report';

export const kindNames: Record<'ru' | 'en', Record<ReportKind, string>> = {
  en: {
    'analysis-pptx': 'Analytical report (PowerPoint)',
    'analysis-docx': 'Analytical report (Word)',
    'strategy-docx': 'Strategy and tactics (Word)',
    'workbook-xlsx': 'Data workbook (Excel)',
  },
  ru: {
    'analysis-pptx': 'Аналитический отчёт (PowerPoint)',
    'analysis-docx': 'Аналитический отчёт (Word)',
    'strategy-docx': 'Стратегия и тактика (Word)',
    'workbook-xlsx': 'Книга данных (Excel)',
  },
};

const words = {
  en: {
    subject: (kind: string, from: string, to: string) => `${kind}: ${from} – ${to}`,
    lines: (schedule: string, kind: string, from: string, to: string, org: string) => [
      `The scheduled report “${schedule}” is ready: ${kind} for ${from} – ${to}.`,
      'The file is attached. It is also kept in the report library of the dashboard.',
      `— Sarafan for ${org}`,
    ],
    library: 'Open the report library',
  },
  ru: {
    subject: (kind: string, from: string, to: string) => `${kind}: ${from} – ${to}`,
    lines: (schedule: string, kind: string, from: string, to: string, org: string) => [
      `Отчёт по расписанию «${schedule}» готов: ${kind} за ${from} – ${to}.`,
      'Файл во вложении. Он также хранится в библиотеке отчётов на панели.',
      `— Sarafan для ${org}`,
    ],
    library: 'Открыть библиотеку отчётов',
  },
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Queues the e-mail of a finished scheduled report to each active recipient whose language it is in. */
export async function mailScheduledReport(
  ctx: Ctx,
  report: { id: string; kind: string; options: unknown; scheduleId: string | null },
): Promise<number> {
  if (!report.scheduleId) return 0;
  const options = report.options as ReportOptions;
  const [schedule] = await ctx.db
    .select({ name: reportSchedules.name, recipients: reportSchedules.recipients })
    .from(reportSchedules)
    .where(and(eq(reportSchedules.orgId, ctx.orgId), eq(reportSchedules.id, report.scheduleId)));
  if (!schedule || schedule.recipients.length === 0) return 0;
  const people = await ctx.db
    .select({ id: users.id, emailEnc: users.emailEnc })
    .from(users)
    .where(
      and(
        eq(users.orgId, ctx.orgId),
        inArray(users.id, schedule.recipients),
        eq(users.locale, options.locale),
        isNull(users.disabledAt),
      ),
    );
  const org = await getOrg(ctx);
  const w = words[options.locale];
  const kind = kindNames[options.locale][report.kind as ReportKind] ?? report.kind;
  const lines = w.lines(schedule.name, kind, options.from, options.to, org.name);
  const link = ctx.publicUrl ? `${ctx.publicUrl}/reports` : null;
  const text = [...lines.slice(0, 2), ...(link ? [`${w.library}: ${link}`] : []), '', lines[2]!, ''].join(
    '\n',
  );
  const html = `<!doctype html><html lang="${options.locale}"><head><meta charset="utf-8"></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:22px;color:#212529;">
<p>${esc(lines[0]!)}</p><p>${esc(lines[1]!)}</p>${link ? `<p><a href="${esc(link)}">${esc(w.library)}</a></p>` : ''}<p style="color:#495057;">${esc(lines[2]!)}</p>
</body></html>`;
  let queued = 0;
  for (const person of people) {
    const result = await queueMessage(ctx, {
      dedupeKey: `${REPORT_MESSAGE}:${report.id}:${person.id}`,
      kind: REPORT_MESSAGE,
      to: ctx.vault.decrypt(person.emailEnc),
      locale: options.locale,
      subject: w.subject(kind, options.from, options.to),
      text,
      html,
    });
    if (result.queued) queued++;
  }
  return queued;
}

/** The file a report e-mail carries, read from the library when the e-mail is sent. */
export async function reportAttachment(
  message: Parameters<AttachmentResolver>[0],
  ctx: Ctx,
): Promise<MailAttachment[]> {
  const [, reportId] = message.dedupeKey.split(':');
  if (!reportId) return [];
  const [row] = await ctx.db
    .select({ fileName: reports.fileName, mime: reports.mime, body: reports.body })
    .from(reports)
    .where(and(eq(reports.orgId, ctx.orgId), eq(reports.id, reportId)));
  // Deleted from the library before the mail went: the e-mail goes without it rather than not at all.
  if (!row?.body || !row.fileName) return [];
  return [{ filename: row.fileName, contentType: row.mime ?? 'application/octet-stream', content: row.body }];
}
