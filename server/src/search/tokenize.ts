/**
 * Splits text into word tokens with their character offsets. A token is a run of letters
 * and digits; hyphens and apostrophes inside a word join its parts ("по-прежнему",
 * "VKP(b)" gives "vkp" and "b"). Everything else is a separator, so punctuation is ignored.
 */

export interface Token {
  /** The token as written, without surrounding punctuation. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const word = /[\p{L}\p{N}\p{M}]+(?:[-\u2010\u2011'’][\p{L}\p{N}\p{M}]+)*/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(word)) {
    tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

const joiners = /[-\u2010\u2011'’]/g;

/** The parts of a hyphenated or apostrophised word, e.g. "по-прежнему" → ["по", "прежнему"]. */
export function wordParts(token: string): string[] {
  return token.split(joiners).filter((p) => p !== '');
}

/** The word with its inner hyphens and apostrophes removed: "по-прежнему" → "попрежнему". */
export function joinedWord(token: string): string {
  return token.replace(joiners, '');
}

/** Characters that mark a word broken at the end of a line (hyphen, soft hyphen, not sign). */
const lineBreakHyphen = /[-\u00ad\u2010\u2011\u00ac\u2e17]$/u;

export function endsWithBreakHyphen(text: string): boolean {
  return lineBreakHyphen.test(text);
}
