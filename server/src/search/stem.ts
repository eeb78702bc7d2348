import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as russianStemmer } from '@orama/stemmers/russian';
import { hasCyrillic, hasLatin } from './fold.js';

/** "38th" → "38", so the English "38th parallel" meets the Russian «38 параллели». */
const ordinal = /^(\d+)(?:st|nd|rd|th)$/;

/**
 * The index key of one folded word: its Snowball stem in the word's own script
 * (Russian for Cyrillic, English for Latin); numbers and mixed words stay as they are.
 */
export function stemOf(folded: string): string {
  const number = ordinal.exec(folded);
  if (number) return number[1]!;
  const cyr = hasCyrillic(folded);
  const lat = hasLatin(folded);
  if (cyr && !lat) return russianStemmer(folded);
  if (lat && !cyr) return englishStemmer(folded);
  return folded;
}
