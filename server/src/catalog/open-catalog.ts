import { getHeapStatistics } from 'node:v8';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { readCatalogFile, writeCatalog } from './catalog-file.js';
import { CatalogDocumentSet } from './document-set.js';
import { EntryPool } from './entry.js';
import { scanCatalog } from './scan-folders.js';

/**
 * The documents of MANIFESTS_DIR as the service starts from them: the catalog file when there
 * is one (folders it lists are not read), completed from the record.json of folders it does
 * not list; written back when it had to be completed (or was of an earlier layout), for the
 * next start-up.
 */
export async function openCatalog(
  config: Pick<Config, 'manifestsDir' | 'cacheDir' | 'documentCacheBytes' | 'documentRecheckMs'>,
  logger: Logger,
): Promise<CatalogDocumentSet> {
  const pool = new EntryPool();
  const read = await readCatalogFile(config.cacheDir, config.manifestsDir, pool);
  const previous = read?.entries ?? null;
  const { entries, changed } = await scanCatalog(config.manifestsDir, previous);
  if (changed || read?.earlier) await writeCatalog(config.cacheDir, config.manifestsDir, entries, logger);
  for (const entry of entries) if (entry.problem) logger.error({ document: entry.id }, entry.problem);
  logger.info(
    { documents: entries.length, checked: entries.filter((e) => e.checked).length, fromFile: previous !== null },
    'document catalog read',
  );
  warnIfHeapIsTight(entries.length, config.documentCacheBytes, logger);
  return new CatalogDocumentSet({
    manifestsDir: config.manifestsDir,
    entries,
    maxBytes: config.documentCacheBytes,
    recheckMs: config.documentRecheckMs,
    logger,
    pool,
  });
}

/** Heap a catalog entry takes, its shared parts apart (measured: 12 MiB for 10,000 entries). */
const entryHeapBytes = 1300;
/** Heap the service takes beside the catalog and the document cache, at its busiest (measured at 10,000 documents). */
const workingHeapBytes = 96 * 1024 * 1024;

/**
 * `npm start` caps the JS heap (`--max-old-space-size`), which keeps V8 from letting garbage
 * grow into hundreds of MiB; an archive whose catalog would crowd that cap is told so at
 * start-up, with the flag to raise, rather than left to run out of heap later. Null when the
 * heap has room.
 */
export function heapWarning(documents: number, documentCacheBytes: number, heapLimit: number): string | null {
  const needed = documents * entryHeapBytes + documentCacheBytes + workingHeapBytes;
  if (needed <= 0.6 * heapLimit) return null;
  const mib = (n: number) => Math.ceil(n / 1024 / 1024);
  return `the JS heap limit (${mib(heapLimit)} MiB) is tight for ${documents} documents: start node with --max-old-space-size=${2 * mib(needed)} or more`;
}

function warnIfHeapIsTight(documents: number, documentCacheBytes: number, logger: Logger): void {
  const warning = heapWarning(documents, documentCacheBytes, getHeapStatistics().heap_size_limit);
  if (warning) logger.warn({ documents }, warning);
}
