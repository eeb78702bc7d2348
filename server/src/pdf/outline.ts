import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNull, PDFNumber, type PDFDocument, type PDFRef } from 'pdf-lib';
import type { Section } from '../document/model.js';

/** A bookmark: a title, the page (0-based) it opens and how far down it (points from the bottom). */
export interface OutlineEntry {
  readonly title: string;
  readonly page: number;
  readonly top: number;
  readonly children: readonly OutlineEntry[];
}

/** Where a section starts in the PDF, or undefined when none of it is on these pages. */
export type SectionPlace = (targets: readonly string[]) => { page: number; top: number } | undefined;

/**
 * The table of contents as bookmarks: each section opens at the first page that holds any of
 * its blocks or lines. In a PDF of some leaves only (a leaf's own), a section none of whose
 * text is there opens where its first subsection does, or is left out when none is, so no
 * bookmark points outside the file.
 */
export function outlineEntries(sections: readonly Section[], place: SectionPlace, title: (s: Section) => string): OutlineEntry[] {
  return sections.flatMap((section) => {
    const children = outlineEntries(section.items, place, title);
    const at = place(section.targets) ?? children[0];
    return at ? [{ title: title(section), page: at.page, top: at.top, children }] : children;
  });
}

/**
 * Writes the bookmarks into the catalog's /Outlines (PDF 1.7 §12.3.3). pdf-lib has no outline
 * API, so the dictionaries are made directly: each item links to its parent and siblings, and
 * opens an /XYZ destination on its page. Top-level items are shown open.
 */
export function writeOutline(doc: PDFDocument, entries: readonly OutlineEntry[]): void {
  if (entries.length === 0) return;
  const { context } = doc;
  const pages = doc.getPages();
  const root = context.nextRef();

  const writeLevel = (items: readonly OutlineEntry[], parent: PDFRef): { first: PDFRef; last: PDFRef } => {
    const refs = items.map(() => context.nextRef());
    items.forEach((item, i) => {
      const ref = refs[i]!;
      const page = pages[item.page];
      if (!page) throw new Error(`bookmark "${item.title}" points at page ${item.page + 1} of ${pages.length}`);
      const dest = PDFArray.withContext(context);
      dest.push(page.ref);
      dest.push(PDFName.of('XYZ'));
      dest.push(PDFNull);
      dest.push(PDFNumber.of(item.top));
      dest.push(PDFNull);
      const dict = PDFDict.withContext(context);
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parent);
      dict.set(PDFName.of('Dest'), dest);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      if (item.children.length > 0) {
        // Subsections start closed: a negative Count says how many are hidden.
        const sub = writeLevel(item.children, ref);
        dict.set(PDFName.of('First'), sub.first);
        dict.set(PDFName.of('Last'), sub.last);
        dict.set(PDFName.of('Count'), PDFNumber.of(-item.children.length));
      }
      context.assign(ref, dict);
    });
    return { first: refs[0]!, last: refs[refs.length - 1]! };
  };

  const top = writeLevel(entries, root);
  const outlines = PDFDict.withContext(context);
  outlines.set(PDFName.of('Type'), PDFName.of('Outlines'));
  outlines.set(PDFName.of('First'), top.first);
  outlines.set(PDFName.of('Last'), top.last);
  outlines.set(PDFName.of('Count'), PDFNumber.of(entries.length));
  context.assign(root, outlines);
  doc.catalog.set(PDFName.of('Outlines'), root);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
