import { BadRequestError } from '../errors.js';
import { foldText } from './fold.js';
import { tokenize } from './tokenize.js';

/** Longest `q` we accept, in characters: far above any real query, far below a costly one. */
export const maxQueryLength = 500;
/** Most words in one query. */
export const maxQueryWords = 20;

/** Control characters other than tab and line breaks (which count as spaces). */
const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * A query clause: one word, or a phrase in double quotes whose words must follow each other.
 * Words are folded and stripped of punctuation; a clause with no word left is dropped.
 */
export type Clause = readonly string[];

/** Rejects what no text can match and would only cost us: control characters, huge queries. */
export function checkQueryText(q: string, name = 'q'): void {
  if (q.length > maxQueryLength) {
    throw new BadRequestError(`${name} is too long: at most ${maxQueryLength} characters`);
  }
  if (control.test(q)) throw new BadRequestError(`${name} contains control characters`);
}

/**
 * Parses `q`: words separated by spaces, phrases in straight or typographic double quotes
 * (an unclosed quote runs to the end). Every clause must match on a canvas for it to match.
 */
export function parseQuery(q: string): Clause[] {
  checkQueryText(q);
  const clauses: Clause[] = [];
  // Even-numbered pieces are outside quotes, odd-numbered ones inside.
  q.split(/["“”„«»]/).forEach((piece, i) => {
    const words = tokenize(piece).map((t) => foldText(t.text));
    if (i % 2 === 1) {
      if (words.length > 0) clauses.push(words);
    } else {
      for (const w of words) clauses.push([w]);
    }
  });
  const count = clauses.reduce((n, c) => n + c.length, 0);
  if (count > maxQueryWords) throw new BadRequestError(`q has too many words: at most ${maxQueryWords}`);
  return clauses;
}
