import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFDict, PDFName, PDFNumber, type PDFDocument, type PDFFont } from 'pdf-lib';

/**
 * PT Sans (SIL Open Font License): one face with Latin and Cyrillic, made for Russian, so
 * the Russian text layer and the English closing page are set in the same font.
 */
const fontFile = createRequire(import.meta.url).resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf');

/** Vertical metrics in ems, as a PDF font descriptor states them. */
export interface FontMetrics {
  /** Above the baseline, positive. */
  readonly ascent: number;
  /** Below the baseline, negative. */
  readonly descent: number;
}

/**
 * The metrics the text layer's copy of the font declares. Readers size a word's box (the
 * selection, pdftotext's bbox) from the declared ascent and descent, but decide which words
 * form a line from the font size: a word gap wider than about 0.7 of it starts a new column.
 * The facsimile's typewriter spacing is wider than that at any size whose true ascent and
 * descent fit the line, so the invisible layer declares a short em box (0.3 em) and is set
 * large: the boxes fit the words and the gaps stay small against the size.
 */
export const TEXT_LAYER_METRICS: FontMetrics = { ascent: 0.2, descent: -0.1 };

let bytes: Uint8Array | undefined;

function fontBytes(): Uint8Array {
  bytes ??= readFileSync(fontFile);
  return bytes;
}

/**
 * Embeds the font: the invisible text layer's copy as a subset (kilobytes, not the whole face),
 * the visible closing page's whole. fontkit's subsets leave out the hinting programs (fpgm,
 * prep, cvt) that the face's glyph instructions call, and FreeType-based readers (poppler:
 * Evince, Okular) then draw many glyphs as nothing; invisible text is never drawn, so only
 * the visible copy pays the face's 160 KB.
 */
export async function embedTextFont(doc: PDFDocument, options: { subset: boolean }): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(fontBytes(), { subset: options.subset });
}

const lookupDict = (doc: PDFDocument, dict: PDFDict, key: string): PDFDict => {
  const value = dict.get(PDFName.of(key));
  const found = value instanceof PDFArray ? doc.context.lookup(value.get(0), PDFDict) : doc.context.lookup(value, PDFDict);
  if (!found) throw new Error(`font without /${key}`);
  return found;
};

/**
 * Writes a font once all its text is set, named without the random number pdf-lib appends
 * (which would make every build of the same data different bytes): a subset as PDF subsets
 * are named, a six-letter tag from the glyphs it holds and `+Name` (`glyphs`: the text it
 * was used for). `metrics`, when given, replaces the declared ascent and descent (see
 * TEXT_LAYER_METRICS).
 */
export async function finishFont(
  doc: PDFDocument,
  font: PDFFont,
  options: { subsetOf?: string; metrics?: FontMetrics },
): Promise<void> {
  await font.embed();
  const type0 = doc.context.lookup(font.ref, PDFDict);
  const cidFont = lookupDict(doc, type0, 'DescendantFonts');
  const descriptor = lookupDict(doc, cidFont, 'FontDescriptor');
  const base = font.name.replace(/-\d+$/, '');
  let tag = '';
  if (options.subsetOf !== undefined) {
    const digest = createHash('sha256').update(options.subsetOf).digest();
    tag = `${[...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('')}+`;
  }
  const name = PDFName.of(`${tag}${base}`);
  type0.set(PDFName.of('BaseFont'), name);
  cidFont.set(PDFName.of('BaseFont'), name);
  descriptor.set(PDFName.of('FontName'), name);
  if (options.metrics) {
    descriptor.set(PDFName.of('Ascent'), PDFNumber.of(Math.round(options.metrics.ascent * 1000)));
    descriptor.set(PDFName.of('Descent'), PDFNumber.of(Math.round(options.metrics.descent * 1000)));
  }
}
