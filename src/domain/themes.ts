/**
 * @module Theme tagging of one reason: which themes of the taxonomy it speaks of, and for each whether it is a
 * complaint, praise or a wish. Lexicon-based and offline: keywords and phrases matched by Snowball stems (one
 * typo tolerated in longer words), polarity from the sentiment words of the same comma segment or sentence with
 * negation flipping them ('не грязно' is praise), wish phrases ('хотелось бы', 'please add'), and the score as a
 * strong prior (a 2 that names the pool complains about it unless the words say otherwise).
 */

import { keyOf, lookUp, matchesKey, type Token, tokenise } from './text.js';
import { RECOMMEND, SENTIMENT, WISH_CUES } from './themes-lexicon.js';

export type Polarity = 'complaint' | 'praise' | 'wish';
export const POLARITIES: readonly Polarity[] = ['complaint', 'praise', 'wish'];

export interface TaxonomyTheme {
  id: string;
  keywords: readonly string[];
}

interface Phrase {
  /** keyOf of each word. */
  keys: string[];
  theme: number;
}

export interface CompiledTaxonomy {
  ids: string[];
  /** One-word keywords: key (src/domain/text.ts keyOf) → themes. */
  singles: Map<string, number[]>;
  /** Phrases by the key of their first word, longest first. */
  phrases: Map<string, Phrase[]>;
  /** Typo index: each one-word keyword stem of MIN_TYPO_STEM letters or more, with one letter deleted → the stems. */
  deletions: Map<string, string[]>;
  /** Stems already looked up for typos: stem → the keyword stem it is a typo of ('' = none). */
  typoCache: Map<string, string>;
  /** Every keyword's key (discovery leaves them out). */
  keywordKeys: Set<string>;
}

/** Only stems this long are matched with a typo: shorter words have too many real neighbours ('запах'/'запас'). */
const MIN_TYPO_STEM = 5;
const TYPO_CACHE_MAX = 100_000;

function deletionsOf(stem: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < stem.length; i++) out.push(stem.slice(0, i) + stem.slice(i + 1));
  return out;
}

/** Builds the matcher of a taxonomy once; tagging then costs a few map look-ups per word. */
export function compileTaxonomy(themes: readonly TaxonomyTheme[]): CompiledTaxonomy {
  const c: CompiledTaxonomy = {
    ids: themes.map((t) => t.id),
    singles: new Map(),
    phrases: new Map(),
    deletions: new Map(),
    typoCache: new Map(),
    keywordKeys: new Set(),
  };
  themes.forEach((theme, index) => {
    for (const keyword of theme.keywords) {
      // '=занятий' matches that form only: where Snowball gives two words one stem ('занятий', 'занята').
      const exact = keyword.trim().startsWith('=');
      const keys = tokenise(exact ? keyword.trim().slice(1) : keyword).map((t) =>
        exact ? `=${t.word}` : keyOf(t.word),
      );
      if (keys.length === 0) continue;
      for (const k of keys) c.keywordKeys.add(k);
      if (keys.length === 1) {
        const list = c.singles.get(keys[0]!) ?? [];
        if (!list.includes(index)) list.push(index);
        c.singles.set(keys[0]!, list);
      } else {
        const list = c.phrases.get(keys[0]!) ?? [];
        list.push({ keys, theme: index });
        list.sort((a, b) => b.keys.length - a.keys.length);
        c.phrases.set(keys[0]!, list);
      }
    }
  });
  for (const stem of c.singles.keys()) {
    if (stem.length < MIN_TYPO_STEM || stem[0] === '=') continue;
    for (const d of deletionsOf(stem)) {
      const list = c.deletions.get(d) ?? [];
      list.push(stem);
      c.deletions.set(d, list);
    }
  }
  return c;
}

/**
 * The keyword stem a word's stem is one typo away from (a letter missing, added, changed or two swapped), or
 * null. Symmetric deletion look-up (the idea of SymSpell): both sides with one letter deleted meet in the index.
 * The first and last letters must agree — people rarely mistype the first, and a difference at the end is
 * usually another word or an ending the stemmer left ('занят' is not 'заняти', 'дорожк' is not 'дорож').
 */
function typoOf(c: CompiledTaxonomy, stem: string): string | null {
  if (stem.length < MIN_TYPO_STEM || SENTIMENT.has(stem)) return null;
  const cached = c.typoCache.get(stem);
  if (cached !== undefined) return cached || null;
  let found = '';
  const consider = (candidate: string) => {
    if (found || candidate.length < MIN_TYPO_STEM || candidate[0] !== stem[0]) return;
    if (candidate.at(-1) === stem.at(-1) && c.singles.has(candidate)) found = candidate;
  };
  // A letter added: the word without it is a keyword.
  for (const d of deletionsOf(stem)) consider(d);
  // A letter missing: the word is a keyword without one letter.
  for (const s of c.deletions.get(stem) ?? []) consider(s);
  // A letter changed or two swapped: both without one letter meet.
  if (!found) for (const d of deletionsOf(stem)) for (const s of c.deletions.get(d) ?? []) consider(s);
  if (c.typoCache.size >= TYPO_CACHE_MAX) c.typoCache.clear();
  c.typoCache.set(stem, found);
  return found || null;
}

export interface ThemeHit {
  themeId: string;
  polarity: Polarity;
}

/** The score's say in polarity: strong at the ends of the scale, none in the middle (Reichheld's segments). */
function scorePrior(score: number | null): number {
  if (score === null) return 0;
  if (score <= 4) return -1.5;
  if (score <= 6) return -1;
  if (score >= 9) return 1.5;
  return 0;
}

/** What one word says: its sentiment, flipped under a negation; a negated neutral word says something is wrong. */
function sentimentOf(t: Token): number {
  const s = lookUp(SENTIMENT, t) ?? 0;
  if (t.negation === null) return s;
  return s === 0 ? -1 : -s;
}

/** Segments (by number) that are wishes: from a wish phrase to the end of its sentence. */
function wishSegments(tokens: Token[]): Set<number> {
  const out = new Set<number>();
  const recommending = new Set(tokens.filter((t) => lookUp(RECOMMEND, t)).map((t) => t.clause));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (recommending.has(t.clause)) continue;
    const cue = WISH_CUES.find((words) => words.every((w, k) => tokens[i + k]?.word === w));
    if (!cue) continue;
    // "could not", "should not have": a complaint about what happened, not a wish.
    if (tokens[i + cue.length]?.word === 'not' && (t.word === 'could' || t.word === 'should')) continue;
    for (const u of tokens) if (u.clause === t.clause && u.segment >= t.segment) out.add(u.segment);
  }
  return out;
}

/**
 * Themes of one reason with their polarity; [] for an empty, emoji-only or unrelated text. `score` (0–10) leans
 * the polarity when the words alone do not decide it.
 */
export function tagReason(c: CompiledTaxonomy, reason: string | null, score: number | null): ThemeHit[] {
  const tokens = tokenise(reason, { negatable: (t) => lookUp(SENTIMENT, t) !== undefined });
  if (tokens.length === 0) return [];
  const n = tokens.length;
  const covered = new Uint8Array(n);
  const mentions: { theme: number; at: number; negated: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const phrases = lookUp(c.phrases, tokens[i]!);
    if (!phrases) continue;
    for (const p of phrases) {
      if (i + p.keys.length > n || covered[i]) continue;
      let ok = true;
      for (let k = 1; k < p.keys.length && ok; k++) ok = matchesKey(tokens[i + k]!, p.keys[k]!);
      if (!ok) continue;
      let negated = false;
      for (let k = 0; k < p.keys.length; k++) {
        covered[i + k] = 1;
        negated ||= tokens[i + k]!.negation !== null;
      }
      mentions.push({ theme: p.theme, at: i, negated });
    }
  }
  for (let i = 0; i < n; i++) {
    if (covered[i]) continue;
    const t = tokens[i]!;
    let themes = lookUp(c.singles, t);
    if (!themes && !t.stop) {
      const typo = typoOf(c, t.stem);
      if (typo) themes = c.singles.get(typo);
    }
    if (themes) for (const theme of themes) mentions.push({ theme, at: i, negated: t.negation !== null });
  }
  if (mentions.length === 0) return [];

  // Sentiment per segment and per clause, each word counted once.
  const bySegment = new Map<number, number>();
  const byClause = new Map<number, number>();
  for (const t of tokens) {
    const s = sentimentOf(t);
    if (s === 0) continue;
    bySegment.set(t.segment, (bySegment.get(t.segment) ?? 0) + s);
    byClause.set(t.clause, (byClause.get(t.clause) ?? 0) + s);
  }
  const wishes = wishSegments(tokens);
  const prior = scorePrior(score);

  const votes = new Map<number, { complaint: number; praise: number; wish: number }>();
  for (const m of mentions) {
    const t = tokens[m.at]!;
    let polarity: Polarity;
    if (wishes.has(t.segment)) polarity = 'wish';
    else {
      const segment = bySegment.get(t.segment) ?? 0;
      // A thing said to be missing ('нет парковки', 'no towels') is a complaint unless its words say more.
      const lexical = segment !== 0 ? 2 * segment : (byClause.get(t.clause) ?? 0) || (m.negated ? -1 : 0);
      const total = lexical + prior;
      polarity =
        total > 0
          ? 'praise'
          : total < 0
            ? 'complaint'
            : score !== null && score >= 8
              ? 'praise'
              : 'complaint';
    }
    const v = votes.get(m.theme) ?? { complaint: 0, praise: 0, wish: 0 };
    v[polarity]++;
    votes.set(m.theme, v);
  }
  const hits: ThemeHit[] = [];
  for (const [theme, v] of votes) {
    // The most said; a tie goes to the wish (a complaint and what would fix it), then the complaint.
    const polarity: Polarity =
      v.wish >= v.complaint && v.wish >= v.praise && v.wish > 0
        ? 'wish'
        : v.complaint >= v.praise
          ? 'complaint'
          : 'praise';
    hits.push({ themeId: c.ids[theme]!, polarity });
  }
  return hits;
}
