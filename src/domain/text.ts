/**
 * @module Text of the reasons people give, made ready for counting and matching: markup stripped, case folded,
 * ё read as е, split into words, each word reduced to its Snowball stem (Russian for Cyrillic words, English
 * otherwise), stop words flagged (stopwords-iso), sentences and comma segments numbered, and the scope of each
 * negation ("не грязно", "not dirty", "очередей нет") marked. Bounded: at most MAX_TEXT characters are read,
 * so a 10,000-character paste costs no more than that.
 */
import { newStemmer } from 'snowball-stemmers';
import stopwordsIso from 'stopwords-iso/stopwords-iso.json' with { type: 'json' };

/** Characters of a reason that are read at most (the survey page takes 2,000; imports may carry more). */
export const MAX_TEXT = 10_000;

const russian = newStemmer('russian');
const english = newStemmer('english');
const cyrillic = /[а-я]/;

const lists = stopwordsIso as Record<string, string[]>;
const stopWords: ReadonlySet<string> = new Set(
  [...(lists.ru ?? []), ...(lists.en ?? [])].map((w) => foldCase(w)),
);

/** Lower case, ё → е (Russian writes both; people type е). */
export function foldCase(text: string): string {
  return text.toLowerCase().replaceAll('ё', 'е');
}

export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Plain text of a reason that may hold HTML or Markdown (pasted from e-mail, typed by a tester): tags, script and
 * style bodies, links' URLs and Markdown emphasis go; entities are decoded; the words stay.
 */
export function stripMarkup(text: string): string {
  return text
    .slice(0, MAX_TEXT)
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?(p|div|br|li|tr|h[1-6])\b[^>]*>/gi, '. ')
    .replace(/<[^>]{0,500}>/g, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\[([^\]]{0,200})\]\([^)]{0,500}\)/g, '$1')
    .replace(/\bhttps?:\/\/\S+/gi, ' ')
    .replace(/[*_`~#>|]+/g, ' ');
}

/** A bounded cache of stems: people reuse a few thousand words, and a Snowball call costs ~7 µs. */
const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** The Snowball stem of one folded word: 'персоналу' → 'персона', 'waiting' → 'wait'. */
export function stemOf(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const stem = (cyrillic.test(word) ? russian : english).stem(word);
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(word, stem);
  return stem;
}

/**
 * The key a keyword or lexicon word is matched by: its stem, unless Snowball cut it to under four letters from a
 * longer word — 'запах' → 'зап' would also be the stem of 'запись' — then the word itself ('=запах').
 */
export function keyOf(word: string): string {
  const stem = stemOf(word);
  return stem.length >= 4 || stem === word ? stem : `=${word}`;
}

/** Looks a token up in a map keyed by keyOf: by its stem, then by the word itself. */
export function lookUp<T>(map: ReadonlyMap<string, T>, token: Token): T | undefined {
  return map.get(token.stem) ?? map.get(`=${token.word}`);
}

/** Whether a token matches a key made by keyOf. */
export function matchesKey(token: Token, key: string): boolean {
  return key === token.stem || (key.charCodeAt(0) === 61 && key.slice(1) === token.word);
}

export interface Token {
  /** The folded word ('грязно', 'not'). */
  word: string;
  stem: string;
  stop: boolean;
  /** Sentence number: split on . ! ? ; new lines and contrastive conjunctions ('но', 'but'). */
  clause: number;
  /** Comma segment number inside the text (a finer split than the clause). */
  segment: number;
  /**
   * The negation that governs this word, if any: 'not' flips what the word says ('не грязно' is praise),
   * 'absence' says the thing is missing ('нет парковки' is a complaint, 'нет очередей' praise).
   */
  negation: 'not' | 'absence' | null;
  /** This word is itself a negator. */
  negator: boolean;
}

/** Words that open a new clause: what follows may say the opposite of what came before. */
const CONTRAST = new Set([
  'но',
  'однако',
  'зато',
  'хотя',
  'but',
  'however',
  'though',
  'although',
  'except',
  'yet',
]);
const NOT = new Set(['не', 'ни', 'нисколько', 'not', 'never', 'nor', 'nothing', 'никогда']);
const ABSENCE = new Set(['нет', 'без', 'no', 'without', 'none', 'lack', 'lacks', 'lacking', 'missing']);
/** How many words after a negator it can reach ('не очень чисто': two). */
const NEGATION_REACH = 4;
/**
 * Words a negation passes over on its way to the word it negates: intensifiers, auxiliaries, prepositions ('не
 * очень чисто', 'не пришлось ждать', "didn't have to wait", 'нет в душе горячей воды').
 */
const NEGATION_TRANSPARENT = new Set(
  (
    'очень слишком совсем так такой такая особо особенно всегда вообще было был была были будет быть бывает ' +
    'пришлось приходится приходилось стало стал стала стали удалось смог смогла смогли там тут здесь в во на с со ' +
    'у к по и даже is was were are be been being am too very so that really at all the a an to have had has get ' +
    'got any much always quite there here in on of with even'
  ).split(' '),
);

const LOOKALIKES: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  x: 'х',
  y: 'у',
  k: 'к',
  m: 'м',
  t: 'т',
  h: 'н',
  b: 'в',
};

/** A Cyrillic word typed with Latin look-alike letters ('трeнажер' with a Latin e) is read as Cyrillic. */
function fixMixedScript(word: string): string {
  if (!cyrillic.test(word) || !/[a-z]/.test(word)) return word;
  return word.replace(/[a-z]/g, (ch) => LOOKALIKES[ch] ?? ch);
}

/** English contractions that hide a negation: "wasn't" → "was not", "can't" → "can not". */
function expandContractions(text: string): string {
  return text.replace(/\b(ca|wo|sha)n['’]t\b/g, '$1 not').replace(/n['’]t\b/g, ' not');
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[.!?;\n]+|,|[—–]\s/gu;

/**
 * The words of a reason with their stems, clauses, segments and negation scope. Markup is stripped first, only
 * MAX_TEXT characters are read, and text without letters (emoji, punctuation) gives no tokens.
 */
export function tokenise(
  raw: string | null | undefined,
  options: { negatable?: (token: Token) => boolean } = {},
): Token[] {
  if (!raw) return [];
  const text = expandContractions(foldCase(stripMarkup(raw)));
  const tokens: Token[] = [];
  let clause = 0;
  let segment = 0;
  let pendingBreak = false;
  for (const match of text.matchAll(WORD)) {
    const piece = match[0];
    if (/^[.!?;\n]/.test(piece)) {
      if (tokens.length) {
        clause++;
        segment++;
      }
      continue;
    }
    if (piece === ',' || piece[0] === '—' || piece[0] === '–') {
      if (tokens.length) segment++;
      continue;
    }
    const word = fixMixedScript(piece.replaceAll('’', "'"));
    if (CONTRAST.has(word)) {
      if (tokens.length) pendingBreak = true;
      continue;
    }
    if (pendingBreak) {
      clause++;
      segment++;
      pendingBreak = false;
    }
    // A word with digits only ('10', '2026') says nothing about why: kept out.
    if (/^\p{N}+$/u.test(word)) continue;
    tokens.push({
      word,
      stem: stemOf(word),
      stop: stopWords.has(word),
      clause,
      segment,
      negation: null,
      negator: NOT.has(word) || ABSENCE.has(word),
    });
  }
  markNegation(tokens, options.negatable);
  return tokens;
}

/**
 * Marks the word each negator reaches: the first word after it that is not an intensifier, auxiliary or
 * preposition, at most NEGATION_REACH words away in the same segment. A 'нет' at the end of its segment ('очередей нет', 'претензий нет') reaches
 * back to the word before it, as Russian puts it there.
 */
function markNegation(tokens: Token[], negatable?: (token: Token) => boolean): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.negator) continue;
    const kind = ABSENCE.has(t.word) ? 'absence' : 'not';
    const next = tokens[i + 1];
    const endsSegment = !next || next.segment !== t.segment;
    if (t.word === 'нет' && endsSegment && i > 0 && tokens[i - 1]!.segment === t.segment) {
      // 'Претензий к персоналу нет': the word it denies may stand a few words back.
      let target = i - 1;
      for (let k = i - 1; k >= 0 && k >= i - NEGATION_REACH && tokens[k]!.segment === t.segment; k--) {
        if (negatable?.(tokens[k]!)) {
          target = k;
          break;
        }
      }
      tokens[target]!.negation = 'absence';
      continue;
    }
    for (let k = i + 1; k < tokens.length && k <= i + NEGATION_REACH; k++) {
      const u = tokens[k]!;
      if (u.negator || u.segment !== t.segment) break;
      if (NEGATION_TRANSPARENT.has(u.word)) continue;
      u.negation = kind;
      break;
    }
  }
}

/** Stems of a text in order, for matching a keyword or phrase: 'Хамство администратора!' → ['хамств', 'администратор']. */
export function stemsOf(text: string): string[] {
  return tokenise(text).map((t) => t.stem);
}
