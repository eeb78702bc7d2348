import { PDFDocument } from 'pdf-lib';
import type { ArchivalDocument, LanguageMap, Leaf } from '../document/model.js';
import { lang } from '../presentation/language.js';
import { pageRegionOf, toCanvas } from '../presentation/leaf-regions.js';
import { addClosingPages, type ClosingSection } from './closing-page.js';
import { embedTextFont, finishFont, TEXT_LAYER_METRICS } from './font.js';
import { outlineEntries, writeOutline, type OutlineEntry } from './outline.js';
import { pageSize, toPage, type Size } from './page-geometry.js';
import { drawTextLayer, placeWords } from './text-layer.js';

/** Creator and Producer of every document PDF. */
export const PDF_CREATOR = 'rgaspi-cable-21756-iiif, IIIF Presentation service';

/** One leaf's page: its print-resolution JPEG and the size of the image the transcription is placed on. */
export interface LeafPage {
  readonly leaf: Leaf;
  readonly jpeg: Buffer;
  /** The full image's size (the canvas), which ALTO boxes are scaled to. */
  readonly image: Size;
}

/** Interface strings of the PDF, English first as in every language map we publish. */
const strings = {
  translation: 'English translation / Перевод на английский',
  translator: 'Translator / Переводчик',
  citation: 'Citation / Цитирование',
  rights: 'Rights / Права',
  images: 'Page images / Изображения листов',
  closing: 'Translation, citation, rights / Перевод, цитирование, права',
};

/** The values of a language map, English then Russian (then any other, `none` last). */
const valuesOf = (map: LanguageMap): string[] => Object.values(lang(map)).flatMap((v) => v ?? []);

/** Those values each once, as one string. */
export const bothLanguages = (map: LanguageMap): string => [...new Set(valuesOf(map))].join(' / ');

function keywords(document: ArchivalDocument): string[] {
  const r = document.record;
  const values = [
    r.reference.en,
    r.reference.ru,
    ...valuesOf(r.genre ?? {}),
    ...valuesOf(r.repository.label),
    r.date,
  ];
  return [...new Set(values.filter(Boolean))];
}

function closingSections(document: ArchivalDocument, leaves: readonly Leaf[]): ClosingSection[] {
  const r = document.record;
  const translated = leaves.filter((leaf) => leaf.translation && leaf.translation.paragraphs.length > 0);
  const sections: ClosingSection[] = [];
  if (translated.length > 0) {
    sections.push({
      heading: strings.translation,
      paragraphs: [
        ...translated.flatMap((leaf) => [
          { text: bothLanguages(leaf.label), subheading: true },
          ...leaf.translation!.paragraphs.map((p) => ({ text: p.text })),
        ]),
        ...(Object.keys(r.translator).length > 0 ? [{ text: `${strings.translator}: ${bothLanguages(r.translator)}` }] : []),
      ],
    });
  }
  sections.push(
    { heading: strings.citation, paragraphs: [{ text: r.reference.ru }, { text: r.reference.en }, { text: r.source.citation }] },
    { heading: strings.rights, paragraphs: [{ text: r.rights.uri }, { text: r.rights.reason }] },
    { heading: strings.images, paragraphs: valuesOf(r.facsimileNotice).map((text) => ({ text })) },
  );
  return sections;
}

/**
 * A PDF of some leaves of a document: each leaf's image on a page of A4 width with the Russian
 * transcription as an invisible text layer over its words, then a closing page with the
 * English translation of those leaves, the citation, the rights statement and the facsimile
 * notice; bookmarks from the table of contents and metadata from the record. Every word comes
 * from the document's data. The dates are the data's own, so one version always gives the
 * same bytes.
 */
export async function buildDocumentPdf(document: ArchivalDocument, pages: readonly LeafPage[]): Promise<Uint8Array> {
  const r = document.record;
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Two copies of the font: the invisible layer's is a subset declaring its own metrics, the
  // closing page's is whole with the true ones (font.ts says why).
  const layerFont = await embedTextFont(doc, { subset: true });
  const font = await embedTextFont(doc, { subset: false });
  const advance = (text: string) => layerFont.widthOfTextAtSize(text, 1);
  let layerText = '';

  const sizes: Size[] = [];
  for (const { leaf, jpeg, image } of pages) {
    const size = pageSize(image);
    sizes.push(size);
    const page = doc.addPage([size.width, size.height]);
    const picture = await doc.embedJpg(jpeg);
    page.drawImage(picture, { x: 0, y: 0, width: size.width, height: size.height });
    const lines = placeWords(leaf, image, size, TEXT_LAYER_METRICS, advance);
    drawTextLayer(page, layerFont, lines);
    layerText += lines.flatMap((l) => l.words.map((w) => w.text)).join(' ');
  }
  const closing = closingSections(
    document,
    pages.map((p) => p.leaf),
  );
  addClosingPages(doc, font, closing);

  const place = (targets: readonly string[]) => {
    for (const [i, { leaf, image }] of pages.entries()) {
      const region = pageRegionOf(leaf, targets);
      if (region === undefined) continue;
      const onImage = region && toCanvas(region, leaf, image);
      const size = sizes[i]!;
      const top = onImage ? toPage(onImage, image, size) : null;
      return { page: i, top: top ? top.y + top.h : size.height };
    }
    return undefined;
  };
  const contents = outlineEntries(document.contents, place, (s) => bothLanguages(s.label));
  const end: OutlineEntry = { title: strings.closing, page: pages.length, top: doc.getPage(pages.length).getHeight(), children: [] };
  writeOutline(doc, [...contents, end]);
  await finishFont(doc, layerFont, { subsetOf: layerText, metrics: TEXT_LAYER_METRICS });
  await finishFont(doc, font, {});

  const leafLabels = pages.length === 1 ? ` — ${bothLanguages(pages[0]!.leaf.label)}` : '';
  doc.setTitle(`${bothLanguages(r.title)}${leafLabels}`, { showInWindowTitleBar: true });
  doc.setAuthor(bothLanguages(r.creator));
  doc.setSubject(bothLanguages(r.summary));
  // One string: pdf-lib would join a list with spaces, running the shelfmarks together.
  doc.setKeywords([keywords(document).join('; ')]);
  doc.setCreator(PDF_CREATOR);
  doc.setProducer(PDF_CREATOR);
  doc.setLanguage(pages[0]?.leaf.transcription.language ?? 'ru');
  doc.setCreationDate(document.modified);
  doc.setModificationDate(document.modified);
  return doc.save();
}
