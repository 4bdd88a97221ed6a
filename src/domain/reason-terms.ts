/**
 * @module The words customers use most in their reasons: each reason tokenised (src/domain/text.ts: markup
 * stripped, ё → е, Snowball stems, Russian for Cyrillic words and English otherwise), stop words dropped (the
 * stopwords-iso lists), and the stems counted by the number of reasons that use them — so "персонал",
 * "персонала", "персоналу" are one term, and one long rant cannot outweigh many short answers.
 */
import { tokenise } from './text.js';

/** Words shorter than this say nothing about why ("ок", "да"). */
const MIN_LENGTH = 3;

export interface ReasonTerm {
  /** The form of the word seen most often for this stem ('персонал'). */
  term: string;
  stem: string;
  /** Reasons that use it. */
  count: number;
}

/** The `limit` most used terms of the reasons, most used first (ties: alphabetical, so the order is stable). */
export function reasonTerms(reasons: readonly (string | null)[], limit = 10): ReasonTerm[] {
  const counts = new Map<string, { count: number; forms: Map<string, number> }>();
  for (const reason of reasons) {
    if (!reason) continue;
    const seen = new Set<string>();
    for (const token of tokenise(reason)) {
      if (token.stop || token.word.length < MIN_LENGTH) continue;
      const entry = counts.get(token.stem) ?? { count: 0, forms: new Map() };
      entry.forms.set(token.word, (entry.forms.get(token.word) ?? 0) + 1);
      if (!seen.has(token.stem)) {
        entry.count++;
        seen.add(token.stem);
      }
      counts.set(token.stem, entry);
    }
  }
  return [...counts.entries()]
    .map(([stem, { count, forms }]) => ({ stem, count, term: commonestForm(forms) }))
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, Math.max(0, limit));
}

/** The form seen most often (ties: alphabetical). */
export function commonestForm(forms: Map<string, number>): string {
  return [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}
