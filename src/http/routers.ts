// Every module's API router, mounted under /api/v1 by the app.
import { alertRoutes } from '../modules/alerts/index.js';
import { analyticsRoutes } from '../modules/analytics/index.js';
import { anonymityRoutes } from '../modules/anonymity/index.js';
import { answerRoutes } from '../modules/answers/index.js';
import { auditRoutes } from '../modules/audit/index.js';
import { benchmarkRoutes } from '../modules/benchmarks/index.js';
import { callRoutes } from '../modules/calls/index.js';
import { contactRoutes } from '../modules/contacts/index.js';
import { customerRoutes } from '../modules/customers/index.js';
import { deliveryRoutes } from '../modules/delivery/index.js';
import { digestRoutes } from '../modules/digests/index.js';
import { distributionRoutes } from '../modules/distribution/index.js';
import { dropRoutes } from '../modules/drops/index.js';
import { economicsRoutes } from '../modules/economics/index.js';
import { employeeRoutes } from '../modules/employees/index.js';
import { exportRoutes } from '../modules/exports/index.js';
import { goalRoutes } from '../modules/goals/index.js';
import { hookRoutes, importRoutes } from '../modules/imports/index.js';
import { invitationRoutes } from '../modules/invitations/index.js';
import { linkRoutes } from '../modules/links/index.js';
import { loopRoutes } from '../modules/loop/index.js';
import { loopMetricsRoutes } from '../modules/loop-metrics/index.js';
import { privacyRoutes } from '../modules/privacy/index.js';
import { procedureRoutes } from '../modules/procedure/index.js';
import { reportRoutes } from '../modules/reports/index.js';
import { surveyRoutes } from '../modules/surveys/index.js';
import { themeRoutes } from '../modules/themes/index.js';
import { unitRoutes } from '../modules/units/index.js';
import { webhookRoutes } from '../modules/webhooks/index.js';

export const apiRouters = [
  unitRoutes,
  employeeRoutes,
  customerRoutes,
  contactRoutes,
  surveyRoutes,
  invitationRoutes,
  answerRoutes,
  analyticsRoutes,
  anonymityRoutes,
  auditRoutes,
  linkRoutes,
  callRoutes,
  deliveryRoutes,
  distributionRoutes,
  importRoutes,
  hookRoutes,
  loopRoutes,
  loopMetricsRoutes,
  procedureRoutes,
  alertRoutes,
  webhookRoutes,
  digestRoutes,
  benchmarkRoutes,
  dropRoutes,
  exportRoutes,
  goalRoutes,
  economicsRoutes,
  themeRoutes,
  privacyRoutes,
  reportRoutes,
];
