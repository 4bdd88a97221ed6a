// Audit room: the readiness audit of the client database (what it is fit for, what the accounting system must add).
export { ContactPointTally, type CustomerPoints, type ProblemExample } from './contact-points.js';
export { checkEmail, type EmailCheck } from './email-check.js';
export { checkPhone, type PhoneCheck } from './phone-check.js';
export { renderAuditReport } from './report.js';
export type { Requirement, Severity, Share } from './requirements.js';
export { auditRoutes } from './routes.js';
export { type AuditFindings, type AuditOptions, auditBase } from './service.js';
