import { LRUCache } from 'lru-cache';
import { foldText, hasCyrillic } from './fold.js';
import { stemOf } from './stem.js';
import { joinedWord, wordParts } from './tokenize.js';
import { latinSpellings } from './transliterate.js';

/**
 * Stemming and transliteration are the costly steps of indexing, and words repeat — within a
 * document and across the documents of a fond, which share most of their vocabulary — so each
 * word is analysed once per process while it stays among the most recent ones. Both are pure
 * functions of the word: sharing their results changes no index. About 100 bytes a word.
 */
const wordsKept = 65_536;
const stems = new LRUCache<string, string>({ max: wordsKept });
const spellings = new LRUCache<string, readonly string[]>({ max: wordsKept });

export class Analyzer {
  stem(folded: string): string {
    let s = stems.get(folded);
    if (s === undefined) stems.set(folded, (s = stemOf(folded)));
    return s;
  }

  latin(folded: string): readonly string[] {
    let l = spellings.get(folded);
    if (l === undefined) spellings.set(folded, (l = hasCyrillic(folded) ? latinSpellings(folded) : []));
    return l;
  }

  /** Keys of a written word: its stem, plus each part's stem when it is hyphenated. */
  keys(written: string): string[] {
    const folded = foldText(written);
    const keys = new Set([this.stem(joinedWord(folded))]);
    const parts = wordParts(folded);
    if (parts.length > 1) for (const p of parts) keys.add(this.stem(p));
    return [...keys];
  }
}
