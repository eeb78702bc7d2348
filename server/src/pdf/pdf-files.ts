import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Limits } from '../config.js';
import type { ArchivalDocument, Leaf } from '../document/model.js';
import { CacheDir } from '../image/cache-dir.js';
import type { ImageBackend, ImagePlan, SourceInfo } from '../image/types.js';
import { strongEtag } from '../image/validators.js';
import type { LeafPage } from './document-pdf.js';
import { printPixels } from './page-geometry.js';

/** Bumped whenever the layout changes, so files built by an older service are not served. */
const LAYOUT_REVISION = 1;

export interface PdfFile {
  readonly body: Buffer;
  /** Strong: a hash of the bytes. */
  readonly etag: string;
}

export interface PdfFilesOptions {
  readonly images: Pick<ImageBackend, 'source' | 'image'>;
  readonly limits: Pick<Limits, 'maxWidth' | 'maxHeight' | 'maxArea'>;
  /** CACHE_DIR; the files go in its `pdf/` folder. */
  readonly cacheDir: string;
  readonly logger: Logger;
  /** PDFs kept in memory, in bytes. */
  readonly memoryBytes?: number;
}

/**
 * The PDFs of the documents (whole, or one leaf), each built once per version of what it is
 * made from: the document's data and the page images' content keys, which are its cache key.
 * A build is kept in memory (bounded) and written to CACHE_DIR (atomically: a reader sees a
 * whole file or none), so another process or a restart reads it instead of building again.
 * When the cache cannot be written, the PDF is still served from memory. Concurrent first
 * requests share one build.
 */
export class PdfFiles {
  /** Builds done by this process, for tests and logs. */
  builds = 0;
  private readonly memory: LRUCache<string, PdfFile>;
  private readonly inflight = new Map<string, Promise<PdfFile>>();
  private readonly cache: CacheDir;
  private readonly root: string;
  private warned = false;

  constructor(private readonly options: PdfFilesOptions) {
    const maxSize = options.memoryBytes ?? 64 * 1024 * 1024;
    this.memory = new LRUCache({ maxSize, maxEntrySize: maxSize, sizeCalculation: (f) => f.body.length + 256 });
    this.cache = new CacheDir(options.cacheDir, options.logger);
    this.root = path.join(options.cacheDir, 'pdf');
  }

  /** The PDF of the whole document (`leaf` undefined) or of one of its leaves. */
  async get(document: ArchivalDocument, leaf?: Leaf): Promise<PdfFile> {
    const leaves = leaf ? [leaf] : document.leaves;
    const sources = await Promise.all(leaves.map((l) => this.options.images.source(l.image)));
    const sizes = sources.map((s) => printPixels(s, this.options.limits));
    const key = createHash('sha256')
      .update(JSON.stringify([LAYOUT_REVISION, document.id, document.version, leaf?.id ?? null, sources.map((s) => s.key), sizes]))
      .digest('base64url')
      .slice(0, 32);
    const hit = this.memory.get(key);
    if (hit) return hit;
    let pending = this.inflight.get(key);
    if (!pending) {
      const name = leaf ? leaf.id : document.id;
      pending = this.produce(document, key, name, leaves, sources).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private fileOf(document: ArchivalDocument, name: string, key: string): string {
    return path.join(this.root, document.id, `${name}.${key}.pdf`);
  }

  private async produce(
    document: ArchivalDocument,
    key: string,
    name: string,
    leaves: readonly Leaf[],
    sources: readonly SourceInfo[],
  ): Promise<PdfFile> {
    const file = this.fileOf(document, name, key);
    let body = await readFile(file).catch(() => null);
    if (!body) {
      const started = Date.now();
      // Loaded on the first build: pdf-lib and fontkit cost ~60 MiB that tile traffic never needs.
      const { buildDocumentPdf } = await import('./document-pdf.js');
      body = Buffer.from(await buildDocumentPdf(document, await this.pages(leaves, sources)));
      this.builds++;
      this.options.logger.info({ document: document.id, file: name, bytes: body.length, ms: Date.now() - started }, 'built PDF');
      await this.store(file, name, body);
    }
    const built: PdfFile = { body, etag: strongEtag([body]) };
    this.memory.set(key, built);
    return built;
  }

  /** Each leaf's image at print size, from the image service (its pyramid once ingested). */
  private pages(leaves: readonly Leaf[], sources: readonly SourceInfo[]): Promise<LeafPage[]> {
    return Promise.all(
      leaves.map(async (leaf, i) => {
        const source = sources[i]!;
        const size = printPixels(source, this.options.limits);
        const plan: ImagePlan = {
          region: { x: 0, y: 0, w: source.width, h: source.height },
          width: size.width,
          height: size.height,
          mirror: false,
          rotation: 0,
          quality: 'default',
          format: 'jpg',
        };
        const { body } = await this.options.images.image(source, plan);
        return { leaf, jpeg: body, image: { width: source.width, height: source.height } };
      }),
    );
  }

  /** Writes the file and removes the same PDF's older versions; a failure only costs the disk copy. */
  private async store(file: string, name: string, body: Buffer): Promise<void> {
    try {
      await this.cache.writeFileAtomic(file, body);
      const dir = path.dirname(file);
      for (const other of await readdir(dir)) {
        if (other !== path.basename(file) && other.startsWith(`${name}.`) && other.endsWith('.pdf')) {
          await rm(path.join(dir, other), { force: true });
        }
      }
      this.warned = false;
    } catch (err) {
      if (!this.warned) {
        this.warned = true;
        this.options.logger.warn({ err, file }, 'PDF cache is not writable; PDFs are kept in memory only');
      }
    }
  }
}
