// Themes: what the reasons say — the taxonomy, tagging of every answer, drivers, trends, emerging themes, summaries.
export { themeRoutes } from './routes.js';
export {
  candidateThemesOf,
  type DigestThemes,
  digestThemeBlocks,
  digestThemes,
  METHODS,
  previewTaxonomy,
  type SummaryItem,
  summaryText,
  type ThemeRow,
  type ThemesOverview,
  themeDetail,
  themesOverview,
  themeVerbatims,
  type WishesAndComplaints,
  wishesAndComplaints,
} from './service.js';
export {
  type AnswerRow,
  retagOrg,
  runRetagJob,
  storeTags,
  sweepOrg,
  sweepThemes,
  THEMES_INTERVAL_MS,
  THEMES_TASK,
} from './tagging.js';
export {
  compiledTaxonomy,
  ensureTaxonomy,
  getTaxonomy,
  putTaxonomy,
  RETAG_JOB,
  type Taxonomy,
} from './taxonomy.js';
