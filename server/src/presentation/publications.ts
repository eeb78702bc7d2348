import { LRUCache } from 'lru-cache';
import type { CatalogEntry } from '../catalog/entry.js';
import { asDocumentSet, currentEntry, type DocumentSet } from '../catalog/document-set.js';
import type { ArchivalDocument } from '../document/model.js';
import type { InfoConfig } from '../image/info.js';
import type { ImageBackend, SourceInfo, SourceRecord } from '../image/types.js';
import type { BuildInput, ManifestServiceProvider } from './build-input.js';
import { buildCollection, collectionTree, type CollectionNode } from './build-collections.js';
import type { PageImage } from './image-resources.js';
import { jsonResource, publishDocument, type Published } from './publish.js';
import { IdentityLedger } from './identity.js';
import type { PublicationStore, ReadBuild, ResourceLookup } from './publication-store.js';
import { collectionId, pageOfDocument, type PresentationVersion } from './ids.js';
import { assertValid, InvalidResourceError } from './validate.js';

export interface PublicationOptions {
  readonly documents: DocumentSet | readonly ArchivalDocument[];
  readonly images: Pick<ImageBackend, 'source'>;
  /** Tile size and output limits of the image service. */
  readonly imageConfig: InfoConfig;
  readonly services?: ManifestServiceProvider;
  /** Memory for builds (one per document, base URL, data version and images), in bytes. */
  readonly maxBytes?: number;
  /** Builds kept as files (CACHE_DIR), read before a document is loaded and built. */
  readonly store?: PublicationStore;
  /**
   * The oldest look at a page image a build is made from, in ms: the documents' recheck
   * period, so that a document in use, whose folder is looked at behind its requests, does not
   * wait on its images either (the image service's own period, by default).
   */
  readonly recheckMs?: number;
}

export type ResourceMap = ReadonlyMap<string, Published>;

/** What the cache keeps: the bytes and validators, not the object trees they came from. */
const served = (resources: ResourceMap): ResourceMap =>
  new Map([...resources].map(([id, r]) => [id, { ...r, json: null }]));

/** Kept gzipped: collections list their members in near-identical entries, and shrink fifty-fold. */
const servedGzipped = (resources: ResourceMap): ResourceMap =>
  new Map([...resources].map(([id, r]) => [id, { ...r, json: null, body: r.body.gzippedOnly() }]));

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
 * The key a document's whole build is kept under in memory, and checked against when read from
 * its file: everything it is made from — the base URL, the stamp of the data, the page images'
 * content keys and the document page's URL.
 */
export const buildKey = (base: string, documentId: string, stamp: string, imageKeys: readonly string[], homepage: string): string =>
  JSON.stringify(['document', base, documentId, stamp, imageKeys, homepage]);

/**
 * Where a document's build is kept as a file: its key without the data's stamp and the
 * images, so that the file can be read while the folder is looked at and the image service,
 * given the file's records of the images, looks at them.
 */
export const buildPlace = (base: string, documentId: string, homepage: string): string => JSON.stringify(['document', base, documentId, homepage]);

/** A document's build as it is looked for: in memory by its key, as a file at its place. */
interface Wanted {
  readonly key: string;
  /** The page images' content keys in the key. */
  readonly keys: readonly string[];
  readonly place: string;
  /** The file at the place, when it was read while the key was made. */
  readonly kept?: Promise<ReadBuild | null>;
}

/** A whole build held in memory, and what it is reckoned to cost. */
interface HeldBuild {
  readonly resources: ResourceLookup;
  readonly bytes: number;
}

/** The 3.0 and 2.1 collections of these units, checked against our schemas. */
function collectionResources(base: string, nodes: Iterable<CollectionNode>): ResourceMap {
  const built = new Map<string, Published>();
  for (const node of nodes) {
    const { v3, v2 } = buildCollection(base, node);
    built.set(v3.id, jsonResource(3, 'collection3', v3));
    built.set(String(v2['@id']), jsonResource(2, 'resource2', v2));
  }
  assertPublicationValid(built);
  return built;
}

/**
 * What a build made here costs: each body as held, room for its compressed forms (made only
 * when asked for; JSON compresses to a fifth or less of its size), its id (two bytes a
 * character), and the objects and the map's bookkeeping. A build read back from its file is
 * reckoned by what it holds (KeptResources.heldBytes). A resource that is then asked for is
 * kept on its own, and counted in full there.
 */
export function resourceMapBytes(resources: ResourceMap): number {
  let bytes = 0;
  for (const [id, r] of resources) bytes += Math.ceil(1.25 * r.body.heldBytes) + 2 * id.length + 384;
  return bytes;
}

/** What one resource asked for costs in memory: its body as kept, with room for the forms it may be asked in. */
const resourceBytes = (r: Published, key: string) => r.body.reckonedBytes + 2 * key.length + 384;

/** What a unit's collections cost: each is served from what is kept, so each has room for its forms. */
const collectionBytes = (resources: ResourceMap) => [...resources].reduce((bytes, [id, r]) => bytes + resourceBytes(r, id), 0);

/**
 * Every published resource, built on a document's first request per public base URL and kept
 * in memory bounded in bytes, resource by resource, least recently used first out: the
 * manifests and pages clients ask for stay, the rest of a build goes first. A build is keyed by
 * what it is made from: the base URL, the document's data version, the images' content keys
 * and the document page's URL — so a new scan or corrected data is picked up without a
 * restart, and a resource evicted and built again has the same bytes and ETag. Resources of
 * data that `npm run check` has not passed are checked against our schemas when built.
 */
export class Publications {
  /** Resources clients asked for, one by one. */
  private readonly resources: LRUCache<string, Published>;
  /** Whole builds, recent ones: what a client asks for next (canvases, pages) is likely there. */
  private readonly builtMaps: LRUCache<string, HeldBuild>;
  /** Collections built, one unit (both versions) an entry. */
  private readonly collections: LRUCache<string, ResourceMap>;
  /** The archival tree of the catalog version it was made from. */
  private tree: { version: string; nodes: Map<string, CollectionNode> } | null = null;
  /** Ids a build does not have, so that asking for them again costs no build. */
  private readonly missing = new LRUCache<string, true>({ max: 4096 });
  private readonly inflight = new Map<string, Promise<ResourceMap>>();
  private readonly reading = new Map<string, Promise<ReadBuild | null>>();
  private readonly documents: DocumentSet;
  /** Builds made by this instance, for tests and logs. */
  builds = 0;

  constructor(private readonly options: PublicationOptions) {
    const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    // Half for the resources asked for, a quarter for recent whole builds, a quarter for the
    // collections (built from the whole catalog). A build holds every resource of a document,
    // most of which nobody may ask for: kept whole, they would push out the manifests that are.
    const quarter = Math.max(1, Math.floor(maxBytes / 4));
    const half = Math.max(1, maxBytes - 2 * quarter);
    this.resources = new LRUCache({ maxSize: half, maxEntrySize: half, sizeCalculation: resourceBytes });
    this.builtMaps = new LRUCache({ maxSize: quarter, maxEntrySize: quarter, sizeCalculation: (held) => held.bytes });
    this.collections = new LRUCache({ maxSize: quarter, maxEntrySize: quarter, sizeCalculation: collectionBytes });
    this.documents = asDocumentSet(options.documents);
  }

  /** Bytes the kept resources are reckoned to take (never above the limit). */
  get heldBytes(): number {
    return this.resources.calculatedSize + this.builtMaps.calculatedSize + this.collections.calculatedSize;
  }

  document(id: string): Promise<ArchivalDocument | undefined> {
    return this.documents.load(id);
  }

  /**
   * The leaves' page images as the image service currently knows them; `kept` gives it the
   * records kept with a build, for the images it has not looked at lately.
   */
  private sources(leaves: readonly { readonly image: string }[], kept?: () => Promise<ReadBuild | null>): Promise<SourceInfo[]> {
    const { images, recheckMs } = this.options;
    const known = (image: string) => kept && { known: async () => (await kept())?.images.get(image) };
    return Promise.all(leaves.map((leaf) => images.source(leaf.image, { ...known(leaf.image), ...(recheckMs !== undefined && { maxAgeMs: recheckMs }) })));
  }

  /** The document's HTML page: `/` while it is the only one published, else its own. */
  homepage(document: ArchivalDocument, base: string): string {
    return pageOfDocument(base, document.id, this.documents.entries().length);
  }

  /**
   * What a document's resources are looked for by, from the catalog alone (no document is
   * loaded): undefined when its folder changed since its entry was made. The folder, the kept
   * build and the page images are looked at together, as each look may wait on the disk: an
   * image the image service has not looked at lately is checked against the kept build's
   * record of it — a stat, not a read — as soon as the build is read.
   */
  private async wanted(documentId: string, base: string): Promise<Wanted | undefined> {
    const listed = this.documents.entry(documentId);
    if (!listed) return undefined;
    const homepage = pageOfDocument(base, documentId, this.documents.entries().length);
    const place = buildPlace(base, documentId, homepage);
    const current = currentEntry(this.documents, documentId);
    let kept: Promise<ReadBuild | null> | undefined;
    const keptBuild = () => (kept ??= this.readKept(place));
    const keysOf = async (entry: CatalogEntry) => (await this.sources(entry.leaves, keptBuild)).map((s) => s.key);
    const listedKeys = keysOf(listed);
    listedKeys.catch(() => undefined);
    const found = await current;
    if (!found) return undefined;
    // A changed folder's images are its own business (it is loaded), whatever the old ones do.
    const keys = await (found.entry === listed ? listedKeys : keysOf(found.entry));
    return { key: buildKey(base, documentId, found.stamp, keys, homepage), keys, place, kept };
  }

  /** What a document is built from, with its page images' content keys and records as the image service knows them now. */
  private async input(document: ArchivalDocument, base: string): Promise<{ input: BuildInput; keys: string[]; records: Map<string, SourceRecord> }> {
    const sources = await this.sources(document.leaves);
    const images = new Map<string, PageImage>();
    const records = new Map<string, SourceRecord>();
    document.leaves.forEach((leaf, i) => {
      const s = sources[i]!;
      images.set(leaf.id, { id: s.id, width: s.width, height: s.height });
      if (s.record) records.set(s.id, s.record);
    });
    const homepage = this.homepage(document, base);
    const input: BuildInput = { base, document, images, imageConfig: this.options.imageConfig, services: this.options.services, homepage };
    return { input, keys: sources.map((s) => s.key), records };
  }

  /** The build kept at a place, read once however many ask at the same time. */
  private readKept(place: string): Promise<ReadBuild | null> {
    const store = this.options.store;
    if (!store) return Promise.resolve(null);
    let pending = this.reading.get(place);
    if (!pending) {
      pending = store.read(place).finally(() => this.reading.delete(place));
      this.reading.set(place, pending);
    }
    return pending;
  }

  /**
   * The resource of a document with this id (an absolute URL): served from memory when kept,
   * else built from the document, loaded if need be. Undefined when the document has no such
   * resource, null when there is no such document; rejects (DocumentUnavailableError) when its
   * data is wrong.
   */
  async resource(documentId: string, base: string, id: string): Promise<Published | undefined | null> {
    const listed = await this.wanted(documentId, base);
    if (listed !== undefined) {
      const hit = this.kept(listed.key, id) ?? (await this.fromStore(listed, id));
      if (hit || this.missing.has(`${listed.key}\n${id}`)) return hit;
    }
    const document = await this.documents.load(documentId);
    if (!document) return null;
    // Loaded, a changed folder's entry is current; a folder the set cannot stamp is keyed by its loaded data.
    const stored = listed ?? (await this.wanted(documentId, base));
    const key = stored?.key ?? JSON.stringify(['loaded', base, document.id, document.version, this.homepage(document, base)]);
    const at = `${key}\n${id}`;
    const hit = this.kept(key, id);
    if (hit || this.missing.has(at)) return hit;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.input(document, base)
        .then(({ input, keys, records }) => {
          const built = this.build(key, input, false);
          // Kept for the next start and the other instances, while this one serves on; not
          // if an image changed since the key was made, for the file would not be of its key.
          if (stored && keys.length === stored.keys.length && keys.every((k, i) => k === stored.keys[i])) {
            void this.options.store?.write(stored.place, { key, images: records, resources: built });
          }
          return built;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    const found = (await pending).get(id);
    if (found) this.keepOnItsOwn(at, found);
    else this.missing.set(at, true);
    return found;
  }

  /** A resource of the build kept as a file for `wanted` (then kept in memory as a recent build). */
  private async fromStore(wanted: Wanted, id: string): Promise<Published | undefined> {
    const kept = await (wanted.kept ?? this.readKept(wanted.place));
    // Of another key: made from other images, or replaced by another instance since.
    if (kept?.key !== wanted.key) return undefined;
    this.builtMaps.set(wanted.key, { resources: kept.resources, bytes: kept.resources.heldBytes });
    const found = kept.resources.get(id);
    if (found) this.keepOnItsOwn(`${wanted.key}\n${id}`, found);
    else this.missing.set(`${wanted.key}\n${id}`, true);
    return found;
  }

  /** A resource kept on its own, or in a recent build (then kept on its own from now on). */
  private kept(key: string, id: string): Published | undefined {
    const at = `${key}\n${id}`;
    const hit = this.resources.get(at);
    if (hit) return hit;
    const found = this.builtMaps.get(key)?.resources.get(id);
    if (found) this.keepOnItsOwn(at, found);
    return found;
  }

  /** Keeps a resource asked for on its own, with bytes of its own (not a view of its build's file). */
  private keepOnItsOwn(at: string, found: Published): void {
    const body = found.body.standalone();
    this.resources.set(at, body === found.body ? found : { ...found, body });
  }

  private build(key: string, input: BuildInput, check: boolean): ResourceMap {
    const built = publishDocument(input);
    this.builds++;
    if (check || !this.documents.trusted(input.document)) assertPublicationValid(built);
    const kept = served(built);
    this.builtMaps.set(key, { resources: kept, bytes: resourceMapBytes(kept) });
    return kept;
  }

  /**
   * Every resource of the document, built now and checked against our schemas when `check`.
   * Given the stamp its folder had before it was loaded, the build is also kept as a file at
   * the place requests will look.
   */
  async forDocument(document: ArchivalDocument, base: string, check = false, stamp?: string): Promise<ResourceMap> {
    const { input, keys, records } = await this.input(document, base);
    const homepage = this.homepage(document, base);
    const built = this.build(JSON.stringify(['loaded', base, document.id, document.version, homepage]), input, check);
    if (stamp !== undefined && this.options.store) {
      const key = buildKey(base, document.id, stamp, keys, homepage);
      await this.options.store.write(buildPlace(base, document.id, homepage), { key, images: records, resources: built });
    }
    return built;
  }

  /**
   * The collection of one archival unit in one version (undefined when there is no such unit),
   * built from the catalog's archival tree — made once per catalog version — so that a
   * request builds one collection, not every collection of the archive.
   */
  collection(base: string, version: PresentationVersion, unit: string): Published | undefined {
    const key = JSON.stringify(['collection', base, this.documents.version, unit]);
    let built = this.collections.get(key);
    if (!built) {
      if (this.tree?.version !== this.documents.version) {
        this.tree = { version: this.documents.version, nodes: collectionTree(this.documents.entries()) };
      }
      const node = this.tree.nodes.get(unit);
      if (!node) return undefined;
      built = servedGzipped(collectionResources(base, [node]));
      this.collections.set(key, built);
    }
    return built.get(collectionId(base, version, unit));
  }

  /** Builds and checks every collection for one base URL; rejects with the first problem. Resolves to their number. */
  verifyCollections(base: string): number {
    return collectionResources(base, collectionTree(this.documents.entries()).values()).size;
  }

  /**
   * Builds and checks every resource for one base URL, each document's even when the catalog
   * says it was checked (`npm run check`); rejects with the first problem. Resolves to the
   * number of resources.
   */
  async verify(base: string): Promise<number> {
    let count = this.verifyCollections(base);
    for (const entry of this.documents.entries()) {
      const document = await this.documents.load(entry.id);
      if (document) count += (await this.forDocument(document, base, true)).size;
    }
    return count;
  }
}
