import { currentEntry, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import type { LeafImage } from './canvas-placement.js';

/** The loaded document with this id, asked on every request so that reloaded data is searched. */
export type DocumentLookup = (id: string) => ArchivalDocument | undefined | Promise<ArchivalDocument | undefined>;

/** A document as an answer is keyed by: the stamp of its data and its leaves' images. */
export interface LocatedDocument {
  readonly stamp: string;
  readonly leaves: readonly LeafImage[];
}

/** What search needs of the published documents. */
export interface SearchedDocuments {
  /** The document's stamp and leaves, without loading it when the catalog knows it as it is; undefined when there is none. */
  locate(id: string): Promise<LocatedDocument | undefined>;
  /** The document itself, loaded (only to build its index). */
  load(id: string): Promise<ArchivalDocument | undefined>;
}

/**
 * Over a DocumentSet: a document whose folder is as the catalog last saw it is located from
 * its catalog entry and stamp alone. One that changed, or that the catalog does not list yet,
 * is loaded (and so checked: bad data answers its 500 here) and located from what was loaded.
 */
export function fromDocumentSet(set: DocumentSet): SearchedDocuments {
  return {
    async locate(id) {
      const current = await currentEntry(set, id);
      if (current) return { stamp: current.stamp, leaves: current.entry.leaves };
      const doc = await set.load(id);
      if (!doc) return undefined;
      return { stamp: (await set.stamp(id)) ?? doc.version, leaves: doc.leaves };
    },
    load: (id) => set.load(id),
  };
}

/** Over a lookup of loaded documents (tests, scripts): each is located by its data version. */
export function fromLookup(lookup: DocumentLookup): SearchedDocuments {
  return {
    async locate(id) {
      const doc = await lookup(id);
      return doc && { stamp: doc.version, leaves: doc.leaves };
    },
    load: async (id) => lookup(id),
  };
}
