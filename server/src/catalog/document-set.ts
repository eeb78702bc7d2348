/**
 * The published documents as the routers see them: a compact catalog entry per document,
 * always in memory, and the whole document (record, transcriptions, translations) loaded on
 * first request and kept in a cache bounded in bytes. A folder that changed is noticed by a
 * few stats (at most once per `recheckMs` per document; for a document in use, made ahead,
 * from half the period on, while it is served), then read and checked again, so a corrected
 * ALTO is served without a restart; a folder that fails its checks answers a 500 naming the
 * file and field, and the others keep serving.
 */
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { DocumentDataError } from '../document/document-error.js';
import { isDocumentFolderName, loadDocument } from '../document/load-document.js';
import type { ArchivalDocument } from '../document/model.js';
import { DocumentUnavailableError } from '../errors.js';
import { type CatalogEntry, type CatalogLeaf, EntryPool, entryFromDocument, sameListing } from './entry.js';
import { folderState } from './folder-state.js';
import { entryOfFolder } from './scan-folders.js';

export interface DocumentSet {
  /** Changes whenever an entry's listing does: key anything derived from the whole catalog by it. */
  readonly version: string;
  /** The listed documents (a record that cannot be read is not listed), sorted by id. */
  entries(): readonly CatalogEntry[];
  /** The entry of a listed document. */
  entry(id: string): CatalogEntry | undefined;
  /**
   * The document, loaded and checked; undefined when there is no such document. Rejects with
   * a DocumentUnavailableError (500) naming the file and field when its data is wrong.
   */
  load(id: string): Promise<ArchivalDocument | undefined>;
  /**
   * A cheap stamp of the document's data as it now is (its folder's fingerprint; at most one
   * look at the folder per `recheckMs`, made ahead for a document in use so that it never
   * waits for one), without loading it: what is built from the document can be keyed by it
   * and served without loading the document again. Undefined when the folder is gone or not
   * listed.
   */
  stamp(id: string): Promise<string | undefined>;
  /** Whether `npm run check` passed this very data (its Presentation resources need no new check). */
  trusted(doc: ArchivalDocument): boolean;
  /** The document and leaf an image belongs to. */
  imageOwner(image: string): { entry: CatalogEntry; leaf: CatalogLeaf } | undefined;
}

/**
 * The rough memory of a loaded document: its files' bytes plus the model parsed from them
 * (measured on the cable: about four times the files again).
 */
export const documentBytes = (doc: ArchivalDocument): number =>
  5 * [...doc.files.values()].reduce((n, b) => n + b.length, 0) + 4096;

export interface CatalogDocumentSetOptions {
  readonly manifestsDir: string;
  readonly entries: readonly CatalogEntry[];
  /** Memory for loaded documents, in bytes. */
  readonly maxBytes: number;
  /** How long a loaded document is served before its folder is looked at again. */
  readonly recheckMs: number;
  readonly logger: Logger;
  /** The pool the entries were shared in when read (catalog-file.ts), so each is shared once. */
  readonly pool?: EntryPool;
}

interface Held {
  readonly doc: ArchivalDocument;
  readonly fingerprint: string;
  seenAt: number;
}

interface Failure {
  readonly fingerprint: string;
  readonly error: DocumentUnavailableError;
  seenAt: number;
}

export class CatalogDocumentSet implements DocumentSet {
  /** Documents loaded by this set, for tests and logs. */
  loads = 0;
  private readonly byId = new Map<string, CatalogEntry>();
  private readonly byImage = new Map<string, string>();
  private readonly pool: EntryPool;
  private readonly held: LRUCache<string, Held>;
  private readonly failures = new LRUCache<string, Failure>({ max: 4096 });
  private readonly stamps = new LRUCache<string, { fingerprint: string; seenAt: number }>({ max: 65536 });
  private readonly inflight = new Map<string, Promise<ArchivalDocument | undefined>>();
  private readonly restamping = new Map<string, Promise<string | undefined>>();
  private listed: readonly CatalogEntry[] | null = null;
  private revision = 0;

  constructor(private readonly options: CatalogDocumentSetOptions) {
    this.pool = options.pool ?? new EntryPool();
    for (const entry of options.entries) this.put(entry);
    this.held = new LRUCache({ maxSize: Math.max(1, options.maxBytes), sizeCalculation: (h) => documentBytes(h.doc) });
  }

  get version(): string {
    return String(this.revision);
  }

  /** Bytes the loaded documents are reckoned to take (never above `maxBytes`). */
  get heldBytes(): number {
    return this.held.calculatedSize;
  }

  entries(): readonly CatalogEntry[] {
    this.listed ??= [...this.byId.values()].filter((e) => !e.problem).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.listed;
  }

  /** Every entry, those that cannot be listed included: what the catalog file keeps. */
  allEntries(): CatalogEntry[] {
    return [...this.byId.values()];
  }

  entry(id: string): CatalogEntry | undefined {
    const entry = this.byId.get(id);
    return entry && !entry.problem ? entry : undefined;
  }

  trusted(doc: ArchivalDocument): boolean {
    return this.byId.get(doc.id)?.checked === doc.version;
  }

  imageOwner(image: string): { entry: CatalogEntry; leaf: CatalogLeaf } | undefined {
    const id = this.byImage.get(image);
    const entry = id === undefined ? undefined : this.entry(id);
    const leaf = entry?.leaves.find((l) => l.image === image);
    return entry && leaf ? { entry, leaf } : undefined;
  }

  async stamp(id: string): Promise<string | undefined> {
    if (!this.byId.has(id)) return undefined;
    const now = Date.now();
    const held = this.held.peek(id);
    const stamped = this.stamps.get(id);
    const known = held && (!stamped || held.seenAt > stamped.seenAt) ? held : stamped;
    const age = known ? now - known.seenAt : Number.POSITIVE_INFINITY;
    if (age < this.options.recheckMs / 2) return known!.fingerprint;
    let pending = this.restamping.get(id);
    if (!pending) {
      pending = this.restamp(id).finally(() => this.restamping.delete(id));
      this.restamping.set(id, pending);
    }
    // Looked at within the period, a stamp answers now and the folder is looked at again
    // behind it, from half the period on: a document in use never waits for the disk (under
    // load, each wait is a turn behind every other request), and nothing is served from a
    // look older than the period, so a response cached on the way is no staler than before.
    if (age < this.options.recheckMs) {
      pending.catch(() => undefined);
      return known!.fingerprint;
    }
    return pending;
  }

  private async restamp(id: string): Promise<string | undefined> {
    const seenAt = Date.now();
    const folder = await folderState(path.join(this.options.manifestsDir, id));
    if (!folder) {
      this.stamps.delete(id);
      return undefined;
    }
    this.stamps.set(id, { fingerprint: folder.fingerprint, seenAt });
    return folder.fingerprint;
  }

  load(id: string): Promise<ArchivalDocument | undefined> {
    const held = this.held.get(id);
    if (held && Date.now() - held.seenAt < this.options.recheckMs) return Promise.resolve(held.doc);
    let pending = this.inflight.get(id);
    if (!pending) {
      pending = this.refresh(id).finally(() => this.inflight.delete(id));
      this.inflight.set(id, pending);
    }
    return pending;
  }

  private async refresh(id: string): Promise<ArchivalDocument | undefined> {
    if (!isDocumentFolderName(id)) return undefined;
    const known = this.byId.get(id);
    const failure = this.failures.get(id);
    if (!known && failure && Date.now() - failure.seenAt < this.options.recheckMs) throw failure.error;
    const dir = path.join(this.options.manifestsDir, id);
    const folder = await folderState(dir);
    if (!folder) {
      this.drop(id);
      return undefined;
    }
    const held = this.held.get(id);
    if (held && held.fingerprint === folder.fingerprint) {
      held.seenAt = Date.now();
      return held.doc;
    }
    if (failure && failure.fingerprint === folder.fingerprint) {
      failure.seenAt = Date.now();
      throw failure.error;
    }
    // A folder the catalog does not know yet (added since it was made): only if it is one.
    if (!known && !(await entryOfFolder(this.options.manifestsDir, id, folder))) return undefined;
    let doc: ArchivalDocument;
    try {
      doc = await loadDocument(dir);
      this.loads++;
    } catch (err) {
      if (!(err instanceof DocumentDataError)) throw err;
      const error = new DocumentUnavailableError(err.message);
      this.options.logger.error({ document: id, file: err.file, field: err.field, problem: err.problem }, err.message);
      this.failures.set(id, { fingerprint: folder.fingerprint, error, seenAt: Date.now() });
      this.held.delete(id);
      if (!known) this.put((await entryOfFolder(this.options.manifestsDir, id, folder)) ?? undefined);
      throw error;
    }
    this.failures.delete(id);
    // Checked by `npm run check` as it is now when the catalog's fingerprint and version still match.
    const checked = known?.fingerprint === folder.fingerprint && known.checked === doc.version;
    this.put(entryFromDocument(doc, folder, checked));
    this.held.set(id, { doc, fingerprint: folder.fingerprint, seenAt: Date.now() });
    return doc;
  }

  private put(given: CatalogEntry | undefined): void {
    if (!given) return;
    const entry = this.pool.share(given);
    const before = this.byId.get(entry.id);
    for (const leaf of before?.leaves ?? []) this.byImage.delete(leaf.image);
    this.byId.set(entry.id, entry);
    for (const leaf of entry.leaves) this.byImage.set(leaf.image, entry.id);
    if (!before || !sameListing(before, entry)) this.changed();
  }

  private drop(id: string): void {
    const before = this.byId.get(id);
    this.held.delete(id);
    this.failures.delete(id);
    if (!before) return;
    for (const leaf of before.leaves) this.byImage.delete(leaf.image);
    this.byId.delete(id);
    this.changed();
  }

  private changed(): void {
    this.revision++;
    this.listed = null;
  }
}

/**
 * A fixed set of documents already loaded (tests, benchmarks, scripts): the same interface
 * over an array, with nothing to reload.
 */
export class LoadedDocumentSet implements DocumentSet {
  readonly version = '0';
  private readonly docs: ReadonlyMap<string, ArchivalDocument>;
  private readonly list: readonly CatalogEntry[];
  private readonly byId: ReadonlyMap<string, CatalogEntry>;
  private readonly byImage = new Map<string, { entry: CatalogEntry; leaf: CatalogLeaf }>();

  constructor(documents: readonly ArchivalDocument[]) {
    this.docs = new Map(documents.map((d) => [d.id, d]));
    this.list = [...documents]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((d) => entryFromDocument(d, { fingerprint: d.version, modified: d.modified.getTime() }, true));
    this.byId = new Map(this.list.map((e) => [e.id, e]));
    for (const entry of this.list) for (const leaf of entry.leaves) this.byImage.set(leaf.image, { entry, leaf });
  }

  entries(): readonly CatalogEntry[] {
    return this.list;
  }

  entry(id: string): CatalogEntry | undefined {
    return this.byId.get(id);
  }

  load(id: string): Promise<ArchivalDocument | undefined> {
    return Promise.resolve(this.docs.get(id));
  }

  trusted(): boolean {
    return false;
  }

  stamp(id: string): Promise<string | undefined> {
    return Promise.resolve(this.docs.get(id)?.version);
  }

  imageOwner(image: string) {
    return this.byImage.get(image);
  }
}

/**
 * A listed document's entry with the stamp of its data, when the entry still describes the
 * folder as it is (same fingerprint): what can be served without loading the document.
 * Undefined otherwise — not listed, gone, or changed since its entry was made (it may list
 * other leaves): then load it, which renews the entry.
 */
export async function currentEntry(set: DocumentSet, id: string): Promise<{ entry: CatalogEntry; stamp: string } | undefined> {
  const entry = set.entry(id);
  const stamp = entry && (await set.stamp(id));
  return entry && stamp !== undefined && stamp === entry.fingerprint ? { entry, stamp } : undefined;
}

/** Accepts either a DocumentSet or the loaded documents themselves. */
export function asDocumentSet(documents: DocumentSet | readonly ArchivalDocument[]): DocumentSet {
  return Array.isArray(documents) ? new LoadedDocumentSet(documents as readonly ArchivalDocument[]) : (documents as DocumentSet);
}
