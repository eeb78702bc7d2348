/**
 * Whole builds of a document kept as files in CACHE_DIR/presentation/, one per place (the
 * base URL, the document and its page): `npm run check` writes one for every document it
 * passes and the service one for every build it makes, so a document's manifest and pages are
 * served by reading one file — no document is loaded and nothing is built — by this instance
 * after a restart and by every instance sharing CACHE_DIR. A file is written under a temporary
 * name and renamed into place; one that cannot be read or is not of the place asked for counts
 * as none.
 *
 * A build depends on the document's data and its page images, so the file holds the build's
 * whole key (the data's stamp and the images' content keys) and the image service's record of
 * each image: the reader hands those records back to the image service, which then needs only
 * a stat per image to tell whether the build is still current, and builds anew when it is not.
 * The place leaves the stamp out so that the file can be read while the folder is looked at.
 *
 * The file is the header's length (4 bytes, big-endian), the header (JSON: the place, the key,
 * the image records, and the resources in columns: ids after their common prefix, ETags,
 * media types and schemas as indexes into short tables, body lengths and gzipped lengths),
 * then each body gzipped on its own. Read back, a build is these columns and the file's bytes:
 * a resource is made when it is asked for (a document has hundreds, a client asks for a few),
 * and a gzip client is sent the stored bytes as they are.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { EncodedBody } from '../http/encoded-body.js';
import { CacheDir } from '../image/cache-dir.js';
import type { SourceRecord } from '../image/types.js';
import { readSmallFile } from '../read-small-file.js';
import type { Published } from './publish.js';
import type { SchemaName } from './validate.js';

/**
 * Bumped whenever the builders' output for the same data changes (or this layout does), so
 * builds made by an older version are never served. A test pins the fixture’s build to it
 * (server/test/presentation/publication-store.test.ts), so a change cannot be forgotten.
 */
export const PUBLICATION_VERSION = 5;

/** The resources of a build, one array per field, row by row. */
interface Columns {
  /** What every id starts with: ids are kept after it. */
  readonly prefix: string;
  readonly ids: string[];
  readonly etags: string[];
  readonly contentTypes: string[];
  /** Index into `contentTypes`, per resource. */
  readonly contentType: number[];
  readonly schemas: (SchemaName | null)[];
  /** Index into `schemas`, per resource. */
  readonly schema: number[];
  /** Bytes of each body as it is, and gzipped (as it is stored). */
  readonly length: number[];
  readonly gzipped: number[];
}

interface Header {
  readonly version: number;
  readonly place: string;
  readonly key: string;
  readonly images: [id: string, record: SourceRecord][];
  readonly resources: Columns;
}

/** A build's resources by id: as built, or as read back from its file. */
export interface ResourceLookup {
  get(id: string): Published | undefined;
}

/** A build as kept: its key, the records of the images it was made from, its resources. */
export interface KeptBuild {
  readonly key: string;
  /** By image identifier; checked by the image service, which is given them back. */
  readonly images: ReadonlyMap<string, SourceRecord>;
  readonly resources: ReadonlyMap<string, Published>;
}

/** A build read back: its resources are made from the file's bytes when asked for. */
export interface ReadBuild extends Omit<KeptBuild, 'resources'> {
  readonly resources: KeptResources;
}

/**
 * A read-back build's resources: its header's columns and the file's bytes. A resource is
 * made on `get` (its body a view of the file's bytes, copied by whoever keeps it on its own),
 * so reading a build allocates a few arrays, not objects for every one of its resources.
 */
export class KeptResources implements ResourceLookup {
  /** Where each body starts in the file. */
  private readonly at: Float64Array;

  constructor(private readonly bytes: Buffer, private readonly columns: Columns, start: number) {
    this.at = new Float64Array(columns.ids.length);
    for (let i = 0; i < columns.ids.length; i++) {
      this.at[i] = start;
      start += columns.gzipped[i]!;
    }
  }

  /** What it holds: the file's bytes, the header's strings (two bytes a character at most) and its numbers. */
  get heldBytes(): number {
    const c = this.columns;
    let chars = c.prefix.length;
    for (let i = 0; i < c.ids.length; i++) chars += c.ids[i]!.length + c.etags[i]!.length;
    return this.bytes.length + 2 * chars + 64 * c.ids.length;
  }

  get(id: string): Published | undefined {
    const c = this.columns;
    const i = id.startsWith(c.prefix) ? c.ids.indexOf(id.slice(c.prefix.length)) : -1;
    if (i < 0) return undefined;
    const body = EncodedBody.fromGzip(this.bytes.subarray(this.at[i], this.at[i]! + c.gzipped[i]!), c.length[i]!);
    return { contentType: c.contentTypes[c.contentType[i]!]!, body, etag: c.etags[i]!, schema: c.schemas[c.schema[i]!]!, json: null };
  }
}

/** The longest start all these strings share. */
function commonPrefix(strings: Iterable<string>): string {
  let prefix: string | undefined;
  for (const s of strings) {
    if (prefix === undefined) prefix = s;
    let n = 0;
    while (n < prefix.length && n < s.length && prefix.charCodeAt(n) === s.charCodeAt(n)) n++;
    prefix = prefix.slice(0, n);
  }
  return prefix ?? '';
}

/** The index of `value` in `table`, added when it is not there yet. */
function indexIn<T>(table: T[], value: T): number {
  const i = table.indexOf(value);
  return i >= 0 ? i : table.push(value) - 1;
}

/**
 * Whether a parsed header has its columns, each as long as the ids, strings where strings are
 * read and indexes inside their tables: a damaged file counts as none, not as a build whose
 * sizes come out NaN in the cache that holds it.
 */
function wellFormed(c: Columns): boolean {
  const n = c.ids.length;
  const strings = (column: unknown[]) => column.every((v) => typeof v === 'string');
  const inside = (indexes: number[], table: unknown[]) => indexes.length === n && indexes.every((i) => Number.isInteger(i) && i >= 0 && i < table.length);
  return (
    typeof c.prefix === 'string' &&
    strings(c.ids) &&
    c.etags.length === n &&
    strings(c.etags) &&
    strings(c.contentTypes) &&
    inside(c.contentType, c.contentTypes) &&
    inside(c.schema, c.schemas) &&
    [c.length, c.gzipped].every((column) => column.length === n && column.every((v) => Number.isInteger(v) && v >= 0))
  );
}

export class PublicationStore {
  /** CACHE_DIR/presentation. */
  readonly folder: string;
  private readonly files: CacheDir;
  /** After a failed write, none is tried for a minute: a full or read-only disk costs one failure. */
  private unavailableUntil = 0;

  constructor(cacheDir: string, private readonly logger: Logger) {
    this.folder = path.join(cacheDir, 'presentation');
    this.files = new CacheDir(cacheDir, logger);
  }

  /** The file of a place: named by its hash, two levels so no folder grows too long. */
  fileOf(place: string): string {
    const hash = createHash('sha256').update(`${PUBLICATION_VERSION}\0${place}`).digest('hex');
    return path.join(this.folder, hash.slice(0, 2), `${hash.slice(2, 40)}.gz`);
  }

  /** The build kept at `place`, or null when there is none this service can use. */
  async read(place: string): Promise<ReadBuild | null> {
    let bytes: Buffer;
    try {
      bytes = await readSmallFile(this.fileOf(place), 256 * 1024);
    } catch {
      return null;
    }
    try {
      const headerLength = bytes.readUInt32BE(0);
      const header = JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)) as Header;
      if (header.version !== PUBLICATION_VERSION || header.place !== place || typeof header.key !== 'string') return null;
      const columns = header.resources;
      if (!wellFormed(columns)) return null;
      const start = 4 + headerLength;
      const end = columns.gzipped.reduce((at, n) => at + n, start);
      if (end !== bytes.length) return null;
      return { key: header.key, images: new Map(header.images), resources: new KeptResources(bytes, columns, start) };
    } catch {
      return null;
    }
  }

  /** Keeps a build at its place, in place of any other; a failure only costs a later start the build. */
  async write(place: string, build: KeptBuild): Promise<void> {
    const { key, resources } = build;
    if (Date.now() < this.unavailableUntil) return;
    const prefix = commonPrefix(resources.keys());
    const columns = { prefix, ids: [] as string[], etags: [] as string[], contentTypes: [] as string[], contentType: [] as number[], schemas: [] as (SchemaName | null)[], schema: [] as number[], length: [] as number[], gzipped: [] as number[] } satisfies Columns;
    const bodies: Buffer[] = [];
    try {
      for (const [id, r] of resources) {
        const gzipped = await r.body.encoded('gzip');
        columns.ids.push(id.slice(prefix.length));
        columns.etags.push(r.etag);
        columns.contentType.push(indexIn(columns.contentTypes, r.contentType));
        columns.schema.push(indexIn(columns.schemas, r.schema));
        columns.length.push(r.body.size);
        columns.gzipped.push(gzipped.length);
        bodies.push(gzipped);
      }
    } catch (err) {
      this.logger.warn({ err }, 'a presentation build could not be compressed to be kept');
      return;
    }
    const header = Buffer.from(JSON.stringify({ version: PUBLICATION_VERSION, place, key, images: [...build.images], resources: columns } satisfies Header));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(header.length, 0);
    try {
      await this.files.writeFileAtomic(this.fileOf(place), Buffer.concat([length, header, ...bodies]));
    } catch (err) {
      if (this.unavailableUntil === 0) this.logger.warn({ err }, 'presentation builds cannot be kept in CACHE_DIR; each instance builds its own');
      this.unavailableUntil = Date.now() + 60_000;
    }
  }
}
