/**
 * The catalog on disk: one file per manifests folder in CACHE_DIR/catalog/, JSON lines (a
 * header, then an entry a line), written by `npm run check`, `npm run ingest` and by a
 * start-up that had to build it. Several instances may share CACHE_DIR: a file is written
 * under a temporary name and renamed into place, so a reader sees a whole file or none, and a
 * reader takes anything it cannot use (missing, truncated, another format, another folder)
 * for no catalog at all.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { CacheDir } from '../image/cache-dir.js';
import { type CatalogEntry, EntryPool } from './entry.js';

/** Bumped whenever the entry's shape or the file's layout changes, so an older file is rebuilt rather than misread. */
const FORMAT = 2;

/** The file's first line; each of the others is one entry. */
interface CatalogHeader {
  readonly format: number;
  readonly manifestsDir: string;
  readonly written: string;
  readonly entries: number;
}

/** Where the catalog of `manifestsDir` lives: keyed by the folder, so data folders never share one. */
export function catalogFile(cacheDir: string, manifestsDir: string): string {
  const key = createHash('sha256').update(path.resolve(manifestsDir)).digest('hex').slice(0, 16);
  return path.join(cacheDir, 'catalog', `${key}.jsonl`);
}

/** Where the catalog was kept before FORMAT 2. */
const earlierFile = (file: string) => file.replace(/\.jsonl$/, '.json');

const isEntry = (e: Partial<CatalogEntry> | null): e is CatalogEntry =>
  !!e && typeof e.id === 'string' && typeof e.fingerprint === 'string' && Array.isArray(e.leaves) && Array.isArray(e.hierarchy);

/** The catalog as read, and whether its file is of an earlier layout (to be written anew). */
export interface CatalogFileContents {
  readonly entries: CatalogEntry[];
  readonly earlier: boolean;
}

/** The entries of the catalog file, or null when there is none this service can use. */
export async function readCatalog(cacheDir: string, manifestsDir: string): Promise<CatalogEntry[] | null> {
  return (await readCatalogFile(cacheDir, manifestsDir))?.entries ?? null;
}

/**
 * The catalog file's entries, or null when there is none this service can use. Read a line
 * (an entry) at a time, each sharing its hierarchy and labels with those read before it:
 * parsed whole, 10,000 entries took some 35 MiB of heap for a moment — memory the process
 * then kept — to hold the 12 MiB they take once shared. A file of the earlier layout (one
 * JSON text) is still read, so an upgrade keeps what `npm run check` recorded. `pool`: the
 * one the entries go on to (the document set's), so that they are not shared twice.
 */
export async function readCatalogFile(cacheDir: string, manifestsDir: string, pool = new EntryPool()): Promise<CatalogFileContents | null> {
  const file = catalogFile(cacheDir, manifestsDir);
  const bytes = await readFile(file).catch(() => undefined);
  if (bytes) {
    const entries = parseLines(bytes, path.resolve(manifestsDir), pool);
    return entries && { entries, earlier: false };
  }
  const earlier = await readFile(earlierFile(file), 'utf8').catch(() => undefined);
  const entries = earlier === undefined ? null : parseEarlier(earlier, path.resolve(manifestsDir));
  return entries && { entries, earlier: true };
}

function parseLines(bytes: Buffer, manifestsDir: string, pool: EntryPool): CatalogEntry[] | null {
  try {
    let end = bytes.indexOf(10);
    if (end === -1) return null;
    const header = JSON.parse(bytes.toString('utf8', 0, end)) as Partial<CatalogHeader> | null;
    if (header?.format !== FORMAT || header.manifestsDir !== manifestsDir) return null;
    const entries: CatalogEntry[] = [];
    for (let start = end + 1; start < bytes.length; start = end + 1) {
      end = bytes.indexOf(10, start);
      if (end === -1) end = bytes.length;
      const entry = JSON.parse(bytes.toString('utf8', start, end)) as Partial<CatalogEntry> | null;
      if (!isEntry(entry)) return null;
      entries.push(pool.share(entry));
    }
    // A file cut short (a full disk at the last write) is no catalog at all.
    return entries.length === header.entries ? entries : null;
  } catch {
    return null;
  }
}

/** The layout before FORMAT 2: `{ format: 1, manifestsDir, written, entries: [...] }`. */
function parseEarlier(text: string, manifestsDir: string): CatalogEntry[] | null {
  try {
    const file = JSON.parse(text) as { format?: unknown; manifestsDir?: unknown; entries?: unknown } | null;
    if (file?.format !== 1 || file.manifestsDir !== manifestsDir || !Array.isArray(file.entries)) return null;
    const entries = file.entries as (Partial<CatalogEntry> | null)[];
    return entries.every(isEntry) ? entries : null;
  } catch {
    return null;
  }
}

/** Writes the catalog atomically; a cache that cannot be written only costs the next start-up its time. */
export async function writeCatalog(
  cacheDir: string,
  manifestsDir: string,
  entries: readonly CatalogEntry[],
  logger: Logger,
): Promise<boolean> {
  const header: CatalogHeader = { format: FORMAT, manifestsDir: path.resolve(manifestsDir), written: new Date().toISOString(), entries: entries.length };
  const text = [header, ...entries].map((line) => `${JSON.stringify(line)}\n`).join('');
  try {
    const file = catalogFile(cacheDir, manifestsDir);
    await new CacheDir(cacheDir, logger).writeFileAtomic(file, text);
    await rm(earlierFile(file), { force: true });
    return true;
  } catch (err) {
    logger.warn({ err }, 'the document catalog cannot be written to CACHE_DIR; the next start-up builds it again');
    return false;
  }
}
