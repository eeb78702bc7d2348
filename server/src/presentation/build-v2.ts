import type { InternationalString } from '@iiif/presentation-3';
import type { Leaf, Section } from '../document/model.js';
import { layerEntries } from './build-annotations.js';
import { leafFiles } from './build-canvas.js';
import { presentation2Context } from './build-collections.js';
import { imageOf, type BuildInput } from './build-input.js';
import { metadata } from './build-manifest.js';
import { contentsRangeId, sectionCanvases } from './build-structures.js';
import { collectionId, documentIds, documentPage, fileIds, imageService2, layers, xywh, type Layer } from './ids.js';
import { sizes } from '../image/tile-grid.js';
import { thumbnailSize, type LinkedResource, type PageImage } from './image-resources.js';
import { labels, pageLabel } from './labels.js';
import { concat, lang, v2Values } from './language.js';

/** A Presentation 2.1 resource: JSON-LD with `@id`/`@type`. */
export type V2Resource = { '@id': string; '@type': string } & Record<string, unknown>;

export interface Presentation2 {
  manifest: V2Resource;
  /** Every other resource with an `@id` of ours, by id, each ready to serve on its own. */
  resources: Map<string, V2Resource>;
}

function imageService(base: string, image: PageImage, tileSize: number) {
  return {
    '@context': 'http://iiif.io/api/image/2/context.json',
    '@id': imageService2(base, image.id),
    profile: 'http://iiif.io/api/image/2/level2.json',
    sizes: sizes(image.width, image.height, tileSize),
  };
}

function thumbnail(base: string, image: PageImage, tileSize: number) {
  const size = thumbnailSize(image, tileSize);
  return {
    '@id': `${imageService2(base, image.id)}/full/${size.width},/0/default.jpg`,
    '@type': 'dctypes:Image',
    format: 'image/jpeg',
    width: size.width,
    height: size.height,
    service: imageService(base, image, tileSize),
  };
}

/** Text rendered as 2.1 annotations: `sc:painting` of `cnt:ContentAsText`, as 2.1 viewers expect. */
function annotationList(input: BuildInput, layer: Layer, leaf: Leaf, chain: { prev?: string; next?: string }) {
  const ids = documentIds(input.base, 2, input.document.id);
  const canvas = ids.canvas(leaf.id);
  const resources = layerEntries(input, layer, leaf).map((entry) => ({
    '@id': ids.annotation(layer, leaf.id, entry.id),
    '@type': 'oa:Annotation',
    motivation: 'sc:painting',
    resource: { '@type': 'cnt:ContentAsText', chars: entry.text, format: 'text/plain', language: entry.language },
    on: entry.region ? xywh(canvas, entry.region) : canvas,
  }));
  return {
    '@id': ids.page(layer, leaf.id),
    '@type': 'sc:AnnotationList',
    label: v2Values(pageLabel(layer, lang(leaf.label))),
    within: { '@id': ids.layer(layer), '@type': 'sc:Layer', label: v2Values(labels.layer[layer]) },
    ...(chain.next ? { next: chain.next } : {}),
    ...(chain.prev ? { prev: chain.prev } : {}),
    resources,
  };
}

function ranges(input: BuildInput): V2Resource[] {
  const ids = documentIds(input.base, 2, input.document.id);
  const out: V2Resource[] = [];
  const visit = (section: Section) => {
    out.push({
      '@id': ids.range(section.id),
      '@type': 'sc:Range',
      label: v2Values(lang(section.label)),
      canvases: sectionCanvases(input, 2, section.targets),
      ranges: section.items.map((child) => ids.range(child.id)),
    });
    section.items.forEach(visit);
  };
  if (input.document.contents.length === 0) return out;
  out.push({
    '@id': ids.range(contentsRangeId),
    '@type': 'sc:Range',
    label: v2Values(labels.contents),
    viewingHint: 'top',
    ranges: input.document.contents.map((s) => ids.range(s.id)),
  });
  input.document.contents.forEach(visit);
  return out;
}

const v2Metadata = (input: BuildInput) =>
  metadata(input.document.record).map((m) => ({ label: v2Values(m.label), value: v2Values(m.value) }));

const linked = (id: string, format: string, label: InternationalString, profile?: string) => ({
  '@id': id,
  format,
  label: v2Values(label),
  ...(profile ? { profile } : {}),
});

/** A faithful Presentation 2.1 rendering of the same document, for older viewers. */
export function buildPresentation2(input: BuildInput): Presentation2 {
  const { base, document } = input;
  const { record } = document;
  const ids = documentIds(base, 2, document.id);
  const files = fileIds(base, document.id);
  const resources = new Map<string, V2Resource>();
  const add = (r: V2Resource) => {
    resources.set(r['@id'], { '@context': presentation2Context, ...r });
    return r;
  };

  const lists = new Map<Layer, { leaf: Leaf; list: ReturnType<typeof annotationList> }[]>();
  for (const layer of layers) {
    const present = document.leaves.filter((leaf) => layerEntries(input, layer, leaf).length > 0);
    const built = present.map((leaf, i) => {
      const list = annotationList(input, layer, leaf, {
        prev: present[i - 1] && ids.page(layer, present[i - 1]!.id),
        next: present[i + 1] && ids.page(layer, present[i + 1]!.id),
      });
      add(list);
      for (const a of list.resources) add(a);
      return { leaf, list };
    });
    lists.set(layer, built);
    if (built.length === 0) continue;
    add({
      '@id': ids.layer(layer),
      '@type': 'sc:Layer',
      label: v2Values(labels.layer[layer]),
      total: built.reduce((n, b) => n + b.list.resources.length, 0),
      first: built[0]!.list['@id'],
      last: built[built.length - 1]!.list['@id'],
      otherContent: built.map((b) => b.list['@id']),
    });
  }

  const canvases = document.leaves.map((leaf) => {
    const image = imageOf(input, leaf.id);
    const painting = add({
      '@id': ids.painting(leaf.id),
      '@type': 'oa:Annotation',
      motivation: 'sc:painting',
      resource: {
        '@id': `${imageService2(base, image.id)}/full/full/0/default.jpg`,
        '@type': 'dctypes:Image',
        format: 'image/jpeg',
        width: image.width,
        height: image.height,
        service: imageService(base, image, input.tileSize),
      },
      on: ids.canvas(leaf.id),
    });
    const { rendering, seeAlso } = leafFiles(input, leaf);
    const v2Links = (links: LinkedResource[]) => links.map((l) => linked(l.id, l.format, l.label, l.profile));
    return add({
      '@id': ids.canvas(leaf.id),
      '@type': 'sc:Canvas',
      label: v2Values(lang(leaf.label)),
      width: image.width,
      height: image.height,
      thumbnail: thumbnail(base, image, input.tileSize),
      ...(rendering.length > 0 ? { rendering: v2Links(rendering) } : {}),
      ...(seeAlso.length > 0 ? { seeAlso: v2Links(seeAlso) } : {}),
      images: [painting],
      otherContent: layers.flatMap((layer) =>
        (lists.get(layer) ?? [])
          .filter((b) => b.leaf.id === leaf.id)
          .map(({ list }) => ({ '@id': list['@id'], '@type': list['@type'], label: list.label, within: list.within })),
      ),
    });
  });

  const sequence = add({
    '@id': ids.sequence,
    '@type': 'sc:Sequence',
    label: v2Values(labels.contents),
    viewingDirection: 'left-to-right',
    viewingHint: 'individuals',
    canvases,
  });
  const structures = ranges(input).map(add);
  const first = document.leaves[0];
  const delo = record.hierarchy[record.hierarchy.length - 1];
  const services = input.services?.(document, base).v2 ?? [];
  const manifest: V2Resource = {
    '@context': presentation2Context,
    '@id': ids.manifest,
    '@type': 'sc:Manifest',
    label: v2Values(lang(record.title)),
    description: v2Values(concat(record.summary, record.facsimileNotice)),
    metadata: v2Metadata(input),
    attribution: v2Values(lang(record.attribution)),
    license: record.rights.uri,
    navDate: `${record.date}T00:00:00Z`,
    related: linked(documentPage(base), 'text/html', labels.homepage),
    rendering: [
      linked(files.text('transcription'), 'text/plain', labels.plainTranscription),
      ...(lists.get('translation')?.length ? [linked(files.text('translation'), 'text/plain', labels.plainTranslation)] : []),
    ],
    ...(delo ? { within: collectionId(base, 2, delo.id) } : {}),
    ...(first ? { thumbnail: thumbnail(base, imageOf(input, first.id), input.tileSize) } : {}),
    viewingDirection: 'left-to-right',
    viewingHint: 'individuals',
    ...(services.length > 0 ? { service: services.length === 1 ? services[0] : [...services] } : {}),
    sequences: [sequence],
    ...(structures.length > 0 ? { structures } : {}),
  };
  return { manifest, resources };
}
