// The analytical report of issue 10 as PowerPoint and Word files, for the report library's job queue: the facts are
// read through the dashboard's own services, turned into one neutral model, and drawn by either renderer.
import type { Ctx } from '../../kernel/index.js';
import type { Progress, ReportFile, ReportGenerator, ReportOptions } from '../kinds.js';
import { buildModel } from './build.js';
import { renderDocx } from './docx.js';
import { reportFacts } from './facts.js';
import { renderPptx } from './pptx.js';
import { reportTexts } from './texts.js';

export const PPTX_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function fileName(o: ReportOptions, ext: string): string {
  const who = o.audience === 'customer' ? 'customers' : 'employees';
  return `${reportTexts[o.locale].fileName}-${who}-${o.from}-${o.to}.${ext}`;
}

async function generate(
  ctx: Ctx,
  options: ReportOptions,
  progress: Progress,
  render: typeof renderPptx,
  ext: string,
  mime: string,
): Promise<ReportFile> {
  progress(0);
  const facts = await reportFacts(ctx, options, progress);
  const model = buildModel(facts);
  progress(0.85);
  const body = await render(model);
  progress(1);
  return { filename: fileName(options, ext), mime, body };
}

/** The analytical report as a PowerPoint deck with native charts. */
export const analysisPptx: ReportGenerator = (ctx, options, progress) =>
  generate(ctx, options, progress, renderPptx, 'pptx', PPTX_TYPE);

/** The analytical report as a Word document with native charts. */
export const analysisDocx: ReportGenerator = (ctx, options, progress) =>
  generate(ctx, options, progress, renderDocx, 'docx', DOCX_TYPE);

export { buildModel } from './build.js';
export { type ReportFacts, reportFacts } from './facts.js';
export type { ReportModel } from './model.js';
