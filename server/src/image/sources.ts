import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { HttpError, NotFoundError } from '../errors.js';
import { readSmallFile } from '../read-small-file.js';
import type { CacheDir } from './cache-dir.js';
import { readSourceMetadata, sourceExtensions, SourceTooLargeError, UnreadableImageError } from './render.js';
import type { SourceInfo } from './types.js';

/**
 * Bumped whenever the pixels we produce for the same source change (ingest or render
 * settings), so that every content key, ETag and derivative changes with them.
 */
export const PIPELINE_VERSION = 1;

/**
 * Identifiers are file stems made of letters, digits, `.`, `_` and `-`, starting with a letter
 * or digit: nothing that could name a folder, climb out of one, or need encoding in a URL.
 */
const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidIdentifier(id: string): boolean {
  return identifierPattern.test(id) && !id.includes('..');
}

/** A source image as the pixel layer knows it. */
export interface SourceFile extends SourceInfo {
  readonly path: string;
  readonly bytes: number;
  readonly mtimeMs: number;
  readonly format: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** A file the catalog found but cannot serve, and the error its requests are answered with. */
export interface UnreadableSource {
  readonly id: string;
  readonly error: HttpError;
}

interface HashRecord {
  file: string;
  bytes: number;
  mtimeMs: number;
  sha256: string;
  /** The header's facts, so a restart (or `npm run check` before it) spares the decoder too. */
  width?: number;
  height?: number;
  format?: string;
}

interface Entry {
  file: string;
  source?: SourceFile;
  /** Set when the file cannot be read as an image; answered as a clear error. */
  broken?: HttpError;
  /** The size and mtime the file had when it was found broken. */
  brokenFor?: string;
  checkedAt: number;
  pending?: Promise<void>;
}

export interface SourceCatalogOptions {
  imagesDir: string;
  cache: CacheDir;
  inputPixels: number;
  logger: Logger;
  /** How long a file's size and mtime are trusted before they are looked at again. */
  revalidateMs: number;
}

/**
 * Every image file directly in IMAGES_DIR, served under its stem. A file is re-read when
 * its size or mtime changes; its content hash, which keys ETags and derivatives, is then
 * recomputed (and otherwise remembered in the cache folder across restarts).
 */
export class SourceCatalog {
  private files = new Map<string, string>();
  private entries = new Map<string, Entry>();
  private scannedAt = Number.NEGATIVE_INFINITY;
  private scanning: Promise<void> | null = null;
  private readonly warnedNames = new Set<string>();

  constructor(private readonly opts: SourceCatalogOptions) {}

  /** The source for an identifier; NotFoundError for anything that is not one of our files. */
  async get(id: string): Promise<SourceFile> {
    if (!isValidIdentifier(id)) throw new NotFoundError(`No image with identifier "${truncate(id)}"`);
    if (!this.entries.has(id)) {
      if (!this.files.has(id)) await this.scan(await this.mayExist(id));
      const file = this.files.get(id);
      if (file === undefined) throw new NotFoundError(`No image with identifier "${id}"`);
      // Another caller may have created it while we waited for the scan.
      if (!this.entries.has(id)) this.entries.set(id, { file, checkedAt: Number.NEGATIVE_INFINITY });
    }
    const entry = this.entries.get(id)!;
    // Everyone arriving while the file is being read waits for that reading, not just its starter.
    const age = Date.now() - entry.checkedAt;
    const due = age >= this.opts.revalidateMs || (!entry.source && !entry.broken);
    // An image in use is looked at again ahead, from half the period on, while it is served as
    // last seen: it never waits for the disk, and nothing is served from a look older than the
    // period, so the bans a replacement sends (cache-ban.ts) still come before any stale hit.
    const ahead = !due && entry.source !== undefined && age >= this.opts.revalidateMs / 2;
    if (!entry.pending && (due || ahead)) {
      entry.pending = this.refresh(id, entry).finally(() => {
        entry.pending = undefined;
      });
    }
    if (entry.pending && !due) entry.pending.catch(() => undefined);
    else if (entry.pending) await entry.pending;
    if (entry.broken) throw entry.broken;
    if (!entry.source) throw new NotFoundError(`No image with identifier "${id}"`);
    return entry.source;
  }

  /** The last known state of a source, without touching the disk. */
  peek(id: string): SourceFile | undefined {
    return this.entries.get(id)?.source;
  }

  /** Every readable source, sorted by identifier. */
  async list(): Promise<SourceFile[]> {
    return (await this.survey()).sources;
  }

  /**
   * Every source file in the folder, sorted by identifier: the readable ones, and the others
   * with the error they are answered with (damaged, or above the input pixel limit).
   */
  async survey(): Promise<{ sources: SourceFile[]; unreadable: UnreadableSource[] }> {
    await this.scan(false);
    const sources: SourceFile[] = [];
    const unreadable: UnreadableSource[] = [];
    for (const id of [...this.files.keys()].sort()) {
      try {
        sources.push(await this.get(id));
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        // Removed since the scan: not a source any more, not a failure.
        if (!(err instanceof NotFoundError)) unreadable.push({ id, error: err });
      }
    }
    return { sources, unreadable };
  }

  /** Re-reads the folder listing (at most once per revalidation period unless forced). */
  async scan(force: boolean): Promise<void> {
    if (!force && Date.now() - this.scannedAt < this.opts.revalidateMs) return;
    this.scanning ??= this.readFolder().finally(() => {
      this.scanning = null;
    });
    await this.scanning;
  }

  /**
   * Whether a file for an identifier we do not know has appeared since the last scan: a few
   * stat calls, so a file just added is served at once while unknown identifiers (crawlers)
   * never cost a folder listing each.
   */
  private async mayExist(id: string): Promise<boolean> {
    for (const ext of sourceExtensions) {
      for (const name of [id + ext, id + ext.toUpperCase()]) {
        if (await stat(path.join(this.opts.imagesDir, name)).then((st) => st.isFile(), () => false)) return true;
      }
    }
    return false;
  }

  private async readFolder(): Promise<void> {
    const dir = this.opts.imagesDir;
    const found = new Map<string, string>();
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.warnOnce(dir, { err, imagesDir: dir }, 'cannot read the images folder; no images are served');
      dirents = [];
    }
    let root: string | undefined;
    for (const d of dirents) {
      const ext = path.extname(d.name).toLowerCase();
      if (d.name.startsWith('.') || !sourceExtensions.includes(ext)) continue;
      const id = d.name.slice(0, -ext.length);
      if (!isValidIdentifier(id)) {
        this.warnOnce(d.name, { file: d.name }, 'image file name is not a valid identifier; not served');
        continue;
      }
      if (d.isSymbolicLink()) {
        // A link is served only if it resolves to a file inside the folder.
        root ??= await realpath(dir);
        const target = await realpath(path.join(dir, d.name)).catch(() => null);
        if (!target || !target.startsWith(root + path.sep) || !(await stat(target)).isFile()) continue;
      } else if (!d.isFile()) {
        continue;
      }
      const other = found.get(id);
      if (other !== undefined) {
        const keep = rank(other) <= rank(d.name) ? other : d.name;
        this.warnOnce(`dup:${id}`, { id, files: [other, d.name], served: keep }, 'two image files share an identifier');
        found.set(id, keep);
      } else {
        found.set(id, d.name);
      }
    }
    for (const [id, entry] of this.entries) {
      if (found.get(id) !== entry.file) this.entries.delete(id);
    }
    this.files = found;
    this.scannedAt = Date.now();
  }

  private async refresh(id: string, entry: Entry): Promise<void> {
    const file = path.join(this.opts.imagesDir, entry.file);
    // A file being replaced in place may change while it is read: read it again until it holds still.
    for (let attempt = 0; ; attempt++) {
      const st = await stat(file).catch(() => null);
      if (!st) {
        // Gone since the last scan.
        this.entries.delete(id);
        this.files.delete(id);
        entry.source = undefined;
        entry.broken = undefined;
        return;
      }
      entry.checkedAt = Date.now();
      const prev = entry.source;
      if (prev && prev.bytes === st.size && prev.mtimeMs === st.mtimeMs) return;
      if (entry.broken && entry.brokenFor === `${st.size}:${st.mtimeMs}`) return;
      const found = await this.examine(id, entry.file, file, st.size, st.mtimeMs);
      // Only a file that was read (hashed, its header decoded) can have changed under the reading.
      const after = found.read ? await stat(file).catch(() => null) : st;
      if (attempt < 3 && (after?.size !== st.size || after.mtimeMs !== st.mtimeMs)) continue;
      if ('source' in found) {
        entry.source = found.source;
        entry.broken = undefined;
      } else {
        entry.source = undefined;
        entry.broken = found.broken;
        entry.brokenFor = `${st.size}:${st.mtimeMs}`;
      }
      return;
    }
  }

  /** Hash and header of a source file, or the error it is answered with. */
  private async examine(
    id: string,
    name: string,
    file: string,
    bytes: number,
    mtimeMs: number,
  ): Promise<({ source: SourceFile } | { broken: HttpError }) & { read: boolean }> {
    const recordFile = path.join(this.opts.cache.dirOf(id), 'source.json');
    const record = await readRecord(recordFile, name, bytes, mtimeMs);
    const header = record && hasHeader(record) ? record : null;
    // Without a whole record, the file itself is read: hashed, or its header decoded.
    const read = header === null;
    try {
      const sha256 = record?.sha256 ?? (await hashFile(file));
      const meta = header ? headerOf(header, this.opts.inputPixels) : await readSourceMetadata(file, this.opts.inputPixels);
      if (read) {
        await this.writeRecord(recordFile, { file: name, bytes, mtimeMs, sha256, width: meta.width, height: meta.height, format: meta.format });
      }
      return {
        source: {
          id,
          width: meta.width,
          height: meta.height,
          key: contentKey(sha256),
          modified: new Date(Math.floor(mtimeMs / 1000) * 1000),
          path: file,
          bytes,
          mtimeMs,
          format: meta.format,
          sha256,
        },
        read,
      };
    } catch (err) {
      if (err instanceof SourceTooLargeError) {
        // A policy refusal, not a fault: 403, and the log says which limit to raise.
        this.opts.logger.warn({ id, file: name, width: err.width, height: err.height }, 'source image above INPUT_PIXEL_LIMIT; not served');
        return {
          broken: new HttpError(
            403,
            `The image "${id}" is ${err.width}×${err.height} pixels, above this server's input pixel limit of ${err.limit}`,
          ),
          read,
        };
      }
      if (err instanceof UnreadableImageError || isFileGone(err)) {
        this.opts.logger.error({ err, id, file: name }, 'source image cannot be read');
        return { broken: damagedSourceError(id), read };
      }
      throw err;
    }
  }

  /** Remembers a source's hash and header in the cache folder, for later examinations. */
  private async writeRecord(recordFile: string, record: HashRecord): Promise<void> {
    if (!this.opts.cache.available) return;
    await this.opts.cache.writeFileAtomic(recordFile, JSON.stringify(record)).then(
      () => this.opts.cache.recovered(),
      (err: unknown) => this.opts.cache.failed(err, 'source hash record'),
    );
  }

  private warnOnce(key: string, obj: object, msg: string): void {
    if (this.warnedNames.has(key)) return;
    this.warnedNames.add(key);
    this.opts.logger.warn(obj, msg);
  }
}

/**
 * The cache's record of a source file while its name, size and mtime are unchanged; null when
 * there is none, it is unreadable, or the file changed since.
 */
async function readRecord(recordFile: string, name: string, bytes: number, mtimeMs: number): Promise<HashRecord | null> {
  try {
    const rec = JSON.parse((await readSmallFile(recordFile, 4096)).toString('utf8')) as Partial<HashRecord>;
    if (rec.file === name && rec.bytes === bytes && rec.mtimeMs === mtimeMs && typeof rec.sha256 === 'string') return rec as HashRecord;
  } catch {
    // No record yet, or an unreadable one.
  }
  return null;
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const hasHeader = (r: HashRecord): r is HashRecord & Required<Pick<HashRecord, 'width' | 'height' | 'format'>> =>
  Number.isInteger(r.width) && r.width! > 0 && Number.isInteger(r.height) && r.height! > 0 && typeof r.format === 'string';

/** The recorded header, under the same pixel limit a decoded one is held to. */
function headerOf(r: HashRecord & Required<Pick<HashRecord, 'width' | 'height' | 'format'>>, inputPixels: number) {
  if (r.width * r.height > inputPixels) throw new SourceTooLargeError(r.width, r.height, inputPixels);
  return { width: r.width, height: r.height, format: r.format };
}

function isFileGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR';
}

/** The answer to any request for a source that cannot be decoded (a fault of ours: 500). */
export function damagedSourceError(id: string): HttpError {
  return new HttpError(500, `The image "${id}" cannot be read: its source file is damaged`);
}

/** The content key: the source's hash and the pipeline version, short enough for paths and ETags. */
export function contentKey(sha256: string): string {
  return createHash('sha256').update(`iiif-pixels/${PIPELINE_VERSION}/${sha256}`).digest('hex').slice(0, 20);
}

/** When two files share a stem, the lossless one wins. */
function rank(name: string): number {
  return sourceExtensions.indexOf(path.extname(name).toLowerCase());
}

/** An untrusted identifier, made safe to quote in a plain-text error. */
function truncate(s: string): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}…` : printable;
}
