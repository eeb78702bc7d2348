import { foldText, hasCyrillic } from './fold.js';
import { stemOf } from './stem.js';
import { joinedWord, wordParts } from './tokenize.js';
import { latinSpellings } from './transliterate.js';

/** Stemming and transliteration are the costly steps; words repeat, so each is done once. */
export class Analyzer {
  private readonly stems = new Map<string, string>();
  private readonly spellings = new Map<string, string[]>();

  stem(folded: string): string {
    let s = this.stems.get(folded);
    if (s === undefined) this.stems.set(folded, (s = stemOf(folded)));
    return s;
  }

  latin(folded: string): string[] {
    let l = this.spellings.get(folded);
    if (l === undefined) this.spellings.set(folded, (l = hasCyrillic(folded) ? latinSpellings(folded) : []));
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
