/**
 * The full check of one changed document folder, as `npm run check` makes it in its own
 * thread or in a worker thread (check-worker.ts): its data, every Presentation resource built
 * from it against our schemas, and the files the service serves it from (its build, its
 * search index).
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { DocumentDataError } from '../document/document-error.js';
import { loadDocument } from '../document/load-document.js';
import type { InfoConfig } from '../image/info.js';
import type { ImageBackend } from '../image/types.js';
import type { ManifestServiceProvider } from '../presentation/build-input.js';
import { PublicationStore } from '../presentation/publication-store.js';
import { Publications } from '../presentation/publications.js';
import { InvalidResourceError } from '../presentation/validate.js';
import { SearchIndexCache } from '../search/index-cache.js';
import { indexDirOf } from '../search/index-file.js';
import { CatalogDocumentSet } from './document-set.js';
import { type CatalogEntry, entryFromDocument, type FolderState } from './entry.js';
import { entryOfFolder } from './scan-folders.js';

/** A folder's catalog entry once checked, and its one-line problem when it failed. */
export interface FolderOutcome {
  readonly entry: CatalogEntry | null;
  readonly problem?: string;
}

export type FolderChecker = (id: string, folder: FolderState) => Promise<FolderOutcome>;

export interface CheckSetup {
  readonly manifestsDir: string;
  /** The base URL the resources are built for. */
  readonly base: string;
  /** Every folder as listed before the check: the resources' page URLs depend on how many there are. */
  readonly listed: readonly CatalogEntry[];
  readonly images: Pick<ImageBackend, 'source'>;
  readonly imageConfig: InfoConfig;
  readonly services?: ManifestServiceProvider;
  /** Where the builds and search indexes are kept (CACHE_DIR); none are kept without it. */
  readonly cacheDir?: string;
  readonly logger: Logger;
}

/** What a check builds with: nothing is kept in memory, so it stays flat however many documents there are. */
export function checkingServices(setup: CheckSetup): {
  set: CatalogDocumentSet;
  publications: Publications;
  store?: PublicationStore;
  indexes?: SearchIndexCache;
} {
  const { logger, cacheDir } = setup;
  // The set only lends the resources their page URLs.
  const set = new CatalogDocumentSet({ manifestsDir: setup.manifestsDir, entries: setup.listed, maxBytes: 1, recheckMs: 0, logger });
  const store = cacheDir === undefined ? undefined : new PublicationStore(cacheDir, logger);
  const publications = new Publications({
    documents: set,
    images: setup.images,
    imageConfig: setup.imageConfig,
    services: setup.services,
    // Each build is kept as a file, from which the service serves it without building it.
    maxBytes: 1,
    ...(store && { store }),
  });
  // Likewise each search index: written as a file, none kept in memory.
  const indexes = cacheDir === undefined ? undefined : new SearchIndexCache(1, { dir: indexDirOf(cacheDir) });
  return { set, publications, ...(store && { store }), ...(indexes && { indexes }) };
}

/** Checks a folder in full with `services`; a problem of the data or of a resource is its outcome, anything else rejects. */
export function folderChecker(setup: Pick<CheckSetup, 'manifestsDir' | 'base'>, services: ReturnType<typeof checkingServices>): FolderChecker {
  return async (id, folder) => {
    try {
      const document = await loadDocument(path.join(setup.manifestsDir, id));
      await services.publications.forDocument(document, setup.base, true, folder.fingerprint);
      await services.indexes?.load(id, folder.fingerprint, async () => document);
      return { entry: entryFromDocument(document, folder, true) };
    } catch (err) {
      if (!(err instanceof DocumentDataError) && !(err instanceof InvalidResourceError)) throw err;
      const problem = err instanceof DocumentDataError ? err.message : `${id}: ${err.message}`;
      return { entry: await entryOfFolder(setup.manifestsDir, id, folder), problem };
    }
  };
}
