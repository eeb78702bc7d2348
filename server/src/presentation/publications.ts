import { LRUCache } from 'lru-cache';
import type { ArchivalDocument } from '../document/model.js';
import type { InfoConfig } from '../image/info.js';
import type { ImageBackend } from '../image/types.js';
import type { BuildInput, ManifestServiceProvider } from './build-input.js';
import { buildCollections } from './build-collections.js';
import type { PageImage } from './image-resources.js';
import { jsonResource, publishDocument, type Published } from './publish.js';
import { IdentityLedger } from './identity.js';
import { assertValid, InvalidResourceError } from './validate.js';

export interface PublicationOptions {
  readonly documents: readonly ArchivalDocument[];
  readonly images: Pick<ImageBackend, 'source'>;
  /** Tile size and output limits of the image service. */
  readonly imageConfig: InfoConfig;
  readonly services?: ManifestServiceProvider;
  /** Builds kept in memory: one per (base URL, data version, images). */
  readonly maxEntries?: number;
}

export type ResourceMap = ReadonlyMap<string, Published>;

/** What the cache keeps: the bytes and validators, not the object trees they came from. */
const served = (resources: ResourceMap): ResourceMap =>
  new Map([...resources].map(([id, r]) => [id, { ...r, json: null }]));

/**
 * Throws InvalidResourceError if any resource fails its schema, or if one id names two
 * resources across them (identity.ts): either is our bug, and no client should ever see it.
 */
export function assertPublicationValid(resources: ResourceMap): void {
  const ledger = new IdentityLedger();
  for (const [id, resource] of resources) {
    if (!resource.schema) continue;
    assertValid(resource.schema, resource.json, id);
    ledger.record(resource.json, id);
  }
  const conflicts = ledger.conflicts();
  if (conflicts.length > 0) {
    throw new InvalidResourceError(`one id, two resources: ${conflicts.slice(0, 5).join('; ')}`);
  }
}

/**
 * Every published resource, built lazily per public base URL and memoised in bounded memory,
 * keyed by what they are built from: the base URL, the document's data version and the images'
 * content keys — so a new scan is picked up without a restart or code change. The document
 * data (record, ALTO, translations) is loaded once at start-up: a corrected ALTO takes a
 * restart, and until then its old bytes and the annotations built from them stay consistent.
 */
export class Publications {
  private readonly cache: LRUCache<string, ResourceMap>;
  private readonly byId: ReadonlyMap<string, ArchivalDocument>;

  constructor(private readonly options: PublicationOptions) {
    // About 0.35 MB per document and base URL: a handful of public hosts fit easily.
    this.cache = new LRUCache({ max: options.maxEntries ?? 16 });
    this.byId = new Map(options.documents.map((d) => [d.id, d]));
  }

  document(id: string): ArchivalDocument | undefined {
    return this.byId.get(id);
  }

  /** The page image of every leaf, as the image service currently knows it. */
  async pageImages(document: ArchivalDocument): Promise<{ images: Map<string, PageImage>; keys: string[] }> {
    const sources = await Promise.all(document.leaves.map((leaf) => this.options.images.source(leaf.image)));
    const images = new Map<string, PageImage>();
    document.leaves.forEach((leaf, i) => {
      const s = sources[i]!;
      images.set(leaf.id, { id: s.id, width: s.width, height: s.height });
    });
    return { images, keys: sources.map((s) => s.key) };
  }

  async forDocument(document: ArchivalDocument, base: string): Promise<ResourceMap> {
    const { images, keys } = await this.pageImages(document);
    const key = JSON.stringify(['document', base, document.id, document.version, keys]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const input: BuildInput = { base, document, images, imageConfig: this.options.imageConfig, services: this.options.services };
    const built = publishDocument(input);
    assertPublicationValid(built);
    const kept = served(built);
    this.cache.set(key, kept);
    return kept;
  }

  forCollections(base: string): ResourceMap {
    const key = JSON.stringify(['collections', base, this.options.documents.map((d) => [d.id, d.version])]);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { v3, v2 } = buildCollections(base, this.options.documents);
    const built = new Map<string, Published>();
    for (const c of v3.values()) built.set(c.id, jsonResource(3, 'collection3', c));
    for (const c of v2.values()) built.set(String(c['@id']), jsonResource(2, 'resource2', c));
    assertPublicationValid(built);
    const kept = served(built);
    this.cache.set(key, kept);
    return kept;
  }

  /** Builds and validates everything for one base URL: run at start-up to fail fast. */
  async verify(base: string): Promise<number> {
    let count = this.forCollections(base).size;
    for (const document of this.options.documents) count += (await this.forDocument(document, base)).size;
    return count;
  }
}
