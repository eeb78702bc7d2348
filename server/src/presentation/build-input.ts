import type { ArchivalDocument } from '../document/model.js';
import type { InfoConfig } from '../image/info.js';
import type { PageImage } from './image-resources.js';

/** Services declared on a manifest by other features (e.g. Content Search), per version. */
export interface ManifestServices {
  /** Entries of the 3.0 manifest's `service`, e.g. SearchService2 and SearchService1. */
  readonly v3: readonly Record<string, unknown>[];
  /** Entries of the 2.1 manifest's `service`, e.g. the Search 1.0 service. */
  readonly v2: readonly Record<string, unknown>[];
}

/** The hook through which other features add services to a document's manifests. */
export type ManifestServiceProvider = (document: ArchivalDocument, base: string) => ManifestServices;

/** Everything a build needs: the builders are pure functions of this. */
export interface BuildInput {
  /** Public base URL, no trailing slash. */
  readonly base: string;
  readonly document: ArchivalDocument;
  /** The page image of each leaf, keyed by leaf id: canvas size = image size. */
  readonly images: ReadonlyMap<string, PageImage>;
  /** Tile size and output limits of the image service: its `sizes` are repeated in the manifests. */
  readonly imageConfig: InfoConfig;
  readonly services?: ManifestServiceProvider;
  /** The document's HTML page (`homepage`); the site's root page when not given. */
  readonly homepage?: string;
}

/** The page image of a leaf; its absence is a bug in whoever assembled the input. */
export function imageOf(input: BuildInput, leafId: string): PageImage {
  const image = input.images.get(leafId);
  if (!image) throw new Error(`No image for leaf ${leafId}`);
  return image;
}
