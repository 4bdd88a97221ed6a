// Every module's API router, mounted under /api/v1 by the app.
import { analyticsRoutes } from '../modules/analytics/index.js';
import { answerRoutes } from '../modules/answers/index.js';
import { contactRoutes } from '../modules/contacts/index.js';
import { customerRoutes } from '../modules/customers/index.js';
import { employeeRoutes } from '../modules/employees/index.js';
import { invitationRoutes } from '../modules/invitations/index.js';
import { surveyRoutes } from '../modules/surveys/index.js';
import { unitRoutes } from '../modules/units/index.js';

export const apiRouters = [
  unitRoutes,
  employeeRoutes,
  customerRoutes,
  contactRoutes,
  surveyRoutes,
  invitationRoutes,
  answerRoutes,
  analyticsRoutes,
];
