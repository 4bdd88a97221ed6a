// Surveys: the questionnaires, for customers and for employees.
export { surveyRoutes } from './routes.js';
export {
  createSurvey,
  defaultTexts,
  findSurvey,
  getSurvey,
  listSurveys,
  questionFor,
  type Survey,
  type SurveyView,
  surveyIdsOf,
} from './service.js';
