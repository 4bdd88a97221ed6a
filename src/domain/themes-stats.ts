/**
 * @module What themes mean for the score: which are over-represented among detractors or promoters (weighted
 * log-odds with an informative Dirichlet prior), how many NPS points each costs, which are rising against their own
 * history (an exact conditional binomial test), and frequent words no theme covers yet (candidate themes).
 */
import { normalCdf } from './nps.js';
import { commonestForm } from './reason-terms.js';
import { keyOf, lookUp, type Token, tokenise } from './text.js';
import { SENTIMENT } from './themes-lexicon.js';

export interface ThemeCounts {
  themeId: string;
  /** Answers mentioning the theme, by segment. */
  detractors: number;
  passives: number;
  promoters: number;
}

export interface Driver {
  themeId: string;
  /** Log-odds of the theme among detractors minus among promoters; > 0 leans to detractors. */
  delta: number;
  /** delta / its standard error: |z| ≥ 1.96 is a difference unlikely by chance (p < 0.05, two-sided). */
  z: number;
  leaning: 'detractors' | 'promoters' | 'neither';
}

/**
 * Weighted log-odds ratio with an informative Dirichlet prior, Monroe, Colaresi & Quinn (2008), "Fightin' Words",
 * eq. 16–22: each theme mention is a token; group i = detractors, j = promoters; the prior α_w is the theme's count
 * over all answers (passives included), α₀ = Σα_w:
 *   δ_w = ln((y_wi + α_w) / (n_i + α₀ − y_wi − α_w)) − ln((y_wj + α_w) / (n_j + α₀ − y_wj − α_w)),
 *   σ²(δ_w) ≈ 1/(y_wi + α_w) + 1/(y_wj + α_w),  z = δ_w / σ.
 * The prior shrinks themes seen a few times towards zero, so a theme named once by one detractor does not top the
 * list.
 */
export function themeDrivers(counts: readonly ThemeCounts[]): Driver[] {
  const ni = counts.reduce((s, c) => s + c.detractors, 0);
  const nj = counts.reduce((s, c) => s + c.promoters, 0);
  const alpha = counts.map((c) => c.detractors + c.passives + c.promoters);
  const a0 = alpha.reduce((s, a) => s + a, 0);
  return counts.map((c, k) => {
    const a = alpha[k]!;
    if (a === 0) return { themeId: c.themeId, delta: 0, z: 0, leaning: 'neither' as const };
    const yi = c.detractors;
    const yj = c.promoters;
    const delta = Math.log((yi + a) / (ni + a0 - yi - a)) - Math.log((yj + a) / (nj + a0 - yj - a));
    const z = delta / Math.sqrt(1 / (yi + a) + 1 / (yj + a));
    const leaning = z >= 1.96 ? 'detractors' : z <= -1.96 ? 'promoters' : 'neither';
    return { themeId: c.themeId, delta, z, leaning };
  });
}

/**
 * NPS points the organisation would gain if the theme's detractors became passives: NPS = 100 (P − D) / N, so
 * moving d of them out of D raises it by 100 d / N, N being all answers of the period (with a reason or not).
 */
export function npsImpact(themeDetractors: number, allAnswers: number): number {
  return allAnswers > 0 ? (100 * themeDetractors) / allAnswers : 0;
}

/** ln Γ(x), Lanczos (g = 7, n = 9), accurate to ~1e-15 for x > 0. */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = g[0]!;
  const t = xm + 7.5;
  for (let i = 1; i < 9; i++) a += g[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(n, p): exact sum up to n = 20,000, the normal approximation with continuity beyond. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  if (n > 20_000) {
    const sd = Math.sqrt(n * p * (1 - p));
    return 1 - normalCdf((k - 0.5 - n * p) / sd);
  }
  const lc = logGamma(n + 1);
  let sum = 0;
  for (let x = k; x <= n; x++) {
    const term = Math.exp(
      lc - logGamma(x + 1) - logGamma(n - x + 1) + x * Math.log(p) + (n - x) * Math.log1p(-p),
    );
    sum += term;
    if (term < sum * 1e-16 && x > n * p) break;
  }
  return Math.min(1, sum);
}

export interface RiseTest {
  /** Mentions per answer with a reason, recently and in the baseline. */
  recentRate: number;
  baselineRate: number;
  /** recentRate / baselineRate (Infinity when the theme was never named before). */
  ratio: number;
  pValue: number;
  emerging: boolean;
}

/** What counts as an emerging theme: significant at 1%, at least 5 mentions, and at least half as frequent again. */
export const EMERGING = { alpha: 0.01, minMentions: 5, minRatio: 1.5 } as const;

/**
 * Is a theme rising against its own history? The exact conditional test of two Poisson rates (Przyborowski &
 * Wilenski 1940): given x₁ mentions in n₁ recent answers and x₀ in n₀ baseline answers, under H₀ (same rate)
 * x₁ ~ Binomial(x₀ + x₁, n₁ / (n₀ + n₁)); the one-sided p-value is P(X ≥ x₁).
 */
export function riseTest(
  recent: number,
  recentAnswers: number,
  baseline: number,
  baselineAnswers: number,
): RiseTest {
  const recentRate = recentAnswers > 0 ? recent / recentAnswers : 0;
  const baselineRate = baselineAnswers > 0 ? baseline / baselineAnswers : 0;
  const ratio = baselineRate > 0 ? recentRate / baselineRate : recent > 0 ? Number.POSITIVE_INFINITY : 0;
  const pValue =
    recentAnswers > 0 && baselineAnswers > 0
      ? binomialUpperTail(recent, recent + baseline, recentAnswers / (recentAnswers + baselineAnswers))
      : 1;
  const emerging =
    pValue < EMERGING.alpha &&
    recent >= EMERGING.minMentions &&
    ratio >= EMERGING.minRatio &&
    baselineAnswers > 0;
  return { recentRate, baselineRate, ratio, pValue, emerging };
}

export interface Candidate {
  /** The words as people write them most often ('детская комната'). */
  term: string;
  /** Keys of the words (what a keyword made of `term` would match). */
  key: string;
  /** Answers without any theme that use it. */
  count: number;
  /** Up to three of those answers' ids. */
  exampleIds: string[];
}

const MIN_WORD = 3;

/** A word that can name a theme: not a stop word, not a sentiment word, not a keyword already, three letters or more. */
function usable(t: Token, keywordKeys: ReadonlySet<string>): boolean {
  return (
    !t.stop &&
    t.word.length >= MIN_WORD &&
    !t.negator &&
    lookUp(SENTIMENT, t) === undefined &&
    !keywordKeys.has(t.stem) &&
    !keywordKeys.has(`=${t.word}`)
  );
}

/**
 * A stop word may end a phrase when it is long enough to be a noun: the stopwords-iso Russian list holds words such
 * as 'комната' and 'работа' ('детская комната', 'время работы').
 */
function inPhrase(t: Token, keywordKeys: ReadonlySet<string>): boolean {
  return (
    t.stop &&
    t.word.length >= 5 &&
    !t.negator &&
    !keywordKeys.has(t.stem) &&
    lookUp(SENTIMENT, t) === undefined
  );
}

/**
 * Candidate themes: the stems and two-word phrases used most by answers that no theme covers, counted once per
 * answer. A phrase is offered only when it is used at least `minCount` times; a word inside an offered phrase is
 * dropped when the phrase accounts for most of its uses.
 */
export function candidateThemes(
  answers: readonly { id: string; reason: string }[],
  keywordKeys: ReadonlySet<string>,
  options: { limit?: number; minCount?: number } = {},
): Candidate[] {
  const limit = options.limit ?? 20;
  const minCount = options.minCount ?? 3;
  const found = new Map<string, { count: number; forms: Map<string, number>; ids: string[] }>();
  const note = (key: string, form: string, id: string, seen: Set<string>) => {
    const e = found.get(key) ?? { count: 0, forms: new Map<string, number>(), ids: [] as string[] };
    e.forms.set(form, (e.forms.get(form) ?? 0) + 1);
    if (!seen.has(key)) {
      seen.add(key);
      e.count++;
      if (e.ids.length < 3) e.ids.push(id);
    }
    found.set(key, e);
  };
  for (const a of answers) {
    const tokens = tokenise(a.reason);
    const seen = new Set<string>();
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!usable(t, keywordKeys)) continue;
      note(keyOf(t.word), t.word, a.id, seen);
      const next = tokens[i + 1];
      if (next && next.segment === t.segment && (usable(next, keywordKeys) || inPhrase(next, keywordKeys)))
        note(`${keyOf(t.word)} ${keyOf(next.word)}`, `${t.word} ${next.word}`, a.id, seen);
    }
  }
  const entries = [...found.entries()].filter(([, e]) => e.count >= minCount);
  const phrases = entries.filter(([k]) => k.includes(' '));
  const out = entries.filter(([key, e]) => {
    if (key.includes(' ')) return true;
    // A word mostly used inside one phrase is that phrase.
    return !phrases.some(([pk, pe]) => pk.split(' ').includes(key) && pe.count >= 0.6 * e.count);
  });
  return out
    .map(([key, e]) => ({ term: commonestForm(e.forms), key, count: e.count, exampleIds: e.ids }))
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, limit);
}
