import {
  beginText,
  endText,
  PDFName,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import type { Box, Leaf, TextLine } from '../document/model.js';
import { toCanvas } from '../presentation/leaf-regions.js';
import type { FontMetrics } from './font.js';
import { toPage, type Size } from './page-geometry.js';

/** One word of the text layer, in PDF points. */
export interface PlacedWord {
  readonly text: string;
  /** Left edge and baseline. */
  readonly x: number;
  readonly baseline: number;
  readonly size: number;
  /** Horizontal scaling in percent (PDF `Tz`): stretches the word to its box's width. */
  readonly squeeze: number;
}

export interface PlacedLine {
  readonly words: readonly PlacedWord[];
}

/** The vertical span every word of a line covers, in page points (y up); null when the words share none. */
function sharedBand(boxes: readonly Box[]): { bottom: number; top: number } | null {
  const bottom = Math.max(...boxes.map((b) => b.y));
  const top = Math.min(...boxes.map((b) => b.y + b.h));
  return top > bottom ? { bottom, top } : null;
}

/**
 * Where each word of a leaf's ALTO goes on its page. A reader selects and searches what it
 * finds at these places, and pdftotext reports the font's ascent-to-descent box, so:
 * - every line gets one baseline and every block one font size, because PDF readers join
 *   words into lines (and lines into paragraphs) only when baselines and sizes agree;
 * - the em box (the font's declared ascent to descent, TEXT_LAYER_METRICS) is the band all
 *   words of the line share, so each word's reported box lies inside its own ALTO box;
 * - the width is matched by horizontal scaling, not by the font size, which is already
 *   fixed by the height.
 * Lines without geometry (a plain-text transcription) place nothing: there is nowhere true to put them.
 */
export function placeWords(
  leaf: Leaf,
  image: Size,
  page: Size,
  metrics: FontMetrics,
  advance: (text: string) => number,
): PlacedLine[] {
  const em = metrics.ascent - metrics.descent;
  const out: PlacedLine[] = [];
  for (const block of leaf.transcription.blocks) {
    const lines = block.lines
      .map((line) => placedBoxes(line, leaf, image, page))
      .filter((words) => words.length > 0)
      .map((words) => ({ words, band: sharedBand(words.map((w) => w.box)) ?? unionBand(words.map((w) => w.box)) }));
    if (lines.length === 0) continue;
    const size = Math.min(...lines.map((l) => l.band.top - l.band.bottom)) / em;
    for (const { words, band } of lines) {
      // The em box centred on the shared band: it fits, since the size came from the narrowest band.
      const baseline = (band.top + band.bottom) / 2 - ((metrics.ascent + metrics.descent) / 2) * size;
      out.push({
        // A word the font has no width for (no glyphs) cannot be stretched to its box: left out.
        words: words.flatMap(({ text, box }) => {
          const width = advance(text) * size;
          return width > 0 ? [{ text, x: box.x, baseline, size, squeeze: (100 * box.w) / width }] : [];
        }),
      });
    }
  }
  return out;
}

function unionBand(boxes: readonly Box[]): { bottom: number; top: number } {
  return { bottom: Math.min(...boxes.map((b) => b.y)), top: Math.max(...boxes.map((b) => b.y + b.h)) };
}

/**
 * The line's words that can be placed: with text, and a box that lies (at least partly) on the
 * image. A line with a box but no word boxes is placed as one run over its box.
 */
function placedBoxes(line: TextLine, leaf: Leaf, image: Size, page: Size): { text: string; box: Box }[] {
  const words = line.words.length > 0 || !line.box ? line.words : [{ text: line.text, box: line.box }];
  return words.flatMap((word) => {
    const onImage = toCanvas(word.box, leaf, image);
    return word.text.trim() !== '' && onImage ? [{ text: word.text, box: toPage(onImage, image, page) }] : [];
  });
}

/**
 * Writes the placed words in text render mode 3 (neither filled nor stroked): invisible over
 * the image, yet selectable, searchable and read aloud.
 */
export function drawTextLayer(page: PDFPage, font: PDFFont, lines: readonly PlacedLine[]): void {
  if (lines.length === 0) return;
  const key: PDFName = page.node.newFontDictionary(font.name, font.ref);
  for (const line of lines) {
    page.pushOperators(beginText(), setTextRenderingMode(TextRenderingMode.Invisible));
    for (const word of line.words) {
      page.pushOperators(
        setFontAndSize(key, word.size),
        setCharacterSqueeze(word.squeeze),
        setTextMatrix(1, 0, 0, 1, word.x, word.baseline),
        showText(font.encodeText(word.text)),
      );
    }
    page.pushOperators(endText());
  }
}
