import { hasCyrillic, hasLatin } from './fold.js';
import { layerKey, type SearchIndex } from './search-index.js';
import { stemOf } from './stem.js';
import { joinedWord } from './tokenize.js';

/** Latin queries shorter than this are not read as transliterated Russian ("a", "on", "to"). */
const minTransliterated = 3;
/** Letters of Russian ending a Latin query may carry beyond a stem's spelling ("peregovor|am"). */
const maxLatinEnding = 3;

/**
 * The index keys a folded query word answers to, in both layers: its stem in its own script
 * and, for a Latin word, the Russian stems it spells in a common romanisation.
 */
export function expandWord(index: SearchIndex, word: string): Set<string> {
  // A hyphenated query word is looked up whole, as the index also keys hyphenated words whole.
  const joined = joinedWord(word);
  const stem = stemOf(joined);
  const keys = new Set([layerKey('ru', stem), layerKey('en', stem)]);
  if (hasLatin(joined) && !hasCyrillic(joined) && joined.length >= minTransliterated) {
    const spelled = /^[a-z0-9]+$/.test(joined) ? joined : '';
    for (const russian of index.latinWords.get(spelled) ?? []) keys.add(layerKey('ru', russian));
    for (let cut = 0; cut <= maxLatinEnding; cut++) {
      const prefix = spelled.slice(0, spelled.length - cut);
      if (prefix.length < 4) break;
      for (const russian of index.latinStems.get(prefix) ?? []) keys.add(layerKey('ru', russian));
    }
  }
  return keys;
}
