import { LRUCache } from 'lru-cache';
import type { ArchivalDocument } from '../document/model.js';
import { buildSearchIndex } from './build-index.js';
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

/**
 * The search index of each document, built on its first search and rebuilt whenever
 * `document.version` (a hash of its data files) changes: reloaded data is searched as soon as
 * it is served. Bounded in bytes, least recently used first out.
 */
export class SearchIndexCache {
  private readonly entries: LRUCache<string, { index: SearchIndex; bytes: number }>;

  constructor(maxBytes = 24 * 1024 * 1024) {
    this.entries = new LRUCache({ maxSize: maxBytes, maxEntrySize: maxBytes, sizeCalculation: (e) => e.bytes });
  }

  /** Bytes the kept indexes are reckoned to take (never above the limit). */
  get heldBytes(): number {
    return this.entries.calculatedSize;
  }

  get(document: ArchivalDocument): SearchIndex {
    const cached = this.entries.get(document.id);
    if (cached && cached.index.version === document.version) return cached.index;
    const index = buildSearchIndex(document);
    this.entries.set(document.id, { index, bytes: searchIndexBytes(index) });
    return index;
  }
}
