// What a report is asked for and what it yields: the contract between the generators and the report library.

import type { Ctx } from '../kernel/index.js';

export const REPORT_KINDS = ['analysis-pptx', 'analysis-docx', 'strategy-docx', 'workbook-xlsx'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface ReportOptions {
  locale: 'ru' | 'en';
  audience: 'customer' | 'employee';
  /** The period, as ISO dates (inclusive), read in the org's time zone. */
  from: string;
  to: string;
  /** The unit whose subtree the report covers; null for the whole organisation. */
  unitId: string | null;
}

export interface ReportFile {
  filename: string;
  mime: string;
  body: Buffer;
}

/** Reports progress as a share 0…1 of the work done (the library stores it on the job). */
export type Progress = (share: number) => void;

export type ReportGenerator = (ctx: Ctx, options: ReportOptions, progress: Progress) => Promise<ReportFile>;
