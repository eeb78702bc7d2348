import type { Leaf } from '../document/model.js';
import { layerEntries } from './build-annotations.js';
import type { BuildInput } from './build-input.js';
import { documentIds, layers, xywh, type Layer } from './ids.js';
import { labels, pageLabel } from './labels.js';
import { lang, v2Values } from './language.js';
import type { V2Resource } from './v2-resource.js';

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

export type AnnotationList2 = ReturnType<typeof annotationList>;

/** Both layers in 2.1: an AnnotationList per leaf chained by next/prev, and a Layer over them. */
export function buildLayers2(input: BuildInput): {
  lists: Map<Layer, { leaf: Leaf; list: AnnotationList2 }[]>;
  resources: V2Resource[];
} {
  const ids = documentIds(input.base, 2, input.document.id);
  const resources: V2Resource[] = [];
  const lists = new Map<Layer, { leaf: Leaf; list: AnnotationList2 }[]>();
  for (const layer of layers) {
    const present = input.document.leaves.filter((leaf) => layerEntries(input, layer, leaf).length > 0);
    const built = present.map((leaf, i) => {
      const list = annotationList(input, layer, leaf, {
        prev: present[i - 1] && ids.page(layer, present[i - 1]!.id),
        next: present[i + 1] && ids.page(layer, present[i + 1]!.id),
      });
      resources.push(list, ...list.resources);
      return { leaf, list };
    });
    lists.set(layer, built);
    if (built.length === 0) continue;
    resources.push({
      '@id': ids.layer(layer),
      '@type': 'sc:Layer',
      label: v2Values(labels.layer[layer]),
      total: built.reduce((n, b) => n + b.list.resources.length, 0),
      first: built[0]!.list['@id'],
      last: built[built.length - 1]!.list['@id'],
      otherContent: built.map((b) => b.list['@id']),
    });
  }
  return { lists, resources };
}
