/**
 * The catalog on disk: one JSON file per manifests folder in CACHE_DIR/catalog/, written by
 * `npm run check`, `npm run ingest` and by a start-up that had to build it. Several instances
 * may share CACHE_DIR: a file is written under a temporary name and renamed into place, so a
 * reader sees a whole file or none, and a reader takes anything it cannot use (missing,
 * truncated, another format, another folder) for no catalog at all.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { CacheDir } from '../image/cache-dir.js';
import type { CatalogEntry } from './entry.js';

/** Bumped whenever the entry's shape changes, so an older file is rebuilt rather than misread. */
const FORMAT = 1;

interface CatalogFile {
  readonly format: number;
  readonly manifestsDir: string;
  readonly written: string;
  readonly entries: readonly CatalogEntry[];
}

/** Where the catalog of `manifestsDir` lives: keyed by the folder, so data folders never share one. */
export function catalogFile(cacheDir: string, manifestsDir: string): string {
  const key = createHash('sha256').update(path.resolve(manifestsDir)).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'catalog', `${key}.json`);
}

/** The entries of the catalog file, or null when there is none this service can use. */
export async function readCatalog(cacheDir: string, manifestsDir: string): Promise<CatalogEntry[] | null> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(catalogFile(cacheDir, manifestsDir), 'utf8'));
  } catch {
    return null;
  }
  const file = data as Partial<CatalogFile> | null;
  if (!file || file.format !== FORMAT || file.manifestsDir !== path.resolve(manifestsDir) || !Array.isArray(file.entries)) return null;
  const ok = file.entries.every(
    (e: Partial<CatalogEntry> | null) =>
      !!e && typeof e.id === 'string' && typeof e.fingerprint === 'string' && Array.isArray(e.leaves) && Array.isArray(e.hierarchy),
  );
  return ok ? [...file.entries] : null;
}

/** Writes the catalog atomically; a cache that cannot be written only costs the next start-up its time. */
export async function writeCatalog(
  cacheDir: string,
  manifestsDir: string,
  entries: readonly CatalogEntry[],
  logger: Logger,
): Promise<boolean> {
  const file: CatalogFile = { format: FORMAT, manifestsDir: path.resolve(manifestsDir), written: new Date().toISOString(), entries };
  try {
    await new CacheDir(cacheDir, logger).writeFileAtomic(catalogFile(cacheDir, manifestsDir), JSON.stringify(file));
    return true;
  } catch (err) {
    logger.warn({ err }, 'the document catalog cannot be written to CACHE_DIR; the next start-up builds it again');
    return false;
  }
}
