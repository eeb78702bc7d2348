/**
 * Everything the service can check about its documents ahead of time, for `npm run check`:
 * each folder's data (record and translation schemas, the transcriptions, translation targets)
 * and each Presentation resource built from it against our schemas, with the collections.
 * Produces the catalog, recording per document the data version that passed, and keeps what
 * the service would otherwise build on a first request: each Presentation build and search index.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { DocumentDataError } from '../document/document-error.js';
import { loadDocument } from '../document/load-document.js';
import type { InfoConfig } from '../image/info.js';
import type { ImageBackend } from '../image/types.js';
import type { ManifestServiceProvider } from '../presentation/build-input.js';
import { PUBLICATION_VERSION } from '../presentation/publication-store.js';
import { pageOfDocument } from '../presentation/ids.js';
import { buildPlace } from '../presentation/publications.js';
import { InvalidResourceError } from '../presentation/validate.js';
import { analyzerVersion, indexDirOf, indexFilePath } from '../search/index-file.js';
import { CacheDir } from '../image/cache-dir.js';
import { catalogFile } from './catalog-file.js';
import { checkingServices, type FolderChecker, folderChecker } from './check-folder.js';
import { type Pruned, pruneKept } from './prune-kept.js';
import type { CatalogEntry } from './entry.js';
import { folderState } from './folder-state.js';
import { refreshCatalog } from './scan-folders.js';

export interface CheckOptions {
  readonly manifestsDir: string;
  /** The base URL the resources are built for while checking. */
  readonly base: string;
  readonly images: Pick<ImageBackend, 'source'>;
  readonly imageConfig: InfoConfig;
  readonly services?: ManifestServiceProvider;
  readonly logger: Logger;
  /** The catalog so far: a folder it records as checked, unchanged since, is not checked again. */
  readonly previous: readonly CatalogEntry[] | null;
  /** Check every folder, whatever the previous catalog says. */
  readonly all?: boolean;
  /** Where each passed document's Presentation build and search index are kept for the service (CACHE_DIR). */
  readonly cacheDir?: string;
  /** Delete the kept files (in `cacheDir`) that no document as checked now is served from. */
  readonly prune?: boolean;
  /** Called after each document, for progress. */
  readonly onDocument?: (done: number, total: number) => void;
  /**
   * Checks changed folders in full elsewhere (worker threads: check-pool.ts), `concurrency` at
   * once, made from the folders as listed when the first one needs it; by default, in this
   * thread, a few at once.
   */
  readonly checkers?: { readonly concurrency: number; readonly make: (listed: readonly CatalogEntry[]) => FolderChecker };
}

export interface CheckResult {
  readonly entries: CatalogEntry[];
  /** One line per problem: the file, the field and the problem (or the resource and its schema). */
  readonly problems: string[];
  /** Folders checked in full now (passed or not). */
  readonly checked: number;
  /** Unchanged since a previous check: not checked again. */
  readonly skipped: number;
  /** Of those, the ones whose search index was built now, for a search analysis changed since. */
  readonly reindexed: number;
  /** What `prune` deleted. */
  readonly pruned?: Pruned;
}

/**
 * What the files a check keeps were made as: the base URL and the versions of the Presentation
 * builds and the search analysis. A folder unchanged since it passed is skipped only when its
 * files were made as they now would be; after an upgrade that changes them, they are made
 * again: everything, or only the search indexes when only the analysis changed.
 */
interface KeptAs {
  readonly base: string;
  readonly publication: number;
  readonly analyzer: string;
}

const keptAs = (base: string): KeptAs => ({ base, publication: PUBLICATION_VERSION, analyzer: analyzerVersion });

/** Which of the kept files of unchanged folders must be made again. */
async function staleKept(file: string | null, base: string): Promise<{ all: boolean; indexes: boolean }> {
  if (file === null) return { all: false, indexes: false };
  const now = keptAs(base);
  let was: Partial<KeptAs> | null = null;
  try {
    was = JSON.parse(await readFile(file, 'utf8')) as Partial<KeptAs> | null;
  } catch {
    // None yet, or unreadable: everything is made again.
  }
  const all = was?.base !== now.base || was.publication !== now.publication;
  return { all, indexes: all || was?.analyzer !== now.analyzer };
}

const keptFile = (cacheDir: string, manifestsDir: string) => catalogFile(cacheDir, manifestsDir).replace(/\.jsonl$/, '.kept.json');

export async function checkDocuments(options: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const listed = await refreshCatalog(options.manifestsDir, options.previous);
  const kept = options.cacheDir === undefined ? null : keptFile(options.cacheDir, options.manifestsDir);
  const stale = await staleKept(kept, options.base);
  const setup = { ...options, listed };
  const services = checkingServices(setup);
  const { set, publications, store, indexes } = services;
  let checker: FolderChecker | undefined;
  const check: FolderChecker = (id, folder) => (checker ??= options.checkers?.make(listed) ?? folderChecker(setup, services))(id, folder);
  const problems: string[] = [];
  const results: (CatalogEntry | null)[] = new Array<CatalogEntry | null>(listed.length).fill(null);
  let checked = 0;
  let skipped = 0;
  let done = 0;
  let reindexedCount = 0;
  /** Builds the index of a document that passed as it is, unless one for the current analysis is kept already. */
  const reindexed = async (id: string, dir: string, stamp: string) => {
    if (!indexes || (await stat(indexFilePath(indexDirOf(options.cacheDir!), id, stamp)).catch(() => null))) return;
    try {
      const document = await loadDocument(dir);
      await indexes.load(id, stamp, async () => document);
      reindexedCount++;
    } catch (err) {
      // Changed under the check (it passed as it was): its next check or request sees it.
      if (!(err instanceof DocumentDataError)) throw err;
    }
  };
  const checkOne = async (i: number) => {
    const listedEntry = listed[i]!;
    const id = listedEntry.id;
    const dir = path.join(options.manifestsDir, id);
    const folder = await folderState(dir);
    if (!folder) return;
    if (!options.all && !stale.all && listedEntry.checked && listedEntry.fingerprint === folder.fingerprint) {
      // Passed as it is: after an upgrade of the search analysis alone, only its index is made again.
      if (stale.indexes) await reindexed(id, dir, folder.fingerprint);
      results[i] = listedEntry;
      skipped++;
      return;
    }
    checked++;
    const outcome = await check(id, folder);
    if (outcome.problem !== undefined) problems.push(outcome.problem);
    results[i] = outcome.entry;
  };
  // A few documents at once: reading files and images overlaps the building and checking.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.checkers?.concurrency ?? 4, listed.length) }, async () => {
      while (next < listed.length) {
        const i = next++;
        await checkOne(i);
        options.onDocument?.(++done, listed.length);
      }
    }),
  );
  const entries = results.filter((e): e is CatalogEntry => e !== null);
  problems.sort();
  try {
    publications.verifyCollections(options.base);
  } catch (err) {
    if (!(err instanceof InvalidResourceError)) throw err;
    problems.push(`collections: ${err.message}`);
  }
  for (const entry of entries) if (entry.problem && !problems.includes(entry.problem)) problems.push(entry.problem);
  if (kept !== null && stale.indexes) {
    await new CacheDir(options.cacheDir!, options.logger).writeFileAtomic(kept, JSON.stringify(keptAs(options.base))).catch(() => undefined);
  }
  const reindexedPart = { reindexed: reindexedCount };
  if (!options.prune || options.cacheDir === undefined || !store) return { entries, problems, checked, skipped, ...reindexedPart };
  // Every file a passed document is served from, as the service will look for it.
  const keep = new Set<string>();
  const listedCount = set.entries().length;
  for (const entry of entries) {
    if (entry.checked === null) continue;
    keep.add(store.fileOf(buildPlace(options.base, entry.id, pageOfDocument(options.base, entry.id, listedCount))));
    keep.add(indexFilePath(indexDirOf(options.cacheDir), entry.id, entry.fingerprint));
  }
  const pruned = await pruneKept([store.folder, indexDirOf(options.cacheDir)], keep, started);
  return { entries, problems, checked, skipped, ...reindexedPart, pruned };
}
