import type { Collection, InternationalString } from '@iiif/presentation-3';
import type { ArchivalUnit, LanguageMap } from '../document/model.js';
import { presentation3Context } from './build-annotations.js';
import { collectionId, documentIds } from './ids.js';
import { lang, v2Values } from './language.js';
import { presentation2Context } from './v2-resource.js';

/** An item of a collection as embedded in it: a reference, which the library's types (full resources) do not describe. */
interface ItemReference {
  id: string;
  type: 'Collection' | 'Manifest';
  label: InternationalString;
}

type Collection3 = Omit<Collection, 'items'> & { items: ItemReference[] };

/** An archival unit with what it holds: the units below it and the documents filed in it. */
export interface CollectionNode {
  readonly id: string;
  readonly label: InternationalString;
  readonly parent: string | null;
  readonly children: Map<string, InternationalString>;
  readonly manifests: Map<string, InternationalString>;
}

/** What a collection needs of a document: a catalog entry (catalog/entry.ts) has it. */
export interface CollectionMember {
  readonly id: string;
  readonly title: LanguageMap;
  /** fond → opis → delo, outermost first. */
  readonly hierarchy: readonly ArchivalUnit[];
}

/** The archival tree (fond → opis → delo → documents) of every document's hierarchy, by unit id. */
export function collectionTree(documents: Iterable<CollectionMember>): Map<string, CollectionNode> {
  const nodes = new Map<string, CollectionNode>();
  for (const document of documents) {
    const units = document.hierarchy;
    units.forEach((unit, i) => {
      let node = nodes.get(unit.id);
      if (!node) {
        node = { id: unit.id, label: lang(unit.label), parent: units[i - 1]?.id ?? null, children: new Map(), manifests: new Map() };
        nodes.set(unit.id, node);
      }
      const child = units[i + 1];
      if (child) node.children.set(child.id, lang(child.label));
      else node.manifests.set(document.id, lang(document.title));
    });
  }
  return nodes;
}

/** The Presentation 3.0 and 2.1 collections of one archival unit. */
export function buildCollection(base: string, node: CollectionNode): { v3: Collection3; v2: Record<string, unknown> } {
  const v3: Collection3 = {
    '@context': presentation3Context,
    id: collectionId(base, 3, node.id),
    type: 'Collection',
    label: node.label,
    ...(node.parent ? { partOf: [{ id: collectionId(base, 3, node.parent), type: 'Collection' as const }] } : {}),
    items: [
      ...[...node.children].map(([id, label]): ItemReference => ({ id: collectionId(base, 3, id), type: 'Collection', label })),
      ...[...node.manifests].map(([id, label]): ItemReference => ({ id: documentIds(base, 3, id).manifest, type: 'Manifest', label })),
    ],
  };
  const v2 = {
    '@context': presentation2Context,
    '@id': collectionId(base, 2, node.id),
    '@type': 'sc:Collection',
    label: v2Values(node.label),
    ...(node.parent ? { within: collectionId(base, 2, node.parent) } : {}),
    collections: [...node.children].map(([id, label]) => ({
      '@id': collectionId(base, 2, id),
      '@type': 'sc:Collection',
      label: v2Values(label),
    })),
    manifests: [...node.manifests].map(([id, label]) => ({
      '@id': documentIds(base, 2, id).manifest,
      '@type': 'sc:Manifest',
      label: v2Values(label),
    })),
  };
  return { v3, v2 };
}

/** One Presentation 3.0 and one 2.1 collection per archival unit, keyed by unit id. */
export function buildCollections(base: string, documents: Iterable<CollectionMember>) {
  const v3 = new Map<string, Collection3>();
  const v2 = new Map<string, Record<string, unknown>>();
  for (const node of collectionTree(documents).values()) {
    const built = buildCollection(base, node);
    v3.set(node.id, built.v3);
    v2.set(node.id, built.v2);
  }
  return { v3, v2 };
}
