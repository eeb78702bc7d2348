import type { ArchivalDocument } from '../document/model.js';
import { buildSearchIndex } from './build-index.js';
import type { SearchIndex } from './search-index.js';

/** Documents whose index we keep; beyond it the least recently used is dropped. */
const maxDocuments = 32;

/**
 * The search index of each document, rebuilt whenever `document.version` (a hash of its data
 * files) changes: reloaded data is searched as soon as it is served. Bounded by document count.
 */
export class SearchIndexCache {
  private readonly entries = new Map<string, SearchIndex>();

  get(document: ArchivalDocument): SearchIndex {
    const cached = this.entries.get(document.id);
    this.entries.delete(document.id);
    const index = cached && cached.version === document.version ? cached : buildSearchIndex(document);
    this.entries.set(document.id, index);
    if (this.entries.size > maxDocuments) this.entries.delete(this.entries.keys().next().value!);
    return index;
  }
}
