/**
 * Sets paragraphs as a typist would on a fixed-pitch machine: every character takes one
 * column, lines break between words (no hyphenation), paragraphs open with a tab indent.
 * Pure: rows and columns only; pixels are the renderer's business.
 */
import type { ParagraphKind, SourceParagraph } from './seed-text.js';

export interface SetWord {
  readonly text: string;
  /** First column of the word. */
  readonly col: number;
}

export interface SetLine {
  /** Line position in units of the line pitch, from the first line of the leaf. */
  readonly row: number;
  readonly words: readonly SetWord[];
}

export interface SetBlock {
  readonly kind: ParagraphKind;
  readonly lines: readonly SetLine[];
}

export interface TypesetOptions {
  /** Characters per line. */
  readonly columns: number;
  /** Paragraph indent (the typist's tab), in columns. */
  readonly indent: number;
}

function wrap(words: readonly string[], first: number, columns: number): SetWord[][] {
  const lines: SetWord[][] = [];
  let line: SetWord[] = [];
  let col = first;
  for (const word of words) {
    if (word.length > columns) throw new Error(`typeset: "${word}" is longer than a line`);
    const start = line.length === 0 ? col : col + 1;
    if (start + word.length > columns) {
      lines.push(line);
      line = [{ text: word, col: 0 }];
      col = word.length;
    } else {
      line.push({ text: word, col: start });
      col = start + word.length;
    }
  }
  lines.push(line);
  return lines;
}

/** Lays out one leaf's paragraphs; blank rows separate the salutation and the signature. */
export function typeset(paragraphs: readonly SourceParagraph[], options: TypesetOptions): SetBlock[] {
  const { columns, indent } = options;
  const blocks: SetBlock[] = [];
  let row = 0;
  for (const { kind, text } of paragraphs) {
    const words = text.split(/\s+/).filter((w) => w !== '');
    let first: number;
    if (kind === 'salutation') first = Math.max(0, Math.floor((columns - text.length) / 2));
    else if (kind === 'signature') first = Math.max(0, columns - text.length - indent);
    else if (kind === 'continuation') first = 0;
    else first = indent;
    if (kind === 'signature' && row > 0) row += 1;
    const lines = wrap(words, first, columns).map((ws, i) => ({ row: row + i, words: ws }));
    row += lines.length;
    if (kind === 'salutation') row += 1;
    blocks.push({ kind, lines });
  }
  return blocks;
}

/** Rows the leaf needs, blank rows included. */
export function rowsUsed(blocks: readonly SetBlock[]): number {
  const last = blocks.at(-1)?.lines.at(-1);
  return last ? last.row + 1 : 0;
}
