import type { Annotation, AnnotationPage, InternationalString } from '@iiif/presentation-3';
import type { Box, Leaf } from '../document/model.js';
import { imageOf, type BuildInput } from './build-input.js';
import { documentIds, layers, xywh, type Layer } from './ids.js';
import { labels, pageLabel } from './labels.js';
import { lang } from './language.js';
import { lineRegion, linesOf, regionOf } from './leaf-regions.js';

export const presentation3Context = 'http://iiif.io/api/presentation/3/context.json';
/** Listed before the presentation context, as the Text Granularity extension asks. */
export const annotationContext = ['http://iiif.io/api/extension/text-granularity/context.json', presentation3Context];

const typed = (id: string, type: 'AnnotationPage') => ({ id, type });

/** The AnnotationCollection of one layer (recipe 0309), as referenced from its pages. */
export interface LayerCollection {
  id: string;
  type: 'AnnotationCollection';
  label: InternationalString;
  total: number;
  first: { id: string; type: 'AnnotationPage' };
  last: { id: string; type: 'AnnotationPage' };
}

/** One layer across the document: its collection and its page per leaf (leaves without text have none). */
export interface LayerPages {
  readonly layer: Layer;
  readonly collection: LayerCollection;
  /** Full pages (with items), by leaf id, in leaf order. */
  readonly pages: ReadonlyMap<string, AnnotationPage>;
}

/** One annotation of a layer, before it is written in either Presentation version. */
export interface LayerEntry {
  /** The line or paragraph id, unique on the leaf. */
  readonly id: string;
  readonly text: string;
  readonly language: string;
  /** The region on the canvas, or null for the whole canvas. */
  readonly region: Box | null;
  readonly granularity: 'line' | 'paragraph';
}

/** The text of one layer on one leaf: one entry per line (ru) or per paragraph (en). */
export function layerEntries(input: BuildInput, layer: Layer, leaf: Leaf): LayerEntry[] {
  const size = imageOf(input, leaf.id);
  if (layer === 'transcription') {
    const { language } = leaf.transcription;
    return linesOf(leaf).map((line) => ({
      id: line.id,
      text: line.text,
      language,
      region: lineRegion(leaf, line, size),
      granularity: 'line',
    }));
  }
  const translation = leaf.translation;
  if (!translation) return [];
  return translation.paragraphs.map((paragraph) => ({
    id: paragraph.id,
    text: paragraph.text,
    language: translation.language,
    // A paragraph whose Russian is not on this leaf, or has no geometry, targets the whole leaf.
    region: regionOf(leaf, paragraph.targets, size) ?? null,
    granularity: 'paragraph',
  }));
}

/** The Presentation 3.0 annotations of one layer on one leaf (`supplementing`, recipe 0068). */
export function layerAnnotations(input: BuildInput, layer: Layer, leaf: Leaf): Annotation[] {
  const ids = documentIds(input.base, 3, input.document.id);
  const canvas = ids.canvas(leaf.id);
  return layerEntries(input, layer, leaf).map((entry) => ({
    id: ids.annotation(layer, leaf.id, entry.id),
    type: 'Annotation',
    motivation: 'supplementing',
    textGranularity: entry.granularity,
    body: { type: 'TextualBody', value: entry.text, format: 'text/plain', language: entry.language },
    target: entry.region ? xywh(canvas, entry.region) : canvas,
  }));
}

/** Builds one layer: referenced pages chained by next/prev, each partOf the layer's collection. */
export function buildLayer(input: BuildInput, layer: Layer): LayerPages {
  const ids = documentIds(input.base, 3, input.document.id);
  const withItems = input.document.leaves
    .map((leaf) => ({ leaf, items: layerAnnotations(input, layer, leaf) }))
    .filter((p) => p.items.length > 0);
  const first = withItems[0];
  const last = withItems[withItems.length - 1];
  const collection: LayerCollection = {
    id: ids.layer(layer),
    type: 'AnnotationCollection',
    label: labels.layer[layer],
    total: withItems.reduce((n, p) => n + p.items.length, 0),
    first: typed(ids.page(layer, (first ?? { leaf: { id: '' } }).leaf.id), 'AnnotationPage'),
    last: typed(ids.page(layer, (last ?? { leaf: { id: '' } }).leaf.id), 'AnnotationPage'),
  };
  const pages = new Map<string, AnnotationPage>();
  withItems.forEach(({ leaf, items }, i) => {
    const prev = withItems[i - 1];
    const next = withItems[i + 1];
    pages.set(leaf.id, {
      id: ids.page(layer, leaf.id),
      type: 'AnnotationPage',
      label: pageLabel(layer, lang(leaf.label)),
      partOf: [collection],
      ...(next ? { next: ids.page(layer, next.leaf.id) } : {}),
      ...(prev ? { prev: ids.page(layer, prev.leaf.id) } : {}),
      items,
    });
  });
  return { layer, collection, pages };
}

export const buildLayers = (input: BuildInput): LayerPages[] => layers.map((layer) => buildLayer(input, layer));

/** The page as the canvas references it (recipe 0269): everything but the items. */
export function pageReference(page: AnnotationPage): AnnotationPage {
  const { items: _items, ...reference } = page;
  return reference;
}

/** The collection as served on its own. */
export function collectionDocument(collection: LayerCollection) {
  return { '@context': annotationContext, ...collection };
}
