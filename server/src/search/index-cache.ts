import { LRUCache } from 'lru-cache';
import type { ArchivalDocument } from '../document/model.js';
import { buildSearchIndex } from './build-index.js';
import { decodeSearchIndex, encodeSearchIndex, indexFilePath, readIndexFile, writeIndexFile } from './index-file.js';
import type { BuiltSearchIndex, SearchIndex } from './search-index.js';

/**
 * The rough memory of an index: each unit's text (two bytes a character), each token with its
 * boxes, each posting, and each vocabulary entry, with the objects' own headers — doubled,
 * as measured on the cable's index (V8's objects and maps take about twice these sizes).
 */
export function searchIndexBytes(index: BuiltSearchIndex): number {
  let bytes = 1024;
  for (const leaf of index.leaves) {
    for (const unit of leaf.units) {
      bytes += 2 * unit.text.length + 128;
      for (const token of unit.tokens) bytes += 160 + 2 * token.surface.length + 96 * token.parts.length + 24 * token.keys.length;
    }
  }
  for (const [key, postings] of index.postings) bytes += 2 * key.length + 64 + 8 * postings.length;
  for (const [word, stems] of index.latinWords) bytes += 2 * word.length + 64 + 16 * stems.length;
  for (const [stem, stems] of index.latinStems) bytes += 2 * stem.length + 64 + 16 * stems.length;
  bytes += 80 * index.vocabulary.length + 48 * index.latinVocabulary.length;
  return 2 * bytes;
}

/** Share of the memory kept for built indexes; the rest holds encoded ones (index-file.ts). */
const liveShare = 0.25;
/**
 * A decoded index takes about this many times its encoding once a few searches have read it:
 * the parts they decompressed and the units they decoded (measured on the cable, four
 * queries: ~26 KiB of heap and ~105 KiB of decompressed parts beside its ~42 KiB encoding).
 */
const decodedPerEncodedByte = 3;

export interface SearchIndexCacheOptions {
  /** Folder of index files (CACHE_DIR/search): an index evicted from memory is read back from it. */
  readonly dir?: string;
}

interface Packed {
  readonly stamp: string;
  readonly bytes: Buffer;
}

/** Loads the document an index is built from, when it must be built. */
export type DocumentSource = () => Promise<ArchivalDocument | undefined>;

/**
 * The search index of each document, keyed by the stamp of its data (catalog/document-set.ts:
 * its folder's fingerprint), so an index is found without loading the document and a changed
 * folder is indexed anew as soon as it is served. It is built on the document's first search.
 * A built index takes about 1 MB of objects; encoded, about 42 KB outside the JS heap, where a
 * search decodes only what it reads (a fraction of a millisecond) rather than building it all
 * (tens).
 * So a quarter of the bytes keeps the most recently searched indexes built, the rest keeps
 * encoded ones, and the files in `dir` keep every index built once (`npm run check` writes
 * them too), for any process. Least recently used first out.
 */
export class SearchIndexCache {
  private readonly live: LRUCache<string, { index: SearchIndex; stamp: string; bytes: number }>;
  private readonly packed: LRUCache<string, Packed>;
  private readonly pending = new Map<string, Promise<SearchIndex | undefined>>();
  private readonly dir: string | undefined;
  private built = 0;

  constructor(maxBytes = 24 * 1024 * 1024, options: SearchIndexCacheOptions = {}) {
    const liveBytes = Math.max(1, Math.floor(maxBytes * liveShare));
    const packedBytes = Math.max(1, maxBytes - liveBytes);
    this.live = new LRUCache({ maxSize: liveBytes, maxEntrySize: liveBytes, sizeCalculation: (e) => e.bytes });
    this.packed = new LRUCache({ maxSize: packedBytes, maxEntrySize: packedBytes, sizeCalculation: (e) => e.bytes.length });
    this.dir = options.dir;
  }

  /** Bytes the kept indexes are reckoned to take (never above the limit). */
  get heldBytes(): number {
    return this.live.calculatedSize + this.packed.calculatedSize;
  }

  /** Indexes built so far (rather than found in memory or read from a file). */
  get builds(): number {
    return this.built;
  }

  /**
   * The index of the document `id` as stamped: from memory, else from its file, else built
   * from the document `source` loads and written to its file. Undefined when there is no
   * such document; rejects as `source` does.
   */
  load(id: string, stamp: string, source: DocumentSource): Promise<SearchIndex | undefined> {
    const found = this.fromMemory(id, stamp);
    if (found) return Promise.resolve(found);
    const key = JSON.stringify([id, stamp]);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fromFileOrBuilt(id, stamp, source).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private fromMemory(id: string, stamp: string): SearchIndex | undefined {
    const live = this.live.get(id);
    if (live && live.stamp === stamp) return live.index;
    const packed = this.packed.get(id);
    if (packed && packed.stamp === stamp) {
      // Kept only once made here or read from a file and checked.
      const index = decodeSearchIndex(packed.bytes, true);
      if (index) return this.keepLive(id, stamp, index, decodedPerEncodedByte * packed.bytes.length);
    }
    return undefined;
  }

  private async fromFileOrBuilt(id: string, stamp: string, source: DocumentSource): Promise<SearchIndex | undefined> {
    const file = this.dir === undefined ? undefined : indexFilePath(this.dir, id, stamp);
    const bytes = file === undefined ? undefined : await readIndexFile(file);
    const read = bytes && decodeSearchIndex(bytes);
    if (bytes && read) {
      this.packed.set(id, { stamp, bytes });
      return this.keepLive(id, stamp, read, decodedPerEncodedByte * bytes.length);
    }
    const document = await source();
    if (!document) return undefined;
    const index = buildSearchIndex(document);
    const encoded = this.keep(id, stamp, index);
    // The file only saves a rebuild later: a cache folder that cannot be written costs nothing else.
    if (file !== undefined) await writeIndexFile(file, encoded).catch(() => undefined);
    return index;
  }

  /** Keeps a built index in both forms; returns its encoding. */
  private keep(id: string, stamp: string, index: BuiltSearchIndex): Buffer {
    this.built++;
    const bytes = encodeSearchIndex(index);
    this.packed.set(id, { stamp, bytes });
    this.keepLive(id, stamp, index, searchIndexBytes(index));
    return bytes;
  }

  private keepLive(id: string, stamp: string, index: SearchIndex, bytes: number): SearchIndex {
    this.live.set(id, { index, stamp, bytes });
    return index;
  }
}
