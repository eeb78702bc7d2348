import { LRUCache } from 'lru-cache';
import type { ArchivalDocument } from '../document/model.js';
import { buildSearchIndex } from './build-index.js';
import { decodeSearchIndex, encodeSearchIndex, indexFilePath, readIndexFile, writeIndexFile } from './index-file.js';
import type { SearchIndex } from './search-index.js';

/**
 * The rough memory of an index: each unit's text (two bytes a character), each token with its
 * boxes, each posting, and each vocabulary entry, with the objects' own headers — doubled,
 * as measured on the cable's index (V8's objects and maps take about twice these sizes).
 */
export function searchIndexBytes(index: SearchIndex): number {
  let bytes = 1024;
  for (const leaf of index.leaves) {
    for (const unit of leaf.units) {
      bytes += 2 * unit.text.length + 128;
      for (const token of unit.tokens) bytes += 160 + 2 * token.surface.length + 96 * token.parts.length + 24 * token.keys.length;
    }
  }
  for (const [key, postings] of index.postings) bytes += 2 * key.length + 64 + 40 * postings.length;
  for (const [word, stems] of index.latinWords) bytes += 2 * word.length + 96 + 16 * stems.size;
  for (const [stem, stems] of index.latinStems) bytes += 2 * stem.length + 96 + 16 * stems.size;
  bytes += 80 * index.vocabulary.length + 48 * index.latinVocabulary.length;
  return 2 * bytes;
}

/** Share of the memory kept for built indexes; the rest holds encoded ones (index-file.ts). */
const liveShare = 0.25;
/** A decoded index, once all read, takes about this many times its encoding (measured on the cable). */
const decodedPerEncodedByte = 20;

export interface SearchIndexCacheOptions {
  /** Folder of index files (CACHE_DIR/search): an index evicted from memory is read back from it. */
  readonly dir?: string;
}

interface Packed {
  readonly version: string;
  readonly bytes: Buffer;
}

/**
 * The search index of each document, built on its first search and rebuilt whenever
 * `document.version` (a hash of its data files) changes: reloaded data is searched as soon as
 * it is served. A built index takes about 1 MB of objects; encoded, about 50 KB outside the
 * JS heap, where a search decodes only what it reads (a millisecond or two) rather than
 * building it all (tens). So a quarter of the bytes keeps the most recently searched indexes
 * built, the rest keeps encoded ones, and the files in `dir` keep every index built once, for
 * any process. Least recently used first out.
 */
export class SearchIndexCache {
  private readonly live: LRUCache<string, { index: SearchIndex; bytes: number }>;
  private readonly packed: LRUCache<string, Packed>;
  private readonly pending = new Map<string, Promise<SearchIndex>>();
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

  /** The index from memory, or built now (never from or to files). */
  get(document: ArchivalDocument): SearchIndex {
    const found = this.fromMemory(document);
    if (found) return found;
    const index = buildSearchIndex(document);
    this.keep(document.id, index);
    return index;
  }

  /** The index from memory, else from its file, else built now and written to its file. */
  load(document: ArchivalDocument): Promise<SearchIndex> {
    const found = this.fromMemory(document);
    if (found) return Promise.resolve(found);
    const key = JSON.stringify([document.id, document.version]);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fromFileOrBuilt(document).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private fromMemory(document: ArchivalDocument): SearchIndex | undefined {
    const live = this.live.get(document.id);
    if (live && live.index.version === document.version) return live.index;
    const packed = this.packed.get(document.id);
    if (packed && packed.version === document.version) {
      const index = decodeSearchIndex(packed.bytes);
      if (index) return this.keepLive(document.id, index, decodedPerEncodedByte * packed.bytes.length);
    }
    return undefined;
  }

  private async fromFileOrBuilt(document: ArchivalDocument): Promise<SearchIndex> {
    if (this.dir === undefined) return this.get(document);
    const file = indexFilePath(this.dir, document.id, document.version);
    const bytes = await readIndexFile(file);
    const read = bytes && decodeSearchIndex(bytes);
    if (bytes && read && read.version === document.version) {
      this.packed.set(document.id, { version: read.version, bytes });
      return this.keepLive(document.id, read, decodedPerEncodedByte * bytes.length);
    }
    const index = buildSearchIndex(document);
    const encoded = this.keep(document.id, index);
    // The file only saves a rebuild later: a cache folder that cannot be written costs nothing else.
    await writeIndexFile(file, encoded).catch(() => undefined);
    return index;
  }

  /** Keeps a built index in both forms; returns its encoding. */
  private keep(id: string, index: SearchIndex): Buffer {
    this.built++;
    const bytes = encodeSearchIndex(index);
    this.packed.set(id, { version: index.version, bytes });
    this.keepLive(id, index, searchIndexBytes(index));
    return bytes;
  }

  private keepLive(id: string, index: SearchIndex, bytes: number): SearchIndex {
    this.live.set(id, { index, bytes });
    return index;
  }
}
