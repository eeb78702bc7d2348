import { rgb, type PDFDocument, type PDFFont } from 'pdf-lib';
import { A4_WIDTH_PT } from './page-geometry.js';

/** A part of the closing page: an interface heading and text from the document's data. */
export interface ClosingSection {
  readonly heading: string;
  /** Paragraphs; a subheading (a leaf's label) is a paragraph of its own, marked as such. */
  readonly paragraphs: readonly { readonly text: string; readonly subheading?: boolean }[];
}

const A4_HEIGHT_PT = (297 / 25.4) * 72;
const MARGIN = 48;
/** Type sizes tried in turn: the largest at which everything fits one page wins. */
const SIZES = [10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5];
const LEADING = 1.3;

/**
 * Greedy line breaking at spaces: as many words as fit `width`; a word wider than the line is
 * broken where it must be, so no text runs off the page. A line's width is the sum of its
 * words' and spaces' (kerning across a space is ignored): shaping each word once keeps this
 * linear, where measuring every candidate line reshapes it again and again.
 */
export function wrapText(text: string, width: number, widthOf: (s: string) => number): string[] {
  const space = widthOf(' ');
  const lines: string[] = [];
  let current = '';
  let used = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = widthOf(word);
    if (current && used + space + w <= width) {
      current += ` ${word}`;
      used += space + w;
      continue;
    }
    if (current) lines.push(current);
    current = word;
    used = w;
    while (used > width && current.length > 1) {
      let cut = current.length - 1;
      while (cut > 1 && widthOf(current.slice(0, cut)) > width) cut--;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
      used = widthOf(current);
    }
  }
  if (current) lines.push(current);
  return lines;
}

interface Run {
  readonly text: string;
  readonly size: number;
  /** Space above, in points. */
  readonly before: number;
  readonly grey?: boolean;
}

/** Widths at size 1, each string shaped once. */
function widths(font: PDFFont): (s: string) => number {
  const known = new Map<string, number>();
  return (s) => {
    let w = known.get(s);
    if (w === undefined) {
      w = font.widthOfTextAtSize(s, 1);
      known.set(s, w);
    }
    return w;
  };
}

function layout(sections: readonly ClosingSection[], widthOf: (s: string) => number, size: number): Run[] {
  const width = A4_WIDTH_PT - 2 * MARGIN;
  const runs: Run[] = [];
  for (const section of sections) {
    const heading = size * 1.3;
    wrapText(section.heading, width, (s) => widthOf(s) * heading).forEach((text, i) =>
      runs.push({ text, size: heading, before: i === 0 && runs.length > 0 ? size * 1.2 : 0 }),
    );
    for (const paragraph of section.paragraphs) {
      wrapText(paragraph.text, width, (s) => widthOf(s) * size).forEach((text, i) =>
        runs.push({ text, size, before: i === 0 ? size * 0.45 : 0, ...(paragraph.subheading && { grey: true }) }),
      );
    }
  }
  return runs;
}

const heightOf = (runs: readonly Run[]) => runs.reduce((h, r) => h + r.before + r.size * LEADING, 0);

/**
 * Appends the closing page: A4, the sections set in `font` at the largest size that fits one
 * page; text that would not fit even at the smallest size goes on to further pages.
 */
export function addClosingPages(doc: PDFDocument, font: PDFFont, sections: readonly ClosingSection[]): number {
  const room = A4_HEIGHT_PT - 2 * MARGIN;
  const widthOf = widths(font);
  const size = SIZES.find((s) => heightOf(layout(sections, widthOf, s)) <= room) ?? SIZES[SIZES.length - 1]!;
  let page = doc.addPage([A4_WIDTH_PT, A4_HEIGHT_PT]);
  let pages = 1;
  let y = A4_HEIGHT_PT - MARGIN;
  for (const run of layout(sections, widthOf, size)) {
    const step = run.before + run.size * LEADING;
    if (y - step < MARGIN) {
      page = doc.addPage([A4_WIDTH_PT, A4_HEIGHT_PT]);
      pages++;
      y = A4_HEIGHT_PT - MARGIN;
    } else {
      y -= run.before;
    }
    y -= run.size * LEADING;
    page.drawText(run.text, { x: MARGIN, y, size: run.size, font, color: run.grey ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0) });
  }
  return pages;
}
