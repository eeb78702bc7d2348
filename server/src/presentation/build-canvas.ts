import type { Annotation, AnnotationPage, Canvas } from '@iiif/presentation-3';
import type { Leaf } from '../document/model.js';
import { publishedFormat } from '../document/transcription-format.js';
import { pageReference, type LayerPages } from './build-annotations.js';
import { imageOf, type BuildInput } from './build-input.js';
import { documentIds, fileIds } from './ids.js';
import { imageBody, thumbnail, type ImageBody, type LinkedResource } from './image-resources.js';
import { labels } from './labels.js';
import { lang } from './language.js';

export type PaintingAnnotation = Omit<Annotation, 'body'> & { body: ImageBody };
export type PaintingPage = Omit<AnnotationPage, 'items'> & { items: PaintingAnnotation[] };
export type Canvas3 = Omit<Canvas, 'items' | 'rendering' | 'seeAlso'> & {
  items: PaintingPage[];
  rendering?: LinkedResource[];
  seeAlso?: LinkedResource[];
};

/**
 * The leaf's own text files. ALTO (recipe 0068), PAGE XML and hOCR are machine-readable
 * descriptions of the canvas, so `seeAlso` (Dataset) with their profile, where overlay plugins
 * look for them; a plain-text transcription and the leaf's PDF are for people, so `rendering`
 * (Text). Never both: one file is one resource with one type.
 */
export function leafFiles(input: BuildInput, leaf: Leaf): { rendering: LinkedResource[]; seeAlso: LinkedResource[] } {
  const files = fileIds(input.base, input.document.id);
  const t = leaf.transcription;
  const rendering: LinkedResource[] = [];
  const seeAlso: LinkedResource[] = [];
  const { mediaType, profile } = publishedFormat(t);
  if (t.format === 'text') {
    rendering.push({ id: files.file(t.file), type: 'Text', format: mediaType, language: [t.language], label: labels.leafTranscription });
  } else {
    seeAlso.push({ id: files.file(t.file), type: 'Dataset', format: mediaType, profile, label: labels[t.format] });
  }
  // The record schema admits only aligned JSON translations.
  if (leaf.translation) {
    seeAlso.push({
      id: files.file(leaf.translation.file),
      type: 'Dataset',
      format: 'application/json',
      language: [leaf.translation.language],
      label: labels.alignedTranslation,
    });
  }
  // The searchable PDF is for people too: a leaf's page image with its words, and its translation.
  rendering.push({ id: files.pdf(leaf.id), type: 'Text', format: 'application/pdf', label: labels.leafPdf });
  return { rendering, seeAlso };
}

/** One canvas per leaf, exactly the size of its image, painted by the image with its services. */
export function buildCanvas(input: BuildInput, leaf: Leaf, layers: readonly LayerPages[]): Canvas3 {
  const ids = documentIds(input.base, 3, input.document.id);
  const image = imageOf(input, leaf.id);
  const canvas = ids.canvas(leaf.id);
  const annotations = layers.flatMap((l) => {
    const page = l.pages.get(leaf.id);
    return page ? [pageReference(page)] : [];
  });
  return {
    id: canvas,
    type: 'Canvas',
    label: lang(leaf.label),
    width: image.width,
    height: image.height,
    thumbnail: [thumbnail(input.base, image, input.imageConfig)],
    ...nonEmpty(leafFiles(input, leaf)),
    items: [
      {
        id: ids.paintingPage(leaf.id),
        type: 'AnnotationPage',
        items: [
          {
            id: ids.painting(leaf.id),
            type: 'Annotation',
            motivation: 'painting',
            body: imageBody(input.base, image, input.imageConfig),
            target: canvas,
          },
        ],
      },
    ],
    ...(annotations.length > 0 ? { annotations } : {}),
  };
}

/** Presentation 3.0 §3.3: a property with no values is omitted, not given as an empty list. */
function nonEmpty<T extends Record<string, unknown[]>>(links: T): Partial<T> {
  return Object.fromEntries(Object.entries(links).filter(([, v]) => v.length > 0)) as Partial<T>;
}
