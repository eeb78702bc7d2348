import type { InternationalString } from '@iiif/presentation-3';
import { advertisedGrid, level0ProfileUri2, type InfoConfig } from '../image/info.js';
import { leafFiles } from './build-canvas.js';
import { imageOf, type BuildInput } from './build-input.js';
import { metadata } from './build-manifest.js';
import { buildLayers2 } from './build-v2-layers.js';
import { buildRanges2 } from './build-v2-ranges.js';
import { collectionId, documentIds, documentPage, fileIds, imageService2, layers } from './ids.js';
import { thumbnailSize, type LinkedResource, type PageImage } from './image-resources.js';
import { labels } from './labels.js';
import { concat, lang, v2Values } from './language.js';
import { presentation2Context, type V2Resource } from './v2-resource.js';

export interface Presentation2 {
  manifest: V2Resource;
  /** Every other resource with an `@id` of ours, by id, each ready to serve on its own. */
  resources: Map<string, V2Resource>;
}

function imageService(base: string, image: PageImage, config: InfoConfig) {
  return {
    '@context': 'http://iiif.io/api/image/2/context.json',
    '@id': imageService2(base, image.id),
    profile: config.compliance === 'level0' ? level0ProfileUri2 : 'http://iiif.io/api/image/2/level2.json',
    sizes: advertisedGrid(image, config).sizes,
  };
}

function thumbnail(base: string, image: PageImage, config: InfoConfig) {
  const size = thumbnailSize(image, config);
  return {
    '@id': `${imageService2(base, image.id)}/full/${size.width},/0/default.jpg`,
    '@type': 'dctypes:Image',
    format: 'image/jpeg',
    width: size.width,
    height: size.height,
    service: imageService(base, image, config),
  };
}

const v2Metadata = (input: BuildInput) =>
  metadata(input.document.record).map((m) => ({ label: v2Values(m.label), value: v2Values(m.value) }));

/** A linked resource in 2.1 form; typed, so that a 2→3 upgrade gives it the type 3.0 publishes. */
const linked = (id: string, type: LinkedResource['type'], format: string, label: InternationalString, profile?: string) => ({
  '@id': id,
  '@type': `dctypes:${type}`,
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

  const { lists, resources: layerResources } = buildLayers2(input);
  layerResources.forEach(add);

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
        service: imageService(base, image, input.imageConfig),
      },
      on: ids.canvas(leaf.id),
    });
    const { rendering, seeAlso } = leafFiles(input, leaf);
    const v2Links = (links: LinkedResource[]) => links.map((l) => linked(l.id, l.type, l.format, l.label, l.profile));
    return add({
      '@id': ids.canvas(leaf.id),
      '@type': 'sc:Canvas',
      label: v2Values(lang(leaf.label)),
      width: image.width,
      height: image.height,
      thumbnail: thumbnail(base, image, input.imageConfig),
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
    label: v2Values(labels.sequence),
    viewingDirection: 'left-to-right',
    viewingHint: 'individuals',
    canvases,
  });
  const structures = buildRanges2(input).map(add);
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
    related: linked(input.homepage ?? documentPage(base), 'Text', 'text/html', labels.homepage),
    rendering: [
      linked(files.text('transcription'), 'Text', 'text/plain', labels.plainTranscription),
      ...(lists.get('translation')?.length ? [linked(files.text('translation'), 'Text', 'text/plain', labels.plainTranslation)] : []),
      linked(files.pdf(document.id), 'Text', 'application/pdf', labels.pdf),
    ],
    ...(delo ? { within: collectionId(base, 2, delo.id) } : {}),
    ...(first ? { thumbnail: thumbnail(base, imageOf(input, first.id), input.imageConfig) } : {}),
    viewingDirection: 'left-to-right',
    viewingHint: 'individuals',
    ...(services.length > 0 ? { service: services.length === 1 ? services[0] : [...services] } : {}),
    sequences: [sequence],
    ...(structures.length > 0 ? { structures } : {}),
  };
  return { manifest, resources };
}
