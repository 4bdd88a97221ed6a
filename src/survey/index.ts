/** @module The public survey pages: pure renderers of complete HTML documents, their texts and their CSP. */
export { surveyPageContentSecurityPolicy } from './page-assets.js';
export {
  type GonePageProps,
  type GoneReason,
  type NotFoundPageProps,
  type NoticePageProps,
  renderGonePage,
  renderNotFoundPage,
  renderNoticePage,
  renderSurveyPage,
  renderThanksPage,
  type SurveyLocale,
  type SurveyPageProps,
  type ThanksPageProps,
} from './pages.js';
export { type SurveyText, surveyText } from './survey-text.js';
