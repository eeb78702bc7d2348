/**
 * Folding applied identically to indexed text and to queries, so that matching is
 * case-insensitive, treats «ё» as «е» and ignores stress marks and Latin accents.
 */

/** Combining marks to drop: all but U+0306 (breve), which makes «й» a letter of its own. */
const droppedMarks = /[\u0300-\u0305\u0307-\u036f]/g;

export function foldText(text: string): string {
  return text.normalize('NFD').replace(droppedMarks, '').normalize('NFC').toLowerCase();
}

const cyrillic = /\p{Script=Cyrillic}/u;
const latin = /\p{Script=Latin}/u;

export function hasCyrillic(text: string): boolean {
  return cyrillic.test(text);
}

export function hasLatin(text: string): boolean {
  return latin.test(text);
}
