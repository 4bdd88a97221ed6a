// Which generator makes each kind of report; the library offers exactly the kinds listed here.
import { analysisDocx, analysisPptx } from './analysis/index.js';
import type { ReportGenerator, ReportKind } from './kinds.js';
import { strategyDocx } from './strategy.js';
import { workbookXlsx } from './workbook.js';

export const GENERATORS: Record<ReportKind, ReportGenerator> = {
  'analysis-pptx': analysisPptx,
  'analysis-docx': analysisDocx,
  'strategy-docx': strategyDocx,
  'workbook-xlsx': workbookXlsx,
};

/** The kinds a user may ask for, in the order the dashboard lists them. */
export const AVAILABLE_KINDS = Object.keys(GENERATORS) as [ReportKind, ...ReportKind[]];
