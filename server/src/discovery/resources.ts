import type { ImageBackend } from '../image/types.js';
import { collectionId, documentIds } from '../presentation/ids.js';
import type { ChangedResource } from './changes.js';

/** A loaded document or its catalog entry: when its data changed, and its page images. */
export interface Dated {
  readonly id: string;
  readonly modified: Date | number;
  readonly leaves: readonly { readonly image: string }[];
}

/** A catalog entry or a document's record: where it sits in the archival tree. */
export interface Placed extends Dated {
  readonly hierarchy: readonly { readonly id: string }[];
}

const latest = (dates: readonly Date[]) => new Date(dates.reduce((m, d) => Math.max(m, d.getTime()), -Infinity));

/**
 * When a document as published last changed: the newest of its data files' modification
 * times (taken when they were loaded) and of its page images' (the manifest carries their
 * sizes, and a replaced scan is picked up without a restart).
 */
export async function documentModified(doc: Dated, images?: Pick<ImageBackend, 'source'>): Promise<Date> {
  const data = new Date(doc.modified);
  if (!images) return data;
  const sources = await Promise.all(doc.leaves.map((leaf) => images.source(leaf.image)));
  return latest([data, ...sources.map((s) => s.modified)]);
}

/**
 * Every Presentation 3.0 manifest and collection we publish, with its time. A collection is
 * built from its documents' records alone (labels and the archival tree), so it changes when
 * the newest of their data does.
 */
export async function changedResources(
  base: string,
  documents: readonly Placed[],
  images: Pick<ImageBackend, 'source'>,
): Promise<ChangedResource[]> {
  const manifests = await Promise.all(
    documents.map(async (doc): Promise<ChangedResource> => ({
      id: documentIds(base, 3, doc.id).manifest,
      type: 'Manifest',
      modified: await documentModified(doc, images),
    })),
  );
  const units = new Map<string, Date[]>();
  for (const doc of documents) {
    for (const unit of doc.hierarchy) {
      const dates = units.get(unit.id);
      if (dates) dates.push(new Date(doc.modified));
      else units.set(unit.id, [new Date(doc.modified)]);
    }
  }
  const collections = [...units].map(([unit, dates]): ChangedResource => ({
    id: collectionId(base, 3, unit),
    type: 'Collection',
    modified: latest(dates),
  }));
  return [...manifests, ...collections];
}
