import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { readCatalog, writeCatalog } from './catalog-file.js';
import { CatalogDocumentSet } from './document-set.js';
import { scanCatalog } from './scan-folders.js';

/**
 * The documents of MANIFESTS_DIR as the service starts from them: the catalog file when there
 * is one (folders it lists are not read), completed from the record.json of folders it does
 * not list; written back when it had to be completed, for the next start-up.
 */
export async function openCatalog(
  config: Pick<Config, 'manifestsDir' | 'cacheDir' | 'documentCacheBytes' | 'documentRecheckMs'>,
  logger: Logger,
): Promise<CatalogDocumentSet> {
  const previous = await readCatalog(config.cacheDir, config.manifestsDir);
  const { entries, changed } = await scanCatalog(config.manifestsDir, previous);
  if (changed) await writeCatalog(config.cacheDir, config.manifestsDir, entries, logger);
  for (const entry of entries) if (entry.problem) logger.error({ document: entry.id }, entry.problem);
  logger.info(
    { documents: entries.length, checked: entries.filter((e) => e.checked).length, fromFile: previous !== null },
    'document catalog read',
  );
  return new CatalogDocumentSet({
    manifestsDir: config.manifestsDir,
    entries,
    maxBytes: config.documentCacheBytes,
    recheckMs: config.documentRecheckMs,
    logger,
  });
}
