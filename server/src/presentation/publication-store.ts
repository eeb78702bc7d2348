/**
 * Whole builds of a document kept as files in CACHE_DIR/presentation/, one per place (the
 * base URL, the data's stamp and the document page): `npm run check` writes one for every
 * document it passes and the service one for every build it makes, so a document's manifest
 * and pages are served by reading one file — no document is loaded and nothing is built — by
 * this instance after a restart and by every instance sharing CACHE_DIR. A file is written
 * under a temporary name and renamed into place; one that cannot be read or is not of the
 * place asked for counts as none.
 *
 * A build also depends on its page images, so the file holds the build's whole key (the
 * images' content keys too) and the image service's record of each image: the reader hands
 * those records back to the image service, which then needs only a stat per image to tell
 * whether the build is still current, and builds anew when it is not.
 *
 * The file is the header's length (4 bytes, big-endian), the header (JSON: the place, the key,
 * the image records, and per resource its id, media type, ETag, schema, body length and
 * gzipped length), then each body gzipped on its own: a request reads the file and
 * decompresses the one resource it wants, and a gzip client is sent the stored bytes as they
 * are.
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
export const PUBLICATION_VERSION = 4;

type Row = [id: string, contentType: string, etag: string, schema: SchemaName | null, length: number, gzipped: number];

interface Header {
  readonly version: number;
  readonly place: string;
  readonly key: string;
  readonly images: [id: string, record: SourceRecord][];
  readonly resources: Row[];
}

/** A build as kept: its key, the records of the images it was made from, its resources. */
export interface KeptBuild {
  readonly key: string;
  /** By image identifier; checked by the image service, which is given them back. */
  readonly images: ReadonlyMap<string, SourceRecord>;
  readonly resources: ReadonlyMap<string, Published>;
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
  async read(place: string): Promise<KeptBuild | null> {
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
      const out = new Map<string, Published>();
      let at = 4 + headerLength;
      for (const [id, contentType, etag, schema, length, gzipped] of header.resources) {
        if (at + gzipped > bytes.length) return null;
        // A view of the file's bytes, not a copy of each of its hundreds of resources: one
        // asked for is copied when it is kept on its own (Publications), so it never keeps
        // the whole file alive.
        const body = EncodedBody.fromGzip(bytes.subarray(at, at + gzipped), length);
        at += gzipped;
        out.set(id, { contentType, body, etag, schema, json: null });
      }
      return at === bytes.length ? { key: header.key, images: new Map(header.images), resources: out } : null;
    } catch {
      return null;
    }
  }

  /** Keeps a build at its place, in place of any other; a failure only costs a later start the build. */
  async write(place: string, build: KeptBuild): Promise<void> {
    const { key, resources } = build;
    if (Date.now() < this.unavailableUntil) return;
    const rows: Row[] = [];
    const bodies: Buffer[] = [];
    try {
      for (const [id, r] of resources) {
        const gzipped = await r.body.encoded('gzip');
        rows.push([id, r.contentType, r.etag, r.schema, r.body.size, gzipped.length]);
        bodies.push(gzipped);
      }
    } catch (err) {
      this.logger.warn({ err }, 'a presentation build could not be compressed to be kept');
      return;
    }
    const header = Buffer.from(JSON.stringify({ version: PUBLICATION_VERSION, place, key, images: [...build.images], resources: rows } satisfies Header));
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
