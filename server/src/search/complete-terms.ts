import { foldText, hasCyrillic, hasLatin } from './fold.js';
import type { SearchIndex } from './search-index.js';
import { joinedWord, tokenize } from './tokenize.js';

export interface Completion {
  readonly word: string;
  readonly count: number;
  /** Set when every occurrence is in one layer. */
  readonly language: string | null;
}

/** Most terms one autocomplete answer lists. */
export const maxCompletions = 20;

/**
 * Words of both layers that begin with the characters typed (folded the way the index is),
 * with their counts; Latin input also completes Russian words by their romanisation
 * ("pereg" → «переговоры»). The most frequent are kept, then listed alphabetically.
 */
export function completeTerms(index: SearchIndex, typed: string, min = 1): Completion[] {
  // Punctuation is ignored as in search (a leading quote of a phrase being typed, say).
  const prefix = joinedWord(foldText(tokenize(typed).map((t) => t.text).join(' ')));
  if (prefix === '') return [];
  const matching = new Set(withPrefix(index.vocabulary, (e) => e.word, prefix));
  if (hasLatin(prefix) && !hasCyrillic(prefix)) {
    for (const { entry } of withPrefix(index.latinVocabulary, (s) => s.spelling, prefix)) matching.add(entry);
  }
  const found = new Map<string, { count: number; languages: Set<string> }>();
  for (const entry of matching) {
    const f = found.get(entry.word) ?? { count: 0, languages: new Set<string>() };
    f.count += entry.count;
    f.languages.add(entry.language);
    found.set(entry.word, f);
  }
  return [...found.entries()]
    .filter(([, f]) => f.count >= min)
    .sort(([a, fa], [b, fb]) => fb.count - fa.count || (a < b ? -1 : 1))
    .slice(0, maxCompletions)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([word, f]) => ({ word, count: f.count, language: f.languages.size === 1 ? [...f.languages][0]! : null }));
}

/**
 * The items of `sorted` (ascending by `keyOf`) whose key begins with `prefix`: they are
 * contiguous, found by binary search rather than a scan of the whole vocabulary.
 */
function withPrefix<T>(sorted: readonly T[], keyOf: (item: T) => string, prefix: string): readonly T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(sorted[mid]!) < prefix) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && keyOf(sorted[end]!).startsWith(prefix)) end++;
  return sorted.slice(lo, end);
}
