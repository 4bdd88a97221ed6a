// The closed-loop procedure document (DOCX, ru/en) generated from the org's playbook, people and deadlines.
export { procedureRoutes } from './routes.js';
export { DOCX_TYPE, PROCEDURE_ROLES, type ProcedureFile, procedureDocument } from './service.js';
export type { ProcedureLocale } from './texts.js';
