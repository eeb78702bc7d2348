import type { ArchivalDocument } from '../document/model.js';
import type { ImageBackend } from '../image/types.js';
import { collectionId, documentIds } from '../presentation/ids.js';
import type { ChangedResource } from './changes.js';

const latest = (dates: readonly Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));

/**
 * When a document as published last changed: the newest of its data files' modification
 * times (taken when they were loaded) and of its page images' (the manifest carries their
 * sizes, and a replaced scan is picked up without a restart).
 */
export async function documentModified(doc: ArchivalDocument, images?: Pick<ImageBackend, 'source'>): Promise<Date> {
  if (!images) return doc.modified;
  const sources = await Promise.all(doc.leaves.map((leaf) => images.source(leaf.image)));
  return latest([doc.modified, ...sources.map((s) => s.modified)]);
}

/**
 * Every Presentation 3.0 manifest and collection we publish, with its time. A collection is
 * built from its documents' records alone (labels and the archival tree), so it changes when
 * the newest of their data does.
 */
export async function changedResources(
  base: string,
  documents: readonly ArchivalDocument[],
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
    for (const unit of doc.record.hierarchy) units.set(unit.id, [...(units.get(unit.id) ?? []), doc.modified]);
  }
  const collections = [...units].map(([unit, dates]): ChangedResource => ({
    id: collectionId(base, 3, unit),
    type: 'Collection',
    modified: latest(dates),
  }));
  return [...manifests, ...collections];
}
