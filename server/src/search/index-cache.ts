import { LRUCache } from 'lru-cache';
import type { ArchivalDocument } from '../document/model.js';
import { buildSearchIndex } from './build-index.js';
import type { SearchIndex } from './search-index.js';

/**
 * The search index of each document, rebuilt whenever `document.version` (a hash of its data
 * files) changes: reloaded data is searched as soon as it is served. Bounded by document count.
 */
export class SearchIndexCache {
  private readonly entries = new LRUCache<string, SearchIndex>({ max: 32 });

  get(document: ArchivalDocument): SearchIndex {
    const cached = this.entries.get(document.id);
    if (cached && cached.version === document.version) return cached;
    const index = buildSearchIndex(document);
    this.entries.set(document.id, index);
    return index;
  }
}
