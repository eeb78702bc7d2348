/**
 * A transcript without geometry: paragraphs separated by blank lines, one line of the page per
 * line of the file. Lines have text but no words and no boxes. Ids follow the ALTO writer's scheme (`l43-b2-l3-w4`), so a translation
 * mapped to block ids works with either source. Boxes are null: annotations target the page.
 */
import type { TextBlock } from './model.js';

export function parsePlainText(text: string, leafId: string): TextBlock[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trim().split(/\s+/).filter((w) => w !== ''))
        .filter((words) => words.length > 0),
    )
    .filter((lines) => lines.length > 0)
    .map((lines, b) => {
      const blockId = `${leafId}-b${b + 1}`;
      return {
        id: blockId,
        box: null,
        // Words exist only with geometry; the line's text carries them here.
        lines: lines.map((words, l) => ({ id: `${blockId}-l${l + 1}`, text: words.join(' '), box: null, words: [] })),
      };
    });
}
