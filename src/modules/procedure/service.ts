// The closed-loop procedure document of an org: who may have it, in which language, under which file name.
import { type Ctx, requireRole } from '../kernel/index.js';
import { getOrg } from '../orgs/index.js';
import { renderProcedure } from './document.js';
import { procedureFacts } from './facts.js';
import { type ProcedureLocale, procedureTexts } from './texts.js';

/** Who may download it: everyone who runs the loop above the front line, and analysts (without names). */
export const PROCEDURE_ROLES = ['owner', 'admin', 'manager', 'analyst'] as const;

export interface ProcedureFile {
  body: Buffer;
  fileName: string;
  locale: ProcedureLocale;
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The org's procedure as a .docx, in `locale` or else the org's language. */
export async function procedureDocument(ctx: Ctx, locale?: ProcedureLocale): Promise<ProcedureFile> {
  requireRole(ctx, ...PROCEDURE_ROLES);
  const lang = locale ?? (await getOrg(ctx)).locale;
  const facts = await procedureFacts(ctx);
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: facts.org.timeZone }).format(facts.now);
  return {
    body: await renderProcedure(facts, lang),
    fileName: `${procedureTexts[lang].fileName}-${day}.docx`,
    locale: lang,
  };
}
