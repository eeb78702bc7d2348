/**
 * The compact description of one document that the service starts from: enough for the
 * collections, the browse page, the sitemap and the image titles, without reading its
 * transcriptions or translations. Built from record.json alone, or from a loaded document.
 */
import { checkRecord } from '../document/schemas.js';
import type { ArchivalDocument, ArchivalUnit, LanguageMap } from '../document/model.js';

export interface CatalogLeaf {
  readonly id: string;
  /** IIIF image identifier (the image file's stem). */
  readonly image: string;
  readonly label: LanguageMap;
}

export interface CatalogEntry {
  /** The folder's name: the document's URL slug. */
  readonly id: string;
  /** Names, sizes and modification times of the folder's files: changes whenever a file does. */
  readonly fingerprint: string;
  /**
   * The data version (hash of the files' bytes, `ArchivalDocument.version`) that passed every
   * check (`npm run check`): data, ALTO, translation targets and each Presentation resource
   * against our schemas. Null when nobody has checked this folder as it is.
   */
  readonly checked: string | null;
  /** The newest modification time of the folder's files, in ms since the epoch. */
  readonly modified: number;
  readonly title: LanguageMap;
  /** ISO 8601 date of the document. */
  readonly date: string;
  /** fond → opis → delo, outermost first. */
  readonly hierarchy: readonly ArchivalUnit[];
  readonly leaves: readonly CatalogLeaf[];
  /**
   * Set when record.json itself cannot be read or is invalid: the document is listed nowhere,
   * and its pages answer 500 naming the file and field until it is fixed.
   */
  readonly problem?: string;
}

/** The folder's facts as folder-fingerprint.ts reads them. */
export interface FolderState {
  readonly fingerprint: string;
  readonly modified: number;
}

/** An entry from record.json's content (parsed JSON); throws DocumentDataError when it is invalid. */
export function entryFromRecord(id: string, data: unknown, shown: string, folder: FolderState): CatalogEntry {
  const record = checkRecord(data, shown);
  return {
    id,
    fingerprint: folder.fingerprint,
    checked: null,
    modified: folder.modified,
    title: record.title,
    date: record.date,
    hierarchy: record.hierarchy,
    leaves: record.leaves.map((l) => ({ id: l.id, image: l.image, label: l.label })),
  };
}

/** The entry of a loaded document; `checked` tells whether it passed every check as loaded. */
export function entryFromDocument(doc: ArchivalDocument, folder: FolderState, checked: boolean): CatalogEntry {
  return {
    id: doc.id,
    fingerprint: folder.fingerprint,
    checked: checked ? doc.version : null,
    modified: folder.modified,
    title: doc.record.title,
    date: doc.record.date,
    hierarchy: doc.record.hierarchy,
    leaves: doc.leaves.map((l) => ({ id: l.id, image: l.image, label: l.label })),
  };
}

/** An entry for a folder whose record.json cannot be used. */
export function brokenEntry(id: string, folder: FolderState, problem: string): CatalogEntry {
  return { id, fingerprint: folder.fingerprint, checked: null, modified: folder.modified, title: {}, date: '', hierarchy: [], leaves: [], problem };
}

/**
 * Shares what entries repeat: the documents of a delo have the same hierarchy, and leaf labels
 * ("л. 1", "л. 2" …) recur across documents. An archive's catalog stays in memory, so each is
 * held once (measured on 10,000 entries: 12 MiB of heap rather than 26). The pool grows with
 * the distinct values (a few per delo), not with the documents. It sets the shared values on
 * the entry given, which must be the caller's own (freshly read or made); copying each entry
 * instead would cost more than it saves. An entry it has shared is passed over when given
 * again (the catalog file's reader and the document set share one pool).
 */
export class EntryPool {
  private readonly hierarchies = new Map<string, readonly ArchivalUnit[]>();
  private readonly labels = new Map<string, LanguageMap>();
  private readonly done = new WeakSet<CatalogEntry>();

  share(entry: CatalogEntry): CatalogEntry {
    if (this.done.has(entry)) return entry;
    this.done.add(entry);
    const hierarchyKey = JSON.stringify(entry.hierarchy);
    const hierarchy = this.hierarchies.get(hierarchyKey);
    if (!hierarchy) this.hierarchies.set(hierarchyKey, entry.hierarchy);
    for (const leaf of entry.leaves) {
      const labelKey = JSON.stringify(leaf.label);
      const label = this.labels.get(labelKey);
      if (!label) this.labels.set(labelKey, leaf.label);
      else (leaf as { label: LanguageMap }).label = label;
    }
    if (hierarchy) (entry as { hierarchy: readonly ArchivalUnit[] }).hierarchy = hierarchy;
    return entry;
  }
}

/** Whether two entries describe the same listing (what collections and pages are built from). */
export function sameListing(a: CatalogEntry, b: CatalogEntry): boolean {
  return (
    a.modified === b.modified &&
    a.problem === b.problem &&
    a.date === b.date &&
    JSON.stringify([a.title, a.hierarchy, a.leaves]) === JSON.stringify([b.title, b.hierarchy, b.leaves])
  );
}
