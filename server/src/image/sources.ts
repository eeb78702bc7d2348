import { createHash } from 'node:crypto';
import { createReadStream, type Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LRUCache } from 'lru-cache';
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
  /** The file served under the identifier, once located. */
  file?: string;
  source?: SourceFile;
  /** Set when the file cannot be read as an image; answered as a clear error. */
  broken?: HttpError;
  /** The size and mtime the file had when it was found broken. */
  brokenFor?: string;
  checkedAt: number;
  pending?: Promise<void>;
  /** The caller's record of the file, asked for when the identifier is first located. */
  known?: () => Promise<unknown>;
}

/** A file found to serve an identifier, with what stat said of it. */
interface Located {
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * Identifiers whose state is kept in memory, the most recently asked for. An entry is a few
 * hundred bytes; one forgotten costs a record read and a stat when it is asked for again.
 */
const SOURCES_KEPT = 8192;

export interface SourceCatalogOptions {
  imagesDir: string;
  cache: CacheDir;
  inputPixels: number;
  logger: Logger;
  /** How long a file's size and mtime are trusted before they are looked at again. */
  revalidateMs: number;
  /** How many identifiers' states are kept in memory (default SOURCES_KEPT). */
  kept?: number;
  /** Told when a source is found with other pixels than it was last served with (here or by another instance). */
  onReplaced?: (id: string, previousKey: string) => void;
}

/**
 * Every image file directly in IMAGES_DIR, served under its stem. An identifier is found by
 * its cache record, else by trying its file names, lossless first; the folder is listed only
 * when every source is asked for (ingest, export), so a request costs the same in a folder of
 * ten images or of a million. A file is re-read when its size or mtime changes;
 * its content hash, which keys ETags and derivatives, is then recomputed (and otherwise
 * remembered in the cache folder across restarts).
 */
export class SourceCatalog {
  private readonly entries: LRUCache<string, Entry>;
  private readonly warnedNames = new LRUCache<string, true>({ max: 1024 });
  private root: Promise<string | null> | undefined;

  constructor(private readonly opts: SourceCatalogOptions) {
    this.entries = new LRUCache({ max: opts.kept ?? SOURCES_KEPT });
  }

  /**
   * The source for an identifier; NotFoundError for anything that is not one of our files.
   * `known`: the caller's record of the file (SourceRecord), asked for only if the identifier
   * is not held in memory; while the file's size and mtime match it, no record is read.
   * `maxAgeMs`: the oldest look the caller takes (SourceOptions), by default the period.
   */
  async get(id: string, options?: { known?: () => Promise<unknown>; maxAgeMs?: number }): Promise<SourceFile> {
    if (!isValidIdentifier(id)) throw new NotFoundError(`No image with identifier "${truncate(id)}"`);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { checkedAt: Number.NEGATIVE_INFINITY, known: options?.known };
      this.entries.set(id, entry);
    }
    return this.served(id, entry, options?.maxAgeMs ?? this.opts.revalidateMs);
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
   * with the error they are answered with (damaged, or above the input pixel limit). The
   * listing settles which file serves a stem that two share, for the requests that follow.
   */
  async survey(): Promise<{ sources: SourceFile[]; unreadable: UnreadableSource[] }> {
    const files = await this.readFolder();
    const sources: SourceFile[] = [];
    const unreadable: UnreadableSource[] = [];
    for (const [id, file] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const kept = this.entries.get(id);
      const entry = kept?.file === file ? kept : { file, checkedAt: Number.NEGATIVE_INFINITY };
      if (entry !== kept) this.entries.set(id, entry);
      try {
        sources.push(await this.served(id, entry, this.opts.revalidateMs));
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        // Removed since the listing: not a source any more, not a failure.
        if (!(err instanceof NotFoundError)) unreadable.push({ id, error: err });
      }
    }
    return { sources, unreadable };
  }

  private async served(id: string, entry: Entry, maxAgeMs: number): Promise<SourceFile> {
    // Everyone arriving while the file is being read waits for that reading, not just its starter.
    const age = Date.now() - entry.checkedAt;
    const due = age >= maxAgeMs || (!entry.source && !entry.broken);
    // An image in use is looked at again ahead, from half the period on, while it is served as
    // last seen: it never waits for the disk, and nothing is served from a look older than the
    // period (or the age the caller takes), so the bans a replacement sends (cache-ban.ts)
    // still come before any stale hit.
    const ahead = !due && entry.source !== undefined && age >= Math.min(maxAgeMs, this.opts.revalidateMs) / 2;
    if (!entry.pending && (due || ahead)) {
      entry.pending = this.refresh(id, entry).finally(() => {
        entry.pending = undefined;
      });
    }
    if (entry.pending && !due) entry.pending.catch(() => undefined);
    else if (entry.pending) await entry.pending;
    if (entry.broken) throw entry.broken;
    if (!entry.source) {
      if (this.entries.peek(id) === entry && !entry.pending) this.entries.delete(id);
      throw new NotFoundError(`No image with identifier "${id}"`);
    }
    return entry.source;
  }

  private async refresh(id: string, entry: Entry): Promise<void> {
    const recordFile = path.join(this.opts.cache.dirOf(id), 'source.json');
    // What the cache last recorded, read once: a retry must not take its own reading for what was served.
    let record: HashRecord | null | undefined;
    // The caller's record, while it still describes the file, spares reading ours.
    let given = entry.known === undefined ? null : await this.given(id, entry.known);
    entry.known = undefined;
    if (given) record = given.record;
    // A file being replaced in place may change while it is read: read it again until it holds still.
    for (let attempt = 0; ; attempt++) {
      let at = given?.at ?? (entry.file === undefined ? null : await this.servable(entry.file));
      given = null;
      if (!at) {
        // Not located yet, or gone: its record names the file last served, else each name is tried.
        record ??= await readRecord(recordFile);
        at = await this.locate(id, record);
      }
      if (!at) {
        entry.file = undefined;
        entry.source = undefined;
        entry.broken = undefined;
        return;
      }
      entry.file = at.name;
      entry.checkedAt = Date.now();
      const prev = entry.source;
      if (prev && prev.path === this.pathOf(at.name) && prev.bytes === at.size && prev.mtimeMs === at.mtimeMs) return;
      if (entry.broken && entry.brokenFor === `${at.name}:${at.size}:${at.mtimeMs}`) return;
      record ??= await readRecord(recordFile);
      const found = await this.examine(id, at, record, recordFile);
      // Only a file that was read (hashed, its header decoded) can have changed under the reading.
      const after = found.read ? await this.servable(at.name) : at;
      if (attempt < 3 && (after?.size !== at.size || after.mtimeMs !== at.mtimeMs)) continue;
      if ('source' in found) {
        const previous = prev?.sha256 ?? record?.sha256;
        if (previous !== undefined && previous !== found.source.sha256) this.opts.onReplaced?.(id, contentKey(previous));
        entry.source = found.source;
        entry.broken = undefined;
      } else {
        entry.source = undefined;
        entry.broken = found.broken;
        entry.brokenFor = `${at.name}:${at.size}:${at.mtimeMs}`;
      }
      return;
    }
  }

  /** The caller's record of an identifier's file, with the file, while its size and mtime match. */
  private async given(id: string, known: () => Promise<unknown>): Promise<{ record: HashRecord; at: Located } | null> {
    const record = asRecord(await known().catch(() => undefined));
    if (!record || !isSourceName(record.file) || stemOf(record.file) !== id) return null;
    const at = await this.servable(record.file);
    return at && at.size === record.bytes && at.mtimeMs === record.mtimeMs ? { record, at } : null;
  }

  /**
   * The file serving an identifier: the one its record names while it is still there, else
   * the first of its names (lossless extensions first, each in lower or upper case) that is
   * one. A second file given the same stem later is noticed when the first changes or goes,
   * or when the folder is next listed.
   */
  private async locate(id: string, record: HashRecord | null): Promise<Located | null> {
    if (record && isSourceName(record.file) && stemOf(record.file) === id) {
      const at = await this.servable(record.file);
      if (at) return at;
    }
    for (const ext of sourceExtensions) {
      for (const name of [id + ext, id + ext.toUpperCase()]) {
        const at = await this.servable(name);
        if (at) return at;
      }
    }
    return null;
  }

  /**
   * A name in the folder that can be served: a file, or a symbolic link to a file inside the
   * folder. Null for anything else, and for what is not there.
   */
  private async servable(name: string): Promise<Located | null> {
    const file = this.pathOf(name);
    const st = await lstat(file).catch(() => null);
    if (st?.isFile()) return { name, size: st.size, mtimeMs: st.mtimeMs };
    if (!st?.isSymbolicLink()) return null;
    this.root ??= realpath(this.opts.imagesDir).catch(() => {
      this.root = undefined;
      return null;
    });
    const root = await this.root;
    const target = await realpath(file).catch(() => null);
    if (root === null || !target?.startsWith(root + path.sep)) return null;
    const to = await stat(target).catch(() => null);
    return to?.isFile() ? { name, size: to.size, mtimeMs: to.mtimeMs } : null;
  }

  private pathOf(name: string): string {
    return path.join(this.opts.imagesDir, name);
  }

  /** Each identifier in the folder and the file that serves it, the lossless one where two share a stem. */
  private async readFolder(): Promise<Map<string, string>> {
    const dir = this.opts.imagesDir;
    const found = new Map<string, string>();
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.warnOnce(dir, { err, imagesDir: dir }, 'cannot read the images folder; no images are served');
      return found;
    }
    for (const d of dirents) {
      const ext = path.extname(d.name);
      if (d.name.startsWith('.') || !sourceExtensions.includes(ext.toLowerCase())) continue;
      const id = stemOf(d.name);
      if (!isValidIdentifier(id)) {
        this.warnOnce(d.name, { file: d.name }, 'image file name is not a valid identifier; not served');
        continue;
      }
      if (!isSourceName(d.name)) {
        this.warnOnce(d.name, { file: d.name }, 'image file extension is neither lower nor upper case; not served');
        continue;
      }
      if (!d.isFile() && !(d.isSymbolicLink() && (await this.servable(d.name)))) continue;
      const other = found.get(id);
      if (other !== undefined) {
        const keep = rank(other) <= rank(d.name) ? other : d.name;
        this.warnOnce(`dup:${id}`, { id, files: [other, d.name], served: keep }, 'two image files share an identifier');
        found.set(id, keep);
      } else {
        found.set(id, d.name);
      }
    }
    return found;
  }

  /** Hash and header of a source file, or the error it is answered with. */
  private async examine(
    id: string,
    at: Located,
    stored: HashRecord | null,
    recordFile: string,
  ): Promise<({ source: SourceFile } | { broken: HttpError }) & { read: boolean }> {
    const { name, size: bytes, mtimeMs } = at;
    const file = this.pathOf(name);
    const record = stored?.file === name && stored.bytes === bytes && stored.mtimeMs === mtimeMs ? stored : null;
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
    this.warnedNames.set(key, true);
    this.opts.logger.warn(obj, msg);
  }
}

/** The cache's record of a source file, whatever file it was made for; null when there is none or it is unreadable. */
async function readRecord(recordFile: string): Promise<HashRecord | null> {
  try {
    return asRecord(JSON.parse((await readSmallFile(recordFile, 4096)).toString('utf8')));
  } catch {
    // No record yet, or an unreadable one.
    return null;
  }
}

/** A record, if that is what `value` is (it was read from a file). */
function asRecord(value: unknown): HashRecord | null {
  const rec = value as Partial<HashRecord> | null | undefined;
  const valid =
    typeof rec?.file === 'string' && typeof rec.bytes === 'number' && typeof rec.mtimeMs === 'number' && typeof rec.sha256 === 'string';
  return valid ? (rec as HashRecord) : null;
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

const stemOf = (name: string): string => name.slice(0, -path.extname(name).length);

/** A name with one of the source extensions, all in lower or all in upper case: the names a request can find. */
function isSourceName(name: string): boolean {
  const ext = path.extname(name);
  return sourceExtensions.includes(ext) || sourceExtensions.includes(ext.toLowerCase()) && ext === ext.toUpperCase();
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
