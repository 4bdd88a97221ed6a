/**
 * @module The words customers use most in their reasons: each reason split into words, stop words dropped
 * (the stopwords-iso lists for Russian and English), the rest reduced to Snowball stems (Russian for Cyrillic
 * words, English otherwise), and the stems counted by the number of reasons that use them — so "персонал",
 * "персонала", "персоналу" are one term, and one long rant cannot outweigh many short answers.
 */
import { newStemmer } from 'snowball-stemmers';
import stopwordsIso from 'stopwords-iso/stopwords-iso.json' with { type: 'json' };

const russian = newStemmer('russian');
const english = newStemmer('english');
const cyrillic = /[а-я]/;
const lists = stopwordsIso as Record<string, string[]>;
const stopWords: ReadonlySet<string> = new Set(
  [...(lists.ru ?? []), ...(lists.en ?? [])].map((w) => w.toLowerCase().replaceAll('ё', 'е')),
);
/** Words that say nothing about why in an answer about a service ("всё", "very", "good" are in the lists already). */
const MIN_LENGTH = 3;

export interface ReasonTerm {
  /** The form of the word seen most often for this stem ('персонал'). */
  term: string;
  stem: string;
  /** Reasons that use it. */
  count: number;
}

function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replaceAll('ё', 'е')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= MIN_LENGTH && !/^\p{N}+$/u.test(w) && !stopWords.has(w));
}

const stemOf = (word: string) => (cyrillic.test(word) ? russian : english).stem(word);

/** The `limit` most used terms of the reasons, most used first (ties: alphabetical, so the order is stable). */
export function reasonTerms(reasons: readonly (string | null)[], limit = 10): ReasonTerm[] {
  const counts = new Map<string, { count: number; forms: Map<string, number> }>();
  for (const reason of reasons) {
    if (!reason) continue;
    const seen = new Set<string>();
    for (const word of wordsOf(reason)) {
      const stem = stemOf(word);
      const entry = counts.get(stem) ?? { count: 0, forms: new Map() };
      entry.forms.set(word, (entry.forms.get(word) ?? 0) + 1);
      if (!seen.has(stem)) {
        entry.count++;
        seen.add(stem);
      }
      counts.set(stem, entry);
    }
  }
  return [...counts.entries()]
    .map(([stem, { count, forms }]) => ({
      stem,
      count,
      term: [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0],
    }))
    .sort((a, b) => b.count - a.count || a.term.localeCompare(b.term))
    .slice(0, Math.max(0, limit));
}
